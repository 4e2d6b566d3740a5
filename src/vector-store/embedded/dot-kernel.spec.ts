import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';
import { SeededRandom } from '../../common/seeded-random';
import { dot, DOT_KERNEL_WASM, dotRun, useDotKernel } from './dot-kernel';

function randomVectors(rng: SeededRandom, count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  for (let i = 0; i < out.length; i++) out[i] = (rng.next() - 0.5) * (rng.next() < 0.1 ? 40 : 0.4);
  return out;
}

describe('dot kernel', () => {
  afterEach(() => useDotKernel(true));

  it('is available on the Node versions the service runs on (WebAssembly SIMD)', () => {
    expect(useDotKernel(true)).toBe(true);
  });

  it.each([
    ['the kernel', 1, true],
    ['the kernel', 3, true],
    ['the kernel', 4, true],
    ['the kernel', 5, true],
    ['the kernel', 48, true],
    ['the kernel', 191, true],
    ['the kernel', 192, true],
    ['the kernel', 384, true],
    ['the scalar fallback', 5, false],
    ['the scalar fallback', 192, false],
  ])('gives every score bit for bit as the scalar dot product: %s, %i dimensions', (_, dim, on) => {
    expect(useDotKernel(on)).toBe(on);
    const rng = new SeededRandom(dim);
    // Past the first layout's 256 vectors (laid out again and grown) and past one chunk of 1,024.
    for (const count of [1, 7, 300, 2_500]) {
      const vectors = randomVectors(rng, count, dim);
      const query = randomVectors(rng, 1, dim);
      const scores = dotRun(vectors, count, dim, query);
      const mismatches: number[] = [];
      for (let i = 0; i < count; i++) if (!Object.is(scores[i], dot(vectors, i * dim, query, dim))) mismatches.push(i);
      expect(mismatches).toEqual([]);
    }
  });

  it('reads only the first `count` vectors and the first `dim` values of the query', () => {
    const rng = new SeededRandom(5);
    const dim = 16;
    const vectors = randomVectors(rng, 10, dim);
    const query = randomVectors(rng, 2, dim);
    const scores = dotRun(vectors, 4, dim, query);
    expect(Array.from(scores.subarray(0, 4))).toEqual([0, 1, 2, 3].map((i) => dot(vectors, i * dim, query, dim)));
  });

  it('runs the bytes compiled from dot-kernel.wat', async () => {
    const module = (await wabt()).parseWat('dot-kernel.wat', readFileSync(join(__dirname, 'dot-kernel.wat'), 'utf8'), { simd: true });
    const bytes = Buffer.from(module.toBinary({}).buffer);
    module.destroy();
    expect(DOT_KERNEL_WASM).toBe(bytes.toString('base64'));
  });
});
