import { cosine, dot, euclidean, mean, normalize, similarity } from './similarity';

describe('similarity', () => {
  it('computes dot, cosine and euclidean distance on arrays and typed arrays alike', () => {
    const a = [1, 2, 2];
    const b = Float32Array.from([2, 0, 0]);
    expect(dot(a, b)).toBe(2);
    expect(cosine(a, b)).toBeCloseTo(2 / (3 * 2));
    expect(euclidean(a, b)).toBeCloseTo(Math.sqrt(1 + 4 + 4));
  });

  it('scores the zero vector as unrelated instead of NaN', () => {
    expect(cosine([0, 0], [1, 0])).toBe(0);
    expect(normalize([0, 0])).toEqual([0, 0]);
  });

  it('normalises to unit length', () => {
    const unit = normalize([3, 4]);
    expect(unit[0]).toBeCloseTo(0.6);
    expect(unit[1]).toBeCloseTo(0.8);
  });

  it('averages with and without weights', () => {
    expect(
      mean([
        [1, 0],
        [0, 1],
      ]),
    ).toEqual([0.5, 0.5]);
    expect(
      mean(
        [
          [1, 0],
          [0, 1],
        ],
        [3, 1],
      ),
    ).toEqual([0.75, 0.25]);
    expect(() => mean([])).toThrow(RangeError);
    expect(() => mean([[1], [1]], [1])).toThrow(RangeError);
  });

  it('rejects vectors of different length', () => {
    expect(() => dot([1, 2], [1])).toThrow(RangeError);
  });

  it('orients every metric so that higher means more similar', () => {
    const query = [1, 0];
    const near = [0.9, 0.1];
    const far = [-1, 0];
    for (const metric of ['cosine', 'dot', 'euclid'] as const) {
      const score = similarity(metric);
      expect(score(query, near)).toBeGreaterThan(score(query, far));
    }
    expect(similarity()).toBe(cosine);
  });
});
