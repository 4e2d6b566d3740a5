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

  /** A recipe written through the API (from 'test-kitchen' unless `more` says otherwise); its id. */
  const created = async (name: string, sourceId: string, ingredients: string[], more: Record<string, unknown> = {}): Promise<string> => {
    const res = await t
      .http()
      .post('/api/recipes')
      .set('x-api-key', ADMIN_KEY)
      .send({ name, source: 'test-kitchen', sourceId, ingredients: ingredients.map((n) => ({ name: n })), steps: ['做'], ...more })
      .expect(201);
    return res.body.id as string;
  };

  it('keeps a listing by filters alone up to date write after write: a quicker dish leads it, a copy folds into its twin, a deleted one leaves', async () => {
    type Page = { items: Array<{ recipe: { id: string }; why: { alsoIn?: Array<{ id: string }> } }>; total: number };
    const listing = async (): Promise<Page> => (await t.http().get('/api/search').query({ maxMinutes: 30, limit: 5 }).expect(200)).body;
    const before = await listing();
    const first = await created('一分钟蒸蛋', 'one-minute-egg', ['鸡蛋'], { totalMinutes: 1 });
    const led = await listing();
    expect(led.total).toBe(before.total + 1);
    expect(led.items[0].recipe.id).toBe(first);
    // The same dish from another source, slower: one entry, the quicker copy leading it.
    const twin = await created('一分钟蒸蛋', 'one-minute-egg', ['鸡蛋'], { totalMinutes: 2, source: 'other-kitchen' });
    const folded = await listing();
    expect(folded.total).toBe(led.total);
    expect(folded.items[0].recipe.id).toBe(first);
    expect(folded.items[0].why.alsoIn?.map((o) => o.id)).toEqual([twin]);
    await t.http().delete(`/api/recipes/${first}`).set('x-api-key', ADMIN_KEY).expect(204);
    const left = await listing();
    expect(left.total).toBe(led.total);
    expect(left.items[0].recipe.id).toBe(twin);
    expect(left.items[0].why.alsoIn ?? []).toEqual([]);
  });

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
