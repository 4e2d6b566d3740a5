import { DataSource } from 'typeorm';
import { VerifyIndexCommand } from '../src/cli/verify-index.command';
import { collectionSpecOf } from '../src/embedding/embedding-provider.port';
import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { IndexRetrainer } from '../src/indexing/index-retrainer.service';
import { IndexSynchroniser } from '../src/indexing/index-synchroniser.service';
import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { SeedService } from '../src/recipes/seed.service';
import { QdrantStubServer } from './support/qdrant-stub/qdrant-stub.server';
import { VectorStoreFactory } from '../src/vector-store/vector-store.factory';
import { eventually } from './support/eventually';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

let stub: QdrantStubServer | undefined;
const backends = [
  { name: 'embedded', env: () => ({ VECTOR_STORE: 'embedded' }) },
  { name: 'qdrant', env: () => ({ VECTOR_STORE: 'qdrant', QDRANT_URL: (stub as QdrantStubServer).url }) },
];

beforeAll(async () => {
  stub = await QdrantStubServer.start();
});
afterAll(async () => {
  await stub?.stop();
});

/** Collections the store holds under the test's prefix, through the app's own store. */
async function collectionsOf(t: TestApp): Promise<string[]> {
  return t.app.get(ActiveIndexRegistry).active().store.listCollections();
}

async function report(t: TestApp) {
  return (await t.http().get('/api/admin/index').set('x-api-key', ADMIN_KEY).expect(200)).body;
}

