import fc from 'fast-check';
import { Ingredient } from '../recipes/recipe.types';
import { PantryIndex, PantryLexicon } from './pantry-index';
import { PantryMatcher } from './pantry-matcher';

/** A random concept tree: concept i's parent is some concept before it, or none; some concepts are staples. */
const hierarchy = fc
  .record({
    parents: fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 12 }),
    staples: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  })
  .map(({ parents, staples }) => {
    const parent = parents.map((p, i) => (p === undefined || i === 0 ? undefined : `c${p % i}`));
    const ancestors = (id: string): string[] => {
      const out: string[] = [];
      for (let at = parent[Number(id.slice(1))]; at !== undefined; at = parent[Number(at.slice(1))]) out.push(at);
      return out;
    };
    const lexicon: PantryLexicon = {
      ancestors,
      isA: (id, ancestor) => id === ancestor || ancestors(id).includes(ancestor),
      isStaple: (id) => staples[Number(id.slice(1))],
    };
    return { size: parents.length, lexicon };
  });

const UNRESOLVED = ['2 cups hominy, drained', 'Hominy', 'Tomatillos', 'house sauce'];
const line = fc.record({
  concept: fc.option(fc.nat(), { nil: undefined }),
  name: fc.nat(),
  optional: fc.boolean(),
});

describe('pantry index against the matcher', () => {
  it('counts what every touched recipe misses and uses, and touches every recipe a pantry item covers', () => {
    fc.assert(
      fc.property(
        hierarchy,
        fc.array(fc.array(line, { maxLength: 8 }), { maxLength: 30 }),
        fc.array(fc.oneof(fc.nat(), fc.constantFrom('learned:hominy', 'learned:tomatillo')), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        ({ size, lexicon }, recipeLines, pantryPicks, anchorPick) => {
          const index = new PantryIndex(lexicon);
          const matcher = new PantryMatcher(lexicon);
          const recipes = recipeLines.map((lines, i) => ({
            id: `r${i}`,
            lines: lines.map((l): Ingredient =>
              l.concept === undefined
                ? { name: UNRESOLVED[l.name % UNRESOLVED.length], optional: l.optional }
                : { name: `n${l.name % 3}`, concept: `c${l.concept % size}`, optional: l.optional },
            ),
          }));
          const pantry = [...new Set(pantryPicks.map((p) => (typeof p === 'number' ? `c${p % size}` : p)))];
          const anchor = pantry.filter((_, i) => (anchorPick >> (i % 30)) & 1 || i === 0);
          const ordinals = recipes.map((r) => index.add(r.id, r.lines, r));
          const touched = new Set(index.touch(pantry, anchor));
          recipes.forEach((r, i) => {
            const match = matcher.match(pantry, r.lines);
            expect(touched.has(ordinals[i])).toBe(match.used.some((c) => anchor.includes(c)));
            if (!touched.has(ordinals[i])) return;
            expect(index.missing(ordinals[i])).toBe(match.missingCount);
            expect(index.used(ordinals[i])).toBe(match.used.length);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('flags a recipe indexed again after an edit, and keeps the edit as its owner', () => {
    const lexicon: PantryLexicon = { ancestors: () => [], isA: (a, b) => a === b, isStaple: () => false };
    const index = new PantryIndex(lexicon);
    const lines = (...concepts: string[]) => concepts.map((concept) => ({ name: concept, concept }));
    const r1 = index.add('r1', lines('egg'), 'first');
    const r2 = index.add('r2', lines('tomato'), 'other');
    expect(index.isReindexed(r1)).toBe(false);
    expect(index.add('r1', lines('egg', 'tomato'), 'edited')).toBe(r1);
    expect(index.isReindexed(r1)).toBe(true);
    expect(index.isReindexed(r2)).toBe(false);
    expect(index.ownerOf(r1)).toBe('edited');
    expect([...index.touch(['egg', 'tomato'], ['egg', 'tomato'])].sort()).toEqual([r1, r2]);
  });

  it('counts pantries of more than 32 items (several words of bits per recipe)', () => {
    const lexicon: PantryLexicon = { ancestors: () => [], isA: (a, b) => a === b, isStaple: () => false };
    const index = new PantryIndex(lexicon);
    const pantry = Array.from({ length: 70 }, (_, i) => `c${i}`);
    const lines = (...concepts: string[]) => concepts.map((concept) => ({ name: concept, concept }));
    const a = index.add('a', lines('c3', 'c35', 'c69', 'x'), 'a');
    const b = index.add('b', lines('c40', 'y'), 'b');
    expect([...index.touch(pantry, ['c35'])]).toEqual([a]);
    expect([index.used(a), index.missing(a)]).toEqual([3, 1]);
    expect([...index.touch(pantry, ['c40', 'c69'])].sort()).toEqual([a, b]);
    expect([index.used(b), index.missing(b)]).toEqual([1, 1]);
  });

  it('finds recipes by a learned pantry item through their unresolved lines', () => {
    const lexicon: PantryLexicon = { ancestors: () => [], isA: (a, b) => a === b, isStaple: () => false };
    const index = new PantryIndex(lexicon);
    index.add('pozole', [{ name: 'pork', concept: 'pork' }, { name: '2 cups hominy, drained' }], 'a');
    index.add('salsa', [{ name: 'Tomatillos' }], 'b');
    const ids = (pantry: string[]) => [...index.touch(pantry, pantry)].map((o) => index.idOf(o));
    expect(ids(['learned:hominy'])).toEqual(['pozole']);
    expect(ids(['learned:tomatillo'])).toEqual(['salsa']);
    expect(ids(['learned:avocado'])).toEqual([]);
    const [pozole] = index.touch(['learned:hominy'], ['learned:hominy']);
    expect(index.missing(pozole)).toBe(1);
  });
});
