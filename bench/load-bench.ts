import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { freePort, waitForReady } from './http-bench';
import { Metric, SectionResult } from './report';
import { BenchSection } from './section';
import { summarize } from './timing';

const ADMIN_KEY = 'bench-key-123456';
/** The documented maxima: 1,000 recipes a bulk, 100 liked and 100 disliked a session. */
const BULK_RECIPES = 1_000;
const BULK_INGREDIENTS = 250;
const MAX_EXAMPLES = 100;
const RECOMMEND_CLIENTS = 16;
const WRITERS = 20;
const READERS = 10;
const WINDOW_SECONDS = 8;
/** 20 searches a second: light next to what it measures, and 160 samples in a window. */
const PROBE_INTERVAL_MS = 50;
export const SEARCH_UNDER_LOAD_P99_MAX_MS = 50;
export const WRITE_P50_MAX_MS = 200;

/** Short names (the body limit is 5 MB) that resolve to food concepts, so the recipes are real work. */
const INGREDIENTS = [
  'egg',
  'salt',
  'rice',
  'tofu',
  'beef',
  'pork',
  'leek',
  'corn',
  'milk',
  'lamb',
  'duck',
  'fish',
  '鸡蛋',
  '番茄',
  '土豆',
  '豆腐',
  '牛肉',
  '猪肉',
  '大蒜',
  '生姜',
  '青椒',
  '白菜',
  '香菜',
  '酱油',
];

interface Response {
  status: number;
  body: string;
}

/** `body`: a value to send as JSON, or bytes already encoded (large bodies: see the bulks below). */
function send(agent: Agent, port: number, method: string, path: string, body?: unknown, admin = false): Promise<Response> {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (admin) headers['x-api-key'] = ADMIN_KEY;
    const req = request({ host: '127.0.0.1', port, path, agent, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** What failed requests answered (status and code, or the client error), counted, for the report. */
const failures = new Map<string, number>();
function noteFailure(what: string, res: Response | null, error?: unknown): void {
  let code = '';
  try {
    code = res ? String((JSON.parse(res.body) as { code?: string }).code ?? '') : '';
  } catch {
    // not a JSON error body
  }
  const key = `${what}: ${res ? `${res.status} ${code}`.trim() : error instanceof Error ? error.message : String(error)}`;
  failures.set(key, (failures.get(key) ?? 0) + 1);
}

async function timed(run: () => Promise<Response>, what = 'request'): Promise<{ ms: number; ok: boolean }> {
  const t0 = process.hrtime.bigint();
  try {
    const res = await run();
    if (res.status >= 400) noteFailure(what, res);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, ok: res.status < 400 };
  } catch (error) {
    noteFailure(what, null, error);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, ok: false };
  }
}

/** Closed loops until `until()` says stop; every answer's latency goes to `sink`. */
async function loops(
  what: string,
  count: number,
  until: () => boolean,
  next: (loop: number, i: number) => Promise<Response>,
  sink: number[],
): Promise<number> {
  let errors = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, loop) => {
      for (let i = 0; !until(); i++) {
        const { ms, ok } = await timed(() => next(loop, i), what);
        sink.push(ms);
        if (!ok) errors++;
      }
    }),
  );
  return errors;
}

/**
 * One-word searches sent on a fixed schedule (every PROBE_INTERVAL_MS, whether or not the last
 * one answered), each timed from when it was due: a stall of the server shows up in every probe
 * that fell into it, not as one slow answer of a client that stopped asking meanwhile.
 */
