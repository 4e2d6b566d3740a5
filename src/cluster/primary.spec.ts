import { withoutHeapSize } from './primary';

describe('withoutHeapSize', () => {
  it('drops the heap size in any spelling, and keeps every other flag', () => {
    expect(withoutHeapSize(['--min-semi-space-size=32', '--max-old-space-size=18432', '--no-allocation-site-pretenuring'])).toEqual([
      '--min-semi-space-size=32',
      '--no-allocation-site-pretenuring',
    ]);
    expect(withoutHeapSize(['--max_old_space_size=4000', '--inspect'])).toEqual(['--inspect']);
    expect(withoutHeapSize(['--max-old-space-size', '4000', '--cpu-prof'])).toEqual(['--cpu-prof']);
    // A young-generation size is not the heap's.
    expect(withoutHeapSize(['--max-semi-space-size=32'])).toEqual(['--max-semi-space-size=32']);
  });
});
