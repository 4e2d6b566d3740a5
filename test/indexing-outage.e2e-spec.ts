import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { QdrantStubServer } from './support/qdrant-stub/qdrant-stub.server';
import { eventually } from './support/eventually';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

describe('Vector store outage (Qdrant adapter over a local stub)', () => {
  let stub: QdrantStubServer;
  let t: TestApp;

  beforeAll(async () => {
    stub = await QdrantStubServer.start();
    t = await createTestApp({
      env: {
        VECTOR_STORE: 'qdrant',
        QDRANT_URL: stub.url,
        QDRANT_TIMEOUT_MS: '1000',
        INDEX_POLL_MS: '50',
        INDEX_MAX_BACKOFF_MS: '300',
        // Three recipes on an empty catalog would otherwise retrain the model in the background.
        RETRAIN_DRIFT_SHARE: '1',
      },
    });
    t.app.get(OutboxWorker).start();
  });

  afterAll(async () => {
    await t.close();
    await stub.stop();
  });

  const recipe = (i: number) => ({
    name: `Dal tadka ${i}`,
    source: 'outage-test',
    sourceId: `dal-${i}`,
    ingredients: [{ name: 'lentils' }, { name: 'ghee' }, { name: 'cumin' }],
  });

  it('takes catalog writes while the store is down and indexes them once it is back', async () => {
    await stub.stop();

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe(i)).expect(201);
      ids.push(res.body.id);
    }
    await t.http().get(`/api/recipes/${ids[0]}`).expect(200);
    const search = await t.http().get('/api/search').query({ q: 'lentils' }).expect(503);
    expect(search.body).toMatchObject({ statusCode: 503, code: 'VECTOR_STORE_UNAVAILABLE' });

    const down = await eventually(
      async () => t.http().get('/api/health'),
      (res) => res.body.vectorStore.state === 'down',
    );
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', failing: ['vectorStore'], database: { state: 'up', writable: true } });
    expect(down.body.index.pending).toBeGreaterThanOrEqual(3);

    await stub.restart();

    const report = await eventually(
      async () => (await t.http().get('/api/admin/index').set('x-api-key', ADMIN_KEY).expect(200)).body,
      (body) => body.drift === 0 && body.pendingOutbox === 0,
    );
    expect(report).toMatchObject({ catalog: 3, indexed: 3, drift: 0, pendingOutbox: 0 });
    const found = await t.http().get('/api/search').query({ q: 'lentils' }).expect(200);
    expect(found.body.items.map((hit: { recipe: { id: string } }) => hit.recipe.id).sort()).toEqual([...ids].sort());
    const health = (await t.http().get('/api/health').expect(200)).body;
    expect(health.vectorStore.state).toBe('up');
    expect(health.index.pending).toBe(0);
  });
});
