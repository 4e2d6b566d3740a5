import { decodeDense, encodeDense } from './point-codec';

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
