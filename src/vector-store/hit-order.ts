/**
 * The one order the service puts hits in after reading them from a store: score descending,
 * then recipe id ascending. Stores make no promise about equal scores (Qdrant merges segments
 * and shards in no fixed order), so anything that pages, cuts or picks a first-seen item sorts
 * with this first.
 */
export function compareHits(a: { id: string; score: number }, b: { id: string; score: number }): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
