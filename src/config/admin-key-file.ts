import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** What the service generates (24 random bytes, base64url): a file holding one is a key it wrote. */
const GENERATED_KEY = /^[A-Za-z0-9_-]{32,}$/;

/**
 * Where a generated admin key is kept for the operator: beside the database, readable by this
 * user only. Logs go wherever the platform ships them, so the key itself is never logged.
 *
 * A key an earlier run left there is used again rather than replaced: a restart keeps the key
 * scripts read from the file, and two services on databases in one folder share the file instead
 * of each overwriting the other's key (the first then refused the key the file held, and its own
 * could be read nowhere). Returns the key in force and the file.
 */
export function keepGeneratedAdminKey(key: string, databasePath: string): { key: string; file: string } {
  const folder = databasePath === ':memory:' ? tmpdir() : dirname(resolve(databasePath));
  const file = join(folder, 'admin-api-key');
  const earlier = readKey(file);
  if (earlier !== null) {
    chmodSync(file, 0o600);
    return { key: earlier, file };
  }
  // Before the database opens, on a first start its folder (data/) may not exist yet.
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; a file left by something else is narrowed too.
  chmodSync(file, 0o600);
  return { key, file };
}

function readKey(file: string): string | null {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return GENERATED_KEY.test(text) ? text : null;
  } catch {
    return null;
  }
}
