import { ConcurrencyLimit, EventLoopBudget, forEachInSlices, nextSlice, runInSlices } from './event-loop';

describe('ConcurrencyLimit', () => {
  it('runs at most `limit` tasks at once, the others in the order they came, and frees a slot when a task fails', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (i === 1) throw new Error('task 1 fails');
      return i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => limit.run(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});

describe('forEachInSlices / EventLoopBudget', () => {
  it('lets a timer due meanwhile run between slices, and still visits every item in order', async () => {
    const seen: number[] = [];
    let timerRanAt = -1;
    setTimeout(() => (timerRanAt = seen.length), 0);
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    await forEachInSlices(
      Array.from({ length: 10 }, (_, i) => i),
      2,
      (item) => {
        busy(1);
        seen.push(item);
      },
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(timerRanAt).toBeGreaterThan(0);
    expect(timerRanAt).toBeLessThan(10);
  });

  it('yields once the budget is spent, not before', async () => {
    let ticks = 0;
    const interval = setInterval(() => ticks++, 0);
    const budget = new EventLoopBudget(1_000);
    for (let i = 0; i < 100; i++) await budget.yieldIfSpent();
    const before = ticks;
    clearInterval(interval);
    // Awaiting a resolved promise never lets a timer in: an unspent budget costs nothing.
    expect(before).toBe(0);
  });
});

describe('nextSlice', () => {
  it('resumes one waiting computation per event-loop turn, in the order they asked, whoever they belong to', async () => {
    const order: string[] = [];
    const computation = async (name: string, slices: number) => {
      for (let i = 0; i < slices; i++) {
        await nextSlice();
        order.push(`${name}${i}`);
      }
    };
    // An immediate that re-queues itself marks the turns: it runs once per turn of the loop.
    let running = true;
    const tick = () => {
      order.push('tick');
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await Promise.all([computation('a', 3), computation('b', 3), computation('c', 3)]);
    running = false;
    const slices = order.filter((entry) => !entry.startsWith('tick'));
    expect(slices).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    // Never two slices back to back without the loop turning (a timer or I/O could run between).
    for (let i = 1; i < order.length; i++) {
      if (!order[i].startsWith('tick') && !order[i - 1].startsWith('tick')) {
        expect(`${order[i - 1]} then ${order[i]}`).toBe('separated by a turn');
      }
    }
  });
});

describe('runInSlices', () => {
  it("stops at the next pause once its signal is aborted, with the signal's reason", async () => {
    let steps = 0;
    function* endless(): Generator<void, never, void> {
      for (;;) {
        steps++;
        yield;
      }
    }
    const stop = new AbortController();
    const running = runInSlices(endless(), 0, stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(steps).toBeGreaterThan(0);
    stop.abort(new Error('Stopped by the test'));
    await expect(running).rejects.toThrow('Stopped by the test');
    const after = steps;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(steps).toBe(after);
  });
});
