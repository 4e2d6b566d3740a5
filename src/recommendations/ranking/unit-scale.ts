/** Scores min–max scaled onto 0–1 over the candidates: a session list's `score` reads the same whatever the profile's size. */
export function scaledToUnit(scores: ReadonlyMap<string, number>): Map<string, number> {
  let min = Infinity;
  let max = -Infinity;
  for (const score of scores.values()) {
    if (score < min) min = score;
    if (score > max) max = score;
  }
  const span = max - min || 1;
  const out = new Map<string, number>();
  for (const [id, score] of scores) out.set(id, (score - min) / span);
  return out;
}
