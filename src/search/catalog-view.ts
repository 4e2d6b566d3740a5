import { runToEnd, type Steps } from '../common/event-loop';
import { sortInSteps } from '../common/sort-in-steps';
import { CatalogRecipe, neededIngredients } from './catalog-recipe';
import { compareIds } from './id-order';
import { DishNameIndex, NameMatchBound, NameMatchTier, NameQuery } from './dish-name';
import { DELETED, OVERLAID, PantryIndex, PantryLexicon, UNCHANGED } from './pantry-index';
import { PantryCounter, PantryTally } from './pantry-matcher';

/**
 * Changed recipes a view carries on top of its base before the next refresh rebuilds base and
 * indexes. A refresh copies only this overlay (O(changed since the rebuild), at most this many),
 * and a rebuild, O(catalog), happens once per this many changed recipes. At 100,000 synthetic
 * recipes a refresh after 10 edited recipes took 1,408 ms when it copied the map and rebuilt the
 * name index, and 0.09 ms as an overlay; a full build of the view (start-up, or once per this
 * many changes) took 4.9 s on the same heavily loaded shared machine, as it now also builds the
 * pantry postings. `npx tsc -p tsconfig.bench.json && node dist-bench/bench/catalog-index-bench.js`
 */
export const VIEW_OVERLAY_MAX = 4096;

/**
 * The overlay a view over `baseSize` recipes may carry: VIEW_OVERLAY_MAX, or a quarter of the
 * base when that is more. A fixed limit made a bulk import that the view follows as it lands
 * (every second, or under search traffic) rebuild the whole view every 4,096 recipes: 25
 * rebuilds of a growing catalog for a 100,000-recipe import, quadratic in its size. Growing the
 * limit with the base makes the rebuilds geometric (linear in total); the price is copying a
 * larger overlay per refresh, O(changed since the rebuild).
 */
export function overlayLimit(baseSize: number): number {
  return Math.max(VIEW_OVERLAY_MAX, Math.floor(baseSize / 4));
}

/** Indexes shared by every view built since the last rebuild; they only grow (see DishNameIndex). */
class CatalogIndexes {
  readonly names = new DishNameIndex();
  /**
   * The base's recipes in both listing orders, sorted as part of each rebuild. Sorted on the
   * first constraint-only listing instead, that request held the event loop while it sorted:
   * 180 of 357 ms at 100,000 recipes (the first `?maxMinutes=30` after a start), seconds at
   * 1,000,000, for every request waiting behind it.
   */
  readonly orders = new Map<boolean, readonly CatalogRecipe[]>();
  readonly pantry: PantryIndex;
  /** The base's recipe by pantry ordinal: a view finds a candidate's recipe without a map lookup. */
  readonly baseByOrdinal: CatalogRecipe[] = [];

  constructor(lexicon: PantryLexicon) {
    this.pantry = new PantryIndex(lexicon);
  }

  add(recipe: CatalogRecipe): number {
    const id = recipe.summary.id;
    this.names.add(id, recipe.nameKey);
    return this.pantry.add(id, neededIngredients(recipe), recipe);
  }

  addToBase(recipe: CatalogRecipe): void {
    this.baseByOrdinal[this.add(recipe)] = recipe;
  }

  *sortOrders(base: ReadonlyMap<string, CatalogRecipe>): Steps<void> {
    const recipes = [...base.values()];
    for (const quickestFirst of [false, true]) this.orders.set(quickestFirst, yield* sortInSteps(recipes, listingOrder(quickestFirst)));
  }
}

/**
 * An immutable view of the catalog for one request: a base map shared with the views before it,
 * an overlay of what changed since (null for deleted), and the shared indexes. A request keeps
 * its view across awaits and never sees a later write.
 */
export class CatalogView {
  readonly size: number;
  private readonly orders = new Map<boolean, readonly CatalogRecipe[]>();
  private overlayOrdinals: Uint8Array | null = null;

