import { Injectable, Module } from '@nestjs/common';

/**
 * Tells this process's listeners that a catalog write, and the index work it enqueued, has
 * committed here. The indexing worker drains at once instead of at its next poll (INDEX_POLL_MS,
 * 500 ms by default): half a poll on average was spent before a new recipe could be found by
 * similar dishes. The catalog snapshot checks the catalog again at the next request instead of
 * trusting its view for up to 250 ms. Writes committed by other processes are still found by
 * polling.
 */
@Injectable()
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  written(): void {
    for (const listener of this.listeners) listener();
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

@Module({ providers: [OutboxSignal], exports: [OutboxSignal] })
export class OutboxSignalModule {}
