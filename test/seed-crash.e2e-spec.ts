import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, onPostgres } from './support/postgres/databases';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');

/** The admin CLI as an operator runs it: a separate process on a real database file (or PostgreSQL database). */
describe('seed killed midway (SIGKILL) and run again', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'ensure-build.js')], { cwd: root, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'recipes-crash-'));
    // On PostgreSQL the commands get a fresh database of the test server, as an operator's would.
    const database = onPostgres() ? { DATABASE_URL: await createPostgresDatabase() } : { DATABASE_PATH: join(dir, 'crash.sqlite') };
    env = { ...process.env, ...database, VECTOR_STORE: 'embedded' };
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends with every recipe once and zero index drift', async () => {
    const child = spawn(process.execPath, [cli, 'seed'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // The first committed batch of the second source: the catalog is part-way through.
        if (/import yunyoujun-cook: \d+\/\d+/.test(stderr)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`seed ended first (${code}): ${stderr}`))));
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(child.signalCode).toBe('SIGKILL');

    const again = spawnSync(process.execPath, [cli, 'seed', '--json'], { cwd: root, env, encoding: 'utf8' });
    expect(again.status).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.totals.created).toBeGreaterThan(0);
    expect(summary.totals.unchanged).toBeGreaterThan(0);
    expect(summary.totals.created + summary.totals.unchanged + summary.totals.updated).toBe(summary.totals.read);

    const verify = spawnSync(process.execPath, [cli, 'verify-index', '--json'], { cwd: root, env, encoding: 'utf8' });
    expect(verify.status).toBe(0);
    const report = JSON.parse(verify.stdout);
    expect(report.catalog).toBe(summary.totals.read);
    expect(report).toMatchObject({ indexed: summary.totals.read, drift: 0, pendingOutbox: 0 });
  }, 180_000);
});