async function probeSearches(agent: Agent, port: number, until: () => boolean, sink: number[]): Promise<number> {
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; !until(); i++) {
    const due = start + i * PROBE_INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      send(agent, port, 'GET', searchPath(i)).then(
        (res) => {
          sink.push(performance.now() - due);
          if (res.status >= 400) {
            errors++;
            noteFailure('search probe', res);
          }
        },
        (error: unknown) => {
          sink.push(performance.now() - due);
          errors++;
          noteFailure('search probe', null, error);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return errors;
}

function bulkBody(round: number): unknown {
  return {
    recipes: Array.from({ length: BULK_RECIPES }, (_, r) => ({
      name: `load ${r}`,
      source: 'load-bench',
      sourceId: `r${r}`,
      // A different rotation each round, so every round changes every recipe.
      ingredients: Array.from({ length: BULK_INGREDIENTS }, (_, k) => ({ name: INGREDIENTS[(r + k + round) % INGREDIENTS.length] })),
    })),
  };
}

const SEARCH_WORDS = ['chicken', '豆腐', 'curry', '牛肉', 'pasta', '鸡蛋'];
const searchPath = (i: number) => `/api/search?q=${encodeURIComponent(SEARCH_WORDS[i % SEARCH_WORDS.length])}&limit=10`;

/**
 * Whether one request can hold the service: the service runs in its own process over loopback
 * (seeded with the bundled catalog), one client searches one word at a time while the heaviest
 * valid requests run beside it, and writers run next to readers.
 */
export const loadSection: BenchSection = {
  id: 'load',
  title: 'Heavy requests next to light ones, service in its own process (loopback)',
  async run({ workDir }): Promise<SectionResult> {
    const port = await freePort();
    // LOAD_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service while it runs.
    const nodeArgs = (process.env.LOAD_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child: ChildProcess = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', 'src', 'main.js')], {
      env: {
        // Settings under test (READ_CONCURRENCY, INDEX_*, …) pass through; placement does not.
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(workDir, 'load.sqlite'),
        ADMIN_API_KEY: ADMIN_KEY,
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    try {
      await waitForReady(port, child, 120_000);
      for (let i = 0; i < 200; i++) await send(agent, port, 'GET', searchPath(i));

      // 1. 16 clients asking for recommendations with 100 liked and 100 disliked recipes each.
      const ids: string[] = [];
      for (let offset = 0; ids.length < 1_000; offset += 100) {
        const page = JSON.parse((await send(agent, port, 'GET', `/api/recipes?limit=100&offset=${offset}&source=howtocook`)).body) as {
          items: Array<{ id: string }>;
        };
        if (page.items.length === 0) break;
        ids.push(...page.items.map((r) => r.id));
      }
      const sessionBody = (loop: number, i: number) => {
        const start = ((loop * 37 + i * 11) * 7) % Math.max(1, ids.length - 2 * MAX_EXAMPLES);
        const slice = ids.slice(start, start + 2 * MAX_EXAMPLES);
        return { liked: slice.slice(0, MAX_EXAMPLES), disliked: slice.slice(MAX_EXAMPLES), limit: 20 };
      };
      const recSearch: number[] = [];
      const recMs: number[] = [];
      let deadline = Date.now() + WINDOW_SECONDS * 1000;
      const [recErrors, recSearchErrors] = await Promise.all([
        loops(
          'recommendation',
          RECOMMEND_CLIENTS,
          () => Date.now() > deadline,
          (loop, i) => send(agent, port, 'POST', '/api/recommendations', sessionBody(loop, i)),
          recMs,
        ),
        probeSearches(agent, port, () => Date.now() > deadline, recSearch),
      ]);

      // 2. Writers alone, then writers next to readers (catalog pages and searches).
      const interaction = (loop: number, i: number) => ({
        recipeId: ids[(loop * 53 + i) % ids.length],
        type: i % 3 === 0 ? 'dislike' : 'like',
      });
      const write = (loop: number, i: number) =>
        send(agent, port, 'POST', `/api/users/load-writer-${loop}/interactions`, interaction(loop, i));
      const read = (loop: number, i: number) =>
        send(agent, port, 'GET', loop % 2 === 0 ? `/api/recipes?limit=100&offset=${(i * 100) % 1_200}` : searchPath(i));
      const aloneMs: number[] = [];
      deadline = Date.now() + WINDOW_SECONDS * 1000;
      const aloneErrors = await loops('write alone', WRITERS, () => Date.now() > deadline, write, aloneMs);
      const writeMs: number[] = [];
      const readMs: number[] = [];
      deadline = Date.now() + WINDOW_SECONDS * 1000;
      const [writeErrors, readErrors] = await Promise.all([
        loops('write', WRITERS, () => Date.now() > deadline, write, writeMs),
        loops('read', READERS, () => Date.now() > deadline, read, readMs),
      ]);

      // 3. Maximum-size bulks (each round changes every recipe), one after another, searches beside them.
      // Last: a bulk this large makes the service retrain its model in the background afterwards.
      const bulkSearch: number[] = [];
      const bulkMs: number[] = [];
      let bulkErrors = 0;
      // Encoded before the probes start: stringifying 5 MB in this process held its event loop for
      // tens of milliseconds per bulk, and every probe due meanwhile counted that as the server's.
      const bodies = [0, 1].map((round) => Buffer.from(JSON.stringify(bulkBody(round))));
      let bulking = true;
      const searcher = probeSearches(agent, port, () => !bulking, bulkSearch);
      for (const body of bodies) {
        const { ms, ok } = await timed(() => send(agent, port, 'POST', '/api/recipes/bulk', body, true), 'bulk');
        bulkMs.push(ms);
        if (!ok) bulkErrors++;
      }
      bulking = false;
      const bulkSearchErrors = await searcher;

      const s = {
        bulk: summarize(bulkMs),
        bulkSearch: summarize(bulkSearch),
        rec: summarize(recMs),
        recSearch: summarize(recSearch),
        alone: summarize(aloneMs),
        write: summarize(writeMs),
        read: summarize(readMs),
      };
      const p99 = (value: number): Metric['target'] => ({ op: '<=', value });
      const metrics: Metric[] = [
        {
          key: 'bulk.p50_ms',
          label: `bulk of ${BULK_RECIPES} × ${BULK_INGREDIENTS} ingredients, p50 of ${bulkMs.length}`,
          value: s.bulk.p50,
          unit: 'ms',
          digits: 0,
        },
        {
          key: 'bulk_search.p99_ms',
          label: 'one-word search during the bulks, p99',
          value: s.bulkSearch.p99,
          unit: 'ms',
          digits: 1,
          target: p99(SEARCH_UNDER_LOAD_P99_MAX_MS),
        },
        { key: 'bulk_search.max_ms', label: 'one-word search during the bulks, max', value: s.bulkSearch.max, unit: 'ms', digits: 1 },
        {
          key: 'recommend.p50_ms',
          label: `session recommendations ${MAX_EXAMPLES}/${MAX_EXAMPLES}, ${RECOMMEND_CLIENTS} clients, p50`,
          value: s.rec.p50,
          unit: 'ms',
          digits: 1,
        },
        {
          key: 'recommend.requests_per_s',
          label: `session recommendations, ${RECOMMEND_CLIENTS} clients`,
          value: recMs.length / WINDOW_SECONDS,
          unit: 'req/s',
          digits: 0,
        },
        {
          key: 'recommend_search.p99_ms',
          label: 'one-word search beside them, p99',
          value: s.recSearch.p99,
          unit: 'ms',
          digits: 1,
          target: p99(SEARCH_UNDER_LOAD_P99_MAX_MS),
        },
        { key: 'write_alone.p50_ms', label: `interaction write, ${WRITERS} writers alone, p50`, value: s.alone.p50, unit: 'ms', digits: 1 },
        {
          key: 'write.p50_ms',
          label: `interaction write, ${WRITERS} writers next to ${READERS} readers, p50`,
          value: s.write.p50,
          unit: 'ms',
          digits: 1,
          target: { op: '<=', value: WRITE_P50_MAX_MS },
        },
        { key: 'write.p99_ms', label: `interaction write next to readers, p99`, value: s.write.p99, unit: 'ms', digits: 1 },
        {
          key: 'read.p50_ms',
          label: `read (100-recipe page or search), ${READERS} readers, p50`,
          value: s.read.p50,
          unit: 'ms',
          digits: 1,
        },
        {
          key: 'errors',
          label: 'failed requests',
          value: bulkErrors + bulkSearchErrors + recErrors + recSearchErrors + aloneErrors + writeErrors + readErrors,
          unit: 'requests',
          digits: 0,
        },
      ];
      return {
        id: this.id,
        title: this.title,
        metrics,
        details: { ...s, windows_s: WINDOW_SECONDS, failures: Object.fromEntries(failures) },
        notes: [
          `${bodies.length} bulks one after another; ${RECOMMEND_CLIENTS} recommendation clients, ${WRITERS} writers and ${READERS} readers for ${WINDOW_SECONDS} s each`,
          `searches beside the heavy requests are sent every ${PROBE_INTERVAL_MS} ms whatever the answers, and timed from when each was due`,
          'readers alternate a 100-recipe catalog page and a one-word search; client and server share the machine',
          ...[...failures].map(([what, count]) => `failed: ${what} × ${count}`),
        ],
      };
    } finally {
      agent.destroy();
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
  },
};
