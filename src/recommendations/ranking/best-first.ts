import { TopKSelector } from '../../vector-store/embedded/top-k-selector';

/**
 * The ids with a positive score, best first (equal scores by id), at most `limit` of them: the
 * order and the ids a full sort would give, for O(n log k). The tables it picks from are as big
 * as the community's history: a user's co-interaction scores reached ~20,000 dishes with 10,000
 * users on the 100,000-recipe bench catalog, where sorting them all (to keep 50) was ~5% of a
 * user list's CPU.
 */
export function bestFirst(scores: ReadonlyMap<string, number>, limit = Infinity): string[] {
  const ids: string[] = [];
  const values: number[] = [];
  for (const [id, score] of scores) {
    ids.push(id);
    values.push(score);
  }
  return bestFirstOf(
    ids.length,
    (i) => ids[i],
    (i) => values[i],
    limit,
  );
}

/** {@link bestFirst} over `count` entries given by position. */
export function bestFirstOf(count: number, idAt: (i: number) => string, valueAt: (i: number) => number, limit = Infinity): string[] {
  const positions: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = valueAt(i);
    if (value > 0) {
      positions.push(i);
      values.push(value);
    }
  }
  let cut = -Infinity;
  if (limit < values.length) {
    // The limit-th best score; every id scoring at least that is kept, so that ties at the cut
    // are broken by id below exactly as the full sort breaks them.
    const selector = new TopKSelector(limit);
    selector.reset(limit);
    for (let i = 0; i < values.length; i++) selector.offer(i, values[i]);
    cut = selector.floor;
  }
  // Only the kept positions are listed: an index of every scored id was most of this function's
  // garbage, as the tables reach ~20,000 dishes while a list keeps ~50.
  const keep: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] >= cut) keep.push(i);
  return keep
    .map((k) => ({ value: values[k], id: idAt(positions[k]) }))
    .sort((a, b) => b.value - a.value || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((entry) => entry.id);
}
