import { DenseMatrix, prepareVector } from './dense-matrix';
import { RowFilter } from './row-filter';
import { TopKSelector } from './top-k-selector';
import type { VectorBlock } from './vector-blocks';

/** An inverted list as IvfIndex hands it to a scan: its rows, their keys, and its block of distinct vectors. */
function list(matrix: DenseMatrix, rows: number[]): { rows: Int32Array; keys: Int32Array; block: VectorBlock } {
  const keys = Int32Array.from(rows, (row) => matrix.keys[row]);
  const distinct = [...new Set(keys)];
  const vectors = new Float32Array(distinct.length * matrix.dim);
  distinct.forEach((key, i) => vectors.set(matrix.data.subarray(key * matrix.dim, (key + 1) * matrix.dim), i * matrix.dim));
  return { rows: Int32Array.from(rows), keys, block: { keys: Int32Array.from(distinct), vectors, size: distinct.length } };
}

describe('DenseMatrix.scanRows over inverted lists', () => {
  const matrix = new DenseMatrix(4, 'cosine', 8);
  // Rows 0-1 and 2 score the same against the query; row 3 scores higher.
  matrix.write(0, prepareVector([0, 1, 0, 0.3], 'cosine'));
  matrix.write(1, prepareVector([0, 1, 0, 0.3], 'cosine'));
  matrix.write(2, prepareVector([1, 0, 0.3, 0], 'cosine'));
  matrix.write(3, prepareVector([1, 0.4, 0.3, 0], 'cosine'));
  const query = prepareVector([1, 1, 0, 0], 'cosine');
  const near = list(matrix, [2, 3]);
  const far = list(matrix, [1, 0]);

  it('walks a later list whose best vector ties the floor, as a tie goes to the lower row', () => {
    expect(matrix.score(0, query)).toBe(matrix.score(2, query));
    const selector = new TopKSelector();
    selector.reset(2);
    expect(matrix.scanRows(query, near.rows, 2, null, -Infinity, selector, near.block, near.keys)).toBe(2);
    expect(selector.floor).toBe(matrix.score(2, query));
    expect(matrix.scanRows(query, far.rows, 2, null, -Infinity, selector, far.block, far.keys)).toBe(2);
    expect(selector.drain().map((hit) => hit.row)).toEqual([3, 0]);
  });

  it('counts the rows that pass the filter of a list it does not walk', () => {
    const selector = new TopKSelector();
    selector.reset(1);
    matrix.scanRows(query, near.rows, 2, null, -Infinity, selector, near.block, near.keys);
    const onlyRow1 = new RowFilter(Uint32Array.of(0b0010), 4, new Uint8Array(4));
    expect(matrix.scanRows(query, far.rows, 2, onlyRow1, -Infinity, selector, far.block, far.keys)).toBe(1);
    expect(matrix.scanRows(query, far.rows, 2, null, matrix.score(0, query), selector, far.block, far.keys)).toBe(2);
    expect(selector.drain().map((hit) => hit.row)).toEqual([3]);
  });
});
