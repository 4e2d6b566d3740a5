import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { collectionSpecOf, EmbeddingProvider } from '../embedding/embedding-provider.port';
import { RecipeEntity } from '../recipes/recipe.entity';
import { RecipeAnalyzer } from '../text/recipe-analyzer';
import { FoodLexicon } from '../text/food-lexicon';
import { MetricsService } from '../observability/metrics.service';
import { VectorStoreUnavailableError } from '../vector-store/vector-store.errors';
import { VectorRecord, VectorStore } from '../vector-store/vector-store.port';
import { VectorStoreFactory } from '../vector-store/vector-store.factory';
import { recipeDocument, recipePayload } from './recipe-document';
import { toRecipeInput } from '../recipes/recipe-mapper';

export type Progress = (done: number, total: number) => void;

/** The provider and the store collection that hold its vectors: swapped together, never apart. */
export interface ActiveIndex {
  provider: EmbeddingProvider;
  store: VectorStore;
}

export interface SyncResult {
  indexed: number;
  unchanged: number;
  deleted: number;
}

export interface VerifyReport {
  modelId: string;
  collection: string;
  catalog: number;
  indexed: number;
  missing: string[];
  stale: string[];
  orphans: string[];
  pendingOutbox: number;
  drift: number;
  repaired: boolean;
}

interface OutboxRecord {
  id: number;
  recipe_id: string;
  op: 'upsert' | 'delete';
  attempts: number;
}

const EMBED_BATCH = 256;

/**
 * Keeps the vector index in step with the catalog. SQLite is the source of truth: catalog
 * writes leave rows in `index_outbox`, which this service drains in batches, retrying with
 * back-off while the vector store or embedder is down, so an outage delays indexing and
 * never loses it.
 */
