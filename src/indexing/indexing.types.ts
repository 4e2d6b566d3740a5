import type { EmbeddingProvider } from '../embedding/embedding-provider.port';
import type { CollectionSpec, VectorStore } from '../vector-store/vector-store.port';

export type Progress = (done: number, total: number) => void;

/** The provider and the store collection that hold its vectors: swapped together, never apart. */
export interface ActiveIndex {
  provider: EmbeddingProvider;
  store: VectorStore;
}

/** The serving index as this process holds it, with what names it in SQLite. */
export interface ServingIndex extends ActiveIndex {
  collection: string;
  spec: CollectionSpec;
  /** The stored food-concept model (embedding_models.id). */
  modelId: string;
}

/** Resolves true when `work` settles within `ms`, false otherwise. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
