import { SeededRandom } from '../common/seeded-random';
import { compareHits, orderTiesById } from './hit-order';

describe('orderTiesById', () => {
  it('orders hits as a whole sort by compareHits does, whether or not they came best first', () => {
    const rng = new SeededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      // Few distinct scores, so most hits tie with others.
      const hits = Array.from({ length: rng.nextInt(40) }, (_, i) => ({ id: `r${rng.nextInt(1000)}-${i}`, score: rng.nextInt(6) / 4 }));
      const want = [...hits].sort(compareHits);
      const bestFirst = [...hits].sort((a, b) => b.score - a.score);
      expect(orderTiesById(bestFirst)).toEqual(want);
      expect(orderTiesById([...hits])).toEqual(want);
    }
  });
});
