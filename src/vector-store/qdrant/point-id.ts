import { createHash } from 'node:crypto';

/**
 * Qdrant accepts only unsigned integers and UUIDs as point ids, while the catalog's recipe ids
 * are free-form strings. A name-based UUID (RFC 4122 version 5: SHA-1 over a fixed namespace and
 * the recipe id) is deterministic, so re-upserting a recipe replaces its point and any process
 * can address a point without a lookup table. The original id travels in payload.recipeId.
 */
const RECIPE_NAMESPACE = Buffer.from('6f1d3c0a8e2b4c57a9d4e1f03b7c2a96', 'hex');

export function recipePointId(recipeId: string): string {
  const hash = createHash('sha1').update(RECIPE_NAMESPACE).update(recipeId, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
