import { Module } from '@nestjs/common';
import { EmbeddingModule } from '../embedding/embedding.module';
import { IndexingModule } from '../indexing/indexing.module';
import { OutboxSignalModule } from '../indexing/outbox-signal';
import { UsersModule } from '../users/users.module';
import { TextModule } from '../text/text.module';
import { ByIngredientsService } from './by-ingredients.service';
import { CatalogSnapshotService } from './catalog-snapshot.service';
import { SearchController, SimilarDishesController } from './search.controller';
import { SearchService } from './search.service';
import { SimilarDishesService } from './similar-dishes.service';

/** Search, similar dishes and by-ingredients retrieval over the active index and an in-memory catalog view. */
@Module({
  imports: [TextModule, EmbeddingModule, IndexingModule, UsersModule, OutboxSignalModule],
  controllers: [SearchController, SimilarDishesController],
  providers: [CatalogSnapshotService, SearchService, SimilarDishesService, ByIngredientsService],
  exports: [SearchService, SimilarDishesService, ByIngredientsService, CatalogSnapshotService],
})
export class SearchModule {}
