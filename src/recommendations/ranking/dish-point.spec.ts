import { CompactConcepts } from './concept-features';
import { DishPoint, dishPoint, pointSimilarity } from './dish-point';
import { TasteRegression } from './taste-regression';

const concepts = (...pairs: Array<[number, number]>): CompactConcepts => {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const norm = Math.sqrt(sorted.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return { ids: Int32Array.from(sorted, (p) => p[0]), weights: Float64Array.from(sorted, (p) => p[1] / norm) };
};

// Dishes in toy 4-d spaces; one has no properties and one an all-zero ingredients vector.
const dishes: DishPoint[] = [
  dishPoint({ ingredients: [1, 0, 0.2, 0], properties: [0, 1, 0, 0] }, concepts([0, 1], [3, 2])),
  dishPoint({ ingredients: [0.9, 0.1, 0.3, 0], properties: [0.1, 0.8, 0, 0.2] }, concepts([0, 1], [5, 1])),
  dishPoint({ ingredients: [0, 1, 0.2, 0.4] }, concepts([1, 1], [2, 1])),
  dishPoint({ ingredients: [0, 0, 0, 0], properties: [0, 0.2, 1, 0] }, concepts([4, 1])),
  dishPoint({ ingredients: [0.2, 0.7, 0, 0.1], properties: [1, 0, 0, 0] }, concepts()),
];
const candidates: DishPoint[] = [
  dishPoint({ ingredients: [0.95, 0.05, 0.25, 0], properties: [0, 0.9, 0.1, 0] }, concepts([0, 1], [3, 1], [9, 1])),
  dishPoint({ ingredients: [0.1, 0.9, 0.1, 0.3] }, concepts([1, 2])),
  dishPoint({ properties: [0, 0.3, 0.9, 0] }, concepts([4, 1], [6, 1])),
  dishPoint({ ingredients: [0, 0, 0, 0] }, concepts()),
];

describe('the taste model over dish points', () => {
  it('predicts from the summed examples what it predicts pair by pair', () => {
    const examples = dishes.map((vectors, i) => ({ id: `d${i}`, vectors, target: [1, 0.6, -0.8, 0.3, -0.2][i], confidence: 0.5 + i / 10 }));
    const summed = new TasteRegression(examples, 1, pointSimilarity);
    const pairwise = new TasteRegression(examples, 1, (a: DishPoint, b: DishPoint) => pointSimilarity(a, b));
    for (const candidate of candidates) {
      const a = summed.predict(candidate);
      const b = pairwise.predict(candidate);
      expect(a.value).toBeCloseTo(b.value, 12);
      expect(a.affinity).toBeCloseTo(b.affinity, 12);
      expect(a.contributions).toEqual(b.contributions);
    }
    // The fish-like candidate follows the liked fish dishes, the meat-like one the disliked meat.
    expect(summed.predict(candidates[0]).value).toBeGreaterThan(0);
    expect(summed.predict(candidates[1]).value).toBeLessThan(0);
  });
});
