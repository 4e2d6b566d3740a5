import { DataSource } from 'typeorm';
import { EmbeddingModelService } from '../src/embedding/embedding-model.service';
import { inTrainingSample } from '../src/embedding/food-concepts/training-sample';
import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { RecipeRowsRepository } from '../src/recipes/recipe-rows.repository';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * A catalog larger than TRAINING_SAMPLE_MAX: the concept model learns from the recipes a hash of
 * their ids picks, the drift check compares the same sample, and retrieval still works across
 * languages. The bundled catalog (1,321 recipes) stands in for a large one with a limit of 500.
 */
describe('Training the concept model on a sample of the catalog', () => {
  const LIMIT = 500;
  let t: TestApp;
  const admin = () => ({ 'x-api-key': ADMIN_KEY });
  const recipeIds = async () => (await new RecipeRowsRepository(t.app.get(DataSource)).idsInOrder()).map((row) => row.id);
  const activeModel = () => t.app.get(EmbeddingModelService).conceptModelOf(t.app.get(ActiveIndexRegistry).active().provider);

  beforeAll(async () => {
    t = await createTestApp({
      seed: true,
      env: { TRAINING_SAMPLE_MAX: String(LIMIT), INDEX_POLL_MS: '50', INDEX_RETIRE_GRACE_MS: '0', RETRAIN_DRIFT_SHARE: '1' },
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('learns from the recipes the id sample picks, and still finds 宫保鸡丁 for "chicken"', async () => {
    const ids = await recipeIds();
    expect(ids.length).toBeGreaterThan(2 * LIMIT);
    const rate = LIMIT / ids.length;
    const model = activeModel();
    expect(model.sample).toEqual({ rate, catalogSize: ids.length });
    expect(model.recipeCount).toBe(ids.filter((id) => inTrainingSample(id, rate)).length);
    expect(t.app.get(EmbeddingModelService).trainedRecipeCount()).toBe(ids.length);
    const listed = (await t.http().get('/api/admin/lexicon/unresolved').set(admin()).expect(200)).body;
    expect(listed).toMatchObject({
      modelId: model.modelId,
      trainedOnRecipes: model.recipeCount,
      sampleRate: rate,
      catalogRecipes: ids.length,
    });

    const res = await t.http().get('/api/search').query({ q: 'chicken', limit: 10 }).expect(200);
    expect(res.body.items.map((item: { recipe: { name: string } }) => item.recipe.name)).toContain('宫保鸡丁');
  });

  it('measures drift on the same sample: new recipes count only when the sample picks them', async () => {
    const models = t.app.get(EmbeddingModelService);
    expect(await models.catalogDrift()).toBe(0);
    const before = new Set(await recipeIds());
    const recipes = Array.from({ length: 200 }, (_, i) => ({
      source: 'drift-check',
      sourceId: `d${i}`,
      name: `Drift dish ${i}`,
      language: 'en',
      ingredients: [{ name: 'chicken' }, { name: ['rice', 'potato', 'tofu', 'leek'][i % 4] }, { name: 'garlic' }],
    }));
    await t.http().post('/api/recipes/bulk').set(admin()).send({ recipes }).expect(200);
    const added = (await recipeIds()).filter((id) => !before.has(id));
    expect(added).toHaveLength(200);
    const model = activeModel();
    const sampledNew = added.filter((id) => inTrainingSample(id, model.sample.rate)).length;
    // About the rate's share of 200, and not all of them: drift is judged on the sample alone.
    expect(sampledNew).toBeGreaterThan(0);
    expect(sampledNew).toBeLessThan(200);
    expect(await models.catalogDrift()).toBeCloseTo(sampledNew / model.recipeCount, 10);
  }, 60_000);

  it('retrains on a sample of the catalog as it is now', async () => {
    const previous = activeModel().modelId;
    const retrain = (await t.http().post('/api/admin/index/retrain').set(admin()).expect(200)).body;
    expect(retrain.previous).toBe(previous);
    expect(retrain.current).not.toBe(previous);
    const ids = await recipeIds();
    const model = activeModel();
    expect(model.modelId).toBe(retrain.current);
    expect(model.sample).toEqual({ rate: LIMIT / ids.length, catalogSize: ids.length });
    expect(model.recipeCount).toBe(ids.filter((id) => inTrainingSample(id, LIMIT / ids.length)).length);
    expect(await t.app.get(EmbeddingModelService).catalogDrift()).toBe(0);
  }, 120_000);
});
