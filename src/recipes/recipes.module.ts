import { Module } from '@nestjs/common';
import { OutboxSignalModule } from '../indexing/outbox-signal';
import { TextModule } from '../text/text.module';
import { BulkPreparer } from './bulk/bulk-preparer';
import { RecipeImporterRegistry } from './importers/importer.registry';
import { RecipeAnnotations } from './recipe-annotations';
import { RecipeNormalizer } from './recipe-normalizer';
import { RecipesController } from './recipes.controller';
import { RecipesService } from './recipes.service';
import { SeedService } from './seed.service';

@Module({
  imports: [TextModule, OutboxSignalModule],
  controllers: [RecipesController],
  providers: [RecipesService, RecipeNormalizer, BulkPreparer, RecipeImporterRegistry, SeedService, RecipeAnnotations],
  exports: [RecipesService, SeedService, RecipeImporterRegistry, RecipeAnnotations],
})
export class RecipesModule {}
