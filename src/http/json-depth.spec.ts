import { jsonDepthExceeds } from './json-depth';

const nestedArrays = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels));
const nestedObjects = (levels: number) => JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));

describe('jsonDepthExceeds', () => {
  it('counts each object or array as one level and scalars as none', () => {
    expect(jsonDepthExceeds('text', 0)).toBe(false);
    expect(jsonDepthExceeds(null, 0)).toBe(false);
    expect(jsonDepthExceeds({}, 0)).toBe(true);
    expect(jsonDepthExceeds({}, 1)).toBe(false);
    expect(jsonDepthExceeds({ recipes: [{ ingredients: [{ name: 'salt' }] }] }, 5)).toBe(false);
    expect(jsonDepthExceeds({ recipes: [{ ingredients: [{ name: 'salt' }] }] }, 4)).toBe(true);
  });

  it('finds the deep branch wherever it is, in arrays and objects', () => {
    expect(jsonDepthExceeds([1, 2, [3, [4, [5]]]], 3)).toBe(true);
    expect(jsonDepthExceeds([1, 2, [3, [4, [5]]]], 4)).toBe(false);
    expect(jsonDepthExceeds({ a: 1, b: { c: 'x' }, d: { e: { f: { g: {} } } } }, 4)).toBe(true);
  });

  it('answers for bodies nested far beyond what recursion could walk', () => {
    expect(jsonDepthExceeds(nestedArrays(200_000), 32)).toBe(true);
    expect(jsonDepthExceeds(nestedObjects(50_000), 32)).toBe(true);
    expect(jsonDepthExceeds(nestedObjects(32), 32)).toBe(false);
    expect(jsonDepthExceeds(nestedObjects(33), 32)).toBe(true);
  });
});
