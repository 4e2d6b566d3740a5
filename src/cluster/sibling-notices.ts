import type { Worker } from 'node:cluster';
import { hasType, sendTo, sendToPrimary } from './ipc';

/**
 * What one worker tells the others the moment it happens, instead of leaving them to find it at
 * their next poll (WORKERS above 1):
 * - `catalog-written`: a catalog write committed here; the others check the catalog at their
 *   next request, and their indexing workers may claim its outbox rows at once;
 * - `index-changed`: points of the serving index, or the serving index itself, changed here;
 *   the others follow now rather than after up to INDEX_FOLLOW_MS.
 * The database stays the source of truth: a notice only says when to look. One that is lost
 * (a worker starting or stopping) leaves the polls to find the change, as before.
 */
export type SiblingNotice = 'catalog-written' | 'index-changed';

export interface SiblingNotices {
  /** Tells the other workers; nothing in a single process. */
  announce(notice: SiblingNotice): void;
  /** Runs `listener` when another worker announces `notice`; returns the unsubscribe function. */
  subscribe(notice: SiblingNotice, listener: () => void): () => void;
}

/** A single process: nobody to tell, nobody telling. */
export const NO_SIBLINGS: SiblingNotices = {
  announce: () => undefined,
  subscribe: () => () => undefined,
};

interface NoticeMessage {
  type: 'recipes:sibling-notice';
  notice: SiblingNotice;
}

const isNotice = (message: unknown): message is NoticeMessage => hasType<NoticeMessage>(message, 'recipes:sibling-notice');

/** A worker's side: announces through the primary, and hears what the others announce. */
export class WorkerSiblings implements SiblingNotices {
  private readonly listeners = new Map<SiblingNotice, Set<() => void>>();

  constructor(private readonly send: (message: NoticeMessage) => void) {}

  static forThisWorker(): WorkerSiblings {
    const siblings = new WorkerSiblings(sendToPrimary);
    process.on('message', (message: unknown) => siblings.receive(message));
    return siblings;
  }

  announce(notice: SiblingNotice): void {
    this.send({ type: 'recipes:sibling-notice', notice });
  }

  subscribe(notice: SiblingNotice, listener: () => void): () => void {
    let listeners = this.listeners.get(notice);
    if (!listeners) this.listeners.set(notice, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** A notice another worker announced, passed on by the primary. */
  receive(message: unknown): void {
    if (!isNotice(message)) return;
    for (const listener of this.listeners.get(message.notice) ?? []) listener();
  }
}

/** The primary's side: passes a worker's notice on to every other worker. */
export function relaySiblingNotice(from: Worker, message: unknown, workers: ReadonlyArray<Worker>): void {
  if (!isNotice(message)) return;
  const passed: NoticeMessage = { type: 'recipes:sibling-notice', notice: message.notice };
  for (const worker of workers) if (worker !== from) sendTo(worker, passed);
}
