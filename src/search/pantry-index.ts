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
 * a large share of the catalog, so egg+tomato still scores many.
 *   `npx tsc -p tsconfig.bench.json && node dist-bench/bench/catalog-index-bench.js`
 */
export class PantryIndex {
  // Arrays, not sets: a recipe posts each key once (deduplicated per recipe below), and pushing
  // an id is several times cheaper than a set insert when building 100,000 recipes' postings.
  private readonly listed = new Map<string, string[]>();
  private readonly under = new Map<string, string[]>();

  constructor(private readonly lexicon: ConceptAncestry) {}

  /** Indexes one recipe by the concepts of the lines pantry matching reads (listed and implied). */
  add(id: string, lineConcepts: Iterable<string | undefined>): void {
    const listed = new Set<string>();
    const under = new Set<string>();
    for (const concept of lineConcepts) {
      if (!concept || listed.has(concept)) continue;
      listed.add(concept);
      under.add(concept);
      for (const ancestor of this.lexicon.ancestors(concept)) under.add(ancestor);
    }
    for (const key of listed) post(this.listed, key, id);
    for (const key of under) post(this.under, key, id);
  }

  /** Ids of recipes with a line some concept of `pantry` covers (a superset when postings are stale). */
  candidates(pantry: readonly string[]): Set<string> {
    const out = new Set<string>();
    const collect = (ids: string[] | undefined) => ids?.forEach((id) => out.add(id));
    for (const concept of pantry) {
      collect(this.under.get(concept));
      for (const ancestor of this.lexicon.ancestors(concept)) collect(this.listed.get(ancestor));
    }
    return out;
  }
}

function post(map: Map<string, string[]>, key: string, id: string): void {
  const ids = map.get(key);
  if (ids) ids.push(id);
  else map.set(key, [id]);
}
