import { Logger } from '@nestjs/common';
import { toErrorBody } from '../common/error-mapper';
import { loadConfig } from '../config/app-config';
import { MemoryBudget, memoryPressure, MemoryReadings, oldGenerationLimit } from './memory-budget';

const MIB = 1024 * 1024;

describe('memoryPressure', () => {
  const calm: MemoryReadings = { rss: 500 * MIB, heapLive: 300 * MIB, heapLimit: 4096 * MIB, memoryLimit: 24_000 * MIB };

  it('is none while both the live heap and the resident set are below the mark', () => {
    expect(memoryPressure(calm, 60)).toBeNull();
  });

  it('names the heap once the live heap passes the mark of its limit', () => {
    expect(memoryPressure({ ...calm, heapLive: 2458 * MIB }, 60)).toBe('heap');
    expect(memoryPressure({ ...calm, heapLive: 2457 * MIB }, 60)).toBeNull();
  });

  it('names the process once the resident set passes the mark of the memory limit', () => {
    expect(memoryPressure({ ...calm, memoryLimit: 800 * MIB }, 60)).toBe('process');
    expect(memoryPressure({ ...calm, memoryLimit: 800 * MIB }, 70)).toBeNull();
  });
});

describe('MemoryBudget', () => {
  const budgets: MemoryBudget[] = [];
  const budget = (env: Record<string, string>) => {
    const made = new MemoryBudget(loadConfig({ ADMIN_API_KEY: 'test-admin-key-0123456789', ...env }));
    budgets.push(made);
    return made;
  };
  afterAll(() => budgets.forEach((b) => b.onModuleDestroy()));

  it('lets the catalog grow, and reports up, with room to spare', () => {
    // At 100% of the heap's limit (the test runner's heap is not a service's) and of 1 TiB.
    const roomy = budget({ MEMORY_LIMIT_MIB: String(1024 * 1024), MEMORY_HIGH_WATER_PERCENT: '100' });
    expect(() => roomy.assertRoomToGrow()).not.toThrow();
    const report = roomy.report();
    expect(report).toMatchObject({ state: 'up', highWaterPercent: 100, limitMiB: 1024 * 1024 });
    expect(report.pressure).toBeUndefined();
    expect(report.heapLiveMiB).toBeGreaterThan(0);
    expect(report.heapLimitMiB).toBeGreaterThan(report.heapLiveMiB);
    expect(report.rssMiB).toBeGreaterThan(0);
  });

  it('refuses growth with 507 INSUFFICIENT_MEMORY past the mark, naming the limit to raise', () => {
    // A test process's resident set is well past 16 MiB; its live heap never past 100% of the heap's limit.
    const tight = budget({ MEMORY_LIMIT_MIB: '16', MEMORY_HIGH_WATER_PERCENT: '100' });
    let thrown: unknown;
    try {
      tight.assertRoomToGrow();
    } catch (error) {
      thrown = error;
    }
    expect(toErrorBody(thrown)).toMatchObject({
      statusCode: 507,
      code: 'INSUFFICIENT_MEMORY',
      message: expect.stringMatching(/MEMORY_LIMIT_MIB/),
      details: { pressure: 'process', limitMiB: 16, highWaterPercent: 100 },
    });
    expect(tight.report()).toMatchObject({ state: 'degraded', pressure: 'process', limitMiB: 16 });
  });

  it('logs when memory goes past the mark, once, not at every check', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const tight = budget({ MEMORY_LIMIT_MIB: '16', MEMORY_HIGH_WATER_PERCENT: '100' });
      tight.report();
      expect(() => tight.assertRoomToGrow()).toThrow();
      tight.pressure();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(
        /past 100% of its memory \(the resident memory is \d+ of 16 MiB\): new recipes get 507 INSUFFICIENT_MEMORY.*MEMORY_LIMIT_MIB/,
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('oldGenerationLimit', () => {
  it("takes the young generation's three semi-spaces off the heap's limit", () => {
    // node --max-old-space-size=350 --max-semi-space-size=32 reports a heap_size_limit of 446 MiB.
    expect(oldGenerationLimit(446 * MIB, ['--max-old-space-size=350', '--max-semi-space-size=32'])).toBe(350 * MIB);
    // V8's defaults on a 24 GiB machine: 4,144 MiB, with 16 MiB semi-spaces.
    expect(oldGenerationLimit(4144 * MIB, [])).toBe(4096 * MIB);
  });
});
