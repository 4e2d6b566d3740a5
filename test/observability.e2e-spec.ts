import { Writable } from 'node:stream';
import { DataSource, QueryRunner } from 'typeorm';
import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { VectorCollectionMissingError, VectorStoreUnavailableError } from '../src/vector-store/vector-store.errors';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

/** Collects the JSON log lines the app writes. */
function logCapture() {
  // Log lines are free-form JSON; the assertions read nested fields without declaring every shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lines: Array<Record<string, any>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { destination, lines, raw };
}

/** The value of one sample in Prometheus text, e.g. `sample(text, 'x_total{a="b"}')`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const newRecipe = {
  name: 'Observability test soup',
  source: 'custom',
  sourceId: 'obs-1',
  ingredients: [{ name: 'tomato' }, { name: 'egg' }],
  steps: ['Cook.'],
};

describe('Request logs and Prometheus metrics', () => {
  let t: TestApp;
  const logs = logCapture();
  const metrics = async () => (await t.http().get('/metrics').expect(200)).text;

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'howtocook' }, env: { LOG_LEVEL: 'info' }, logDestination: logs.destination });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves Prometheus text at the root, without the admin key', async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^# HELP process_cpu_user_seconds_total/m);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('times requests by route template, never by raw URL, and groups unknown paths', async () => {
    const [first, second] = (await t.http().get('/api/recipes?limit=2').expect(200)).body.items;
    await t.http().get(`/api/recipes/${first.id}`).expect(200);
    await t.http().get(`/api/recipes/${second.id}`).expect(200);
    await t.http().get('/api/recipes/no-such-recipe').expect(404);
    await t.http().get('/api/search').query({ q: '番茄炒蛋' }).expect(200);
    await t.http().get('/api/no/such/route/1').expect(404);
    await t.http().get('/api/no/such/route/2').expect(404);

    const text = await metrics();
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/api/recipes/:id",status_class="2xx"}')).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/api/recipes/:id",status_class="4xx"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/api/search",status_class="2xx"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status_class="4xx"}')).toBe(2);
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/search",status_class="2xx"\} \d+$/m,
    );
    expect(text).not.toContain(first.id);
    expect(text).not.toContain('no/such');
  });

  it('reports the outbox depth and the index size on each scrape', async () => {
    const points = (await t.http().get('/api/health').expect(200)).body.vectorStore.points;
    let text = await metrics();
    expect(sample(text, 'recipes_index_outbox_pending')).toBe(0);
    expect(sample(text, 'recipes_index_outbox_oldest_age_seconds')).toBe(0);
    expect(sample(text, 'recipes_index_points')).toBe(points);

    // The test app runs no background worker: the write waits in the outbox until drained.
    await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(newRecipe).expect(201);
    text = await metrics();
    expect(sample(text, 'recipes_index_outbox_pending')).toBe(1);
    expect(sample(text, 'recipes_index_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);

    await t.app.get(OutboxWorker).drain();
    text = await metrics();
    expect(sample(text, 'recipes_index_outbox_pending')).toBe(0);
    expect(sample(text, 'recipes_index_points')).toBe(points + 1);
  });

  it('reports the memory budget: the live heap and the limits, and whether recipes are refused', async () => {
    const text = await metrics();
    const health = (await t.http().get('/api/health').expect(200)).body.memory;
    const MIB = 1024 * 1024;
    expect(sample(text, 'recipes_memory_heap_live_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'recipes_memory_heap_limit_bytes')! / MIB).toBeCloseTo(health.heapLimitMiB, 0);
    expect(sample(text, 'recipes_memory_limit_bytes')! / MIB).toBeCloseTo(health.limitMiB, 0);
    expect(sample(text, 'recipes_memory_high_water_exceeded')).toBe(0);
  });

  it('still answers when the database fails, reporting the outbox as unknown and counting the error', async () => {
    const query = failQueries(t.app.get(DataSource), () =>
      Promise.reject(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' })),
    );
    try {
      const text = await metrics();
      expect(sample(text, 'recipes_index_outbox_pending')).toBeNaN();
      expect(sample(text, 'recipes_index_points')).toBeGreaterThan(0);
    } finally {
      query.mockRestore();
    }
    // Series are rendered side by side, so a failure met while sampling shows from the next scrape.
    const text = await metrics();
    expect(sample(text, 'recipes_index_outbox_pending')).toBe(0);
    expect(sample(text, 'recipes_dependency_errors_total{dependency="database",source="scrape"}')).toBe(1);
  });

  it('does not wait on a database that hangs', async () => {
    const query = failQueries(t.app.get(DataSource), () => new Promise(() => undefined));
    try {
      expect(sample(await metrics(), 'recipes_index_outbox_pending')).toBeNaN();
    } finally {
      query.mockRestore();
    }
  });

  it('counts vector-store failures behind requests', async () => {
    const store = t.app.get(ActiveIndexRegistry).active().store;
    const hybrid = jest.spyOn(store, 'hybrid').mockRejectedValueOnce(new VectorStoreUnavailableError('connection refused'));
    try {
      await t.http().get('/api/search').query({ q: 'beef' }).expect(503);
    } finally {
      hybrid.mockRestore();
    }
    const text = await metrics();
    expect(sample(text, 'recipes_dependency_errors_total{dependency="vector_store",source="request"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/api/search",status_class="5xx"}')).toBe(1);
  });

  it('counts retrains and keeps the last one’s duration', async () => {
    const models = (await t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY).expect(200)).body;
    const outcome = models.previous === models.current ? 'unchanged' : 'swapped';
    const text = await metrics();
    expect(sample(text, `recipes_model_retrains_total{outcome="${outcome}"}`)).toBe(1);
    expect(sample(text, 'recipes_model_retrain_last_duration_seconds')).toBeGreaterThan(0);
  });

  it('writes one JSON line per request carrying its x-request-id, route, status and duration', async () => {
    await t.http().get('/api/search').query({ q: 'tofu' }).set('x-request-id', 'trace-me-42').expect(200);
    const line = logs.lines.find((l) => l.req?.id === 'trace-me-42');
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      route: '/api/search',
      req: { id: 'trace-me-42', method: 'GET', url: '/api/search?q=tofu' },
      res: { statusCode: 200 },
    });
    expect(typeof line!.responseTime).toBe('number');
    expect(logs.lines.filter((l) => l.req?.id === 'trace-me-42')).toHaveLength(1);
  });

  it('logs the id it generated when the client sent none, the same one the response carries', async () => {
    const res = await t.http().get('/api/recipes/missing-one').expect(404);
    const id = res.headers['x-request-id'];
    expect(res.body.requestId).toBe(id);
    expect(logs.lines.find((l) => l.req?.url === '/api/recipes/missing-one')).toMatchObject({ req: { id }, res: { statusCode: 404 } });
  });

  it("routes the application's own log calls through the JSON log, tagged with the request they served", async () => {
    t.app.useLogger(t.app.get(PinoNestLogger)); // as main.ts does
    const store = t.app.get(ActiveIndexRegistry).active().store;
    const hybrid = jest.spyOn(store, 'hybrid').mockRejectedValueOnce(new VectorCollectionMissingError('collection recipes_x is gone'));
    try {
      await t.http().get('/api/search').query({ q: 'beef' }).set('x-request-id', 'app-log-7').expect(503);
    } finally {
      hybrid.mockRestore();
    }
    expect(logs.lines.find((l) => l.msg === 'collection recipes_x is gone')).toMatchObject({
      level: 50,
      context: 'Errors',
      req: { id: 'app-log-7' },
    });
  });

  it('never writes the admin key or a request body to the log', async () => {
    const body = { ...newRecipe, sourceId: 'obs-2', name: 'A body that must stay out of logs' };
    await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).set('x-request-id', 'with-key').send(body).expect(201);
    await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).set('content-type', 'application/json').send('{"broken').expect(400);
    expect(logs.lines.find((l) => l.req?.id === 'with-key')?.req.headers['x-api-key']).toBe('[redacted]');
    const everything = logs.raw.join('\n');
    expect(everything).not.toContain(ADMIN_KEY);
    expect(everything).not.toContain('must stay out of logs');
    expect(everything).not.toContain('broken');
    // Bodies are read after routing, so a request whose body is refused is logged under its route.
    expect(logs.lines.find((l) => l.res?.statusCode === 400 && l.req.method === 'POST')).toMatchObject({ route: '/api/recipes' });
  });

  it('logs a refusal as a warning with its error code, an unexpected failure as an error, and the code of a 4xx', async () => {
    t.app.useLogger(t.app.get(PinoNestLogger)); // as main.ts does
    const store = t.app.get(ActiveIndexRegistry).active().store;
    const hybrid = jest
      .spyOn(store, 'hybrid')
      .mockRejectedValueOnce(new VectorStoreUnavailableError('connection refused'))
      .mockRejectedValueOnce(new Error('an unexpected failure'));
    try {
      await t.http().get('/api/search').query({ q: 'lamb' }).set('x-request-id', 'refused-1').expect(503);
      await t.http().get('/api/search').query({ q: 'lamb' }).set('x-request-id', 'broken-1').expect(500);
    } finally {
      hybrid.mockRestore();
    }
    // The request's own line (the application's lines while serving it carry its id too).
    const requestLine = (id: string) => logs.lines.find((l) => l.req?.id === id && l.res !== undefined);
    const refused = requestLine('refused-1');
    expect(refused).toMatchObject({ level: 40, code: 'VECTOR_STORE_UNAVAILABLE', route: '/api/search', res: { statusCode: 503 } });
    // Not pino-http's made-up "failed with status code 503" error.
    expect(refused).not.toHaveProperty('err');
    expect(requestLine('broken-1')).toMatchObject({ level: 50, code: 'INTERNAL_ERROR', res: { statusCode: 500 } });
    expect(logs.lines.find((l) => l.msg?.includes?.('an unexpected failure'))).toMatchObject({ level: 50, req: { id: 'broken-1' } });

    await t.http().get('/api/recipes/missing-two').set('x-request-id', 'missing-2').expect(404);
    expect(requestLine('missing-2')).toMatchObject({
      level: 30,
      code: 'RECIPE_NOT_FOUND',
      res: { statusCode: 404 },
    });
    await t.http().get('/api/search').set('x-request-id', 'fine-1').query({ q: 'lamb' }).expect(200);
    expect(requestLine('fine-1')).not.toHaveProperty('code');
  });
});

describe('Metrics endpoint settings', () => {
  it('asks for the bearer token when METRICS_TOKEN is set, and never for the admin key', async () => {
    const t = await createTestApp({ env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
    try {
      const denied = await t.http().get('/metrics').set('x-api-key', ADMIN_KEY).expect(401);
      expect(denied.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED', requestId: denied.headers['x-request-id'] });
      await t.http().get('/metrics').set('authorization', 'Bearer wrong-token-0123456789').expect(401);
      await t.http().get('/metrics').set('authorization', 'Bearer scrape-token-0123456789').expect(200);
    } finally {
      await t.close();
    }
  });

  it('is absent with METRICS_ENABLED=false', async () => {
    const t = await createTestApp({ env: { METRICS_ENABLED: 'false' } });
    try {
      await t.http().get('/metrics').expect(404);
      await t.http().get('/api/health/live').expect(200);
    } finally {
      await t.close();
    }
  });
});

/**
 * Every statement run outside a transaction answers `answer()`: repositories run their SQL on
 * a query runner taken from the data source (see src/database/sql.ts).
 */
function failQueries(dataSource: DataSource, answer: () => Promise<unknown>) {
  const runner = { query: answer, release: () => Promise.resolve() } as unknown as QueryRunner;
  return jest.spyOn(dataSource, 'createQueryRunner').mockReturnValue(runner);
}
