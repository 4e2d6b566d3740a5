import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLoopBudget } from '../common/event-loop';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeAnalysisMemo } from '../text/recipe-analysis-memo';
import { VectorRecord, VectorStore } from '../vector-store/vector-store.port';
import { ActiveIndexRegistry } from './active-index-registry.service';
import { IndexJobLock } from './index-job-lock';
import { IndexJobLockRepository } from './index-job-lock.repository';
import { IndexOutboxRepository } from './index-outbox.repository';
import { IndexRegistryRepository } from './index-registry.repository';
import { Progress, ServingIndex } from './indexing.types';
import { OutboxSignal } from './outbox-signal';
import { recipeDocument, recipePayload } from './recipe-document';

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
/** Times a batch is written again for recipes that changed under it (see overtaken). */
const OVERTAKEN_ROUNDS = 3;

/**
 * Puts catalog recipes into an index: embeds and writes given ids, and compares the catalog's
 * content hashes with the index's to find what is missing, stale or orphaned, either to fix it
 * all (sync, at start and after a swap) or to report it (verify, with an optional repair).
 *
 * Every write to the serving index goes through `reconcile`, which brings a batch of recipes'
 * points to what the catalog holds when it reads them, one batch at a time in this process: the
 * outbox worker's batches, sync's (at start) and repair's. A catch-up after a swap goes through
 * the outbox (see catchUp). Before, sync and repair wrote what they had read beside the worker,
 * and a sync still embedding a recipe's old version could write it over the newer one the worker
 * had just indexed, with no outbox row left to correct it. Another process's writes are not
 * held back by this process's turns: after each write the batch reads the catalog again and
 * writes what changed under it (see overtaken).
 */
