import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepGeneratedAdminKey } from './admin-key-file';

describe('keepGeneratedAdminKey', () => {
  it('writes the key beside the database, readable by its owner only, even over an older file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'admin-key-'));
    try {
      writeFileSync(join(dir, 'admin-api-key'), 'old\n', { mode: 0o644 });
      const file = keepGeneratedAdminKey('s3cret-key-value', join(dir, 'recipes.sqlite'));
      expect(file).toBe(join(dir, 'admin-api-key'));
      expect(readFileSync(file, 'utf8')).toBe('s3cret-key-value\n');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
