/**
 * Rows read by key (a user's history, a recipe's raters; anything with a length), kept for a while so the next lists
 * that need the same keys do not read them again: many lists share them (popular dishes, the
 * users with opinions on them).
 *
 * - A kept entry serves reads for `ttlMs`; writes through another process are seen once it
 *   expires.
 * - `written(key)` drops it at once: writes through this process are seen by the next read.
 *   A key written while a read of it is under way is not kept from that read, which may have
 *   started before the write.
 * - At most `maxRows` rows in all; the entries read least recently go first.
 */
export class KeptReads<R extends { readonly length: number }> {
  private readonly entries = new Map<string, { rows: R; readAt: number }>();
  private rows = 0;
  private readsUnderWay = 0;
  private readonly writtenDuringReads = new Set<string>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxRows: number,
    /** What a key the load leaves out has. */
    private readonly none: R,
  ) {}

  /**
   * Each key's rows, kept ones where they are fresh, the rest from one `load` of the missing
   * keys (a key `load` leaves out has no rows). The same array comes back for a key while it is
   * kept, so what a caller works out from it can be kept with it (in a WeakMap).
   */
  async get(keys: readonly string[], load: (missing: string[]) => Promise<Map<string, R>>): Promise<Map<string, R>> {
    const now = Date.now();
    const found = new Map<string, R>();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      if (now - entry.readAt >= this.ttlMs) {
        this.forget(key);
        continue;
      }
      // Read again: it moves to the back, the last to be dropped.
      this.entries.delete(key);
      this.entries.set(key, entry);
      found.set(key, entry.rows);
    }
    const missing = [...new Set(keys.filter((key) => !found.has(key)))];
    if (missing.length === 0) return found;
    this.readsUnderWay++;
    try {
      const loaded = await load(missing);
      for (const key of missing) {
        const rows = loaded.get(key) ?? this.none;
        found.set(key, rows);
        if (!this.writtenDuringReads.has(key)) this.keep(key, rows, now);
      }
    } finally {
      if (--this.readsUnderWay === 0) this.writtenDuringReads.clear();
    }
    return found;
  }

  /** This process wrote rows for `key`: the next read goes to the database. */
  written(key: string): void {
    this.forget(key);
    if (this.readsUnderWay > 0) this.writtenDuringReads.add(key);
  }

  private keep(key: string, rows: R, readAt: number): void {
    this.forget(key);
    this.entries.set(key, { rows, readAt });
    this.rows += rows.length;
    for (const [oldest] of this.entries) {
      if (this.rows <= this.maxRows) break;
      this.forget(oldest);
    }
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.rows -= entry.rows.length;
  }
}
