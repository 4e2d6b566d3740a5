import { decodeDense, decodeSparse, encodeDense, encodeSparse, PayloadStrings } from './point-codec';

describe('dense blob layout', () => {
  it('stores each space as little-endian float32s, a missing space as NaNs, and reads back the same vectors', () => {
    const a = Float32Array.from([0.5, -1.25, 3]);
    const blob = encodeDense([3, 2], [a, null]);
    const expected = Buffer.alloc(20);
    [0.5, -1.25, 3, NaN, NaN].forEach((value, i) => expected.writeFloatLE(value, i * 4));
    expect(blob.equals(expected)).toBe(true);
    expect(decodeDense(blob, [3, 2])).toEqual([a, null]);
  });

  it('reads a blob that does not start on a 4-byte boundary', () => {
    const blob = encodeDense([2], [Float32Array.from([1, 2])]);
    const shifted = Buffer.concat([Buffer.from([9]), blob]).subarray(1);
    expect(shifted.byteOffset % 4).not.toBe(0);
    expect(decodeDense(shifted, [2])).toEqual([Float32Array.from([1, 2])]);
  });

  it('refuses a blob of the wrong length', () => {
    expect(() => decodeDense(Buffer.alloc(12), [2])).toThrow(/needs 8/);
  });
});

describe('sparse blob layout', () => {
  it('reads back the indices and values written, from a blob at any offset', () => {
    const row = { indices: Uint32Array.from([3, 17, 4_000_000_000]), values: Float32Array.from([0.25, -1.5, 2]) };
    const blob = encodeSparse(row);
    const shifted = Buffer.concat([Buffer.from([1, 2, 3]), blob]).subarray(3);
    for (const source of [blob, shifted]) {
      const decoded = decodeSparse(source);
      expect(Array.from(decoded.indices)).toEqual([3, 17, 4_000_000_000]);
      expect(Array.from(decoded.values)).toEqual([0.25, -1.5, 2]);
    }
    expect(Array.from(decodeSparse(Buffer.alloc(0)).indices)).toEqual([]);
  });

  it('copies the blob: changing the blob afterwards changes nothing read', () => {
    const blob = encodeSparse({ indices: Uint32Array.from([1]), values: Float32Array.from([1]) });
    const decoded = decodeSparse(blob);
    blob.fill(0);
    expect(decoded.indices[0]).toBe(1);
    expect(decoded.values[0]).toBe(1);
  });
});

describe('stored payloads', () => {
  const stored = (id: string) =>
    JSON.stringify({
      recipeId: id,
      name: `dish ${id}`,
      source: 'howtocook',
      language: 'zh',
      category: 'soup',
      cuisine: null,
      diets: ['vegetarian'],
      flavors: ['spicy'],
      allergens: ['gluten'],
      concepts: ['tomato', 'vegetable'],
      totalMinutes: 20,
    });

  it('read back equal to the JSON written', () => {
    const strings = new PayloadStrings();
    expect(strings.decode(stored('a'))).toEqual(JSON.parse(stored('a')));
  });

  it('keep nulls, numbers and fields an older payload lacks as written', () => {
    const strings = new PayloadStrings();
    strings.decode(stored('a'));
    const older = JSON.stringify({
      recipeId: 'b',
      name: 'b',
      source: 'howtocook',
      language: 'en',
      category: null,
      cuisine: null,
      concepts: [],
      totalMinutes: null,
    });
    expect(strings.decode(older)).toEqual(JSON.parse(older));
  });
});
