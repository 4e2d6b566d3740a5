import { DenseVectorName, SparseVector } from '../vector-store/vector-store.port';

/** Vectors of one recipe or one query, keyed by the named spaces the vector store holds. */
export interface NamedVectors {
  dense: Partial<Record<DenseVectorName, number[]>>;
  sparse?: SparseVector;
}
