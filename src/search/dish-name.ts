import { compareIds } from './id-order';
import { dishKey } from './same-dish';

/**
 * Dish-name matching. Names are compared on a key that ignores case, full/half width, spaces and
 * punctuation, so "宫保鸡丁", "宫保 鸡丁" and "Kung-Pao  Chicken" meet their catalog spelling.
 */

/** Exact name (or a known dish's other name) > name containing the query / contained in it > none. */
export type NameMatchTier = 0 | 1 | 2;

/** Queries at most this long (in key characters) may match names that merely contain them. */
export const SHORT_QUERY_CHARS = 12;
/** A name must be at least this long to count as contained in a longer query ("鸡" in "宫保鸡丁" does not). */
export const MIN_CONTAINED_NAME_CHARS = 3;

/** Names are matched on the same key that decides "the same dish" (see same-dish.ts). */
export function dishNameKey(name: string): string {
  return dishKey(name);
}

export interface NamedEntry {
  id: string;
  name: string;
}

/** How many name matches a search takes (see {@link DishNameIndex.match}). */
export interface NameMatchBound {
  /** Most recipes in all. */
  recipes: number;
  /** Most recipes of one name key. */
  perName: number;
}

/**
 * What a query asks of dish names: its own key and the other names of a dish it names
 * (宫保鸡丁 ↔ kung pao chicken) match exactly (tier 2); with `containment`, names containing a
 * short query or inside the query match too (tier 1).
 */
export class NameQuery {
  readonly exact: ReadonlySet<string>;
  readonly containment: boolean;

  constructor(
    readonly key: string,
    options: { exactKeys?: readonly string[]; containment: boolean },
  ) {
    this.exact = new Set(key.length === 0 ? [] : [key, ...(options.exactKeys ?? [])]);
    this.containment = options.containment;
  }

  /**
   * The tier of one name key: the rule {@link DishNameIndex.match} applies, for a recipe found
   * by other means (a vector hit) whose name the bounded match did not reach.
   */
  tierOf(nameKey: string): NameMatchTier {
    if (nameKey.length === 0 || this.key.length === 0) return 0;
    if (this.exact.has(nameKey)) return 2;
    if (!this.containment) return 0;
    if (this.key.length <= SHORT_QUERY_CHARS && this.key.length >= 2 && nameKey.includes(this.key)) return 1;
    return nameKey.length >= MIN_CONTAINED_NAME_CHARS && this.key.includes(nameKey) ? 1 : 0;
  }
}

/**
 * Most substrings of a query looked up as whole names. A query's key is at most a few hundred
 * characters (the DTO caps `q`), and only lengths some name has are tried, so a real query stays
 * far below this; the cap only bounds a pathological catalog with names of every length.
 */
const MAX_CONTAINED_LOOKUPS = 20_000;

/**
 * The catalog's dish names in memory, keyed for matching. Exact look-ups are a map read.
 * Containment is answered from a character-bigram posting list over the distinct name keys:
 * a name containing the query holds every bigram of it, so the rarest bigram's keys are the
 * only candidates, each verified with `includes`; a name inside the query is one of the
 * query's substrings of a length some name has, looked up in the exact-key map. At 100,000
 * synthetic names, the 45 bench queries took 5,270 ms as one `includes` per name and 104 ms
 * from the postings (median of 20 alternating runs on a shared, heavily loaded 2-core machine:
 * compare the ratio, not the absolute times), with
 * `npx tsc -p tsconfig.bench.json && node dist-bench/bench/catalog-index-bench.js`.
 *
 * The index only grows between rebuilds (`add`): a renamed or deleted recipe leaves a stale
 * posting behind, so views built on the same index share it, and each answer is checked
 * against the asking view's own name key (`keyOf`) — a stale posting can only add a
 * candidate that the check then drops.
 */
export class DishNameIndex {
  private readonly byKey = new Map<string, string[]>();
  /** Keys whose ids were appended out of id order (or again) since the last read. */
  private readonly unordered = new Set<string>();
  /** Bigram → distinct name keys holding it. */
  private readonly bigrams = new Map<string, string[]>();
  /** Key length → how many distinct keys have it: which substring lengths of a query to try. */
  private readonly lengths = new Map<number, number>();
  private postings = 0;

  constructor(entries: Iterable<NamedEntry> = []) {
    for (const { id, name } of entries) this.add(id, dishNameKey(name));
  }

  /** Postings held, stale ones included: the owner rebuilds when they outgrow the catalog. */
  get size(): number {
    return this.postings;
  }

