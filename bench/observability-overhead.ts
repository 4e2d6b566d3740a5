import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectRoot } from '../src/config/project-root';
import { freePort } from './http-bench';
import { runLoad } from './http-load';
import { BENCH_QUERIES } from './queries';
import { measureMiddlewareCost, measureScrapeCost } from './observability-cost';
import { machineFacts } from './report';
import { percentile } from './timing';

/**
 * What request logging and request metrics cost: the HTTP search and no-op routes under the
 * same closed-loop load as `npm run bench`, with each of them on and off. The service runs
 * in its own process; LOG_LEVEL=silent installs no request logger and METRICS_ENABLED=false
 * no metrics middleware, so `none` is the stack without either. Log lines go to a file, as a
 * container runtime would take them. Variants alternate within each round so that a load
 * change on the machine spreads over all of them; the report gives each one's median.
 */
const VARIANTS = [
  { id: 'none', env: { LOG_LEVEL: 'silent', METRICS_ENABLED: 'false' } },
  { id: 'metrics', env: { LOG_LEVEL: 'silent', METRICS_ENABLED: 'true' } },
  { id: 'logs', env: { LOG_LEVEL: 'info', METRICS_ENABLED: 'false' } },
  { id: 'logs+metrics', env: { LOG_LEVEL: 'info', METRICS_ENABLED: 'true' } },
] as const;
const ROUNDS = Number(process.env.OVERHEAD_ROUNDS ?? 3);
const CLIENTS = 32;
const TOTAL = 4_000;
const MAX_SECONDS = 12;

type VariantId = (typeof VARIANTS)[number]['id'];

interface Run {
  variant: VariantId;
  round: number;
  searchRps: number;
  searchP50Ms: number;
  noopRps: number;
  noopP50Ms: number;
  searchCpuMsPerRequest: number;
  noopCpuMsPerRequest: number;
  logBytesPerRequest: number;
  errors: number;
}

