/**
 * Lets the event loop run what queued up (other requests' I/O and timers) between slices of a
 * long computation: setImmediate, not a resolved promise, since microtasks run before any I/O
 * and would not let a waiting request in.
 *
 * The one lane every sliced computation in the process shares: each event-loop turn resumes
 * one waiting slice, whoever it belongs to. Yielding alone was not enough: a bulk's checks,
 * the catalog reload, the drift check, the indexer and two recommendation rankings each ran a
 * slice per turn, so a search waited behind all of them at every step of its own (one-word
 * search p99 257 ms during a maximum bulk, 227 ms beside 16 large recommendation requests,
 * `npm run bench -- --only load`). With one slice per turn, light requests pay for one slice
 * per step, however many heavy ones are running; the heavy ones share the remaining time.
 */
class SliceLane {
  private readonly waiting: Array<() => void> = [];
  private pumping = false;

  /** Resolves on a later event-loop turn, after the slices that asked before this one. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.pumping) {
        this.pumping = true;
        setImmediate(this.pump);
      }
    });
  }

  /** One waiter per turn: an immediate queued from inside an immediate runs on the next turn. */
  private readonly pump = (): void => {
    const next = this.waiting.shift();
    if (this.waiting.length > 0) setImmediate(this.pump);
    else this.pumping = false;
    next?.();
  };
}

const lane = new SliceLane();

/** Waits for this computation's next turn on the shared lane (see SliceLane). */
export function nextSlice(): Promise<void> {
  return lane.turn();
}

/**
 * Runs `work` on every item, yielding to the event loop after each `sliceSize` items, so a
 * large input costs other requests at most one slice of waiting at a time.
 */
export async function forEachInSlices<T>(items: readonly T[], sliceSize: number, work: (item: T, index: number) => void): Promise<void> {
  for (let start = 0; start < items.length; start += sliceSize) {
    if (start > 0) await nextSlice();
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
    await nextSlice();
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

/** `steps` a few milliseconds at a time; once `signal` is aborted, rejects with its reason at the next pause. */
export async function runInSlices<T>(steps: Steps<T>, sliceMs = 5, signal?: AbortSignal): Promise<T> {
  const budget = new EventLoopBudget(sliceMs);
  for (;;) {
    signal?.throwIfAborted();
    const step = steps.next();
    if (step.done) return step.value;
    await budget.yieldIfSpent();
  }
}
