/** dot-kernel.wat compiled by `npm run build:wasm` (533 bytes). */
export const DOT_KERNEL_WASM =
  'AGFzbQEAAAABCQFgBX9/f39/AAMDAgAABQMBAAEHHAMGbWVtb3J5AgAEZG90cwAACGRvdHNJbnQ4AAEK1wMCpQIDA38EewF8IAAhBwJAA0AgBSABTw0BRAAAAAAAAAAA/RQhCEQAAAAAAAAAAP0UIQlBACEGAkADQCAGQQRqIAJLDQEgByAGQQJ0av0ABAAhCiADIAZBAnRq/QAEACELIAggCv1fIAv9X/3yAf3wASEIIAkgCiAK/Q0ICQoLDA0ODwABAgMEBQYH/V8gCyAL/Q0ICQoLDA0ODwABAgMEBQYH/V/98gH98AEhCSAGQQRqIQYMAAsLIAj9IQAhDAJAA0AgBiACTw0BIAwgByAGQQJ0aioCALsgAyAGQQJ0aioCALuioCEMIAZBAWohBgwACwsgBCAFQQN0aiAMIAj9IQGgIAn9IQCgIAn9IQGgOQMAIAcgAkECdGohByAFQQFqIQUMAAsLC60BAgN/AnsgACEHAkADQCAFIAFPDQFBAP0RIQhBACEGAkADQCAGIAJPDQEgByAGav0ABAAhCSAIIAn9hwEgAyAGQQF0av0ABAD9ugH9rgEhCCAIIAn9iAEgAyAGQQF0QRBqav0ABAD9ugH9rgEhCCAGQRBqIQYMAAsLIAQgBUECdGogCP0bACAI/RsBaiAI/RsCIAj9GwNqajYCACAHIAJqIQcgBUEBaiEFDAALCws=';

const PAGE = 65_536;
/** Vectors copied into the kernel's memory at a time: 768 KiB at 192 dimensions. */
const CHUNK = 1024;

/** The WebAssembly members used here: the project's lib is ES2022, without the DOM's typings of them. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * Dot products of a run of vectors with one query in WebAssembly SIMD, bit-identical to the
 * scalar {@link dot} below (dot-kernel.wat says why), so a scan may use either and rank the same.
 *
 * Why: the dense scans spend most of their time in that loop, which V8 runs one float at a time.
 * On the 100,000-recipe bench catalog's vectors in blocks of 160 (an inverted list's size there),
 * 64 cycled so they come from memory as in a scan: 153 ns a vector in the scalar loop, 58 ns
 * with the kernel including the copy into its memory; a dense query 0.356 → 0.191 ms
 * (bench/dense-kernel-bench.ts).
 *
 * The kernel owns its memory: each call copies the vectors and the query in, and the scores
 * come back in {@link DotKernel.scores}, valid until the next call. Callers run on one thread
 * and do not interleave calls, so one instance serves the process.
 */
