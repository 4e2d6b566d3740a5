/** Timing primitives: every measurement in the benchmark goes through these. */

export interface Summary {
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array; `p` in [0, 100]. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty sample');
  if (p <= 0) return sorted[0];
  if (p >= 100) return sorted[sorted.length - 1];
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50/p95/p99, mean, min and max of a sample (any unit; the result keeps it). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    runs: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: total / sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

const NS_PER_MS = 1_000_000;

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / NS_PER_MS;
}

/** Runs `fn` once and returns its result and wall time in milliseconds. */
export async function timeOnce<T>(fn: () => T | Promise<T>): Promise<{ result: T; ms: number }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: elapsedMs(start) };
}

export interface TimeRunsOptions {
  /** Untimed runs first, so the JIT and caches are warm (default 0). */
  warmup?: number;
}

/**
 * Calls `fn(i)` `n` times, one after another, and returns each call's wall time in
 * milliseconds. `i` counts from 0 across warm-up and timed runs, so callers can cycle
 * through inputs with `inputs[i % inputs.length]`.
 */
export async function timeRuns(fn: (i: number) => unknown, n: number, options: TimeRunsOptions = {}): Promise<number[]> {
  const warmup = options.warmup ?? 0;
  let i = 0;
  for (; i < warmup; i++) {
    const out = fn(i);
    // Only promises are awaited, so synchronous work is timed without an extra microtask turn.
    if (out instanceof Promise) await out;
  }
  const samples = new Array<number>(n);
  for (let run = 0; run < n; run++, i++) {
    const start = process.hrtime.bigint();
    const out = fn(i);
    if (out instanceof Promise) await out;
    samples[run] = elapsedMs(start);
  }
  return samples;
}

/** Items per second for `count` items done in `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.POSITIVE_INFINITY;
}
