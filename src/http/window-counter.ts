/** Outcome of counting one event for a key. */
export interface WindowCount {
  count: number;
  /** Seconds until the key's window ends and its count starts again from zero (at least 1). */
  resetSeconds: number;
  /** When the window ends (ms since the epoch, by the counter's clock). */
  endsAt: number;
}

/**
 * Counts events per key in fixed windows: O(1) per event and one small record per active key,
 * where a sliding log would keep a timestamp per request (6,000 per busy client). A fixed window
 * lets a client send up to twice the limit across a window boundary, which is fine for budgets
 * meant to stop floods and guessing, not to meter exactly.
 */
export class WindowCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private nextSweep: number;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.nextSweep = now() + windowMs;
  }

  /** Counts one event for `key`. */
  add(key: string): WindowCount {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetSeconds: secondsUntil(window.endsAt, now), endsAt: window.endsAt };
  }

  /** The count so far in `key`'s current window, without adding to it. */
  peek(key: string): WindowCount {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now)
      return { count: 0, resetSeconds: secondsUntil(now + this.windowMs, now), endsAt: now + this.windowMs };
    return { count: window.count, resetSeconds: secondsUntil(window.endsAt, now), endsAt: window.endsAt };
  }

  get size(): number {
    return this.windows.size;
  }

  /** Drops ended windows once per window length, so idle clients do not accumulate. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.windowMs;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

function secondsUntil(endsAt: number, now: number): number {
  return Math.max(1, Math.ceil((endsAt - now) / 1000));
}
