import type { Worker } from 'node:cluster';
import { BudgetRelay, WorkerBudgets } from './shared-budgets';

/** Workers and the primary's relay in one process: a worker's report reaches the relay, which passes it on. */
function cluster(now: () => number) {
  const workers: Worker[] = [];
  const budgets = new Map<number, WorkerBudgets>();
  const relay = new BudgetRelay(() => workers, now);
  const sent: Array<{ from: number; spends: unknown[] }> = [];
  const start = (id: number): WorkerBudgets => {
    const worker = {
      id,
      send: (message: unknown, _handle: unknown, _options: unknown, callback: (error: Error | null) => void) => {
        budgets.get(id)?.receive(message);
        callback(null);
        return true;
      },
    } as unknown as Worker;
    const own = new WorkerBudgets(
      id,
      (message) => {
        sent.push(message);
        relay.onMessage(worker, message);
      },
      now,
    );
    workers.push(worker);
    budgets.set(id, own);
    return own;
  };
  const stop = (id: number) => {
    workers.splice(
      workers.findIndex((w) => w.id === id),
      1,
    );
    budgets.delete(id);
  };
  const welcome = (id: number) => relay.welcome(workers.find((w) => w.id === id)!);
  return { start, stop, welcome, relay, sent };
}

describe('shared budgets between workers', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('a worker sees the counts the others reported, not its own, and the latest count per worker (not a sum of reports)', () => {
    const { start } = cluster(clock);
    const one = start(1);
    const two = start(2);
    one.spent('clients', 'address:10.0.0.1', 5, now + 60_000);
    expect(two.spentElsewhere('clients', 'address:10.0.0.1')).toBe(0);
    one.flush();
    expect(two.spentElsewhere('clients', 'address:10.0.0.1')).toBe(5);
    expect(one.spentElsewhere('clients', 'address:10.0.0.1')).toBe(0);
    one.spent('clients', 'address:10.0.0.1', 7, now + 60_000);
    one.flush();
    expect(two.spentElsewhere('clients', 'address:10.0.0.1')).toBe(7);
    // Other keys and other budgets are apart.
    expect(two.spentElsewhere('clients', 'address:10.0.0.2')).toBe(0);
    expect(two.spentElsewhere('admin-failures', 'address:10.0.0.1')).toBe(0);
  });

  it('sums over the other workers, and drops a count once its window has ended', () => {
    const { start } = cluster(clock);
    const one = start(1);
    const two = start(2);
    const three = start(3);
    one.spent('clients', 'k', 4, now + 10_000);
    two.spent('clients', 'k', 6, now + 30_000);
    one.flush();
    two.flush();
    expect(three.spentElsewhere('clients', 'k')).toBe(10);
    expect(one.spentElsewhere('clients', 'k')).toBe(6);
    now += 10_000;
    expect(three.spentElsewhere('clients', 'k')).toBe(6);
    now += 20_000;
    expect(three.spentElsewhere('clients', 'k')).toBe(0);
  });

  it('reports at most once per sync interval, with the latest count of each key', () => {
    jest.useFakeTimers();
    try {
      const { start, sent } = cluster(clock);
      const one = start(1);
      start(2);
      for (let count = 1; count <= 50; count++) one.spent('clients', 'k', count, now + 60_000);
      one.spent('admin-failures', 'a', 1, now + 900_000);
      expect(sent).toHaveLength(0);
      jest.advanceTimersByTime(100);
      expect(sent).toHaveLength(1);
      expect(sent[0].spends).toEqual([
        ['clients', 'k', 50, now + 60_000],
        ['admin-failures', 'a', 1, now + 900_000],
      ]);
      jest.advanceTimersByTime(1_000);
      expect(sent).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a worker that starts later learns the standing counts, a dead worker’s included, until their windows end', () => {
    const { start, stop, welcome, relay } = cluster(clock);
    const one = start(1);
    start(2).spent('clients', 'k', 3, now + 20_000);
    one.spent('clients', 'k', 9, now + 60_000);
    one.spent('clients', 'gone-soon', 2, now + 1_000);
    one.flush();
    stop(1);
    now += 2_000;
    const three = start(3);
    expect(three.spentElsewhere('clients', 'k')).toBe(0);
    welcome(3);
    // Worker 2's count was never reported; worker 1's stands though it is gone.
    expect(three.spentElsewhere('clients', 'k')).toBe(9);
    expect(three.spentElsewhere('clients', 'gone-soon')).toBe(0);
    now += 60_000;
    three.spent('clients', 'other', 1, now + 60_000);
    three.flush();
    // Ended windows are forgotten by the relay too.
    expect(relay.size).toBe(1);
  });

  it('the relay names the sender by its worker id, whatever the message says', () => {
    const two = new WorkerBudgets(2, () => undefined, clock);
    const workerTwo = {
      id: 2,
      send: (message: unknown, _handle: unknown, _options: unknown, callback: (error: Error | null) => void) => {
        two.receive(message);
        callback(null);
      },
    } as unknown as Worker;
    const relay = new BudgetRelay(() => [workerTwo], clock);
    // From worker 1's process, claiming to be worker 2 (whose own counts worker 2 ignores).
    relay.onMessage({ id: 1 } as Worker, { type: 'recipes:budget-spent', from: 2, spends: [['clients', 'k', 4, now + 60_000]] });
    expect(two.spentElsewhere('clients', 'k')).toBe(4);
  });
});
