import { VectorDimensionMismatchError, VectorStoreError } from './vector-store.errors';
import type { CollectionSpec, DenseVectorName, SparseVector } from './vector-store.port';

/** Throws unless `name` is a dense vector of the spec with exactly `length` dimensions. */
export function assertDenseVector(spec: CollectionSpec, name: string, length: number): asserts name is DenseVectorName {
  const config = spec.dense[name as DenseVectorName];
  if (!config) throw new VectorStoreError(`Unknown dense vector "${name}" for model ${spec.modelId}`);
  if (length !== config.size) throw new VectorDimensionMismatchError(name, config.size, length);
}

export function assertFiniteVector(name: string, vector: ArrayLike<number>): void {
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new VectorStoreError(`Vector "${name}" has a non-finite value at ${i}`);
  }
}

/**
 * Sorts a sparse vector by index and rejects what both stores would reject (duplicates,
 * negative or fractional ids, length mismatch), so both backends see the same input.
 */
export function normaliseSparse(vector: SparseVector): SparseVector {
  const { indices, values } = vector;
  if (indices.length !== values.length) {
    throw new VectorStoreError(`Sparse vector has ${indices.length} indices but ${values.length} values`);
  }
  const order = indices.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < indices.length; i++) if (indices[i - 1] >= indices[i]) sorted = false;
  if (!sorted) order.sort((a, b) => indices[a] - indices[b]);
  const out: SparseVector = { indices: new Array(indices.length), values: new Array(indices.length) };
  for (let i = 0; i < order.length; i++) {
    const index = indices[order[i]];
    if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) {
      throw new VectorStoreError(`Sparse index ${index} is not an unsigned 32-bit integer`);
    }
    if (i > 0 && out.indices[i - 1] === index) throw new VectorStoreError(`Sparse index ${index} appears twice`);
    if (!Number.isFinite(values[order[i]])) throw new VectorStoreError(`Sparse value for ${index} is not finite`);
    out.indices[i] = index;
    out.values[i] = values[order[i]];
  }
  return out;
}

export function isSparseVector(vector: number[] | SparseVector): vector is SparseVector {
  return !Array.isArray(vector);
}
