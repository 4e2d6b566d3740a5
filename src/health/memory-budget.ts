import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { machineMemory } from '../config/heap-limit';

const MIB = 1024 * 1024;

/** What the budget compares, in bytes. */
export interface MemoryReadings {
  /** The process's resident set. */
  rss: number;
  /** The JavaScript heap in use after the last full collection (before the first one: in use now). */
  heapLive: number;
  /** The old generation's limit (`--max-old-space-size`), which the live heap fills. */
  heapLimit: number;
  /** The memory the process may use (MEMORY_LIMIT_MIB, the container's limit or the machine's memory). */
  memoryLimit: number;
}

/** Which limit memory is past its high-water mark of, if any. */
export type MemoryPressure = 'heap' | 'process' | null;

/**
 * Past `highWaterPercent` of the heap's limit (live heap) or of the memory limit (resident set).
 * The mark leaves room for what a full catalog still needs on top of its resting size: the
 * model's retrain after an import peaked at 1.45× the resting RSS at 1,000,000 recipes (5,835
 * against 4,014 MiB) and 1.21× at 100,000 (941 against 776 MiB), so at the default 60% a
 * retrain reaches ~87% of the limit at worst.
 */
export function memoryPressure(readings: MemoryReadings, highWaterPercent: number): MemoryPressure {
  const share = highWaterPercent / 100;
  if (readings.heapLive > readings.heapLimit * share) return 'heap';
  if (readings.rss > readings.memoryLimit * share) return 'process';
  return null;
}

/**
 * Refuses catalog growth before the process runs out of memory. A catalog is held in memory (the
 * catalog view, the embedded vector store), so every recipe added costs the process for good;
 * past the heap's limit V8 ends the process ("JavaScript heap out of memory"). With a 350 MiB
 * heap, importing the scale bench's synthetic recipes ended it that way at 89,321 recipes (a
 * restart loaded them: the import's own allocations, and the work after it, did not fit). With
 * the budget, bulks were refused from 63,321 recipes on and the service went on answering.
 * Refused writes get 507 INSUFFICIENT_MEMORY, like a full disk; reads, edits and deletes go on.
 *
 * The live heap is read after each full collection (what the heap holds at rest, not the
 * garbage between collections, which would refuse writes at random).
 */
