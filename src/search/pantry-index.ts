import { isLearnedConcept } from '../embedding/learned-concepts/learned-concepts';
import { Ingredient } from '../recipes/recipe.types';
import { PantryKeys } from './pantry-matcher';

/** The part of the lexicon the index needs: a concept's broader concepts. */
export interface ConceptAncestry {
  ancestors(id: string): readonly string[];
}

/**
 * Which recipes a pantry can touch at all, so pantry matching scores only those instead of the
 * whole catalog. {@link PantryMatcher} lets a pantry concept p cover a line of concept c when
 * c is-a p (having "chicken" covers 鸡胸肉) or p is-a c (having 鸡腿 covers 鸡肉); so a recipe is a
 * candidate for p when it lists p or something narrower (`under`, keyed by each line concept and
 * its ancestors) or one of p's ancestors (`listed`, keyed by the line concept itself).
 *
 * Like the dish-name index it only grows between rebuilds and is shared by the views built on
 * it: a stale posting (a recipe edited since) only adds a candidate the matcher then scores on
 * the view's own copy of the recipe. At 100,000 synthetic recipes, matching four pantries
 * (egg+tomato, tofu+scallion, chicken, beef+potato+carrot) took 15.9 s scoring every recipe and
 * 4.3 s scoring the candidates (median of 20 alternating runs on a heavily loaded shared machine;
 * the ratio is what counts). The cost now grows with the recipes a pantry touches: eggs are in
 * a large share of the catalog, so egg+tomato still scores many; so the index also keeps each
 * recipe's lines encoded for counting (PantryCounter) in one pool, read in place.
 *   `npx tsc -p tsconfig.bench.json && node dist-bench/bench/catalog-index-bench.js`
 */
export class PantryIndex {
  /** The keys {@link lines} are encoded with; a counter over this index's lines must use them. */
  readonly keys = new PantryKeys();
  // Postings hold small ordinals rather than ids: pushing a number is cheaper than a set insert
  // when building 100,000 recipes' postings, and a query dedupes by stamping ordinals in a typed
  // array instead of inserting tens of thousands of id strings into a set (a tenth of a pantry
  // request at 100,000 recipes, with the garbage it left).
  private readonly ordinals = new Map<string, number>();
  private readonly ids: string[] = [];
  /** What each ordinal's lines were last indexed from, so a view can tell whether they are its recipe's. */
  private readonly owners: unknown[] = [];
  private readonly listed = new Map<string, number[]>();
  private readonly under = new Map<string, number[]>();
  private pool = new Int32Array(1024);
  private used = 0;
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  private stamp = new Uint32Array(0);
  private generation = 0;
  private found = new Int32Array(0);

  constructor(private readonly lexicon: ConceptAncestry) {}

  /**
   * Indexes one recipe by the concepts of the lines pantry matching reads (listed and implied),
   * and keeps those lines encoded; `owner` is the object they came from. Returns its ordinal.
   */
  add(id: string, lines: readonly Ingredient[], owner: unknown): number {
    let ordinal = this.ordinals.get(id);
    if (ordinal === undefined) {
      ordinal = this.ids.push(id) - 1;
      this.ordinals.set(id, ordinal);
    }
    const encoded = this.keys.encode(lines);
    const listed = new Set<string>();
    const under = new Set<string>();
    for (let i = 0; i < lines.length; i++) {
      // An unresolved line is posted under its learned concept's id: a learned pantry item finds it.
      const key = encoded[i] >> 1;
      const concept =
        lines[i].concept ?? (key < 0 && isLearnedConcept(this.keys.unresolvedText(key)) ? this.keys.unresolvedText(key) : undefined);
      if (!concept || listed.has(concept)) continue;
      listed.add(concept);
      under.add(concept);
      for (const ancestor of this.lexicon.ancestors(concept)) under.add(ancestor);
    }
    for (const key of listed) post(this.listed, key, ordinal);
    for (const key of under) post(this.under, key, ordinal);
    this.keep(ordinal, encoded, owner);
    return ordinal;
  }

  /**
   * Ordinals of recipes with a line some concept of `pantry` covers, each once (a superset when
   * postings are stale). The array is the index's own scratch: valid until the next call.
   */
  candidates(pantry: readonly string[]): Int32Array {
    if (this.stamp.length < this.ids.length) this.stamp = new Uint32Array(Math.ceil(this.ids.length * 1.25));
    if (this.found.length < this.ids.length) this.found = new Int32Array(this.stamp.length);
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 0;
    }
    const generation = (this.generation += 1);
    let n = 0;
    const collect = (ordinals: number[] | undefined) => {
      if (!ordinals) return;
      for (const ordinal of ordinals) {
        if (this.stamp[ordinal] === generation) continue;
        this.stamp[ordinal] = generation;
        this.found[n++] = ordinal;
      }
    };
    for (const concept of pantry) {
      collect(this.under.get(concept));
      for (const ancestor of this.lexicon.ancestors(concept)) collect(this.listed.get(ancestor));
    }
    return this.found.subarray(0, n);
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

  /** The pool holding every ordinal's encoded lines; {@link start}/{@link end} delimit one. */
  get lines(): Int32Array {
    return this.pool;
  }

  start(ordinal: number): number {
    return this.starts[ordinal];
  }

  end(ordinal: number): number {
    return this.ends[ordinal];
  }

  /** Appends (an edited recipe's old lines stay unused until the next rebuild). */
  private keep(ordinal: number, encoded: Int32Array, owner: unknown): void {
    if (this.used + encoded.length > this.pool.length) this.pool = grow(this.pool, this.used + encoded.length);
    if (ordinal >= this.starts.length) {
      this.starts = grow(this.starts, ordinal + 1);
      this.ends = grow(this.ends, ordinal + 1);
    }
    this.pool.set(encoded, this.used);
    this.starts[ordinal] = this.used;
    this.ends[ordinal] = this.used += encoded.length;
    this.owners[ordinal] = owner;
  }
}

function grow(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(Math.max(needed, array.length * 2));
  grown.set(array);
  return grown;
}

function post(map: Map<string, number[]>, key: string, ordinal: number): void {
  const ordinals = map.get(key);
  if (ordinals) ordinals.push(ordinal);
  else map.set(key, [ordinal]);
}
