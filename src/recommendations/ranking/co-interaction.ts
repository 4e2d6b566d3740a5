import { InteractionSignal } from '../../users/user-interaction.types';
import { compareIds } from '../../search/id-order';
import { TopKSelector } from '../../vector-store/embedded/top-k-selector';
import { bestFirstOf } from './best-first';
import { byUser } from './preference-signals';

/**
 * Item–item co-interaction: dishes people tend to have an opinion on together (whatever the
 * opinion). It says which dishes belong to the same world — a menu, a cuisine, the set a survey
 * or an app screen showed together — not whether they are good, so it decides *what* is
 * considered for a user, while taste decides the order (see user-ranking's `domain`).
 * Cosine of binary columns: c(i, j) / √(n(i) · n(j)).
 */

/** Each user's most recent dishes counted at most: a heavy user adds n² pairs. */
export const MAX_ITEMS_PER_USER = 100;

/**
 * Each dish keeps its strongest partners only, as item-kNN keeps its k nearest items. A user's
 * scores add up the rows of every dish they have met, and a popular dish's row held thousands of
 * dishes: with 10,000 users on the 100,000-recipe bench catalog, adding them up was the largest
 * single cost of a user list (7% of its CPU). The survey evaluation's rows have at most 62.
 */
export const MAX_PARTNERS_PER_ITEM = 100;

/** A dish's partners (numbers into the table's ids) and their strengths, strongest first when the row was cut, else as met. */
export interface CoInteractionRow {
  partners: Int32Array;
  strengths: Float64Array;
}

/**
 * Per dish, its row. Rows are arrays, not maps: a build keeps ~300,000 partners for the 20,000
 * opinions of 860 users on the 100,000-recipe bench catalog, and as maps they were most of its
 * ~110 ms on the main thread (inserting, then collecting them). Partners are dish numbers, so a
 * user's scores add up in an array: summed into a map by id, then scaled in a second pass over
 * it, they were ~6% of a user list's CPU next to 10,000 users on that catalog.
 */
export class CoInteractions {
  /** Scratch of `scores`, all zero between calls (a call is synchronous). */
  private readonly sums: Float64Array;
  private readonly touched: Int32Array;
  /** 1 for the dishes of the `scores` call under way. */
  private readonly own: Uint8Array;

  constructor(
    private readonly ids: readonly string[],
    private readonly numbers: ReadonlyMap<string, number>,
    private readonly rows: ReadonlyArray<CoInteractionRow | undefined>,
  ) {
    this.sums = new Float64Array(ids.length);
    this.touched = new Int32Array(ids.length);
    this.own = new Uint8Array(ids.length);
  }

  /** The dish's partners by id, strongest first when its row was cut. */
  partnersOf(id: string): string[] {
    const row = this.rowOf(id);
    return row ? Array.from(row.partners, (partner) => this.ids[partner]) : [];
  }

  /**
   * Mean co-interaction of each dish with the user's dishes, scaled so the best candidate has 1.
   * Kept by dish number: a user of the scale bench (~70 dishes) meets ~5,000 partners, and
   * putting each into a map by id (after a set lookup by id to leave out the user's own) was
   * 4.4% of a user list's CPU at 100,000 recipes, where the list reads ~250 of them.
   */
  scores(userItems: readonly string[]): PartnerScores {
    const { sums, touched, own } = this;
    const owned: number[] = [];
    for (const item of userItems) {
      const number = this.numbers.get(item);
      if (number !== undefined && own[number] === 0) {
        own[number] = 1;
        owned.push(number);
      }
    }
    let count = 0;
    for (const number of owned) {
      const row = this.rows[number];
      if (!row) continue;
      for (let i = 0; i < row.partners.length; i++) {
        const partner = row.partners[i];
        if (sums[partner] === 0) touched[count++] = partner;
        sums[partner] += row.strengths[i];
      }
    }
    let peak = 0;
    for (let i = 0; i < count; i++) if (sums[touched[i]] > peak && own[touched[i]] === 0) peak = sums[touched[i]];
    const numbers = new Int32Array(count);
    const values = new Float64Array(count);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const partner = touched[i];
      if (own[partner] === 0) {
        numbers[kept] = partner;
        values[kept++] = peak > 0 ? sums[partner] / peak : sums[partner];
      }
      sums[partner] = 0;
    }
    for (const number of owned) own[number] = 0;
    return new PartnerScores(this.ids, this.numbers, numbers.subarray(0, kept), values.subarray(0, kept));
  }

  private rowOf(id: string): CoInteractionRow | undefined {
    const number = this.numbers.get(id);
    return number === undefined ? undefined : this.rows[number];
  }
}

