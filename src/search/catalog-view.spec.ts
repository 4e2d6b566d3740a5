import fc from 'fast-check';
import { CatalogRecipe } from './catalog-recipe';
import { CatalogView, VIEW_OVERLAY_MAX } from './catalog-view';
import { NameQuery } from './dish-name';
import { Ingredient } from '../recipes/recipe.types';
import { PantryLexicon } from './pantry-index';
import { comparePantryCandidates, PantryCandidate, PantryMatcher } from './pantry-matcher';

const ancestors = (id: string) => (id === 'chicken-breast' ? ['chicken', 'meat'] : id === 'chicken' ? ['meat'] : []);
const lexicon: PantryLexicon = {
  ancestors,
  isA: (id, ancestor) => id === ancestor || ancestors(id).includes(ancestor),
  isStaple: (id) => id === 'tofu',
};
const concepts = ['chicken-breast', 'chicken', 'meat', 'tofu', undefined];

/** A recipe of one line of `concept`, or (`more`) of several lines, some optional, some unresolved. */
function recipe(id: string, key: string, minutes: number | null, concept: string | undefined, more: Ingredient[] = []): CatalogRecipe {
  return {
    summary: { id, name: key, totalMinutes: minutes },
    nameKey: key,
    ingredients: [{ name: concept ?? 'x', concept }, ...more],
    impliedIngredients: [],
  } as unknown as CatalogRecipe;
}

const anyLine: fc.Arbitrary<Ingredient> = fc.record({
  name: fc.constantFrom('x', 'y', '2 cups hominy'),
  concept: fc.constantFrom(...concepts),
  optional: fc.boolean(),
});

const anyRecipe = fc
  .record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    key: fc.string({ unit: fc.constantFrom('宫', '保', '鸡', '丁'), maxLength: 5 }),
    minutes: fc.option(fc.integer({ min: 5, max: 60 }), { nil: null }),
    concept: fc.constantFrom(...concepts),
    more: fc.array(anyLine, { maxLength: 4 }),
  })
  .map((r) => recipe(r.id, r.key, r.minutes, r.concept, r.more));
/** A write batch: recipes put and ids deleted. */
const batch = fc.record({
  put: fc.array(anyRecipe, { maxLength: 4 }),
  drop: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 2 }),
});

const ids = (recipes: Iterable<CatalogRecipe>) => [...recipes].map((r) => r.summary.id);

/** What the pantry route ranks, by the full matcher over every recipe of a view. */
function pantryByFullPass(view: CatalogView, pantry: string[], anchor: string[], allowed = (_: CatalogRecipe) => true): PantryCandidate[] {
  const matcher = new PantryMatcher(lexicon);
  const out: PantryCandidate[] = [];
  for (const r of view.values()) {
    if (!allowed(r)) continue;
    const match = matcher.match(pantry, [...r.ingredients, ...r.impliedIngredients]);
    if (match.used.some((c) => anchor.includes(c))) out.push({ id: r.summary.id, missing: match.missingCount, used: match.used.length });
  }
  return out.sort(comparePantryCandidates);
}

