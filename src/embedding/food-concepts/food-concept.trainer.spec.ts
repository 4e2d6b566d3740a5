import { runInSlices } from '../../common/event-loop';
import { RecipeAnalysis } from '../../text/text.types';
import { EmbeddingConfigError } from '../embedding.errors';
import { cosine, norm } from '../similarity';
import { FoodConceptModel, FoodConceptParams } from './food-concept.model';
import { FoodConceptTrainer } from './food-concept.trainer';
import { FIXTURE_CATALOG, fixture, parsedQuery } from '../../../test/fixtures/food-concepts';

const analyses = FIXTURE_CATALOG.map((entry) => entry.analysis);
const train = (options: Partial<FoodConceptParams> = {}): FoodConceptModel => new FoodConceptTrainer().train(analyses, options);

function ingredientScore(model: FoodConceptModel, ingredients: string[], dish: string): number {
  const query = model.embedQuery(parsedQuery({ ingredients })).dense.ingredients!;
  return cosine(query, model.embedRecipe(fixture(dish).analysis).dense.ingredients!);
}

/** Share of (dish with the concept, dish without) pairs the query orders correctly. */
function separation(model: FoodConceptModel, concept: string): number {
  const query = model.embedQuery(parsedQuery({ ingredients: [concept] })).dense.ingredients!;
  const scored = FIXTURE_CATALOG.map((entry) => ({
    has: entry.analysis.ingredientConcepts.includes(concept),
    score: cosine(query, model.embedRecipe(entry.analysis).dense.ingredients!),
  }));
  let right = 0;
  let pairs = 0;
  for (const a of scored.filter((s) => s.has)) {
    for (const b of scored.filter((s) => !s.has)) {
      pairs++;
      if (a.score > b.score) right++;
    }
  }
  return right / pairs;
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
const dishesWith = (concept: string): string[] =>
  FIXTURE_CATALOG.filter((entry) => entry.analysis.ingredientConcepts.includes(concept)).map((entry) => entry.name);

describe('FoodConceptTrainer', () => {
  const model = train();

  it('ranks 宫保鸡丁 above every dessert for an English "chicken" query', () => {
    const kungPao = ingredientScore(model, ['chicken'], '宫保鸡丁');
    for (const dessert of ['Tiramisù', 'Torta al cioccolato', 'Panna cotta', '蛋挞', 'Gulab jamun']) {
      expect(kungPao).toBeGreaterThan(ingredientScore(model, ['chicken'], dessert));
    }
  });

  it('puts chicken dishes ahead of pork dishes cooked the same way', () => {
    expect(ingredientScore(model, ['chicken'], '宫保鸡丁')).toBeGreaterThan(ingredientScore(model, ['chicken'], '回锅肉'));
    expect(ingredientScore(model, ['chicken'], 'Chicken tikka masala')).toBeGreaterThan(
      ingredientScore(model, ['chicken'], 'Pork vindaloo'),
    );
    const chicken = mean(dishesWith('chicken').map((dish) => ingredientScore(model, ['chicken'], dish)));
    const pork = mean(dishesWith('pork').map((dish) => ingredientScore(model, ['chicken'], dish)));
    expect(chicken).toBeGreaterThan(pork);
  });

  it('ranks every dish containing the queried ingredient first, whatever its language', () => {
    for (const concept of ['chicken', 'pork', 'tofu', 'egg', 'sugar']) {
      expect(separation(model, concept)).toBe(1);
    }
  });

  it('needs the identity component: co-occurrence alone confuses chicken with pork', () => {
    // A low rank forces the co-occurrence part to generalise, as it must on a real catalog.
    const withoutIdentity = train({ dims: 16, identityWeight: 0 });
    const withIdentity = train({ dims: 16 });
    expect(ingredientScore(withoutIdentity, ['chicken'], 'Pork vindaloo')).toBeGreaterThan(
      ingredientScore(withoutIdentity, ['chicken'], 'Chicken tikka masala'),
    );
    expect(ingredientScore(withIdentity, ['chicken'], 'Chicken tikka masala')).toBeGreaterThan(
      ingredientScore(withIdentity, ['chicken'], 'Pork vindaloo'),
    );
    expect(separation(withIdentity, 'chicken')).toBeGreaterThan(separation(withoutIdentity, 'chicken'));
  });

  it('still learns relatedness: a pork query prefers a braised chicken dish to a dessert', () => {
    const related = ingredientScore(model, ['pork'], '黄焖鸡');
    expect(related).toBeGreaterThan(ingredientScore(model, ['pork'], 'Panna cotta'));
  });

  it('maps properties, cuisines, categories and diets into the properties space', () => {
    const query = model.embedQuery(parsedQuery({ properties: ['spicy'], cuisines: ['sichuan'] })).dense.properties!;
    const score = (dish: string): number => cosine(query, model.embedRecipe(fixture(dish).analysis).dense.properties!);
    expect(score('麻婆豆腐')).toBeGreaterThan(score('Tiramisù'));
    expect(score('回锅肉')).toBeGreaterThan(score('白切鸡'));
    const dessert = model.embedQuery(parsedQuery({ categories: ['dessert'], diets: ['vegetarian'] })).dense.properties!;
    const dessertScore = (dish: string): number => cosine(dessert, model.embedRecipe(fixture(dish).analysis).dense.properties!);
    expect(dessertScore('蛋挞')).toBeGreaterThan(dessertScore('宫保鸡丁'));
  });

  it('omits the spaces a query says nothing about, so the caller can skip those legs', () => {
    const onlyIngredients = model.embedQuery(parsedQuery({ ingredients: ['tofu'] }));
    expect(Object.keys(onlyIngredients.dense)).toEqual(['ingredients']);
    const nothing = model.embedQuery(parsedQuery({ text: '', freeText: [] }));
    expect(nothing.dense).toEqual({});
    expect(nothing.sparse).toBeUndefined();
  });

  it('emits unit vectors of the advertised size', () => {
    const vectors = model.embedRecipe(fixture('宫保鸡丁').analysis);
    expect(model.dimensions).toBe(192);
    expect(vectors.dense.ingredients).toHaveLength(192);
    expect(norm(vectors.dense.ingredients!)).toBeCloseTo(1, 10);
    expect(norm(vectors.dense.properties!)).toBeCloseTo(1, 10);
  });

  it('gives a concept unseen in training a vector that still matches itself exactly', () => {
    const query = model.embedQuery(parsedQuery({ ingredients: ['durian'] })).dense.ingredients!;
    const durianDish: RecipeAnalysis = { ...fixture('双皮奶').analysis, ingredientConcepts: ['durian', 'milk', 'sugar'] };
    const plain = model.embedRecipe(fixture('双皮奶').analysis).dense.ingredients!;
    expect(cosine(query, model.embedRecipe(durianDish).dense.ingredients!)).toBeGreaterThan(cosine(query, plain) + 0.3);
  });

  it('is deterministic: the same catalog in any order gives the same id and vectors', () => {
    const again = new FoodConceptTrainer().train([...analyses].reverse());
    expect(again.modelId).toBe(model.modelId);
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(model.toJSON()));
    expect(model.modelId).toMatch(/^food-concepts@v1-192-[0-9a-f]{12}$/);
  });

  it('trains the identical model in slices, letting timers run while it trains', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    try {
      // A zero slice pauses at every step: the most pauses the code can take.
      const sliced = await runInSlices(new FoodConceptTrainer()['trainSteps'](analyses, {}, undefined), 0);
      expect(JSON.stringify(sliced.toJSON())).toBe(JSON.stringify(model.toJSON()));
      expect(ticks).toBeGreaterThan(0);
      expect(JSON.stringify((await new FoodConceptTrainer().trainInSlices(analyses)).toJSON())).toBe(JSON.stringify(model.toJSON()));
    } finally {
      clearInterval(ticker);
    }
  });

  it('changes the id when the data or the params change', () => {
    const edited = analyses.map((a, i) => (i === 0 ? { ...a, ingredientConcepts: [...a.ingredientConcepts, 'cashew'] } : a));
    expect(new FoodConceptTrainer().train(edited).modelId).not.toBe(model.modelId);
    expect(train({ dims: 32 }).modelId).toMatch(/^food-concepts@v1-160-/);
    expect(train({ seed: 7 }).modelId).not.toBe(model.modelId);
  });

  it('trains on an empty catalog without failing', () => {
    const empty = new FoodConceptTrainer().train([]);
    const vectors = empty.embedQuery(parsedQuery({ ingredients: ['chicken'] }));
    expect(vectors.dense.ingredients).toHaveLength(empty.dimensions);
  });

  it('rejects nonsensical parameters', () => {
    expect(() => train({ dims: 0 })).toThrow(EmbeddingConfigError);
    expect(() => train({ identityWeight: 1.5 })).toThrow(EmbeddingConfigError);
    expect(() => train({ identityDims: 0, identityWeight: 0.5 })).toThrow(EmbeddingConfigError);
  });
});

