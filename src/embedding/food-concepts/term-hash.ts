/** Sparse indices live in [0, 2^24): wide enough that collisions are rare, small enough for Qdrant. */
export const TERM_INDEX_BITS = 24;
const TERM_INDEX_MASK = (1 << TERM_INDEX_BITS) - 1;

/** FNV-1a, 32 bit, over the UTF-8 bytes, so that every runtime hashes a term the same way. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Term → sparse index without a vocabulary: documents and queries agree on indices even for
 * terms never seen in training, and the index needs no rebuild when a new word appears.
 */
export function termIndex(term: string): number {
  return fnv1a32(term) & TERM_INDEX_MASK;
}
