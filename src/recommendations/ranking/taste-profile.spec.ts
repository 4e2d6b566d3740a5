import { becauseOf, contentScore, dishSimilarity, weightedCentroid, WeightedExample } from './taste-profile';

// Two-dimensional toy spaces: x = "spicy Sichuan", y = "sweet dessert".
const spicy = { ingredients: [1, 0], properties: [1, 0] };
const sweet = { ingredients: [0, 1], properties: [0, 1] };
const between = { ingredients: [1, 1], properties: [1, 1] };
const example = (id: string, vectors: typeof spicy, weight = 1): WeightedExample => ({ id, vectors, weight });

describe('weightedCentroid', () => {
  it('averages unit vectors by weight, so a long vector does not dominate', () => {
    const centroid = weightedCentroid(
      [example('a', { ingredients: [10, 0], properties: [1, 0] }, 3), example('b', sweet, 1)],
      'ingredients',
    );
    expect(centroid![0]).toBeCloseTo(0.75);
    expect(centroid![1]).toBeCloseTo(0.25);
  });

  it('is null without any usable example', () => {
    expect(weightedCentroid([], 'ingredients')).toBeNull();
    expect(weightedCentroid([example('a', spicy, 0)], 'ingredients')).toBeNull();
  });
});

describe('dishSimilarity', () => {
  it('fuses the spaces both dishes have', () => {
    expect(dishSimilarity(spicy, spicy)).toBeCloseTo(1);
    expect(dishSimilarity(spicy, sweet)).toBeCloseTo(0);
    expect(dishSimilarity({ ingredients: [1, 0] }, { ingredients: [1, 0], properties: [0, 1] })).toBeCloseTo(1);
    expect(dishSimilarity({}, spicy)).toBe(0);
  });
});

describe('contentScore', () => {
  const liked = [example('mapo', spicy)];
  it('ranks dishes like the liked above dishes like the disliked', () => {
    const disliked = [example('cake', sweet)];
    const close = contentScore(spicy, liked, disliked).score;
    const middle = contentScore(between, liked, disliked).score;
    const far = contentScore(sweet, liked, disliked).score;
    expect(close).toBeGreaterThan(middle);
    expect(middle).toBeGreaterThan(far);
    expect(far).toBeLessThan(0);
  });

  it('pushes a dish down by a dislike as strong as the likes, less by a faded one', () => {
    const fresh = contentScore(between, liked, [example('cake', sweet, 1)]).score;
    const faded = contentScore(between, liked, [example('cake', sweet, 0.1)]).score;
    const none = contentScore(between, liked, []).score;
    expect(fresh).toBeLessThan(faded);
    expect(faded).toBeLessThan(none);
  });

  it('serves both tastes of a user with two: a dish near either liked beats one in between', () => {
    const twoTastes = [example('mapo', spicy), example('tiramisu', sweet)];
    // A pure centroid would score the in-between dish higher (0.71 vs 0.5).
    expect(contentScore(sweet, twoTastes, []).score).toBeGreaterThan(contentScore(between, twoTastes, []).score);
    expect(contentScore(spicy, twoTastes, []).closest[0].id).toBe('mapo');
  });

  it('names the nearest liked dishes as the reason', () => {
    const { closest } = contentScore(spicy, [example('mapo', spicy), example('kungpao', between), example('cake', sweet)], []);
    expect(becauseOf(closest)).toEqual(['mapo']);
    expect(
      becauseOf([
        { id: 'a', similarity: 0.9 },
        { id: 'b', similarity: 0.85 },
        { id: 'c', similarity: 0.5 },
      ]),
    ).toEqual(['a', 'b']);
    expect(becauseOf([{ id: 'a', similarity: 0 }])).toEqual([]);
  });
});
