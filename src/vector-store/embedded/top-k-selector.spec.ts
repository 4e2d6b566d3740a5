import { SeededRandom } from '../../common/seeded-random';
import { TieOrder, TopKSelector } from './top-k-selector';

/** The k best of `scores` by a selector, offered in `order`. */
function topRows(scores: number[], k: number, order: number[], ties: TieOrder | null): number[] {
  const selector = new TopKSelector(4, ties);
  selector.reset(k);
  for (const row of order) selector.offer(row, scores[row]);
  return selector.drain().map((hit) => hit.row);
}

describe('TopKSelector', () => {
  const rng = new SeededRandom(3);
  // 400 rows, 5 distinct scores: every cut falls inside a run of equal scores.
  const scores = Array.from({ length: 400 }, () => rng.nextInt(5));
  const inOrder = scores.map((_, row) => row);
  const shuffled = [...inOrder].sort(() => rng.next() - 0.5);

  it('keeps the best k, best first', () => {
    for (const k of [1, 7, 64, 399, 400, 500]) {
      const got = topRows(scores, k, shuffled, null);
      expect(got).toHaveLength(Math.min(k, scores.length));
      const want = [...inOrder].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
      expect(got).toEqual(want);
    }
  });

  it("cuts a run of equal scores by the rows' ids, whichever rows hold them", () => {
    const ids = scores.map((_, row) => `recipe-${row}`);
    // The same points at other rows, as in a process that wrote them in another order.
    const moved = [...inOrder].reverse();
    const byRow = new TieOrder();
    ids.forEach((id, row) => byRow.set(row, id));
    const byMovedRow = new TieOrder();
    moved.forEach((from, row) => byMovedRow.set(row, ids[from]));
    const movedScores = moved.map((from) => scores[from]);
    for (const k of [1, 10, 90, 250]) {
      const here = topRows(scores, k, shuffled, byRow).map((row) => ids[row]);
      const there = topRows(movedScores, k, inOrder, byMovedRow).map((row) => ids[moved[row]]);
      expect(there).toEqual(here);
      // Without the ids, the rows decide, and the two processes disagree.
      const hereByRow = topRows(scores, k, shuffled, null).map((row) => ids[row]);
      const thereByRow = topRows(movedScores, k, inOrder, null).map((row) => ids[moved[row]]);
      if (k > 1) expect(new Set(thereByRow)).not.toEqual(new Set(hereByRow));
    }
  });

  it('follows a row rewritten with another id', () => {
    const order = new TieOrder();
    ['b', 'a', 'c'].forEach((id, row) => order.set(row, id));
    const first = topRows([1, 1, 1], 1, [0, 1, 2], order);
    order.set(first[0], 'z');
    const second = topRows([1, 1, 1], 1, [0, 1, 2], order);
    expect(second[0]).not.toBe(first[0]);
  });
});
