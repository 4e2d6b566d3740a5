import type { Worker } from 'node:cluster';
import { relaySiblingNotice, WorkerSiblings } from './sibling-notices';

describe('sibling notices', () => {
  /** Three workers whose messages go through the primary's relay. */
  function threeWorkers() {
    const workers: Worker[] = [];
    const siblings: WorkerSiblings[] = [];
    for (let i = 0; i < 3; i++) {
      const worker = {
        id: i + 1,
        send: (message: unknown, _handle: unknown, _options: unknown, callback: (error: Error | null) => void) => {
          siblings[i].receive(message);
          callback(null);
        },
      } as unknown as Worker;
      workers.push(worker);
      siblings.push(new WorkerSiblings((message) => relaySiblingNotice(worker, message, workers)));
    }
    return siblings;
  }

  it('reaches every other worker, not the one that announced it, and only the listeners of that notice', () => {
    const [one, two, three] = threeWorkers();
    const heard: string[] = [];
    for (const [name, worker] of [
      ['one', one],
      ['two', two],
      ['three', three],
    ] as const) {
      worker.subscribe('index-changed', () => heard.push(`${name}: index`));
      worker.subscribe('catalog-written', () => heard.push(`${name}: catalog`));
    }
    one.announce('index-changed');
    expect(heard.sort()).toEqual(['three: index', 'two: index']);
    heard.length = 0;
    three.announce('catalog-written');
    expect(heard.sort()).toEqual(['one: catalog', 'two: catalog']);
  });

  it('stops calling a listener once unsubscribed, and ignores other messages', () => {
    const [one, two] = threeWorkers();
    let calls = 0;
    const unsubscribe = two.subscribe('index-changed', () => calls++);
    one.announce('index-changed');
    unsubscribe();
    one.announce('index-changed');
    two.receive({ type: 'recipes:budget-spent', from: 1, spends: [] });
    two.receive(null);
    expect(calls).toBe(1);
  });
});
