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
    if (score > 0) {
      ids.push(id);
      values.push(score);
    }
  }
  let cut = -Infinity;
  if (limit < ids.length) {
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
    .sort((a, b) => values[b] - values[a] || ids[a].localeCompare(ids[b]))
    .slice(0, limit)
    .map((i) => ids[i]);
}
