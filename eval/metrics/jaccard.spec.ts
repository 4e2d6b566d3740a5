import { jaccard, rankByJaccard } from './jaccard';

describe('jaccard', () => {
  it('divides the shared features by all features', () => {
    expect(jaccard(new Set(['beef', 'potato', 'carrot']), new Set(['beef', 'potato', 'onion', 'salt']))).toBeCloseTo(2 / 5, 10);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });

  it('ranks by overlap, keeps input order on ties and drops non-overlapping documents', () => {
    const docs = [
      { id: 'a', features: new Set(['beef', 'onion']) },
      { id: 'b', features: new Set(['beef']) },
      { id: 'c', features: new Set(['tofu']) },
      { id: 'd', features: new Set(['beef', 'salt']) },
    ];
    expect(rankByJaccard(new Set(['beef']), docs, 10).map((h) => h.id)).toEqual(['b', 'a', 'd']);
    expect(rankByJaccard(new Set(['beef']), docs, 10, 'b').map((h) => h.id)).toEqual(['a', 'd']);
    expect(rankByJaccard(new Set(), docs, 10)).toEqual([]);
  });
});
