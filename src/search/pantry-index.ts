import { isLearnedConcept } from '../embedding/learned-concepts/learned-concepts';
import { Ingredient } from '../recipes/recipe.types';
import { PantryKeys, PantryRules, PantryTally } from './pantry-matcher';

/** How a view's overlay marks a pantry ordinal (see CatalogView.overlaidOrdinals). */
export const UNCHANGED = 0;
/** The overlay holds a recipe for the ordinal. */
export const OVERLAID = 1;
/** The overlay deleted the ordinal's recipe. */
export const DELETED = 2;

/** The part of the lexicon pantry matching needs: its rules, and a concept's broader concepts. */
export interface PantryLexicon extends PantryRules {
  ancestors(id: string): readonly string[];
}

/**
 * What a pantry request needs of every recipe it touches, counted from postings instead of from
 * each recipe's lines. {@link PantryMatcher} lets a pantry item p cover a line of concept c when
 * c is-a p (having "chicken" covers 鸡胸肉) or p is-a c (having 鸡腿 covers 鸡肉); what a recipe
 * misses is its distinct needed things (lines neither optional nor staples) that no item covers.
 * So the index keeps, per recipe, how many distinct needed things it has, and per line key the
 * recipes listing it (flagged when the key is needed); a pantry walks the postings of the keys
 * its items cover, and missing = needed − covered, used = the items seen, with no line read.
 *
 * Why: at 100,000 synthetic recipes a pantry of common ingredients touches most of the catalog,
 * and counting each candidate's lines was 9 of the route's 22 ms of CPU, plus the garbage of
 * walking them (CPU profile of the scale bench's pantry mix). A recipe has ~10 lines but only
 * one to three keys a pantry covers.
 *
 * Like the dish-name index it only grows between rebuilds and is shared by the views built on
 * it. An edited recipe is indexed again under its ordinal and its earlier postings stay, so an
 * ordinal indexed twice is flagged ({@link isReindexed}): its counts may mix versions, and the
 * view counts that recipe's own lines instead (rare: edits since the last rebuild).
 *   `npx tsc -p tsconfig.bench.json && node dist-bench/bench/catalog-index-bench.js`
 */
export class PantryIndex {
  /** The keys lines are encoded with; a {@link PantryCounter} over this index must use them. */
  readonly keys = new PantryKeys();
  private readonly ordinals = new Map<string, number>();
  private readonly ids: string[] = [];
  /** What each ordinal was last indexed from, so a view can tell whether its recipe is the one counted. */
  private readonly owners: unknown[] = [];
  private needed = new Uint16Array(256);
  private reindexed = new Uint8Array(256);
  /** Line key → `ordinal * 2 + 1` when the key is one of the recipe's needed things, `ordinal * 2` otherwise. */
  private readonly postings = new Map<number, number[]>();
  /** Concept → the keys of it and of every narrower concept met so far. */
  private readonly narrower = new Map<string, number[]>();
  private staples = new Uint8Array(256);
  private conceptsSeen = 0;
  // Scratch of {@link touch}, valid until its next call (a request counts synchronously).
  private stamp = new Uint32Array(0);
  private generation = 0;
  private coveredCount = new Uint16Array(0);
  private masks = new Uint32Array(0);
  private touched = new Int32Array(0);
  private words = 1;

  constructor(private readonly lexicon: PantryLexicon) {}

  /** Indexes one recipe by the lines pantry matching reads (listed and implied); `owner` is the object they came from. */
  add(id: string, lines: readonly Ingredient[], owner: unknown): number {
    let ordinal = this.ordinals.get(id);
    if (ordinal === undefined) {
      ordinal = this.ids.push(id) - 1;
      this.ordinals.set(id, ordinal);
      if (ordinal >= this.needed.length) {
        this.needed = grow(this.needed, ordinal + 1);
        this.reindexed = grow(this.reindexed, ordinal + 1);
      }
    } else {
      this.reindexed[ordinal] = 1;
    }
    const encoded = this.keys.encode(lines);
    this.learnNewConcepts();
    // Distinct keys, each flagged when some line of it is needed.
    const flags = new Map<number, number>();
    for (let i = 0; i < encoded.length; i++) {
      const key = encoded[i] >> 1;
      const needed = (encoded[i] & 1) === 0 && (key < 0 || this.staples[key] === 0) ? 1 : 0;
      flags.set(key, (flags.get(key) ?? 0) | needed);
    }
    let neededCount = 0;
    for (const [key, needed] of flags) {
      neededCount += needed;
      const entry = ordinal * 2 + needed;
      const list = this.postings.get(key);
      if (list) list.push(entry);
      else this.postings.set(key, [entry]);
    }
    this.needed[ordinal] = Math.min(neededCount, 0xffff);
    this.owners[ordinal] = owner;
    return ordinal;
  }

  /**
   * Walks the postings of every key some pantry item covers. Returns the ordinals of recipes
   * with a line an `anchor` item covers (the index's scratch, valid until the next call);
   * {@link missing} and {@link used} then answer for each. Covers follow the concept hierarchy both ways, and a
   * learned item (`learned:…`) covers the unresolved lines its name normalises to.
   */
  touch(pantry: readonly string[], anchor: readonly string[]): Int32Array {
    const size = this.ids.length;
    const words = Math.max(1, Math.ceil(pantry.length / 32));
    this.words = words;
    if (this.stamp.length < size) {
      const capacity = Math.ceil(size * 1.25);
      this.stamp = new Uint32Array(capacity);
      this.coveredCount = new Uint16Array(capacity);
      this.touched = new Int32Array(capacity);
      this.generation = 0;
    }
    if (this.masks.length < this.stamp.length * words) this.masks = new Uint32Array(this.stamp.length * words);
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 0;
    }
    const generation = (this.generation += 1);
    const anchorMask = new Uint32Array(words);
    pantry.forEach((item, i) => {
      if (anchor.includes(item)) anchorMask[i >> 5] |= 1 << (i & 31);
    });

