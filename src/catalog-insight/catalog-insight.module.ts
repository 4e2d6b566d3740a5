import { Module } from '@nestjs/common';
import { EmbeddingModule } from '../embedding/embedding.module';
import { IndexingModule } from '../indexing/indexing.module';
import { RecipesModule } from '../recipes/recipes.module';
import { SearchModule } from '../search/search.module';
import { TextModule } from '../text/text.module';
import { CatalogInsightAdminController, FamiliesController } from './catalog-insight.controller';
import { CatalogInsightService } from './catalog-insight.service';
import { UnresolvedNamesController } from './unresolved-names.controller';

/** Dish families, near-duplicates, anomalies and diversity of the catalog, from the dish vectors. */
@Module({
  imports: [TextModule, EmbeddingModule, IndexingModule, SearchModule, RecipesModule],
  controllers: [FamiliesController, CatalogInsightAdminController, UnresolvedNamesController],
  providers: [CatalogInsightService],
  exports: [CatalogInsightService],
})
export class CatalogInsightModule {}
