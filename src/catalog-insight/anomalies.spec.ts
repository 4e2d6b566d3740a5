import { AnomalyInput, DietFacts, detectAnomalies, outlierThreshold } from './anomalies';

const facts: DietFacts = {
  breaksDiets: (c) => (['pork', 'chicken'].includes(c) ? ['vegetarian', 'vegan'] : c === 'egg' ? ['vegan'] : []),
  allergensOf: (c) => (c === 'wheat-flour' ? ['gluten'] : c === 'egg' ? ['egg'] : []),
  nameOf: (c) => c,
};

function input(overrides: Partial<AnomalyInput> = {}): AnomalyInput {
  return {
    name: '番茄炒蛋',
    language: 'zh',
    category: null,
    tags: [],
    ingredientNames: ['番茄', '鸡蛋', '盐'],
    resolvedLines: 3,
    ingredientConcepts: ['tomato', 'egg', 'salt'],
    totalMinutes: 15,
    familySimilarity: 0.9,
    ...overrides,
  };
}

const codes = (i: AnomalyInput) => detectAnomalies(i, facts, { farFromFamilies: 0.5 }).map((a) => a.code);

describe('detectAnomalies', () => {
  it('finds nothing in an ordinary recipe', () => {
    expect(codes(input())).toEqual([]);
  });

  it('flags a vegetarian claim in the tags or name against a listed meat', () => {
    expect(codes(input({ tags: ['vegetarian'], ingredientConcepts: ['pork', 'potato'] }))).toEqual(['DIET_CONTRADICTION']);
    expect(codes(input({ name: '素炒肉片', ingredientConcepts: ['pork'] }))).toEqual(['DIET_CONTRADICTION']);
    expect(codes(input({ name: 'Vegan omelette', language: 'en', ingredientNames: ['egg', 'salt', 'chive'] }))).toEqual([
      'DIET_CONTRADICTION',
    ]);
  });

  it('does not read a category tag or a denial as a diet claim', () => {
    expect(codes(input({ tags: ['素菜'], ingredientConcepts: ['pork'] }))).toEqual([]);
    expect(codes(input({ tags: ['non vegetarian'], ingredientConcepts: ['chicken'] }))).toEqual([]);
  });

  it('flags a free-from claim against an ingredient of that allergen group', () => {
    expect(codes(input({ tags: ['无麸质'], ingredientConcepts: ['wheat-flour', 'sugar'] }))).toEqual(['ALLERGEN_CONTRADICTION']);
  });

  it('flags implausible times and list lengths, but not a one-line list', () => {
    expect(codes(input({ totalMinutes: 0 }))).toEqual(['IMPLAUSIBLE_TIME']);
    expect(codes(input({ totalMinutes: 20000 }))).toEqual(['IMPLAUSIBLE_TIME']);
    expect(codes(input({ ingredientNames: [], resolvedLines: 0, ingredientConcepts: [] }))).toContain('IMPLAUSIBLE_INGREDIENT_COUNT');
    expect(codes(input({ ingredientNames: ['猪肉'], resolvedLines: 1 }))).toEqual([]);
  });

  it('flags lists the lexicon mostly failed to read', () => {
    expect(codes(input({ ingredientNames: ['a', 'b', 'c', 'd', 'e'], resolvedLines: 1 }))).toContain('UNRESOLVED_INGREDIENTS');
  });

  it('flags a dish far from every family, and text in the other script', () => {
    expect(codes(input({ familySimilarity: 0.2 }))).toEqual(['FAR_FROM_FAMILIES']);
    expect(codes(input({ language: 'en' }))).toEqual(['LANGUAGE_MISMATCH']);
    expect(codes(input({ name: 'Pasta al pomodoro', ingredientNames: ['pasta', 'tomato', 'basil'] }))).toEqual(['LANGUAGE_MISMATCH']);
  });

  it('lists the most serious finding first', () => {
    const found = detectAnomalies(input({ tags: ['vegetarian'], ingredientConcepts: ['pork'], familySimilarity: 0.45 }), facts, {
      farFromFamilies: 0.5,
    });
    expect(found.map((a) => a.code)).toEqual(['DIET_CONTRADICTION', 'FAR_FROM_FAMILIES']);
  });
});

describe('outlierThreshold', () => {
  it('is the lower Tukey fence of the similarities', () => {
    expect(outlierThreshold([0.6, 0.7, 0.8, 0.9, 1.0])).toBeCloseTo(0.7 - 1.5 * 0.2, 10);
  });
});