    // Keys an anchor item covers first: only they make a recipe a candidate. The other items'
    // keys (staples such as salt, in nearly every recipe) only add to recipes already found.
    const covered = [...this.coveredKeys(pantry, words)];
    const anchoredKey = (mask: Uint32Array) => mask.some((word, w) => (word & anchorMask[w]) !== 0);
    let n = 0;
    for (const pass of [true, false]) {
      for (const [key, mask] of covered) {
        if (anchoredKey(mask) !== pass) continue;
        const list = this.postings.get(key);
        if (!list) continue;
        for (let i = 0; i < list.length; i++) {
          const entry = list[i];
          const ordinal = entry >> 1;
          const at = ordinal * words;
          if (this.stamp[ordinal] !== generation) {
            if (!pass) continue;
            this.stamp[ordinal] = generation;
            this.coveredCount[ordinal] = 0;
            for (let w = 0; w < words; w++) this.masks[at + w] = 0;
            this.touched[n++] = ordinal;
          }
          this.coveredCount[ordinal] += entry & 1;
          for (let w = 0; w < words; w++) this.masks[at + w] |= mask[w];
        }
      }
    }
    return this.touched.subarray(0, n);
  }

  /** Of an ordinal {@link touch} returned: distinct needed things no pantry item covers. */
  missing(ordinal: number): number {
    return this.needed[ordinal] - this.coveredCount[ordinal];
  }

  /** Of an ordinal {@link touch} returned: distinct pantry items covering one of its lines. */
  used(ordinal: number): number {
    let count = 0;
    const at = ordinal * this.words;
    for (let w = 0; w < this.words; w++) count += bitCount(this.masks[at + w]);
    return count;
  }

  /**
   * Adds to `out` every ordinal of `touched` the index counted exactly for a view whose base is
   * ordinals `0..baseSize` and whose overlay marks `changed` (OVERLAID, DELETED): a never
   * re-indexed ordinal has one version, so it counts when the view has it — in its base and
   * unchanged, or added by its overlay — and is skipped when the view does not (deleted, or
   * added after the view). A base recipe the overlay replaced was indexed again. Returns the
   * re-indexed ordinals, for the view to count from its own recipes. One typed-array loop: the same checks through the view took 0.2–0.3 µs per
   * candidate (26,000 candidates for a pantry of three common items at 100,000 recipes, 6.7 ms),
   * and an import leaves tens of thousands of recipes in the overlay.
   */
  addExact(touched: Int32Array, baseSize: number, changed: Uint8Array | null, out: PantryTally): number[] {
    const others: number[] = [];
    for (let i = 0; i < touched.length; i++) {
      const ordinal = touched[i];
      const mark = changed !== null && ordinal < changed.length ? changed[ordinal] : UNCHANGED;
      if (this.reindexed[ordinal] === 1) others.push(ordinal);
      else if (ordinal < baseSize ? mark === UNCHANGED : mark === OVERLAID) out.add(ordinal, this.missing(ordinal), this.used(ordinal));
    }
    return others;
  }

  /** True once an ordinal was indexed again (an edit): its counts may mix versions. */
  isReindexed(ordinal: number): boolean {
    return this.reindexed[ordinal] === 1;
  }

  ordinalOf(id: string): number | undefined {
    return this.ordinals.get(id);
  }

  /** Ordinals run from 0 to this. */
  get size(): number {
    return this.ids.length;
  }

  idOf(ordinal: number): string {
    return this.ids[ordinal];
  }

  ownerOf(ordinal: number): unknown {
    return this.owners[ordinal];
  }

  /** Every key a pantry item covers, with the items (as bits) covering it. */
  private coveredKeys(pantry: readonly string[], words: number): Map<number, Uint32Array> {
    const out = new Map<number, Uint32Array>();
    const cover = (key: number | undefined, item: number) => {
      if (key === undefined) return;
      let mask = out.get(key);
      if (!mask) out.set(key, (mask = new Uint32Array(words)));
      mask[item >> 5] |= 1 << (item & 31);
    };
    pantry.forEach((item, i) => {
      for (const key of this.narrower.get(item) ?? []) cover(key, i);
      for (const ancestor of this.lexicon.ancestors(item)) cover(this.keys.conceptKey(ancestor), i);
      if (isLearnedConcept(item)) cover(this.keys.unresolvedKey(item), i);
    });
    return out;
  }

  /** Enters the concept keys the last encode created into {@link narrower} and {@link staples}. */
  private learnNewConcepts(): void {
    const count = this.keys.conceptCount;
    if (count === this.conceptsSeen) return;
    if (count >= this.staples.length) this.staples = grow(this.staples, count + 1);
    for (let key = this.conceptsSeen + 1; key <= count; key++) {
      const concept = this.keys.concept(key);
      this.staples[key] = this.lexicon.isStaple(concept) ? 1 : 0;
      for (const broader of [concept, ...this.lexicon.ancestors(concept)]) {
        const keys = this.narrower.get(broader);
        if (keys) keys.push(key);
        else this.narrower.set(broader, [key]);
      }
    }
    this.conceptsSeen = count;
  }
}

function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function grow<T extends Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer>>(array: T, needed: number): T {
  const grown = new (array.constructor as new (length: number) => T)(Math.max(needed, array.length * 2));
  grown.set(array);
  return grown;
}
