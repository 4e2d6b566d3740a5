import { ChildProcessByStdio, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, Writable } from 'node:stream';
import { freePort } from '../free-port';

/** A PostgreSQL server of a test's own, which it can stop and start again on the same files and port. */
export interface StoppablePostgres {
  /** Its `postgres` database's URL (for createPostgresDatabase). */
  url: string;
  /** A fast shutdown (as `pg_ctl stop -m fast`): open sessions end, new connections are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  remove(): Promise<void>;
}

/** Starts one (see stoppable-server.mjs, which runs it). */
export async function startStoppablePostgres(): Promise<StoppablePostgres> {
  const port = await freePort();
  const dir = join(tmpdir(), `recipes-pg-${randomBytes(6).toString('hex')}`);
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn(
    process.execPath,
    [join(__dirname, 'stoppable-server.mjs'), String(port), dir],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`The test PostgreSQL exited (${code})`))));
  exited.catch(() => undefined);
  const expectLine = async (expected: string) => {
    const next = await Promise.race([lines.next(), exited]);
    if (next.done || next.value !== expected) throw new Error(`The test PostgreSQL answered ${next.value ?? 'nothing'}, not ${expected}`);
  };
  const command = async (line: 'stop' | 'start') => {
    child.stdin.write(`${line}\n`);
    await expectLine(line);
  };
  await expectLine('ready');
  return {
    url: `postgres://recipes:recipes-test@127.0.0.1:${port}/postgres`,
    stop: () => command('stop'),
    start: () => command('start'),
    remove: async () => {
      child.stdin.end();
      await exited.catch(() => undefined);
    },
  };
}
