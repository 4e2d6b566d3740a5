import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runLoad } from './http-load';
import { BENCH_QUERIES } from './queries';
import { latencyMetrics, Metric, SectionResult } from './report';
import { BenchSection } from './section';
import { summarize } from './timing';

const CLIENTS = 32;
const TOTAL = 8_000;
const MAX_SECONDS = 20;
const WARMUP = 400;
export const SEARCH_RPS_MIN = 500;
export const SEARCH_P50_MAX_MS = 10;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function waitForReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      const body = (await res.json()) as { index?: { pending?: number }; vectorStore?: { state?: string } };
      if (res.ok && body.vectorStore?.state === 'up' && body.index?.pending === 0) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('The server did not become ready in time');
}

/** Peak resident set of another process, from /proc (Linux), in MiB. */
function peakRssMiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * The search route over real HTTP: the service runs as its own process (as `npm start` runs it,
 * seeding itself into a fresh database), and this process drives a bounded load on loopback.
 * The no-op liveness route on the same HTTP stack is the ceiling the search rate is judged by.
 */
export const httpSection: BenchSection = {
  id: 'http',
  title: `HTTP search, service in its own process (${CLIENTS} concurrent clients, loopback)`,
  async run({ workDir }): Promise<SectionResult> {
    const port = await freePort();
    const main = join(__dirname, '..', 'src', 'main.js');
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(workDir, 'http.sqlite'),
        ADMIN_API_KEY: 'bench-key-123456',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      const bootStarted = Date.now();
      await waitForReady(port, child, 120_000);
      const bootSeconds = (Date.now() - bootStarted) / 1000;

      const searchPaths = BENCH_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}&limit=10`);
      await runLoad({ port, paths: searchPaths, clients: 4, total: WARMUP, maxSeconds: 10 });
      await runLoad({ port, paths: ['/api/health/live'], clients: 4, total: WARMUP, maxSeconds: 10 });

      const sequential = await runLoad({ port, paths: searchPaths, clients: 1, total: 1_000, maxSeconds: 10 });
      const noop = await runLoad({ port, paths: ['/api/health/live'], clients: CLIENTS, total: TOTAL, maxSeconds: MAX_SECONDS });
      const search = await runLoad({ port, paths: searchPaths, clients: CLIENTS, total: TOTAL, maxSeconds: MAX_SECONDS });
      const seq = summarize(sequential.latenciesMs);
      const loaded = summarize(search.latenciesMs);
      const serverRss = peakRssMiB(child.pid!);

      const metrics: Metric[] = [
        {
          key: 'boot.seconds',
          label: 'server start on an empty database (seed + train + index)',
          value: bootSeconds,
          unit: 's',
          digits: 1,
        },
        ...latencyMetrics('search_sequential', 'search, 1 client', seq, { p50Max: SEARCH_P50_MAX_MS }),
        // Closed-loop load: p50 ≈ clients / throughput (Little's law), so no separate bound here.
        ...latencyMetrics('search_concurrent', `search, ${CLIENTS} clients`, loaded),
        {
          key: 'search.requests_per_s',
          label: `search throughput, ${CLIENTS} clients`,
          value: search.requestsPerSecond,
          unit: 'req/s',
          digits: 0,
          target: { op: '>=', value: SEARCH_RPS_MIN },
        },
        {
          key: 'noop.requests_per_s',
          label: `no-op route throughput, ${CLIENTS} clients`,
          value: noop.requestsPerSecond,
          unit: 'req/s',
          digits: 0,
        },
        {
          key: 'search.share_of_noop',
          label: 'search throughput / no-op throughput',
          value: search.requestsPerSecond / noop.requestsPerSecond,
          unit: 'ratio',
          digits: 2,
        },
        { key: 'errors', label: 'failed requests', value: search.errors + noop.errors + sequential.errors, unit: 'requests', digits: 0 },
      ];
      if (serverRss !== null)
        metrics.push({ key: 'server.peak_rss_mib', label: 'server peak RSS', value: serverRss, unit: 'MiB', digits: 1 });
      return {
        id: this.id,
        title: this.title,
        metrics,
        details: { sequential: seq, concurrent: loaded, requests: { search: search.requests, noop: noop.requests } },
        notes: [
          `with ${CLIENTS} clients always waiting on an answer, latency is about ${CLIENTS} / throughput (Little's law): a p50 of 10 ms under this load would take ${CLIENTS * 100} req/s`,
          `client and server share the machine's 2 cores; ${search.requests} search and ${noop.requests} no-op requests over ${BENCH_QUERIES.length} queries`,
        ],
      };
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
  },
};
