import { compileCatalogFilter } from '../src/search/catalog-recipe';
import { CatalogSnapshotService } from '../src/search/catalog-snapshot.service';
import { UserPreferencesService } from '../src/users/user-preferences.service';
import { createTestApp, TestApp } from './support/test-app';

interface Hit {
  recipe: { id: string; name: string; cuisine: string | null };
  why: { pick?: string; becauseYouLiked?: string[] };
}

/**
 * Stored preferences over HTTP: diets, allergies and exclusions hold on every list made for the
 * user (recommendations, search, similar dishes, by-ingredients), whatever language they were
 * written in; stated likes give a first list; bad input is a 400 with the documented shape.
 */
describe('User preferences over HTTP', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  const findRecipe = async (name: string): Promise<string> => {
    const res = await t.http().get('/api/recipes').query({ name, limit: 100 }).expect(200);
    const exact = res.body.items.find((r: { name: string }) => r.name === name);
    if (!exact) throw new Error(`The seed has no recipe named ${name}`);
    return exact.id;
  };
  /** Whether a listed dish contains a concept or allergen group, judged on the catalog (listed and name-implied ingredients). */
  const breaks = async (hits: Hit[], rule: { concept?: string; allergen?: string; diet?: string }) => {
    const view = await t.app.get(CatalogSnapshotService).current();
    return hits
      .filter((h) => {
        const recipe = view.get(h.recipe.id)!;
        if (rule.concept && recipe.concepts.includes(rule.concept)) return true;
        if (rule.allergen && recipe.allergens.includes(rule.allergen)) return true;
        return rule.diet !== undefined && !recipe.payload.diets.includes(rule.diet);
      })
      .map((h) => h.recipe.name);
  };
  const putPreferences = (userId: string, body: Record<string, unknown>) => t.http().put(`/api/users/${userId}/preferences`).send(body);
  const like = (userId: string, recipeId: string) =>
    t.http().post(`/api/users/${userId}/interactions`).send({ recipeId, type: 'like' }).expect(201);
  const recommendations = async (userId: string) =>
    (await t.http().get(`/api/users/${userId}/recommendations`).query({ limit: 100 }).expect(200)).body.items as Hit[];

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    for (const name of ['宫保鸡丁', '回锅肉', '红烧肉', '麻婆豆腐', '水煮肉片']) ids[name] = await findRecipe(name);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores preferences and answers them back, every list as an array', async () => {
    const put = await putPreferences('alice', { exclude: 'pork,香菜', allergies: ['花生'], diet: [], likedCuisines: 'sichuan' }).expect(
      200,
    );
    expect(put.body).toMatchObject({
      userId: 'alice',
      exclude: ['pork', '香菜'],
      allergies: ['花生'],
      diet: [],
      likedCuisines: ['sichuan'],
    });
    const got = await t.http().get('/api/users/alice/preferences').expect(200);
    expect(got.body).toEqual(put.body);
    const none = await t.http().get('/api/users/nobody/preferences').expect(200);
    expect(none.body).toMatchObject({ exclude: [], allergies: [], updatedAt: null });
    // One word written in other cases or widths is stored once, as first written.
    const repeated = await putPreferences('alicia', { allergies: ['Peanut', 'peanut', 'ＰＥＡＮＵＴ', '花生'] }).expect(200);
    expect(repeated.body.allergies).toEqual(['Peanut', '花生']);
  });

  it('never recommends pork (written in English) or peanuts (written in Chinese) to a user who excluded them, even one who liked pork dishes', async () => {
    await putPreferences('no-pork', { exclude: ['pork'], allergies: '花生' }).expect(200);
    for (const name of ['回锅肉', '红烧肉', '麻婆豆腐', '水煮肉片']) await like('no-pork', ids[name]);
    const hits = await recommendations('no-pork');
    expect(hits.length).toBeGreaterThan(20);
    expect(await breaks(hits, { concept: 'pork' })).toEqual([]);
    expect(await breaks(hits, { allergen: 'peanut' })).toEqual([]);
    expect(hits.map((h) => h.recipe.name)).not.toContain('宫保鸡丁');
  });

  it('applies the stored filters to search, similar dishes and by-ingredients when the request names the user', async () => {
    await putPreferences('allergic', { allergies: 'peanut', exclude: '猪肉', diet: [] }).expect(200);
    const search = (await t.http().get('/api/search').query({ q: '宫保鸡丁', userId: 'allergic', limit: 50 }).expect(200)).body
      .items as Hit[];
    expect(search.map((h) => h.recipe.name)).not.toContain('宫保鸡丁');
    expect(await breaks(search, { allergen: 'peanut' })).toEqual([]);
    // Without the user, the same search finds the dish: the filter comes from the stored preferences.
    const anonymous = (await t.http().get('/api/search').query({ q: '宫保鸡丁' }).expect(200)).body.items as Hit[];
    expect(anonymous.map((h) => h.recipe.name)).toContain('宫保鸡丁');

    const pork = (await t.http().get('/api/search').query({ q: 'pork belly', userId: 'allergic', limit: 50 }).expect(200)).body
      .items as Hit[];
    expect(await breaks(pork, { concept: 'pork' })).toEqual([]);

    const similar = (await t.http().get(`/api/recipes/${ids['回锅肉']}/similar`).query({ userId: 'allergic', limit: 30 }).expect(200)).body
      .items as Hit[];
    expect(similar.length).toBeGreaterThan(0);
    expect(await breaks(similar, { concept: 'pork' })).toEqual([]);
    expect(await breaks(similar, { allergen: 'peanut' })).toEqual([]);

    for (const mode of ['similar', 'pantry']) {
      const body = { ingredients: ['chicken', '花生', '猪肉'], mode, limit: 50, userId: 'allergic' };
      const hits = (await t.http().post('/api/search/by-ingredients').send(body).expect(200)).body.items as Hit[];
      expect(await breaks(hits, { concept: 'pork' })).toEqual([]);
      expect(await breaks(hits, { allergen: 'peanut' })).toEqual([]);
    }
  });

  it('a stored no-pork exclusion keeps out dishes made with lard or Chinese sausage (猪油拌饭, 腊肠蒸蛋, Gnocco fritto)', async () => {
    await putPreferences('no-lard', { exclude: ['猪肉'] }).expect(200);
    for (const name of ['猪油拌饭', '腊肠蒸蛋', 'Gnocco fritto']) {
      const anonymous = (await t.http().get('/api/search').query({ q: name, limit: 50 }).expect(200)).body.items as Hit[];
      expect(anonymous.map((h) => h.recipe.name)).toContain(name);
      const search = (await t.http().get('/api/search').query({ q: name, userId: 'no-lard', limit: 50 }).expect(200)).body.items as Hit[];
      expect(search.map((h) => h.recipe.name)).not.toContain(name);
      expect(await breaks(search, { concept: 'lard' })).toEqual([]);
    }
  });

  it('an allergy rules out its whole allergen group, in either language: soy sauce for soy, oyster sauce for 海鲜, peanuts for 坚果', async () => {
    const cases = [
      { user: 'soy-allergy', allergies: ['soy'], group: 'soy', q: '红烧肉' },
      { user: 'seafood-allergy', allergies: ['海鲜'], group: 'shellfish', q: '蚝油生菜' },
      // Everyday speech counts peanuts among nuts, as the query "坚果过敏" does.
      { user: 'nut-allergy', allergies: ['坚果'], group: 'peanut', q: '宫保鸡丁' },
    ];
    for (const { user, allergies, group, q } of cases) {
      // The query alone finds dishes of the group: the allergy is what keeps them out.
      const open = (await t.http().get('/api/search').query({ q, limit: 50 }).expect(200)).body.items as Hit[];
      expect((await breaks(open, { allergen: group })).length).toBeGreaterThan(0);
      await putPreferences(user, { allergies }).expect(200);
      const search = (await t.http().get('/api/search').query({ q, userId: user, limit: 50 }).expect(200)).body.items as Hit[];
      expect(await breaks(search, { allergen: group })).toEqual([]);
      expect(await breaks(await recommendations(user), { allergen: group })).toEqual([]);
    }
  });

  it('gives a new user who stated only dislikes a first list (the popular and sampled dishes), not an empty one', async () => {
    await putPreferences('picky', { dislikedIngredients: ['pork'], dislikedCuisines: ['sichuan'] }).expect(200);
    const res = await t.http().get('/api/users/picky/recommendations').query({ limit: 5 }).expect(200);
    expect(res.body.coldStart).toBe(true);
    expect(res.body.items).toHaveLength(5);
  });

  it('fills a new user’s first list from every dish that passes broad exclusions, not from a sample cut before them', async () => {
    const exclude = [
      'pork',
      'beef',
      'chicken',
      'onion',
      'garlic',
      'ginger',
      'chili',
      'tomato',
      'potato',
      'rice',
      'scallion',
      'carrot',
      'pepper',
      'mushroom',
      'tofu',
    ];
    await putPreferences('strict', { exclude, allergies: ['gluten', 'soy', 'egg', 'dairy'] }).expect(200);
    const filter = await t.app.get(UserPreferencesService).filterFor('strict');
    const allowed = compileCatalogFilter(filter!);
    const view = await t.app.get(CatalogSnapshotService).current();
    const dishes = new Set([...view.values()].filter(allowed).map((recipe) => recipe.nameKey));
    const limit = 100;
    const items = (await t.http().get('/api/users/strict/recommendations').query({ limit }).expect(200)).body.items as Hit[];
    expect(dishes.size).toBeGreaterThan(limit);
    expect(items).toHaveLength(limit);
    expect(items.filter((h) => !allowed(view.get(h.recipe.id)!))).toEqual([]);
  });

  it('keeps a stored diet on every list, on top of the request’s own filters', async () => {
    await putPreferences('veg', { diet: '素食' }).expect(200);
    await like('veg', ids['麻婆豆腐']);
    const recs = await recommendations('veg');
    expect(recs.length).toBeGreaterThan(0);
    expect(await breaks(recs, { diet: 'vegetarian' })).toEqual([]);
    const search = (await t.http().get('/api/search').query({ q: 'chicken', userId: 'veg', cuisine: 'indian' }).expect(200)).body
      .items as Hit[];
    expect(await breaks(search, { diet: 'vegetarian' })).toEqual([]);
  });

  it('gives a new user with stated likes a first list from them', async () => {
    await putPreferences('pasta-fan', { likedCuisines: ['italian'], likedIngredients: ['mushroom'] }).expect(200);
    const res = await t.http().get('/api/users/pasta-fan/recommendations').query({ limit: 10 }).expect(200);
    expect(res.body.coldStart).toBe(true);
    const items = res.body.items as Hit[];
    expect(items).toHaveLength(10);
    expect(items.every((h) => h.why.pick === 'stated')).toBe(true);
    // Every dish meets a stated like: Italian (by its cuisine, or Italian-style by its name, as
    // 意式奶冻), or with mushrooms.
    const view = await t.app.get(CatalogSnapshotService).current();
    const italian = (h: Hit) => h.recipe.cuisine === 'italian' || view.get(h.recipe.id)!.propertyConcepts.includes('italian');
    const unrelated = items.filter((h) => !italian(h) && !view.get(h.recipe.id)!.concepts.includes('mushroom'));
    expect(unrelated.map((h) => h.recipe.name)).toEqual([]);
    expect(items.filter((h) => h.recipe.cuisine === 'italian').length).toBeGreaterThanOrEqual(3);
  });

  it('names the liked dishes behind a personal recommendation', async () => {
    for (const name of ['麻婆豆腐', '水煮肉片']) await like('explained', ids[name]);
    const hits = await recommendations('explained');
    expect(hits[0].why.becauseYouLiked!.length).toBeGreaterThan(0);
    for (const hit of hits.slice(0, 10)) {
      for (const because of hit.why.becauseYouLiked ?? []) expect(['麻婆豆腐', '水煮肉片']).toContain(because);
    }
  });

  it('answers 400 with the error shape for unknown words (naming each field), bad user ids and bad shapes, and stores nothing', async () => {
    const res = await putPreferences('bob', { allergies: 'moonrock', likedCuisines: 'martian', exclude: 'pork' }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(typeof res.body.message).toBe('string');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['allergies', 'likedCuisines']);
    expect((await t.http().get('/api/users/bob/preferences').expect(200)).body.updatedAt).toBeNull();

    const shape = await putPreferences('bob', { diet: 42 }).expect(400);
    expect(shape.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    const badUser = await t.http().get('/api/search').query({ q: 'tofu', userId: 'bad user!' }).expect(400);
    expect(badUser.body.details.map((d: { field: string }) => d.field)).toContain('userId');
    await t
      .http()
      .post('/api/search/by-ingredients')
      .send({ ingredients: ['egg'], userId: '' })
      .expect(400);
    await t.http().put('/api/users/bad%20id/preferences').send({}).expect(400);
  });
});
