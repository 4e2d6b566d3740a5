import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPostgres } from './support/postgres/databases';
import { ServiceProcess } from './support/service-process';

/**
 * `npm start` on a fresh clone: no data folder yet and no ADMIN_API_KEY. The built service
 * starts, keeps a generated key in data/admin-api-key for the operator, and keeps the same key
 * when it starts again. The key's file lies beside the SQLite database, so on SQLite only.
 */
(onPostgres() ? describe.skip : describe)('A first start with no data folder and no admin key', () => {
  let dir: string;
  let service: ServiceProcess | null = null;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'first-start-'));
  });
  afterAll(async () => {
    await service?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ DATABASE_PATH: join(dir, 'data', 'recipes.sqlite'), ADMIN_API_KEY: '', SEED_ON_EMPTY: 'false', LOG_LEVEL: 'warn' });
  const adminStatus = async (key: string) =>
    (await fetch(`http://127.0.0.1:${service!.port}/api/admin/index`, { headers: { 'x-api-key': key } })).status;

  it('starts, writes the generated key for its owner only, and keeps it across a restart', async () => {
    service = await ServiceProcess.start('first', env());
    const file = join(dir, 'data', 'admin-api-key');
    const key = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await adminStatus(key)).toBe(200);
    expect(service.logged(new RegExp(key))).toBe(false);
    await service.stop();

    service = await ServiceProcess.start('again', env());
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    expect(await adminStatus(key)).toBe(200);
  }, 120_000);
});