export class DotKernel {
  /** The last call's scores: `scores[i]` for the call's vector i. */
  scores = new Float64Array(0);
  private floats = new Float32Array(0);
  /** Vectors the current layout has room for, and the width it was laid out for. */
  private capacity = 0;
  private dim = -1;
  private queryAt = 0;
  private vectorsAt = 0;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly run: (vectors: number, count: number, dim: number, query: number, scores: number) => void,
  ) {}

  /** The kernel, or null where WebAssembly SIMD is not available (the scalar loop then serves). */
  static create(): DotKernel | null {
    const exports = instantiated();
    return exports && new DotKernel(exports.memory as WasmMemory, exports.dots as DotKernel['run']);
  }

  /**
   * Scores the first `count` vectors of `vectors` (`dim` floats each) against `query`; returns
   * {@link scores}. The vectors go in CHUNK at a time, so the kernel's memory (which never
   * shrinks) stays at a chunk of vectors and the scores however long the run.
   */
  dots(vectors: Float32Array, count: number, dim: number, query: Float32Array): Float64Array {
    if (count > this.capacity || dim !== this.dim) this.layOut(count, dim);
    const { floats, queryAt, vectorsAt } = this;
    floats.set(query.subarray(0, dim), queryAt >> 2);
    for (let from = 0; from < count; from += CHUNK) {
      const n = Math.min(CHUNK, count - from);
      floats.set(vectors.subarray(from * dim, (from + n) * dim), vectorsAt >> 2);
      this.run(vectorsAt, n, dim, queryAt, from * 8);
    }
    return this.scores;
  }

  /** As {@link dots}, for the vectors `vectors[key · dim ..]` of the first `count` of `keys`, copied in one by one. */
  dotsOf(vectors: Float32Array, keys: Int32Array, count: number, dim: number, query: Float32Array): Float64Array {
    if (count > this.capacity || dim !== this.dim) this.layOut(count, dim);
    const { floats, queryAt, vectorsAt } = this;
    floats.set(query.subarray(0, dim), queryAt >> 2);
    for (let from = 0; from < count; from += CHUNK) {
      const n = Math.min(CHUNK, count - from);
      for (let i = 0, at = vectorsAt >> 2; i < n; i++, at += dim) {
        const base = keys[from + i] * dim;
        floats.set(vectors.subarray(base, base + dim), at);
      }
      this.run(vectorsAt, n, dim, queryAt, from * 8);
    }
    return this.scores;
  }

  /** Scores (float64, room for `capacity`) at 0, then the query, then a chunk of vectors, each on a 16-byte boundary. */
  private layOut(count: number, dim: number): void {
    const capacity = Math.max(count, dim === this.dim ? this.capacity * 2 : 0, 256);
    const { queryAt, vectorsAt } = layOut(this.memory, capacity * 8, dim * 4, CHUNK * dim * 4);
    this.capacity = capacity;
    this.dim = dim;
    this.queryAt = queryAt;
    this.vectorsAt = vectorsAt;
    this.scores = new Float64Array(this.memory.buffer, 0, capacity);
    this.floats = new Float32Array(this.memory.buffer);
  }
}

/**
 * The module's `dotsInt8`: exact int32 dot products of int8 codes with an int16 query (see
 * int8-codes.ts), sixteen codes an instruction group. An instance of its own, so its memory's
 * layout is not the float kernel's. Same ownership as {@link DotKernel}: the codes and the query
 * are copied in, the scores are valid until the next call.
 */
export class Int8DotKernel {
  /** The last call's scores. */
  scores = new Int32Array(0);
  private bytes = new Int8Array(0);
  private shorts = new Int16Array(0);
  private capacity = 0;
  private stride = -1;
  private queryAt = 0;
  private codesAt = 0;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly run: (codes: number, count: number, stride: number, query: number, scores: number) => void,
  ) {}

  static create(): Int8DotKernel | null {
    const exports = instantiated();
    return exports && new Int8DotKernel(exports.memory as WasmMemory, exports.dotsInt8 as Int8DotKernel['run']);
  }

  /** Scores the first `count` codes of `codes` (`stride` bytes each, a multiple of 16) against `query` (`stride` values). */
  dots(codes: Int8Array, count: number, stride: number, query: Int16Array): Int32Array {
    if (count > this.capacity || stride !== this.stride) this.layOut(count, stride);
    const { bytes, shorts, queryAt, codesAt } = this;
    shorts.set(query.subarray(0, stride), queryAt >> 1);
    for (let from = 0; from < count; from += CHUNK) {
      const n = Math.min(CHUNK, count - from);
      bytes.set(codes.subarray(from * stride, (from + n) * stride), codesAt);
      this.run(codesAt, n, stride, queryAt, from * 4);
    }
    return this.scores;
  }

  /** Scores (int32, room for `capacity`) at 0, then the query, then a chunk of codes, each on a 16-byte boundary. */
  private layOut(count: number, stride: number): void {
    const capacity = Math.max(count, stride === this.stride ? this.capacity * 2 : 0, 256);
    const { queryAt, vectorsAt } = layOut(this.memory, capacity * 4, stride * 2, CHUNK * stride);
    this.capacity = capacity;
    this.stride = stride;
    this.queryAt = queryAt;
    this.codesAt = vectorsAt;
    this.scores = new Int32Array(this.memory.buffer, 0, capacity);
    this.bytes = new Int8Array(this.memory.buffer);
    this.shorts = new Int16Array(this.memory.buffer);
  }
}

/** A fresh instance of the compiled module's exports, or null where WebAssembly SIMD is not available. */
function instantiated(): Record<string, unknown> | null {
  try {
    const module = new WebAssembly.Module(Buffer.from(DOT_KERNEL_WASM, 'base64'));
    return new WebAssembly.Instance(module).exports;
  } catch {
    return null;
  }
}

/**
 * A kernel's memory as both kernels lay it out: the scores at 0, then the query, then a chunk of
 * vectors, each on a 16-byte boundary; the memory grown to hold them (it never shrinks).
 */