describe.each(backends)('One index across requests and processes ($name)', (backend) => {
  let prefix: string;
  const env = (extra: Record<string, string> = {}) => ({
    ...backend.env(),
    QDRANT_COLLECTION_PREFIX: prefix,
    INDEX_FOLLOW_MS: '100',
    ...extra,
  });
  let n = 0;
  beforeEach(() => {
    prefix = `coord_${backend.name}_${process.pid}_${n++}`;
  });

  it('runs one retrain at a time: the second request gets 409 with the running job, and nothing is left behind', async () => {
    const t = await createTestApp({ seed: { source: 'indian-food-101' }, env: env({ INDEX_RETIRE_GRACE_MS: '0' }) });
    try {
      // A retrain only builds a collection when the catalog changed since the model was trained.
      await t.app.get(SeedService).seed({ source: 'italian-giallozafferano' });
      await t.app.get(OutboxWorker).drain();
      const before = await collectionsOf(t);
      expect(before).toHaveLength(1);

      const [a, b] = await Promise.all([
        t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY),
        t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const refused = a.status === 409 ? a : b;
      expect(refused.body).toMatchObject({ statusCode: 409, code: 'INDEX_JOB_RUNNING', details: { job: { kind: 'retrain' } } });
      const done = a.status === 200 ? a : b;
      expect(done.body.current).not.toBe(done.body.previous);

      // The same lock holds for another process on the database (the CLI's `retrain`).
      const second = await createTestApp({ databasePath: t.databasePath, env: env() });
      try {
        const inFlight = t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY);
        const cli = eventually(
          () => t.app.get(IndexRetrainer).runningJob(),
          (job) => job !== null,
          10_000,
        ).then(() => second.app.get(IndexRetrainer).reindex({ recreate: true }));
        const [route, other] = await Promise.allSettled([inFlight, cli]);
        expect(route.status).toBe('fulfilled');
        // Either the CLI found the route's retrain running, or the route's unchanged-catalog
        // retrain finished first and the CLI rebuilt: never both building at once.
        if (other.status === 'rejected') expect((other.reason as { code?: string }).code).toBe('INDEX_JOB_RUNNING');
      } finally {
        await second.app.close();
      }

      const after = await eventually(
        () => report(t),
        (body) => body.collections.orphaned.length === 0 && body.collections.retiring.length === 0,
      );
      expect(after).toMatchObject({ drift: 0, collections: { orphaned: [], building: [], retiring: [] } });
      expect(await collectionsOf(t)).toEqual([after.collection]);
    } finally {
      await t.close();
    }
  });

  it('drops the collection a failing retrain created and releases the lock', async () => {
    const t = await createTestApp({ seed: { source: 'indian-food-101' }, env: env() });
    try {
      await t.app.get(SeedService).seed({ source: 'italian-giallozafferano' });
      await t.app.get(OutboxWorker).drain();
      const serving = (await report(t)).collection;
      const factory = t.app.get(VectorStoreFactory);
      const create = factory.create.bind(factory);
      jest.spyOn(factory, 'create').mockImplementationOnce(() => {
        const store = create();
        store.upsert = async () => {
          throw new Error('disk full');
        };
        return store;
      });

      const failed = await t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY);
      expect(failed.status).toBe(500);
      expect(await collectionsOf(t)).toEqual([serving]);
      expect(await report(t)).toMatchObject({ collection: serving, drift: 0, collections: { orphaned: [] } });
      // Still searchable with the old model, and the next retrain is not refused.
      await t.http().get('/api/search').query({ q: 'chicken' }).expect(200);
      const retried = await t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY).expect(200);
      expect(retried.body.current).not.toBe(retried.body.previous);
    } finally {
      await t.close();
    }
  });

  it('a second process on the same database seeds, rebuilds and retrains; the running server follows within seconds and answers throughout', async () => {
    // RETRAIN_DRIFT_SHARE 1: the server does not retrain by itself after the import below, which
    // would (rightly) make the second process's retrain a 409.
    const server = await createTestApp({
      seed: { source: 'indian-food-101' },
      env: env({ INDEX_RETIRE_GRACE_MS: '2000', RETRAIN_DRIFT_SHARE: '1' }),
    });
    server.app.get(OutboxWorker).start();
    // Listening once: supertest would otherwise open and close the server around every request,
    // and the concurrent probe below would see its connections reset.
    await new Promise<void>((resolve) => server.app.getHttpServer().listen(0, '127.0.0.1', () => resolve()));
    const cli = await createTestApp({ databasePath: server.databasePath, env: env({ INDEX_RETIRE_GRACE_MS: '2000' }) });
    const failures: string[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const res = await server.http().get('/api/search').query({ q: 'curry' });
        if (res.status !== 200 || res.body.items.length === 0) failures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const health = async () => (await server.http().get('/api/health')).body;
    try {
      // seed (with indexing), as `npm run seed` does it
      await cli.app.get(SeedService).seed({ source: 'italian-giallozafferano' });
      await cli.app.get(IndexSynchroniser).prepare();
      await cli.app.get(OutboxWorker).drain();
      const [italian] = await cli.app
        .get(DataSource)
        .query(`SELECT name FROM recipes WHERE source = 'italian-giallozafferano' ORDER BY name LIMIT 1`);
      const found = await eventually(
        async () => (await server.http().get('/api/search').query({ q: italian.name })).body,
        (body) => body.items?.[0]?.recipe.name === italian.name,
        10_000,
      );
      expect(found.items[0].recipe.name).toBe(italian.name);

      // reindex --recreate: a new collection fills beside the live one, then the alias switches
      const before = await health();
      await cli.app.get(IndexRetrainer).reindex({ recreate: true });
      const rebuilt = (await cli.app.get(IndexSynchroniser).verify()).collection;
      expect(rebuilt).not.toBe(before.vectorStore.collection);
      const followed = await eventually(health, (body) => body.vectorStore.collection === rebuilt, 10_000);
      expect(followed.vectorStore).toMatchObject({ collection: rebuilt, points: 101 + 255 });

      // retrain: a new model and its collection
      const swap = await cli.app.get(IndexRetrainer).retrainAndSwap();
      expect(swap.current).not.toBe(swap.previous);
      const retrained = await eventually(health, (body) => body.embedder.modelId === swap.current, 10_000);
      expect(retrained.embedder.modelId).toBe(swap.current);
      const again = await server.http().get('/api/search').query({ q: italian.name }).expect(200);
      expect(again.body.items[0].recipe.name).toBe(italian.name);

      // The replaced collections go once their grace period is over; nothing is orphaned.
      const settled = await eventually(
        () => report(server),
        (body) => body.collections.retiring.length === 0,
        15_000,
      );
      expect(settled).toMatchObject({ drift: 0, collections: { orphaned: [], retiring: [] } });
    } finally {
      probing = false;
      await probe;
      await cli.app.close();
      await server.close();
    }
    expect(failures).toEqual([]);
  });

  it('verify-index exits 0 with work merely queued, 1 on drift, and repair is a POST', async () => {
    const t = await createTestApp({ seed: { source: 'indian-food-101' }, env: env() });
    const exitCode = async (options: { repair?: boolean } = {}) => {
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        process.exitCode = undefined;
        await new VerifyIndexCommand(t.app.get(ActiveIndexRegistry), t.app.get(IndexSynchroniser)).run([], { ...options, json: true });
        return process.exitCode ?? 0;
      } finally {
        write.mockRestore();
        process.exitCode = undefined;
      }
    };
    try {
      expect(await exitCode()).toBe(0);

      // Queued, not indexed yet (the worker is not running here): not drift.
      const [first] = (await t.http().get('/api/recipes').query({ limit: 1 })).body.items;
      await t
        .http()
        .patch(`/api/recipes/${first.id}`)
        .set('x-api-key', ADMIN_KEY)
        .send({ description: 'changed while the worker sleeps' })
        .expect(200);
      expect(await report(t)).toMatchObject({ pendingOutbox: 1, drift: 0, stale: [] });
      expect(await exitCode()).toBe(0);
      await t.app.get(OutboxWorker).drain();

      // Drift: a point lost from the index, and a collection left behind by a crashed build.
      const { store, provider } = t.app.get(ActiveIndexRegistry).active();
      await store.delete([first.id]);
      const stray = t.app.get(VectorStoreFactory).create();
      await stray.ensureCollection({ ...collectionSpecOf(provider), build: 'crashed' });
      expect(await exitCode()).toBe(1);

      // GET only reports, and says where repair went.
      const get = await t.http().get('/api/admin/index').query({ repair: 'true' }).set('x-api-key', ADMIN_KEY).expect(400);
      expect(get.body.message).toMatch(/POST \/api\/admin\/index\/repair/);
      const found = await report(t);
      expect(found).toMatchObject({ missing: [first.id], drift: 2, repaired: false });
      expect(found.collections.orphaned).toHaveLength(1);

      const repaired = await t.http().post('/api/admin/index/repair').set('x-api-key', ADMIN_KEY).expect(200);
      expect(repaired.body).toMatchObject({ drift: 2, repaired: true });
      expect(await report(t)).toMatchObject({ drift: 0, missing: [], collections: { orphaned: [] } });
      expect(await exitCode()).toBe(0);
      await t.http().post('/api/admin/index/repair').expect(401);
    } finally {
      await t.close();
    }
  });

  // The wait is the service's own; one backend shows it.
  const onEmbedded = backend.name === 'embedded' ? it : it.skip;
  onEmbedded('shutdown waits for a running retrain instead of closing the database under it', async () => {
    const t = await createTestApp({ seed: { source: 'indian-food-101' }, env: env() });
    await t.app.get(SeedService).seed({ source: 'italian-giallozafferano' });
    await t.app.get(OutboxWorker).drain();
    const retrain = t.app.get(IndexRetrainer).retrainAndSwap();
    await eventually(
      () => t.app.get(IndexRetrainer).runningJob(),
      (job) => job !== null,
      10_000,
    );
    await t.close();
    await expect(retrain).resolves.toMatchObject({ current: expect.any(String) });
  });
});
