import { heapLimitFlags, HEAP_SHARE, workerMemoryShare } from './heap-limit';

const GIB = 1024 * 1024 * 1024;

describe('heapLimitFlags', () => {
  const machine = () => 24 * GIB;

  it('gives the heap three quarters of the machine when nothing is set', () => {
    expect(HEAP_SHARE).toBe(0.75);
    expect(heapLimitFlags({}, [], machine)).toEqual(['--max-old-space-size=18432']);
  });

  it('sizes the heap from MEMORY_LIMIT_MIB when set', () => {
    expect(heapLimitFlags({ MEMORY_LIMIT_MIB: '2048' }, [], machine)).toEqual(['--max-old-space-size=1536']);
  });

  it('takes NODE_HEAP_MIB as it is', () => {
    expect(heapLimitFlags({ NODE_HEAP_MIB: '6000', MEMORY_LIMIT_MIB: '2048' }, [], machine)).toEqual(['--max-old-space-size=6000']);
  });

  it('leaves the heap to NODE_OPTIONS when it sizes it', () => {
    expect(heapLimitFlags({ NODE_OPTIONS: '--max-old-space-size=12288', NODE_HEAP_MIB: '6000' }, [], machine)).toEqual([]);
    expect(heapLimitFlags({ NODE_OPTIONS: '--enable-source-maps' }, [], machine)).toEqual(['--max-old-space-size=18432']);
  });

  it('reports a bad NODE_HEAP_MIB and sizes the heap from the memory instead', () => {
    for (const bad of ['lots', '32', '4g']) {
      const problems: string[] = [];
      expect(heapLimitFlags({ NODE_HEAP_MIB: bad }, problems, machine)).toEqual(['--max-old-space-size=18432']);
      expect(problems).toEqual([expect.stringContaining(`NODE_HEAP_MIB must be a whole number of MiB, at least 64 (got "${bad}")`)]);
    }
  });
});

describe('workerMemoryShare', () => {
  const machine = () => 24 * GIB;

  it('gives each worker an equal share of the machine, and its heap three quarters of that', () => {
    expect(workerMemoryShare({}, 2, machine)).toEqual({ memoryLimitMiB: 12288, heapFlags: ['--max-old-space-size=9216'] });
    expect(workerMemoryShare({}, 1, machine)).toEqual({ memoryLimitMiB: 24576, heapFlags: ['--max-old-space-size=18432'] });
  });

  it("divides MEMORY_LIMIT_MIB, the whole service's memory, among the workers", () => {
    expect(workerMemoryShare({ MEMORY_LIMIT_MIB: '3000' }, 3, machine)).toEqual({
      memoryLimitMiB: 1000,
      heapFlags: ['--max-old-space-size=750'],
    });
  });

  it('keeps NODE_HEAP_MIB and NODE_OPTIONS as they are: per process', () => {
    expect(workerMemoryShare({ NODE_HEAP_MIB: '4000' }, 2, machine).heapFlags).toEqual(['--max-old-space-size=4000']);
    expect(workerMemoryShare({ NODE_OPTIONS: '--max-old-space-size=5000' }, 2, machine)).toEqual({ memoryLimitMiB: 12288, heapFlags: [] });
  });
});
