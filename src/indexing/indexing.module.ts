import { Module } from '@nestjs/common';
import { EmbeddingModule } from '../embedding/embedding.module';
import { TextModule } from '../text/text.module';
import { VectorStoreModule } from '../vector-store/vector-store.module';
import { IndexAdminController } from './index-admin.controller';
import { ActiveIndexRegistry } from './active-index-registry.service';
import { IndexRetrainer } from './index-retrainer.service';
import { IndexSynchroniser } from './index-synchroniser.service';
import { OutboxWorker } from './outbox-worker.service';
import { OutboxSignalModule } from './outbox-signal';

@Module({
  imports: [TextModule, EmbeddingModule, VectorStoreModule, OutboxSignalModule],
  controllers: [IndexAdminController],
  // Constructor order, no cycles: registry ← synchroniser ← retrainer ← worker.
  providers: [ActiveIndexRegistry, IndexSynchroniser, IndexRetrainer, OutboxWorker],
  exports: [ActiveIndexRegistry, IndexSynchroniser, IndexRetrainer, OutboxWorker],
})
export class IndexingModule {}
