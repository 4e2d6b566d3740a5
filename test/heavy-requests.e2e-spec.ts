import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * The largest requests the API accepts: they must still answer correctly (the service works
 * through them in slices and bounds their work; benchmarks measure how long that takes), and
 * one past the documented maximum is refused.
 */
jest.setTimeout(180_000);

describe('Requests at the documented maxima', () => {
  let t: TestApp;
  let ids: string[];
  const names = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'howtocook' } });
    ids = [];
    for (let offset = 0; ids.length < 250; offset += 100) {
      const page = await t.http().get('/api/recipes').query({ source: 'howtocook', limit: 100, offset }).expect(200);
      if (page.body.items.length === 0) break;
      for (const r of page.body.items as Array<{ id: string; name: string }>) {
        ids.push(r.id);
        names.set(r.id, r.name);
      }
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /api/recipes/bulk', () => {
    const bulk = (body: unknown) =>
      t
        .http()
        .post('/api/recipes/bulk')
        .set('x-api-key', ADMIN_KEY)
        .send(body as object);
    const big = (round: number) =>
      Array.from({ length: 1000 }, (_, r) => ({
        name: `批量菜 ${r}`,
        source: 'bulk-max',
        sourceId: `r${r}`,
        // Distinct names (the normaliser merges repeated ones); each round names them differently.
        ingredients: Array.from({ length: 100 }, (_, k) => ({
          name: `${['鸡蛋', '番茄', 'tofu', 'beef', '大蒜'][(r + k + round) % 5]} ${k}`,
          quantity: `${k} g`,
        })),
      }));

    it('stores all 1,000 records of a maximum-size bulk, and updates all of them the next time', async () => {
      const created = await bulk({ recipes: big(0) }).expect(200);
      expect(created.body).toEqual({ created: 1000, updated: 0, unchanged: 0, failed: [] });
      const list = await t.http().get('/api/recipes').query({ source: 'bulk-max', limit: 1 }).expect(200);
      expect(list.body.total).toBe(1000);
      const one = await t.http().get('/api/recipes').query({ source: 'bulk-max', sourceId: 'r999' }).expect(200);
      expect(one.body.items[0].ingredients).toHaveLength(100);

      const updated = await bulk({ recipes: big(1) }).expect(200);
      expect(updated.body).toEqual({ created: 0, updated: 1000, unchanged: 0, failed: [] });
      const again = await t.http().get('/api/recipes').query({ source: 'bulk-max', sourceId: 'r999' }).expect(200);
      expect(again.body.items[0].ingredients).toHaveLength(100);
      expect(again.body.items[0].ingredients[0].name).toBe(`${['鸡蛋', '番茄', 'tofu', 'beef', '大蒜'][(999 + 0 + 1) % 5]} 0`);
    });

    it('still checks the envelope: unknown fields, a missing or empty list, and more than 1,000 records are refused whole', async () => {
      const one = [{ name: 'x', source: 'bulk-env', sourceId: 'x', ingredients: [{ name: 'egg' }] }];
      const extra = await bulk({ recipes: one, dryRun: true }).expect(400);
      expect(extra.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(extra.body.details.map((d: { field: string }) => d.field)).toContain('dryRun');
      expect((await bulk({}).expect(400)).body.details[0].field).toBe('recipes');
      expect((await bulk({ recipes: [] }).expect(400)).body.details[0].field).toBe('recipes');
      expect((await bulk({ recipes: 'all of them' }).expect(400)).body.details[0].field).toBe('recipes');
      expect((await bulk({ recipes: Array.from({ length: 1001 }, () => one[0]) }).expect(400)).body.details[0].field).toBe('recipes');
      const none = await t.http().get('/api/recipes').query({ source: 'bulk-env' }).expect(200);
      expect(none.body.total).toBe(0);
    });

    it('checks each record as a single create would: unknown fields and bad nested values fail that record alone', async () => {
      const res = await bulk({
        recipes: [
          { name: 'ok', source: 'bulk-rec', sourceId: 'ok', ingredients: [{ name: 'egg' }] },
          { name: 'extra', source: 'bulk-rec', sourceId: 'extra', ingredients: [{ name: 'egg' }], secret: 1 },
          { name: 'nested', source: 'bulk-rec', sourceId: 'nested', ingredients: [{ name: '' }] },
          'not a recipe',
        ],
      }).expect(200);
      expect(res.body.created).toBe(1);
      expect(res.body.failed.map((f: { index: number }) => f.index)).toEqual([1, 2, 3]);
      expect(res.body.failed[0].errors[0].field).toBe('secret');
      expect(res.body.failed[1].errors[0].field).toBe('ingredients.0.name');
    });
  });

  describe('POST /api/recommendations', () => {
    it('answers a session with 100 liked and 100 disliked recipes, never returning one of them', async () => {
      const liked = ids.slice(0, 100);
      const disliked = ids.slice(100, 200);
      const res = await t.http().post('/api/recommendations').send({ liked, disliked, limit: 20 }).expect(200);
      expect(res.body.coldStart).toBe(false);
      expect(res.body.items).toHaveLength(20);
      const inputs = new Set([...liked, ...disliked]);
      const likedNames = new Set(liked.map((id) => names.get(id)));
      for (const hit of res.body.items as Array<{ recipe: { id: string }; why: { becauseYouLiked: string[] } }>) {
        expect(inputs.has(hit.recipe.id)).toBe(false);
        expect(hit.why.becauseYouLiked.length).toBeGreaterThan(0);
        for (const name of hit.why.becauseYouLiked) expect(likedNames.has(name)).toBe(true);
      }
      const scores = res.body.items.map((h: { score: number }) => h.score);
      expect(Math.max(...scores)).toBe(scores[0]);
    });

    it('refuses more than 100 liked or 100 disliked recipes with a 400 naming the field', async () => {
      const tooMany = await t
        .http()
        .post('/api/recommendations')
        .send({ liked: ids.slice(0, 101) })
        .expect(400);
      expect(tooMany.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(tooMany.body.details[0].field).toBe('liked');
      const tooManyDisliked = await t
        .http()
        .post('/api/recommendations')
        .send({ liked: ids.slice(0, 1), disliked: ids.slice(1, 102) })
        .expect(400);
      expect(tooManyDisliked.body.details[0].field).toBe('disliked');
    });
  });
});