@Injectable()
export class IndexingService implements OnModuleDestroy {
  private readonly logger = new Logger(IndexingService.name);
  private current: ActiveIndex | null = null;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private stopped = false;
  private lastError: string | null = null;
  private consecutiveFailures = 0;
  private retraining: Promise<void> | null = null;
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
  ) {}

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
    const index = this.current ?? (await this.open());
    const result = await this.sync(index, progress);
    if (result.indexed + result.deleted > 0) {
      this.logger.log(`Index brought up to date: ${result.indexed} recipes indexed, ${result.deleted} orphans removed`);
    }
    return result;
  }

  /** Loads the active model and opens its collection, without touching the index's content. */
  async open(): Promise<ActiveIndex> {
    const provider = await this.models.load();
    const store = this.stores.create();
    await store.ensureCollection(collectionSpecOf(provider));
    this.current = { provider, store };
    return this.current;
  }

  startWorker(): void {
    this.stopped = false;
    this.schedule(0);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Drains the outbox until it is empty or the store fails (CLI, tests). Returns rows processed. */
  async drain(progress?: Progress): Promise<number> {
    const total = await this.pendingCount();
    let done = 0;
    for (;;) {
      const processed = await this.drainOnce(true);
      if (processed === 0) break;
      done += processed;
      progress?.(Math.min(done, total), Math.max(total, done));
    }
    return done;
  }

  /** Rebuilds the index for every recipe; `recreate` starts from an empty collection. */
  async reindex(options: { recreate?: boolean } = {}, progress?: Progress): Promise<SyncResult> {
    const provider = await this.models.load();
    const store = this.stores.create();
    await store.ensureCollection(collectionSpecOf(provider), { recreate: options.recreate });
    const target: ActiveIndex = { provider, store };
    const result = await this.sync(target, progress);
    this.current = target;
    return result;
  }

  /**
   * Indexes every recipe whose content hash the index lacks and deletes orphans. Outbox rows
   * queued before the comparison are then satisfied, so they are cleared rather than replayed.
   */
  private async sync(index: ActiveIndex, progress?: Progress): Promise<SyncResult> {
    const [{ maxId }] = await this.dataSource.query('SELECT MAX(id) AS maxId FROM index_outbox');
    const known = await this.indexedHashes(index.store);
    const rows: Array<{ id: string; content_hash: string }> = await this.dataSource.query(
      'SELECT id, content_hash FROM recipes ORDER BY id',
    );
    const todo = rows.filter((row) => known.get(row.id) !== row.content_hash).map((row) => row.id);
    await this.indexIds(index, todo, progress);
    const catalogIds = new Set(rows.map((row) => row.id));
    const orphans = [...known.keys()].filter((id) => !catalogIds.has(id));
    await index.store.delete(orphans);
    if (maxId !== null) await this.dataSource.transaction((m) => m.query('DELETE FROM index_outbox WHERE id <= ?', [maxId]));
    return { indexed: todo.length, unchanged: rows.length - todo.length, deleted: orphans.length };
  }

  /** Compares catalog and index: missing, stale (content hash differs) and orphan ids. */
  async verify(options: { repair?: boolean } = {}, progress?: Progress): Promise<VerifyReport> {
    const index = this.active();
    const indexed = await this.indexedHashes(index.store);
    const rows: Array<{ id: string; content_hash: string }> = await this.dataSource.query(
      'SELECT id, content_hash FROM recipes',
    );
    const missing: string[] = [];
    const stale: string[] = [];
    const catalogIds = new Set<string>();
    for (const row of rows) {
      catalogIds.add(row.id);
      const hash = indexed.get(row.id);
      if (hash === undefined) missing.push(row.id);
      else if (hash !== row.content_hash) stale.push(row.id);
    }
    const orphans = [...indexed.keys()].filter((id) => !catalogIds.has(id));
    const info = await index.store.info();
    const report: VerifyReport = {
      modelId: index.provider.modelId,
      collection: info.collection,
      catalog: rows.length,
      indexed: indexed.size,
      missing,
      stale,
      orphans,
      pendingOutbox: await this.pendingCount(),
      drift: missing.length + stale.length + orphans.length,
      repaired: false,
    };
    if (options.repair && report.drift > 0) {
      await this.indexIds(index, [...missing, ...stale], progress);
      await index.store.delete(orphans);
      report.repaired = true;
    }
    return report;
  }

  async status() {
    const lag = await this.lag();
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

  private async lag() {
    const [row] = await this.dataSource.query('SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM index_outbox');
    const pending = Number(row.n);
    return {
      pending,
      oldestPendingSeconds: row.oldest ? Math.max(0, Math.round((Date.now() - Date.parse(row.oldest)) / 1000)) : 0,
    };
  }

  private async pendingCount(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT COUNT(*) AS n FROM index_outbox');
    return Number(row.n);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
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
    if (processed > 0) return this.schedule(0);
    if (this.consecutiveFailures > 0) return this.schedule(this.backoff(this.consecutiveFailures));
    await this.maybeRetrain();
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
    const index = this.active();
    const rows: OutboxRecord[] = await this.dataSource.query(
      `SELECT id, recipe_id, op, attempts FROM index_outbox ${ignoreBackoff ? '' : 'WHERE available_at <= ?'} ORDER BY id LIMIT ?`,
      ignoreBackoff ? [this.config.indexing.batchSize] : [Date.now(), this.config.indexing.batchSize],
    );
    if (rows.length === 0) return 0;
    const last = new Map<string, OutboxRecord>();
    for (const row of rows) last.set(row.recipe_id, row);
    const upserts = [...last.values()].filter((row) => row.op === 'upsert').map((row) => row.recipe_id);
    const deletes = [...last.values()].filter((row) => row.op === 'delete').map((row) => row.recipe_id);
    try {
      const indexed = await this.indexIds(index, upserts);
      const gone = upserts.filter((id) => !indexed.has(id));
      await index.store.delete([...deletes, ...gone]);
      await this.deleteRows(rows.map((row) => row.id));
      this.changesSinceTraining += rows.length;
      this.lastError = null;
      return rows.length;
    } catch (error) {
      await this.postpone(rows, error);
      throw error;
    }
  }

  /** Embeds and upserts the given recipes; returns the ids that still exist in the catalog. */
  private async indexIds(index: ActiveIndex, ids: string[], progress?: Progress): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += EMBED_BATCH) {
      const entities = await this.dataSource.getRepository(RecipeEntity).findBy({ id: In(ids.slice(i, i + EMBED_BATCH)) });
      const analyses = entities.map((entity) => this.analyzer.analyze(toRecipeInput(entity)));
      const vectors = await index.provider.embedRecipes(entities.map((entity, j) => recipeDocument(entity, analyses[j])));
      const records: VectorRecord[] = entities.map((entity, j) => ({
        id: entity.id,
        dense: vectors[j].dense,
        sparse: vectors[j].sparse,
        payload: recipePayload(entity, analyses[j], (id) => this.lexicon.ancestors(id)),
        contentHash: entity.contentHash,
      }));
      await index.store.upsert(records);
      for (const entity of entities) found.add(entity.id);
      progress?.(Math.min(i + EMBED_BATCH, ids.length), ids.length);
    }
    return found;
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
    await this.dataSource.transaction(async (manager) => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        await manager.query(`DELETE FROM index_outbox WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk);
      }
    });
  }

  private async postpone(rows: OutboxRecord[], error: unknown): Promise<void> {
    const message = messageOf(error).slice(0, 500);
    this.lastError = message;
    this.logger.warn(`Indexing ${rows.length} outbox rows failed, will retry: ${message}`);
    await this.dataSource.transaction(async (manager) => {
      for (const row of rows) {
        const attempts = row.attempts + 1;
        await manager.query('UPDATE index_outbox SET attempts = ?, available_at = ?, last_error = ? WHERE id = ?', [
          attempts,
          Date.now() + this.backoff(attempts),
          message,
          row.id,
        ]);
      }
    });
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.config.indexing.maxBackoffMs, 250 * 2 ** Math.min(attempts, 16));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  /**
   * The design note's freshness limit: concept vectors are learned from the catalog, so after
   * a large change the model retrains in the background, fills a new collection, and swaps in
   * with it atomically. Queries keep using the old pair meanwhile.
   */
  private async maybeRetrain(): Promise<void> {
    if (this.retraining || !this.current) return;
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
      .then(() => {
        this.changesSinceTraining = 0;
        this.nextDriftCheckAt = 0;
      })
      .catch((error) => this.logger.error(`Background retraining failed: ${messageOf(error)}`))
      .finally(() => {
        this.retraining = null;
      });
  }

  /** Trains a new model, indexes the catalog into its own collection, then swaps both in. */
  retrainAndSwap(progress?: Progress): Promise<{ previous: string; current: string }> {
    const outcome = (models: { previous: string; current: string }) => (models.previous === models.current ? 'unchanged' : 'swapped');
    return this.metrics.measureRetrain(() => this.trainAndSwap(progress), outcome);
  }

  private async trainAndSwap(progress?: Progress): Promise<{ previous: string; current: string }> {
    const previous = this.active();
    const provider = await this.models.train();
    if (provider.modelId === previous.provider.modelId) {
      await this.models.activate(provider.modelId);
      return { previous: previous.provider.modelId, current: provider.modelId };
    }
    const store = this.stores.create();
    await store.ensureCollection(collectionSpecOf(provider), { recreate: true });
    const next: ActiveIndex = { provider, store };
    const rows: Array<{ id: string }> = await this.dataSource.query('SELECT id FROM recipes');
    await this.indexIds(next, rows.map((row) => row.id), progress);
    await this.models.activate(provider.modelId);
    this.current = next;
    this.logger.log(`Swapped in model ${provider.modelId} (was ${previous.provider.modelId})`);
    // Catalog writes that landed while the new collection was filling were applied to the old
    // one; comparing content hashes catches exactly those.
    await this.verify({ repair: true });
    await previous.store.dropCollection();
    return { previous: previous.provider.modelId, current: provider.modelId };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
