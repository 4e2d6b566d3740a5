import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { EmbeddingUnavailableError } from '../embedding/embedding.errors';
import { collectionSpecOf, EmbeddingProvider } from '../embedding/embedding-provider.port';
import { collectionNameFor } from '../vector-store/collection-name';
import { VectorStoreUnavailableError } from '../vector-store/vector-store.errors';
import { CollectionSpec, VectorStore } from '../vector-store/vector-store.port';
import { VectorStoreFactory } from '../vector-store/vector-store.factory';
import type { SiblingNotices } from '../cluster/sibling-notices';
import { IndexRegistryRepository } from './index-registry.repository';
import { ActiveIndex, messageOf, ServingIndex, within } from './indexing.types';
import { SIBLING_NOTICES } from './outbox-signal';

/** Foreign changes beyond this many ids reload the whole collection: one query instead of many. */
const RELOAD_ALL_ABOVE = 5_000;
const HOUSEKEEPING_MS = 5_000;

/**
 * Which index serves queries in this process, kept in step with the other processes on the
 * database. A retrain or a rebuild (in any process) fills a new collection, then points the
 * serving alias at it and bumps the serving version in SQLite; every process polls that version
 * (and the log of points written by others) every INDEX_FOLLOW_MS and follows without a restart.
 * The other workers of the service (WORKERS) are told at once when this one changes the index,
 * and follow then rather than at their next poll. This class swaps collections in, follows swaps
 * and point changes made elsewhere, and drops retired collections once their grace period is
 * over; it does not fill collections.
 */
