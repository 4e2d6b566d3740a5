import { DynamicModule, Module } from '@nestjs/common';
import { AppModule } from '../app.module';
import { AppConfig } from '../config/app-config';
import { LexiconCoverageCommand } from './lexicon-coverage.command';
import { ReindexCommand } from './reindex.command';
import { RetrainCommand } from './retrain.command';
import { SeedCommand } from './seed.command';
import { VerifyIndexCommand } from './verify-index.command';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [AppModule.forRoot(config)],
      providers: [SeedCommand, ReindexCommand, VerifyIndexCommand, RetrainCommand, LexiconCoverageCommand],
    };
  }
}