/** Starts the built service on `databasePath`; resolves once its index has caught up. */
async function startService(databasePath: string, env: Record<string, string>, logFile: string) {
  const port = await freePort();
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      ADMIN_API_KEY: 'bench-key-123456',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', out, 'inherit'],
  });
  closeSync(out);
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('The server did not become ready in time');
    try {
      const body = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { index?: { pending?: number } };
      if (body.index?.pending === 0) return { port, child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * CPU time the server process used (user + system, in ms), from /proc (Linux). Unlike
 * throughput, CPU per request barely moves when other processes compete for the cores.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the file, counted in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
}

async function measure(variant: (typeof VARIANTS)[number], round: number, databasePath: string, workDir: string): Promise<Run> {
  const logFile = join(workDir, `${variant.id}-${round}.log`);
  const { port, child } = await startService(databasePath, variant.env, logFile);
  try {
    const searchPaths = BENCH_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}&limit=10`);
    await runLoad({ port, paths: searchPaths, clients: 4, total: 400, maxSeconds: 10 });
    await runLoad({ port, paths: ['/api/health/live'], clients: 4, total: 400, maxSeconds: 10 });
    const logBefore = statSync(logFile).size;
    const cpu0 = cpuMs(child.pid!);
    const noop = await runLoad({ port, paths: ['/api/health/live'], clients: CLIENTS, total: TOTAL, maxSeconds: MAX_SECONDS });
    const cpu1 = cpuMs(child.pid!);
    const search = await runLoad({ port, paths: searchPaths, clients: CLIENTS, total: TOTAL, maxSeconds: MAX_SECONDS });
    const cpu2 = cpuMs(child.pid!);
    const p50 = (latencies: number[]) =>
      percentile(
        [...latencies].sort((a, b) => a - b),
        50,
      );
    return {
      variant: variant.id,
      round,
      searchRps: search.requestsPerSecond,
      searchP50Ms: p50(search.latenciesMs),
      noopRps: noop.requestsPerSecond,
      noopP50Ms: p50(noop.latenciesMs),
      searchCpuMsPerRequest: (cpu2 - cpu1) / search.requests,
      noopCpuMsPerRequest: (cpu1 - cpu0) / noop.requests,
      logBytesPerRequest: (statSync(logFile).size - logBefore) / (noop.requests + search.requests),
      errors: noop.errors + search.errors,
    };
  } finally {
    await stop(child);
  }
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** The HTTP rounds: every variant once per round, in a rotating order. */
async function httpRounds() {
  const workDir = mkdtempSync(join(tmpdir(), 'recipe-overhead-'));
  const databasePath = join(workDir, 'overhead.sqlite');
  const runs: Run[] = [];
  try {
    process.stderr.write('overhead: first start seeds, trains and indexes the catalog ...\n');
    await stop((await startService(databasePath, { LOG_LEVEL: 'silent' }, join(workDir, 'seed.log'))).child);
    for (let round = 1; round <= ROUNDS; round++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const variant = VARIANTS[(i + round - 1) % VARIANTS.length];
        process.stderr.write(`overhead: round ${round}/${ROUNDS}, ${variant.id} ...\n`);
        runs.push(await measure(variant, round, databasePath, workDir));
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  const baseline = runs.filter((run) => run.variant === 'none');
  const baseSearch = median(baseline.map((run) => run.searchRps));
  const baseNoop = median(baseline.map((run) => run.noopRps));
  const summary = VARIANTS.map(({ id }) => {
    const mine = runs.filter((run) => run.variant === id);
    const searchRps = median(mine.map((run) => run.searchRps));
    const noopRps = median(mine.map((run) => run.noopRps));
    return {
      variant: id,
      searchRps,
      searchVsNone: searchRps / baseSearch - 1,
      searchP50Ms: median(mine.map((run) => run.searchP50Ms)),
      noopRps,
      noopVsNone: noopRps / baseNoop - 1,
      noopP50Ms: median(mine.map((run) => run.noopP50Ms)),
      searchCpuMs: median(mine.map((run) => run.searchCpuMsPerRequest)),
      noopCpuMs: median(mine.map((run) => run.noopCpuMsPerRequest)),
      logBytesPerRequest: median(mine.map((run) => run.logBytesPerRequest)),
      errors: mine.reduce((sum, run) => sum + run.errors, 0),
    };
  });

  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  console.log(`Request logging and metrics overhead, ${CLIENTS} clients on loopback, median of ${ROUNDS} rounds\n`);
  console.log(
    'variant        search req/s   vs none   p50 ms   CPU ms/req   no-op req/s   vs none   p50 ms   CPU ms/req   log B/req   errors',
  );
  for (const row of summary) {
    console.log(
      [
        row.variant.padEnd(13),
        row.searchRps.toFixed(0).padStart(13),
        pct(row.searchVsNone).padStart(9),
        row.searchP50Ms.toFixed(1).padStart(8),
        row.searchCpuMs.toFixed(3).padStart(12),
        row.noopRps.toFixed(0).padStart(13),
        pct(row.noopVsNone).padStart(9),
        row.noopP50Ms.toFixed(1).padStart(8),
        row.noopCpuMs.toFixed(3).padStart(12),
        row.logBytesPerRequest.toFixed(0).padStart(11),
        String(row.errors).padStart(8),
      ].join(' '),
    );
  }
  return { runs, summary };
}

async function main(): Promise<void> {
  process.stderr.write('overhead: middleware CPU cost in process ...\n');
  const middleware = measureMiddlewareCost();
  const scrapeCpuMs = await measureScrapeCost();
  const none = middleware.find((row) => row.variant === 'none')!.microsPerRequest;
  console.log('Middleware CPU per request, in process (best of 7 × 20,000 requests)\n');
  for (const row of middleware) {
    console.log(
      `${row.variant.padEnd(13)} ${row.microsPerRequest.toFixed(1).padStart(7)} µs   +${(row.microsPerRequest - none).toFixed(1)} µs over none`,
    );
  }
  console.log(`one /metrics render (process metrics + 18 request series): ${scrapeCpuMs.toFixed(2)} ms CPU\n`);

  const http = ROUNDS > 0 ? await httpRounds() : { runs: [], summary: [] };
  const reports = join(projectRoot(), 'reports');
  mkdirSync(reports, { recursive: true });
  const out = join(reports, 'observability-overhead.json');
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), machine: machineFacts(), middleware, scrapeCpuMs, rounds: ROUNDS, clients: CLIENTS, ...http }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${relative(process.cwd(), out) || out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
