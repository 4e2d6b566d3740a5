import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { IndexRetrainer } from '../src/indexing/index-retrainer.service';
import { IndexSynchroniser } from '../src/indexing/index-synchroniser.service';
import { ServingIndex } from '../src/indexing/indexing.types';
import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { SeedService } from '../src/recipes/seed.service';
import { VectorStoreUnavailableError } from '../src/vector-store/vector-store.errors';
import { eventually } from './support/eventually';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(180_000);

/**
 * Writes to the index that used to overtake each other and leave it out of step with the
 * catalog for good (no outbox row left to correct it; `GET /api/admin/index` reported drift with
 * nothing pending). Each case stages the interleaving a production service meets by chance.
 */
/** Holds the next embedding of `index`'s provider until `release`; `embedding` settles when it is reached. */
function holdNextEmbedding(index: ServingIndex): { embedding: Promise<void>; release: () => void } {
  const embed = index.provider.embedRecipes.bind(index.provider);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const embedding = new Promise<void>((resolve) => (reached = resolve));
  jest.spyOn(index.provider, 'embedRecipes').mockImplementationOnce(async (documents) => {
    reached();
    await held;
    return embed(documents);
  });
  return { embedding, release };
}

describe('Index writes in the right order', () => {
  let t: TestApp;
  const admin = () => t.http();
  const report = async () => (await admin().get('/api/admin/index').set('x-api-key', ADMIN_KEY).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'indian-food-101' }, env: { RETRAIN_DRIFT_SHARE: '1', INDEX_POLL_MS: '50' } });
    await t.app.get(SeedService).seed({ source: 'italian-giallozafferano' });
    await t.app.get(OutboxWorker).drain();
    // The running worker, as in the server.
    t.app.get(OutboxWorker).start();
  });
  afterAll(async () => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('a delete whose batch failed once, then the recipe created again: it stays indexed', async () => {
    const store = () => t.app.get(ActiveIndexRegistry).active().store;
    for (let i = 0; i < 6; i++) {
      const recipe = { name: `Quorvish dal ${i}`, source: 'races', sourceId: `dal-${i}`, ingredients: [{ name: 'red lentils' }] };
      const id = (await admin().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe).expect(201)).body.id as string;
      await eventually(
        async () => (await store().getVectors([id])).has(id),
        (has) => has,
      );
      // The store is unreachable for the delete's batch: its row waits out a back-off.
      const failOnce = jest.spyOn(store(), 'delete').mockRejectedValueOnce(new VectorStoreUnavailableError('unreachable'));
      await admin().delete(`/api/recipes/${id}`).set('x-api-key', ADMIN_KEY).expect(204);
      await eventually(
        async () => failOnce.mock.calls.length,
        (calls) => calls > 0,
      );
      failOnce.mockRestore();
      // Created again (the same source id gives the same recipe id) while the delete waits.
      const again = await admin().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe).expect(201);
      expect(again.body.id).toBe(id);
      await eventually(
        async () => (await report()).pendingOutbox,
        (pending) => pending === 0,
      );
      expect((await store().getVectors([id])).has(id)).toBe(true);
    }
    const after = await report();
    expect(after.missing).toEqual([]);
    expect(after.drift).toBe(0);
  });

  it('a full comparison still embedding an old version does not write it over the newer one the worker indexed', async () => {
    const registry = t.app.get(ActiveIndexRegistry);
    const [first] = (await admin().get('/api/recipes').query({ limit: 1 }).expect(200)).body.items;
    await admin().patch(`/api/recipes/${first.id}`).set('x-api-key', ADMIN_KEY).send({ description: 'version 1' }).expect(200);
    await eventually(
      async () => (await report()).pendingOutbox,
      (pending) => pending === 0,
    );
    // Make the index miss version 1, so the comparison re-indexes the recipe, and hold it in the embedding.
    const index = registry.serving();
    await index.store.delete([first.id]);
    const { embedding, release } = holdNextEmbedding(index);
    const sync = t.app.get(IndexSynchroniser).sync(index);
    await embedding;
    // Meanwhile the recipe is written again, and the worker takes its row.
    const second = await admin()
      .patch(`/api/recipes/${first.id}`)
      .set('x-api-key', ADMIN_KEY)
      .send({ description: 'version 2' })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await sync;
    await eventually(
      async () => (await report()).pendingOutbox,
      (pending) => pending === 0,
    );
    const point = (await index.store.getVectors([first.id])).get(first.id);
    expect(point?.contentHash).toBe(second.body.contentHash);
    expect((await report()).stale).toEqual([]);
  });

  it('a reindex in another process (the command line beside the server) does not leave an old version over the worker’s newer one', async () => {
    // The command line's app: the same database, its own synchroniser, no worker.
    const cli = await createTestApp({ databasePath: t.databasePath, env: { INDEX_POLL_MS: '50' } });
    try {
      const [first] = (await admin().get('/api/recipes').query({ limit: 1 }).expect(200)).body.items;
      const index = cli.app.get(ActiveIndexRegistry).serving();
      // The point goes stale in the index, so the reindex writes the recipe; hold its embedding.
      await index.store.delete([first.id]);
      const { embedding, release } = holdNextEmbedding(index);
      const reindex = cli.app.get(IndexSynchroniser).sync(index);
      await embedding;
      // The server takes an edit, and its worker indexes it at once: no lock is shared with the other process.
      const edited = await admin()
        .patch(`/api/recipes/${first.id}`)
        .set('x-api-key', ADMIN_KEY)
        .send({ description: 'edited' })
        .expect(200);
      const server = t.app.get(ActiveIndexRegistry);
      await eventually(
        async () => (await server.serving().store.getVectors([first.id])).get(first.id)?.contentHash,
        (hash) => hash === edited.body.contentHash,
      );
      release();
      await reindex;
      const after = await eventually(
        async () => (await report()).stale,
        (stale) => stale.length === 0,
        5_000,
      );
      expect(after).toEqual([]);
      expect((await index.store.getVectors([first.id])).get(first.id)?.contentHash).toBe(edited.body.contentHash);
    } finally {
      await cli.close();
    }
  });

  it('the catch-up after a retrain’s swap fails once: the worker brings the new collection up to date', async () => {
    const synchroniser = t.app.get(IndexSynchroniser);
    const [first] = (await admin().get('/api/recipes').query({ limit: 1 }).expect(200)).body.items;
    // A catalog write lands while the new collection fills; the worker applies it to the old one.
    const fill = synchroniser.indexIds.bind(synchroniser);
    let edited = false;
    jest.spyOn(synchroniser, 'indexIds').mockImplementation(async (index, ids, progress, options) => {
      const found = await fill(index, ids, progress, options);
      if (options?.keepAnalyses === false && !edited) {
        edited = true;
        await admin()
          .patch(`/api/recipes/${first.id}`)
          .set('x-api-key', ADMIN_KEY)
          .send({ description: 'edited in the build' })
          .expect(200);
        await eventually(
          async () => (await report()).pendingOutbox,
          (pending) => pending === 0,
        );
      }
      return found;
    });
    // The comparison after the swap meets a store that does not answer, once.
    jest.spyOn(synchroniser, 'differences').mockRejectedValueOnce(new VectorStoreUnavailableError('timeout'));
    const swapped = await t.app.get(IndexRetrainer).retrainAndSwap();
    expect(swapped.current).not.toBe(swapped.previous);
    expect(edited).toBe(true);
    const settled = await eventually(report, (now) => now.stale.length === 0 && now.missing.length === 0, 20_000);
    expect(settled.modelId).toBe(swapped.current);
    expect(settled.stale).toEqual([]);
    expect(settled.drift).toBe(0);
  });
});