@Injectable()
export class MemoryBudget implements OnModuleDestroy {
  private readonly highWaterPercent: number;
  private readonly memoryLimit: number;
  /** Fixed when the process starts, as are the node flags it is worked out from. */
  private readonly heapLimit = oldGenerationLimit(getHeapStatistics().heap_size_limit);
  private heapAfterFullCollection: number | null = null;
  private readonly observer: PerformanceObserver;
  private readonly logger = new Logger(MemoryBudget.name);
  /** The pressure last seen, so that the log says when it starts and ends, not at every check. */
  private lastPressure: MemoryPressure = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.highWaterPercent = config.memoryHighWaterPercent;
    this.memoryLimit = config.memoryLimitMiB !== null ? config.memoryLimitMiB * MIB : machineMemory();
    this.observer = new PerformanceObserver((list) => {
      const full = list
        .getEntries()
        .some((entry) => (entry.detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
      if (!full) return;
      this.heapAfterFullCollection = getHeapStatistics().used_heap_size;
      this.check();
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  onModuleDestroy(): void {
    this.observer.disconnect();
  }

  readings(): MemoryReadings {
    return {
      rss: process.memoryUsage.rss(),
      heapLive: this.heapAfterFullCollection ?? getHeapStatistics().used_heap_size,
      heapLimit: this.heapLimit,
      memoryLimit: this.memoryLimit,
    };
  }

  /** The health report's `memory` entry. */
  report() {
    const { readings, pressure } = this.check();
    return {
      state: pressure === null ? ('up' as const) : ('degraded' as const),
      ...(pressure === null ? {} : { pressure }),
      highWaterPercent: this.highWaterPercent,
      heapLiveMiB: Math.round(readings.heapLive / MIB),
      heapLimitMiB: Math.round(readings.heapLimit / MIB),
      rssMiB: Math.round(readings.rss / MIB),
      limitMiB: Math.round(readings.memoryLimit / MIB),
    };
  }

  /** Throws INSUFFICIENT_MEMORY when memory is past its high-water mark. */
  assertRoomToGrow(): void {
    this.assertRoomFor('recipes are added');
  }

  /** Whether memory is past its high-water mark (see memoryPressure). */
  pressure(): MemoryPressure {
    return this.check().pressure;
  }

  /** Throws INSUFFICIENT_MEMORY, saying that no `refused` ("recipes are added"), when memory is past its high-water mark. */
  assertRoomFor(refused: string): void {
    const { readings, pressure } = this.check();
    if (pressure === null) return;
    const { used, limit } = usage(readings, pressure);
    throw new AppError(
      ErrorCode.InsufficientMemory,
      `${this.describe(readings, pressure)}: no ${refused} until memory is freed or ${RAISE[pressure]} is raised`,
      {
        pressure,
        usedMiB: Math.round(used / MIB),
        limitMiB: Math.round(limit / MIB),
        highWaterPercent: this.highWaterPercent,
      },
    );
  }

  /** The readings and the pressure they make, logged when it starts or ends. */
  private check(): { readings: MemoryReadings; pressure: MemoryPressure } {
    const readings = this.readings();
    const pressure = memoryPressure(readings, this.highWaterPercent);
    if (pressure !== this.lastPressure) {
      if (pressure !== null) {
        this.logger.warn(
          `${this.describe(readings, pressure)}: new recipes get 507 INSUFFICIENT_MEMORY and no retrain starts (raise ${RAISE[pressure]})`,
        );
      } else {
        this.logger.log(`Memory is back under ${this.highWaterPercent}% of its limits: recipes are added again`);
      }
      this.lastPressure = pressure;
    }
    return { readings, pressure };
  }

  private describe(readings: MemoryReadings, pressure: Exclude<MemoryPressure, null>): string {
    const { used, limit, what } = usage(readings, pressure);
    return `The service is past ${this.highWaterPercent}% of its memory (${what} is ${Math.round(used / MIB)} of ${Math.round(limit / MIB)} MiB)`;
  }
}

/** What to raise for more room under each pressure. */
const RAISE = { heap: 'NODE_HEAP_MIB (npm start) or --max-old-space-size', process: 'MEMORY_LIMIT_MIB' } as const;

function usage(readings: MemoryReadings, pressure: Exclude<MemoryPressure, null>) {
  return pressure === 'heap'
    ? { used: readings.heapLive, limit: readings.heapLimit, what: 'the live heap' }
    : { used: readings.rss, limit: readings.memoryLimit, what: 'the resident memory' };
}

/**
 * What the old generation may hold: the heap's limit less the young generation's, which V8 counts
 * in it as three semi-spaces at their largest (two, and the young large-object space):
 * `--max-semi-space-size` as given to node (`npm start` passes NODE_SEMI_SPACE_MIB, 32), else
 * V8's 16 MiB. With `--max-old-space-size=350` and 32 MiB semi-spaces V8 reports a limit of
 * 446 MiB, and the process ran out of memory with ~290 MiB live: measured against 446, the
 * mark let it get there. (The new space's current size is no guide: it reads one or two
 * semi-spaces depending on what was committed.)
 */
export function oldGenerationLimit(
  heapSizeLimit: number,
  nodeFlags: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)],
): number {
  let semiSpaceMib = 16;
  for (const flag of nodeFlags) {
    const given = /^--max-semi-space-size=(\d+)$/.exec(flag);
    if (given) semiSpaceMib = Number(given[1]);
  }
  return heapSizeLimit - 3 * semiSpaceMib * MIB;
}