function layOut(memory: WasmMemory, scoreBytes: number, queryBytes: number, chunkBytes: number): { queryAt: number; vectorsAt: number } {
  const queryAt = align16(scoreBytes);
  const vectorsAt = align16(queryAt + queryBytes);
  const have = memory.buffer.byteLength;
  if (vectorsAt + chunkBytes > have) memory.grow(Math.ceil((vectorsAt + chunkBytes - have) / PAGE));
  return { queryAt, vectorsAt };
}

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

/** The process's kernels (null without WebAssembly SIMD). */
const kernel: DotKernel | null = DotKernel.create();
const int8Kernel: Int8DotKernel | null = Int8DotKernel.create();
let kernelOn = kernel !== null;

/**
 * Whether {@link dotRun} goes through the kernel; switched off, it takes the scalar loop, as where
 * there is no kernel (the scale benchmark compares the two, the spec tests the fallback).
 * Returns whether the kernel is now in use: never where it is not available.
 */
export function useDotKernel(on: boolean): boolean {
  kernelOn = on && kernel !== null;
  return kernelOn;
}

let scratch = new Float64Array(256);

/**
 * `dot(vectors, i·dim, query, dim)` for every i < count, at index i of the array returned (valid
 * until the next call): by the kernel, or by the scalar loop where there is no kernel.
 */
export function dotRun(vectors: Float32Array, count: number, dim: number, query: Float32Array): Float64Array {
  if (kernelOn) return kernel!.dots(vectors, count, dim, query);
  if (scratch.length < count) scratch = new Float64Array(count * 2);
  for (let i = 0, base = 0; i < count; i++, base += dim) scratch[i] = dot(vectors, base, query, dim);
  return scratch;
}

/**
 * `dot(vectors, keys[i]·dim, query, dim)` for every i < count, at index i of the array returned
 * (valid until the next call): {@link dotRun} over vectors scattered in `vectors`.
 */
export function dotRunOf(vectors: Float32Array, keys: Int32Array, count: number, dim: number, query: Float32Array): Float64Array {
  if (kernelOn) return kernel!.dotsOf(vectors, keys, count, dim, query);
  if (scratch.length < count) scratch = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) scratch[i] = dot(vectors, keys[i] * dim, query, dim);
  return scratch;
}

let int8Scratch = new Int32Array(256);

/**
 * `dotInt8(codes, i·stride, query, stride)` for every i < count, at index i of the array returned
 * (valid until the next call): by the kernel, or by the scalar loop where there is none. Exact
 * integers either way, so the two agree.
 */
export function int8DotRun(codes: Int8Array, count: number, stride: number, query: Int16Array): Int32Array {
  if (kernelOn && int8Kernel !== null) return int8Kernel.dots(codes, count, stride, query);
  if (int8Scratch.length < count) int8Scratch = new Int32Array(count * 2);
  for (let i = 0, base = 0; i < count; i++, base += stride) int8Scratch[i] = dotInt8(codes, base, query, stride);
  return int8Scratch;
}

/**
 * The int8 codes at `base` times the int16 query, summed exactly: the kernel's int32 sums, as no
 * sum leaves int32's range (see Int8Codes), and four accumulators as in {@link dot}. `stride` is
 * a multiple of 16.
 */
export function dotInt8(codes: Int8Array, base: number, query: Int16Array, stride: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let j = 0; j < stride; j += 4) {
    const b = base + j;
    s0 += codes[b] * query[j];
    s1 += codes[b + 1] * query[j + 1];
    s2 += codes[b + 2] * query[j + 2];
    s3 += codes[b + 3] * query[j + 3];
  }
  return s0 + s1 + s2 + s3;
}

/**
 * Dot product of `query` with the row at `base`: the reference the kernel equals bit for bit, and
 * what scores single rows and serves where there is no kernel. Four independent accumulators let
 * the CPU overlap the multiply-adds: a scan of 1,321 × 192-d rows drops from about 0.35 to 0.2 ms.
 */
export function dot(data: Float32Array, base: number, query: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const b = base + j;
    s0 += data[b] * query[j];
    s1 += data[b + 1] * query[j + 1];
    s2 += data[b + 2] * query[j + 2];
    s3 += data[b + 3] * query[j + 3];
  }
  for (; j < dim; j++) s0 += data[base + j] * query[j];
  return s0 + s1 + s2 + s3;
}