  private constructor(
    private readonly base: ReadonlyMap<string, CatalogRecipe>,
    private readonly overlay: ReadonlyMap<string, CatalogRecipe | null>,
    private readonly indexes: CatalogIndexes,
    private readonly lexicon: PantryLexicon,
  ) {
    let size = base.size;
    for (const [id, recipe] of overlay) size += (recipe ? 1 : 0) - (base.has(id) ? 1 : 0);
    this.size = size;
  }

  static of(recipes: Iterable<CatalogRecipe>, lexicon: PantryLexicon): CatalogView {
    const base = new Map<string, CatalogRecipe>();
    const indexes = new CatalogIndexes(lexicon);
    for (const recipe of recipes) {
      base.set(recipe.summary.id, recipe);
      indexes.addToBase(recipe);
    }
    runToEnd(indexes.sortOrders(base));
    return new CatalogView(base, new Map(), indexes, lexicon);
  }

  /** {@link of}, yielding to the event loop through `pause` between recipes (a background reload). */
  static async ofInSlices(recipes: Iterable<CatalogRecipe>, lexicon: PantryLexicon, pause: () => Promise<void>): Promise<CatalogView> {
    const base = new Map<string, CatalogRecipe>();
    const indexes = new CatalogIndexes(lexicon);
    for (const recipe of recipes) {
      await pause();
      base.set(recipe.summary.id, recipe);
      indexes.addToBase(recipe);
    }
    for (const steps = indexes.sortOrders(base); !steps.next().done;) await pause();
    return new CatalogView(base, new Map(), indexes, lexicon);
  }

  /** {@link next}, yielding through `pause` between recipes it indexes (a background reload). */
  async nextInSlices(changed: readonly CatalogRecipe[], deleted: readonly string[], pause: () => Promise<void>): Promise<CatalogView> {
    const overlay = this.overlayWith(changed, deleted);
    if (overlay.size > overlayLimit(this.base.size)) {
      return CatalogView.ofInSlices(new CatalogView(this.base, overlay, this.indexes, this.lexicon).values(), this.lexicon, pause);
    }
    // Indexing a thousand recipes of 250 ingredients in one go held the event loop for ~100 ms.
    for (const [id, recipe] of overlay) {
      if (!recipe || this.overlay.get(id) === recipe) continue;
      await pause();
      this.indexes.add(recipe);
    }
    return new CatalogView(this.base, overlay, this.indexes, this.lexicon);
  }

  /** This view with `changed` recipes put and `deleted` ids gone; the receiver is unchanged. */
  next(changed: Iterable<CatalogRecipe>, deleted: Iterable<string> = []): CatalogView {
    const overlay = this.overlayWith(changed, deleted);
    if (overlay.size > overlayLimit(this.base.size)) {
      const merged = new CatalogView(this.base, overlay, this.indexes, this.lexicon);
      return CatalogView.of(merged.values(), this.lexicon);
    }
    for (const [id, recipe] of overlay) if (recipe && this.overlay.get(id) !== recipe) this.indexes.add(recipe);
    return new CatalogView(this.base, overlay, this.indexes, this.lexicon);
  }

  private overlayWith(changed: Iterable<CatalogRecipe>, deleted: Iterable<string>): Map<string, CatalogRecipe | null> {
    const overlay = new Map(this.overlay);
    for (const recipe of changed) overlay.set(recipe.summary.id, recipe);
    for (const id of deleted) overlay.set(id, null);
    return overlay;
  }

  /**
   * The recipes that differ between `earlier` and this view, when both were built on the same
   * base (null when a rebuild came between): O(their overlays), pointer comparisons only.
   */
  changesSince(earlier: CatalogView): { added: CatalogRecipe[]; removed: CatalogRecipe[] } | null {
    if (earlier.base !== this.base) return null;
    const added: CatalogRecipe[] = [];
    const removed: CatalogRecipe[] = [];
    const compare = (id: string) => {
      const before = earlier.get(id);
      const after = this.get(id);
      if (before === after) return;
      if (before) removed.push(before);
      if (after) added.push(after);
    };
    for (const id of this.overlay.keys()) compare(id);
    for (const id of earlier.overlay.keys()) if (!this.overlay.has(id)) compare(id);
    return { added, removed };
  }

