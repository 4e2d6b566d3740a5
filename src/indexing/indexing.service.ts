import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { EmbeddingUnavailableError } from '../embedding/embedding.errors';
import { collectionSpecOf, EmbeddingProvider } from '../embedding/embedding-provider.port';
import { RecipeEntity } from '../recipes/recipe.entity';
import { RecipeAnalyzer } from '../text/recipe-analyzer';
import { FoodLexicon } from '../text/food-lexicon';
import { collectionNameFor } from '../vector-store/collection-name';
import { MetricsService } from '../observability/metrics.service';
import { VectorStoreUnavailableError } from '../vector-store/vector-store.errors';
import { CollectionSpec, VectorRecord, VectorStore } from '../vector-store/vector-store.port';
import { VectorStoreFactory } from '../vector-store/vector-store.factory';
import { IndexJobLock, IndexJobRunningError } from './index-job-lock';
import { IndexOutboxRepository, OutboxRecord } from './index-outbox.repository';
import { RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { IndexRegistryRepository } from './index-registry.repository';
import { IndexJobLockRepository } from './index-job-lock.repository';
import { recipeDocument, recipePayload } from './recipe-document';
import { toRecipeInput } from '../recipes/recipe-mapper';
import { EventLoopBudget } from '../common/event-loop';
import { OutboxSignal } from './outbox-signal';
import { RecipeAnalysis } from '../text/text.types';

export type Progress = (done: number, total: number) => void;

/** The provider and the store collection that hold its vectors: swapped together, never apart. */
export interface ActiveIndex {
  provider: EmbeddingProvider;
  store: VectorStore;
}

/** The serving index as this process holds it, with what names it in SQLite. */
interface ServingIndex extends ActiveIndex {
  collection: string;
  spec: CollectionSpec;
  /** The stored food-concept model (embedding_models.id). */
  modelId: string;
}

export interface SyncResult {
  indexed: number;
  unchanged: number;
  deleted: number;
}

export interface CollectionsReport {
  /** The collection queries use (the serving alias points at it). */
  serving: string;
  /** Being filled by a running retrain or `reindex --recreate`. */
  building: string[];
  /** Replaced, kept readable until their grace period ends, then dropped (not drift). */
  retiring: string[];
  /** Left behind by a crashed or failed build: drift, removed by a repair. */
  orphaned: string[];
}

export interface VerifyReport {
  modelId: string;
  collection: string;
  catalog: number;
  indexed: number;
  missing: string[];
  stale: string[];
  orphans: string[];
  /** Outbox rows waiting for the worker; their recipes are not counted as missing, stale or orphans. */
  pendingOutbox: number;
  collections: CollectionsReport;
  /** Missing + stale + orphan ids + orphaned collections. Pending work is not drift. */
  drift: number;
  repaired: boolean;
}

const EMBED_BATCH = 256;
/** Foreign changes beyond this many ids reload the whole collection: one query instead of many. */
const RELOAD_ALL_ABOVE = 5_000;
const HOUSEKEEPING_MS = 5_000;
/**
 * How long outbox rows claimed by a process stay its own. A batch (256 recipes) took a few
 * seconds on this 2-core machine; a process that dies mid-batch delays those changes by at most
 * this long, and another one indexing the same rows after a stall this long does no harm
 * (upserts by content hash).
 */
const OUTBOX_LEASE_MS = 120_000;
/** How often drain looks again while another process indexes the rows left. */
const DRAIN_WAIT_MS = 100;

/**
 * Keeps the vector index in step with the catalog. SQLite is the source of truth: catalog
 * writes leave rows in `index_outbox`, which this service drains in batches, retrying with
 * back-off while the vector store or embedder is down, so an outage delays indexing and
 * never loses it.
 *
 * Several processes may share the database (the server and admin commands). A retrain or a
 * rebuild fills a new collection under the index-build lock, then points the serving alias at
 * it and bumps the serving version in SQLite; every process polls that version (and the log of
 * points written by others) every INDEX_FOLLOW_MS and follows without a restart.
 */
@Injectable()
export class IndexingService implements OnModuleDestroy {
  private readonly logger = new Logger(IndexingService.name);
  private readonly registry: IndexRegistryRepository;
  private readonly locks: IndexJobLockRepository;
  private readonly outbox: IndexOutboxRepository;
  private readonly recipes: RecipeRowsRepository;
  /** Names this process in the change log and the lock. */
  private readonly writer = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private jobCount = 0;
  private current: ServingIndex | null = null;
  private servingVersion = 0;
  private changeSeq = 0;
  private timer: NodeJS.Timeout | null = null;
  private followTimer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private following: Promise<void> | null = null;
  private stopped = false;
  /** The worker's current turn; shutdown waits for it. */
  private ticking: Promise<void> | null = null;
  private wakeRequested = false;
  private unsubscribeSignal: (() => void) | null = null;
  private shuttingDown = false;
  /** Set when a shutdown ran out of patience: a running job stops at its next batch. */
  private aborted = false;
  private lastError: string | null = null;
  private consecutiveFailures = 0;
  private retraining: Promise<void> | null = null;
  private driftChecking: Promise<void> | null = null;
  /** The retrain or rebuild this process runs, if any. */
  private job: Promise<unknown> | null = null;
  private housekeptAt = 0;
  /**
   * Catalog changes indexed since the model was trained (in this process). Drift can only pass
   * the retrain share after at least that share of the trained catalog was written, and
   * measuring it is a full catalog pass, so it is measured only once enough writes happened.
   */
  private changesSinceTraining = 0;
  private nextDriftCheckAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: EmbeddingModelService,
    private readonly stores: VectorStoreFactory,
    private readonly analyzer: RecipeAnalyzer,
    private readonly lexicon: FoodLexicon,
    private readonly metrics: MetricsService,
    private readonly outboxSignal: OutboxSignal,
  ) {
    this.registry = new IndexRegistryRepository(dataSource);
    this.locks = new IndexJobLockRepository(dataSource);
    this.outbox = new IndexOutboxRepository(dataSource);
    this.recipes = new RecipeRowsRepository(dataSource);
  }

  /** The serving alias: the collection prefix itself, which no collection name equals. */
  get aliasName(): string {
    return this.config.vectorStore.qdrant.collectionPrefix;
  }

  /** The index queries should use; throws 503-mapped errors until `prepare` has run. */
  active(): ActiveIndex {
    if (!this.current) throw new VectorStoreUnavailableError('The search index is still starting');
    return this.current;
  }

  /**
   * Loads (or trains) the embedding model, opens its collection, and brings the index up to
   * the catalog, so a model change or a crashed run converges at start.
   */
  async prepare(progress?: Progress): Promise<SyncResult> {
    const index = await this.upToDate();
    const result = await this.sync(index, progress);
    if (result.indexed + result.deleted > 0) {
      this.logger.log(`Index brought up to date: ${result.indexed} recipes indexed, ${result.deleted} orphans removed`);
    }
    return result;
  }

  /**
   * Opens the serving collection named in SQLite with the model that filled it, without
   * touching the index's content. On a database without one (first start, or one from before
   * aliases), or when the configured provider no longer matches it, the active model's own
   * collection becomes the serving one.
   */
  async open(): Promise<ActiveIndex> {
    // Read before loading any points: changes logged from here on are replayed, none are missed.
    const { changes } = await this.registry.versions();
    const row = await this.registry.serving();
    let index: ServingIndex | null = null;
    if (row) {
      try {
        index = await this.bind(row.spec, row.modelId);
      } catch (error) {
        // An outage is retried as it is; only a serving model that is gone for good is replaced.
        if (error instanceof VectorStoreUnavailableError || error instanceof EmbeddingUnavailableError) throw error;
        this.logger.warn(`Serving index ${row.collection} cannot be opened, starting from the active model: ${messageOf(error)}`);
      }
    }
    if (index && sameShape(index.spec, collectionSpecOf(index.provider))) {
      await this.ensureAlias(index);
      this.servingVersion = row!.version;
    } else {
      const provider = await this.models.load();
      index = await this.bindProvider(provider, collectionSpecOf(provider));
      await this.ensureAlias(index);
      this.servingVersion = await this.registry.promote(index.collection, index.spec, index.modelId, this.config.indexing.retireGraceMs);
    }
    this.changeSeq = Math.max(this.changeSeq, changes);
    this.current = index;
    return index;
  }

  startWorker(): void {
    this.stopped = false;
    this.unsubscribeSignal ??= this.outboxSignal.subscribe(() => this.wake());
    this.schedule(0);
    this.scheduleFollow();
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

  /**
   * Stops the worker and waits, up to SHUTDOWN_WAIT_MS, for the batch being indexed and a
   * running retrain or rebuild, so the database is not closed under them. A job still running
   * then is aborted at its next batch, which drops the collection it was filling.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribeSignal?.();
    this.shuttingDown = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.followTimer) clearTimeout(this.followTimer);
    const busy = () =>
      Promise.allSettled(
        [this.ticking, this.draining, this.driftChecking, this.job, this.retraining, this.following].filter((p) => p !== null),
      );
    if (await within(busy(), this.config.indexing.shutdownWaitMs)) return;
    this.logger.warn(`Shutdown: indexing still busy after ${this.config.indexing.shutdownWaitMs} ms, aborting it`);
    this.aborted = true;
    await within(busy(), 5_000);
  }

  /** Drains the outbox until it is empty or the store fails (CLI, tests). Returns rows processed. */
  async drain(progress?: Progress): Promise<number> {
    const total = await this.pendingCount();
    let done = 0;
    for (;;) {
      const processed = await this.drainOnce(true);
      if (processed === 0) {
        // Rows another process is indexing: wait for it (or for its lease to run out) so the
        // outbox is empty when this returns, as a caller of drain expects.
        if ((await this.outbox.claimedByOthers(this.writer)) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, DRAIN_WAIT_MS));
        continue;
      }
      done += processed;
      progress?.(Math.min(done, total), Math.max(total, done));
    }
    return done;
  }

  /**
   * Rebuilds the index for every recipe, under the index-build lock. In place by default
   * (unchanged recipes skipped); `recreate` fills a new collection from scratch and swaps it in,
   * so queries never see an empty or half-filled index.
   */
  async reindex(options: { recreate?: boolean } = {}, progress?: Progress): Promise<SyncResult> {
    return this.runJob('reindex', async (lock) => {
      const serving = await this.upToDate();
      if (!options.recreate) return this.sync(serving, progress);
      const next = await this.buildAndSwap(lock, serving.provider, serving.modelId, progress);
      const rest = await this.sync(next);
      return { indexed: lock.job.total + rest.indexed, unchanged: 0, deleted: rest.deleted };
    });
  }

  /** Trains a new model, indexes the catalog into its own collection, then swaps both in. */
  async retrainAndSwap(progress?: Progress): Promise<{ previous: string; current: string }> {
    const outcome = (models: { previous: string; current: string }) => (models.previous === models.current ? 'unchanged' : 'swapped');
    // Measured inside the job: a retrain refused because another one runs is not a retrain.
    return this.runJob('retrain', (lock) => this.metrics.measureRetrain(() => this.trainAndSwap(lock, progress), outcome));
  }

  private async trainAndSwap(lock: IndexJobLock, progress?: Progress): Promise<{ previous: string; current: string }> {
    const previous = await this.upToDate();
    const provider = await this.models.train();
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
    this.changesSinceTraining = 0;
    this.nextDriftCheckAt = 0;
    this.logger.log(`Swapped in model ${provider.modelId} (was ${previous.provider.modelId})`);
    return { previous: previous.provider.modelId, current: next.provider.modelId };
  }

  /** The job holding the index-build lock, in any process, or null. */
  runningJob() {
    return IndexJobLock.running(this.locks);
  }

  /** Compares catalog and index: missing, stale (content hash differs) and orphan ids, and stray collections. */
  async verify(options: { repair?: boolean } = {}, progress?: Progress): Promise<VerifyReport> {
    const index = await this.upToDate();
    // The outbox first, then the index, then the catalog: a recipe that is not pending when the
    // outbox is read was indexed before, so the index read after it holds it. Read the other way
    // round, a recipe indexed in between was neither pending nor indexed, and a report could say
    // "no drift, nothing pending" with a recipe missing from `indexed`.
    const pending = await this.outbox.queuedRecipeIds();
    const pendingOutbox = await this.pendingCount();
    const indexed = await this.indexedHashes(index.store);
    const rows = await this.recipes.contentHashes();
    const missing: string[] = [];
    const stale: string[] = [];
    const catalogIds = new Set<string>();
    for (const row of rows) {
      catalogIds.add(row.id);
      if (pending.has(row.id)) continue;
      const hash = indexed.get(row.id);
      if (hash === undefined) missing.push(row.id);
      else if (hash !== row.content_hash) stale.push(row.id);
    }
    const orphans = [...indexed.keys()].filter((id) => !catalogIds.has(id) && !pending.has(id));
    const collections = await this.collectionsReport(index);
    const report: VerifyReport = {
      modelId: index.provider.modelId,
      collection: index.collection,
      catalog: rows.length,
      indexed: indexed.size,
      missing,
      stale,
      orphans,
      pendingOutbox,
      collections,
      drift: missing.length + stale.length + orphans.length + collections.orphaned.length,
      repaired: false,
    };
    if (options.repair && report.drift > 0) {
      await this.indexIds(index, [...missing, ...stale], progress);
      await this.deletePoints(index, orphans);
      for (const name of collections.orphaned) await this.dropCollection(index.store, name);
      report.repaired = true;
    }
    // Normally the server drops these; a repair from the command line with no server running does.
    if (options.repair) await this.dropRetired();
    return report;
  }

  async status() {
    // Health reports a failing database itself; the lag is then simply unknown.
    const lag = await this.lag().catch(() => ({ pending: null, oldestPendingSeconds: null }));
    if (!this.current) {
      return {
        vectorStore: { state: 'down' as const, error: 'not started' },
        embedder: { state: 'down' as const, error: 'not started' },
        lag,
      };
    }
    let vectorStore;
    try {
      await this.current.store.ping();
      const info = await this.current.store.info();
      vectorStore = { state: 'up' as const, kind: info.kind, collection: info.collection, points: info.points };
    } catch (error) {
      vectorStore = { state: 'down' as const, kind: this.config.vectorStore.kind, error: messageOf(error) };
    }
    return {
      vectorStore,
      embedder: { state: 'up' as const, provider: this.config.embedding.provider, modelId: this.current.provider.modelId },
      lag: { ...lag, lastError: this.lastError },
    };
  }

  /**
   * Checks once whether another process swapped the serving index or wrote points to it, and
   * follows. The worker does this every INDEX_FOLLOW_MS; tests and commands may call it.
   */
  follow(): Promise<void> {
    this.following ??= this.followOnce()
      .catch((error) => this.logger.warn(`Following the shared index failed, will retry: ${messageOf(error)}`))
      .finally(() => {
        this.following = null;
      });
    return this.following;
  }

  // ---- following other processes ----

  private scheduleFollow(): void {
    if (this.stopped) return;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => void this.follow().finally(() => this.scheduleFollow()), this.config.indexing.followMs);
    this.followTimer.unref?.();
  }

  private async followOnce(): Promise<void> {
    if (!this.current || this.job) return;
    const versions = await this.registry.versions();
    if (versions.serving !== this.servingVersion) await this.switchToServing();
    else if (versions.changes > this.changeSeq) await this.reloadForeignChanges();
    if (Date.now() - this.housekeptAt >= HOUSEKEEPING_MS) {
      this.housekeptAt = Date.now();
      await this.registry.pruneChanges();
      await this.dropRetired();
    }
  }

  /** The serving index, after following a swap another process made since this one looked. */
  private async upToDate(): Promise<ServingIndex> {
    if (!this.current) {
      await this.open();
      return this.current!;
    }
    const { serving } = await this.registry.versions();
    if (serving !== this.servingVersion) await this.switchToServing();
    return this.current;
  }

  private async switchToServing(): Promise<void> {
    const { changes } = await this.registry.versions();
    const row = await this.registry.serving();
    if (!row || row.version === this.servingVersion) return;
    const next = await this.bind(row.spec, row.modelId);
    // A batch still writing to the previous collection finishes first; the sync below catches
    // what it wrote there and not here.
    await this.draining?.catch(() => undefined);
    const previous = this.current;
    this.current = next;
    this.servingVersion = row.version;
    this.changeSeq = Math.max(this.changeSeq, changes);
    if (previous?.modelId !== next.modelId) {
      this.changesSinceTraining = 0;
      this.nextDriftCheckAt = 0;
    }
    this.logger.log(`Now serving ${next.collection} (model ${next.provider.modelId}), swapped in by another process`);
    await this.sync(next);
  }

  private async reloadForeignChanges(): Promise<void> {
    const index = this.current!;
    const reload = index.store.reloadPoints?.bind(index.store);
    const { ids, last } = await this.registry.changesSince(this.changeSeq, this.writer, index.collection);
    if (reload) {
      if (ids === null || ids.length > RELOAD_ALL_ABOVE) await reload(null);
      else if (ids.length > 0) await reload(ids);
    }
    this.changeSeq = last;
  }

  // ---- building, swapping, retiring collections ----

  private async runJob<T>(kind: 'retrain' | 'reindex', work: (lock: IndexJobLock) => Promise<T>): Promise<T> {
    if (this.shuttingDown) throw new VectorStoreUnavailableError('The service is shutting down');
    const lock = await IndexJobLock.acquire(this.locks, kind, `${this.writer}:${++this.jobCount}`);
    const run = (async () => {
      try {
        return await work(lock);
      } finally {
        await lock.release().catch(() => undefined);
      }
    })();
    this.job = run;
    try {
      return await run;
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
    const name = collectionNameFor(spec, this.aliasName);
    await this.registry.register(name, spec, modelId, lock.job.owner);
    lock.update({ phase: 'indexing', collection: name });
    const store = this.stores.create();
    const next: ServingIndex = { provider, store, spec, modelId, collection: name };
    try {
      await store.ensureCollection(spec, { recreate: true });
      const rows = await this.recipes.idsInOrder();
      lock.update({ total: rows.length });
      const ids = rows.map((row) => row.id);
      const onBatch: Progress = (done, total) => {
        lock.assertHeld();
        if (this.aborted) throw new Error('Aborted by shutdown');
        lock.update({ done, total });
        progress?.(done, total);
      };
      onBatch(0, ids.length);
      await this.indexIds(next, ids, onBatch);
      lock.assertHeld();
      lock.update({ phase: 'swapping' });
      await this.swapIn(next);
    } catch (error) {
      try {
        await store.dropCollectionNamed(name);
        await this.registry.forget(name);
      } catch (cleanup) {
        // Still registered as building: once the lock is released it counts as orphaned, and
        // verify-index --repair removes it.
        this.logger.warn(`Could not drop ${name} after a failed build: ${messageOf(cleanup)}`);
      }
      throw error;
    }
    lock.update({ phase: 'repairing' });
    // Catalog writes that landed while the new collection was filling were applied to the old
    // one; comparing content hashes catches exactly those.
    try {
      await this.sync(next);
    } catch (error) {
      this.logger.warn(`Bringing ${name} up to date after the swap failed; the worker retries: ${messageOf(error)}`);
    }
    return next;
  }

  /** Points the alias at the new collection, then records the swap in SQLite for every process. */
  private async swapIn(next: ServingIndex): Promise<void> {
    await next.store.switchAlias(this.aliasName, next.collection);
    const version = await this.registry.promote(next.collection, next.spec, next.modelId, this.config.indexing.retireGraceMs);
    await this.draining?.catch(() => undefined);
    this.current = next;
    this.servingVersion = version;
    if (this.config.indexing.retireGraceMs === 0) await this.dropRetired();
  }

  /** Drops retired collections whose grace period is over (another process may still read one until it follows). */
  private async dropRetired(): Promise<void> {
    const index = this.current;
    if (!index) return;
    const serving = await this.registry.serving();
    for (const entry of await this.registry.collections()) {
      if (entry.state !== 'retired' || (entry.dropAfter ?? 0) > Date.now()) continue;
      if (entry.name === serving?.collection || entry.name === index.collection) continue;
      await this.dropCollection(index.store, entry.name);
    }
  }

  private async dropCollection(store: VectorStore, name: string): Promise<void> {
    await store.dropCollectionNamed(name);
    await this.registry.forget(name);
    this.logger.log(`Dropped collection ${name}`);
  }

  private async collectionsReport(index: ServingIndex): Promise<CollectionsReport> {
    const names = await index.store.listCollections();
    const registered = new Map((await this.registry.collections()).map((entry) => [entry.name, entry]));
    const job = await IndexJobLock.running(this.locks);
    const report: CollectionsReport = { serving: index.collection, building: [], retiring: [], orphaned: [] };
    for (const name of names) {
      if (name === index.collection) continue;
      const entry = registered.get(name);
      if (entry?.state === 'serving') continue;
      if (entry?.state === 'retired') report.retiring.push(name);
      else if (entry?.state === 'building' && job !== null && job.owner === entry.owner) report.building.push(name);
      else report.orphaned.push(name);
    }
    return report;
  }

  private async bind(spec: CollectionSpec, modelId: string): Promise<ServingIndex> {
    const provider = await this.models.use(modelId);
    return this.bindProvider(provider, spec, modelId);
  }

  private async bindProvider(
    provider: EmbeddingProvider,
    spec: CollectionSpec,
    modelId = this.models.conceptModelIdOf(provider),
  ): Promise<ServingIndex> {
    const store = this.stores.create();
    await store.ensureCollection(spec);
    return { provider, store, spec, modelId, collection: collectionNameFor(spec, this.aliasName) };
  }

  private async ensureAlias(index: ServingIndex): Promise<void> {
    if ((await index.store.aliasTarget(this.aliasName)) !== index.collection)
      await index.store.switchAlias(this.aliasName, index.collection);
  }

  // ---- keeping one index in step with the catalog ----

  /**
   * Indexes every recipe whose content hash the index lacks and deletes orphans. Outbox rows
   * queued before the comparison are then satisfied, so they are cleared rather than replayed.
   */
  private async sync(index: ServingIndex, progress?: Progress): Promise<SyncResult> {
    const maxId = await this.outbox.maxId();
    const known = await this.indexedHashes(index.store);
    const rows = await this.recipes.contentHashes();
    const todo = rows.filter((row) => known.get(row.id) !== row.content_hash).map((row) => row.id);
    await this.indexIds(index, todo, progress);
    const catalogIds = new Set(rows.map((row) => row.id));
    const orphans = [...known.keys()].filter((id) => !catalogIds.has(id));
    await this.deletePoints(index, orphans);
    if (maxId !== null) await this.outbox.deleteUpTo(maxId);
    return { indexed: todo.length, unchanged: rows.length - todo.length, deleted: orphans.length };
  }

  private async lag() {
    const { pending, oldest } = await this.outbox.backlog();
    return {
      pending,
      oldestPendingSeconds: oldest ? Math.max(0, Math.round((Date.now() - Date.parse(oldest)) / 1000)) : 0,
    };
  }

  private async pendingCount(): Promise<number> {
    return this.outbox.pendingCount();
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
      if (!this.current) await this.prepare();
      processed = await this.drainOnce(false);
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
   * Processes one batch of due outbox rows. The last operation per recipe wins. On failure the
   * rows stay, with a later `available_at` (exponential back-off), so nothing is lost.
   */
  private drainOnce(ignoreBackoff: boolean): Promise<number> {
    if (this.draining) return this.draining;
    this.draining = this.processBatch(ignoreBackoff).finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async processBatch(ignoreBackoff: boolean): Promise<number> {
    if (!this.current) this.active();
    const index = this.current!;
    const rows = await this.outbox.claim(this.writer, this.config.indexing.batchSize, ignoreBackoff, OUTBOX_LEASE_MS);
    if (rows.length === 0) return 0;
    const last = new Map<string, OutboxRecord>();
    for (const row of rows) last.set(row.recipe_id, row);
    const upserts = [...last.values()].filter((row) => row.op === 'upsert').map((row) => row.recipe_id);
    const deletes = [...last.values()].filter((row) => row.op === 'delete').map((row) => row.recipe_id);
    try {
      const indexed = await this.indexIds(index, upserts);
      const gone = upserts.filter((id) => !indexed.has(id));
      await this.deletePoints(index, [...deletes, ...gone]);
      await this.deleteRows(rows.map((row) => row.id));
      this.changesSinceTraining += rows.length;
      this.lastError = null;
      return rows.length;
    } catch (error) {
      await this.postpone(rows, error);
      throw error;
    }
  }

  /**
   * Embeds and upserts the given recipes; returns the ids that still exist in the catalog.
   * Reading, analysing and embedding go a slice at a time with the event loop let in between:
   * 256 recipes of 250 ingredients in one piece held it for several hundred milliseconds, and a
   * search waited that long. The store still takes one write per batch.
   */
  private async indexIds(index: ServingIndex, ids: string[], progress?: Progress): Promise<Set<string>> {
    const found = new Set<string>();
    const budget = new EventLoopBudget();
    for (let i = 0; i < ids.length; i += EMBED_BATCH) {
      const batch = ids.slice(i, i + EMBED_BATCH);
      const records: VectorRecord[] = [];
      for (let j = 0; j < batch.length; j += this.embedSlice) {
        await budget.yieldIfSpent();
        const entities = await this.dataSource.getRepository(RecipeEntity).findBy({ id: In(batch.slice(j, j + this.embedSlice)) });
        const analyses: RecipeAnalysis[] = [];
        for (const entity of entities) {
          await budget.yieldIfSpent();
          analyses.push(this.analyzer.analyze(toRecipeInput(entity)));
        }
        await budget.yieldIfSpent();
        const vectors = await index.provider.embedRecipes(entities.map((entity, k) => recipeDocument(entity, analyses[k])));
        entities.forEach((entity, k) =>
          records.push({
            id: entity.id,
            dense: vectors[k].dense,
            sparse: vectors[k].sparse,
            payload: recipePayload(entity, analyses[k], (id) => this.lexicon.ancestors(id)),
            contentHash: entity.contentHash,
          }),
        );
      }
      await index.store.upsert(records);
      await this.logChange(
        index,
        records.map((record) => record.id),
      );
      for (const record of records) found.add(record.id);
      progress?.(Math.min(i + EMBED_BATCH, ids.length), ids.length);
    }
    return found;
  }

  /** Recipes read and embedded between yields: the embedding batch size, so a remote model sees the batches it is set up for. */
  private get embedSlice(): number {
    return Math.max(1, Math.min(EMBED_BATCH, this.config.embedding.batchSize));
  }

  private async deletePoints(index: ServingIndex, ids: string[]): Promise<void> {
    await index.store.delete(ids);
    await this.logChange(index, ids);
  }

  /**
   * Tells other processes which points of the serving collection changed, so a store that
   * keeps points in memory reloads them. Written after the store's commit: a reader never
   * reloads a point before its new value is there.
   */
  private async logChange(index: ServingIndex, ids: string[]): Promise<void> {
    if (!index.store.reloadPoints || index !== this.current) return;
    await this.registry.recordChange(this.writer, index.collection, ids);
  }

  private async indexedHashes(store: VectorStore): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page = await store.scroll(cursor, 1000);
      for (const record of page.records) hashes.set(record.id, record.contentHash);
      cursor = page.next;
    } while (cursor !== null);
    return hashes;
  }

  private async deleteRows(ids: number[]): Promise<void> {
    await this.outbox.delete(ids);
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
   * The design note's freshness limit: concept vectors are learned from the catalog, so after
   * a large change the model retrains in the background, fills a new collection, and swaps in
   * with it atomically. Queries keep using the old pair meanwhile. Another process's retrain
   * holding the lock is not a failure: this one follows its swap.
   */
  /**
   * The drift check reads and analyses the whole catalog: seconds at 100,000 recipes, more while
   * searches share the CPU. The outbox keeps draining meanwhile (a new recipe waited over 30 s
   * to be indexed while the worker's turn awaited the check). One check at a time; a failure
   * (database gone at shutdown, disk trouble) is recorded, never left unhandled.
   */
  private checkDriftInBackground(): void {
    if (this.driftChecking) return;
    this.driftChecking = this.maybeRetrain()
      .catch((error) => {
        this.lastError = messageOf(error);
        this.metrics.recordFailure(error, 'indexing');
      })
      .finally(() => {
        this.driftChecking = null;
      });
  }

  private async maybeRetrain(): Promise<void> {
    if (this.retraining || this.job || !this.current) return;
    const share = this.config.embedding.retrainDriftShare;
    const enough = Math.max(1, Math.ceil(share * this.models.trainedRecipeCount()));
    if (this.changesSinceTraining < Math.max(enough, this.nextDriftCheckAt)) return;
    const drift = await this.models.catalogDrift();
    if (drift <= share) {
      // Rewrites of the same recipes: look again after another quarter of the threshold.
      this.nextDriftCheckAt = this.changesSinceTraining + Math.ceil(enough / 4);
      return;
    }
    this.retraining = this.retrainAndSwap()
      .then(() => undefined)
      .catch((error) => {
        if (error instanceof IndexJobRunningError) return;
        this.logger.error(`Background retraining failed: ${messageOf(error)}`);
      })
      .finally(() => {
        this.retraining = null;
      });
  }
}

/** Short, unique across processes without coordination: time plus randomness. */
function buildId(): string {
  return `b${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/** The same collection layout apart from which build of it. */
function sameShape(a: CollectionSpec, b: CollectionSpec): boolean {
  const strip = ({ build: _build, ...rest }: CollectionSpec) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

/** Resolves true when `work` settles within `ms`, false otherwise. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
