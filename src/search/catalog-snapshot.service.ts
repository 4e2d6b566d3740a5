import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLoopBudget } from '../common/event-loop';
import { recipePayload } from '../indexing/recipe-document';
import { toSummary } from '../recipes/recipe-mapper';
import { Recipe } from '../recipes/recipe.types';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeAnalysisMemo } from '../text/recipe-analysis-memo';
import { RecipeAnalysis } from '../text/text.types';
import { buildCatalogRecipe, CatalogRecipe } from './catalog-recipe';
import { CatalogView } from './catalog-view';
import { CatalogVersion, RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { StringPool } from '../common/string-pool';
import { OutboxSignal } from '../indexing/outbox-signal';

export { CatalogView } from './catalog-view';

/**
 * How long a snapshot is trusted before the catalog's version is checked again, while this
 * process has written nothing to the catalog: it keeps the version query off the hot path of a
 * busy search endpoint. A catalog write committed by this process ends the trust at once (see
 * CatalogSnapshotService.current), so a client finds what it has just written through the same
 * process; writes through other processes show within this interval.
 */
export const SNAPSHOT_CHECK_INTERVAL_MS = 250;

/**
 * How often a serving process checks the catalog's version between requests. Requests check it
 * anyway; without this an idle replica noticed a bulk written through another one only when
 * its next search came, and answered from the old view while the reload ran (0.2–1.5 s of
 * misses after a 200-recipe bulk in the two-replica spec). One indexed read a second.
 */
export const SNAPSHOT_FOLLOW_MS = 1000;

/**
 * From this many changed recipes on (a bulk import), the new snapshot is built in the background
 * in slices that yield, and requests keep the previous one meanwhile: analysing 1,000 recipes of
 * 250 ingredients took the event loop for about a second, and every search waited behind it.
 */
export const BACKGROUND_RELOAD_MIN = 200;

/** Recipes read per query while analysing changes. */
const RELOAD_PAGE = 50;

/** Recipes read per query when the whole catalog is loaded (under both databases' parameter limits). */
const LOAD_PAGE = 500;

/** A large change being analysed in the background, and what was laid over the view meanwhile. */
interface BackgroundReload {
  /** Writes from this point on are laid over the serving view while the reload runs. */
  since: string;
  applied: Set<string>;
  /** The catalog version the view last caught up with beside the reload. */
  seen: CatalogVersion;
}

/**
 * The catalog in memory for retrieval: names for dish-name matching, ingredient lines and
 * analysed concepts for explanations and pantry matching, summaries for hits, so a search
 * answers without reading SQLite. SQLite stays the source of truth: the snapshot notices
 * writes by the catalog's version (row count and latest `updated_at`) and reloads only the
 * rows changed since, dropping deleted ones. On SQLite the version is read only when the
 * database's change mark has moved since the view was last found current: 0.07–0.13 ms a
 * check instead of 2.3–2.5 ms at 100,000 recipes (the count walks an index and grows with the
 * catalog). 15 s of user lists and 10 s of searches on that catalog read the version 97 times
 * before and not once after (docs/PERFORMANCE.md, "Catalog version checks").
 */
@Injectable()
export class CatalogSnapshotService implements OnModuleDestroy {
  private readonly logger = new Logger(CatalogSnapshotService.name);
  private follower: NodeJS.Timeout | null = null;
  private view: CatalogView | null = null;
  private version: CatalogVersion | null = null;
  private checkedAt = 0;
  /** Catalog writes this process has committed, and how many of them the last check began after. */
  private ownWrites = 0;
  private ownWritesChecked = 0;
  private readonly unsubscribe: () => void;
  private readonly rows: RecipeRowsRepository;
  /**
   * The catalog's change mark (RecipeRowsRepository.changeMark) read before the last check that
   * found the view up to date; null when there is none. While the mark stays, the version is
   * not read again.
   */
  private currentAsOf: string | null = null;
  private refreshing: Promise<CatalogView> | null = null;
  private reload: BackgroundReload | null = null;
  /**
   * What the view holds of the rows written at exactly the version's timestamp, id → stamp. A
   * bulk request's rows share one timestamp, and the next check reads from that timestamp on
   * (a write in the same millisecond must not be missed), so it used to read the whole last
   * bulk again: after a 100,000-recipe import, the first recipe created re-read its 1,000
   * neighbours in a background reload and took 0.8–2.9 s to show. Rows whose stamp the view
   * already holds are skipped.
   */
  private boundary = new Map<string, string>();
  /** The stamp each recipe read since the first load was read at, until the build that applies it. */
  private readonly stamps = new WeakMap<CatalogRecipe, string>();
  /**
   * During the first load, the recipes read at the latest timestamp so far: their stamps are the
   * first boundary. Without it the first write after a start read every row of the catalog's last
   * timestamp again (the whole last bulk: all 101 GialloZafferano recipes of the seed), and the
   * catalog insight counted them all as changed.
   */
  private firstLoadLatest: { at: string; recipes: CatalogRecipe[] } | null = null;
  /** The recipes' repeating fields (source, language, category, cuisine, diets, flavors), one copy each. */
  private readonly strings = new StringPool();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly analysisMemo: RecipeAnalysisMemo,
    private readonly lexicon: FoodLexicon,
    catalogWrites: OutboxSignal,
  ) {
    this.rows = new RecipeRowsRepository(dataSource);
    this.unsubscribe = catalogWrites.subscribe(() => this.ownWrites++);
  }

  /**
   * The catalog as of the last check, if that check is recent and began after this process's
   * last catalog write; else checked again. So a client finds what it has just written through
   * this process: on an idle service at 100,000 recipes, the first search after the write found
   * it (20–38 ms, the search included), where a view trusted for 250 ms regardless could miss it
   * for that long. Behind 4 searching clients the check waits its turns behind their requests,
   * and a new recipe was found by name after 115–312 ms, as before (108–323 ms; `bench/freshness-probe.ts`).
   */
  async current(): Promise<CatalogView> {
    if (this.view && this.ownWritesChecked === this.ownWrites && Date.now() - this.checkedAt < SNAPSHOT_CHECK_INTERVAL_MS) {
      return this.view;
    }
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** A serving process keeps its view following the catalog between requests (see SNAPSHOT_FOLLOW_MS). */
  startFollowing(): void {
    if (this.follower) return;
    this.follower = setInterval(() => {
      if (Date.now() - this.checkedAt < SNAPSHOT_FOLLOW_MS) return;
      this.current().catch((error: unknown) =>
        this.logger.warn(`Catalog snapshot check failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, SNAPSHOT_FOLLOW_MS);
    this.follower.unref();
  }

  onModuleDestroy(): void {
    if (this.follower) clearInterval(this.follower);
    this.follower = null;
    this.unsubscribe();
  }

  /** Forgets the trust window and the change mark, so the next call reads the catalog's version (tests, admin tools). */
  invalidate(): void {
    this.checkedAt = 0;
    this.currentAsOf = null;
  }

  private async refresh(): Promise<CatalogView> {
    // A write committed while this check runs may be missing from what it reads: it ends the trust again.
    this.ownWritesChecked = this.ownWrites;
    const mark = this.reload ? null : await this.rows.changeMark();
    if (this.view && mark !== null && mark === this.currentAsOf) {
      this.checkedAt = Date.now();
      return this.view!;
    }
    this.currentAsOf = null;
    const checked = await this.readVersion();
    this.checkedAt = Date.now();
    if (this.reload) return this.refreshBesideReload(checked);
    if (this.view && this.version && sameVersion(checked, this.version)) {
      this.currentAsOf = mark;
      return this.view;
    }

    const previous = this.view;
    const since = this.version?.updatedAt;
    if (previous && since) {
      // The changes come with the version they were read at; `checked` may already be older.
      const { version, ids } = await this.changedIds(since);
      if (ids.length >= BACKGROUND_RELOAD_MIN) {
        const reload: BackgroundReload = { since: version.updatedAt ?? since, applied: new Set(), seen: version };
        this.reload = reload;
        void this.reloadInSlices(ids, reload)
          .catch((error: unknown) =>
            this.logger.error(`Catalog snapshot reload failed: ${error instanceof Error ? error.message : String(error)}`),
          )
          .finally(() => {
            this.reload = null;
            this.checkedAt = 0;
          });
        return previous;
      }
      return this.builtAsOf(mark, await this.build(previous, await this.analysed(ids), version));
    }
    return this.builtAsOf(mark, await this.build(previous, await this.everyRecipe(), checked));
  }

  /** `view`, built from reads made after `mark` was read: a write ending since has moved the mark. */
  private builtAsOf(mark: string | null, view: CatalogView): CatalogView {
    this.currentAsOf = mark;
    return view;
  }

  /**
   * Writes made while a large change is analysed in the background show at once: they are laid
   * over the serving view, and the reload leaves them alone when it lands. (Before, the view
   * stayed as it was until the reload ended: after a 100,000-recipe import, a recipe created
   * then was not found for minutes.) Deletions meanwhile show once the reload has landed.
   */
  private async refreshBesideReload(checked: CatalogVersion): Promise<CatalogView> {
    const reload = this.reload!;
    const view = this.view!;
    if (sameVersion(checked, reload.seen)) return view;
    const { version, ids } = await this.changedIds(reload.since, true);
    // Another large change waits for the next reload, once this one has landed.
    if (ids.length === 0 || ids.length >= BACKGROUND_RELOAD_MIN) return view;
    const updates = await this.analysed(ids);
    for (const id of updates.keys()) reload.applied.add(id);
    reload.seen = version;
    reload.since = version.updatedAt ?? reload.since;
    if (this.view !== view) return this.view!;
    this.view = view.next([...updates.values()]);
    return this.view;
  }

  /**
   * A large change, read a page and analysed a few milliseconds at a time; the serving view
   * stays meanwhile. TypeORM builds a page's entities in one go: all 1,000 recipes of a
   * 250-ingredient bulk in one read held the event loop for ~100 ms.
   */
  private async reloadInSlices(ids: string[], reload: BackgroundReload): Promise<void> {
    const updates = await this.analysed(ids, true);
    // What was laid over the view meanwhile is newer than what this reload read.
    for (const id of reload.applied) updates.delete(id);
    const budget = new EventLoopBudget();
    // The view now holds the reload's changes and what was laid over it since: the catalog as
    // of the last version seen beside the reload. Checked against the version the reload
    // started at, every reload during an import that went on meanwhile looked like a deletion
    // and paid a pass over the whole catalog, and the next check read the laid-over rows again.
    await this.build(this.view, updates, reload.seen, async () => {
      await budget.yieldIfSpent();
    });
  }

  /**
   * Recipes written at or after `since` (after it, when `after`: a bulk's rows all share one
   * timestamp), but for those the view holds as they are now.
   */
  private async changedIds(since: string, after = false): Promise<{ version: CatalogVersion; ids: string[] }> {
    const { version, rows } = await this.rows.changesSince(since, after);
    const ids = rows.filter((row) => this.boundary.get(row.id) !== stampOf(row.updated_at, row.content_hash)).map((row) => row.id);
    return { version, ids };
  }

  /**
   * The whole catalog, a page at a time, in the order one read of the table returns it (the
   * order the view has always been built in). One read of all 101,331 recipes held every row
   * twice at once (SQLite's native copy and the entities) and left the freed native copies as
   * memory the process kept: 2,100 MiB peak and 1,316 MiB resting RSS; read a page at a time,
   * with the embedded store's points paged too, 954 and 742 MiB (docs/PERFORMANCE.md, "Memory at rest").
   */
  private async everyRecipe(): Promise<Map<string, CatalogRecipe>> {
    const ids = await this.rows.idsInTableOrder();
    const recipes = new Map<string, CatalogRecipe>();
    for (let i = 0; i < ids.length; i += LOAD_PAGE) {
      // Those deleted since the ids were read are missing: the version check afterwards notices.
      const page = await this.rows.recipes(ids.slice(i, i + LOAD_PAGE));
      // In the text thread (see RecipeAnalysisMemo.analysesOf): the event loop builds the view's
      // entries from them and serves requests meanwhile.
      const analyses = await this.analysisMemo.analysesOf(page);
      page.forEach((recipe, k) => recipes.set(recipe.id, this.toCatalogRecipe(recipe, analyses[k])));
    }
    return recipes;
  }

  /**
   * Changed recipes, read a page at a time and analysed between other requests' turns. A request
   * waits for the changes below BACKGROUND_RELOAD_MIN: those are analysed here, where they cost
   * ~80 µs each, not behind whatever the text thread is doing (a bulk's preparation takes it
   * ~300 ms). A `background` reload sends its recipes to the text thread, a batch at a time.
   */
  private async analysed(ids: string[], background = false): Promise<Map<string, CatalogRecipe>> {
    const updates = new Map<string, CatalogRecipe>();
    const budget = new EventLoopBudget();
    const batchSize = background ? LOAD_PAGE : RELOAD_PAGE;
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = await this.rows.recipesInPages(ids.slice(i, i + batchSize), RELOAD_PAGE, () => budget.yieldIfSpent());
      const analyses = background ? await this.analysisMemo.analysesOf(batch) : null;
      for (let k = 0; k < batch.length; k++) {
        await budget.yieldIfSpent();
        updates.set(batch[k].id, this.toCatalogRecipe(batch[k], analyses?.[k] ?? this.analysisMemo.analysisOf(batch[k])));
      }
    }
    return updates;
  }

  private async build(
    previous: CatalogView | null,
    updates: Map<string, CatalogRecipe>,
    version: CatalogVersion,
    pause?: () => Promise<void>,
  ): Promise<CatalogView> {
    const incremental = previous !== null && this.version?.updatedAt != null;
    const deleted: string[] = [];
    const size = incremental ? previous.size + [...updates.keys()].filter((id) => !previous.has(id)).length : updates.size;
    if (size !== version.count) {
      // Deletions leave no row to notice them by: keep only ids the catalog still has.
      const live = await this.liveIds();
      if (incremental) for (const id of previous.ids()) if (!live.has(id) && !updates.has(id)) deleted.push(id);
      for (const id of updates.keys()) if (!live.has(id)) deleted.push(id);
      const absent = [...live].filter((id) => !updates.has(id) && !(incremental && previous.has(id)));
      if (absent.length > 0) for (const [id, recipe] of await this.analysed(absent)) updates.set(id, recipe);
    }
    for (const id of deleted) updates.delete(id);
    // A write batch costs O(changed): the view keeps the previous one's recipes and indexes and
    // lays the changes over them (see CatalogView.next). A background reload also builds a
    // rebuilt view's indexes in slices, as it analyses.
    const recipes = [...updates.values()];
    if (incremental) this.view = pause ? await previous.nextInSlices(recipes, deleted, pause) : previous.next(recipes, deleted);
    else this.view = pause ? await CatalogView.ofInSlices(recipes, this.lexicon, pause) : CatalogView.of(recipes, this.lexicon);
    this.boundary = this.boundaryAfter(version, updates, deleted);
    this.firstLoadLatest = null;
    this.version = version;
    if (!previous) this.logger.log(`Catalog snapshot loaded: ${this.view.size} recipes`);
    return this.view;
  }

  /** The boundary once `updates` and `deleted` are applied at `version` (see `boundary`). */
  private boundaryAfter(version: CatalogVersion, updates: Map<string, CatalogRecipe>, deleted: string[]): Map<string, string> {
    const at = version.updatedAt;
    const boundary = new Map(at !== null && at === this.version?.updatedAt ? this.boundary : []);
    for (const id of deleted) boundary.delete(id);
    for (const [id, recipe] of updates) {
      const stamp = this.stamps.get(recipe);
      // Read once: held on for every recipe an import brings in, the stamps would cost memory.
      this.stamps.delete(recipe);
      if (at !== null && stamp?.startsWith(`${at} `)) boundary.set(id, stamp);
      else boundary.delete(id);
    }
    return boundary;
  }

  /**
   * Every id the catalog has: a pass over the whole catalog, ~20% of the main thread at 450,000
   * recipes when it ran on every reload of an import. Read as plain rows: as entities, the ids of
   * 760,000 recipes spent ~4 s of a 30 s CPU profile in TypeORM's result grouping.
   */
  private async liveIds(): Promise<Set<string>> {
    return new Set((await this.rows.idsInOrder()).map((r) => r.id));
  }

  private async readVersion(): Promise<CatalogVersion> {
    return this.rows.version();
  }

  /** `analysis`: the memo's, shared with the index synchroniser (an imported recipe is analysed once for both). */
  private toCatalogRecipe(entity: Recipe, analysis: RecipeAnalysis): CatalogRecipe {
    this.shareStrings(entity);
    const payload = recipePayload(entity, analysis, (id) => this.lexicon.ancestors(id));
    const recipe = buildCatalogRecipe(this.lexicon, { summary: toSummary(entity), ingredients: entity.ingredients, analysis, payload });
    const stamp = stampOf(entity.updatedAt, entity.contentHash);
    if (this.version) this.stamps.set(recipe, stamp);
    else this.noteFirstLoadStamp(recipe, entity.updatedAt, stamp);
    return recipe;
  }

  /** The first load keeps the stamps of its latest timestamp's rows only: a stamp per recipe would cost memory at 1M. */
  private noteFirstLoadStamp(recipe: CatalogRecipe, at: string, stamp: string): void {
    const latest = this.firstLoadLatest;
    if (latest !== null && at < latest.at) return;
    if (latest === null || at > latest.at) {
      for (const earlier of latest?.recipes ?? []) this.stamps.delete(earlier);
      this.firstLoadLatest = { at, recipes: [] };
    }
    this.firstLoadLatest!.recipes.push(recipe);
    this.stamps.set(recipe, stamp);
  }
  /** The entity's repeating fields replaced by the pool's copies, before the view keeps them. */
  private shareStrings(entity: Recipe): void {
    const { strings } = this;
    entity.source = strings.intern(entity.source);
    entity.language = strings.intern(entity.language);
    if (entity.category !== null) entity.category = strings.intern(entity.category);
    if (entity.cuisine !== null) entity.cuisine = strings.intern(entity.cuisine);
    strings.internAll(entity.diets);
    strings.internAll(entity.flavors);
  }
}

/** When and what a row was written: its timestamp and content hash. */
function stampOf(updatedAt: string, contentHash: string): string {
  return `${updatedAt} ${contentHash}`;
}

function sameVersion(a: CatalogVersion, b: CatalogVersion): boolean {
  return a.count === b.count && a.updatedAt === b.updatedAt;
}
