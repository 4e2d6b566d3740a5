import { endianness } from 'node:os';
import type { RecipePayload } from '../vector-store.port';
import type { SparseRow } from './sparse-index';
import { StringPool } from '../../common/string-pool';

/**
 * Blob layouts of vector_points. Little-endian is written explicitly so a database file moves
 * between machines. A dense space a point lacks is stored as NaNs: a real embedding never
 * contains NaN, and the blob keeps one fixed length per collection.
 *
 * On a little-endian host (every one this runs on in practice) the typed arrays already hold
 * that layout and are copied whole: writing 384 floats one `writeFloatLE` call at a time held
 * the event loop for ~60 ms per write chunk of a large import.
 */
const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

export function encodeDense(dims: readonly number[], vectors: ReadonlyArray<Float32Array | null>): Buffer {
  const total = dims.reduce((a, b) => a + b, 0);
  const floats = new Float32Array(total);
  let offset = 0;
  dims.forEach((dim, i) => {
    const vector = vectors[i];
    if (vector && vector.length >= dim) floats.set(vector.length === dim ? vector : vector.subarray(0, dim), offset);
    else floats.fill(NaN, offset, offset + dim);
    offset += dim;
  });
  return HOST_IS_LITTLE_ENDIAN ? Buffer.from(floats.buffer, 0, total * 4) : littleEndianFloats(floats);
}

export function decodeDense(buffer: Buffer, dims: readonly number[]): Array<Float32Array | null> {
  const total = dims.reduce((a, b) => a + b, 0);
  if (buffer.length !== total * 4) {
    throw new Error(`Dense blob has ${buffer.length} bytes; the collection layout needs ${total * 4}`);
  }
  const floats = floatsOf(buffer);
  let offset = 0;
  return dims.map((dim) => {
    const vector = floats.slice(offset, offset + dim);
    offset += dim;
    return dim > 0 && Number.isNaN(vector[0]) ? null : vector;
  });
}

/** The blob's float32 values, copied out (a blob's bytes need not be 4-byte aligned). */
function floatsOf(buffer: Buffer): Float32Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Float32Array(Uint8Array.prototype.slice.call(buffer).buffer);
  const floats = new Float32Array(buffer.length / 4);
  for (let i = 0; i < floats.length; i++) floats[i] = buffer.readFloatLE(i * 4);
  return floats;
}

function littleEndianFloats(floats: Float32Array): Buffer {
  const buffer = Buffer.alloc(floats.length * 4);
  for (let i = 0; i < floats.length; i++) buffer.writeFloatLE(floats[i], i * 4);
  return buffer;
}

/** Sparse blob: n uint32 indices followed by n float32 values. */
export function encodeSparse(vector: SparseRow): Buffer {
  const n = vector.indices.length;
  const buffer = Buffer.alloc(n * 8);
  for (let i = 0; i < n; i++) {
    buffer.writeUInt32LE(vector.indices[i], i * 4);
    buffer.writeFloatLE(vector.values[i], (n + i) * 4);
  }
  return buffer;
}

/**
 * Both halves are views of one copied buffer: two buffers per row (each an ArrayBuffer object
 * and a separate native allocation): the rows held 54.2 MiB at 101,331 points, 43.3 MiB as one
 * buffer each (heap snapshot).
 */
export function decodeSparse(buffer: Buffer): SparseRow {
  const n = buffer.length / 8;
  const bytes = new ArrayBuffer(n * 8);
  const indices = new Uint32Array(bytes, 0, n);
  const values = new Float32Array(bytes, n * 4, n);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(bytes).set(buffer.subarray(0, n * 8));
  } else {
    for (let i = 0; i < n; i++) {
      indices[i] = buffer.readUInt32LE(i * 4);
      values[i] = buffer.readFloatLE((n + i) * 4);
    }
  }
  return { indices, values };
}

/**
 * Strings a payload shares with the other payloads (concept ids, allergen groups, diets,
 * flavors, source, language, category, cuisine), one copy each. JSON.parse makes a fresh copy of
 * every string of every row: at 101,331 points the payloads held 54.5 MiB, twice what the same
 * payloads held in the catalog view, whose strings come from the lexicon; 43.8 MiB shared
 * (heap snapshot). Written points need it as much: their diets, flavors, allergens, source and
 * language are the strings of the recipe row the indexer read, again one per recipe.
 */
export class PayloadStrings {
  private readonly pool = new StringPool();

  /** A stored payload, its shared strings interned; the JSON as written otherwise. */
  decode(json: string): RecipePayload {
    return this.shared(JSON.parse(json) as RecipePayload);
  }

  /** `payload` with its shared strings replaced by the pool's copies, in place. */
  shared(payload: RecipePayload): RecipePayload {
    const strings = payload as unknown as Record<string, unknown>;
    for (const field of ['source', 'language', 'category', 'cuisine']) {
      const value = strings[field];
      if (typeof value === 'string') strings[field] = this.pool.intern(value);
    }
    for (const field of ['diets', 'flavors', 'allergens', 'concepts']) {
      const values = strings[field];
      if (!Array.isArray(values)) continue;
      for (let i = 0; i < values.length; i++) if (typeof values[i] === 'string') values[i] = this.pool.intern(values[i] as string);
    }
    return payload;
  }
}