@Injectable()
export class ActiveIndexRegistry implements OnModuleDestroy {
  private readonly logger = new Logger(ActiveIndexRegistry.name);
  private readonly registry: IndexRegistryRepository;
  /** Names this process in the change log, the outbox claims and the index-build lock. */
  readonly processName = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private current: ServingIndex | null = null;
  private servingVersion = 0;
  private changeSeq = 0;
  private followTimer: NodeJS.Timeout | null = null;
  private following: Promise<void> | null = null;
  /** Another worker changed the index while a check ran (which may have read before it): check again after. */
  private followAgain = false;
  /** Until startFollowing, and again from shutdown: neither polls nor another worker's notice starts a check. */
  private stopped = true;
  private housekeptAt = 0;
  /** Writes to the serving index in flight (the outbox worker's batch); a swap waits for them. */
  private readonly writes = new Set<Promise<unknown>>();
  /** Retrains and rebuilds running in this process: they swap in themselves, so following waits. */
  private builds = 0;
  private catchUp: ((index: ServingIndex) => Promise<unknown>) | null = null;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: EmbeddingModelService,
    private readonly stores: VectorStoreFactory,
    @Inject(SIBLING_NOTICES) private readonly siblings: SiblingNotices,
  ) {
    this.registry = new IndexRegistryRepository(dataSource);
    siblings.subscribe('index-changed', () => this.followNow());
  }

  /** The serving alias: the collection prefix itself, which no collection name equals. */
  get aliasName(): string {
    return this.config.vectorStore.qdrant.collectionPrefix;
  }

  /** The index queries should use; throws 503-mapped errors until it has been opened. */
  active(): ActiveIndex {
    return this.serving();
  }

  /** The serving index with its names; throws 503-mapped errors until it has been opened. */
  serving(): ServingIndex {
    if (!this.current) throw new VectorStoreUnavailableError('The search index is still starting');
    return this.current;
  }

  /** Whether the serving index has been opened in this process. */
  get opened(): boolean {
    return this.current !== null;
  }

  /**
   * How a collection swapped in by another process is brought up to the catalog once this one
   * follows (the synchroniser's full comparison). Set by IndexSynchroniser, which needs this
   * registry itself and so cannot be injected here.
   */
  onFollowedSwap(catchUp: (index: ServingIndex) => Promise<unknown>): void {
    this.catchUp = catchUp;
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

  /** The serving index, after following a swap another process made since this one looked. */
  async upToDate(): Promise<ServingIndex> {
    if (!this.current) {
      await this.open();
      return this.current!;
    }
    const { serving } = await this.registry.versions();
    if (serving !== this.servingVersion) await this.switchToServing();
    return this.current;
  }

  /** Polls for other processes' swaps and point changes every INDEX_FOLLOW_MS until shutdown. */
  startFollowing(): void {
    this.stopped = false;
    this.scheduleFollow();
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
        if (this.followAgain) this.followNow();
      });
    return this.following;
  }

  /** Another worker changed the index: follow now, or once the check in progress is done. */
  private followNow(): void {
    this.followAgain = false;
    if (this.stopped) return;
    if (this.following) this.followAgain = true;
    else void this.follow();
  }

  /** Stops following and waits for a check in progress, so the database is not closed under it. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.followTimer) clearTimeout(this.followTimer);
    if (this.following) await within(this.following, this.config.indexing.shutdownWaitMs + 5_000);
  }

  /** Runs a write to the serving index that a swap must not overtake (the outbox worker's batch). */
  writing<T>(work: Promise<T>): Promise<T> {
    this.writes.add(work);
    const done = () => this.writes.delete(work);
    work.then(done, done);
    return work;
  }

  /** Runs a retrain or rebuild of this process; following another process's swap waits until it ends. */
  building<T>(work: Promise<T>): Promise<T> {
    this.builds += 1;
    return work.finally(() => {
      this.builds -= 1;
    });
  }

  /** Points the alias at the new collection, then records the swap in SQLite for every process. */
  async swapIn(next: ServingIndex): Promise<void> {
    await next.store.switchAlias(this.aliasName, next.collection);
    const version = await this.registry.promote(next.collection, next.spec, next.modelId, this.config.indexing.retireGraceMs);
    this.siblings.announce('index-changed');
    await this.writesSettled();
    this.current = next;
    this.servingVersion = version;
    if (this.config.indexing.retireGraceMs === 0) await this.dropRetired();
  }

  /** Drops retired collections whose grace period is over (another process may still read one until it follows). */
  async dropRetired(): Promise<void> {
    const index = this.current;
    if (!index) return;
    const serving = await this.registry.serving();
    for (const entry of await this.registry.collections()) {
      if (entry.state !== 'retired' || (entry.dropAfter ?? 0) > Date.now()) continue;
      if (entry.name === serving?.collection || entry.name === index.collection) continue;
      await this.dropCollection(index.store, entry.name);
    }
  }

  async dropCollection(store: VectorStore, name: string): Promise<void> {
    await store.dropCollectionNamed(name);
    await this.registry.forget(name);
    this.logger.log(`Dropped collection ${name}`);
  }

  /**
   * Tells other processes which points of the serving collection changed, so a store that
   * keeps points in memory reloads them. Written after the store's commit: a reader never
   * reloads a point before its new value is there.
   */
  async logChange(index: ServingIndex, ids: string[]): Promise<void> {
    if (!index.store.reloadPoints || index !== this.current) return;
    await this.registry.recordChange(this.processName, index.collection, ids);
    this.siblings.announce('index-changed');
  }

  // ---- following other processes ----

  private scheduleFollow(): void {
    if (this.stopped) return;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => void this.follow().finally(() => this.scheduleFollow()), this.config.indexing.followMs);
    this.followTimer.unref?.();
  }

  private async followOnce(): Promise<void> {
    if (!this.current || this.builds > 0) return;
    const versions = await this.registry.versions();
    if (versions.serving !== this.servingVersion) await this.switchToServing();
    else if (versions.changes > this.changeSeq) await this.reloadForeignChanges();
    if (Date.now() - this.housekeptAt >= HOUSEKEEPING_MS) {
      this.housekeptAt = Date.now();
      await this.registry.pruneChanges();
      await this.dropRetired();
    }
  }

  private async switchToServing(): Promise<void> {
    const { changes } = await this.registry.versions();
    const row = await this.registry.serving();
    if (!row || row.version === this.servingVersion) return;
    const next = await this.bind(row.spec, row.modelId);
    // A batch still writing to the previous collection finishes first; the catch-up below
    // finds what it wrote there and not here.
    await this.writesSettled();
    this.current = next;
    this.servingVersion = row.version;
    this.changeSeq = Math.max(this.changeSeq, changes);
    this.logger.log(`Now serving ${next.collection} (model ${next.provider.modelId}), swapped in by another process`);
    await this.catchUp?.(next);
  }

  private async reloadForeignChanges(): Promise<void> {
    const index = this.current!;
    const reload = index.store.reloadPoints?.bind(index.store);
    const { ids, last } = await this.registry.changesSince(this.changeSeq, this.processName, index.collection);
    if (reload) {
      if (ids === null || ids.length > RELOAD_ALL_ABOVE) await reload(null);
      else if (ids.length > 0) await reload(ids);
    }
    this.changeSeq = last;
  }

  private async writesSettled(): Promise<void> {
    await Promise.allSettled([...this.writes]);
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
}

/** The same collection layout apart from which build of it. */
function sameShape(a: CollectionSpec, b: CollectionSpec): boolean {
  const strip = ({ build: _build, ...rest }: CollectionSpec) => JSON.stringify(rest);
  return strip(a) === strip(b);
}