describe('catalog view updated batch by batch', () => {
  it('answers like a view built from scratch over the same recipes, and earlier views do not change', () => {
    fc.assert(
      fc.property(
        fc.array(anyRecipe, { maxLength: 8 }),
        fc.array(batch, { maxLength: 6 }),
        fc.string({ unit: fc.constantFrom('宫', '保', '鸡', '丁'), maxLength: 6 }),
        (initial, batches, q) => {
          let view = CatalogView.of(new Map(initial.map((r) => [r.summary.id, r])).values(), lexicon);
          const truth = new Map(initial.map((r) => [r.summary.id, r]));
          const first = view;
          const firstIds = ids(first.listing(false));
          for (const { put, drop } of batches) {
            const changed = new Map(put.map((r) => [r.summary.id, r]));
            for (const id of drop) changed.delete(id);
            for (const [id, r] of changed) truth.set(id, r);
            for (const id of drop) truth.delete(id);
            view = view.next(changed.values(), drop);
          }
          const fresh = CatalogView.of(truth.values(), lexicon);
          expect(view.size).toBe(truth.size);
          for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) expect(view.get(id)).toBe(truth.get(id));
          expect(ids(view.listing(false))).toEqual(ids(fresh.listing(false)));
          expect(ids(view.listing(true))).toEqual(ids(fresh.listing(true)));
          expect(new Map([...view.matchNames(new NameQuery(q, { containment: true }))].sort())).toEqual(
            new Map([...fresh.matchNames(new NameQuery(q, { containment: true }))].sort()),
          );
          for (const r of truth.values()) expect(view.withNameKey(r.nameKey)).toEqual(fresh.withNameKey(r.nameKey));
          // Counting reads the index's postings, which keep a re-indexed recipe's earlier lines,
          // so an earlier view (whose recipes later batches re-indexed) must still count its own.
          for (const v of [view, first, fresh]) {
            for (const [items, anchor] of [
              [['chicken', 'tofu'], ['chicken']],
              [['meat'], ['meat']],
              [
                ['chicken-breast', 'learned:hominy'],
                ['chicken-breast', 'learned:hominy'],
              ],
            ]) {
              expect(v.countPantry(items, anchor, null).head(100)).toEqual(pantryByFullPass(v, items, anchor));
              const timed = (r: CatalogRecipe) => r.summary.totalMinutes !== null;
              expect(v.countPantry(items, anchor, timed).head(100)).toEqual(pantryByFullPass(v, items, anchor, timed));
            }
          }
          expect(ids(first.listing(false))).toEqual(firstIds);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lists quickest first with unknown times last, ties by id', () => {
    const view = CatalogView.of(
      [recipe('b', 'x', null, undefined), recipe('a', 'y', 30, undefined), recipe('c', 'z', 10, undefined)],
      lexicon,
    ).next([recipe('d', 'w', 30, undefined)]);
    expect(ids(view.listing(true))).toEqual(['c', 'a', 'd', 'b']);
    expect(ids(view.listing(false))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('folds a long run of batches into a fresh base once the overlay is full', () => {
    let view = CatalogView.of([], lexicon);
    for (let i = 0; i <= VIEW_OVERLAY_MAX; i++) view = view.next([recipe(`r${String(i).padStart(5, '0')}`, `n${i}`, null, 'tofu')]);
    expect(view.size).toBe(VIEW_OVERLAY_MAX + 1);
    expect(view.matchNames(new NameQuery('n4096', { containment: false }))).toEqual(new Map([['r04096', 2]]));
  });

  it('fills a bound on name matches with recipes the filter passes, and bounds twins the same way', () => {
    // 200 copies of one dish, the quick ones (every 50th) late in id order; and a few longer names containing it.
    const copies = Array.from({ length: 200 }, (_, i) =>
      recipe(`r${String(i).padStart(3, '0')}`, '红烧肉', i % 50 === 49 ? 20 : 90, 'pork'),
    );
    const longer = ['红烧肉饭', '毛氏红烧肉', '红烧肉炖土豆烧'].map((name, i) => recipe(`s${i}`, name, 20, 'pork'));
    const view = CatalogView.of([...copies, ...longer], lexicon);
    const query = new NameQuery('红烧肉', { containment: true });
    const quick = (r: CatalogRecipe) => r.summary.totalMinutes === 20;

    const bounded = view.matchNames(query, { recipes: 10, perName: 3 });
    expect([...bounded]).toEqual([
      ['r000', 2],
      ['r001', 2],
      ['r002', 2],
      ['s0', 1],
      ['s1', 1],
      ['s2', 1],
    ]);
    expect([...view.matchNames(query, { recipes: 10, perName: 3 }, quick)]).toEqual([
      ['r049', 2],
      ['r099', 2],
      ['r149', 2],
      ['s0', 1],
      ['s1', 1],
      ['s2', 1],
    ]);
    expect(view.matchNames(query, { recipes: 4, perName: 3 }).size).toBe(4);
    expect(view.matchNames(query).size).toBe(203);

    const own = copies[49];
    expect(view.twinsOf(own, 3, () => true).map((r) => r.summary.id)).toEqual(['r000', 'r001', 'r002']);
    expect(view.twinsOf(own, 3, quick).map((r) => r.summary.id)).toEqual(['r099', 'r149', 'r199']);
  });

  it('lets the overlay grow with the base, so a long import rebuilds the view geometrically rarely', () => {
    let view = CatalogView.of([], lexicon);
    let rebuilds = 0;
    let base = view;
    const sizes: number[] = [];
    for (let i = 0; i < 40_000; i += 100) {
      const batch = Array.from({ length: 100 }, (_, j) => recipe(`r${String(i + j).padStart(6, '0')}`, `n${i + j}`, null, 'tofu'));
      const next = view.next(batch);
      // A rebuild starts a fresh base: its overlay is empty again.
      if ((next as unknown as { overlay: Map<string, unknown> }).overlay.size === 0) {
        rebuilds++;
        base = next;
        sizes.push(next.size);
      }
      view = next;
    }
    expect(view.size).toBe(40_000);
    expect(base.size).toBeGreaterThan(0);
    // A fixed 4,096 rebuilt nine times here (and 24 times over 100,000). Once the base passes
    // four times that, each rebuild comes at 1.25 times the size of the last.
    expect(rebuilds).toBeLessThanOrEqual(7);
    for (let k = 1; k < sizes.length; k++) {
      if (sizes[k - 1] >= 4 * VIEW_OVERLAY_MAX) expect(sizes[k]).toBeGreaterThanOrEqual(sizes[k - 1] * 1.25);
    }
  });
});

describe('catalog view rebuilt in slices', () => {
  it('answers like the synchronous update, and pauses while it rebuilds', async () => {
    const start = CatalogView.of([recipe('a', '宫保鸡丁', 10, 'chicken')], lexicon);
    const batch = Array.from({ length: VIEW_OVERLAY_MAX + 1 }, (_, i) =>
      recipe(`r${String(i).padStart(5, '0')}`, `n${i}`, i % 7 === 0 ? null : i % 60, 'tofu'),
    );
    let pauses = 0;
    const sliced = await start.nextInSlices(batch, ['a'], async () => {
      pauses++;
    });
    const direct = start.next(batch, ['a']);
    expect(pauses).toBeGreaterThan(0);
    expect(sliced.size).toBe(direct.size);
    expect(ids(sliced.listing(true))).toEqual(ids(direct.listing(true)));
    expect(sliced.get('a')).toBeUndefined();
    expect(sliced.matchNames(new NameQuery('n40', { containment: true }))).toEqual(
      direct.matchNames(new NameQuery('n40', { containment: true })),
    );
  });
});

describe('CatalogView.listingSteps', () => {
  it('merges a view’s changes into the base order between pauses, as listing does', () => {
    const base = CatalogView.of(
      Array.from({ length: 20_000 }, (_, i) => recipe(`r${String(i).padStart(5, '0')}`, `n${i}`, i % 3 ? i % 50 : null, 'tofu')),
      lexicon,
    );
    const view = base.next([recipe('r00007', 'n7', 1, 'tofu'), recipe('q', 'q', null, 'tofu')], ['r00010']);
    let pauses = 0;
    const steps = view.listingSteps(true);
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBeGreaterThanOrEqual(2);
    const fresh = CatalogView.of(view.values(), lexicon);
    expect(ids(step.value)).toEqual(ids(fresh.listing(true)));
    expect(ids(view.listing(false))).toEqual(ids(fresh.listing(false)));
  });
});
