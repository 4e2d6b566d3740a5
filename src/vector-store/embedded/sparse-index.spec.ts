import { SeededRandom } from '../../common/seeded-random';
import { payloadFor } from '../../../test/contracts/vector-store.contract';
import { EmbeddedCollection, SPARSE_SETTLE_QUIET_MS } from './embedded-collection';
import { RowFilter } from './row-filter';
import { SparseIndex, SparseRow } from './sparse-index';
import { TopKSelector } from './top-k-selector';

/** Qdrant's idf-weighted dot product, computed the plain way over every row. */
function naiveScores(rows: Array<SparseRow | null>, query: { indices: number[]; values: number[] }): Map<number, number> {
  const live = rows.filter((r): r is SparseRow => r !== null);
  const dfs = new Map(query.indices.map((term) => [term, live.filter((other) => Array.from(other.indices).includes(term)).length]));
  const scores = new Map<number, number>();
  rows.forEach((row, r) => {
    if (!row) return;
    let score = 0;
    let hit = false;
    query.indices.forEach((term, t) => {
      const at = Array.from(row.indices).indexOf(term);
      if (at < 0) return;
      const df = dfs.get(term)!;
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

  it('leaves the lists of common terms unread when they cannot change the top k, with the same results as a full count', () => {
    const random = new SeededRandom(11);
    const index = new SparseIndex();
    const rows: Array<SparseRow | null> = [];
    // Term t is in about 1 / (t + 1) of the rows: a few terms are everywhere (low idf, long
    // lists), most are rare, as a catalog's concepts are.
    const vector = (): SparseRow => {
      const terms = Array.from({ length: 60 }, (_, t) => t).filter((t) => random.next() < 1 / (t + 1));
      if (terms.length === 0) terms.push(59);
      return { indices: Uint32Array.from(terms), values: Float32Array.from(terms.map(() => 0.2 + random.next())) };
    };
    const full = (query: { indices: number[]; values: number[] }, k: number, mask: Uint8Array | null) =>
      [...naiveScores(rows, query)]
        .filter(([row]) => mask === null || mask[row] === 1)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k);
    let unread = 0;
    for (let step = 0; step < 2400; step++) {
      if (random.next() < 0.9 || rows.length < 10) {
        rows.push(vector());
        index.write(rows.length - 1, rows[rows.length - 1]);
      } else {
        const row = random.nextInt(rows.length);
        rows[row] = vector();
        index.write(row, rows[row]);
      }
      if (step === 1200) index.settle(rows.length);
      if (step % 300 !== 299) continue;
      for (let q = 0; q < 6; q++) {
        const terms = [...new Set([0, 1, 2, ...Array.from({ length: 4 }, () => 3 + random.nextInt(57))])];
        const query = { indices: terms, values: terms.map(() => 0.5 + random.next()) };
        const k = [1, 5, 20][q % 3];
        const mask = q % 2 === 0 ? null : Uint8Array.from(rows, () => (random.next() < 0.7 ? 1 : 0));
        const selector = new TopKSelector();
        selector.reset(k);
        let filter: RowFilter | null = null;
        if (mask !== null) {
          const bits = new Uint32Array(Math.ceil(rows.length / 32) + 1);
          mask.forEach((pass, row) => {
            if (pass === 1) bits[row >>> 5] |= 1 << (row & 31);
          });
          filter = new RowFilter(bits, rows.length, new Uint8Array(rows.length));
        }
        unread += index.scan(query, rows.length, filter, -Infinity, selector);
        const got = selector.drain().map(({ row, score }) => [row, score]);
        const expected = full(query, k, mask);
        expect(got.map(([row]) => row)).toEqual(expected.map(([row]) => row));
        got.forEach(([, score], i) => expect(score).toBeCloseTo(expected[i][1], 9));
      }
    }
    expect(unread).toBeGreaterThan(20);
  });

  it('reads every list while a stored value is negative', () => {
    const index = new SparseIndex();
    const rows: SparseRow[] = Array.from({ length: 200 }, (_, r) => ({
      indices: Uint32Array.from(r % 10 === 0 ? [0, 1] : [0]),
      values: Float32Array.from(r % 10 === 0 ? [1, 2] : [r === 199 ? -1 : 1]),
    }));
    rows.forEach((row, r) => index.write(r, row));
    const selector = new TopKSelector();
    selector.reset(3);
    expect(index.scan({ indices: [1, 0], values: [1, 1] }, rows.length, null, -Infinity, selector)).toBe(0);
    expect(selector.drain().map(({ row }) => row)).toEqual([0, 10, 20]);
  });

  it('ranks a one-term query straight from its list, with the filter, the threshold and ties as a full count', () => {
    const random = new SeededRandom(5);
    const index = new SparseIndex();
    // Values in steps of a quarter, so that many rows tie and the lower row must win.
    const rows: SparseRow[] = Array.from({ length: 900 }, () => {
      const terms = [0, 1, 2].filter(() => random.next() < 0.5);
      return { indices: Uint32Array.from(terms), values: Float32Array.from(terms.map(() => 0.25 * (1 + random.nextInt(4)))) };
    });
    rows.forEach((row, r) => index.write(r, row));
    index.settle(rows.length);
    const mask = Uint8Array.from(rows, () => (random.next() < 0.6 ? 1 : 0));
    for (const term of [0, 1, 2]) {
      const query = { indices: [term], values: [1.5] };
      const scores = [...naiveScores(rows, query)].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      expect(top(index, rows.length, query, 25)).toEqual(scores.slice(0, 25));
      expect(top(index, rows.length, query, 25, mask)).toEqual(scores.filter(([row]) => mask[row] === 1).slice(0, 25));
      // Only scores strictly above the threshold, as Qdrant's score_threshold.
      const threshold = scores[40][1];
      const selector = new TopKSelector();
      selector.reset(1000);
      index.scan(query, rows.length, null, threshold, selector);
      expect(selector.drain().map(({ row, score }) => [row, score])).toEqual(scores.filter(([, score]) => score > threshold));
    }
  });

  it('scores a row rewritten since the rebuild from its new vector only, whichever list comes first', () => {
    const index = new SparseIndex();
    // Every row has the common term 1; rows 0–9 also the rare term 0.
    for (let r = 0; r < 300; r++)
      index.write(r, { indices: Uint32Array.from(r < 10 ? [0, 1] : [1]), values: Float32Array.from(r < 10 ? [1, 1] : [1]) });
    index.settle(300);
    // Row 5 loses term 1; the lists still hold its old entry under it.
    index.write(5, { indices: Uint32Array.from([0]), values: Float32Array.from([1]) });
    const selector = new TopKSelector();
    selector.reset(20);
    index.scan({ indices: [0, 1], values: [1, 1] }, 300, null, -Infinity, selector);
    const hits = selector.drain();
    const scoreOf = (row: number) => hits.find((h) => h.row === row)!.score;
    expect(hits.map((h) => h.row).slice(0, 9)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    expect(scoreOf(5)).toBeLessThan(scoreOf(0));
  });

  it('is rebuilt in the background once writes pause, so the next query does not pay it', async () => {
    jest.useFakeTimers();
    try {
      const collection = new EmbeddedCollection('c', { modelId: 'm', dense: {}, sparse: true, distance: 'cosine' }, 16);
      const write = (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const id = `r${i}`;
          collection.put({
            id,
            contentHash: 'h',
            payload: payloadFor(id),
            dense: [],
            sparse: { indices: Uint32Array.of(i % 7, 7 + (i % 5)), values: Float32Array.of(1, 0.5) },
          });
        }
        collection.settleSparseWhenQuiet();
      };
      write(0, 400);
      jest.advanceTimersByTime(SPARSE_SETTLE_QUIET_MS - 100);
      // Another write before the quiet time is up pushes the rebuild back.
      write(400, 800);
      jest.advanceTimersByTime(SPARSE_SETTLE_QUIET_MS - 100);
      expect(collection.sparse.pendingRows).toBe(800);
      jest.advanceTimersByTime(200);
      expect(collection.sparse.pendingRows).toBe(0);
      // A few writes stay pending: scored from their own vectors, below the rebuild threshold.
      write(800, 810);
      jest.advanceTimersByTime(SPARSE_SETTLE_QUIET_MS + 100);
      expect(collection.sparse.pendingRows).toBe(10);
      collection.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
