import { runInSlices } from '../common/event-loop';
import { CatalogRecipe } from './catalog-recipe';
import { CatalogView } from './catalog-view';
import { carriedListing, foldedListingSteps, type FoldedResults } from './filtered-listing';

/** Listings kept per catalog view, and per generation for the next view to carry over. */
const LISTINGS_KEPT = 8;

/** One constraint set's listing: its key (the same constraints give the same key) and how to make it. */
export interface ListingRequest {
  signature: string;
  allowed: (recipe: CatalogRecipe) => boolean;
  quickestFirst: boolean;
}

/**
 * Constraint-only listings (every recipe that passes, folded by dish, in listing order), made
 * as rarely as the catalog allows:
 * - kept per view for the last few constraint sets, so paging through one listing pays it once;
 * - carried over to the next view from the last one made on an earlier view of the same
 *   generation, folding again only the dishes that changed (see carriedListing);
 * - made by one pass at a time per generation and constraint set: requests on the view the pass
 *   is made on share it, and requests on a newer view of the same generation wait for it and
 *   carry its listing over.
 *
 * A pass runs a few milliseconds at a time (see foldedListingSteps): in one go, the first
 * `?diet=vegan` after a start held every other request for ~120–175 ms at 100,000 recipes
 * (`npx tsc -p tsconfig.bench.json && node dist-bench/bench/catalog-index-bench.js`).
 * The last rule matters at 1,000,000 recipes, where a first pass takes seconds of the main
 * thread (in slices). Every write makes a new view, and while a pass ran, a request on each
 * newer view started a pass of its own: in the scale bench's freshness phase (a new recipe
 * written about every second beside 4 clients searching), the main thread spent 12 s on several
 * such passes at once, and a new recipe was found by name only after 2.4 s.
 */
export class KeptListings {
  private readonly byView = new WeakMap<CatalogView, Map<string, FoldedResults>>();
  /**
   * The last listing made per constraint set, with its view, per generation of the catalog view.
   * Keyed by the generation, so that a rebuilt view's predecessors (at 1,000,000 recipes, a
   * whole catalog's maps and indexes) are not kept alive by the listings made on them.
   */
  private readonly latest = new WeakMap<object, Map<string, { view: CatalogView; listing: FoldedResults }>>();
  /** Passes being made, per generation and constraint set, with the view each is made on. */
  private readonly underway = new WeakMap<object, Map<string, { view: CatalogView; pass: Promise<FoldedResults> }>>();

  async listing(view: CatalogView, request: ListingRequest): Promise<FoldedResults> {
    const { signature, allowed, quickestFirst } = request;
    const kept = this.byView.get(view)?.get(signature);
    if (kept) return kept;
    const earlier = this.latest.get(view.generation)?.get(signature);
    let out = earlier ? carriedListing(earlier, view, allowed, quickestFirst) : null;
    if (!out) {
      let passes = this.underway.get(view.generation);
      if (!passes) this.underway.set(view.generation, (passes = new Map()));
      const running = passes.get(signature);
      if (running?.view === view) return running.pass;
      if (running) out = carriedListing({ view: running.view, listing: await running.pass }, view, allowed, quickestFirst);
      if (!out) out = await this.pass(passes, view, request);
    }
    this.keep(view, signature, out);
    return out;
  }

  private async pass(
    passes: Map<string, { view: CatalogView; pass: Promise<FoldedResults> }>,
    view: CatalogView,
    { signature, allowed, quickestFirst }: ListingRequest,
  ): Promise<FoldedResults> {
    const pass = runInSlices(foldedListingSteps(view, allowed, quickestFirst));
    passes.set(signature, { view, pass });
    try {
      return await pass;
    } finally {
      if (passes.get(signature)?.pass === pass) passes.delete(signature);
    }
  }

  private keep(view: CatalogView, signature: string, listing: FoldedResults): void {
    let kept = this.byView.get(view);
    if (!kept) this.byView.set(view, (kept = new Map()));
    if (kept.size >= LISTINGS_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(signature, listing);
    let latest = this.latest.get(view.generation);
    if (!latest) this.latest.set(view.generation, (latest = new Map()));
    latest.delete(signature);
    if (latest.size >= LISTINGS_KEPT) latest.delete(latest.keys().next().value as string);
    latest.set(signature, { view, listing });
  }
}
