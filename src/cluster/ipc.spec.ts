import cluster from 'node:cluster';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendTo } from './ipc';

describe('sendTo', () => {
  it('a worker that has exited: the failure is reported, and nothing is thrown or left to end the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recipes-ipc-'));
    try {
      const script = join(dir, 'exit.js');
      writeFileSync(script, 'process.exit(0);\n');
      cluster.setupPrimary({ exec: script, silent: true });
      const worker = cluster.fork();
      await new Promise((resolve) => worker.once('exit', resolve));
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const failed = await new Promise<boolean>((resolve) => {
          sendTo(worker, { type: 'hello' }, () => resolve(true));
          setTimeout(() => resolve(false), 1_000);
        });
        // Node reports the closed channel on a later tick; give it one.
        await new Promise((resolve) => setImmediate(resolve));
        expect(failed).toBe(true);
        expect(uncaught).toEqual([]);
      } finally {
        process.removeListener('uncaughtException', onUncaught);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
