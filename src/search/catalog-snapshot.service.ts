import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { EventLoopBudget } from '../common/event-loop';
import { recipePayload } from '../indexing/recipe-document';
import { toRecipeInput } from '../recipes/recipe-mapper';
import { toSummary } from '../recipes/recipe-mapper';
import { RecipeEntity } from '../recipes/recipe.entity';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeAnalyzer } from '../text/recipe-analyzer';
import { buildCatalogRecipe, CatalogRecipe } from './catalog-recipe';
import { CatalogView } from './catalog-view';

export { CatalogView } from './catalog-view';

/**
 * How long a snapshot is trusted before the catalog's version is checked again. Catalog writes
 * reach the vector index through the outbox worker (polling every INDEX_POLL_MS, 500 ms by
 * default) anyway, so a quarter second of staleness adds nothing a client could notice, and
 * it keeps the version query off the hot path of a busy search endpoint.
 */
export const SNAPSHOT_CHECK_INTERVAL_MS = 250;

/**
 * From this many changed recipes on (a bulk import), the new snapshot is built in the background
 * in slices that yield, and requests keep the previous one meanwhile: analysing 1,000 recipes of
 * 250 ingredients took the event loop for about a second, and every search waited behind it.
 */
export const BACKGROUND_RELOAD_MIN = 200;

interface CatalogVersion {
  count: number;
  updatedAt: string | null;
}

/**
 * The catalog in memory for retrieval: names for dish-name matching, ingredient lines and
 * analysed concepts for explanations and pantry matching, summaries for hits, so a search
 * answers without reading SQLite. SQLite stays the source of truth: the snapshot notices
 * writes by the catalog's version (row count and latest `updated_at`) and reloads only the
 * rows changed since, dropping deleted ones.
 */
@Injectable()
export class CatalogSnapshotService {
  private readonly logger = new Logger(CatalogSnapshotService.name);
  private view: CatalogView | null = null;
  private version: CatalogVersion | null = null;
  private checkedAt = 0;
  private refreshing: Promise<CatalogView> | null = null;
  private reloading: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly analyzer: RecipeAnalyzer,
    private readonly lexicon: FoodLexicon,
  ) {}

  async current(): Promise<CatalogView> {
    if (this.view && Date.now() - this.checkedAt < SNAPSHOT_CHECK_INTERVAL_MS) return this.view;
    if (this.view && this.reloading) return this.view;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Forgets the trust window, so the next call re-checks the catalog (tests, admin tools). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  private async refresh(): Promise<CatalogView> {
    const version = await this.readVersion();
    this.checkedAt = Date.now();
    if (this.view && this.version && sameVersion(version, this.version)) return this.view;

    const repository = this.dataSource.getRepository(RecipeEntity);
    const previous = this.view;
    const since = this.version?.updatedAt;
    const changed = previous && since ? await repository.findBy({ updatedAt: MoreThanOrEqual(since) }) : await repository.find();
    if (previous && changed.length >= BACKGROUND_RELOAD_MIN) {
      this.reloading = this.reload(previous, changed, version)
        .catch((error: unknown) =>
          this.logger.error(`Catalog snapshot reload failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          this.reloading = null;
        });
      return previous;
    }
    return this.build(previous, changed, version);
  }

  /** A large change, analysed a few milliseconds at a time; the previous view serves meanwhile. */
  private async reload(previous: CatalogView, changed: RecipeEntity[], version: CatalogVersion): Promise<void> {
    const analysed = new Map<string, CatalogRecipe>();
    const budget = new EventLoopBudget();
    for (const entity of changed) {
      await budget.yieldIfSpent();
      analysed.set(entity.id, this.toCatalogRecipe(entity));
    }
    await this.build(previous, changed, version, analysed, async () => {
      await budget.yieldIfSpent();
    });
    this.checkedAt = Date.now();
  }

  private async build(
    previous: CatalogView | null,
    changed: RecipeEntity[],
    version: CatalogVersion,
    analysed: ReadonlyMap<string, CatalogRecipe> = new Map(),
    pause?: () => Promise<void>,
  ): Promise<CatalogView> {
    const repository = this.dataSource.getRepository(RecipeEntity);
    const incremental = previous !== null && this.version?.updatedAt != null;
    const updates = new Map<string, CatalogRecipe>();
    for (const entity of changed) updates.set(entity.id, analysed.get(entity.id) ?? this.toCatalogRecipe(entity));
    const deleted: string[] = [];
    const size = incremental ? previous.size + [...updates.keys()].filter((id) => !previous.has(id)).length : updates.size;
    if (size !== version.count) {
      // Deletions leave no row to notice them by: keep only ids the catalog still has.
      const live = new Set((await repository.find({ select: { id: true } })).map((r) => r.id));
      if (incremental) for (const id of previous.ids()) if (!live.has(id) && !updates.has(id)) deleted.push(id);
      for (const id of updates.keys()) if (!live.has(id)) deleted.push(id);
      const absent = [...live].filter((id) => !updates.has(id) && !(incremental && previous.has(id)));
      if (absent.length > 0) {
        for (const entity of await repository.findBy({ id: In(absent) })) updates.set(entity.id, this.toCatalogRecipe(entity));
      }
    }
    for (const id of deleted) updates.delete(id);
    // A write batch costs O(changed): the view keeps the previous one's recipes and indexes and
    // lays the changes over them (see CatalogView.next). A background reload also builds a
    // rebuilt view's indexes in slices, as it analyses.
    const recipes = [...updates.values()];
    if (incremental) this.view = pause ? await previous.nextInSlices(recipes, deleted, pause) : previous.next(recipes, deleted);
    else this.view = pause ? await CatalogView.ofInSlices(recipes, this.lexicon, pause) : CatalogView.of(recipes, this.lexicon);
    this.version = version;
    if (!previous) this.logger.log(`Catalog snapshot loaded: ${this.view.size} recipes`);
    return this.view;
  }

  private async readVersion(): Promise<CatalogVersion> {
    const rows: Array<{ n: number; m: string | null }> = await this.dataSource.query(
      'SELECT COUNT(*) AS n, MAX(updated_at) AS m FROM recipes',
    );
    return { count: Number(rows[0]?.n ?? 0), updatedAt: rows[0]?.m ?? null };
  }

  private toCatalogRecipe(entity: RecipeEntity): CatalogRecipe {
    const analysis = this.analyzer.analyze(toRecipeInput(entity));
    const payload = recipePayload(entity, analysis, (id) => this.lexicon.ancestors(id));
    return buildCatalogRecipe(this.lexicon, { summary: toSummary(entity), ingredients: entity.ingredients, analysis, payload });
  }
}

function sameVersion(a: CatalogVersion, b: CatalogVersion): boolean {
  return a.count === b.count && a.updatedAt === b.updatedAt;
}
