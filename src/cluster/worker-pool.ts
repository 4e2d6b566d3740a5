import cluster, { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { MetricsGatherer } from './cluster-metrics';
import { BudgetRelay } from './shared-budgets';
import { relaySiblingNotice } from './sibling-notices';

/** First wait before a dead worker's slot is filled again; doubled while replacements keep dying young. */
export const RESTART_DELAY_MS = 1_000;
export const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that served this long died of something other than its start: its replacement waits the first delay again. */
export const HEALTHY_UPTIME_MS = 60_000;

export interface WorkerPoolOptions {
  workers: number;
  /** Added to every worker's environment (its memory share, the admin key). */
  env: Record<string, string>;
  /** Node flags for the workers (their heap size). */
  execArgv: string[];
  logger: Logger;
  /** How long a stop waits for the workers' own graceful stop before killing them. */
  stopTimeoutMs: number;
  /** The primary's own process metrics, added to every scrape; null when metrics are off. */
  metrics: Registry | null;
}

interface Slot {
  slot: number;
  worker: Worker | null;
  /** Has this slot's current process started listening? */
  serving: boolean;
  startedAt: number;
  restartDelayMs: number;
  restartTimer: NodeJS.Timeout | null;
}

/**
 * The primary process when WORKERS is above 1: it serves nothing itself and holds no catalog.
 * It starts the workers (the first alone, so that on an empty SQLite file one process migrates
 * and seeds while the others would otherwise do it at once; the rest once it listens), fills
 * the slot of one that dies, gathers their metrics for `/metrics`, passes on their rate-limit
 * counts (shared-budgets.ts) and their notices of catalog and index changes (sibling-notices.ts),
 * and on SIGTERM or SIGINT stops them all. Node's cluster module hands each new connection to the next worker in turn.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly metrics: MetricsGatherer;
  private readonly budgets: BudgetRelay;
  private stopping: Promise<number> | null = null;
  private finish: ((code: number) => void) | null = null;

  constructor(private readonly options: WorkerPoolOptions) {
    this.slots = Array.from({ length: options.workers }, (_, i) => ({
      slot: i + 1,
      worker: null,
      serving: false,
      startedAt: 0,
      restartDelayMs: RESTART_DELAY_MS,
      restartTimer: null,
    }));
    this.metrics = new MetricsGatherer(
      () => this.slots.filter((s) => s.serving && s.worker !== null).map((s) => ({ slot: s.slot, worker: s.worker! })),
      undefined,
      options.metrics,
    );
    this.budgets = new BudgetRelay(() => this.live());
  }

  private live(): Worker[] {
    return this.slots.map((s) => s.worker).filter((w): w is Worker => w !== null);
  }

  /**
   * Starts the workers; resolves with the exit code the primary should end with: once a stop has
   * finished, or 1 when the first worker dies before it ever listened (the same start-up failure
   * would end a single process) or no worker is left serving while one cannot start.
   */
  run(): Promise<number> {
    cluster.setupPrimary({ execArgv: this.options.execArgv });
    cluster.on('message', (worker, message) => {
      this.metrics.onMessage(worker, message);
      this.budgets.onMessage(worker, message);
      relaySiblingNotice(worker, message, this.live());
    });
    const finished = new Promise<number>((resolve) => (this.finish = resolve));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        this.options.logger.info({ signal }, 'Stopping the workers');
        void this.stop().then((code) => this.finish?.(code));
      });
    }
    this.fork(this.slots[0], () => {
      for (const slot of this.slots.slice(1)) this.fork(slot);
    });
    return finished;
  }

  /** Asks every worker to stop (each finishes its work as a single process would), then kills what is left. */
  stop(): Promise<number> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<number> {
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
    }
    const codes = await Promise.all(this.live().map((worker) => this.stopWorker(worker)));
    return codes.every((code) => code === 0) ? 0 : 1;
  }

  private stopWorker(worker: Worker): Promise<number | null> {
    return new Promise((resolve) => {
      const deadline = setTimeout(() => {
        this.options.logger.error({ pid: worker.process.pid }, 'A worker did not stop in time; killing it');
        worker.process.kill('SIGKILL');
      }, this.options.stopTimeoutMs);
      worker.once('exit', (code) => {
        clearTimeout(deadline);
        resolve(code);
      });
      // Gone between the list and here: no 'exit' is coming.
      if (worker.isDead()) {
        clearTimeout(deadline);
        return resolve(worker.process.exitCode);
      }
      // Nest's shutdown hooks stop it once, however many signals arrive (a terminal's Ctrl-C
      // also reaches it directly).
      worker.process.kill('SIGTERM');
    });
  }

  private fork(slot: Slot, onListening?: () => void): void {
    slot.restartTimer = null;
    slot.serving = false;
    slot.startedAt = Date.now();
    const worker = cluster.fork(this.options.env);
    slot.worker = worker;
    worker.once('listening', () => {
      slot.serving = true;
      this.budgets.welcome(worker);
      this.options.logger.info({ worker: slot.slot, pid: worker.process.pid }, 'Worker serving');
      onListening?.();
    });
    worker.once('exit', (code, signal) => this.onExit(slot, worker, code, signal));
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    const served = slot.serving;
    slot.worker = null;
    slot.serving = false;
    if (this.stopping) return;
    const uptimeMs = Date.now() - slot.startedAt;
    const anyServing = this.slots.some((s) => s.serving);
    if (!served && !anyServing) {
      // Nothing serves and this worker could not start: the same failure would end a single process.
      this.options.logger.fatal({ worker: slot.slot, code, signal }, 'A worker died before it could serve; stopping');
      void this.stop().then(() => this.finish?.(1));
      return;
    }
    if (served && uptimeMs >= HEALTHY_UPTIME_MS) slot.restartDelayMs = RESTART_DELAY_MS;
    const delayMs = slot.restartDelayMs;
    slot.restartDelayMs = Math.min(MAX_RESTART_DELAY_MS, delayMs * 2);
    this.options.logger.error(
      { worker: slot.slot, pid: worker.process.pid, code, signal, uptimeSeconds: Math.round(uptimeMs / 1000), restartInMs: delayMs },
      'A worker died; starting another in its place',
    );
    slot.restartTimer = setTimeout(() => this.fork(slot), delayMs);
  }
}
