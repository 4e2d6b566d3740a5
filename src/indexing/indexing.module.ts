import { Module } from '@nestjs/common';
import { EmbeddingModule } from '../embedding/embedding.module';
import { TextModule } from '../text/text.module';
import { VectorStoreModule } from '../vector-store/vector-store.module';
import { IndexAdminController } from './index-admin.controller';
import { IndexingService } from './indexing.service';
import { OutboxSignalModule } from './outbox-signal';

@Module({
  imports: [TextModule, EmbeddingModule, VectorStoreModule, OutboxSignalModule],
  controllers: [IndexAdminController],
  providers: [IndexingService],
  exports: [IndexingService],
})
export class IndexingModule {}
