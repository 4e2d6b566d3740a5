import { SeededRandom } from '../../common/seeded-random';
import { DenseMatrix, symmetricEigen, truncatedSvd } from './truncated-svd';

/** A = Σ_k s_k · x_k y_kᵀ with orthonormal x, y: its singular values are exactly s. */
function lowRankMatrix(rows: number, cols: number, singular: number[], seed: number): DenseMatrix {
  const random = new SeededRandom(seed);
  const orthonormal = (length: number): Float64Array[] => {
    const basis: Float64Array[] = [];
    for (let k = 0; k < singular.length; k++) {
      const v = Float64Array.from({ length }, () => random.nextGaussian());
      for (const b of basis) {
        let p = 0;
        for (let i = 0; i < length; i++) p += v[i] * b[i];
        for (let i = 0; i < length; i++) v[i] -= p * b[i];
      }
      const n = Math.hypot(...v);
      basis.push(v.map((x) => x / n));
    }
    return basis;
  };
  const x = orthonormal(rows);
  const y = orthonormal(cols);
  const data = new Float64Array(rows * cols);
  singular.forEach((s, k) => {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] += s * x[k][r] * y[k][c];
  });
  return { rows, cols, data };
}

describe('truncatedSvd', () => {
  it('recovers the leading singular values of a low-rank matrix', () => {
    const singular = [50, 20, 10, 5, 2, 1];
    const matrix = lowRankMatrix(120, 90, singular, 7);
    const svd = truncatedSvd(matrix, { rank: 4, seed: 1 });
    expect(svd.rank).toBe(4);
    Array.from(svd.singularValues).forEach((value, k) => expect(value).toBeCloseTo(singular[k], 6));
  });

  it('returns orthonormal left vectors', () => {
    const matrix = lowRankMatrix(60, 60, [9, 7, 5, 3], 3);
    const { u, rank } = truncatedSvd(matrix, { rank: 3, seed: 2 });
    for (let a = 0; a < rank; a++) {
      for (let b = 0; b < rank; b++) {
        let sum = 0;
        for (let r = 0; r < 60; r++) sum += u[r * rank + a] * u[r * rank + b];
        expect(sum).toBeCloseTo(a === b ? 1 : 0, 8);
      }
    }
  });

  it('is deterministic for a seed and caps the rank at the matrix size', () => {
    const matrix = lowRankMatrix(8, 8, [3, 2], 11);
    const first = truncatedSvd(matrix, { rank: 20, seed: 5 });
    const second = truncatedSvd(matrix, { rank: 20, seed: 5 });
    expect(first.rank).toBe(8);
    expect(Array.from(first.u)).toEqual(Array.from(second.u));
    expect(first.singularValues[2]).toBeCloseTo(0, 6);
  });
});

describe('symmetricEigen', () => {
  it('diagonalises a symmetric matrix', () => {
    const m = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(m, 3);
    for (let k = 0; k < 3; k++) {
      for (let r = 0; r < 3; r++) {
        let mv = 0;
        for (let c = 0; c < 3; c++) mv += m[r * 3 + c] * vectors[c * 3 + k];
        expect(mv).toBeCloseTo(values[k] * vectors[r * 3 + k], 10);
      }
    }
  });
});