@Injectable()
export class IndexSynchroniser {
  private readonly logger = new Logger(IndexSynchroniser.name);
  private readonly outbox: IndexOutboxRepository;
  private readonly recipes: RecipeRowsRepository;
  private readonly collections: IndexRegistryRepository;
  private readonly locks: IndexJobLockRepository;
  /** The reconcile batch in progress: the next waits for it (see the class comment). */
  private writer: Promise<unknown> = Promise.resolve();
  /** A catch-up after a swap that failed: the worker runs it again before its next batch. */
  private owed: ServingIndex | null = null;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ActiveIndexRegistry,
    private readonly analysisMemo: RecipeAnalysisMemo,
    private readonly lexicon: FoodLexicon,
    private readonly outboxSignal: OutboxSignal,
  ) {
    this.outbox = new IndexOutboxRepository(dataSource);
    this.recipes = new RecipeRowsRepository(dataSource);
    this.collections = new IndexRegistryRepository(dataSource);
    this.locks = new IndexJobLockRepository(dataSource);
    registry.onFollowedSwap((index) => this.catchUp(index));
  }

  /**
   * Loads (or trains) the embedding model, opens its collection, and brings the index up to
   * the catalog, so a model change or a crashed run converges at start.
   */
  async prepare(progress?: Progress): Promise<SyncResult> {
    const index = await this.registry.upToDate();
    const result = await this.sync(index, progress);
    if (result.indexed + result.deleted > 0) {
      this.logger.log(`Index brought up to date: ${result.indexed} recipes indexed, ${result.deleted} orphans removed`);
    }
    return result;
  }

  /**
   * Indexes every recipe whose content hash the index lacks and deletes orphans. Outbox rows
   * queued before the comparison are then satisfied, so they are cleared rather than replayed.
   */
  async sync(index: ServingIndex, progress?: Progress): Promise<SyncResult> {
    const maxId = await this.outbox.maxId();
    const { ids, unchanged } = await this.differences(index);
    // An orphan created again since the comparison is indexed, not deleted.
    const { indexed, deleted } = await this.reconcile(index, ids, progress);
    if (maxId !== null) await this.outbox.deleteUpTo(maxId);
    return { indexed, unchanged, deleted };
  }

  /** The recipes whose points differ from the catalog (missing or stale), and the points of recipes no longer in it. */
  async differences(index: ServingIndex): Promise<{ ids: string[]; unchanged: number }> {
    const known = await this.indexedHashes(index.store);
    const rows = await this.recipes.contentHashes();
    const todo = rows.filter((row) => known.get(row.id) !== row.content_hash).map((row) => row.id);
    const catalogIds = new Set(rows.map((row) => row.id));
    const orphans = [...known.keys()].filter((id) => !catalogIds.has(id));
    return { ids: [...todo, ...orphans], unchanged: rows.length - todo.length };
  }

  /**
   * After a swap, the catalog writes that reached the previous collection while the new one
   * filled (this process's, and another's until it followed the swap) are found by comparing
   * content hashes, and queued in the outbox: whichever process claims them indexes them, under
   * the claims that keep two processes off one recipe. Written here directly, they could land
   * beside another process's batch for the same recipe and overwrite a newer version. If the
   * comparison fails (the store briefly unreachable), it is owed: the outbox worker runs it again
   * after its next batch (`settleOwed`) until it succeeds; nothing else would bring those
   * writes to the new collection, since their outbox rows are gone.
   */
  async catchUp(index: ServingIndex): Promise<void> {
    try {
      const { ids } = await this.differences(index);
      await this.outbox.enqueueAlone(ids);
      if (ids.length > 0) this.outboxSignal.written();
      if (this.owed === index) this.owed = null;
    } catch (error) {
      this.owed = index;
      throw error;
    }
  }

  /** Runs an owed catch-up (see catchUp), if the index it is owed to still serves. */
  async settleOwed(): Promise<void> {
    const owed = this.owed;
    if (owed === null) return;
    if (!this.registry.opened || this.registry.serving() !== owed) {
      // Another swap since: its own catch-up compares the whole catalog again.
      this.owed = null;
      return;
    }
    await this.catchUp(owed);
    this.logger.log(`Brought ${owed.collection} up to date after its swap, on a later attempt`);
  }

  /** Compares catalog and index: missing, stale (content hash differs) and orphan ids, and stray collections. */
  async verify(options: { repair?: boolean } = {}, progress?: Progress): Promise<VerifyReport> {
    const index = await this.registry.upToDate();
    // The outbox first, then the index, then the catalog: a recipe that is not pending when the
    // outbox is read was indexed before, so the index read after it holds it. Read the other way
    // round, a recipe indexed in between was neither pending nor indexed, and a report could say
    // "no drift, nothing pending" with a recipe missing from `indexed`.
    const pending = await this.outbox.queuedRecipeIds();
    const pendingOutbox = await this.outbox.pendingCount();
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
      await this.reconcile(index, [...missing, ...stale, ...orphans], progress);
      for (const name of collections.orphaned) await this.registry.dropCollection(index.store, name);
      report.repaired = true;
    }
    // Normally the server drops these; a repair from the command line with no server running does.
    if (options.repair) await this.registry.dropRetired();
    return report;
  }

  /**
   * Brings the points of `ids` to the catalog as it is now: the recipes in it are indexed, the
   * others deleted. A batch at a time, and one batch at a time in this process, from reading the
   * recipes to the store's write, so whichever batch read a recipe last also wrote it last.
   */
  async reconcile(index: ServingIndex, ids: readonly string[], progress?: Progress): Promise<{ indexed: number; deleted: number }> {
    let indexed = 0;
    let deleted = 0;
    for (let i = 0; i < ids.length; i += EMBED_BATCH) {
      const batch = ids.slice(i, i + EMBED_BATCH);
      await this.exclusive(async () => {
        let todo = batch;
        for (let round = 0; todo.length > 0; round++) {
          const written = await this.indexIds(index, todo);
          const gone = todo.filter((id) => !written.has(id));
          await this.deletePoints(index, gone);
          if (round === 0) {
            indexed += written.size;
            deleted += gone.length;
          }
          todo = await this.overtaken(todo, written, round);
        }
      });
      progress?.(Math.min(i + EMBED_BATCH, ids.length), ids.length);
    }
    return { indexed, deleted };
  }

  /**
   * The recipes of a batch that the catalog no longer holds as they were just written: another
   * process (a command-line reindex or repair beside the server, another replica) committed a
   * newer version, and its worker may have indexed it between this batch's read and its write,
   * which the write has just undone; the other worker's outbox row is gone by then. Read after
   * the write, the catalog shows every such version, and the batch writes them again; a version
   * committed after this read has an outbox row whose indexing comes after this write. Without
   * this check, a reindex run beside a server taking edits left 1–9 stale points of ~500 edits,
   * with nothing pending to correct them.
   */
  private async overtaken(ids: readonly string[], written: ReadonlyMap<string, string>, round: number): Promise<string[]> {
    const now = await this.recipes.contentHashesOf(ids);
    const changed = ids.filter((id) => now.get(id) !== written.get(id));
    if (changed.length > 0 && round >= OVERTAKEN_ROUNDS) {
      // Recipes written faster than a batch can index them: their outbox rows finish the work.
      this.logger.warn(`${changed.length} recipes changed again while indexed ${round + 1} times; their outbox rows index them`);
      return [];
    }
    return changed;
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.writer.then(work);
    this.writer = run.catch(() => undefined);
    return run;
  }

  /**
   * Embeds and upserts the given recipes; returns those that still exist in the catalog, each
   * with the content hash of the version written.
   * Writes to the serving index go through `reconcile`; this is for a collection nothing else
   * writes yet (a retrain's or a rebuild's).
   * Reading, analysing and embedding go a slice at a time with the event loop let in between:
   * 256 recipes of 250 ingredients in one piece held it for several hundred milliseconds, and a
   * search waited that long. The store still takes one write per batch. `keepAnalyses: false`
   * when nothing else will want these recipes' analyses (a whole new collection), so they do not
   * take the analysis memo's room (see RecipeAnalysisMemo).
   */
  async indexIds(
    index: ServingIndex,
    ids: string[],
    progress?: Progress,
    options: { keepAnalyses?: boolean } = {},
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const budget = new EventLoopBudget();
    for (let i = 0; i < ids.length; i += EMBED_BATCH) {
      const batch = ids.slice(i, i + EMBED_BATCH);
      const records: VectorRecord[] = [];
      const entities = await this.recipes.recipesInPages(batch, this.embedSlice, () => budget.yieldIfSpent());
      // The whole batch at once, so that an import's or a retrain's batches are analysed in the
      // text thread (see RecipeAnalysisMemo.analysesOf) while the event loop serves requests.
      const analyses = await this.analysisMemo.analysesOf(entities, { keep: options.keepAnalyses });
      for (let j = 0; j < entities.length; j += this.embedSlice) {
        await budget.yieldIfSpent();
        const slice = entities.slice(j, j + this.embedSlice);
        const vectors = await index.provider.embedRecipes(slice.map((entity, k) => recipeDocument(entity, analyses[j + k])));
        slice.forEach((entity, k) =>
          records.push({
            id: entity.id,
            dense: vectors[k].dense,
            sparse: vectors[k].sparse,
            payload: recipePayload(entity, analyses[j + k], (id) => this.lexicon.ancestors(id)),
            contentHash: entity.contentHash,
          }),
        );
      }
      await index.store.upsert(records);
      await this.registry.logChange(
        index,
        records.map((record) => record.id),
      );
      for (const record of records) found.set(record.id, record.contentHash);
      progress?.(Math.min(i + EMBED_BATCH, ids.length), ids.length);
    }
    return found;
  }

  /**
   * Nothing to delete is nothing to do: an outbox batch of upserts asked the store to delete no
   * points after indexing them, which on the embedded store was an empty write transaction, a
   * scheduled index check and a sparse rebuild timer. Behind four search clients at 100,000
   * recipes that empty transaction alone took 44–100 ms of each new recipe's indexing turn.
   */
  private async deletePoints(index: ServingIndex, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await index.store.delete(ids);
    await this.registry.logChange(index, ids);
  }

  /** Recipes read and embedded between yields: the embedding batch size, so a remote model sees the batches it is set up for. */
  private get embedSlice(): number {
    return Math.max(1, Math.min(EMBED_BATCH, this.config.embedding.batchSize));
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

  private async collectionsReport(index: ServingIndex): Promise<CollectionsReport> {
    const names = await index.store.listCollections();
    const registered = new Map((await this.collections.collections()).map((entry) => [entry.name, entry]));
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
}
