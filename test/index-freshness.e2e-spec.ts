import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { EmbeddedVectorStore } from '../src/vector-store/embedded/embedded-vector-store';
import { createTestApp, ADMIN_KEY, TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  for (const started = Date.now(); !(await check()); await sleep(25)) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
  }
}

describe('Index freshness', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A poll far longer than the test: only the write itself can wake the indexing worker.
    t = await createTestApp({ env: { INDEX_POLL_MS: '600000' } });
    // As the service's start-up does (test apps drain by hand otherwise).
    t.app.get(OutboxWorker).start();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A recipe written through the API; its id. */
  const created = async (name: string, sourceId: string, ingredients: string[]): Promise<string> => {
    const res = await t
      .http()
      .post('/api/recipes')
      .set('x-api-key', ADMIN_KEY)
      .send({ name, source: 'test-kitchen', sourceId, ingredients: ingredients.map((n) => ({ name: n })), steps: ['做'] })
      .expect(201);
    return res.body.id as string;
  };

  it('indexes a recipe written through the API at once, not at the next poll', async () => {
    const id = await created('葱油拌面', 'scallion-noodles', ['面条', '葱']);
    let status = 0;
    for (const started = Date.now(); Date.now() - started < 15_000; await sleep(50)) {
      const res = await t.http().get(`/api/recipes/${id}/similar?limit=3`);
      status = res.status;
      if (status === 200) break;
    }
    expect(status).toBe(200);
  });

  it('indexes new recipes without a store write that deletes nothing, and still deletes a deleted one', async () => {
    // Each write to the store waits its turn on the database connection behind the requests
    // being served: a batch of upserts must not also make an empty delete.
    const deletes = jest.spyOn(EmbeddedVectorStore.prototype, 'delete');
    // The serving store of the moment: a background retrain may swap collections meanwhile.
    const indexed = async (id: string) => (await t.app.get(ActiveIndexRegistry).active().store.getVectors([id])).has(id);
    const worker = t.app.get(OutboxWorker);
    try {
      const id = await created('凉拌黄瓜', 'cucumber-salad', ['黄瓜', '蒜']);
      await until(() => indexed(id));
      // The batch that indexed it has ended (drain waits for the one under way).
      await worker.drain();
      expect(deletes).not.toHaveBeenCalled();

      await t.http().delete(`/api/recipes/${id}`).set('x-api-key', ADMIN_KEY).expect(204);
      await until(async () => !(await indexed(id)));
      expect(deletes).toHaveBeenCalledWith([id]);
    } finally {
      deletes.mockRestore();
    }
  });
});
