import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../observability/metrics.service';
import { ActiveIndexRegistry } from './active-index-registry.service';
import { IndexOutboxRepository, OutboxRecord } from './index-outbox.repository';
import { IndexRetrainer } from './index-retrainer.service';
import { IndexSynchroniser } from './index-synchroniser.service';
import { messageOf, Progress, within } from './indexing.types';
import { OutboxSignal } from './outbox-signal';

/** How often drain looks again while another process indexes the rows left. */
const DRAIN_WAIT_MS = 100;

/**
 * Drains the outbox into the serving index. SQLite is the source of truth: catalog writes leave
 * rows in `index_outbox`, which this worker claims and indexes in batches, retrying with
 * back-off while the vector store or embedder is down, so an outage delays indexing and never
 * loses it. It drains at once when this process commits work (OutboxSignal), otherwise every
 * INDEX_POLL_MS, and starts the drift check between turns.
 */
@Injectable()
export class OutboxWorker implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxWorker.name);
  private readonly outbox: IndexOutboxRepository;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private stopped = false;
  /** The worker's current turn; shutdown waits for it. */
  private ticking: Promise<void> | null = null;
  private wakeRequested = false;
  private unsubscribeSignal: (() => void) | null = null;
  private lastError: string | null = null;
  private consecutiveFailures = 0;
  private driftChecking: Promise<void> | null = null;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ActiveIndexRegistry,
    private readonly synchroniser: IndexSynchroniser,
    private readonly retrainer: IndexRetrainer,
    private readonly metrics: MetricsService,
    private readonly outboxSignal: OutboxSignal,
  ) {
    this.outbox = new IndexOutboxRepository(dataSource);
  }

  /** Starts draining, and following other processes' swaps, until shutdown. */
  start(): void {
    this.stopped = false;
    this.unsubscribeSignal ??= this.outboxSignal.subscribe(() => this.wake());
    this.schedule(0);
    this.registry.startFollowing();
  }

  /**
   * Stops the worker and waits, up to SHUTDOWN_WAIT_MS (and 5 s more while a job is being
   * aborted), for the batch being indexed and a running drift check, so the database is not
   * closed under them.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribeSignal?.();
    if (this.timer) clearTimeout(this.timer);
    const busy = () => Promise.allSettled([this.ticking, this.draining, this.driftChecking].filter((p) => p !== null));
    if (await within(busy(), this.config.indexing.shutdownWaitMs)) return;
    this.logger.warn(`Shutdown: indexing still busy after ${this.config.indexing.shutdownWaitMs} ms`);
    await within(busy(), 5_000);
  }

  /** Drains the outbox until it is empty or the store fails (CLI, tests). Returns rows processed. */
  async drain(progress?: Progress): Promise<number> {
    const total = await this.outbox.pendingCount();
    let done = 0;
    for (;;) {
      const processed = await this.drainOnce(true);
      if (processed === 0) {
        // Rows another process is indexing: wait for it (or for its lease to run out) so the
        // outbox is empty when this returns, as a caller of drain expects.
        if ((await this.outbox.claimedByOthers(this.registry.processName)) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, DRAIN_WAIT_MS));
        continue;
      }
      done += processed;
      progress?.(Math.min(done, total), Math.max(total, done));
    }
    return done;
  }

  async status() {
    // Health reports a failing database itself; the lag is then simply unknown.
    const lag = await this.lag().catch(() => ({ pending: null, oldestPendingSeconds: null }));
    if (!this.registry.opened) {
      return {
        vectorStore: { state: 'down' as const, error: 'not started' },
        embedder: { state: 'down' as const, error: 'not started' },
        lag,
      };
    }
    const current = this.registry.serving();
    let vectorStore;
    try {
      await current.store.ping();
      const info = await current.store.info();
      vectorStore = { state: 'up' as const, kind: info.kind, collection: info.collection, points: info.points };
    } catch (error) {
      vectorStore = { state: 'down' as const, kind: this.config.vectorStore.kind, error: messageOf(error) };
    }
    return {
      vectorStore,
      embedder: { state: 'up' as const, provider: this.config.embedding.provider, modelId: current.provider.modelId },
      lag: { ...lag, lastError: this.lastError },
    };
  }

  /** Index work was just committed in this process: drain it now rather than at the next poll. */
  private wake(): void {
    if (this.stopped || this.consecutiveFailures > 0) return;
    if (this.ticking) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  private async lag() {
    const { pending, oldest } = await this.outbox.backlog();
    return {
      pending,
      oldestPendingSeconds: oldest ? Math.max(0, Math.round((Date.now() - Date.parse(oldest)) / 1000)) : 0,
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    let processed = 0;
    try {
      // The store may have been down at start: keep trying to open it.
      if (!this.registry.opened) await this.synchroniser.prepare();
      processed = await this.drainOnce(false);
      // After the batch, so a catch-up that keeps failing never holds the outbox up; its
      // failures back off as the batches' do.
      await this.synchroniser.settleOwed();
      this.consecutiveFailures = 0;
    } catch (error) {
      this.consecutiveFailures += 1;
      this.lastError = messageOf(error);
      this.metrics.recordFailure(error, 'indexing');
    }
    const wakeRequested = this.wakeRequested;
    this.wakeRequested = false;
    if (processed > 0 || (wakeRequested && this.consecutiveFailures === 0)) return this.schedule(0);
    if (this.consecutiveFailures > 0) return this.schedule(this.backoff(this.consecutiveFailures));
    if (this.stopped) return;
    this.checkDriftInBackground();
    this.schedule(this.config.indexing.pollMs);
  }

  /**
   * Processes one batch of due outbox rows. A row names a recipe whose point is then brought to
   * what the catalog holds (indexed if it is there, deleted if not), whatever the row's
   * operation: rows of one recipe may be processed out of their order (a failed batch's rows
   * wait out a back-off while a newer row is due), and a delete postponed that way removed the
   * recipe created again after it. On failure the rows stay, with a later `available_at`
   * (exponential back-off), so nothing is lost.
   */
  private drainOnce(ignoreBackoff: boolean): Promise<number> {
    if (this.draining) return this.draining;
    this.draining = this.registry.writing(this.processBatch(ignoreBackoff)).finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async processBatch(ignoreBackoff: boolean): Promise<number> {
    const index = this.registry.serving();
    const rows = await this.outbox.claim(
      this.registry.processName,
      this.config.indexing.batchSize,
      ignoreBackoff,
      this.config.indexing.claimLeaseMs,
    );
    if (rows.length === 0) return 0;
    const recipeIds = [...new Set(rows.map((row) => row.recipe_id))];
    try {
      await this.synchroniser.reconcile(index, recipeIds);
      await this.outbox.delete(rows.map((row) => row.id));
      this.retrainer.noteIndexed(index.modelId, rows.length);
      this.lastError = null;
      return rows.length;
    } catch (error) {
      await this.postpone(rows, error);
      throw error;
    }
  }

  private async postpone(rows: OutboxRecord[], error: unknown): Promise<void> {
    const message = messageOf(error).slice(0, 500);
    this.lastError = message;
    this.logger.warn(`Indexing ${rows.length} outbox rows failed, will retry: ${message}`);
    await this.outbox.postpone(rows, message, (attempts) => Date.now() + this.backoff(attempts));
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.config.indexing.maxBackoffMs, 250 * 2 ** Math.min(attempts, 16));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  /**
   * The drift check reads and analyses the whole catalog: seconds at 100,000 recipes, more while
   * searches share the CPU. The outbox keeps draining meanwhile (a new recipe waited over 30 s
   * to be indexed while the worker's turn awaited the check). One check at a time; a failure
   * (database gone at shutdown, disk trouble) is recorded, never left unhandled.
   */
  private checkDriftInBackground(): void {
    if (this.driftChecking) return;
    this.driftChecking = this.retrainer
      .maybeRetrain()
      .catch((error) => {
        this.lastError = messageOf(error);
        this.metrics.recordFailure(error, 'indexing');
      })
      .finally(() => {
        this.driftChecking = null;
      });
  }
}
