import { documentSparseVector, querySparseVector, wordTokens } from './sparse-terms';
import { fnv1a32, termIndex } from './term-hash';

describe('wordTokens', () => {
  it('splits CJK runs into overlapping bigrams and keeps single characters', () => {
    expect(wordTokens('宫保鸡丁')).toEqual(['宫保', '保鸡', '鸡丁']);
    expect(wordTokens('鸡')).toEqual(['鸡']);
  });

  it('lowercases words, folds accents and drops function words', () => {
    expect(wordTokens('Torta al Cioccolato, più buona!')).toEqual(['torta', 'cioccolato', 'piu', 'buona']);
    expect(wordTokens('Chicken with Rice')).toEqual(['chicken', 'rice']);
  });

  it('handles mixed scripts', () => {
    expect(wordTokens('BBQ烤肉')).toEqual(['bbq', '烤肉']);
  });
});

describe('term hashing', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('keeps indices below 2^24', () => {
    for (const term of ['chicken', '鸡丁', 'soy-sauce']) expect(termIndex(term)).toBeLessThan(1 << 24);
  });
});

describe('documentSparseVector', () => {
  const params = { k1: 1.2, b: 0.75 };

  it('produces strictly increasing indices and saturating term frequencies', () => {
    const vector = documentSparseVector(['tofu', 'tofu', 'tofu', 'chili'], 4, params)!;
    expect([...vector.indices].sort((a, b) => a - b)).toEqual(vector.indices);
    expect(new Set(vector.indices).size).toBe(vector.indices.length);
    const weight = (term: string): number => vector.values[vector.indices.indexOf(termIndex(term))];
    expect(weight('tofu')).toBeGreaterThan(weight('chili'));
    expect(weight('tofu')).toBeLessThan(3 * weight('chili'));
    expect(weight('tofu')).toBeLessThan(params.k1 + 1);
  });

  it('weighs a term lower in a longer document, and applies no IDF of its own', () => {
    const short = documentSparseVector(['tofu', 'chili'], 4, params)!;
    const long = documentSparseVector(['tofu', 'chili', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'], 4, params)!;
    const tofu = termIndex('tofu');
    expect(long.values[long.indices.indexOf(tofu)]).toBeLessThan(short.values[short.indices.indexOf(tofu)]);
    // Same tf, same document: equal weight whatever the term's rarity; the store supplies IDF.
    expect(short.values[0]).toBeCloseTo(short.values[1], 12);
  });

  it('returns nothing for a document without terms', () => {
    expect(documentSparseVector([], 4, params)).toBeUndefined();
    expect(querySparseVector([])).toBeUndefined();
  });

  it('gives query terms weight 1 once each', () => {
    expect(querySparseVector(['tofu', 'tofu', 'chili'])!.values).toEqual([1, 1]);
  });
});
