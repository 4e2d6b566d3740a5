import { Injectable, Module } from '@nestjs/common';

/**
 * Tells the indexing worker that index work was committed in this process, so it drains at once
 * instead of at its next poll (INDEX_POLL_MS, 500 ms by default): half a poll on average was
 * spent before a new recipe could be found by similar dishes. Work committed by other processes
 * is still found by polling.
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
