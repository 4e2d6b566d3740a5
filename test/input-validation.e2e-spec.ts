import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

const recipe = (overrides: Record<string, unknown> = {}) => ({
  name: '番茄炒蛋',
  source: 'validation-kitchen',
  sourceId: 'tomato-egg',
  ingredients: [{ name: '番茄' }, { name: '鸡蛋' }],
  ...overrides,
});

function nested(levels: number, leaf: unknown = 'x'): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** Invalid input the validators used to let through: each is now a 400 naming the field, or a failed bulk record. */
describe('Input validation over HTTP', () => {
  let t: TestApp;
  let recipeId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const created = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe()).expect(201);
    recipeId = created.body.id;
    await t.app.get(OutboxWorker).drain();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  function expectFieldError(res: { status: number; body: Record<string, unknown> }, field: string): void {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) });
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }

  describe('arrays of objects hold objects', () => {
    it('refuses an ingredient list nested in another array', async () => {
      const res = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ sourceId: 'nested', ingredients: [{ name: '盐' }, [[{ name: '鸡蛋' }]]] }));
      expectFieldError(res, 'ingredients');
      expect(res.body.details).toEqual([{ field: 'ingredients', problems: ['ingredients.1 must be an object, not an array'] }]);
    });

    it('fails only the bad record of a bulk upsert and stores the others', async () => {
      const res = await t
        .http()
        .post('/api/recipes/bulk')
        .set('x-api-key', ADMIN_KEY)
        .send({
          recipes: [
            recipe({ sourceId: 'bulk-good-1' }),
            recipe({ sourceId: 'bulk-bad', ingredients: [[{ name: '鸡蛋' }]] }),
            recipe({ sourceId: 'bulk-bad-string', ingredients: ['鸡蛋'] }),
            recipe({ sourceId: 'bulk-good-2' }),
          ],
        })
        .expect(200);
      expect(res.body).toMatchObject({ created: 2, updated: 0 });
      expect(res.body.failed).toEqual([
        { index: 1, errors: [{ field: 'ingredients', problems: ['ingredients.0 must be an object, not an array'] }] },
        { index: 2, errors: [{ field: 'ingredients', problems: ['ingredients.0 must be an object, not a string'] }] },
      ]);
      const stored = await t.http().get('/api/recipes?source=validation-kitchen&limit=100').expect(200);
      expect(stored.body.items.map((r: { sourceId: string }) => r.sourceId).sort()).toEqual(['bulk-good-1', 'bulk-good-2', 'tomato-egg']);
    });

    it('refuses a patch whose ingredients are not objects', async () => {
      const res = await t
        .http()
        .patch(`/api/recipes/${recipeId}`)
        .set('x-api-key', ADMIN_KEY)
        .send({ ingredients: [['番茄']] });
      expectFieldError(res, 'ingredients');
    });
  });

  describe('nested filters are objects', () => {
    it.each([[[{ diet: 'vegan' }]], ['vegan'], [3], [[]]])('refuses recommendation filters sent as %j', async (filters) => {
      const res = await t
        .http()
        .post('/api/recommendations')
        .send({ liked: [recipeId], filters });
      expectFieldError(res, 'filters');
      expect(res.body.details).toHaveLength(1);
    });

    it('refuses by-ingredients filters sent as an array instead of ignoring them', async () => {
      const res = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['鸡蛋'], filters: [{ diet: 'vegan' }] });
      expectFieldError(res, 'filters');
    });

    it('refuses a number of minutes sent as a string inside a JSON body', async () => {
      const res = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['鸡蛋'], filters: { maxMinutes: '30' } });
      expectFieldError(res, 'filters.maxMinutes');
    });

    it('still applies filters sent as an object', async () => {
      await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['鸡蛋'], filters: { diet: 'vegetarian', maxMinutes: 30 } })
        .expect(200);
    });
  });

  describe('query numbers are plain decimals', () => {
    it.each([
      ['/api/search?q=egg&maxMinutes=0x10', 'maxMinutes'],
      ['/api/search?q=egg&maxMinutes=%2B5', 'maxMinutes'],
      ['/api/search?q=egg&limit=1e1', 'limit'],
      ['/api/search?q=egg&offset=', 'offset'],
      ['/api/search?q=egg&offset=%205', 'offset'],
      ['/api/recipes?limit=0b11', 'limit'],
      ['/api/recipes?limit=5&limit=6', 'limit'],
      ['/api/recipes?offset=99999999999999999999', 'offset'],
      ['/api/users/user-42/recommendations?limit=0o7', 'limit'],
      ['/api/users/user-42/recommendations?diversity=.5', 'diversity'],
      ['/api/users/user-42/recommendations?diversity=Infinity', 'diversity'],
    ])('refuses %s', async (url, field) => {
      expectFieldError(await t.http().get(url), field);
    });

    it('refuses lenient numbers on similar dishes too', async () => {
      expectFieldError(await t.http().get(`/api/recipes/${recipeId}/similar?limit=0x5`), 'limit');
      expectFieldError(await t.http().get(`/api/recipes/${recipeId}/similar?diversity=5e-1`), 'diversity');
    });

    it('reads plain decimals', async () => {
      const res = await t.http().get('/api/recipes?limit=2&offset=0').expect(200);
      expect(res.body).toMatchObject({ limit: 2, offset: 0 });
      await t.http().get(`/api/recipes/${recipeId}/similar?limit=3&diversity=0.5`).expect(200);
    });
  });

  describe('dates are real dates', () => {
    it.each(['2025-W01', '2025-001', '20251120', '2025-02-30', '2025-11-20T24:00:00Z'])(
      'fails a bulk interaction dated %s alone',
      async (at) => {
        const res = await t
          .http()
          .post('/api/interactions/bulk')
          .set('x-api-key', ADMIN_KEY)
          .send({
            interactions: [
              { userId: 'user-1', recipeId, type: 'like', at: '2025-11-20T18:30:00Z' },
              { userId: 'user-2', recipeId, type: 'like', at },
            ],
          })
          .expect(200);
        expect(res.body.created).toBe(1);
        expect(res.body.failed).toEqual([{ index: 1, errors: [{ field: 'at', problems: [expect.stringContaining('real date')] }] }]);
      },
    );
  });

  describe('deep values', () => {
    it('refuses extra nested past its limit, naming the field', async () => {
      const res = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ sourceId: 'deep-extra', extra: nested(20) }));
      expectFieldError(res, 'extra');
    });

    it('keeps extra as deep as the importers write it', async () => {
      await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ sourceId: 'normal-extra', extra: { ingredientDetails: [{ name: 'x', amount: { value: 2 } }] } }))
        .expect(201);
    });

    it('refuses a value nested deeper than any valid input with a 400, not a crash', async () => {
      const res = await t
        .http()
        .post('/api/recommendations')
        .send({ liked: [recipeId], filters: { category: nested(40) } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: expect.any(String), message: expect.any(String) });
    });
  });

  describe('required text is not blank, and defaults are not nulled', () => {
    it.each([
      ['name', { name: '   ' }, 'name'],
      ['source', { source: '\t' }, 'source'],
      ['sourceId', { sourceId: '\u3000' }, 'sourceId'],
      ['ingredients', { ingredients: [{ name: ' ' }, { name: '\n' }] }, 'ingredients.0.name'],
    ])('refuses a recipe whose %s is only spaces, on create, bulk and patch', async (name, overrides, field) => {
      const body = recipe({ sourceId: `blank-${name}`, ...overrides });
      expectFieldError(await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(body), field);
      const bulk = await t
        .http()
        .post('/api/recipes/bulk')
        .set('x-api-key', ADMIN_KEY)
        .send({ recipes: [body] })
        .expect(200);
      expect(bulk.body.failed).toEqual([{ index: 0, errors: expect.arrayContaining([expect.objectContaining({ field })]) }]);
      if (name !== 'source' && name !== 'sourceId') {
        expectFieldError(await t.http().patch(`/api/recipes/${recipeId}`).set('x-api-key', ADMIN_KEY).send(overrides), field);
      }
    });

    it.each([
      ['/api/search/by-ingredients', { ingredients: ['鸡蛋'], limit: null }, 'limit'],
      ['/api/search/by-ingredients', { ingredients: ['鸡蛋'], offset: null }, 'offset'],
      ['/api/search/by-ingredients', { ingredients: ['鸡蛋'], mode: null }, 'mode'],
      ['/api/recommendations', { liked: ['x'], limit: null }, 'limit'],
      ['/api/recommendations', { liked: ['x'], diversity: null }, 'diversity'],
    ])('refuses %s with %j instead of answering an empty page', async (path, body, field) => {
      const filled = { ...body, liked: 'liked' in body ? [recipeId] : undefined };
      expectFieldError(await t.http().post(path).send(filled), field);
    });

    it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'])(
      'refuses a field named %s, in a query, a body and a nested filter, as it refuses any unknown field',
      async (name) => {
        expectFieldError(await t.http().get(`/api/search?q=beef&${name}=1`), name);
        expectFieldError(await t.http().get(`/api/recipes?limit=1&${name}=1`), name);
        const body = `{"ingredients":["鸡蛋"],"${name}":1}`;
        expectFieldError(await t.http().post('/api/search/by-ingredients').set('content-type', 'application/json').send(body), name);
        const nested = `{"ingredients":["鸡蛋"],"filters":{"${name}":"x"}}`;
        const res = await t.http().post('/api/search/by-ingredients').set('content-type', 'application/json').send(nested);
        expectFieldError(res, `filters.${name}`);
      },
    );

    it('lists details on every 400: an undecodable path, a misplaced repair, an unknown session id', async () => {
      expectFieldError(await t.http().get('/api/recipes/%ED%A0%80'), 'request');
      expectFieldError(await t.http().get('/api/admin/index').query({ repair: 'true' }).set('x-api-key', ADMIN_KEY), 'repair');
      expectFieldError(
        await t
          .http()
          .post('/api/recommendations')
          .send({ liked: [recipeId], disliked: ['no-such-id'] }),
        'disliked',
      );
    });

    it.each(['/api/families', '/api/admin/index', '/api/admin/index/job', '/api/admin/catalog/stats'])(
      'refuses an unknown query parameter on %s as on every other route, and answers without one',
      async (path) => {
        expectFieldError(await t.http().get(path).query({ foo: 'bar' }).set('x-api-key', ADMIN_KEY), 'foo');
        await t.http().get(path).set('x-api-key', ADMIN_KEY).expect(200);
      },
    );

    it('refuses paging on the family list, which has none', async () => {
      expectFieldError(await t.http().get('/api/families').query({ limit: '2' }), 'limit');
    });

    it('counts the words of a comma-separated list against its limit of 50, in any form', async () => {
      const words = Array.from({ length: 60 }, () => 'egg').join(',');
      expectFieldError(await t.http().get('/api/search').query({ q: 'beef', exclude: words }), 'exclude');
      expectFieldError(
        await t
          .http()
          .get('/api/search')
          .query({ q: 'beef', exclude: [words] }),
        'exclude',
      );
      const body = { ingredients: ['鸡蛋'], filters: { exclude: words } };
      expectFieldError(await t.http().post('/api/search/by-ingredients').send(body), 'filters.exclude');
      expectFieldError(await t.http().put('/api/users/many-words/preferences').send({ exclude: words }), 'exclude');
      // Fifty still pass.
      await t
        .http()
        .get('/api/search')
        .query({ q: 'beef', exclude: words.split(',').slice(0, 50).join(',') })
        .expect(200);
    });
  });
});
