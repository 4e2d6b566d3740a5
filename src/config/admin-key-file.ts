import { chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Where a generated admin key is kept for the operator: beside the database, readable by this
 * user only. Logs go wherever the platform ships them, so the key itself is never logged.
 */
export function keepGeneratedAdminKey(key: string, databasePath: string): string {
  const folder = databasePath === ':memory:' ? tmpdir() : dirname(resolve(databasePath));
  const file = join(folder, 'admin-api-key');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; a key file left by an earlier run is narrowed too.
  chmodSync(file, 0o600);
  return file;
}
