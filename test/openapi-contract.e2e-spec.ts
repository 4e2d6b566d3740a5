import type { OpenAPIObject } from '@nestjs/swagger';
import type { Response } from 'supertest';
import { buildOpenApiDocument } from '../src/app.setup';
import { FoodConceptTrainer } from '../src/embedding/food-concepts/food-concept.trainer';
import { eventually } from './support/eventually';
import { ResponseSchemas } from './support/response-schema';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * What a generated client would be typed from: every route's response, sent by the real app on
 * the seeded catalog, must be what the OpenAPI document says it is, field for field (objects are
 * closed: an undeclared field fails), errors included.
 */
describe('The OpenAPI document describes what every route sends', () => {
  let t: TestApp;
  let schemas: ResponseSchemas;
  const exercised = new Set<string>();
  const ids: { chicken: string; created?: string } = { chicken: '' };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    schemas = new ResponseSchemas(buildOpenApiDocument(t.app) as OpenAPIObject);
    ids.chicken = (await t.http().get('/api/search?q=宫保鸡丁&limit=1').expect(200)).body.items[0].recipe.id;
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  /** Asserts the response conforms to the document for its route template and status. */
  function conforms(operation: string, res: Response, status: number): Response {
    expect({ operation, status: res.status }).toEqual({ operation, status });
    expect(schemas.problems(operation, res.status, res.body)).toEqual([]);
    exercised.add(operation);
    return res;
  }
  const admin = <T extends { set(header: string, value: string): T }>(req: T): T => req.set('x-api-key', ADMIN_KEY);

  it('search, with its parsed query, and its errors', async () => {
    for (const q of ['chicken without peanuts', '不要香菜的牛肉汤', 'quick vegetarian curry under 30 minutes', '宫保鸡丁']) {
      conforms('GET /api/search', await t.http().get(`/api/search?q=${encodeURIComponent(q)}&limit=5`), 200);
    }
    conforms('GET /api/search', await t.http().get('/api/search?q=chicken&limit=abc'), 400);
  });

  it('similar dishes (same dish from another source first) and by-ingredients in both modes', async () => {
    const similar = conforms('GET /api/recipes/{id}/similar', await t.http().get(`/api/recipes/${ids.chicken}/similar?limit=10`), 200);
    expect(similar.body.items.length).toBeGreaterThan(0);
    conforms('GET /api/recipes/{id}/similar', await t.http().get('/api/recipes/nope/similar'), 404);
    for (const mode of ['similar', 'pantry']) {
      const body = { ingredients: ['egg', '番茄', 'xyzzy'], mode, limit: 5, filters: { diet: 'vegetarian' } };
      conforms('POST /api/search/by-ingredients', await t.http().post('/api/search/by-ingredients').send(body), 200);
    }
    conforms(
      'POST /api/search/by-ingredients',
      await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['xyzzy'] }),
      400,
    );
  });

  it('session and user recommendations, cold and warm, and stored preferences', async () => {
    conforms(
      'POST /api/recommendations',
      await t
        .http()
        .post('/api/recommendations')
        .send({ liked: [ids.chicken], limit: 5 }),
      200,
    );
    conforms(
      'POST /api/recommendations',
      await t
        .http()
        .post('/api/recommendations')
        .send({ liked: ['nope'] }),
      400,
    );
    const user = 'contract-user';
    conforms('GET /api/users/{userId}/recommendations', await t.http().get(`/api/users/${user}/recommendations?limit=5`), 200);
    conforms(
      'PUT /api/users/{userId}/preferences',
      await t.http().put(`/api/users/${user}/preferences`).send({ allergies: 'peanut', likedCuisines: 'sichuan' }),
      200,
    );
    conforms('GET /api/users/{userId}/preferences', await t.http().get(`/api/users/${user}/preferences`), 200);
    conforms(
      'POST /api/users/{userId}/interactions',
      await t.http().post(`/api/users/${user}/interactions`).send({ recipeId: ids.chicken, type: 'rating', value: 4 }),
      201,
    );
    const bulk = {
      interactions: [
        { userId: user, recipeId: ids.chicken, type: 'cooked' },
        { userId: user, recipeId: 'nope', type: 'like' },
      ],
    };
    conforms('POST /api/interactions/bulk', await admin(t.http().post('/api/interactions/bulk')).send(bulk), 200);
    const warm = conforms('GET /api/users/{userId}/recommendations', await t.http().get(`/api/users/${user}/recommendations?limit=5`), 200);
    expect(warm.body.coldStart).toBe(false);
  });

  it('the catalog routes: list, read, create, replace, change, bulk, and their errors', async () => {
    conforms('GET /api/recipes', await t.http().get('/api/recipes?limit=3'), 200);
    conforms('GET /api/recipes/{id}', await t.http().get(`/api/recipes/${ids.chicken}`), 200);
    conforms('GET /api/recipes/{id}', await t.http().get('/api/recipes/nope'), 404);
    const input = {
      name: 'Contract stew',
      source: 'contract',
      sourceId: 'c-1',
      ingredients: [{ name: 'lamb', quantity: '300 g' }, { name: 'xyzzy' }],
    };
    const created = conforms('POST /api/recipes', await admin(t.http().post('/api/recipes')).send(input), 201);
    ids.created = created.body.id;
    conforms('POST /api/recipes', await t.http().post('/api/recipes').send(input), 401);
    conforms('POST /api/recipes', await admin(t.http().post('/api/recipes')).send({ ...input, ingredients: [] }), 400);
    conforms('PUT /api/recipes/{id}', await admin(t.http().put(`/api/recipes/${ids.created}`)).send({ ...input, totalMinutes: 90 }), 200);
    conforms('PATCH /api/recipes/{id}', await admin(t.http().patch(`/api/recipes/${ids.created}`)).send({ cuisine: 'greek' }), 200);
    conforms('PATCH /api/recipes/{id}', await admin(t.http().patch('/api/recipes/nope')).send({ cuisine: 'greek' }), 404);
    const bulk = {
      recipes: [
        { ...input, sourceId: 'c-2' },
        { name: 'no ingredients', source: 'contract', sourceId: 'c-3' },
      ],
    };
    conforms('POST /api/recipes/bulk', await admin(t.http().post('/api/recipes/bulk')).send(bulk), 200);
    await admin(t.http().delete(`/api/recipes/${ids.created}`)).expect(204);
  });

  it('the errors every route can meet: bad parameters and bodies, a taken source id, a body too large or not JSON', async () => {
    const input = { name: 'Contract soup', source: 'contract', sourceId: 'c-errors', ingredients: [{ name: 'leek' }] };
    const created = conforms('POST /api/recipes', await admin(t.http().post('/api/recipes')).send(input), 201);
    conforms('POST /api/recipes', await admin(t.http().post('/api/recipes')).send(input), 409);
    const other = { ...input, sourceId: 'c-errors-2' };
    const second = conforms('POST /api/recipes', await admin(t.http().post('/api/recipes')).send(other), 201);
    conforms('PUT /api/recipes/{id}', await admin(t.http().put(`/api/recipes/${second.body.id}`)).send(input), 409);
    conforms('PUT /api/recipes/{id}', await admin(t.http().put(`/api/recipes/${second.body.id}`)).send({ name: ' ' }), 400);
    conforms('PATCH /api/recipes/{id}', await admin(t.http().patch(`/api/recipes/${second.body.id}`)).send({ name: ' ' }), 400);
    conforms('PATCH /api/recipes/{id}', await admin(t.http().patch(`/api/recipes/${second.body.id}`)).send({ sourceId: 'c-errors' }), 409);
    conforms('POST /api/recipes/bulk', await admin(t.http().post('/api/recipes/bulk')).send({ recipes: 'none' }), 400);
    conforms('GET /api/recipes/{id}/similar', await t.http().get(`/api/recipes/${ids.chicken}/similar?limit=0`), 400);
    conforms('POST /api/interactions/bulk', await admin(t.http().post('/api/interactions/bulk')).send({ interactions: 3 }), 400);
    conforms('GET /api/admin/index', await admin(t.http().get('/api/admin/index?repair=true')), 400);
    const text = await t.http().post('/api/search/by-ingredients').set('content-type', 'text/plain').send('鸡蛋');
    conforms('POST /api/search/by-ingredients', text, 415);
    const huge = await t
      .http()
      .post('/api/search/by-ingredients')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ ingredients: ['鸡蛋'], pad: 'x'.repeat(6 * 1024 * 1024) }));
    conforms('POST /api/search/by-ingredients', huge, 413);
    for (const id of [created.body.id, second.body.id]) await admin(t.http().delete(`/api/recipes/${id}`)).expect(204);
  });

  it('the catalog insight routes', async () => {
    const families = conforms('GET /api/families', await t.http().get('/api/families'), 200);
    const family = conforms('GET /api/families/{id}', await t.http().get(`/api/families/${families.body.families[0].id}?limit=3`), 200);
    // A recipe read once families exist carries its family, not null.
    const member = conforms('GET /api/recipes/{id}', await t.http().get(`/api/recipes/${family.body.members.items[0].id}`), 200);
    expect(member.body.family).toMatchObject({ id: families.body.families[0].id });
    conforms('GET /api/families/{id}', await t.http().get('/api/families/99999'), 404);
    conforms('GET /api/admin/duplicates', await admin(t.http().get('/api/admin/duplicates?limit=5')), 200);
    conforms('GET /api/admin/anomalies', await admin(t.http().get('/api/admin/anomalies?limit=5')), 200);
    conforms('GET /api/admin/catalog/stats', await admin(t.http().get('/api/admin/catalog/stats')), 200);
    conforms('GET /api/admin/lexicon/unresolved', await admin(t.http().get('/api/admin/lexicon/unresolved?limit=5')), 200);
  });

  it('health and the index administration, with a retrain running', async () => {
    conforms('GET /api/health/live', await t.http().get('/api/health/live'), 200);
    conforms('GET /api/health', await t.http().get('/api/health'), 200);
    conforms('GET /api/admin/index', await admin(t.http().get('/api/admin/index')), 200);
    conforms('POST /api/admin/index/repair', await admin(t.http().post('/api/admin/index/repair')), 200);
    const idle = conforms('GET /api/admin/index/job', await admin(t.http().get('/api/admin/index/job')), 200);
    expect(idle.body).toEqual({ job: null });
    // Training held until the running job has been seen, so the job route has something to show.
    let held = true;
    const trainer = FoodConceptTrainer.prototype as unknown as { trainSteps: (...args: unknown[]) => Generator<void> };
    const original = trainer.trainSteps;
    jest.spyOn(trainer, 'trainSteps').mockImplementation(function* (this: unknown, ...args: unknown[]) {
      while (held) yield;
      return yield* original.apply(this, args);
    });
    try {
      const retrain = admin(t.http().post('/api/admin/index/retrain')).then((res) => res);
      const running = await eventually(
        async () => (await admin(t.http().get('/api/admin/index/job'))).body,
        (body) => body.job !== null,
      );
      expect(running.job).toMatchObject({ kind: 'retrain', phase: 'training' });
      conforms('GET /api/admin/index/job', await admin(t.http().get('/api/admin/index/job')), 200);
      conforms('POST /api/admin/index/retrain', await admin(t.http().post('/api/admin/index/retrain')), 409);
      held = false;
      conforms('POST /api/admin/index/retrain', await retrain, 200);
    } finally {
      held = false;
      jest.restoreAllMocks();
    }
  }, 60_000);

  it('leaves no documented route untried (add a case when adding a route)', () => {
    expect(schemas.operationsWithBodies().filter((operation) => !exercised.has(operation))).toEqual([]);
  });
});
