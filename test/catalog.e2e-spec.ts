import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeedService } from '../src/recipes/seed.service';
import { createTestApp, ADMIN_KEY, TestApp } from './support/test-app';

const recipe = (overrides: Record<string, unknown> = {}) => ({
  name: '番茄炒蛋',
  source: 'test-kitchen',
  sourceId: 'tomato-egg',
  ingredients: [{ name: '番茄', quantity: '2 个' }, { name: '鸡蛋', quantity: '3 个' }, { name: '盐' }],
  steps: ['番茄切块', '鸡蛋打散炒熟', '一起翻炒'],
  ...overrides,
});

describe('Catalog API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('admin key', () => {
    it('refuses writes without a key with 401 and a clear body', async () => {
      const res = await t.http().post('/api/recipes').send(recipe()).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      expect(res.body.message).toMatch(/x-api-key/);
    });

    it('refuses a wrong key with 403', async () => {
      const res = await t.http().post('/api/recipes').set('x-api-key', 'wrong-key').send(recipe()).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('keeps reads public', async () => {
      await t.http().get('/api/recipes').expect(200);
    });
  });

  describe('create, read, replace, patch, delete', () => {
    let id: string;

    it('creates a recipe and tags its ingredients with concepts', async () => {
      const res = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe()).expect(201);
      id = res.body.id;
      expect(typeof id).toBe('string');
      expect(res.body).toMatchObject({ name: '番茄炒蛋', source: 'test-kitchen', sourceId: 'tomato-egg', language: 'zh' });
      expect(res.body.ingredients).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: '番茄', quantity: '2 个', concept: 'tomato' })]),
      );
      expect(res.body.diets).toContain('vegetarian');
      expect(res.body.allergens).toContain('egg');
    });

    it('reads it back by id and finds it by filters', async () => {
      const got = await t.http().get(`/api/recipes/${id}`).expect(200);
      expect(got.body.steps).toHaveLength(3);
      const list = await t.http().get('/api/recipes').query({ source: 'test-kitchen', name: '炒蛋' }).expect(200);
      expect(list.body).toMatchObject({ total: 1, limit: 10, offset: 0 });
      expect(list.body.items[0].id).toBe(id);
    });

    it('answers 409 when another recipe already has that source and sourceId', async () => {
      const res = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe()).expect(409);
      expect(res.body).toMatchObject({ code: 'RECIPE_CONFLICT', details: { id } });
    });

    it('replaces with PUT and changes fields with PATCH', async () => {
      await t
        .http()
        .put(`/api/recipes/${id}`)
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ name: '西红柿炒鸡蛋', difficulty: 1 }))
        .expect(200);
      const patched = await t.http().patch(`/api/recipes/${id}`).set('x-api-key', ADMIN_KEY).send({ totalMinutes: 15 }).expect(200);
      expect(patched.body).toMatchObject({ name: '西红柿炒鸡蛋', difficulty: 1, totalMinutes: 15 });
    });

    it('rejects a PATCH that would make the recipe invalid, leaving it as it was', async () => {
      const res = await t.http().patch(`/api/recipes/${id}`).set('x-api-key', ADMIN_KEY).send({ difficulty: 9 }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'difficulty' })]));
      const got = await t.http().get(`/api/recipes/${id}`).expect(200);
      expect(got.body.difficulty).toBe(1);
    });

    it('deletes it; afterwards it is a 404', async () => {
      await t.http().delete(`/api/recipes/${id}`).set('x-api-key', ADMIN_KEY).expect(204);
      const res = await t.http().get(`/api/recipes/${id}`).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'RECIPE_NOT_FOUND' });
      await t.http().delete(`/api/recipes/${id}`).set('x-api-key', ADMIN_KEY).expect(404);
    });

    it('detects a detected language again when a PATCH renames the recipe, and keeps one the client sent', async () => {
      const english = { name: 'Tomato and egg stir-fry', ingredients: [{ name: 'tomato' }, { name: 'egg' }] };

      const detected = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ source: 'language-test', sourceId: 'detected' }))
        .expect(201);
      expect(detected.body.language).toBe('zh');
      const patched = await t.http().patch(`/api/recipes/${detected.body.id}`).set('x-api-key', ADMIN_KEY).send(english).expect(200);
      expect(patched.body.language).toBe('en');
      const replaced = await t
        .http()
        .put(`/api/recipes/${detected.body.id}`)
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ source: 'language-test', sourceId: 'detected', ...english }))
        .expect(200);
      expect(replaced.body.language).toBe('en');

      // "it" is not what the name would give: the client said so, and a PATCH without a language keeps it.
      const sent = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ source: 'language-test', sourceId: 'sent', name: 'Uova al pomodoro', language: 'it' }))
        .expect(201);
      const renamed = await t
        .http()
        .patch(`/api/recipes/${sent.body.id}`)
        .set('x-api-key', ADMIN_KEY)
        .send({ name: '番茄炒蛋' })
        .expect(200);
      expect(renamed.body.language).toBe('it');
      const relabelled = await t
        .http()
        .patch(`/api/recipes/${sent.body.id}`)
        .set('x-api-key', ADMIN_KEY)
        .send({ language: 'zh' })
        .expect(200);
      expect(relabelled.body.language).toBe('zh');
    });
  });

  describe('validation', () => {
    it('names every bad field of a recipe in the 400 body', async () => {
      const res = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send({ name: '', source: 'x', ingredients: [{ quantity: '1' }], difficulty: 'hard' })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'sourceId', 'ingredients.0.name', 'difficulty']));
    });

    it('requires at least one ingredient', async () => {
      const res = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ sourceId: 'empty', ingredients: [] }))
        .expect(400);
      expect(res.body.details[0].field).toBe('ingredients');
    });

    it('rejects unknown fields rather than dropping them silently', async () => {
      const res = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send(recipe({ sourceId: 'extra-field', colour: 'red' }))
        .expect(400);
      expect(res.body.details[0].field).toBe('colour');
    });

    it('answers 400 for out-of-range or non-numeric paging', async () => {
      expect((await t.http().get('/api/recipes?limit=101').expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await t.http().get('/api/recipes?offset=-1').expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await t.http().get('/api/recipes?limit=ten').expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('answers 400 INVALID_JSON for a malformed body', async () => {
      const res = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .set('content-type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(res.body.code).toBe('INVALID_JSON');
    });

    it('answers 413 for a body over the limit', async () => {
      const huge = JSON.stringify(recipe({ description: 'x'.repeat(6 * 1024 * 1024) }));
      const res = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .set('content-type', 'application/json')
        .send(huge)
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('answers an unknown route with the same error shape', async () => {
      const res = await t.http().get('/api/nothing-here').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });
  });

  describe('bulk upsert', () => {
    const batch = () => [
      recipe({ sourceId: 'b1', name: '麻婆豆腐', ingredients: [{ name: '豆腐' }, { name: '牛肉末' }, { name: '豆瓣酱' }] }),
      { name: 'no source id', source: 'test-kitchen', ingredients: [{ name: 'salt' }] },
      recipe({ sourceId: 'b2', name: 'Aloo gobi', ingredients: [{ name: 'potato' }, { name: 'cauliflower' }] }),
      recipe({ sourceId: 'b3', name: '清炒时蔬', ingredients: [{ name: '青菜' }] }),
    ];

    it('lands the good records and reports the bad one by index', async () => {
      const res = await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes: batch() }).expect(200);
      expect(res.body).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
      expect(res.body.failed).toEqual([{ index: 1, errors: [expect.objectContaining({ field: 'sourceId' })] }]);
      const list = await t.http().get('/api/recipes').query({ source: 'test-kitchen', limit: 100 }).expect(200);
      expect(list.body.items.map((r: { sourceId: string }) => r.sourceId).sort()).toEqual(['b1', 'b2', 'b3']);
    });

    it('is idempotent: the same batch again changes nothing', async () => {
      const res = await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes: batch() }).expect(200);
      expect(res.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    });

    it('updates by (source, sourceId) keeping the id', async () => {
      const before = await t.http().get('/api/recipes').query({ source: 'test-kitchen', sourceId: 'b2' }).expect(200);
      const changed = batch();
      (changed[2] as Record<string, unknown>).totalMinutes = 40;
      const res = await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes: changed }).expect(200);
      expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
      const after = await t.http().get('/api/recipes').query({ source: 'test-kitchen', sourceId: 'b2' }).expect(200);
      expect(after.body.items[0]).toMatchObject({ id: before.body.items[0].id, totalMinutes: 40 });
    });

    it('refuses more than 1000 records in one call', async () => {
      const many = Array.from({ length: 1001 }, (_, i) => recipe({ sourceId: `m${i}` }));
      const res = await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes: many }).expect(400);
      expect(res.body.details[0].field).toBe('recipes');
    });
  });

  describe('seeding from a file', () => {
    it('validates records like the API: a bad one is skipped with its reason, the good ones land', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'seed-json-')), 'recipes.json');
      writeFileSync(
        file,
        JSON.stringify([
          { name: 'Too hard', source: 'file-test', sourceId: 'hard', difficulty: 9, ingredients: [{ name: 'egg' }] },
          { name: 'Boiled egg', source: 'file-test', sourceId: 'egg', ingredients: [{ name: 'egg' }, { name: 'water' }] },
        ]),
      );
      const summary = await t.app.get(SeedService).seed({ paths: [file] });
      expect(summary.totals).toMatchObject({ read: 1, created: 1, skipped: 1 });
      expect(summary.sources[0].skipped[0].reason).toMatch(/Too hard.*difficulty/);
      const list = await t.http().get('/api/recipes').query({ source: 'file-test' }).expect(200);
      expect(list.body.items.map((r: { sourceId: string }) => r.sourceId)).toEqual(['egg']);
    });

    it('reports a record the API would refuse by its place in its file', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'seed-origin-'));
      const json = join(folder, 'recipes.json');
      // recipes[0] is no recipe at all, so the refused one is the second record read but recipes[2].
      writeFileSync(
        json,
        JSON.stringify([
          'not a recipe',
          { name: 'Soft egg', source: 'origin-test', sourceId: 'soft', ingredients: [{ name: 'egg' }] },
          { name: 'Too hard', source: 'origin-test', sourceId: 'hard', difficulty: 9, ingredients: [{ name: 'egg' }] },
        ]),
      );
      const csv = join(folder, 'indian_food.csv');
      writeFileSync(
        csv,
        [
          'name,ingredients,diet,prep_time,cook_time,flavor_profile,course,state,region',
          'Short row,rice',
          'Kheer,"rice, milk, sugar",vegetarian,10,40,sweet,dessert,-1,-1',
          'Endless dal,"lentils, water",vegetarian,10,20000,spicy,main course,-1,-1',
        ].join('\n'),
      );
      const summary = await t.app.get(SeedService).seed({ paths: [json, csv], dryRun: true });
      const [fromJson, fromCsv] = summary.sources;
      expect(fromJson.skipped).toEqual([
        expect.objectContaining({ file: json, index: 0 }),
        { file: json, index: 2, reason: expect.stringMatching(/^recipes\[2\]: "Too hard" \(hard\): difficulty/) },
      ]);
      expect(fromCsv.skipped).toEqual([
        expect.objectContaining({ file: csv, line: 2 }),
        { file: csv, line: 4, reason: expect.stringMatching(/^"Endless dal" \(endless-dal\): totalMinutes/) },
      ]);
    });

    it('a dry run with reset reports the deletions and creations the real run then makes', async () => {
      const own = await createTestApp();
      try {
        const seeder = own.app.get(SeedService);
        const file = join(mkdtempSync(join(tmpdir(), 'seed-reset-')), 'recipes.json');
        const eggs = ['boiled', 'fried', 'poached'].map((way) => ({
          name: `${way} egg`,
          source: 'reset-test',
          sourceId: way,
          ingredients: [{ name: 'egg' }],
        }));
        writeFileSync(file, JSON.stringify(eggs));
        await seeder.seed({ paths: [file] });
        await own.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe()).expect(201);

        // The file twice, a record a batch: the second reading finds what the first wrote.
        const options = { paths: [file, file], reset: true, batchSize: 1 };
        const dry = await seeder.seed({ ...options, dryRun: true });
        expect((await own.http().get('/api/recipes').expect(200)).body.total).toBe(4);
        const real = await seeder.seed(options);
        expect(real).toMatchObject({ deleted: 4, totals: { read: 6, created: 3, updated: 0, unchanged: 3 } });
        expect(dry).toEqual({ ...real, dryRun: true });
      } finally {
        await own.close();
      }
    });
  });

  describe('operations', () => {
    it('serves the OpenAPI document with the catalog routes', async () => {
      const res = await t.http().get('/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/recipes', '/api/recipes/{id}', '/api/recipes/bulk']));
    });

    it('lets browser apps call the API from another origin', async () => {
      const preflight = await t
        .http()
        .options('/api/search')
        .set('origin', 'https://app.example.com')
        .set('access-control-request-method', 'GET')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      const res = await t.http().get('/api/health/live').set('origin', 'https://app.example.com').expect(200);
      expect(res.headers['access-control-expose-headers']).toMatch(/x-request-id/);
    });

    it('answers liveness without touching dependencies', async () => {
      expect((await t.http().get('/api/health/live').expect(200)).body).toEqual({ status: 'ok' });
    });

    it('reports each dependency in /api/health', async () => {
      const res = await t.http().get('/api/health').expect(200);
      expect(res.body.database.state).toBe('up');
      expect(res.body.vectorStore.state).toBe('up');
      expect(res.body.index).toHaveProperty('pending');
    });
  });
});
