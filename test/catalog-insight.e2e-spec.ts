import { CatalogInsightService } from '../src/catalog-insight/catalog-insight.service';
import { eventually } from './support/eventually';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

interface FamilySummary {
  id: number;
  label: { zh: string; en: string };
  size: number;
  spread: number;
  defining: Array<{ id: string; zh: string; en: string; familyShare: number; catalogShare: number }>;
  representatives: Array<{ id: string; name: string; source: string; similarity: number }>;
}

const HAN = /\p{Script=Han}/u;
const LATIN = /[a-z]/i;

describe('Catalog insight: families, duplicates, anomalies, stats (seeded catalog)', () => {
  let t: TestApp;
  let families: FamilySummary[];
  let catalogSize: number;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    const res = await t.http().get('/api/families').expect(200);
    families = res.body.families;
    catalogSize = (await t.http().get('/api/recipes?limit=1').expect(200)).body.total;
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('groups the whole catalog into families labelled in Chinese and in English', () => {
    expect(families.length).toBeGreaterThanOrEqual(10);
    expect(families.reduce((n, f) => n + f.size, 0)).toBeGreaterThan(catalogSize * 0.95);
    for (const f of families) {
      expect(f.label.zh).toMatch(HAN);
      expect(f.label.en).toMatch(LATIN);
      expect(f.label.en).not.toMatch(HAN);
      expect(f.representatives.length).toBeGreaterThan(0);
    }
  });

  it("lists a family's members most representative first, and they really share its defining concept", async () => {
    // The largest family whose top defining concept is an ingredient some member lists.
    for (const family of [...families].sort((a, b) => b.size - a.size)) {
      const res = await t.http().get(`/api/families/${family.id}?limit=20`).expect(200);
      const members: Array<{ id: string; similarity: number }> = res.body.members.items;
      expect(res.body.members.total).toBe(family.size);
      const sims = members.map((m) => m.similarity);
      expect([...sims].sort((a, b) => b - a)).toEqual(sims);
      const recipes = [];
      for (const m of members) recipes.push((await t.http().get(`/api/recipes/${m.id}`).expect(200)).body);
      for (const r of recipes) expect(r.family).toEqual({ id: family.id, label: family.label });
      const concept = family.defining[0].id;
      const listing = recipes.filter((r) => r.ingredients.some((i: { concept?: string }) => i.concept === concept));
      if (listing.length === 0) continue;
      expect(listing.length / recipes.length).toBeGreaterThanOrEqual(0.5);
      // The catalog at large has it far less often than this family does.
      expect(family.defining[0].familyShare).toBeGreaterThan(2 * family.defining[0].catalogShare);
      return;
    }
    throw new Error('no family is defined by an ingredient its members list');
  });

  it('answers an unknown family with 404 FAMILY_NOT_FOUND', async () => {
    for (const id of ['9999', 'abc']) {
      const res = await t.http().get(`/api/families/${id}`).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'FAMILY_NOT_FOUND' });
    }
  });

  it('adds the family to a recipe response without changing its other fields', async () => {
    const listed = (await t.http().get('/api/recipes?limit=1&name=宫保鸡丁').expect(200)).body.items[0];
    const one = (await t.http().get(`/api/recipes/${listed.id}`).expect(200)).body;
    const { family, ...rest } = one;
    expect(rest).toEqual(listed);
    expect(family.label.zh).toMatch(HAN);
  });

  it('keeps the admin routes behind the admin key', async () => {
    for (const path of ['/api/admin/duplicates', '/api/admin/anomalies', '/api/admin/catalog/stats']) {
      const res = await t.http().get(path).expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    }
  });

  it('proposes the same dish from HowToCook and YunYouJun as a duplicate, keeping the fuller record', async () => {
    const res = await t.http().get('/api/admin/duplicates?crossSource=true&limit=100').set('x-api-key', ADMIN_KEY).expect(200);
    const pair = res.body.items.find(
      (p: { keep: { name: string }; drop: { name: string } }) => p.keep.name === '宫保鸡丁' && p.drop.name === '宫保鸡丁',
    );
    expect(pair).toBeDefined();
    expect(pair.keep.source).toBe('howtocook');
    expect(pair.drop.source).toBe('yunyoujun-cook');
    expect(pair.score).toBeGreaterThanOrEqual(res.body.threshold);
    expect(pair.reason).toMatch(/more/);
  });

  it('suggests one record to keep per duplicate group: none is kept in one pair and dropped in another', async () => {
    type Ref = { id: string };
    const items: Array<{ records: Ref[]; keep: Ref; drop: Ref }> = [];
    let page = { total: 1, groups: 0 };
    for (let offset = 0; offset < page.total; offset += 100) {
      const res = await t.http().get(`/api/admin/duplicates?limit=100&offset=${offset}`).set('x-api-key', ADMIN_KEY).expect(200);
      items.push(...res.body.items);
      page = res.body;
    }
    const groups = page.groups;
    expect(items.length).toBeGreaterThan(0);
    const kept = new Set(items.map((p) => p.keep.id));
    const dropped = new Set(items.map((p) => p.drop.id));
    expect([...kept].filter((id) => dropped.has(id))).toEqual([]);
    expect(kept.size).toBe(groups);
    for (const p of items) {
      expect(p.records.map((r) => r.id)).toContain(p.drop.id);
      expect(p.drop.id).not.toBe(p.keep.id);
    }
  });

  it('refuses an unknown anomaly code with the field named', async () => {
    const res = await t.http().get('/api/admin/anomalies?code=NOPE').set('x-api-key', ADMIN_KEY).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.details)).toContain('code');
  });

  it('flags a recipe that says vegetarian and lists pork, once it is added', async () => {
    const created = await t
      .http()
      .post('/api/recipes')
      .set('x-api-key', ADMIN_KEY)
      .send({
        name: 'Vegetarian braised pork with potatoes',
        source: 'e2e',
        sourceId: 'veg-pork-1',
        language: 'en',
        tags: ['vegetarian'],
        ingredients: [{ name: 'pork belly' }, { name: 'potato' }, { name: 'soy sauce' }, { name: 'ginger' }],
      })
      .expect(201);
    const id: string = created.body.id;
    await t.app.get(CatalogInsightService).settled();
    const res = await eventually(
      () => t.http().get('/api/admin/anomalies?code=DIET_CONTRADICTION&limit=100').set('x-api-key', ADMIN_KEY),
      (r) => r.body.items.some((i: { id: string }) => i.id === id),
    );
    const item = res.body.items.find((i: { id: string }) => i.id === id);
    const finding = item.anomalies.find((a: { code: string }) => a.code === 'DIET_CONTRADICTION');
    expect(finding.message).toMatch(/vegetarian.*pork/i);
    expect(finding.score).toBeGreaterThan(0.5);
    // A recipe added after the families were computed still names its family.
    expect((await t.http().get(`/api/recipes/${id}`).expect(200)).body.family).toEqual(expect.objectContaining({ id: expect.any(Number) }));
  });

  it('reports the catalog and per-family spread, the families explaining part of the variety', async () => {
    const res = await t.http().get('/api/admin/catalog/stats').set('x-api-key', ADMIN_KEY).expect(200);
    const stats = res.body;
    expect(stats.recipes).toBeGreaterThanOrEqual(catalogSize);
    expect(stats.families.length).toBe(families.length);
    expect(stats.withinFamilySpread).toBeLessThan(stats.catalogSpread);
    expect(stats.familySeparation).toBeGreaterThan(0);
    expect(Object.keys(stats.sources)).toEqual(expect.arrayContaining(['howtocook', 'yunyoujun-cook', 'indian-food-101']));
  });

  it('computes the families afresh for a retrained model', async () => {
    const before = (await t.http().get('/api/families').expect(200)).body;
    const retrain = await t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY).expect(200);
    expect(retrain.body.previous).not.toBe(retrain.body.current);
    const after = await eventually(
      async () => (await t.http().get('/api/families').expect(200)).body,
      (body) => body.modelId !== before.modelId,
      // The families are recomputed in the background; in a full CI run on two cores this took
      // over 20 s once (1.7–2.2 s alone).
      50_000,
    );
    expect(after.computedAt > before.computedAt).toBe(true);
    expect(after.families.length).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
