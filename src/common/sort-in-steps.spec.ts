import fc from 'fast-check';
import { runToEnd } from './event-loop';
import { sortInSteps } from './sort-in-steps';

type Item = { key: number; at: number };
const byKey = (a: Item, b: Item) => a.key - b.key;

describe('sortInSteps', () => {
  it('gives the stable sort of the items and leaves them as they were', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12_000 }), (keys) => {
        const items = keys.map((key, at) => ({ key, at }));
        const before = [...items];
        expect(runToEnd(sortInSteps(items, byKey))).toEqual([...items].sort(byKey));
        expect(items).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });

  it('pauses every few thousand items, through the runs and the merges', () => {
    const items = Array.from({ length: 50_000 }, (_, at) => ({ key: (at * 7919) % 1_000, at }));
    let pauses = 0;
    const steps = sortInSteps(items, byKey);
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    // 13 runs of 4,096, then 4 merge passes over 50,000 items, a pause per 4,096 merged.
    expect(pauses).toBeGreaterThanOrEqual(13 + 4 * 12);
    expect(step.value).toEqual([...items].sort(byKey));
  });
});