describe('FoodConceptModel serialisation', () => {
  const model = new FoodConceptTrainer().train(analyses);

  it('round-trips through JSON text with identical vectors', () => {
    const restored = FoodConceptModel.fromJSON(JSON.stringify(model));
    expect(restored.modelId).toBe(model.modelId);
    const dish = fixture('麻婆豆腐').analysis;
    expect(restored.embedRecipe(dish)).toEqual(model.embedRecipe(dish));
    const query = parsedQuery({ ingredients: ['tofu'], properties: ['spicy'], freeText: ['麻婆'] });
    expect(restored.embedQuery(query)).toEqual(model.embedQuery(query));
  });

  it('refuses a tampered or foreign document', () => {
    const json = model.toJSON();
    expect(() => FoodConceptModel.fromJSON({ ...json, trainedOn: json.trainedOn.slice(1) })).toThrow(EmbeddingConfigError);
    expect(() => FoodConceptModel.fromJSON({ ...json, version: 2 })).toThrow(/unsupported version/);
    expect(() => FoodConceptModel.fromJSON({ ...json, cooccurrence: 'AAAA' })).toThrow(/wrong size/);
    expect(() => FoodConceptModel.fromJSON({ format: 'other' })).toThrow(EmbeddingConfigError);
  });

  it('names the sample a model learned from, in its id and its stored form', () => {
    const half = analyses.filter((_, i) => i % 2 === 0);
    const sampled = new FoodConceptTrainer().train(half, {}, { rate: 0.5, catalogSize: analyses.length });
    const unmarked = new FoodConceptTrainer().train(half);
    expect(sampled.sample).toEqual({ rate: 0.5, catalogSize: analyses.length });
    expect(unmarked.sample).toEqual({ rate: 1, catalogSize: half.length });
    expect(sampled.modelId).not.toBe(unmarked.modelId);
    const restored = FoodConceptModel.fromJSON(JSON.stringify(sampled));
    expect(restored.modelId).toBe(sampled.modelId);
    expect(restored.sample).toEqual(sampled.sample);
    // A whole catalog passed as a sample of rate 1 is the model it always was.
    expect(new FoodConceptTrainer().train(analyses, {}, { rate: 1, catalogSize: analyses.length }).modelId).toBe(model.modelId);
    expect(() => FoodConceptModel.fromJSON({ ...sampled.toJSON(), sample: { rate: 2, catalogSize: 10 } })).toThrow(/training sample/);
    expect(() => FoodConceptModel.fromJSON({ ...sampled.toJSON(), sample: { rate: 0.25, catalogSize: analyses.length } })).toThrow(
      /does not match its content/,
    );
  });

  it('keeps the stored form compact', () => {
    const size = JSON.stringify(model).length;
    const concepts = model.concepts.length;
    // float32 in base64: about 5.4 characters per number instead of ~20 for JSON numbers.
    expect(size).toBeLessThan(concepts * model.params.dims * 6 + 20_000);
  });
});

describe('sparse vectors from the model', () => {
  const model = new FoodConceptTrainer().train(analyses);

  it('matches an unknown Chinese dish name through character bigrams', () => {
    const query = model.embedQuery(parsedQuery({ text: '宫保鸡丁', language: 'zh', freeText: ['宫保鸡丁'] })).sparse!;
    const overlap = (dish: string): number => {
      const doc = model.embedRecipe(fixture(dish).analysis).sparse!;
      const weights = new Map(doc.indices.map((index, i) => [index, doc.values[i]]));
      return query.indices.reduce((sum, index, i) => sum + query.values[i] * (weights.get(index) ?? 0), 0);
    };
    expect(overlap('宫保鸡丁')).toBeGreaterThan(0);
    expect(overlap('辣子鸡')).toBe(0);
  });

  it('shares concept terms across languages', () => {
    const query = model.embedQuery(parsedQuery({ ingredients: ['tofu'] })).sparse!;
    const doc = model.embedRecipe(fixture('麻婆豆腐').analysis).sparse!;
    expect(doc.indices).toEqual(expect.arrayContaining(query.indices));
  });
});
