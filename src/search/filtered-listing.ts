import { runToEnd, type Steps } from '../common/event-loop';
import { CatalogRecipe } from './catalog-recipe';
import { CatalogView, listingOrder } from './catalog-view';
import { DishFolder, foldKey, foldSameDishes, type FoldableCandidate, type FoldedCandidate } from './same-dish';

export type RankedRecipe = { recipe: CatalogRecipe; score: number };
export type FoldedResults<R extends RankedRecipe = RankedRecipe> = ReadonlyArray<FoldedCandidate<FoldableCandidate & { ranked: R }>>;

/**
 * Changes between two views beyond which a listing is folded afresh rather than carried over:
 * each changed dish costs a look-up of its name's recipes and a move in the listing's array, so
 * a bulk's thousands of changes are cheaper as one pass.
 */
export const CARRIED_CHANGES_MAX = 1000;

/**
 * The same dish from two sources is one result to a reader: the better-ranked copy stays, the
 * others are named in `why.alsoIn`.
 */
export function foldRanked<R extends RankedRecipe>(ranked: readonly R[]): FoldedResults<R> {
  return foldSameDishes(ranked.map(foldable));
}

/** A ranked recipe as the dish folder takes it (see DishFolder). */
export function foldable<R extends RankedRecipe>(ranked: R): FoldableCandidate & { ranked: R } {
  return { id: ranked.recipe.summary.id, source: ranked.recipe.summary.source, nameKey: ranked.recipe.nameKey, ranked };
}

/** Every recipe of `view` that `allowed` passes, in listing order (see CatalogView.listing), folded by dish. */
export function foldedListing(view: CatalogView, allowed: (recipe: CatalogRecipe) => boolean, quickestFirst: boolean): FoldedResults {
  return runToEnd(foldedListingSteps(view, allowed, quickestFirst));
}

/**
 * {@link foldedListing}, pausing every few thousand recipes. It passes over the whole catalog:
 * ~120–175 ms at 100,000 recipes for the first listing of a constraint set, which every other
 * request waited behind when it ran in one go.
 */
export function* foldedListingSteps(
  view: CatalogView,
  allowed: (recipe: CatalogRecipe) => boolean,
  quickestFirst: boolean,
): Steps<FoldedResults> {
  const listing = yield* view.listingSteps(quickestFirst);
  const folder = new DishFolder<FoldableCandidate & { ranked: RankedRecipe }>();
  for (let i = 0; i < listing.length; i++) {
    if (i % PASS_STEP === PASS_STEP - 1) yield;
    const recipe = listing[i];
    if (allowed(recipe)) folder.add(foldable({ recipe, score: 1 }));
  }
  return folder.folded();
}

/** Recipes tested between pauses of {@link foldedListingSteps}. */
const PASS_STEP = 2048;

/**
 * {@link foldedListing} of `view`, from the same listing of an `earlier` view: only the dishes
 * whose recipes changed in between are folded again and moved to their place, found by binary
 * search on their lead. Null when the two views were not built on the same base, or when more
 * than CARRIED_CHANGES_MAX recipes changed. Every write makes a new view, and a listing per
 * view was a pass over the whole catalog, a merge of its changes and a fold of every match. On
 * the restarted 100,000-recipe catalog, the first constraint-only search after a new recipe's
 * write took 111–310 ms at p50 (q=vegan, ?diet=vegetarian, ?maxMinutes=30, q=不要香菜; 7,796–
 * 31,919 matches), and 3.8–7.4 ms carried over. At 1,000,000 recipes such listings held the
 * main thread for seconds after each new recipe: 75% of it while the scale bench's new recipes
 * were written, where its 4 clients got 5 searches a second.
 */
export function carriedListing(
  earlier: { view: CatalogView; listing: FoldedResults },
  view: CatalogView,
  allowed: (recipe: CatalogRecipe) => boolean,
  quickestFirst: boolean,
): FoldedResults | null {
  const changes = view.changesSince(earlier.view);
  if (!changes || changes.added.length + changes.removed.length > CARRIED_CHANGES_MAX) return null;
  const compare = listingOrder(quickestFirst);
  const dishes = new Map<string, CatalogRecipe>();
  for (const recipe of [...changes.removed, ...changes.added])
    dishes.set(foldKey({ id: recipe.summary.id, nameKey: recipe.nameKey }), recipe);
  const out = earlier.listing.slice();
  // Every changed dish leaves before any comes back: a dish's new lead may share its id with
  // another dish's old one (a recipe renamed into it), and the search for a place compares ids.
  for (const recipe of dishes.values()) {
    const before = dishIn(earlier.view, recipe, allowed, compare);
    if (!before) continue;
    const at = lowerBound(out, before.lead.ranked.recipe, compare);
    if (at < out.length && out[at].lead.ranked.recipe === before.lead.ranked.recipe) out.splice(at, 1);
  }
  for (const recipe of dishes.values()) {
    const after = dishIn(view, recipe, allowed, compare);
    if (after) out.splice(lowerBound(out, after.lead.ranked.recipe, compare), 0, after);
  }
  return out;
}

/** The folded entry in `view` of the dish `recipe` is one version of, or undefined when none of its recipes passes. */
function dishIn(
  view: CatalogView,
  recipe: CatalogRecipe,
  allowed: (recipe: CatalogRecipe) => boolean,
  compare: (a: CatalogRecipe, b: CatalogRecipe) => number,
): FoldedResults[number] | undefined {
  const members: CatalogRecipe[] = [];
  if (recipe.nameKey.length > 0) {
    for (const id of view.withNameKey(recipe.nameKey)) {
      const member = view.get(id);
      if (member && allowed(member)) members.push(member);
    }
  } else {
    // A name that keys to nothing is a dish of its own, as long as the recipe still has such a name.
    const member = view.get(recipe.summary.id);
    if (member && member.nameKey.length === 0 && allowed(member)) members.push(member);
  }
  members.sort(compare);
  return foldRanked(members.map((member) => ({ recipe: member, score: 1 })))[0];
}

/** The first index whose lead does not come before `recipe` in listing order. */
function lowerBound(listing: FoldedResults, recipe: CatalogRecipe, compare: (a: CatalogRecipe, b: CatalogRecipe) => number): number {
  let low = 0;
  let high = listing.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(listing[mid].lead.ranked.recipe, recipe) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