/**
 * One user's co-interaction scores: the partners met, by dish number, with their scores, and an
 * open-addressing table from number to position for `get`.
 */
export class PartnerScores {
  static readonly NONE = new PartnerScores([], new Map(), new Int32Array(0), new Float64Array(0));
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly ids: readonly string[],
    private readonly numberOf: ReadonlyMap<string, number>,
    private readonly numbers: Int32Array,
    private readonly values: Float64Array,
  ) {
    let size = 4;
    while (size < numbers.length * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    for (let i = 0; i < numbers.length; i++) {
      let slot = hashOf(numbers[i]) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = i;
    }
  }

  /** Dishes scored. */
  get size(): number {
    return this.numbers.length;
  }

  get(id: string): number | undefined {
    const number = this.numberOf.get(id);
    if (number === undefined) return undefined;
    for (let slot = hashOf(number) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot];
      if (at === -1) return undefined;
      if (this.numbers[at] === number) return this.values[at];
    }
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The ids with a positive score, best first (equal scores by id), at most `limit`: {@link bestFirst}'s order. */
  best(limit = Infinity): string[] {
    return bestFirstOf(
      this.numbers.length,
      (i) => this.ids[this.numbers[i]],
      (i) => this.values[i],
      limit,
    );
  }
}

function hashOf(number: number): number {
  return Math.imul(number, 0x9e3779b1) >>> 7;
}

export function coInteractions(interactions: readonly InteractionSignal[]): CoInteractions {
  // Dishes as numbers in id order (so comparing two numbers compares their ids), each user's
  // dishes as a list of them, and each dish's users.
  const perUser = [...byUser(interactions).values()].map((signals) =>
    [...new Set(signals.map((s) => s.recipeId))].slice(0, MAX_ITEMS_PER_USER),
  );
  const ids = [...new Set(perUser.flat())].sort(compareIds);
  const index = new Map(ids.map((id, i) => [id, i]));
  const lists = perUser.map((items) => Int32Array.from(items, (id) => index.get(id)!));
  const users = new Int32Array(ids.length);
  const usersOf: number[][] = ids.map(() => []);
  lists.forEach((items, user) => {
    for (const item of items) {
      users[item]++;
      usersOf[item].push(user);
    }
  });
  // One dish's row at a time, counted in a dense array: string-keyed maps of maps took 0.4 s of
  // the main thread for the 20,000 opinions of 860 users on the 100,000-recipe bench catalog.
  const together = new Int32Array(ids.length);
  const touched = new Int32Array(ids.length);
  const values = new Float64Array(ids.length);
  const selector = new TopKSelector(MAX_PARTNERS_PER_ITEM);
  const rows = new Array<CoInteractionRow | undefined>(ids.length);
  for (let a = 0; a < ids.length; a++) {
    let partners = 0;
    const holders = usersOf[a];
    for (let u = 0; u < holders.length; u++) {
      const items = lists[holders[u]];
      for (let i = 0; i < items.length; i++) {
        const b = items[i];
        if (b !== a && together[b]++ === 0) touched[partners++] = b;
      }
    }
    if (partners === 0) continue;
    for (let i = 0; i < partners; i++) {
      const b = touched[i];
      values[b] = together[b] / Math.sqrt(users[a] * users[b]);
      together[b] = 0;
    }
    let kept = touched.subarray(0, partners);
    if (partners > MAX_PARTNERS_PER_ITEM) {
      // The strongest; those tied with the last one kept are decided by id, so every build keeps the same.
      // bestFirst's selection, kept on typed arrays here: through its generic form a build took ~25% longer.
      selector.reset(MAX_PARTNERS_PER_ITEM);
      for (let i = 0; i < partners; i++) selector.offer(touched[i], values[touched[i]]);
      const cut = selector.floor;
      kept = kept
        .filter((b) => values[b] >= cut)
        .sort((x, y) => values[y] - values[x] || x - y)
        .subarray(0, MAX_PARTNERS_PER_ITEM);
    }
    const row: CoInteractionRow = { partners: Int32Array.from(kept), strengths: new Float64Array(kept.length) };
    for (let i = 0; i < kept.length; i++) row.strengths[i] = values[kept[i]];
    rows[a] = row;
  }
  return new CoInteractions(ids, index, rows);
}
