import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { stableRecipeId } from '../src/recipes/recipes.service';
import { RecipeInput } from '../src/recipes/recipe.types';
import { CatalogSnapshotService } from '../src/search/catalog-snapshot.service';
import { RecipeAnalyzer } from '../src/text/recipe-analyzer';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

/** The names of the recipes the serving thread's analyzer analyses from now on. */
function namesAnalysedHere(t: TestApp): string[] {
  const analysed: string[] = [];
  const analyzer = t.app.get(RecipeAnalyzer);
  const real = analyzer.analyze.bind(analyzer);
  jest.spyOn(analyzer, 'analyze').mockImplementation((recipe) => {
    analysed.push(recipe.name);
    return real(recipe);
  });
  return analysed;
}

/**
 * One import through the API, then the index and the catalog view catch up: the process that
 * serves requests analyses each imported recipe once, not once for each of them (the write
 * path's own analysis runs in the text thread, with its own analyzer).
 */
describe('Analyses of an import, shared by the index and the catalog view', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'italian-giallozafferano' } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const dishes = (beefIn = 'd2'): RecipeInput[] =>
    ['d1', 'd2', 'd3', 'd4'].map((sourceId, i) => ({
      name: `Memo dish ${i + 1}`,
      source: 'memo-import',
      sourceId,
      ingredients: [{ name: 'tomato' }, { name: sourceId === beefIn ? 'beef' : 'chickpeas' }, { name: 'garlic' }],
    }));

  it('analyses each imported recipe once in the serving process, and again only when it changes', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    await snapshot.current();
    const analysed = namesAnalysedHere(t);
    const timesAnalysed = (name: string) => analysed.filter((n) => n === name).length;
    const catchUp = async () => {
      await t.app.get(OutboxWorker).drain();
      snapshot.invalidate();
      return snapshot.current();
    };
    const ids = ['d1', 'd2', 'd3', 'd4'].map((sourceId) => stableRecipeId('memo-import', sourceId));

    const first = await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes: dishes() }).expect(200);
    expect(first.body).toMatchObject({ created: 4 });
    const view = await catchUp();
    for (const id of ids) {
      expect(view.has(id)).toBe(true);
      await t.http().get(`/api/recipes/${id}/similar?limit=3`).expect(200);
    }
    expect(dishes().map((d) => timesAnalysed(d.name))).toEqual([1, 1, 1, 1]);

    // d2 loses its beef, d3 gains it: both have a new content hash; d1 and d4 are unchanged.
    const second = await t
      .http()
      .post('/api/recipes/bulk')
      .set('x-api-key', ADMIN_KEY)
      .send({ recipes: dishes('d3') })
      .expect(200);
    expect(second.body).toMatchObject({ updated: 2, unchanged: 2 });
    await catchUp();
    expect(dishes().map((d) => timesAnalysed(d.name))).toEqual([1, 2, 2, 1]);

    const search = await t.http().get('/api/search').query({ q: 'beef', limit: 50 }).expect(200);
    const found = (search.body.items as Array<{ recipe: { id: string } }>).map((hit) => hit.recipe.id);
    expect(found).toContain(ids[2]);
    expect(found).not.toContain(ids[1]);
  }, 60_000);
});

/**
 * With ANALYSIS_THREAD_MIN_RECIPES=1 every batch of stored recipes is analysed in the text
 * thread: the serving thread's analyzer sees none of an import, and the imported recipes are
 * still indexed and in the catalog view with what their ingredients say.
 */
describe('Analyses of an import in the text thread', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'italian-giallozafferano' }, env: { ANALYSIS_THREAD_MIN_RECIPES: '1' } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('indexes and lists an import analysed off the serving thread', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    await snapshot.current();
    const analysed = namesAnalysedHere(t);
    const recipes: RecipeInput[] = [
      { name: '牛肉炖土豆', source: 'thread-import', sourceId: 't1', language: 'zh', ingredients: [{ name: '牛肉' }, { name: '土豆' }] },
      { name: 'Chickpea salad', source: 'thread-import', sourceId: 't2', ingredients: [{ name: 'chickpeas' }, { name: 'cucumber' }] },
    ];
    await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes }).expect(200);
    await t.app.get(OutboxWorker).drain();
    snapshot.invalidate();
    const view = await snapshot.current();
    const [beefStew, salad] = ['t1', 't2'].map((sourceId) => stableRecipeId('thread-import', sourceId));
    expect(view.get(beefStew)?.ingredientConcepts).toContain('beef');
    expect(analysed).toEqual([]);

    // Found in English through the index, by what the thread made of its Chinese ingredients.
    const search = await t.http().get('/api/search').query({ q: 'beef potato', limit: 20 }).expect(200);
    expect((search.body.items as Array<{ recipe: { id: string } }>).map((hit) => hit.recipe.id)).toContain(beefStew);
    const pantry = await t
      .http()
      .post('/api/search/by-ingredients')
      .send({ ingredients: ['chickpeas', 'cucumber'], mode: 'pantry', limit: 20 })
      .expect(200);
    expect((pantry.body.items as Array<{ recipe: { id: string } }>).map((hit) => hit.recipe.id)).toContain(salad);
  }, 60_000);
});
