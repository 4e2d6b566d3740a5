import { SeededRandom } from '../../common/seeded-random';
import { compileRecipeFilter } from '../recipe-filter';
import type { RecipeFilter, RecipePayload } from '../vector-store.port';
import { EmbeddedCollection } from './embedded-collection';

const SOURCES = ['howtocook', 'yunyoujun', 'indian'];
const DIETS = ['vegetarian', 'vegan', 'gluten-free'];
const ALLERGENS = ['peanut', 'dairy', 'shellfish', 'gluten'];
const CONCEPTS = ['pork', 'chicken', 'coriander', 'egg', 'tomato', 'tofu', 'chili', 'rice'];
const CATEGORIES = ['main', 'soup', 'dessert'];

function pick<T>(rng: SeededRandom, values: readonly T[], p: number): T[] {
  return values.filter(() => rng.next() < p);
}

function payload(rng: SeededRandom, id: string): RecipePayload {
  return {
    recipeId: id,
    name: id,
    source: SOURCES[rng.nextInt(SOURCES.length)],
    language: rng.next() < 0.7 ? 'zh' : 'en',
    category: rng.next() < 0.2 ? null : CATEGORIES[rng.nextInt(CATEGORIES.length)],
    cuisine: rng.next() < 0.5 ? null : 'chinese',
    diets: pick(rng, DIETS, 0.3),
    flavors: [],
    allergens: pick(rng, ALLERGENS, 0.25),
    concepts: pick(rng, CONCEPTS, 0.3),
    // Times on and between the index's minute steps, fractional ones and days.
    totalMinutes: rng.next() < 0.3 ? null : rng.next() < 0.1 ? 1000 + rng.nextInt(4000) + rng.next() : 5 + rng.nextInt(120),
  };
}

function randomFilter(rng: SeededRandom, ids: string[]): RecipeFilter {
  const filter: RecipeFilter = {};
  if (rng.next() < 0.15) filter.ids = pick(rng, ids, 0.1).concat(['missing-id']);
  if (rng.next() < 0.3) filter.excludeIds = pick(rng, ids, 0.05);
  if (rng.next() < 0.3) filter.sources = pick(rng, SOURCES, 0.5);
  if (rng.next() < 0.2) filter.languages = ['en'];
  if (rng.next() < 0.3) filter.categories = pick(rng, [...CATEGORIES, 'unknown'], 0.4);
  if (rng.next() < 0.2) filter.cuisines = ['chinese'];
  if (rng.next() < 0.3) filter.diets = pick(rng, [...DIETS, 'keto'], 0.3);
  if (rng.next() < 0.3) filter.excludeAllergens = pick(rng, ALLERGENS, 0.4);
  if (rng.next() < 0.4) filter.excludeConcepts = pick(rng, [...CONCEPTS, 'never-seen'], 0.3);
  if (rng.next() < 0.3) filter.maxMinutes = rng.next() < 0.2 ? 1000 + rng.nextInt(5000) : rng.nextInt(130);
  if (rng.next() < 0.2) filter.requireMinutes = true;
  return filter;
}

describe('the embedded collection payload index', () => {
  it('lets through exactly the rows the filter semantics allow, through writes, overwrites and swap-removes', () => {
    const rng = new SeededRandom(7);
    // A small initial capacity so the collection grows (and the bitsets with it) several times.
    const collection = new EmbeddedCollection('c', { modelId: 'm', dense: {}, sparse: false, distance: 'cosine' }, 16);
    const live = new Map<string, RecipePayload>();
    let next = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 60; i++) {
        const r = rng.next();
        const known = [...live.keys()];
        if (r < 0.6 || known.length === 0) {
          const id = `r${next++}`;
          live.set(id, payload(rng, id));
          collection.put({ id, contentHash: 'h', payload: live.get(id)!, dense: [], sparse: null });
        } else if (r < 0.8) {
          const id = known[rng.nextInt(known.length)];
          live.set(id, payload(rng, id));
          collection.put({ id, contentHash: 'h', payload: live.get(id)!, dense: [], sparse: null });
        } else {
          const id = known[rng.nextInt(known.length)];
          live.delete(id);
          collection.remove(id);
        }
      }
      const ids = [...live.keys()];
      for (let q = 0; q < 10; q++) {
        const filter = randomFilter(rng, ids);
        const reference = compileRecipeFilter(filter);
        const expected = ids.filter((id) => reference === null || reference(id, live.get(id)!)).sort();
        const mask = collection.buildMask(filter);
        const got = ids.filter((id) => mask === null || mask.test(collection.rowIndex(id)!)).sort();
        expect(got).toEqual(expected);
        expect(collection.count(filter)).toBe(expected.length);
        if (mask) {
          const bytes = mask.mask();
          expect(ids.filter((id) => bytes[collection.rowIndex(id)!] === 1).sort()).toEqual(expected);
          expect(mask.estimateMatches()).toBe(expected.length);
          const rows = new Int32Array(ids.length);
          const n = mask.rows(rows);
          const listed = [...rows.subarray(0, n)];
          expect(listed).toEqual([...listed].sort((a, b) => a - b));
          expect(listed.map((row) => collection.idAt(row)).sort()).toEqual(expected);
        }
      }
    }
    expect(live.size).toBeGreaterThan(500);
  });
});
