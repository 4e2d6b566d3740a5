import type { SparseRow } from './sparse-index';

/**
 * Blob layouts of vector_points. Little-endian is written explicitly so a database file moves
 * between machines. A dense space a point lacks is stored as NaNs: a real embedding never
 * contains NaN, and the blob keeps one fixed length per collection.
 */
export function encodeDense(dims: readonly number[], vectors: ReadonlyArray<Float32Array | null>): Buffer {
  const total = dims.reduce((a, b) => a + b, 0);
  const buffer = Buffer.alloc(total * 4);
  let offset = 0;
  dims.forEach((_, i) => {
    const vector = vectors[i];
    for (let j = 0; j < dims[i]; j++, offset += 4) buffer.writeFloatLE(vector ? vector[j] : NaN, offset);
  });
  return buffer;
}

export function decodeDense(buffer: Buffer, dims: readonly number[]): Array<Float32Array | null> {
  const total = dims.reduce((a, b) => a + b, 0);
  if (buffer.length !== total * 4) {
    throw new Error(`Dense blob has ${buffer.length} bytes; the collection layout needs ${total * 4}`);
  }
  let offset = 0;
  return dims.map((dim) => {
    const vector = new Float32Array(dim);
    for (let j = 0; j < dim; j++, offset += 4) vector[j] = buffer.readFloatLE(offset);
    return dim > 0 && Number.isNaN(vector[0]) ? null : vector;
  });
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

export function decodeSparse(buffer: Buffer): SparseRow {
  const n = buffer.length / 8;
  const indices = new Uint32Array(n);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    indices[i] = buffer.readUInt32LE(i * 4);
    values[i] = buffer.readFloatLE((n + i) * 4);
  }
  return { indices, values };
}
