import { CatalogRecipe } from './catalog-recipe';
import { CatalogView } from './catalog-view';
import { foldedListing, FoldedResults } from './filtered-listing';
import { KeptListings, ListingRequest } from './kept-listings';
import { PantryLexicon } from './pantry-index';

const lexicon: PantryLexicon = { ancestors: () => [], isA: (id, ancestor) => id === ancestor, isStaple: () => false };

function recipe(id: string, key: string, minutes: number | null): CatalogRecipe {
  return {
    summary: { id, name: key, source: 'howtocook', totalMinutes: minutes },
    nameKey: key,
    ingredients: [{ name: 'egg', concept: 'egg' }],
    impliedIngredients: [],
  } as unknown as CatalogRecipe;
}

const shown = (listing: FoldedResults) => listing.map((dish) => [dish.lead.id, ...dish.others.map((o) => o.id)]);

/** A listing request that counts the recipes it is asked about: a pass over the catalog asks about each. */
function quickDishes(): ListingRequest & { tested: () => number } {
  let tested = 0;
  return {
    signature: 'maxMinutes=30',
    allowed: (r) => {
      tested++;
      return r.summary.totalMinutes !== null && r.summary.totalMinutes <= 30;
    },
    quickestFirst: true,
    tested: () => tested,
  };
}

describe('KeptListings', () => {
  const size = 40_000;
  const catalog = () =>
    CatalogView.of(
      Array.from({ length: size }, (_, i) => recipe(`r${String(i).padStart(6, '0')}`, `dish ${i % 9_000}`, i % 5 === 0 ? null : i % 60)),
      lexicon,
    );

  it('makes one pass for a burst on one view, and keeps it for the next page', async () => {
    const listings = new KeptListings();
    const view = catalog();
    const request = quickDishes();
    const [a, b] = await Promise.all([listings.listing(view, request), listings.listing(view, request)]);
    expect(b).toBe(a);
    expect(await listings.listing(view, request)).toBe(a);
    expect(request.tested()).toBe(size);
    expect(shown(a)).toEqual(shown(foldedListing(view, request.allowed, true)));
  });

  it('carries a pass still underway over to a newer view instead of passing over the catalog again', async () => {
    const listings = new KeptListings();
    const view = catalog();
    const request = quickDishes();
    const first = listings.listing(view, request);
    // A write while the first pass runs: its view shares the first's generation.
    const next = view.next([recipe('r000001', 'new dish', 10), recipe('n1', 'dish 7', 3)], ['r000002']);
    expect(next.generation).toBe(view.generation);
    const second = await listings.listing(next, request);
    expect(request.tested()).toBeLessThan(size * 1.1);
    expect(shown(second)).toEqual(shown(foldedListing(next, request.allowed, true)));
    expect(shown(await first)).toEqual(shown(foldedListing(view, request.allowed, true)));
  });

  it('passes over a rebuilt view of its own', async () => {
    const listings = new KeptListings();
    const request = quickDishes();
    await listings.listing(catalog(), request);
    const rebuilt = catalog();
    await listings.listing(rebuilt, request);
    expect(request.tested()).toBe(2 * size);
  });
});
