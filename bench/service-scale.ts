import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { workerCount } from '../src/config/app-config';
import { MAX_OFFSET } from '../src/recipes/dto/list-recipes.query';
import { MAX_BULK_INTERACTIONS } from '../src/users/dto/bulk-interactions.dto';
import { loadBundledSeed } from '../src/recipes/importers/seed-loader';
import { RecipeInput } from '../src/recipes/recipe.types';
import { LoadRequest, runLoad } from './http-load';
import { BENCH_QUERIES } from './queries';
import { Metric, SectionResult } from './report';
import { ScaleTargets, ServiceScaleOptions, targetsFor } from './scale-options';
import { priorCommunity } from './prior-community';
import { communityInteractions, routeMixes, RouteMix } from './scale-requests';
import { HealthReport, ServiceProcess } from './service-process';
import { SyntheticCatalog } from './synthetic-catalog';
import { summarize, Summary } from './timing';

const ADMIN_KEY = 'bench-scale-key-123456';
export const CATALOG_SEED = 20_251_203;
const CLIENTS = 32;
const ONE_CLIENT_MAX_REQUESTS = 600;
const CONCURRENT_MAX_REQUESTS = 8_000;
const WARMUP_REQUESTS = 100;
const FRESHNESS_PROBES = 5;
const FRESHNESS_PROBE_MAX_S = 30;
const FRESHNESS_POLL_MS = 25;
const FRESHNESS_BACKGROUND_CLIENTS = 4;
/** Users with history per catalog recipe (10,000 at 100,000 recipes), at most COMMUNITY_MAX_USERS. */
const USERS_PER_RECIPE = 0.1;
const COMMUNITY_MAX_USERS = 10_000;
/** Recipes the community's interactions are drawn from, at most. */
const COMMUNITY_POOL = 10_000;
/** Users whose recommendations the route load asks for, in turn. */
const MEASURED_USERS = 200;
const SAMPLED_IDS = 400;
/** The service counts as settled once it uses less than this share of one core over a window. */
const IDLE_CPU_SHARE = 0.1;
const IDLE_WINDOW_MS = 2_000;
/** The service's own default for RETRAIN_QUIET_MS (app-config.ts), when the environment sets none. */
const DEFAULT_RETRAIN_QUIET_MS = 10_000;
/** After the quiet period, the outbox worker's next poll (INDEX_POLL_MS, 500 ms) starts the drift check. */
const RETRAIN_CHECK_MARGIN_MS = 2_000;

/** The retrain's quiet period the service runs with: the environment is passed through to it. */
function retrainQuietMs(): number {
  const set = Number(process.env.RETRAIN_QUIET_MS);
  return process.env.RETRAIN_QUIET_MS !== undefined && Number.isFinite(set) ? set : DEFAULT_RETRAIN_QUIET_MS;
}
const PROGRESS_EVERY_MS = 5_000;

/** The server processes the service runs (WORKERS, as the service reads it). */
const workerProcesses = (): number => workerCount(process.env.WORKERS ?? null, []);

/** Why a run stopped before its end: the phase, and what was seen. */
export class ScaleRunStopped extends Error {}

/**
 * The service's peak RSS phase by phase: each `close` reads the peak since the last one and
 * starts it again (ServiceProcess.resetPeak), so the report says which phase set the whole
 * run's peak. Where the peak cannot be reset, only the whole run's is known.
 */
class PhasePeaks {
  readonly peaks: Array<{ key: string; label: string; mib: number }> = [];
  private readonly resettable: boolean;
  private highest = 0;

  constructor(private readonly service: ServiceProcess) {
    this.resettable = service.resetPeak();
  }

  close(key: string, label: string): void {
    const peak = this.service.memory()?.peakMiB ?? 0;
    this.highest = Math.max(this.highest, peak);
    if (!this.resettable) return;
    this.peaks.push({ key, label, mib: peak });
    this.service.resetPeak();
  }

  /** The whole run's peak: the highest of every phase's and of what came after the last. */
  wholeRun(): number {
    return Math.max(this.highest, this.service.memory()?.peakMiB ?? 0);
  }
}

/** Bounds one phase: its time, the service being alive, and the resident-set cap. */
class Phase {
  private readonly deadline: number;

  constructor(
    readonly name: string,
    private readonly service: ServiceProcess,
    private readonly guard: MemoryGuard,
    timeoutSeconds: number,
    private readonly timeoutHint: string,
  ) {
    this.deadline = Date.now() + timeoutSeconds * 1000;
  }

  /** The reason to stop now, or null to go on. */
  problem(): string | null {
    if (this.guard.tripped) return this.guard.tripped;
    const exit = this.service.exitReason();
    if (exit) return `the service ${exit}${exit.includes('SIGKILL') ? ' (out of memory?)' : ''}`;
    if (Date.now() > this.deadline) return `it did not finish in time (${this.timeoutHint})`;
    return null;
  }

  /** Throws {@link ScaleRunStopped} when the phase must stop; `progress` says how far it got. */
  check(progress?: string): void {
    const problem = this.problem();
    if (!problem) return;
    const log = this.service.recentLog();
    throw new ScaleRunStopped(
      `The ${this.name} phase stopped: ${problem}.${progress ? ` Progress: ${progress}.` : ''}` +
        (this.service.exitReason() && log ? `\nLast lines the service wrote:\n${log}` : ''),
    );
  }

