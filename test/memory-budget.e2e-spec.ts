import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

/**
 * A service past its memory's high-water mark (here: a 16 MiB limit, which any process passes)
 * refuses to add recipes, with the documented error shape and nothing stored, and goes on
 * serving everything else; health says why.
 */
describe('Catalog growth past the memory limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'indian-food-101' }, env: { MEMORY_LIMIT_MIB: '16', MEMORY_HIGH_WATER_PERCENT: '100' } });
  });
  afterAll(() => t?.close());

  const recipe = (sourceId: string) => ({
    name: `Memory test dal ${sourceId}`,
    source: 'memory-test',
    sourceId,
    ingredients: [{ name: 'lentils' }, { name: 'onion' }],
  });

  const stored = async () => (await t.http().get('/api/recipes?source=memory-test').expect(200)).body.total;

  it('answers 507 INSUFFICIENT_MEMORY to a new recipe and a bulk, storing neither', async () => {
    const one = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe('one')).expect(507);
    expect(one.body).toMatchObject({
      statusCode: 507,
      code: 'INSUFFICIENT_MEMORY',
      message: expect.stringContaining('MEMORY_LIMIT_MIB'),
      details: { pressure: 'process', limitMiB: 16, highWaterPercent: 100 },
    });
    expect(one.body.requestId).toEqual(expect.any(String));
    const bulk = await t
      .http()
      .post('/api/recipes/bulk')
      .set('x-api-key', ADMIN_KEY)
      .send({ recipes: [recipe('two'), recipe('three')] })
      .expect(507);
    expect(bulk.body.code).toBe('INSUFFICIENT_MEMORY');
    expect(await stored()).toBe(0);
  });

  it('answers 507 to a retrain, which would hold a second index until its swap', async () => {
    const health = (await t.http().get('/api/health').expect(200)).body;
    const retrain = await t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY).expect(507);
    expect(retrain.body).toMatchObject({ code: 'INSUFFICIENT_MEMORY', message: expect.stringContaining('no retrain or rebuild starts') });
    expect((await t.http().get('/api/health').expect(200)).body.embedder.modelId).toBe(health.embedder.modelId);
  });

  it('still edits and deletes recipes, and answers searches', async () => {
    const page = (await t.http().get('/api/recipes?limit=2').expect(200)).body;
    const [first, second] = page.items as Array<{ id: string; name: string }>;
    await t
      .http()
      .patch(`/api/recipes/${first.id}`)
      .set('x-api-key', ADMIN_KEY)
      .send({ name: `${first.name} (edited)` })
      .expect(200);
    await t.http().delete(`/api/recipes/${second.id}`).set('x-api-key', ADMIN_KEY).expect(204);
    const search = await t.http().get('/api/search').query({ q: 'lentils' }).expect(200);
    expect(search.body.items.length).toBeGreaterThan(0);
  });

  it('reports memory as what is not up in health, with the figures', async () => {
    const health = await t.http().get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.failing).toEqual(['memory']);
    expect(health.body.memory).toMatchObject({ state: 'degraded', pressure: 'process', highWaterPercent: 100, limitMiB: 16 });
    expect(health.body.memory.rssMiB).toBeGreaterThan(16);
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^recipes_memory_high_water_exceeded 1$/m);
  });
});
