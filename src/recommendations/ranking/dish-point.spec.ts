import { SeededRandom } from '../../common/seeded-random';
import { useDotKernel } from '../../vector-store/embedded/dot-kernel';
import { CompactConcepts } from './concept-features';
import { candidatePoint, DishPoint, dishPoint, pointSimilarity } from './dish-point';
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

describe('one dish against many', () => {
  const random = new SeededRandom(11);
  const vector = (dim: number) => Float32Array.from({ length: dim }, () => random.next() - 0.5);
  // Float32 vectors as the store returns them; some dishes lack a space, one has a zero vector.
  const point = (i: number): DishPoint =>
    dishPoint(
      {
        ingredients: i % 7 === 3 ? undefined : i % 11 === 5 ? new Float32Array(19) : vector(19),
        properties: i % 5 === 2 ? undefined : vector(19),
      },
      concepts(...Array.from({ length: 1 + (i % 4) }, (_, k): [number, number] => [(i * 3 + k * 5) % 17, 1 + k])),
    );
  const examples = Array.from({ length: 40 }, (_, i) => point(i));
  const others = Array.from({ length: 12 }, (_, i) => point(100 + i));

  it.each([true, false])('gives each pair its pairwise similarity to the last bit (SIMD kernel: %s)', (kernel) => {
    expect(useDotKernel(kernel)).toBe(kernel);
    try {
      const toExamples = pointSimilarity.similaritiesTo!(examples);
      const out = new Float64Array(examples.length);
      for (const p of [...examples, ...others]) {
        for (const from of [0, 1, 17, 39]) {
          out.fill(NaN);
          toExamples(p, from, out);
          for (let j = from; j < examples.length; j++) expect(out[j]).toBe(pointSimilarity(p, examples[j]));
          for (let j = 0; j < from; j++) expect(out[j]).toBeNaN();
        }
      }
    } finally {
      useDotKernel(true);
    }
  });

  it('compares plain arrays and vectors of another length pair by pair', () => {
    // Values float32 would round, and a vector of another length.
    const plain = Array.from({ length: 19 }, (_, k) => 0.1 * (k + 1));
    for (const odd of [plain, [0.5, 0.5]]) {
      const mixed = [...examples.slice(0, 5), dishPoint({ ingredients: odd, properties: vector(19) }, concepts([1, 1]))];
      const out = new Float64Array(mixed.length);
      pointSimilarity.similaritiesTo!(mixed)(others[0], 0, out);
      mixed.forEach((e, j) => expect(out[j]).toBe(pointSimilarity(others[0], e)));
    }
    const out = new Float64Array(examples.length);
    const short = dishPoint({ ingredients: vector(7) }, concepts([1, 1]));
    pointSimilarity.similaritiesTo!(examples)(short, 0, out);
    examples.slice(0, out.length).forEach((e, j) => expect(out[j]).toBe(pointSimilarity(short, e)));
  });

  it('scores float32 vectors as it scores the same values in plain arrays, to the last bit', () => {
    const plainPoint = (p: DishPoint): DishPoint =>
      dishPoint(
        {
          ingredients: p.dense.ingredients && Array.from(p.dense.ingredients),
          properties: p.dense.properties && Array.from(p.dense.properties),
        },
        p.concepts,
      );
    const weights = examples.map((_, i) => (i % 3) - 0.7);
    const sums = pointSimilarity.weightedSums(examples, [weights]);
    const summed = (candidate: DishPoint) => {
      const out = new Float64Array(1);
      sums(candidate, out);
      return out[0];
    };
    for (const candidate of [...others, ...examples.slice(0, 6)]) {
      const plain = plainPoint(candidate);
      expect(plain.squaredNorms).toEqual(candidate.squaredNorms);
      expect(summed(candidate)).toBe(summed(plain));
      for (const e of examples.slice(0, 8)) expect(pointSimilarity(candidate, e)).toBe(pointSimilarity(plain, plainPoint(e)));
    }
  });

  it("sums two rows and a candidate's lengths in one read of its vectors, each to the last bit", () => {
    const first = examples.map((_, i) => (i % 3) - 0.7);
    const second = examples.map((_, i) => 1 / (i + 2));
    const both = pointSimilarity.weightedSums(examples, [first, second]);
    const alone = [first, second].map((row) => pointSimilarity.weightedSums(examples, [row]));
    for (const candidate of [...others, ...examples.slice(0, 6)]) {
      const fresh = candidatePoint(candidate.dense, candidate.concepts);
      expect(fresh.squaredNorms.every(Number.isNaN)).toBe(true);
      const out = new Float64Array(2);
      both(fresh, out);
      const one = new Float64Array(1);
      alone.forEach((sums, row) => {
        sums(candidate, one);
        expect(out[row]).toBe(one[0]);
      });
      // The pass summed the lengths of the vectors the candidate has, as dishPoint sums them.
      (['ingredients', 'properties'] as const).forEach((space, s) => {
        if (candidate.dense[space]) expect(fresh.squaredNorms[s]).toBe(candidate.squaredNorms[s]);
      });
    }
  });

  it('builds the same taste model with it as pair by pair', () => {
    const rated = examples.map((vectors, i) => ({ id: `d${i}`, vectors, target: (i % 5) / 2 - 1, confidence: 0.4 + (i % 6) / 10 }));
    const fast = new TasteRegression(rated, 1, pointSimilarity);
    const plain = new TasteRegression(
      rated,
      1,
      Object.assign((a: DishPoint, b: DishPoint) => pointSimilarity(a, b), {
        weightedSums: pointSimilarity.weightedSums,
      }),
    );
    expect(fast.typicalAffinity).toBe(plain.typicalAffinity);
    for (const candidate of others) {
      const a = fast.predict(candidate);
      const b = plain.predict(candidate);
      expect(a.value).toBe(b.value);
      expect(a.contributions).toEqual(b.contributions);
    }
  });
});