  /**
   * Runs `work`, but gives up as soon as the phase must stop, even while a request hangs; the
   * abandoned work ends when the service is stopped after the run.
   */
  async run<T>(work: () => Promise<T>, progress: () => string): Promise<T> {
    const running = work();
    running.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const watch = new Promise<never>((_, reject) => {
      const poll = (): void => {
        try {
          this.check(progress());
          timer = setTimeout(poll, 250);
        } catch (error) {
          reject(error);
        }
      };
      poll();
    });
    try {
      return await Promise.race([running, watch]);
    } catch (error) {
      if (error instanceof ScaleRunStopped) throw error;
      // A request fails first when the service dies under it ("fetch failed"): say how it died,
      // with its last lines, rather than how the request failed.
      await this.service.exitedWithin(1_000);
      this.check(progress());
      throw new ScaleRunStopped(
        `The ${this.name} phase stopped: ${error instanceof Error ? error.message : String(error)}. Progress: ${progress()}.`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Stops the service when its resident set passes the cap, and keeps the run's memory timeline. */
class MemoryGuard {
  tripped: string | null = null;
  readonly timeline: Array<{ s: number; rssMiB: number }> = [];
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();
  private lastSample = 0;

  constructor(
    private readonly service: ServiceProcess,
    private readonly capMiB: number,
  ) {
    this.timer = setInterval(() => this.sample(), 500);
  }

  private sample(): void {
    const memory = this.service.memory();
    if (!memory) return;
    if (Date.now() - this.lastSample >= 5_000) {
      this.lastSample = Date.now();
      this.timeline.push({ s: Math.round((Date.now() - this.started) / 1000), rssMiB: Math.round(memory.rssMiB) });
    }
    if (memory.rssMiB > this.capMiB && !this.tripped) {
      this.tripped = `the service's resident set reached ${Math.round(memory.rssMiB)} MiB, over the cap of ${this.capMiB} MiB (--max-rss-mib)`;
      void this.service.stop(0);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Ready: the store is up, the outbox empty and every catalog recipe has a point. */
function caughtUp(health: HealthReport | null): boolean {
  return (
    health !== null &&
    health.vectorStore.state === 'up' &&
    health.index.pending === 0 &&
    (health.vectorStore.points ?? 0) >= (health.database.recipes ?? Number.POSITIVE_INFINITY)
  );
}

function latencyRows(
  key: string,
  label: string,
  summary: Summary,
  targets: { p50?: number; p95?: number },
  which: Array<'p50' | 'p95' | 'p99'>,
): Metric[] {
  return which.map((p) => {
    const bound = p === 'p50' ? targets.p50 : p === 'p95' ? targets.p95 : undefined;
    return {
      key: `${key}.${p}_ms`,
      label: `${label} ${p}`,
      value: summary[p],
      unit: 'ms',
      digits: 2,
      ...(bound !== undefined ? { target: { op: '<=' as const, value: bound } } : {}),
    };
  });
}

export interface ServiceScaleResult {
  sections: SectionResult[];
  failure: Error | null;
  /** One line per route for the console: the compact view of the route sections. */
  routeTable: string[];
}

/**
 * The whole service at a catalog size: the real service in its own process on a temporary
 * database, seeded with the bundled catalog, then `recipes` synthetic recipes imported through
 * POST /api/recipes/bulk. Measures import and indexing throughput, how soon a new recipe is
 * found while searches run, every retrieval route with one and with 32 clients against the
 * no-op route, and the service's memory. Each phase is bounded; when one must stop, the
 * figures measured so far are returned with the reason.
 */
export async function runServiceScale(options: ServiceScaleOptions): Promise<ServiceScaleResult> {
  const targets = targetsFor(options.recipes);
  const sections: SectionResult[] = [];
  const routeTable: string[] = [];
  const workDir = mkdtempSync(join(tmpdir(), 'recipe-bench-scale-'));
  const log = (line: string) => process.stderr.write(`bench-scale: ${line}\n`);
  const loadAtStart = loadavg();
  let failure: Error | null = null;

  const databasePath = options.databasePath ?? join(workDir, 'scale.sqlite');
  const nodeArgs = options.profileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(options.profileDir)}`];
  const service = await ServiceProcess.start({ databasePath, adminKey: ADMIN_KEY, env: process.env, nodeArgs });
  if (options.profileDir !== null) log(`the service's CPU profile goes to ${resolve(options.profileDir)} when it stops`);
  const guard = new MemoryGuard(service, options.maxRssMiB);
  const stopOnSignal = () => {
    log('interrupted: stopping the service');
    void service.stop(2_000).finally(() => {
      rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const phase = (name: string) =>
    new Phase(
      name,
      service,
      guard,
      options.phaseTimeoutSeconds,
      `--phase-timeout ${options.phaseTimeoutSeconds} s; raise it to wait longer`,
    );

  const memory = { afterBootMiB: 0, restMiB: 0, peakMiB: 0 };
  const peaks = new PhasePeaks(service);
  const facts: Record<string, unknown> = { targets, options, loadAverageAtStart: loadAtStart };
  try {
    // 1. Start: seed the bundled catalog, train the model, index it.
    log(`starting the service (pid ${service.pid}) on port ${service.port}`);
    const boot = phase('start (seed + train + index the bundled catalog)');
    const bootStarted = now();
    let health: HealthReport | null = null;
    await boot.run(
      async () => {
        while (!caughtUp((health = await service.health()))) await sleep(200);
        // With several workers the first answers while the others still load the catalog.
        while ((await service.servingWorkers()) < workerProcesses()) await sleep(200);
      },
      () => `health ${JSON.stringify(health?.index ?? null)}`,
    );
    const bootSeconds = (now() - bootStarted) / 1000;
    const bundledRecipes = health!.database.recipes ?? 0;
    const modelAtStart = health!.embedder.modelId ?? null;
    memory.afterBootMiB = service.memory()?.rssMiB ?? 0;
    peaks.close('boot', 'start (seed + train + index the bundled catalog)');
    log(`ready in ${bootSeconds.toFixed(1)} s with ${fmt(bundledRecipes)} bundled recipes`);

    const seed = (await loadBundledSeed()).flatMap((result) => result.recipes);
    const serviceMetrics: Metric[] = [
      { key: 'boot.seconds', label: 'start on an empty database (seed + train + index)', value: bootSeconds, unit: 's', digits: 1 },
      { key: 'bundled.recipes', label: 'bundled recipes', value: bundledRecipes, unit: 'recipes', digits: 0 },
      { key: 'synthetic.recipes', label: 'synthetic recipes asked for', value: options.recipes, unit: 'recipes', digits: 0 },
      { key: 'load_average.start', label: 'machine load average (1 min) at start', value: loadAtStart[0], unit: '', digits: 2 },
      { key: 'workers', label: 'server processes (WORKERS)', value: workerProcesses(), unit: '', digits: 0 },
    ];
    const serviceSection: SectionResult = {
      id: 'service',
      title: `The service at ${options.recipes === 0 ? 'the bundled catalog' : `${fmt(options.recipes)} synthetic + the bundled recipes`} (targets: ${targets.tier})`,
      metrics: serviceMetrics,
      details: facts,
      notes: [],
    };
    sections.push(serviceSection);

    // 2. Import through the API, then wait for the index to catch up.
    const alreadyImported = options.databasePath !== null && options.recipes > 0 && bundledRecipes > options.recipes;
    if (alreadyImported) {
      serviceSection.notes!.push(`${databasePath} already held ${fmt(bundledRecipes)} recipes: the import was skipped`);
      log(`the database already holds ${fmt(bundledRecipes)} recipes: skipping the import`);
    } else if (options.recipes > 0) {
      sections.push(await importPhase(service, phase, options, targets, seed, bundledRecipes, log));
      peaks.close('import', 'bulk import + index');
    }

    // 3. Settle: a background retrain or index build may still be running.
    const settle = phase('settling (background work after indexing)');
    const settleStarted = now();
    const settleCpuBefore = service.cpuSeconds();
    await settle.run(
      () => waitUntilIdle(service),
      () => 'waiting for the service to go idle',
    );
    health = await service.health();
    const settleSeconds = (now() - settleStarted) / 1000;
    const settleCpu = settleCpuBefore !== null ? (service.cpuSeconds() ?? settleCpuBefore) - settleCpuBefore : 0;
    const catalogRecipes = health?.database.recipes ?? 0;
    const modelAfter = health?.embedder.modelId ?? null;
    serviceMetrics.push(
      { key: 'catalog.recipes', label: 'catalog recipes measured', value: catalogRecipes, unit: 'recipes', digits: 0 },
      { key: 'index.points', label: 'points in the vector store', value: health?.vectorStore.points ?? 0, unit: 'points', digits: 0 },
      { key: 'settle.seconds', label: 'background work after indexing (until idle)', value: settleSeconds, unit: 's', digits: 1 },
      { key: 'settle.cpu_seconds', label: 'service CPU time for that background work', value: settleCpu, unit: 's', digits: 1 },
    );
    facts.modelAtStart = modelAtStart;
    facts.modelMeasured = modelAfter;
    facts.vectorStore = health?.vectorStore;
    if (modelAfter !== modelAtStart)
      serviceSection.notes!.push(`the concept model was retrained in the background during the run (${modelAtStart} → ${modelAfter})`);
    memory.restMiB = service.memory()?.rssMiB ?? 0;
    peaks.close('settle', 'background work after indexing (a model retrain)');
    log(`settled after ${settleSeconds.toFixed(1)} s; resident set at rest ${fmt(memory.restMiB)} MiB`);

    // 4. Freshness under a search load.
    sections.push(await freshnessPhase(service, phase, targets, seed, log));

    // 5. Every route, one client then 32, once the work the new recipes started (catalog view,
    // index upkeep) is done, so the loads start on an idle service as after the import.
    const resettled = now();
    await phase('settling after the new recipes').run(
      () => waitUntilIdle(service),
      () => 'waiting for the service to go idle',
    );
    peaks.close('freshness', 'freshness probes and the work they started');
    serviceMetrics.push({
      key: 'resettle.seconds',
      label: 'background work after the freshness writes (until idle)',
      value: (now() - resettled) / 1000,
      unit: 's',
      digits: 1,
    });
    const ids = await sampleIds(service, catalogRecipes);
    const users = Array.from(
      { length: Math.min(COMMUNITY_MAX_USERS, Math.round(catalogRecipes * USERS_PER_RECIPE)) },
      (_, i) => `bench-user-${i + 1}`,
    );
    const prior = await priorCommunity(databasePath);
    if (prior.interactions > 0) {
      const note = `${databasePath} already held ${fmt(prior.interactions)} interactions of ${fmt(prior.users)} users: the run's are added to them, and the user lists measure that community`;
      serviceSection.notes!.push(note);
      log(note);
    }
    facts.priorCommunity = prior;
    const community = await phase("posting the users' interactions").run(
      async () =>
        postInteractions(service, communityInteractions(ids.concat(await sampleIds(service, catalogRecipes, COMMUNITY_POOL)), users)),
      () => 'posting interactions',
    );
    facts.interactions = { users: users.length, ...community };
    log(`${users.length.toLocaleString('en-US')} users, ${community.created.toLocaleString('en-US')} interactions`);
    let noopRps = 0;
    for (const mix of routeMixes({ ids, seed, users: users.slice(0, MEASURED_USERS), community: users.length })) {
      log(`route ${mix.id}`);
      const section = await routePhase(service, phase(`load on ${mix.id}`), mix, options, targets, noopRps);
      if (mix.id === 'noop') noopRps = section.metrics.find((m) => m.key.endsWith('c32.requests_per_s'))!.value;
      sections.push(section);
      routeTable.push(routeLine(section));
    }
    peaks.close('routes', 'route loads (one client, then 32)');
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  } finally {
    memory.peakMiB = peaks.wholeRun();
    guard.stop();
    await service.stop();
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    rmSync(workDir, { recursive: true, force: true });
  }

  const loadAtEnd = loadavg();
  sections.push({
    id: 'memory',
    title:
      workerProcesses() > 1
        ? `Memory of the service's ${workerProcesses()} workers and their primary, summed (/proc/<pid>/status; the peak is the sum of each process's peak)`
        : 'Memory of the service process (/proc/<pid>/status)',
    metrics: [
      ...(memory.peakMiB > 0
        ? [
            {
              key: 'peak_rss.mib',
              label: 'peak RSS (VmHWM), whole run',
              value: memory.peakMiB,
              unit: 'MiB',
              digits: 0,
              target: { op: '<=' as const, value: targets.peakRssMiB },
            },
          ]
        : []),
      ...(memory.afterBootMiB > 0
        ? [{ key: 'boot_rss.mib', label: 'RSS after start (bundled catalog)', value: memory.afterBootMiB, unit: 'MiB', digits: 0 }]
        : []),
      ...peaks.peaks.map((peak) => ({
        key: `phase_peak_rss.${peak.key}.mib`,
        label: `peak RSS during: ${peak.label}`,
        value: peak.mib,
        unit: 'MiB',
        digits: 0,
      })),
      ...(memory.restMiB > 0
        ? [
            {
              key: 'rest_rss.mib',
              label: 'RSS at rest (indexed, idle, before the route loads)',
              value: memory.restMiB,
              unit: 'MiB',
              digits: 0,
            },
          ]
        : []),
      {
        key: 'bench_process.peak_rss.mib',
        label: 'peak RSS of the load generator (this process)',
        value: process.resourceUsage().maxRSS / 1024,
        unit: 'MiB',
        digits: 0,
      },
      { key: 'load_average.end', label: 'machine load average (1 min) at the end', value: loadAtEnd[0], unit: '', digits: 2 },
    ],
    details: { timeline: guard.timeline, loadAverageAtEnd: loadAtEnd },
  });
  return { sections, failure, routeTable };
}

async function importPhase(
  service: ServiceProcess,
  phase: (name: string) => Phase,
  options: ServiceScaleOptions,
  targets: ScaleTargets,
  seed: readonly RecipeInput[],
  bundledRecipes: number,
  log: (line: string) => void,
): Promise<SectionResult> {
  const catalog = SyntheticCatalog.learn(seed);
  const batches = Math.ceil(options.recipes / options.batchSize);
  const batchMs: number[] = [];
  const counts = { sent: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
  let firstFailure: unknown = null;
  let nextBatch = 0;
  let lastHealth: HealthReport | null = null;
  let maxPending = 0;
  const progressTimeline: Array<{ s: number; imported: number; pending: number; points: number }> = [];

  const started = now();
  const cpuAtStart = service.cpuSeconds();
  let lastProgress = started;
  const importing = phase(`bulk import of ${fmt(options.recipes)} recipes`);
  const progressText = () =>
    `${fmt(counts.created + counts.updated + counts.unchanged)} of ${fmt(options.recipes)} imported, ` +
    `${lastHealth ? `${fmt(lastHealth.index.pending)} waiting for the index, ${fmt(lastHealth.vectorStore.points ?? 0)} points` : 'index state unknown'}`;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      lastHealth = (await service.health()) ?? lastHealth;
      if (lastHealth) {
        maxPending = Math.max(maxPending, lastHealth.index.pending);
        progressTimeline.push({
          s: Math.round((now() - started) / 100) / 10,
          imported: counts.created + counts.updated + counts.unchanged,
          pending: lastHealth.index.pending,
          points: lastHealth.vectorStore.points ?? 0,
        });
      }
      if (now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now();
        log(`${progressText()}, RSS ${fmt(service.memory()?.rssMiB ?? 0)} MiB`);
      }
      await sleep(1_000);
    }
  })();

  try {
    await importing.run(async () => {
      const worker = async () => {
        while (nextBatch < batches && importing.problem() === null) {
          const batch = nextBatch++;
          const from = batch * options.batchSize;
          const recipes = catalog.generate(CATALOG_SEED, from, Math.min(options.batchSize, options.recipes - from), 'syn-');
          counts.sent += recipes.length;
          const t0 = now();
          const result = await service.json<{
            created: number;
            updated: number;
            unchanged: number;
            failed: Array<{ index: number; errors: unknown[] }>;
          }>('POST', '/api/recipes/bulk', { recipes }, { admin: true });
          batchMs.push(now() - t0);
          counts.created += result.created;
          counts.updated += result.updated;
          counts.unchanged += result.unchanged;
          counts.failed += result.failed.length;
          if (result.failed.length > 0 && firstFailure === null)
            firstFailure = { recipe: recipes[result.failed[0].index], errors: result.failed[0].errors };
        }
      };
      await Promise.all(Array.from({ length: options.importConcurrency }, worker));
    }, progressText);
    const importSeconds = (now() - started) / 1000;
    const pendingAtImportEnd = (await service.health())?.index.pending ?? null;
    if (pendingAtImportEnd !== null) maxPending = Math.max(maxPending, pendingAtImportEnd);
    if (counts.failed === options.recipes)
      throw new ScaleRunStopped(`The service rejected every synthetic recipe, e.g. ${JSON.stringify(firstFailure)}`);
    log(`imported in ${importSeconds.toFixed(1)} s; waiting for the index`);

    const indexing = phase('indexing (outbox drained, every recipe a point)');
    await indexing.run(async () => {
      while (!caughtUp((lastHealth = (await service.health()) ?? lastHealth))) await sleep(250);
    }, progressText);
    const indexedSeconds = (now() - started) / 1000;
    const cpuAtIndexed = service.cpuSeconds();
    const cpuSeconds = cpuAtStart !== null && cpuAtIndexed !== null ? cpuAtIndexed - cpuAtStart : null;
    const imported = counts.created + counts.updated + counts.unchanged;
    log(`indexed ${fmt(imported)} recipes ${indexedSeconds.toFixed(1)} s after the import started`);

    const batchSummary = summarize(batchMs);
    return {
      id: 'import',
      title: `Bulk import through POST /api/recipes/bulk (${options.batchSize} per request, ${options.importConcurrency} in flight)`,
      metrics: [
        { key: 'imported', label: 'recipes imported', value: imported, unit: 'recipes', digits: 0 },
        { key: 'failed', label: 'recipes the service rejected', value: counts.failed, unit: 'recipes', digits: 0 },
        {
          key: 'import.recipes_per_s',
          label: 'bulk import throughput (until the last write returned)',
          value: imported / importSeconds,
          unit: 'recipes/s',
          digits: 0,
        },
        {
          key: 'import_index.recipes_per_s',
          label: 'import + index throughput (until every recipe is searchable)',
          value: imported / indexedSeconds,
          unit: 'recipes/s',
          digits: 0,
          target: { op: '>=', value: targets.importAndIndexPerS },
        },
        ...(cpuSeconds !== null
          ? [
              { key: 'import_index.cpu_seconds', label: 'service CPU time for import + index', value: cpuSeconds, unit: 's', digits: 1 },
              {
                key: 'import_index.cpu_bound_recipes_per_s',
                label: 'recipes/s one idle core would allow at that CPU cost',
                value: imported / cpuSeconds,
                unit: 'recipes/s',
                digits: 0,
              },
            ]
          : []),
        { key: 'import.seconds', label: 'import time', value: importSeconds, unit: 's', digits: 1 },
        { key: 'import_index.seconds', label: 'import + index time', value: indexedSeconds, unit: 's', digits: 1 },
        { key: 'batch.p50_ms', label: `one bulk request of ${options.batchSize}, p50`, value: batchSummary.p50, unit: 'ms', digits: 0 },
        { key: 'batch.p99_ms', label: `one bulk request of ${options.batchSize}, p99`, value: batchSummary.p99, unit: 'ms', digits: 0 },
        { key: 'index.max_pending', label: 'largest index backlog seen (outbox rows)', value: maxPending, unit: 'rows', digits: 0 },
        ...(pendingAtImportEnd !== null
          ? [
              {
                key: 'index.pending_at_import_end',
                label: 'index backlog when the import ended',
                value: pendingAtImportEnd,
                unit: 'rows',
                digits: 0,
              },
            ]
          : []),
      ],
      details: { counts, bundledRecipes, firstFailure, batch: batchSummary, progress: thin(progressTimeline, 200) },
      notes: firstFailure ? [`first rejected recipe: ${JSON.stringify(firstFailure).slice(0, 400)}`] : [],
    };
  } finally {
    watching = false;
    await watcher;
  }
}

/**
 * Waits until the service has used less than IDLE_CPU_SHARE of a core, with the index caught up,
 * for two windows in a row and for longer than the retrain's quiet period (RETRAIN_QUIET_MS): a
 * retrain that came due during the import starts only once the indexing has been quiet that long,
 * and an import whose background work ended sooner looked settled before it (a 100,000-recipe
 * run then retrained during the route loads).
 */
async function waitUntilIdle(service: ServiceProcess): Promise<void> {
  const windows = Math.max(2, Math.ceil((retrainQuietMs() + RETRAIN_CHECK_MARGIN_MS) / IDLE_WINDOW_MS));
  let quiet = 0;
  let before = service.cpuSeconds();
  if (before === null) return;
  while (quiet < windows) {
    await sleep(IDLE_WINDOW_MS);
    const after = service.cpuSeconds();
    if (after === null) return;
    const share = (after - before) / (IDLE_WINDOW_MS / 1000);
    quiet = share < IDLE_CPU_SHARE && caughtUp(await service.health()) ? quiet + 1 : 0;
    before = after;
  }
}

async function freshnessPhase(
  service: ServiceProcess,
  phase: (name: string) => Phase,
  targets: ScaleTargets,
  seed: readonly RecipeInput[],
  log: (line: string) => void,
): Promise<SectionResult> {
  // The first search after a large import pays for bringing the in-memory catalog view up to
  // date; the next ones do not, so it is timed on its own.
  const firstSearchStarted = now();
  await phase('first search after the import').run(
    () => service.json('GET', `/api/search?q=${encodeURIComponent(BENCH_QUERIES[0])}&limit=10`),
    () => 'waiting for the first search to answer',
  );
  const firstSearchSeconds = (now() - firstSearchStarted) / 1000;
  log(`first search answered after ${firstSearchSeconds.toFixed(2)} s`);
  const fresh = phase('freshness (new recipes under a search load)');
  const template = SyntheticCatalog.learn(seed);
  let done = false;
  const searchPaths = BENCH_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}&limit=10`);
  const background = runLoad({
    port: service.port,
    paths: searchPaths,
    clients: FRESHNESS_BACKGROUND_CLIENTS,
    total: Number.MAX_SAFE_INTEGER,
    maxSeconds: 3_600,
    stop: () => done || fresh.problem() !== null,
  });
  const probes: Array<{ searchableMs: number; indexedMs: number; readyMs: number; timedOut: boolean }> = [];
  const workers = workerProcesses();
  try {
    await sleep(1_000);
    await fresh.run(
      async () => {
        const run = Date.now().toString(36);
        for (let k = 0; k < FRESHNESS_PROBES; k++) {
          const [recipe] = template.generate(CATALOG_SEED + 1, k, 1, `fresh-${run}-`);
          // A name no other recipe has, so a search for it has one right answer.
          const code = `${run}${k}`.replace(/\d/g, (d) => 'qwxyzjkvfh'[Number(d)]);
          const name = recipe.language === 'zh' ? `${recipe.name}${code}` : `${recipe.name} ${code}`;
          const created = await service.json<{ id: string }>('POST', '/api/recipes', { ...recipe, name }, { admin: true });
          const written = now();
          const deadline = written + FRESHNESS_PROBE_MAX_S * 1000;
          let searchableMs = -1;
          let indexedMs = -1;
          // Each check on a new connection, and found only once every worker has answered it in
          // a row (one check with a single process): a client's next connection may meet any.
          let foundInARow = 0;
          let indexedInARow = 0;
          while ((searchableMs < 0 || indexedMs < 0) && now() < deadline) {
            fresh.check(`probe ${k + 1} of ${FRESHNESS_PROBES}`);
            if (searchableMs < 0) {
              const answer = await service.getOnNewConnection(`/api/search?q=${encodeURIComponent(name)}&limit=10`);
              const page = answer.status === 200 ? (JSON.parse(answer.text) as { items: Array<{ recipe: { id: string } }> }) : null;
              foundInARow = page?.items.some((hit) => hit.recipe.id === created.id) ? foundInARow + 1 : 0;
              if (foundInARow >= workers) searchableMs = now() - written;
            }
            if (indexedMs < 0) {
              const answer = await service.getOnNewConnection(`/api/recipes/${encodeURIComponent(created.id)}/similar?limit=1`);
              indexedInARow = answer.status >= 200 && answer.status < 300 ? indexedInARow + 1 : 0;
              if (indexedInARow >= workers) indexedMs = now() - written;
            }
            await sleep(FRESHNESS_POLL_MS);
          }
          const timedOut = searchableMs < 0 || indexedMs < 0;
          const cap = FRESHNESS_PROBE_MAX_S * 1000;
          const probe = {
            searchableMs: searchableMs < 0 ? cap : searchableMs,
            indexedMs: indexedMs < 0 ? cap : indexedMs,
            readyMs: 0,
            timedOut,
          };
          probe.readyMs = Math.max(probe.searchableMs, probe.indexedMs);
          probes.push(probe);
          log(
            `new recipe ${k + 1}: found by name after ${fmt(probe.searchableMs)} ms, similar dishes after ${fmt(probe.indexedMs)} ms${timedOut ? ' (gave up)' : ''}`,
          );
        }
      },
      () => `${probes.length} of ${FRESHNESS_PROBES} probes`,
    );
  } finally {
    done = true;
  }
  const load = await background;
  const ready = summarize(probes.map((p) => p.readyMs / 1000));
  const searchable = summarize(probes.map((p) => p.searchableMs / 1000));
  const indexed = summarize(probes.map((p) => p.indexedMs / 1000));
  return {
    id: 'freshness',
    title:
      workerProcesses() > 1
        ? `A new recipe, from its write returning until every worker finds it (${workerProcesses()} checks in a row on new connections; ${FRESHNESS_BACKGROUND_CLIENTS} clients searching meanwhile)`
        : `A new recipe, from its write returning until it is found (${FRESHNESS_BACKGROUND_CLIENTS} clients searching meanwhile)`,
    metrics: [
      {
        key: 'first_search.seconds',
        label: 'first search after the import (catalog view catches up)',
        value: firstSearchSeconds,
        unit: 's',
        digits: 2,
      },
      { key: 'searchable.p50_s', label: 'found by a search for its name, p50', value: searchable.p50, unit: 's', digits: 2 },
      { key: 'indexed.p50_s', label: 'its similar dishes answer (vectors indexed), p50', value: indexed.p50, unit: 's', digits: 2 },
      { key: 'ready.p50_s', label: 'both, p50', value: ready.p50, unit: 's', digits: 2 },
      {
        key: 'ready.max_s',
        label: `both, worst of ${probes.length}`,
        value: ready.max,
        unit: 's',
        digits: 2,
        target: { op: '<=', value: targets.freshnessMaxS },
      },
      {
        key: 'timed_out',
        label: `probes not found within ${FRESHNESS_PROBE_MAX_S} s`,
        value: probes.filter((p) => p.timedOut).length,
        unit: 'probes',
        digits: 0,
      },
      {
        key: 'background.requests_per_s',
        label: 'background search throughput meanwhile',
        value: load.requestsPerSecond,
        unit: 'req/s',
        digits: 0,
      },
    ],
    details: { probes, background: { requests: load.requests, errors: load.errors } },
  };
}

/**
 * Sends `requests` in turn, one every 1/perSecond s (or as soon as the previous one answered,
 * if later), until stopped; `done` resolves to how many were answered. A failed one fails the run.
 */
function pacedRequests(
  service: ServiceProcess,
  alongside: { perSecond: number; requests: LoadRequest[] },
): { stop: () => void; done: Promise<number> } {
  let stopped = false;
  const done = (async () => {
    let sent = 0;
    const started = now();
    while (!stopped) {
      const request = alongside.requests[sent % alongside.requests.length];
      await service.json(request.method, request.path, request.body);
      sent++;
      const due = started + (sent * 1000) / alongside.perSecond;
      if (due > now()) await sleep(due - now());
    }
    return sent;
  })();
  // Awaited once the load it runs beside has ended; until then its failure must not go unhandled.
  done.catch(() => undefined);
  return { stop: () => (stopped = true), done };
}

/** Posts interactions through the admin bulk route, a full request at a time. */
async function postInteractions(
  service: ServiceProcess,
  interactions: Array<Record<string, unknown>>,
): Promise<{ created: number; failed: number; seconds: number }> {
  const started = now();
  let created = 0;
  let failed = 0;
  for (let i = 0; i < interactions.length; i += MAX_BULK_INTERACTIONS) {
    const posted = await service.json<{ created: number; failed: unknown[] }>(
      'POST',
      '/api/interactions/bulk',
      { interactions: interactions.slice(i, i + MAX_BULK_INTERACTIONS) },
      { admin: true },
    );
    created += posted.created;
    failed += posted.failed.length;
  }
  return { created, failed, seconds: (now() - started) / 1000 };
}

/** `count` recipe ids spread over the whole catalog: pages read at evenly spaced offsets. */
async function sampleIds(service: ServiceProcess, total: number, count = SAMPLED_IDS): Promise<string[]> {
  const pages = Math.max(8, Math.ceil(count / 100));
  const perPage = Math.min(100, Math.ceil(count / pages));
  const ids: string[] = [];
  // The list route pages at most MAX_OFFSET deep (a 1,000,000-recipe catalog goes past it).
  const last = Math.min(total - perPage, MAX_OFFSET);
  for (let p = 0; p < pages; p++) {
    const offset = Math.max(0, Math.floor((last * p) / Math.max(1, pages - 1)));
    const page = await service.json<{ items: Array<{ id: string }> }>('GET', `/api/recipes?limit=${perPage}&offset=${offset}`);
    for (const item of page.items) ids.push(item.id);
  }
  // Interleave the pages so the first ids (the interaction pool) come from everywhere.
  const spread: string[] = [];
  for (let i = 0; i < perPage; i++) for (let p = 0; p < pages; p++) if (ids[p * perPage + i]) spread.push(ids[p * perPage + i]);
  return spread;
}

async function routePhase(
  service: ServiceProcess,
  bounded: Phase,
  mix: RouteMix,
  options: ServiceScaleOptions,
  targets: ScaleTargets,
  noopRps: number,
): Promise<SectionResult> {
  const stop = () => bounded.problem() !== null;
  let written = 0;
  const load = async (clients: number, total: number, maxSeconds: number) => {
    const cpuBefore = service.cpuSeconds();
    const writer = mix.alongside ? pacedRequests(service, mix.alongside) : null;
    const result = await bounded
      .run(
        () => runLoad({ port: service.port, paths: mix.requests, clients, total, maxSeconds, stop }),
        () => `route ${mix.id}`,
      )
      .finally(() => writer?.stop());
    written += (await writer?.done) ?? 0;
    const cpuAfter = service.cpuSeconds();
    const cpuMsPerRequest =
      cpuBefore !== null && cpuAfter !== null && result.requests > 0 ? ((cpuAfter - cpuBefore) * 1000) / result.requests : null;
    return { ...result, cpuMsPerRequest };
  };
  await load(4, WARMUP_REQUESTS, 10);
  const one = await load(1, ONE_CLIENT_MAX_REQUESTS, options.loadSeconds);
  const many = await load(CLIENTS, CONCURRENT_MAX_REQUESTS, options.loadSeconds);
  bounded.check();
  const single = summarize(one.latenciesMs);
  const loaded = summarize(many.latenciesMs);
  const isSearch = mix.id === 'search';
  const isNoop = mix.id === 'noop';
  const oneTargets = isNoop ? {} : isSearch ? { p50: targets.searchP50Ms, p95: targets.searchP95Ms } : { p50: targets.otherP50Ms };
  const metrics: Metric[] = [
    ...latencyRows(`${mix.id}.one`, '1 client', single, oneTargets, ['p50', 'p95', 'p99']),
    {
      key: `${mix.id}.c32.requests_per_s`,
      label: `${CLIENTS} clients, throughput`,
      value: many.requestsPerSecond,
      unit: 'req/s',
      digits: 0,
      ...(isSearch ? { target: { op: '>=' as const, value: targets.searchConcurrentRps } } : {}),
    },
    ...latencyRows(`${mix.id}.c32`, `${CLIENTS} clients,`, loaded, {}, ['p50', 'p99']),
    {
      key: `${mix.id}.failed`,
      label: 'failed requests (status ≥ 400 or no answer)',
      value: one.errors + many.errors,
      unit: 'requests',
      digits: 0,
    },
    ...(mix.alongside
      ? [{ key: `${mix.id}.alongside`, label: 'requests sent alongside (all three loads)', value: written, unit: 'requests', digits: 0 }]
      : []),
  ];
  if (many.cpuMsPerRequest !== null) {
    // CPU time moves far less than wall time on a busy machine: the figure to compare runs by.
    metrics.push(
      {
        key: `${mix.id}.c32.cpu_ms_per_request`,
        label: 'service CPU per request (32 clients)',
        value: many.cpuMsPerRequest,
        unit: 'ms',
        digits: 2,
      },
      {
        key: `${mix.id}.c32.cpu_bound_requests_per_s`,
        label: 'req/s one idle core would serve at that CPU cost',
        value: 1000 / many.cpuMsPerRequest,
        unit: 'req/s',
        digits: 0,
      },
    );
  }
  if (!isNoop && noopRps > 0) {
    metrics.push({
      key: `${mix.id}.share_of_noop`,
      label: `${CLIENTS}-client throughput / no-op route's`,
      value: many.requestsPerSecond / noopRps,
      unit: 'ratio',
      digits: 3,
    });
  }
  return {
    id: `route.${mix.id}`,
    title: mix.title,
    metrics,
    details: {
      oneClient: single,
      concurrent: loaded,
      requests: { oneClient: one.requests, concurrent: many.requests },
      cpuMsPerRequest: { oneClient: one.cpuMsPerRequest, concurrent: many.cpuMsPerRequest },
      mixSize: mix.requests.length,
    },
    notes: one.errors + many.errors > 0 ? [`${one.errors + many.errors} failed requests: the latencies include them`] : [],
  };
}

function routeLine(section: SectionResult): string {
  const value = (suffix: string) => section.metrics.find((m) => m.key.endsWith(suffix))?.value;
  const cell = (n: number | undefined, digits: number) => (n === undefined ? '-' : n.toFixed(digits));
  const id = section.id.replace(/^route\./, '');
  return [
    id.padEnd(26),
    cell(value('.one.p50_ms'), 2).padStart(8),
    cell(value('.one.p95_ms'), 2).padStart(8),
    cell(value('.one.p99_ms'), 2).padStart(8),
    cell(value('.c32.requests_per_s'), 0).padStart(9),
    cell(value('.c32.p50_ms'), 1).padStart(8),
    cell(value('.c32.p99_ms'), 1).padStart(8),
    cell(value('.failed'), 0).padStart(7),
    cell(value('.c32.cpu_ms_per_request'), 2).padStart(11),
  ].join(' ');
}

export const ROUTE_TABLE_HEADER = [
  'route'.padEnd(26),
  '1c p50'.padStart(8),
  '1c p95'.padStart(8),
  '1c p99'.padStart(8),
  '32c req/s'.padStart(9),
  '32c p50'.padStart(8),
  '32c p99'.padStart(8),
  'failed'.padStart(7),
  'cpu ms/req'.padStart(11),
].join(' ');

function thin<T>(list: T[], max: number): T[] {
  if (list.length <= max) return list;
  const step = list.length / max;
  return Array.from({ length: max }, (_, i) => list[Math.floor(i * step)]);
}
