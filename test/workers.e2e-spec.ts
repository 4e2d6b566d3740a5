import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, onPostgres } from './support/postgres/databases';
import { ServiceProcess } from './support/service-process';
import { until } from './support/eventually';
import { ADMIN_KEY } from './support/test-app';

jest.setTimeout(240_000);

const root = join(__dirname, '..');
/** The scale issue's figure for a new recipe, here through whichever worker answers. */
const FOUND_WITHIN_MS = 2_000;
const WORKERS = 2;

/** One request on a new connection (or on `agent`'s); the status, headers, parsed body and text. */
const send = (
  port: number,
  method: string,
  path: string,
  body?: unknown,
  options: { headers?: Record<string, string>; agent?: Agent } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; headers: IncomingHttpHeaders; body: any; text: string }> =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: options.agent ?? false,
        headers: {
          ...(options.agent ? {} : { connection: 'close' }),
          ...(payload ? { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

let scrapes = 0;

/**
 * `metric`'s value per worker label, from one scrape. Each scrape names a client of its own
 * (`x-client`, where a spec sets that header as the client's): /metrics counts against the rate
 * limit like every route, and the specs poll it faster than a small budget allows.
 */
async function metricPerWorker(port: number, metric: string, labels = ''): Promise<Map<string, number>> {
  const { text } = await send(port, 'GET', '/metrics', undefined, { headers: { 'x-client': `scraper-${++scrapes}` } });
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) || !line.includes(labels)) continue;
    const worker = /worker="(\d+)"/.exec(line)?.[1];
    if (worker) found.set(worker, (found.get(worker) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return found;
}

const children = (pid: number): number[] => {
  const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return listed ? listed.split(' ').map(Number) : [];
};

/**
 * `WORKERS=2`: the built service as `npm start` runs it, a primary process and two workers
 * answering on one port over one database, seen only over HTTP. Every request here opens
 * its own connection, as Node's cluster module hands connections (not requests) to the
 * workers in turn. On SQLite, and in the e2e-postgres project on a PostgreSQL database.
 */
describe('Two workers on one port (WORKERS=2)', () => {
  let dir: string;
  let pool: ServiceProcess;

  const fresh = (method: string, path: string, body?: unknown) => send(pool.port, method, path, body);
  const perWorker = (metric: string, labels = '') => metricPerWorker(pool.port, metric, labels);
  const serving = async () => (await perWorker('recipes_index_points')).size;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'ensure-build.js')], { cwd: root, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'recipes-workers-'));
    pool = await ServiceProcess.start(
      'pool',
      {
        WORKERS: String(WORKERS),
        DATABASE_PATH: join(dir, 'recipes.sqlite'),
        ...(onPostgres() ? { DATABASE_URL: await createPostgresDatabase() } : {}),
        // The real start: the first worker seeds the bundled catalog alone, then the second starts.
        SEED_ON_EMPTY: 'true',
        LOG_LEVEL: 'info',
        RATE_LIMIT_PER_MINUTE: '0',
        // Polls a minute apart: a write reaches the other worker through the notices alone.
        INDEX_FOLLOW_MS: '60000',
        INDEX_POLL_MS: '60000',
      },
      180_000,
    );
    const both = await until(serving, (n) => n === WORKERS, 120_000);
    if (both.value !== WORKERS) throw new Error(`the second worker did not start:\n${pool.recentLog()}`);
  }, 300_000);

  afterAll(async () => {
    await pool?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${pool.recentLog()}\n`);
  });

  it('one worker seeds, both serve: connections go to each in turn, and /metrics holds each one’s series', async () => {
    expect(pool.count(/Empty catalog: seeding/)).toBe(1);
    expect(children(pool.pid)).toHaveLength(WORKERS);
    const before = await perWorker('http_request_duration_seconds_count', 'route="/api/search"');
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await fresh('GET', '/api/search?q=chicken&limit=5'));
    expect(answers.every((answer) => answer.status === 200 && answer.body.items.length > 0)).toBe(true);

    const after = await perWorker('http_request_duration_seconds_count', 'route="/api/search"');
    const served = ['1', '2'].map((worker) => (after.get(worker) ?? 0) - (before.get(worker) ?? 0));
    // Every search counted once, by the worker that answered it; both answered some.
    expect(served[0] + served[1]).toBe(20);
    expect(Math.min(...served)).toBeGreaterThan(0);
    // Each worker holds the whole index.
    const points = await perWorker('recipes_index_points');
    expect(points.get('1')).toBeGreaterThan(1000);
    expect(points.get('2')).toBe(points.get('1'));
    // The primary's own memory is in the scrape too, so the sum over `worker` is the service's.
    const { text } = await fresh('GET', '/metrics');
    const primaryMemory = /^process_resident_memory_bytes\{worker="primary"\} (\d+)/m.exec(text);
    expect(Number(primaryMemory?.[1])).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('a recipe created through one worker is found within 2 s through either, told at once rather than at a poll', async () => {
    const created = await fresh('POST', '/api/recipes', {
      name: 'Quorvish worker dal',
      source: 'workers-test',
      sourceId: 'quorvish-worker-dal',
      language: 'en',
      ingredients: [{ name: 'red lentils' }, { name: 'turmeric' }, { name: 'ghee' }, { name: 'cumin seeds' }],
      steps: ['Simmer the lentils with turmeric', 'Temper cumin in ghee and pour over'],
    });
    expect(created.status).toBe(201);
    // Four rounds in a row of a search that finds it and two similar-dish requests that answer
    // (its vectors are indexed), each on a new connection: three requests a round, so over two
    // rounds each kind meets both workers, which must have it in the catalog and the index.
    let streak = 0;
    const found = await until(
      async () => {
        const answer = await fresh('GET', `/api/search?limit=10&q=${encodeURIComponent('Quorvish worker dal')}`);
        const similar = [
          await fresh('GET', `/api/recipes/${created.body.id}/similar?limit=3`),
          await fresh('GET', `/api/recipes/${created.body.id}/similar?limit=3`),
        ];
        const hit =
          answer.status === 200 &&
          answer.body.items.some((item: { recipe: { id: string } }) => item.recipe.id === created.body.id) &&
          similar.every((one) => one.status === 200 && one.body.items.length > 0);
        streak = hit ? streak + 1 : 0;
        return streak;
      },
      (n) => n >= 4,
      FOUND_WITHIN_MS + 2_000,
    );
    expect(found.value).toBe(4);
    expect(found.ms).toBeLessThan(FOUND_WITHIN_MS + 2_000);
    process.stdout.write(`workers: found through both ${found.ms} ms after the write returned\n`);
  });

  it('a worker killed with SIGKILL is replaced, and the other answers meanwhile', async () => {
    const [victim, survivor] = children(pool.pid);
    process.kill(victim, 'SIGKILL');
    // Gone once the primary has seen it die (and reaped it): from then on it hands no connection to it.
    await until(
      () => existsSync(`/proc/${victim}`),
      (alive) => !alive,
      5_000,
    );
    const meanwhile = [];
    for (let i = 0; i < 10; i++) meanwhile.push((await fresh('GET', '/api/search?q=tofu&limit=3')).status);
    expect(meanwhile).toEqual(Array(10).fill(200));

    const replaced = await until(
      async () => (await serving()) === WORKERS && children(pool.pid).length === WORKERS,
      (done) => done,
      120_000,
    );
    expect(replaced.value).toBe(true);
    expect(children(pool.pid)).toContain(survivor);
    expect(children(pool.pid)).not.toContain(victim);
    expect(pool.logged(/A worker died; starting another in its place/)).toBe(true);
  });

  it('SIGTERM stops every worker, and the primary exits 0', async () => {
    const workers = children(pool.pid);
    await pool.stop(30_000);
    expect(pool.ended).toBe(0);
    for (const pid of workers) expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(pool.logged(/Workers stopped/)).toBe(true);
  });

  it('a worker that cannot start ends the primary with exit code 1', async () => {
    // The database's folder is a file: the first worker cannot open it.
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    await expect(
      ServiceProcess.start(
        'broken',
        { WORKERS: String(WORKERS), DATABASE_PATH: join(blocker, 'recipes.sqlite'), SEED_ON_EMPTY: 'false' },
        60_000,
      ),
    ).rejects.toThrow(/exited at start \(1\)[\s\S]*A worker died before it could serve/);
  });
});

/**
 * The rate limit with two workers: each counts what it serves and adds what the other reported
 * (at most every 100 ms), so a client gets its budget however the cluster module spread its
 * connections. A budget of 12 a minute per `x-client`, on an empty catalog (no seeding).
 */
describe('Rate limits shared by two workers', () => {
  const BUDGET = 12;
  let dir: string;
  let pool: ServiceProcess;
  const live = (client: string, agent?: Agent) =>
    send(pool.port, 'GET', '/api/health/live', undefined, { headers: { 'x-client': client }, agent });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recipes-workers-limits-'));
    pool = await ServiceProcess.start(
      'limited pool',
      {
        WORKERS: String(WORKERS),
        DATABASE_PATH: join(dir, 'recipes.sqlite'),
        ...(onPostgres() ? { DATABASE_URL: await createPostgresDatabase() } : {}),
        SEED_ON_EMPTY: 'false',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: String(BUDGET),
        RATE_LIMIT_CLIENT_HEADER: 'x-client',
      },
      120_000,
    );
    const both = await until(
      async () => (await metricPerWorker(pool.port, 'recipes_index_points')).size,
      (n) => n === WORKERS,
      120_000,
    );
    if (both.value !== WORKERS) throw new Error(`the second worker did not start:\n${pool.recentLog()}`);
  }, 300_000);

  afterAll(async () => {
    await pool?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('one kept-alive connection (so one worker) gets the whole budget, not a worker’s share', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const statuses = [];
      for (let i = 0; i < BUDGET + 2; i++) statuses.push((await live('one-connection', agent)).status);
      expect(statuses).toEqual([...Array<number>(BUDGET).fill(200), 429, 429]);
    } finally {
      agent.destroy();
    }
  });

  it('a client spreading its requests over both workers is held to the one budget', async () => {
    const statuses = [];
    let refused;
    for (let i = 0; i < BUDGET + 2; i++) {
      const answer = await live('spread');
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
      // Past the workers' 100-ms reports, so each has seen the other's count.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(statuses).toEqual([...Array<number>(BUDGET).fill(200), 429, 429]);
    expect(refused?.body.code).toBe('RATE_LIMITED');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // Another client's budget is its own.
    expect((await live('another')).status).toBe(200);
  });
});
