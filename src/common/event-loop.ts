/**
 * Lets the event loop run what queued up (other requests' I/O and timers) before continuing.
 * setImmediate, not a resolved promise: microtasks run before any I/O, so they would not let a
 * waiting request in.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `work` on every item, yielding to the event loop after each `sliceSize` items, so a
 * large input costs other requests at most one slice of waiting at a time.
 */
export async function forEachInSlices<T>(items: readonly T[], sliceSize: number, work: (item: T, index: number) => void): Promise<void> {
  for (let start = 0; start < items.length; start += sliceSize) {
    if (start > 0) await yieldToEventLoop();
    const end = Math.min(items.length, start + sliceSize);
    for (let i = start; i < end; i++) work(items[i], i);
  }
}

/**
 * For loops whose items cost very different amounts (a recipe of 3 or of 500 ingredients):
 * yields once the work since the last yield has taken `sliceMs`.
 */
export class EventLoopBudget {
  private since = performance.now();

  constructor(private readonly sliceMs = 5) {}

  /** Resolves true when it did yield (state read before may have changed meanwhile). */
  async yieldIfSpent(): Promise<boolean> {
    if (!this.spent()) return false;
    await yieldToEventLoop();
    this.since = performance.now();
    return true;
  }

  spent(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }
}

/**
 * At most `limit` runs of a CPU-heavy task at once; later callers wait their turn in order.
 * Sliced work still fills the event loop when many requests slice at once: with 16 large
 * recommendation requests each running a slice per turn, a search waited behind 16 slices at
 * every step. Waiting callers cost nothing, and the total work is the same.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * Long computations written as generators that `yield` at points where pausing is safe: the
 * same code runs in one go (scripts, tests) or a few milliseconds at a time (a server), with
 * the same result either way.
 */
export type Steps<T> = Generator<void, T, void>;

export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runInSlices<T>(steps: Steps<T>, sliceMs = 5): Promise<T> {
  const budget = new EventLoopBudget(sliceMs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await budget.yieldIfSpent();
  }
}
