import fc from 'fast-check';
import { PantryIndex } from './pantry-index';

/** A random concept tree: concept i's parent is some concept before it, or none. */
const hierarchy = fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 12 }).map((parents) => {
  const parent = parents.map((p, i) => (p === undefined || i === 0 ? undefined : `c${p % i}`));
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    for (let at = parent[Number(id.slice(1))]; at !== undefined; at = parent[Number(at.slice(1))]) out.push(at);
    return out;
  };
  return { size: parents.length, ancestors };
});

describe('pantry index against a full pass', () => {
  it('finds exactly the recipes with a line some pantry concept covers either way', () => {
    fc.assert(
      fc.property(
        hierarchy,
        fc.array(fc.array(fc.option(fc.nat(), { nil: undefined }), { maxLength: 5 }), { maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        ({ size, ancestors }, recipeLines, pantryPicks) => {
          const concept = (n: number | undefined) => (n === undefined ? undefined : `c${n % size}`);
          const isA = (id: string, ancestor: string) => id === ancestor || ancestors(id).includes(ancestor);
          const recipes = recipeLines.map((lines, i) => ({ id: `r${i}`, lines: lines.map(concept) }));
          const pantry = pantryPicks.map((n) => concept(n) as string);
          const index = new PantryIndex({ ancestors });
          for (const r of recipes)
            index.add(
              r.id,
              r.lines.map((concept) => ({ name: concept ?? 'x', concept })),
              r,
            );
          const want = recipes
            .filter((r) => r.lines.some((c) => c !== undefined && pantry.some((p) => isA(p, c) || isA(c, p))))
            .map((r) => r.id);
          expect([...index.candidates(pantry)].map((o) => index.idOf(o)).sort()).toEqual(want.sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('lists a recipe indexed again after an edit once', () => {
    const index = new PantryIndex({ ancestors: () => [] });
    const lines = (...concepts: string[]) => concepts.map((concept) => ({ name: concept, concept }));
    index.add('r1', lines('egg'), 'first');
    index.add('r2', lines('tomato'), 'other');
    index.add('r1', lines('egg', 'tomato'), 'edited');
    const ids = (pantry: string[]) => [...index.candidates(pantry)].map((o) => index.idOf(o));
    expect(ids(['egg', 'tomato']).sort()).toEqual(['r1', 'r2']);
    expect(ids(['egg'])).toEqual(['r1']);
    // The kept lines and owner are the edit's.
    const [r1] = index.candidates(['egg']);
    expect(index.ownerOf(r1)).toBe('edited');
    expect(index.end(r1) - index.start(r1)).toBe(2);
  });

  it('finds recipes by a learned pantry item through their unresolved lines', () => {
    const index = new PantryIndex({ ancestors: () => [] });
    index.add('pozole', [{ name: 'pork', concept: 'pork' }, { name: '2 cups hominy, drained' }], 'a');
    index.add('salsa', [{ name: 'Tomatillos' }], 'b');
    const ids = (pantry: string[]) => [...index.candidates(pantry)].map((o) => index.idOf(o));
    expect(ids(['learned:hominy'])).toEqual(['pozole']);
    expect(ids(['learned:tomatillo'])).toEqual(['salsa']);
    expect(ids(['learned:avocado'])).toEqual([]);
  });
});
