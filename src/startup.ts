import { INestApplicationContext, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STARTUP_LOCK_KEY, withAdvisoryLock } from './database/data-source';
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
  // Replicas started together on an empty PostgreSQL database all saw it empty and seeded it at
  // once; every one but the first then died on the first recipe the other had inserted. One at a
  // time, the next finds the catalog seeded, the model trained and the index filled.
  await withAdvisoryLock(app.get(DataSource), STARTUP_LOCK_KEY, async () => {
    await app.get(SeedService).seedIfEmpty();
    try {
      await app.get(IndexSynchroniser).prepare();
    } catch (error) {
      // The catalog still serves reads and takes writes; the worker keeps retrying the index.
      if (!(error instanceof VectorStoreUnavailableError || error instanceof EmbeddingUnavailableError)) throw error;
      new Logger('Startup').warn(`Search index unavailable at start, will retry: ${error.message}`);
    }
  });
  app.get(OutboxWorker).start();
  // Load the in-memory catalog view now rather than on the first search request, and keep it
  // following writes made through other processes while no request comes.
  const catalog = app.get(CatalogSnapshotService);
  await catalog.current();
  catalog.startFollowing();
}