  get(id: string): CatalogRecipe | undefined {
    const changed = this.overlay.get(id);
    if (changed !== undefined) return changed ?? undefined;
    return this.base.get(id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  *values(): IterableIterator<CatalogRecipe> {
    for (const [id, recipe] of this.base) if (!this.overlay.has(id)) yield recipe;
    for (const recipe of this.overlay.values()) if (recipe) yield recipe;
  }

  *ids(): IterableIterator<string> {
    for (const recipe of this.values()) yield recipe.summary.id;
  }

  /**
   * Every recipe in listing order: by id, or (`quickestFirst`) by known total time with unknown
   * times last, then id. The base's order is sorted once per rebuild; a view with an overlay
   * merges the overlay's (at most overlayLimit) into it once, on its first listing.
   */
  listing(quickestFirst: boolean): readonly CatalogRecipe[] {
    return runToEnd(this.listingSteps(quickestFirst));
  }

  /** {@link listing}, pausing every few thousand recipes of the merge (a million recipes take ~100 ms). */
  *listingSteps(quickestFirst: boolean): Steps<readonly CatalogRecipe[]> {
    const cached = this.orders.get(quickestFirst);
    if (cached) return cached;
    const base = this.indexes.orders.get(quickestFirst)!;
    let merged = base;
    if (this.overlay.size > 0) {
      const compare = listingOrder(quickestFirst);
      const overlay = [...this.overlay.values()].filter((r): r is CatalogRecipe => r !== null).sort(compare);
      const out: CatalogRecipe[] = [];
      let j = 0;
      for (let i = 0; i < base.length; i++) {
        if (i % MERGE_STEP === MERGE_STEP - 1) yield;
        const recipe = base[i];
        if (this.overlay.has(recipe.summary.id)) continue;
        while (j < overlay.length && compare(overlay[j], recipe) < 0) out.push(overlay[j++]);
        out.push(recipe);
      }
      while (j < overlay.length) out.push(overlay[j++]);
      merged = out;
    }
    this.orders.set(quickestFirst, merged);
    return merged;
  }

  /**
   * An object shared by every view built on this one's base since its last rebuild, and by no
   * other: a WeakMap key for what is worth keeping only while that base serves (what a view
   * carries over from an earlier one needs the same base; see changesSince).
   */
  get generation(): object {
    return this.indexes;
  }

  /** Recipes whose name key equals `key`, in id order. */
  withNameKey(key: string): string[] {
    return this.indexes.names.withKey(key, this.keyOf);
  }

  /**
   * See {@link DishNameIndex.match}; answered for this view's recipes that `allowed` passes
   * (all when omitted), so a bound is filled with recipes the caller can use.
   */
  matchNames(query: NameQuery, bound?: NameMatchBound, allowed?: (recipe: CatalogRecipe) => boolean): Map<string, NameMatchTier> {
    const keyOf =
      allowed === undefined
        ? this.keyOf
        : (id: string) => {
            const recipe = this.get(id);
            return recipe !== undefined && allowed(recipe) ? recipe.nameKey : undefined;
          };
    return this.indexes.names.match(query, keyOf, bound);
  }

  /**
   * Ranks for a pantry every recipe of this view with a line an `anchor` item covers, as
   * {@link PantryMatcher} counts them: the ones using an anchor item, passing `allowed` (null:
   * all). Counts come from the index's postings; a recipe indexed again since the rebuild, or
   * not the one the index counted, has its own lines counted.
   */
  countPantry(pantry: readonly string[], anchor: readonly string[], allowed: ((recipe: CatalogRecipe) => boolean) | null): PantryTally {
    const index = this.indexes.pantry;
    let counter: PantryCounter | null = null;
    const changed = this.overlaidOrdinals();
    const touched = index.touch(pantry, anchor);
    const out = new PantryTally((ordinal) => index.idOf(ordinal), touched.length);
    for (const ordinal of allowed === null ? index.addExact(touched, this.base.size, changed, out) : touched) {
      const recipe = this.atOrdinal(ordinal, changed);
      if (recipe === undefined || (allowed !== null && !allowed(recipe))) continue;
      if (!index.isReindexed(ordinal) && recipe === index.ownerOf(ordinal)) {
        out.add(ordinal, index.missing(ordinal), index.used(ordinal));
        continue;
      }
      counter ??= new PantryCounter(this.lexicon, index.keys, pantry, anchor);
      const missing = counter.count(index.keys.encode(neededIngredients(recipe)));
      if (counter.anchored) out.add(ordinal, missing, counter.used);
    }
    return out;
  }

  /**
   * Which pantry ordinals this view's overlay changes — OVERLAID when it holds a recipe for it,
   * DELETED when it removed it — null when it changes none, so a scan looks up the overlay only
   * for those instead of hashing every candidate's id.
   */
  private overlaidOrdinals(): Uint8Array | null {
    if (this.overlay.size === 0) return null;
    if (this.overlayOrdinals === null) {
      const index = this.indexes.pantry;
      this.overlayOrdinals = new Uint8Array(index.size);
      for (const [id, recipe] of this.overlay) {
        const ordinal = index.ordinalOf(id);
        if (ordinal !== undefined) this.overlayOrdinals[ordinal] = recipe === null ? DELETED : OVERLAID;
      }
    }
    return this.overlayOrdinals;
  }

  /**
   * This view's recipe for a pantry ordinal: the overlay's if it changed it (`changed`, from
   * {@link overlaidOrdinals}), else the base's. Pointer comparisons only: `!recipe` would read
   * each candidate's object, a cache miss apiece over tens of thousands of candidates.
   */
  private atOrdinal(ordinal: number, changed: Uint8Array | null): CatalogRecipe | undefined {
    if (changed !== null && ordinal < changed.length && changed[ordinal] !== UNCHANGED) {
      const recipe = this.overlay.get(this.indexes.pantry.idOf(ordinal));
      return recipe === null ? undefined : recipe;
    }
    return this.indexes.baseByOrdinal[ordinal];
  }

  /**
   * Other recipes with the same normalised name (the same dish from another source): the first
   * `limit` in id order that `allowed` passes. A popular dish has thousands of copies in a large
   * catalog, and a list shows one of them.
   */
  twinsOf(recipe: CatalogRecipe, limit: number, allowed: (recipe: CatalogRecipe) => boolean): CatalogRecipe[] {
    const isTwin = (id: string) => {
      const twin = id === recipe.summary.id ? undefined : this.get(id);
      return twin !== undefined && twin.nameKey === recipe.nameKey && allowed(twin);
    };
    return this.indexes.names.firstWithKey(recipe.nameKey, limit, isTwin).map((id) => this.get(id) as CatalogRecipe);
  }

  private readonly keyOf = (id: string): string | undefined => this.get(id)?.nameKey;
}

/** Base recipes merged with a view's overlay between pauses of {@link CatalogView.listingSteps}. */
const MERGE_STEP = 8192;

/** The order of {@link CatalogView.listing}: by id, or by known total time first, unknown last, then id. */
export function listingOrder(quickestFirst: boolean): (a: CatalogRecipe, b: CatalogRecipe) => number {
  const minutes = (recipe: CatalogRecipe) => recipe.summary.totalMinutes ?? Number.POSITIVE_INFINITY;
  return (a, b) => (quickestFirst ? minutes(a) - minutes(b) : 0) || compareIds(a.summary.id, b.summary.id);
}
