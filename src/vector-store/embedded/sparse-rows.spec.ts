import type { SparseRow } from './sparse-index';
import { SparseRows } from './sparse-rows';

const row = (terms: Array<[number, number]>): SparseRow => ({
  indices: Uint32Array.from(terms.map(([t]) => t)),
  values: Float32Array.from(terms.map(([, v]) => v)),
});

const plain = (vector: SparseRow | null) => (vector ? { indices: [...vector.indices], values: [...vector.values] } : null);

describe('SparseRows', () => {
  it('gives back each row as written, and null for rows never written or cleared', () => {
    const rows = new SparseRows();
    rows.set(
      0,
      row([
        [3, 0.5],
        [9, 1.25],
      ]),
    );
    rows.set(4, row([[1, 2]]));
    rows.set(2, row([]));
    expect(plain(rows.get(0))).toEqual({ indices: [3, 9], values: [0.5, 1.25] });
    expect(plain(rows.get(4))).toEqual({ indices: [1], values: [2] });
    expect(plain(rows.get(2))).toEqual({ indices: [], values: [] });
    expect(rows.get(1)).toBeNull();
    expect(rows.get(99)).toBeNull();
    expect(rows.size).toBe(5);
    rows.set(0, null);
    expect(rows.get(0)).toBeNull();
    expect(rows.get(4)).not.toBeNull();
  });

  it('hands out copies: changing one does not change the stored row', () => {
    const rows = new SparseRows();
    rows.set(0, row([[3, 0.5]]));
    rows.get(0)!.values[0] = 7;
    expect(rows.get(0)!.values[0]).toBe(0.5);
  });

  it('finds a term among a row only, as a slot of the shared arrays', () => {
    const rows = new SparseRows();
    rows.set(
      0,
      row([
        [2, 1],
        [5, 2],
        [8, 3],
      ]),
    );
    rows.set(
      1,
      row([
        [5, 4],
        [6, 5],
      ]),
    );
    for (const [r, term, value] of [
      [0, 8, 3],
      [0, 2, 1],
      [1, 5, 4],
      [1, 6, 5],
    ] as const) {
      const at = rows.find(r, term);
      expect(rows.indices[at]).toBe(term);
      expect(rows.values[at]).toBe(value);
    }
    expect(rows.find(1, 8)).toBe(-1);
    expect(rows.find(0, 6)).toBe(-1);
    expect(rows.find(0, 1)).toBe(-1);
    expect(rows.find(3, 5)).toBe(-1);
  });

  it('drops the rows from a count on, and takes them again afterwards', () => {
    const rows = new SparseRows();
    rows.set(0, row([[1, 1]]));
    rows.set(1, row([[2, 2]]));
    rows.set(2, row([[3, 3]]));
    rows.truncate(2);
    expect(plain(rows.get(0))).toEqual({ indices: [1], values: [1] });
    expect(plain(rows.get(1))).toEqual({ indices: [2], values: [2] });
    expect(rows.get(2)).toBeNull();
    expect(rows.size).toBe(2);
    rows.set(2, row([[4, 4]]));
    expect(plain(rows.get(2))).toEqual({ indices: [4], values: [4] });
  });

  it('keeps its arrays near what the current rows hold when rows are rewritten again and again', () => {
    const rows = new SparseRows();
    const terms = (r: number, round: number): Array<[number, number]> =>
      Array.from({ length: 10 }, (_, i) => [r * 100 + i, round + i / 10]);
    for (let round = 0; round < 50; round++) for (let r = 0; r < 100; r++) rows.set(r, row(terms(r, round)));
    // 1,000 terms live, 50,000 written: each reallocation keeps only the live ones.
    expect(rows.capacity).toBeLessThanOrEqual(2 * 1_000);
    for (let r = 0; r < 100; r++) expect(plain(rows.get(r))).toEqual(plain(row(terms(r, 49))));
  });
});
