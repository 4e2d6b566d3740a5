import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { MemoryBudget } from '../health/memory-budget';
import { collectionSpecOf, EmbeddingProvider } from '../embedding/embedding-provider.port';
import { MetricsService } from '../observability/metrics.service';
import { RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { collectionNameFor } from '../vector-store/collection-name';
import { VectorStoreUnavailableError } from '../vector-store/vector-store.errors';
import { CollectionSpec } from '../vector-store/vector-store.port';
import { VectorStoreFactory } from '../vector-store/vector-store.factory';
import { ActiveIndexRegistry } from './active-index-registry.service';
import { IndexJobLock, IndexJobRunningError } from './index-job-lock';
import { IndexJobLockRepository } from './index-job-lock.repository';
import { IndexRegistryRepository } from './index-registry.repository';
import { IndexSynchroniser, SyncResult } from './index-synchroniser.service';
import { messageOf, Progress, ServingIndex, within } from './indexing.types';

/** What a retrain or a rebuild into a new collection says when memory has no room for it. */
const JOB_REFUSED = 'retrain or rebuild starts';

/**
 * Rebuilds and retrains under the index-build lock (one at a time across every process): fills a
 * new collection, with a newly trained model or the serving one, and swaps it in, so queries
 * never see an empty or half-filled index. Also decides when the catalog has drifted far enough
 * from the trained model to retrain on its own.
 */
@Injectable()
export class IndexRetrainer implements OnModuleDestroy {
  private readonly logger = new Logger(IndexRetrainer.name);
  private readonly recipes: RecipeRowsRepository;
  private readonly collections: IndexRegistryRepository;
  private readonly locks: IndexJobLockRepository;
  private jobCount = 0;
  /** The retrain or rebuild this process runs, if any. */
  private job: Promise<unknown> | null = null;
  private retraining: Promise<void> | null = null;
  private shuttingDown = false;
  /**
   * Aborted when a shutdown ran out of patience: a running job stops at its next batch, and its
   * model training and catalog reads at their next slice or page. Checked by batches only, a
   * retrain still training at 1,000,000 recipes kept the process up well past SHUTDOWN_WAIT_MS.
   */
  private readonly stop = new AbortController();
  /**
   * Catalog changes indexed since the model was trained, counted for the serving model named
   * here; another model swapped in starts the count again. Drift can only pass the retrain share
   * after at least that share of the trained catalog was written, and measuring it is a full
   * catalog pass, so it is measured only once enough writes happened. Writes made before this
   * process started are not in the count: `counted` is set once the catalog's growth or
   * shrinkage since training has been added for them (see maybeRetrain). `dueSince`: when a drift
   * check came due and was put off (see putOff); a new model's count waits afresh.
   */
  private changes = changeCount('', false);
  /** When this process last indexed outbox rows (see putOff). */
  private lastIndexedAt = 0;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ActiveIndexRegistry,
    private readonly synchroniser: IndexSynchroniser,
    private readonly models: EmbeddingModelService,
    private readonly stores: VectorStoreFactory,
    private readonly metrics: MetricsService,
    private readonly memory: MemoryBudget,
  ) {
    this.recipes = new RecipeRowsRepository(dataSource);
    this.collections = new IndexRegistryRepository(dataSource);
    this.locks = new IndexJobLockRepository(dataSource);
  }

  /**
   * Rebuilds the index for every recipe, under the index-build lock. In place by default
   * (unchanged recipes skipped); `recreate` fills a new collection from scratch and swaps it in,
   * so queries never see an empty or half-filled index.
   */
  async reindex(options: { recreate?: boolean } = {}, progress?: Progress): Promise<SyncResult> {
    if (options.recreate) this.memory.assertRoomFor(JOB_REFUSED);
    return this.runJob('reindex', async (lock) => {
      const serving = await this.registry.upToDate();
      if (!options.recreate) return this.synchroniser.sync(serving, progress);
      const next = await this.buildAndSwap(lock, serving.provider, serving.modelId, progress);
      const rest = await this.synchroniser.sync(next);
      return { indexed: lock.job.total + rest.indexed, unchanged: 0, deleted: rest.deleted };
    });
  }

  /** Trains a new model, indexes the catalog into its own collection, then swaps both in. */
  async retrainAndSwap(progress?: Progress): Promise<{ previous: string; current: string }> {
    // A new collection is filled beside the serving one: the process holds two indexes until the
    // swap (the retrain after a 1,000,000-recipe import peaked at 1.45× the resting RSS).
    this.memory.assertRoomFor(JOB_REFUSED);
    const outcome = (models: { previous: string; current: string }) => (models.previous === models.current ? 'unchanged' : 'swapped');
    // Measured inside the job: a retrain refused because another one runs is not a retrain.
    return this.runJob('retrain', (lock) => this.metrics.measureRetrain(() => this.trainAndSwap(lock, progress), outcome));
  }

  /** The job holding the index-build lock, in any process, or null. */
  runningJob() {
    return IndexJobLock.running(this.locks);
  }

  /** Counts `count` outbox rows indexed into the collection of model `modelId`. */
  noteIndexed(modelId: string, count: number, now = Date.now()): void {
    this.changesFor(modelId).sinceTraining += count;
    this.lastIndexedAt = now;
  }

  /**
   * The design note's freshness limit: concept vectors are learned from the catalog, so after
   * a large change the model retrains in the background, fills a new collection, and swaps in
   * with it atomically. Queries keep using the old pair meanwhile. Another process's retrain
   * holding the lock is not a failure: this one follows its swap. While an import is still being
   * indexed, the check waits for it to end (see putOff), so the model learns the whole import.
   */
  async maybeRetrain(now = Date.now()): Promise<void> {
    if (this.retraining || this.job || !this.registry.opened) return;
    const share = this.config.embedding.retrainDriftShare;
    // A drift is a share of the catalog and never passes 1: at 1 the check (a pass over the
    // catalog's sample) could never lead to a retrain.
    if (share >= 1) return;
    const changes = this.changesFor(this.registry.serving().modelId);
    if (!changes.counted) {
      // An import followed by a restart (or by a shutdown that stopped its retrain) left a
      // catalog the model was not trained on: the difference in size is a lower bound of it.
      changes.counted = true;
      const trained = this.models.trainedRecipeCount();
      if (trained > 0) changes.sinceTraining += Math.abs((await this.recipes.count()) - trained);
    }
    const enough = Math.max(1, Math.ceil(share * this.models.trainedRecipeCount()));
    if (changes.sinceTraining < Math.max(enough, changes.nextDriftCheckAt)) return;
    if (this.putOff(changes, now)) return;
    // Checked again at the next idle poll; the budget logs when the spell starts and ends.
    if (this.memory.pressure() !== null) return;
    const drift = await this.models.catalogDrift(this.stop.signal);
    if (drift <= share) {
      // Rewrites of the same recipes: look again after another quarter of the threshold.
      changes.nextDriftCheckAt = changes.sinceTraining + Math.ceil(enough / 4);
      return;
    }
    this.retraining = this.retrainAndSwap()
      .then(() => undefined)
      .catch((error) => {
        if (error instanceof IndexJobRunningError) return;
        // Stopped on purpose, not a failure: the next process sees the catalog's size against
        // the model's and checks the drift again (see `changes`).
        if (this.shuttingDown) this.logger.warn(`Background retraining stopped by the shutdown: ${messageOf(error)}`);
        else this.logger.error(`Background retraining failed: ${messageOf(error)}`);
      })
      .finally(() => {
        this.retraining = null;
      });
  }

  /**
   * Refuses new jobs and waits, up to SHUTDOWN_WAIT_MS, for a running retrain or rebuild, so the
   * database is not closed under it. A job still running then is aborted at its next batch,
   * which drops the collection it was filling.
   */
  async onModuleDestroy(): Promise<void> {
    this.shuttingDown = true;
    const busy = () => Promise.allSettled([this.job, this.retraining].filter((p) => p !== null));
    if (await within(busy(), this.config.indexing.shutdownWaitMs)) return;
    this.logger.warn(`Shutdown: a retrain or rebuild still running after ${this.config.indexing.shutdownWaitMs} ms, aborting it`);
    // What the caller of a retrain sees: 503, the service going away, not a 500.
    this.stop.abort(new VectorStoreUnavailableError('The service is shutting down: the retrain or rebuild was stopped'));
    await within(busy(), 5_000);
  }

  /**
   * Whether a due drift check waits: while the outbox is still being indexed (a bulk import),
   * until RETRAIN_QUIET_MS pass without a batch, and never longer than RETRAIN_MAX_DEFER_MS.
   * During an import the check came due again and again: each check analysed the catalog's
   * sample, each retrain trained on a catalog still growing and indexed all of it into a new
   * collection, and all of it shared the main thread with the import. A 30,000-recipe import
   * through the bulk route spent 13% of the main thread in those analyses.
   */
  private putOff(changes: ChangeCount, now: number): boolean {
    const quietMs = this.config.embedding.retrainQuietMs;
    changes.dueSince ??= now;
    if (now - this.lastIndexedAt < quietMs && now - changes.dueSince < RETRAIN_MAX_DEFER_MS) return true;
    changes.dueSince = null;
    return false;
  }

  private changesFor(modelId: string) {
    if (this.changes.modelId !== modelId) this.changes = changeCount(modelId, false);
    return this.changes;
  }

  private async trainAndSwap(lock: IndexJobLock, progress?: Progress): Promise<{ previous: string; current: string }> {
    const previous = await this.registry.upToDate();
    const provider = await this.models.train(this.stop.signal);
    if (provider.modelId === previous.provider.modelId) {
      await this.models.activate(provider.modelId);
      return { previous: previous.provider.modelId, current: provider.modelId };
    }
    const modelId = this.models.conceptModelIdOf(provider);
    let next: ServingIndex;
    try {
      next = await this.buildAndSwap(lock, provider, modelId, progress);
    } catch (error) {
      await this.models.discard(provider).catch(() => undefined);
      throw error;
    }
    await this.models.activate(provider.modelId);
    this.changes = changeCount(next.modelId, true);
    this.logger.log(`Swapped in model ${provider.modelId} (was ${previous.provider.modelId})`);
    return { previous: previous.provider.modelId, current: next.provider.modelId };
  }

  private async runJob<T>(kind: 'retrain' | 'reindex', work: (lock: IndexJobLock) => Promise<T>): Promise<T> {
    if (this.shuttingDown) throw new VectorStoreUnavailableError('The service is shutting down');
    const lock = await IndexJobLock.acquire(this.locks, kind, `${this.registry.processName}:${++this.jobCount}`);
    const run = (async () => {
      try {
        return await work(lock);
      } finally {
        await lock.release().catch(() => undefined);
      }
    })();
    this.job = run;
    try {
      return await this.registry.building(run);
    } finally {
      if (this.job === run) this.job = null;
    }
  }

  /**
   * Fills a new collection for `provider` with the whole catalog and swaps it in. A failure
   * before the swap drops what it created; the serving index is untouched.
   */
  private async buildAndSwap(lock: IndexJobLock, provider: EmbeddingProvider, modelId: string, progress?: Progress): Promise<ServingIndex> {
    const spec: CollectionSpec = { ...collectionSpecOf(provider), build: buildId() };
    const name = collectionNameFor(spec, this.registry.aliasName);
    await this.collections.register(name, spec, modelId, lock.job.owner);
    lock.update({ phase: 'indexing', collection: name });
    const store = this.stores.create({ replacing: this.registry.opened ? this.registry.serving().store : undefined });
    const next: ServingIndex = { provider, store, spec, modelId, collection: name };
    try {
      await store.ensureCollection(spec, { recreate: true });
      const rows = await this.recipes.idsInOrder();
      lock.update({ total: rows.length });
      const ids = rows.map((row) => row.id);
      const onBatch: Progress = (done, total) => {
        lock.assertHeld();
        this.stop.signal.throwIfAborted();
        lock.update({ done, total });
        progress?.(done, total);
      };
      onBatch(0, ids.length);
      await this.synchroniser.indexIds(next, ids, onBatch, { keepAnalyses: false });
      lock.assertHeld();
      lock.update({ phase: 'swapping' });
      await this.registry.swapIn(next);
    } catch (error) {
      try {
        await store.dropCollectionNamed(name);
        await this.collections.forget(name);
      } catch (cleanup) {
        // Still registered as building: once the lock is released it counts as orphaned, and
        // verify-index --repair removes it.
        this.logger.warn(`Could not drop ${name} after a failed build: ${messageOf(cleanup)}`);
      }
      throw error;
    }
    lock.update({ phase: 'repairing' });
    // Catalog writes that landed while the new collection was filling were applied to the old
    // one; comparing content hashes catches exactly those, and queues them for the outbox worker.
    try {
      await this.synchroniser.catchUp(next);
    } catch (error) {
      this.logger.warn(`Bringing ${name} up to date after the swap failed; the worker retries: ${messageOf(error)}`);
    }
    return next;
  }
}

/**
 * The longest a due drift check waits for indexing to go quiet: a steady stream of writes (a
 * long import, or single writes every few seconds) still gets a retrain every ten minutes, and
 * a one-million-recipe import through the bulk route (~15 minutes here) is not retrained on
 * over and over.
 */
export const RETRAIN_MAX_DEFER_MS = 10 * 60_000;

/** Catalog changes counted for one serving model (see IndexRetrainer.changes). */
interface ChangeCount {
  modelId: string;
  sinceTraining: number;
  nextDriftCheckAt: number;
  counted: boolean;
  dueSince: number | null;
}

function changeCount(modelId: string, counted: boolean): ChangeCount {
  return { modelId, sinceTraining: 0, nextDriftCheckAt: 0, counted, dueSince: null };
}

/** Short, unique across processes without coordination: time plus randomness. */
function buildId(): string {
  return `b${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}
