import { SeededRandom } from '../../common/seeded-random';
import { DenseMatrix, prepareVector } from './dense-matrix';
import { useDotKernel } from './dot-kernel';
import { Int8Codes } from './int8-codes';
import { RowFilter } from './row-filter';
import { TopKSelector } from './top-k-selector';
import type { VectorBlock } from './vector-blocks';

/** Unit vectors: every value within ±1. */
const codes = new Int8Codes(4, 0, 1);

/** An inverted list as IvfIndex hands it to a scan: its rows, their keys, and its block of distinct vectors in int8. */
function list(matrix: DenseMatrix, rows: number[]): { rows: Int32Array; keys: Int32Array; block: VectorBlock } {
  const keys = Int32Array.from(rows, (row) => matrix.keys[row]);
  const distinct = [...new Set(keys)];
  const block: VectorBlock = {
    keys: Int32Array.from(distinct),
    codes: new Int8Array(distinct.length * codes.stride),
    squaredNorms: new Float32Array(distinct.length).fill(1),
    size: distinct.length,
  };
  distinct.forEach((key, i) => codes.encode(matrix.data, key * matrix.dim, block.codes, i * codes.stride));
  return { rows: Int32Array.from(rows), keys, block };
}

describe('DenseMatrix.scanRows over inverted lists', () => {
  const matrix = new DenseMatrix(4, 'cosine', 8);
  // Rows 0-1 and 2 score the same against the query; row 3 scores higher.
  matrix.write(0, prepareVector([0, 1, 0, 0.3], 'cosine'));
  matrix.write(1, prepareVector([0, 1, 0, 0.3], 'cosine'));
  matrix.write(2, prepareVector([1, 0, 0.3, 0], 'cosine'));
  matrix.write(3, prepareVector([1, 0.4, 0.3, 0], 'cosine'));
  const query = prepareVector([1, 1, 0, 0], 'cosine');
  const blockQuery = codes.prepareQuery(query);
  const near = list(matrix, [2, 3]);
  const far = list(matrix, [1, 0]);

  it('walks a later list whose best vector ties the floor, as a tie goes to the lower row', () => {
    expect(matrix.score(0, query)).toBe(matrix.score(2, query));
    const selector = new TopKSelector();
    selector.reset(2);
    expect(matrix.scanRows(query, near.rows, 2, null, -Infinity, selector, near.block, blockQuery, near.keys)).toBe(2);
    // The block's scores are int8 approximations of the exact ones; rows 0 and 2 tie in both.
    expect(selector.floor).toBeCloseTo(matrix.score(2, query), 2);
    expect(matrix.scanRows(query, far.rows, 2, null, -Infinity, selector, far.block, blockQuery, far.keys)).toBe(2);
    expect(selector.drain().map((hit) => hit.row)).toEqual([3, 0]);
  });

  it('counts the rows that pass the filter of a list it does not walk', () => {
    const selector = new TopKSelector();
    selector.reset(1);
    matrix.scanRows(query, near.rows, 2, null, -Infinity, selector, near.block, blockQuery, near.keys);
    const onlyRow1 = new RowFilter(Uint32Array.of(0b0010), 4, new Uint8Array(4));
    expect(matrix.scanRows(query, far.rows, 2, onlyRow1, -Infinity, selector, far.block, blockQuery, far.keys)).toBe(1);
    expect(matrix.scanRows(query, far.rows, 2, null, matrix.score(0, query) + 0.01, selector, far.block, blockQuery, far.keys)).toBe(2);
    expect(selector.drain().map((hit) => hit.row)).toEqual([3]);
  });
});

describe('DenseMatrix.scoreRows', () => {
  afterEach(() => useDotKernel(true));

  it.each([
    ['cosine', true],
    ['cosine', false],
    ['dot', true],
    ['euclid', true],
  ] as const)('gives each row the score `score` gives it, rows sharing a vector included (%s, kernel %s)', (distance, kernel) => {
    useDotKernel(kernel);
    const rng = new SeededRandom(17);
    const dim = 40;
    const matrix = new DenseMatrix(dim, distance, 600);
    const distinct = Array.from({ length: 150 }, () => Array.from({ length: dim }, () => rng.next() - 0.5));
    for (let row = 0; row < 600; row++) matrix.write(row, prepareVector(distinct[rng.nextInt(150)], distance));
    const query = prepareVector(
      Array.from({ length: dim }, () => rng.next() - 0.5),
      distance,
    );
    const rows = Int32Array.from({ length: 300 }, () => rng.nextInt(600));
    const out = new Float64Array(300);
    matrix.scoreRows(query, rows, 300, out);
    expect(Array.from(out)).toEqual(Array.from(rows, (row) => matrix.score(row, query)));
  });
});