  add(id: string, key: string): void {
    if (key.length === 0) return;
    const ids = this.byKey.get(key);
    if (ids) {
      // Appended, and put in id order (without repeats) when next read: keeping each list
      // ordered on every add cost O(its length), quadratic in a popular name's recipes. The
      // 1,000,000-recipe synthetic import, whose names repeat by the thousand, spent 14% of
      // its main thread here (CPU profile at 470,000 recipes).
      if (ids[ids.length - 1] >= id) this.unordered.add(key);
      ids.push(id);
    } else {
      this.byKey.set(key, [id]);
      this.lengths.set(key.length, (this.lengths.get(key.length) ?? 0) + 1);
      for (const gram of bigramsOf(key)) {
        const keys = this.bigrams.get(gram);
        if (keys) keys.push(key);
        else this.bigrams.set(gram, [key]);
      }
    }
    this.postings++;
  }

  /** Recipes whose name key equals this key, in id order. */
  withKey(key: string, keyOf?: (id: string) => string | undefined): string[] {
    const ids = this.byKey.get(key) ?? [];
    if (this.unordered.delete(key)) inIdOrder(ids);
    return keyOf ? ids.filter((id) => keyOf(id) === key) : ids;
  }

  /** The first `limit` ids of a name key, in id order, that `keep` passes. */
  firstWithKey(key: string, limit: number, keep: (id: string) => boolean): string[] {
    const out: string[] = [];
    for (const id of this.withKey(key)) {
      if (out.length >= limit) break;
      if (keep(id)) out.push(id);
    }
    return out;
  }

  /**
   * Recipes whose names match `query`, with their tier: the exact keys' recipes, then those of
   * names containing the query or inside it. `keyOf` gives the asking view's current key of an
   * id (undefined when it has no such recipe, or one the caller does not want).
   *
   * `bound` keeps the answer's size independent of the catalog: at most `perName` recipes of
   * each name (the first in id order; the rest are copies of one dish, folded into one hit
   * anyway) and `recipes` in all, taking the exact names first and then the contained names
   * closest in length to the query. Unbounded, 红烧肉 at 1,000,000 synthetic recipes matched
   * thousands of recipes under 980 names, and each was looked up, filtered and scored: 160 ms a
   * search, of which this matching alone was 14% and scoring the matches most of the rest.
   */
  match(query: NameQuery, keyOf?: (id: string) => string | undefined, bound?: NameMatchBound): Map<string, NameMatchTier> {
    const out = new Map<string, NameMatchTier>();
    if (query.key.length === 0) return out;
    const recipes = bound?.recipes ?? Infinity;
    const perName = bound?.perName ?? Infinity;
    const take = (key: string, tier: NameMatchTier) => {
      const keep = (id: string) => !out.has(id) && (keyOf === undefined || keyOf(id) === key);
      for (const id of this.firstWithKey(key, Math.min(perName, recipes - out.size), keep)) out.set(id, tier);
    };
    for (const key of query.exact) take(key, 2);
    // Names under several exact keys (宫保鸡丁 and kung pao chicken) are merged back into one id order.
    if (query.exact.size > 1) {
      const ids = [...out.keys()].sort(compareIds);
      out.clear();
      for (const id of ids) out.set(id, 2);
    }
    if (!query.containment) return out;
    for (const key of this.containedKeys(query.key)) {
      if (out.size >= recipes) break;
      if (!query.exact.has(key)) take(key, 1);
    }
    return out;
  }

  /**
   * Name keys containing `queryKey` (when it is short) or inside it (at least three characters
   * long), closest in length to it first, then in key order.
   */
  private containedKeys(queryKey: string): string[] {
    const keys = new Set<string>();
    if (queryKey.length <= SHORT_QUERY_CHARS && queryKey.length >= 2) for (const key of this.keysContaining(queryKey)) keys.add(key);
    let lookups = 0;
    for (const length of this.lengths.keys()) {
      if (length < MIN_CONTAINED_NAME_CHARS || length > queryKey.length) continue;
      for (let start = 0; start + length <= queryKey.length && lookups < MAX_CONTAINED_LOOKUPS; start++, lookups++) {
        const key = queryKey.slice(start, start + length);
        if (this.byKey.has(key)) keys.add(key);
      }
    }
    const distance = (key: string) => Math.abs(key.length - queryKey.length);
    return [...keys].sort((a, b) => distance(a) - distance(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Distinct keys containing `text` (at least two characters long). */
  private keysContaining(text: string): string[] {
    let rarest: string[] | undefined;
    for (const gram of bigramsOf(text)) {
      const keys = this.bigrams.get(gram);
      if (!keys) return [];
      if (!rarest || keys.length < rarest.length) rarest = keys;
    }
    return (rarest ?? []).filter((key) => key.includes(text));
  }
}

function bigramsOf(key: string): Set<string> {
  const out = new Set<string>();
  // By UTF-16 unit: a pair split inside an astral character is still a consistent key both ways.
  for (let i = 0; i + 2 <= key.length; i++) out.add(key.slice(i, i + 2));
  return out;
}

/** Sorts `ids` in place into id order and drops repeats. */
function inIdOrder(ids: string[]): void {
  ids.sort(compareIds);
  let kept = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[kept - 1]) ids[kept++] = ids[i];
  ids.length = kept;
}
