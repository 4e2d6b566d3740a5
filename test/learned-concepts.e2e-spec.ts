import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * Recipes whose ingredients the lexicon was never written for (a Mexican collection beside the
 * Italian one): after a retrain their recurring names are learned concepts, listed for the
 * admin with sensible lexicon neighbours, and found by search and by-ingredients.
 */
describe('Learned concepts from ingredients beyond the lexicon', () => {
  let t: TestApp;
  const admin = () => ({ 'x-api-key': ADMIN_KEY });

  const MEXICAN_KNOWN = ['avocado', 'cilantro', 'ancho chiles', 'lime', 'onion', 'ground cumin'];
  /** Names the lexicon does not resolve, written the ways catalogs write them. */
  const mexican = Array.from({ length: 6 }, (_, i) => ({
    source: 'taqueria',
    sourceId: `t${i}`,
    name: ['Tamales verdes', 'Pozole verde', 'Enchiladas suizas', 'Sopes', 'Chilaquiles verdes', 'Tlacoyos'][i],
    language: 'en',
    ingredients: [
      { name: ['2 cups masa harina', 'masa harina', 'Masa Harina (corn flour)', '1 1/2 cups masa harina'][i % 4] },
      { name: ['1 lb tomatillos, husked', 'fresh tomatillos', 'tomatillo', '6 tomatillos'][i % 4] },
      ...(i < 4 ? [{ name: 'epazote leaves' }] : []),
      ...(i < 2 ? [{ name: 'hominy' }] : []),
      ...MEXICAN_KNOWN.filter((_, k) => (k + i) % 3 !== 0).map((name) => ({ name })),
    ],
  }));

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'italian-giallozafferano' }, env: { INDEX_POLL_MS: '50', INDEX_RETIRE_GRACE_MS: '0' } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('lists the recurring unknown names after a retrain, with the lexicon concepts they are cooked with', async () => {
    const before = (await t.http().get('/api/admin/lexicon/unresolved').set(admin()).expect(200)).body;
    expect(before.items.map((item: { name: string }) => item.name)).not.toContain('masa harina');

    await t.http().post('/api/recipes/bulk').set(admin()).send({ recipes: mexican }).expect(200);
    const retrain = (await t.http().post('/api/admin/index/retrain').set(admin()).expect(200)).body;
    expect(retrain.current).not.toBe(retrain.previous);

    const res = await t.http().get('/api/admin/lexicon/unresolved').query({ limit: 20 }).set(admin()).expect(200);
    expect(res.body).toMatchObject({
      modelId: retrain.current,
      trainedOnRecipes: 107,
      sampleRate: 1,
      catalogRecipes: 107,
      minRecipes: 3,
      learnedConcepts: 3,
    });
    const byName = new Map(res.body.items.map((item: { name: string }) => [item.name, item]));
    expect(byName.get('masa harina')).toMatchObject({ recipes: 6, learned: true, concept: 'learned:masa harina' });
    expect(byName.get('tomatillo')).toMatchObject({ recipes: 6, learned: true });
    expect(byName.get('epazote leaf')).toMatchObject({ recipes: 4, learned: true });
    // Two recipes are too few to learn from: listed, without a vector.
    expect(byName.get('hominy')).toEqual({ name: 'hominy', recipes: 2, learned: false, neighbours: [] });

    const neighbours = (byName.get('masa harina') as { neighbours: Array<{ id: string }> }).neighbours.map((n) => n.id);
    expect(neighbours).toHaveLength(5);
    const mexicanConcepts = ['avocado', 'coriander', 'chili-pepper', 'lemon', 'onion', 'cumin', 'spicy'];
    expect(neighbours.filter((id) => mexicanConcepts.includes(id)).length).toBeGreaterThanOrEqual(4);
    expect(neighbours).not.toContain('parmesan');
  }, 60_000);

  it('finds the recipes of a learned ingredient by search and by ingredients', async () => {
    const search = await t.http().get('/api/search').query({ q: 'tomatillos', limit: 10 }).expect(200);
    const found = search.body.items.map((hit: { recipe: { source: string } }) => hit.recipe.source);
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(found.slice(0, 6)).toEqual(Array(6).fill('taqueria'));

    const similar = await t
      .http()
      .post('/api/search/by-ingredients')
      .send({ ingredients: ['masa harina', 'epazote'], mode: 'similar', limit: 6 })
      .expect(200);
    expect(similar.body.query.recognised).toEqual([{ input: 'masa harina', concept: 'learned:masa harina' }]);
    expect(similar.body.query.unrecognised).toEqual(['epazote']);
    expect(similar.body.items.map((hit: { recipe: { source: string } }) => hit.recipe.source)).toEqual(Array(6).fill('taqueria'));
  }, 30_000);

  it('lets a learned ingredient in a pantry cover the lines it names', async () => {
    const pantry = ['masa harina', 'tomatillo', 'avocado', 'cilantro', 'ancho chiles', 'lime', 'onion', 'ground cumin'];
    const res = await t.http().post('/api/search/by-ingredients').send({ ingredients: pantry, mode: 'pantry', limit: 6 }).expect(200);
    expect(res.body.query.recognised).toContainEqual({ input: 'masa harina', concept: 'learned:masa harina' });
    const top = res.body.items[0];
    expect(top.recipe.source).toBe('taqueria');
    const missing: string[] = top.why.missingIngredients ?? [];
    expect(missing.some((name) => /masa|tomatillo/i.test(name))).toBe(false);
    expect(top.why.matchedIngredients.some((name: string) => /masa harina/i.test(name))).toBe(true);
  });

  it('keeps serving the model after a retrain that finds nothing new', async () => {
    const again = (await t.http().post('/api/admin/index/retrain').set(admin()).expect(200)).body;
    expect(again.current).toBe(again.previous);

    const search = await t.http().get('/api/search').query({ q: 'tomatillos', limit: 10 }).expect(200);
    expect(search.body.items.slice(0, 6).map((hit: { recipe: { source: string } }) => hit.recipe.source)).toEqual(
      Array(6).fill('taqueria'),
    );
    const similar = await t
      .http()
      .post('/api/search/by-ingredients')
      .send({ ingredients: ['masa harina'], mode: 'similar', limit: 3 })
      .expect(200);
    expect(similar.body.query.recognised).toEqual([{ input: 'masa harina', concept: 'learned:masa harina' }]);
    const unresolved = await t.http().get('/api/admin/lexicon/unresolved').query({ limit: 5 }).set(admin()).expect(200);
    expect(unresolved.body.modelId).toBe(again.current);
    await t.http().get('/api/families').expect(200);
    await t.http().get('/api/admin/anomalies').set(admin()).expect(200);
  }, 60_000);

  it('refuses the listing without the admin key and checks its limit', async () => {
    await t.http().get('/api/admin/lexicon/unresolved').expect(401);
    const bad = await t.http().get('/api/admin/lexicon/unresolved').query({ limit: 0 }).set(admin()).expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });
});
