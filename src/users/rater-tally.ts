import { compareIds } from '../search/id-order';

/**
 * Counts in how many of some recipes' rater lists each user appears, to find a user's
 * neighbours. Users are numbered once, so a kept rater list is an Int32Array (4 bytes a rater)
 * and counting is array increments: counting ~10,000 raters through a Map of user ids took
 * ~1.5 ms of a user list next to 10,000 users on the 100,000-recipe bench catalog.
 */
export class RaterTally {
  private readonly numbers = new Map<string, number>();
  private readonly ids: string[] = [];
  /** Scratch, all zero between calls: a count is only ever taken within one synchronous call. */
  private counts = new Int32Array(1024);

  /** The user's number (every user id seen keeps one: as many as there are users with opinions). */
  number(userId: string): number {
    let n = this.numbers.get(userId);
    if (n === undefined) {
      n = this.ids.length;
      this.numbers.set(userId, n);
      this.ids.push(userId);
    }
    return n;
  }

  /**
   * The `limit` users appearing the most often in `lists` (numbers from `number`), not
   * `exclude`; equal counts in id order (compareIds). Only the
   * users at or above the limit-th count are sorted: most of thousands share one dish.
   */
  mostShared(lists: Iterable<ArrayLike<number>>, exclude: string, limit: number): string[] {
    if (this.counts.length < this.ids.length) {
      this.counts = new Int32Array(Math.max(this.ids.length, this.counts.length * 2));
    }
    const counts = this.counts;
    const touched: number[] = [];
    for (const list of lists) {
      for (let i = 0; i < list.length; i++) {
        if (counts[list[i]]++ === 0) touched.push(list[i]);
      }
    }
    const self = this.numbers.get(exclude);
    const withCount: number[] = [];
    for (const user of touched) {
      if (user !== self) withCount[counts[user]] = (withCount[counts[user]] ?? 0) + 1;
    }
    let cut = withCount.length - 1;
    for (let above = 0; cut > 1 && above + (withCount[cut] ?? 0) < limit; cut--) above += withCount[cut] ?? 0;
    const top: Array<[string, number]> = [];
    for (const user of touched) {
      if (user !== self && counts[user] >= cut) top.push([this.ids[user], counts[user]]);
      counts[user] = 0;
    }
    return top
      .sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0]))
      .slice(0, limit)
      .map(([id]) => id);
  }
}
