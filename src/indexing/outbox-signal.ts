import cluster from 'node:cluster';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NO_SIBLINGS, SiblingNotices, WorkerSiblings } from '../cluster/sibling-notices';

/** The other workers answering on the same port (WORKERS above 1); nobody in a single process. */
export const SIBLING_NOTICES = Symbol('SIBLING_NOTICES');

/**
 * Tells this process's listeners that a catalog write, and the index work it enqueued, has
 * committed here. The indexing worker drains at once instead of at its next poll (INDEX_POLL_MS,
 * 500 ms by default): half a poll on average was spent before a new recipe could be found by
 * similar dishes. The catalog snapshot checks the catalog again at the next request instead of
 * trusting its view for up to 250 ms. The other workers of the service hear of it too, and
 * their listeners run as for a write of their own; writes committed by other processes (the
 * CLI, replicas) are still found by polling.
 */
@Injectable()
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  constructor(@Inject(SIBLING_NOTICES) private readonly siblings: SiblingNotices) {
    siblings.subscribe('catalog-written', () => this.notify());
  }

  written(): void {
    this.notify();
    this.siblings.announce('catalog-written');
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

@Module({
  providers: [
    OutboxSignal,
    { provide: SIBLING_NOTICES, useFactory: (): SiblingNotices => (cluster.isWorker ? WorkerSiblings.forThisWorker() : NO_SIBLINGS) },
  ],
  exports: [OutboxSignal, SIBLING_NOTICES],
})
export class OutboxSignalModule {}
