import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { priorCommunity } from './prior-community';

function exec(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (opened) => {
      if (opened) return reject(opened);
      db.exec(sql, (error) => db.close(() => (error ? reject(error) : resolve())));
    });
  });
}

describe('priorCommunity', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prior-community-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the interactions and users a database already holds', async () => {
    const file = join(dir, 'db.sqlite');
    await exec(
      file,
      `CREATE TABLE user_interactions (id TEXT, user_id TEXT, recipe_id TEXT);
       INSERT INTO user_interactions VALUES ('1', 'bench-user-1', 'a'), ('2', 'bench-user-1', 'b'), ('3', 'bench-user-2', 'a');`,
    );
    expect(await priorCommunity(file)).toEqual({ interactions: 3, users: 2 });
  });

  it('finds none in a database without the table', async () => {
    const file = join(dir, 'empty.sqlite');
    await exec(file, 'CREATE TABLE other (x INTEGER)');
    expect(await priorCommunity(file)).toEqual({ interactions: 0, users: 0 });
  });
});
