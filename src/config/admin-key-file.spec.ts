import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepGeneratedAdminKey } from './admin-key-file';

describe('keepGeneratedAdminKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admin-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const generated = (c: string) => c.repeat(32);

  it('writes the key beside the database, readable by its owner only, over a file that holds no key', () => {
    writeFileSync(join(dir, 'admin-api-key'), 'old\n', { mode: 0o644 });
    const kept = keepGeneratedAdminKey(generated('a'), join(dir, 'recipes.sqlite'));
    expect(kept).toEqual({ key: generated('a'), file: join(dir, 'admin-api-key') });
    expect(readFileSync(kept.file, 'utf8')).toBe(`${generated('a')}\n`);
    expect(statSync(kept.file).mode & 0o777).toBe(0o600);
  });

  it('creates the folder the database will be in, as on a first start', () => {
    const kept = keepGeneratedAdminKey(generated('a'), join(dir, 'data', 'recipes.sqlite'));
    expect(kept.file).toBe(join(dir, 'data', 'admin-api-key'));
    expect(readFileSync(kept.file, 'utf8')).toBe(`${generated('a')}\n`);
  });

  it('keeps the key an earlier run left, so a restart or a second database in the folder uses the same one', () => {
    const first = keepGeneratedAdminKey(generated('a'), join(dir, 'recipes.sqlite'));
    const restarted = keepGeneratedAdminKey(generated('b'), join(dir, 'recipes.sqlite'));
    const beside = keepGeneratedAdminKey(generated('c'), join(dir, 'other.sqlite'));
    expect(restarted.key).toBe(first.key);
    expect(beside.key).toBe(first.key);
    expect(readFileSync(first.file, 'utf8')).toBe(`${generated('a')}\n`);
  });
});
