import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, loadConfig } from './config/app-config';
import { CatalogInsightModule } from './catalog-insight/catalog-insight.module';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions, databaseLocation, initializeDataSource, serializeTransactions } from './database/data-source';
import { HealthModule } from './health/health.module';
import { MemoryBudgetModule } from './health/memory-budget.module';
import { IndexingModule } from './indexing/indexing.module';
import { RateLimitModule } from './http/rate-limit.module';
import { ObservabilityModule } from './observability/observability.module';
import { RecipesModule } from './recipes/recipes.module';
import { SearchModule } from './search/search.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { TextModule } from './text/text.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MemoryBudgetModule,
        RateLimitModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(databaseLocation(config)),
          dataSourceFactory: async (options) => serializeTransactions(await initializeDataSource(options!)),
        }),
        RecipesModule,
        IndexingModule,
        HealthModule,
        TextModule,
        SearchModule,
        RecommendationsModule,
        CatalogInsightModule,
        ObservabilityModule,
      ],
      // Re-exported for the admin CLI, which runs the same services without HTTP.
      exports: [RecipesModule, IndexingModule, TextModule],
    };
  }
}
