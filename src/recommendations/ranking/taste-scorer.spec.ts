import { SeededRandom } from '../../common/seeded-random';
import { contentScore, DishVectors, WeightedExample } from './taste-profile';
import { MAX_REPRESENTATIVES, TasteScorer } from './taste-scorer';

function randomDish(random: () => number, dims = 24, partial = false): DishVectors {
  const vector = () => Array.from({ length: dims }, () => random() - 0.3);
  if (partial && random() < 0.2) return { ingredients: vector() };
  return { ingredients: vector(), properties: vector() };
}

function examples(random: () => number, prefix: string, count: number, weighted = false): WeightedExample[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    vectors: randomDish(random, 24, true),
    weight: weighted ? 0.1 + random() : 1,
  }));
}

function createSeededRandom(seed: number): () => number {
  const generator = new SeededRandom(seed);
  return () => generator.next();
}

describe('TasteScorer', () => {
  it('scores exactly as contentScore while each side has at most MAX_REPRESENTATIVES examples', () => {
    const random = createSeededRandom(7);
    const liked = examples(random, 'l', MAX_REPRESENTATIVES, true);
    const disliked = examples(random, 'd', 5, true);
    const scorer = new TasteScorer(liked, disliked);
    expect(scorer.exact).toBe(true);
    for (let i = 0; i < 50; i++) {
      const candidate = randomDish(random, 24, true);
      expect(scorer.score(candidate)).toBeCloseTo(contentScore(candidate, liked, disliked).score, 10);
    }
  });

  it('keeps the exact weighted mean over every liked dish and the exact reasons with 100 liked and 100 disliked', () => {
    const random = createSeededRandom(11);
    const liked = examples(random, 'l', 100, true);
    const disliked = examples(random, 'd', 100, true);
    const scorer = new TasteScorer(liked, disliked);
    // Without dislikes and with one representative, the nearest term is the strongest like's
    // similarity: what is left is the mean, which must match the full computation.
    const meanOnly = new TasteScorer(liked, [], 1);
    const strongest = liked.reduce((a, b) => (b.weight > a.weight ? b : a));
    for (let i = 0; i < 20; i++) {
      const candidate = randomDish(random);
      const exact = contentScore(candidate, liked, []);
      const nearestStrongest = exact.closest.find((c) => c.id === strongest.id)!.similarity;
      const exactMean =
        2 * exact.score -
        Math.max(...liked.map((l) => exact.closest.find((c) => c.id === l.id)!.similarity * (l.weight / strongest.weight)));
      expect(2 * meanOnly.score(candidate) - nearestStrongest).toBeCloseTo(exactMean, 10);
      expect(scorer.closest(candidate)).toEqual(
        contentScore(candidate, liked, disliked).closest.map((c) => ({ id: c.id, similarity: expect.closeTo(c.similarity, 10) })),
      );
    }
  });

  it("scores exactly with exactScore, and the two passes find most of the full comparison's top 10, with 100 liked and 100 disliked", () => {
    const random = createSeededRandom(3);
    const liked = examples(random, 'l', 100, true);
    const disliked = examples(random, 'd', 100, true);
    const candidates = Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, vectors: randomDish(random) }));
    const scorer = new TasteScorer(liked, disliked);
    expect(scorer.exact).toBe(false);
    const exact = candidates
      .map((c) => ({ id: c.id, score: contentScore(c.vectors, liked, disliked).score }))
      .sort((a, b) => b.score - a.score);
    for (const c of candidates.slice(0, 20))
      expect(scorer.exactScore(c.vectors)).toBeCloseTo(contentScore(c.vectors, liked, disliked).score, 10);
    const shortlist = candidates
      .map((c) => ({ c, score: scorer.score(c.vectors) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 60)
      .map(({ c }) => ({ id: c.id, score: scorer.exactScore(c.vectors) }))
      .sort((a, b) => b.score - a.score);
    // Uniform random vectors are the worst case for representatives (no tastes to cover); the
    // bundled catalog's sessions lost nothing (see MAX_REPRESENTATIVES).
    const exactTop = new Set(exact.slice(0, 10).map((c) => c.id));
    expect(shortlist.slice(0, 10).filter((c) => exactTop.has(c.id)).length).toBeGreaterThanOrEqual(8);
  });

  it('ranks a candidate like a liked dish above one like a disliked dish, however many examples', () => {
    const random = createSeededRandom(5);
    const liked = examples(random, 'l', 100);
    const disliked = examples(random, 'd', 100);
    const scorer = new TasteScorer(liked, disliked);
    expect(scorer.score(liked[42].vectors)).toBeGreaterThan(scorer.score(disliked[42].vectors));
  });
});
