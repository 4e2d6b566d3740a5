import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Whether this test file runs on PostgreSQL (the `e2e-postgres` project) rather than SQLite. */
export function onPostgres(): boolean {
  return process.env.TEST_DATABASE === 'postgres';
}

/** A new, empty database on the test server (or on the server at `server`, its `postgres` database's URL); its URL. */
export async function createPostgresDatabase(server = process.env.TEST_POSTGRES_URL): Promise<string> {
  if (!server) throw new Error('TEST_POSTGRES_URL is not set: the e2e-postgres global setup did not run');
  const name = `recipes_${randomBytes(6).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url: server }).initialize();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}
