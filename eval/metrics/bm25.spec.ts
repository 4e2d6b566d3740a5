import { Bm25Index, bm25Tokens } from './bm25';

describe('bm25Tokens', () => {
  it('makes Chinese character bigrams and lower-case English words', () => {
    expect(bm25Tokens('牛肉汤 Beef-Soup')).toEqual(['牛肉', '肉汤', 'beef', 'soup']);
    expect(bm25Tokens('鱼, Pâté 2')).toEqual(['鱼', 'pâté', '2']);
  });
});

describe('Bm25Index', () => {
  // Three documents, average length 7/3; k1 = 1.2, b = 0.75.
  const index = new Bm25Index([
    { id: 'd1', tokens: ['chicken', 'rice'] },
    { id: 'd2', tokens: ['chicken', 'chicken', 'soup'] },
    { id: 'd3', tokens: ['beef', 'noodle'] },
  ]);

  it('uses the non-negative IDF ln(1 + (N - df + 0.5) / (df + 0.5))', () => {
    expect(index.idf('chicken')).toBeCloseTo(Math.log(1.6), 10);
    expect(index.idf('soup')).toBeCloseTo(Math.log(1 + 2.5 / 1.5), 10);
    expect(index.idf('absent')).toBeCloseTo(Math.log(1 + 3.5 / 0.5), 10);
  });

  it('scores term frequency against length-normalised saturation', () => {
    // d2: tf 2, |d| 3 → idf · 2·2.2 / (2 + 1.2·(0.25 + 0.75·9/7)) = 0.5982
    // d1: tf 1, |d| 2 → idf · 2.2 / (1 + 1.2·(0.25 + 0.75·6/7)) = 0.4992
    const hits = index.search(['chicken'], 10);
    expect(hits.map((h) => h.id)).toEqual(['d2', 'd1']);
    expect(hits[0].score).toBeCloseTo(0.598186, 5);
    expect(hits[1].score).toBeCloseTo(0.499176, 5);
  });

  it('sums over distinct query terms, ranks rarer matches higher, and can leave one document out', () => {
    const hits = index.search(['soup', 'beef', 'beef'], 10);
    expect(hits.map((h) => h.id)).toEqual(['d3', 'd2']);
    expect(hits[0].score).toBeCloseTo(1.041708, 5);
    expect(hits[1].score).toBeCloseTo(0.878184, 5);
    expect(index.search(['soup', 'beef'], 10, 'd3').map((h) => h.id)).toEqual(['d2']);
    expect(index.search(['absent'], 10)).toEqual([]);
  });
});
