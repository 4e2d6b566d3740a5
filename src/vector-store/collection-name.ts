import { createHash } from 'node:crypto';
import type { CollectionSpec, DenseVectorName } from './vector-store.port';

/** The fixed order dense vectors are laid out in (blobs, collection names, request bodies). */
export const DENSE_VECTOR_ORDER: readonly DenseVectorName[] = ['ingredients', 'properties', 'text'];

export const DEFAULT_COLLECTION_PREFIX = 'recipes';

/** Dense vector names configured in the spec, in the fixed order. */
export function denseNamesOf(spec: CollectionSpec): DenseVectorName[] {
  return DENSE_VECTOR_ORDER.filter((name) => spec.dense[name] !== undefined);
}

/**
 * One collection per embedding model and shape, so a model change never mixes vectors from two
 * models: the old collection stays readable until a reindex fills the new one.
 * The slug keeps names readable and legal for Qdrant; the hash keeps two model ids that slug to
 * the same text apart.
 */
export function collectionNameFor(spec: CollectionSpec, prefix: string = DEFAULT_COLLECTION_PREFIX): string {
  const slug = spec.modelId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const shape = denseNamesOf(spec)
    .map((name) => `${name}${spec.dense[name]!.size}`)
    .concat(spec.sparse ? ['terms'] : [])
    .join('-');
  const hash = createHash('sha256').update(spec.modelId).digest('hex').slice(0, 8);
  const build = spec.build ? `_${spec.build.toLowerCase().replace(/[^a-z0-9]+/g, '')}` : '';
  return `${prefix}_${slug || 'model'}_${shape}_${hash}${build}`;
}
