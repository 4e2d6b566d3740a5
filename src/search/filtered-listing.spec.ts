import fc from 'fast-check';
import { CatalogRecipe } from './catalog-recipe';
import { CatalogView } from './catalog-view';
import { PantryLexicon } from './pantry-index';
import { runInSlices } from '../common/event-loop';
import { carriedListing, CARRIED_CHANGES_MAX, foldedListing, foldedListingSteps, FoldedResults } from './filtered-listing';

const lexicon: PantryLexicon = { ancestors: () => [], isA: (id, ancestor) => id === ancestor, isStaple: () => false };
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

function recipe(id: string, key: string, minutes: number | null, source: string): CatalogRecipe {
  return {
    summary: { id, name: key, source, totalMinutes: minutes },
    nameKey: key,
    ingredients: [{ name: 'egg', concept: 'egg' }],
    impliedIngredients: [],
  } as unknown as CatalogRecipe;
}

/** Repeated names (one dish from several sources), and names that key to nothing. */
const anyRecipe = fc
  .record({
    id: fc.constantFrom(...IDS),
    key: fc.constantFrom('', '宫保鸡丁', '番茄炒蛋', 'dal'),
    minutes: fc.option(fc.integer({ min: 5, max: 60 }), { nil: null }),
    source: fc.constantFrom('howtocook', 'yunyoujun'),
  })
  .map((r) => recipe(r.id, r.key, r.minutes, r.source));
const batch = fc.record({ put: fc.array(anyRecipe, { maxLength: 3 }), drop: fc.array(fc.constantFrom(...IDS), { maxLength: 2 }) });

/** What a reader sees of a listing: each dish's lead and the others, by id. */
const shown = (listing: FoldedResults) => listing.map((dish) => [dish.lead.id, ...dish.others.map((o) => o.id)]);

describe('carriedListing', () => {
  it('gives the listing a fold of the whole view gives, write after write, in both orders and under a filter', () => {
    fc.assert(
      fc.property(
        fc.array(anyRecipe, { maxLength: 10 }),
        fc.array(batch, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        (start, batches, quickestFirst, filtered) => {
          const allowed = filtered ? (r: CatalogRecipe) => (r.summary.totalMinutes ?? 99) <= 30 : () => true;
          let view = CatalogView.of(new Map(start.map((r) => [r.summary.id, r])).values(), lexicon);
          let listing = foldedListing(view, allowed, quickestFirst);
          for (const { put, drop } of batches) {
            const next = view.next(put, drop);
            const carried = carriedListing({ view, listing }, next, allowed, quickestFirst);
            expect(carried).not.toBeNull();
            expect(shown(carried!)).toEqual(shown(foldedListing(next, allowed, quickestFirst)));
            view = next;
            listing = carried!;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves the earlier listing as it was', () => {
    const view = CatalogView.of([recipe('a', '宫保鸡丁', 10, 'howtocook'), recipe('b', 'dal', 20, 'howtocook')], lexicon);
    const listing = foldedListing(view, () => true, false);
    const before = shown(listing);
    carriedListing({ view, listing }, view.next([recipe('c', '宫保鸡丁', 5, 'yunyoujun')], ['b']), () => true, false);
    expect(shown(listing)).toEqual(before);
  });

  it('gives up when the views do not share a base, or too much changed', () => {
    const view = CatalogView.of([recipe('a', '宫保鸡丁', 10, 'howtocook')], lexicon);
    const listing = foldedListing(view, () => true, false);
    const rebuilt = CatalogView.of([recipe('a', '宫保鸡丁', 10, 'howtocook')], lexicon);
    expect(carriedListing({ view, listing }, rebuilt, () => true, false)).toBeNull();
    const many = Array.from({ length: CARRIED_CHANGES_MAX + 1 }, (_, i) => recipe(`n${i}`, `dish ${i}`, null, 'howtocook'));
    expect(carriedListing({ view, listing }, view.next(many), () => true, false)).toBeNull();
  });
});

describe('CatalogView.generation', () => {
  it('is shared by views laid over one base and changes when the view is rebuilt', () => {
    const view = CatalogView.of([recipe('a', '宫保鸡丁', 10, 'howtocook')], lexicon);
    const next = view.next([recipe('b', 'dal', 20, 'howtocook')], ['a']);
    expect(next.generation).toBe(view.generation);
    // More changes than the overlay takes: the next view is built afresh on a new base.
    const many = Array.from({ length: CARRIED_CHANGES_MAX * 5 }, (_, i) => recipe(`n${i}`, `dish ${i}`, null, 'howtocook'));
    const rebuilt = next.next(many);
    expect(rebuilt.generation).not.toBe(view.generation);
    expect(rebuilt.changesSince(view)).toBeNull();
  });
});

describe('foldedListingSteps', () => {
  it('lets other work run while it passes over a large catalog, and lists what foldedListing does', async () => {
    const recipes = Array.from({ length: 30_000 }, (_, i) =>
      recipe(`r${String(i).padStart(6, '0')}`, `dish ${i % 9_000}`, i % 5 === 0 ? null : i % 60, i % 2 ? 'howtocook' : 'yunyoujun'),
    );
    const view = CatalogView.of(recipes, lexicon);
    const allowed = (r: CatalogRecipe) => r.summary.totalMinutes !== null && r.summary.totalMinutes <= 30;
    // An immediate, not a timer: it runs at the pass's first pause however fast the machine.
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    const folded = runInSlices(foldedListingSteps(view, allowed, true), 0);
    let otherWorkRanBeforeTheEnd = false;
    void folded.then(() => (otherWorkRanBeforeTheEnd = otherWorkRan));
    expect(shown(await folded)).toEqual(shown(foldedListing(view, allowed, true)));
    expect(otherWorkRanBeforeTheEnd).toBe(true);
  });
});
