import { CatalogInsight } from './catalog-insight';
import { InsightState, InsightViews } from './insight-views';
import { DuplicatePair } from './near-duplicates';

function pair(a: string, b: string, crossSource: boolean): DuplicatePair {
  return { a, b, score: 0.9, evidence: { vector: 0.9, ingredients: 1, name: 1 }, crossSource, keep: a, drop: b, reason: '' };
}

function views(duplicates: DuplicatePair[]): InsightViews {
  const insight = {
    duplicates,
    facts: new Map(),
    recipes: new Map(),
    flagged: [],
    families: [],
    catalogSpread: 0,
  } as unknown as CatalogInsight;
  return new InsightViews({ insight } as unknown as InsightState, (id) => ({ zh: id, en: id }));
}

describe('insight views', () => {
  it('counts the duplicate groups of the pairs the crossSource filter keeps', () => {
    // Two groups in all: {a, b, c} joined by a same-source and a cross-source pair, and {d, e} of one source.
    const v = views([pair('a', 'b', false), pair('b', 'c', true), pair('d', 'e', false)]);
    const page = { limit: 10, offset: 0 };
    expect(v.duplicates(page)).toMatchObject({ total: 3, groups: 2 });
    expect(v.duplicates(page, true)).toMatchObject({ total: 1, groups: 1 });
    expect(v.duplicates(page, false)).toMatchObject({ total: 2, groups: 2 });
  });
});
