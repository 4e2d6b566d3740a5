import { INestApplicationContext, Logger } from '@nestjs/common';
import { EmbeddingUnavailableError } from './embedding/embedding.errors';
import { VectorStoreUnavailableError } from './vector-store/vector-store.errors';
import { IndexSynchroniser } from './indexing/index-synchroniser.service';
import { OutboxWorker } from './indexing/outbox-worker.service';
import { SeedService } from './recipes/seed.service';
import { CatalogSnapshotService } from './search/catalog-snapshot.service';

/**
 * What a serving process does before it listens: seed an empty catalog from the bundled data,
 * make sure the search index matches the catalog and the model, then keep it in step.
 */
export async function startServices(app: INestApplicationContext): Promise<void> {
  await app.get(SeedService).seedIfEmpty();
  try {
    await app.get(IndexSynchroniser).prepare();
  } catch (error) {
    // The catalog still serves reads and takes writes; the worker keeps retrying the index.
    if (!(error instanceof VectorStoreUnavailableError || error instanceof EmbeddingUnavailableError)) throw error;
    new Logger('Startup').warn(`Search index unavailable at start, will retry: ${error.message}`);
  }
  app.get(OutboxWorker).start();
  // Load the in-memory catalog view now rather than on the first search request.
  await app.get(CatalogSnapshotService).current();
}
