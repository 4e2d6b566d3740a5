import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { createTestApp, ADMIN_KEY, TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('indexes a recipe written through the API at once, not at the next poll', async () => {
    const created = await t
      .http()
      .post('/api/recipes')
      .set('x-api-key', ADMIN_KEY)
      .send({
        name: '葱油拌面',
        source: 'test-kitchen',
        sourceId: 'scallion-noodles',
        ingredients: [{ name: '面条' }, { name: '葱' }],
        steps: ['拌匀'],
      })
      .expect(201);
    const id: string = created.body.id;
    let status = 0;
    for (const started = Date.now(); Date.now() - started < 15_000; await sleep(50)) {
      const res = await t.http().get(`/api/recipes/${id}/similar?limit=3`);
      status = res.status;
      if (status === 200) break;
    }
    expect(status).toBe(200);
  });
});
