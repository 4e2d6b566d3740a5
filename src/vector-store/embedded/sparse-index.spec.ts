import { SeededRandom } from '../../common/seeded-random';
import { RowFilter } from './row-filter';
import { SparseIndex, SparseRow } from './sparse-index';
import { TopKSelector } from './top-k-selector';

/** Qdrant's idf-weighted dot product, computed the plain way over every row. */
function naiveScores(rows: Array<SparseRow | null>, query: { indices: number[]; values: number[] }): Map<number, number> {
  const live = rows.filter((r): r is SparseRow => r !== null);
  const scores = new Map<number, number>();
  rows.forEach((row, r) => {
    if (!row) return;
    let score = 0;
    let hit = false;
    query.indices.forEach((term, t) => {
      const at = Array.from(row.indices).indexOf(term);
      if (at < 0) return;
      const df = live.filter((other) => Array.from(other.indices).includes(term)).length;
      score += query.values[t] * Math.log(1 + (live.length - df + 0.5) / (df + 0.5)) * row.values[at];
      hit = true;
    });
    if (hit) scores.set(r, score);
  });
  return scores;
}

function top(
  index: SparseIndex,
  count: number,
  query: { indices: number[]; values: number[] },
  k: number,
  mask: Uint8Array | null = null,
): Array<[number, number]> {
  const selector = new TopKSelector();
  selector.reset(k);
  let filter: RowFilter | null = null;
  if (mask !== null) {
    const bits = new Uint32Array(Math.ceil(count / 32) + 1);
    mask.forEach((pass, row) => {
      if (pass === 1) bits[row >>> 5] |= 1 << (row & 31);
    });
    filter = new RowFilter(bits, count, new Uint8Array(count));
  }
  index.scan(query, count, filter, -Infinity, selector);
  return selector.drain().map(({ row, score }) => [row, score]);
}

describe('SparseIndex', () => {
  it('scores exactly like a full recount after any mix of writes, moves and deletions, across rebuilds', () => {
    const random = new SeededRandom(7);
    const index = new SparseIndex();
    const rows: Array<SparseRow | null> = [];
    const vector = (): SparseRow => {
      const terms = [...new Set(Array.from({ length: 1 + random.nextInt(6) }, () => random.nextInt(40)))].sort((a, b) => a - b);
      return { indices: Uint32Array.from(terms), values: Float32Array.from(terms.map(() => 0.1 + random.next())) };
    };
    for (let step = 0; step < 1500; step++) {
      const roll = random.next();
      if (roll < 0.6 || rows.length < 5) {
        const row = rows.length;
        rows.push(vector());
        index.write(row, rows[row]);
      } else if (roll < 0.85) {
        const row = random.nextInt(rows.length);
        rows[row] = random.next() < 0.2 ? null : vector();
        index.write(row, rows[row]);
      } else {
        // Deleting as the collection does: the last row moves into the gap.
        const row = random.nextInt(rows.length);
        const last = rows.length - 1;
        if (row !== last) {
          index.move(last, row);
          rows[row] = rows[last];
        } else index.write(last, null);
        rows.pop();
        index.truncate(rows.length);
      }
      // As after a load: settling builds the lists ahead of a query, without changing a score.
      if (step % 170 === 169) index.settle(rows.length);
      if (step % 50 === 49) {
        const query = { indices: [random.nextInt(40), random.nextInt(40), random.nextInt(40)], values: [1, 0.5, 2] };
        const expected = [...naiveScores(rows, query)].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
        const got = top(index, rows.length, query, 10);
        expect(got.map(([row]) => row)).toEqual(expected.map(([row]) => row));
        got.forEach(([, score], i) => expect(score).toBeCloseTo(expected[i][1], 5));

        // With a filter: only rows it passes, rows changed since the last rebuild among them.
        const mask = Uint8Array.from(rows, () => (random.next() < 0.5 ? 1 : 0));
        const filtered = [...naiveScores(rows, query)]
          .filter(([row]) => mask[row] === 1)
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, 10);
        const gotFiltered = top(index, rows.length, query, 10, mask);
        expect(gotFiltered.map(([row]) => row)).toEqual(filtered.map(([row]) => row));
        gotFiltered.forEach(([, score], i) => expect(score).toBeCloseTo(filtered[i][1], 5));
      }
    }
  });
});
