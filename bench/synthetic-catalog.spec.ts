import { loadBundledSeed } from '../src/recipes/importers/seed-loader';
import { RecipeInput } from '../src/recipes/recipe.types';
import { SyntheticCatalog } from './synthetic-catalog';

const SAMPLE = 4_000;
const key = (name: string): string => name.trim().toLowerCase();

function shares<T>(items: readonly T[], of: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(of(item), (counts.get(of(item)) ?? 0) + 1);
  return new Map([...counts].map(([k, n]) => [k, n / items.length]));
}

function meanIngredients(recipes: readonly RecipeInput[]): number {
  return recipes.reduce((sum, r) => sum + new Set(r.ingredients.map((i) => key(i.name))).size, 0) / recipes.length;
}

function topIngredients(recipes: readonly RecipeInput[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const recipe of recipes)
    for (const name of new Set(recipe.ingredients.map((i) => key(i.name)))) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([name]) => name);
}

describe('SyntheticCatalog', () => {
  let seed: RecipeInput[];
  let catalog: SyntheticCatalog;
  let sample: RecipeInput[];

  beforeAll(async () => {
    seed = (await loadBundledSeed()).flatMap((result) => result.recipes).filter((r) => r.ingredients.length > 0);
    catalog = SyntheticCatalog.learn(seed);
    sample = catalog.generate(42, 0, SAMPLE, 'syn-');
  });

  it('keeps the seed mix of languages and cuisines', () => {
    for (const of of [(r: RecipeInput) => r.language ?? '-', (r: RecipeInput) => r.cuisine ?? '-']) {
      const expected = shares(seed, of);
      const actual = shares(sample, of);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [value, share] of expected) expect(Math.abs((actual.get(value) ?? 0) - share)).toBeLessThan(0.04);
    }
  });

  it('draws categories from the seed and ingredient counts close to its own', () => {
    const categories = new Set(seed.map((r) => r.category));
    expect(sample.every((r) => categories.has(r.category))).toBe(true);
    expect(Math.abs(meanIngredients(sample) / meanIngredients(seed) - 1)).toBeLessThan(0.15);
    expect(sample.every((r) => r.ingredients.length >= 1)).toBe(true);
  });

  it('uses only ingredient names the seed uses, with the same common ones', () => {
    const vocabulary = new Set(seed.flatMap((r) => r.ingredients.map((i) => key(i.name))));
    expect(sample.every((r) => r.ingredients.every((i) => vocabulary.has(key(i.name))))).toBe(true);
    const seedTop = new Set(topIngredients(seed, 20));
    expect(topIngredients(sample, 20).filter((name) => seedTop.has(name)).length).toBeGreaterThanOrEqual(14);
    // No duplicate ingredient within a recipe.
    expect(sample.every((r) => new Set(r.ingredients.map((i) => key(i.name))).size === r.ingredients.length)).toBe(true);
  });

  it('names most recipes apart from their template, in the template language', () => {
    const seedNames = new Set(seed.map((r) => r.name));
    const renamed = sample.filter((r) => !seedNames.has(r.name));
    expect(renamed.length / sample.length).toBeGreaterThan(0.4);
    expect(new Set(sample.map((r) => r.name)).size).toBeGreaterThan(2 * seedNames.size);
    const cjk = /[\u4e00-\u9fff]/;
    for (const recipe of sample) expect(cjk.test(recipe.name)).toBe(recipe.language === 'zh');
  });

  it('gives every recipe its own sourceId and generates any slice on its own, the same each time', () => {
    expect(new Set(sample.map((r) => `${r.source}/${r.sourceId}`)).size).toBe(SAMPLE);
    expect(catalog.generate(42, 100, 50, 'syn-')).toEqual(sample.slice(100, 150));
    expect(catalog.generate(43, 100, 50, 'syn-')).not.toEqual(sample.slice(100, 150));
  });
});
