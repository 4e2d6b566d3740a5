import type { Worker } from 'node:cluster';
import type { BudgetCounter, BudgetPeers } from '../http/budget-peers';
import { hasType, sendTo, sendToPrimary } from './ipc';

/**
 * The rate limits' counts when several workers serve one port. Each worker counts the requests
 * it serves, as a single process does, and reports its counts for the keys that changed to the
 * primary at most every SYNC_MS; the primary passes each report on to the other workers and
 * keeps the latest for a worker that starts later. A worker adds the others' counts to its own.
 *
 * Reports carry counts, not increments, so a repeated or late one changes nothing, and a
 * worker's count stands until its window ends, also when that worker died. What a client spent
 * on another worker in the last SYNC_MS (plus the pipe's delay) is not seen yet: at 1,000
 * requests a second spread over two workers, up to ~50 beyond the budget.
 */
export const SYNC_MS = 100;

/** One worker's count for one key: `[counter, key, count, endsAt]`. */
type Spend = [BudgetCounter, string, number, number];

/** worker → primary (its own counts), and primary → worker (another worker's, `from`). */
interface SpentMessage {
  type: 'recipes:budget-spent';
  from: number;
  spends: Spend[];
}

const isSpent = (message: unknown): message is SpentMessage => hasType<SpentMessage>(message, 'recipes:budget-spent');

/** Every worker's latest count for each key, by worker id; ended windows are dropped as they are met. */
class Ledger {
  private readonly counts = new Map<string, Map<number, { count: number; endsAt: number }>>();
  private nextSweep = 0;

  constructor(private readonly now: () => number) {}

  record(from: number, spends: readonly Spend[]): void {
    for (const [counter, key, count, endsAt] of spends) {
      const id = idOf(counter, key);
      let byWorker = this.counts.get(id);
      if (!byWorker) this.counts.set(id, (byWorker = new Map()));
      byWorker.set(from, { count, endsAt });
    }
    this.sweep();
  }

  /** The sum over workers other than `except` whose window has not ended. */
  total(counter: BudgetCounter, key: string, except: number): number {
    const byWorker = this.counts.get(idOf(counter, key));
    if (!byWorker) return 0;
    const now = this.now();
    let total = 0;
    for (const [worker, { count, endsAt }] of byWorker) if (worker !== except && endsAt > now) total += count;
    return total;
  }

  /** Every count still in its window, grouped by the worker that reported it. */
  standing(): Map<number, Spend[]> {
    const now = this.now();
    const byWorker = new Map<number, Spend[]>();
    for (const [id, counts] of this.counts) {
      const [counter, key] = splitId(id);
      for (const [worker, { count, endsAt }] of counts) {
        if (endsAt <= now) continue;
        let spends = byWorker.get(worker);
        if (!spends) byWorker.set(worker, (spends = []));
        spends.push([counter, key, count, endsAt]);
      }
    }
    return byWorker;
  }

  /** At most once a second, a pass that forgets ended windows, so idle clients do not accumulate. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1_000;
    for (const [id, counts] of this.counts) {
      for (const [worker, { endsAt }] of counts) if (endsAt <= now) counts.delete(worker);
      if (counts.size === 0) this.counts.delete(id);
    }
  }

  get size(): number {
    return this.counts.size;
  }
}

const idOf = (counter: BudgetCounter, key: string): string => `${counter}\u0000${key}`;
const splitId = (id: string): [BudgetCounter, string] => {
  const at = id.indexOf('\u0000');
  return [id.slice(0, at) as BudgetCounter, id.slice(at + 1)];
};

/** A worker's side: reports its counts, and sums the others' (see SYNC_MS). */
export class WorkerBudgets implements BudgetPeers {
  private readonly others: Ledger;
  /** This worker's counts not yet reported, latest per key. */
  private readonly unsent = new Map<string, Spend>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly self: number,
    private readonly send: (message: SpentMessage) => void,
    now: () => number = Date.now,
    private readonly syncMs = SYNC_MS,
  ) {
    this.others = new Ledger(now);
  }

  /** In a cluster worker: reports through the primary, and takes in what it passes on. */
  static forThisWorker(self: number): WorkerBudgets {
    const budgets = new WorkerBudgets(self, sendToPrimary);
    process.on('message', (message: unknown) => budgets.receive(message));
    return budgets;
  }

  spent(counter: BudgetCounter, key: string, count: number, endsAt: number): void {
    this.unsent.set(idOf(counter, key), [counter, key, count, endsAt]);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.syncMs);
    // A pending report does not keep a stopping worker alive.
    this.timer.unref();
  }

  spentElsewhere(counter: BudgetCounter, key: string): number {
    return this.others.total(counter, key, this.self);
  }

  /** Another worker's counts, passed on by the primary. */
  receive(message: unknown): void {
    if (!isSpent(message) || message.from === this.self) return;
    this.others.record(message.from, message.spends);
  }

  /** Reports the counts that changed since the last report. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.unsent.size === 0) return;
    const spends = [...this.unsent.values()];
    this.unsent.clear();
    this.send({ type: 'recipes:budget-spent', from: this.self, spends });
  }
}

/** The primary's side: passes each worker's counts on to the others, and the standing ones to a worker that starts. */
export class BudgetRelay {
  private readonly ledger: Ledger;

  /** `workers`: the processes now serving. */
  constructor(
    private readonly workers: () => ReadonlyArray<Worker>,
    now: () => number = Date.now,
  ) {
    this.ledger = new Ledger(now);
  }

  /** Wire to `cluster.on('message')`. */
  onMessage(from: Worker, message: unknown): void {
    if (!isSpent(message)) return;
    // The worker's id as the primary knows it, whatever the message claims.
    const passed: SpentMessage = { type: 'recipes:budget-spent', from: from.id, spends: message.spends };
    this.ledger.record(from.id, message.spends);
    for (const worker of this.workers()) if (worker !== from) sendTo(worker, passed);
  }

  /** A worker that has just started learns what the others (the dead included) counted in windows still running. */
  welcome(worker: Worker): void {
    for (const [from, spends] of this.ledger.standing()) {
      if (from !== worker.id) sendTo(worker, { type: 'recipes:budget-spent', from, spends });
    }
  }

  /** Keys with a count held (for tests). */
  get size(): number {
    return this.ledger.size;
  }
}
