import { SeededRandom } from '../../common/seeded-random';
import { dot, dotInt8, int8DotRun, useDotKernel } from './dot-kernel';
import { Int8Codes } from './int8-codes';
import { VectorBlocks } from './vector-blocks';

function unitVectors(rng: SeededRandom, count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const x = (rng.next() - 0.5) * (rng.next() < 0.05 ? 6 : 1);
      out[i * dim + j] = x;
      norm += x * x;
    }
    for (let j = 0; j < dim; j++) out[i * dim + j] /= Math.sqrt(norm);
  }
  return out;
}

describe('Int8Codes', () => {
  afterEach(() => useDotKernel(true));

  it('covers every value of a sample, clips values past it, and reads values back within half a step', () => {
    const values = Float32Array.from({ length: 10_000 }, (_, i) => -0.9 + (1.8 * i) / 9_999);
    const codes = Int8Codes.fromSample(values, 10_000, 1);
    expect(codes.mid).toBeCloseTo(0, 5);
    expect(codes.step * 127).toBeCloseTo(0.9, 5);
    const out = new Int8Array(codes.stride);
    for (const x of [-0.9, -0.31, 0, 0.005, 0.42, 0.9]) {
      codes.encode(Float32Array.of(x), 0, out, 0);
      expect(Math.abs(codes.mid + codes.step * out[0] - x)).toBeLessThanOrEqual(codes.step / 2 + 1e-7);
    }
    codes.encode(Float32Array.of(1), 0, out, 0);
    expect(out[0]).toBe(127);
    codes.encode(Float32Array.of(-1), 0, out, 0);
    expect(out[0]).toBe(-127);
    // The padding to a multiple of 16 bytes is zero.
    expect(Array.from(out.subarray(1))).toEqual(new Array(15).fill(0));
  });

  it('places an off-centre range on an off-centre sample, and a narrower one when asked for a quantile', () => {
    const values = Float32Array.from({ length: 1_000 }, (_, i) => 0.2 + (0.6 * i) / 999);
    const codes = Int8Codes.fromSample(values, 1_000, 1);
    expect(codes.mid).toBeCloseTo(0.5, 5);
    expect(codes.step * 127).toBeCloseTo(0.3, 5);
    expect(Int8Codes.fromSample(values, 1_000, 1, 0.9).step * 127).toBeCloseTo(0.27, 2);
  });

  it('reads every dimension of a large sample, whatever its width', () => {
    // 192-wide rows, one dimension far wider than the others: a stride that read only some
    // dimensions would miss it and clip every value there.
    const dim = 192;
    const rows = 2_000;
    const sample = new Float32Array(rows * dim).fill(0.01);
    for (let i = 0; i < rows; i++) sample[i * dim + 5] = i % 2 === 0 ? 0.8 : -0.8;
    const codes = Int8Codes.fromSample(sample, rows, dim);
    expect(codes.step * 127).toBeCloseTo(0.8, 5);
  });

  it.each([
    ['the kernel', 192, true],
    ['the kernel', 20, true],
    ['the kernel', 3_072, true],
    ['the scalar fallback', 192, false],
  ])('scores codes against a query in int32 without overflow, near the float dot product: %s, %i dimensions', (_, dim, on) => {
    expect(useDotKernel(on)).toBe(on);
    const rng = new SeededRandom(dim);
    const count = 1_500;
    const vectors = unitVectors(rng, count, dim);
    const codes = Int8Codes.fromSample(vectors, count, dim);
    const block = new Int8Array(count * codes.stride);
    for (let i = 0; i < count; i++) codes.encode(vectors, i * dim, block, i * codes.stride);
    const query = unitVectors(rng, 1, dim);
    const prepared = codes.prepareQuery(query);
    const products = Int32Array.from(int8DotRun(block, count, codes.stride, prepared.values));
    let worst = 0;
    for (let i = 0; i < count; i++) {
      // The exact integer sum, in float64 (every partial sum is far below 2^53).
      let exact = 0;
      for (let j = 0; j < codes.stride; j++) exact += block[i * codes.stride + j] * prepared.values[j];
      expect(products[i]).toBe(exact);
      expect(dotInt8(block, i * codes.stride, prepared.values, codes.stride)).toBe(exact);
      worst = Math.max(worst, Math.abs(products[i] * prepared.scale + prepared.shift - dot(vectors, i * dim, query, dim)));
    }
    // Scores of unit vectors lie in [-1, 1]; the int8 ones stay within a hundredth or two.
    expect(worst).toBeLessThan(0.02);
  });

  it('keeps the largest possible sums inside int32 at wide dimensions', () => {
    const dim = 4_096;
    const codes = new Int8Codes(dim, 0, 1);
    const all = new Float32Array(dim).fill(1);
    const block = new Int8Array(codes.stride);
    codes.encode(all, 0, block, 0);
    const prepared = codes.prepareQuery(all);
    const [product] = int8DotRun(block, 1, codes.stride, prepared.values);
    expect(product).toBeGreaterThan(0);
    expect(product * prepared.scale).toBeCloseTo(dim, 0);
  });
});

describe('VectorBlocks', () => {
  it("keeps each block's codes and lengths those of its keys' vectors through entries, leaves and moves", () => {
    const dim = 24;
    const rng = new SeededRandom(3);
    const vectors = unitVectors(rng, 400, dim);
    const codes = Int8Codes.fromSample(vectors, 400, dim);
    const blocks = new VectorBlocks(codes, 5);
    const rowsOf = new Map<number, number>();
    const listOfKey = new Map<number, number>();
    const churn = new SeededRandom(4);
    for (let step = 0; step < 3_000; step++) {
      const key = churn.nextInt(400);
      const held = rowsOf.get(key) ?? 0;
      if (held > 0 && churn.nextInt(2) === 0) {
        blocks.leave(key);
        rowsOf.set(key, held - 1);
      } else {
        // A key's rows all join one list (the index assigns by key).
        const list = held > 0 ? listOfKey.get(key)! : churn.nextInt(5);
        blocks.enter(list, key, vectors, key * dim);
        listOfKey.set(key, list);
        rowsOf.set(key, held + 1);
      }
    }
    const expected = new Int8Array(codes.stride);
    let seen = 0;
    for (let list = 0; list < 5; list++) {
      const block = blocks.block(list);
      for (let i = 0; i < block.size; i++) {
        const key = block.keys[i];
        expect(rowsOf.get(key)).toBeGreaterThan(0);
        expect(listOfKey.get(key)).toBe(list);
        codes.encode(vectors, key * dim, expected, 0);
        expect(Array.from(block.codes.subarray(i * codes.stride, (i + 1) * codes.stride))).toEqual(Array.from(expected));
        expect(block.squaredNorms[i]).toBeCloseTo(1, 5);
        seen++;
      }
    }
    expect(seen).toBe([...rowsOf.values()].filter((n) => n > 0).length);
  });
});
