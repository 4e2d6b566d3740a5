/**
 * User-based collaborative filtering over signed preferences (like +1, dislike −1, ratings on
 * [-1, 1]): users whose opinions agree with this user's are neighbours, and what they liked that
 * this user has not seen scores by how much of the neighbourhood liked it. Pure code.
 */

export type Preferences = ReadonlyMap<string, number>;

export interface CollaborativeResult {
  /** Recipe id → score on [-1, 1]: share of neighbour similarity that liked (minus disliked) it. */
  scores: Map<string, number>;
  /** Opinions shared with positively similar neighbours: how much the scores can be trusted. */
  evidence: number;
  neighbours: number;
}

/** At most this many neighbours vote: more adds noise from barely similar users. */
export const MAX_NEIGHBOURS = 50;

/** Cosine of two sparse preference vectors; `aNorm` is `a`'s length when the caller already has it. */
export function preferenceSimilarity(a: Preferences, b: Preferences, aNorm = norm(a)): { similarity: number; overlap: number } {
  let dot = 0;
  let overlap = 0;
  for (const [id, value] of a) {
    const other = b.get(id);
    if (other === undefined) continue;
    dot += value * other;
    overlap += 1;
  }
  const denominator = aNorm * norm(b);
  return { similarity: denominator === 0 ? 0 : dot / denominator, overlap };
}

function norm(p: Preferences): number {
  let sum = 0;
  for (const x of p.values()) sum += x * x;
  return Math.sqrt(sum);
}

export function userBasedScores(target: Preferences, others: ReadonlyMap<string, Preferences>): CollaborativeResult {
  // The user's own length once, not once per neighbour (~200 of them next to 10,000 users).
  const targetNorm = norm(target);
  const neighbours = [...others.entries()]
    .map(([userId, preferences]) => ({ userId, preferences, ...preferenceSimilarity(target, preferences, targetNorm) }))
    .filter((n) => n.similarity > 0)
    .sort((a, b) => b.similarity - a.similarity || a.userId.localeCompare(b.userId))
    .slice(0, MAX_NEIGHBOURS);
  const totalSimilarity = neighbours.reduce((s, n) => s + n.similarity, 0);
  const scores = new Map<string, number>();
  if (totalSimilarity === 0) return { scores, evidence: 0, neighbours: 0 };
  for (const neighbour of neighbours) {
    for (const [recipeId, preference] of neighbour.preferences) {
      if (target.has(recipeId)) continue;
      scores.set(recipeId, (scores.get(recipeId) ?? 0) + (neighbour.similarity * preference) / totalSimilarity);
    }
  }
  return { scores, evidence: neighbours.reduce((s, n) => s + n.overlap, 0), neighbours: neighbours.length };
}

/**
 * How much collaborative scores count in the blend: none without evidence, rising with it
 * (half of the maximum at HALF_EVIDENCE shared opinions) and never above MAX_WEIGHT, so content
 * similarity always has a say.
 */
export const COLLABORATIVE_MAX_WEIGHT = 0.7;
export const COLLABORATIVE_HALF_EVIDENCE = 2;

export function collaborativeWeight(evidence: number): number {
  if (evidence <= 0) return 0;
  return (COLLABORATIVE_MAX_WEIGHT * evidence) / (evidence + COLLABORATIVE_HALF_EVIDENCE);
}
