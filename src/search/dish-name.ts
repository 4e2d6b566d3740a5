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

/**
 * The catalog's dish names in memory, keyed for matching. Exact look-ups are a map read; the
 * containment pass is one `includes` per name, which for a catalog of a few thousand names
 * costs tens of microseconds, far below a vector query.
 */
export class DishNameIndex {
  private readonly byKey = new Map<string, string[]>();
  private readonly keys: Array<{ id: string; key: string }> = [];

  constructor(entries: Iterable<NamedEntry>) {
    for (const { id, name } of entries) {
      const key = dishNameKey(name);
      if (key.length === 0) continue;
      const ids = this.byKey.get(key);
      if (ids) ids.push(id);
      else this.byKey.set(key, [id]);
      this.keys.push({ id, key });
    }
    for (const ids of this.byKey.values()) ids.sort();
  }

  /** Recipes whose name key equals this key, in id order. */
  withKey(key: string): string[] {
    return this.byKey.get(key) ?? [];
  }

  /**
   * Name matches of a query: `exactKeys` are the query's own key plus other names of a dish it
   * names (宫保鸡丁 ↔ kung pao chicken); `containment` enables tier 1 for short queries.
   */
  match(queryKey: string, options: { exactKeys?: readonly string[]; containment: boolean }): Map<string, NameMatchTier> {
    const out = new Map<string, NameMatchTier>();
    if (queryKey.length === 0) return out;
    for (const key of new Set([queryKey, ...(options.exactKeys ?? [])])) {
      for (const id of this.withKey(key)) out.set(id, 2);
    }
    if (!options.containment) return out;
    const short = queryKey.length <= SHORT_QUERY_CHARS && queryKey.length >= 2;
    for (const { id, key } of this.keys) {
      if (out.has(id)) continue;
      if ((short && key.includes(queryKey)) || (key.length >= MIN_CONTAINED_NAME_CHARS && queryKey.includes(key))) out.set(id, 1);
    }
    return out;
  }
}
