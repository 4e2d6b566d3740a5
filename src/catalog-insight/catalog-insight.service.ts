import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLoopBudget } from '../common/event-loop';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { RecipeAnnotations } from '../recipes/recipe-annotations';
import { CatalogRecipe } from '../search/catalog-recipe';
import { CatalogSnapshotService, CatalogView } from '../search/catalog-snapshot.service';
import { FoodLexicon } from '../text/food-lexicon';
import { Anomaly, detectAnomalies, DietFacts } from './anomalies';
import { computeInsight, InsightOptions, RecipeFacts, updateInsight } from './catalog-insight';
import { assignFamily } from './dish-families';
import { ConceptSpace } from './dish-vectors';
import { InsightState, InsightViews } from './insight-views';
import { conceptNames, recipeFacts, RecipeText } from './recipe-facts';
import { RecipeTextRepository } from './recipe-text.repository';

/**
 * Share of the clustered catalog that may change (added, edited, deleted) before families are
 * computed afresh; below it, changed dishes join their nearest family. The same 20% after which
 * the concept model itself is retrained by default (RETRAIN_DRIFT_SHARE), halved: families move
 * sooner than the concept space does.
 */
export const RECLUSTER_SHARE = 0.1;

/** Text fields read per query while gathering facts. */
const TEXT_PAGE = 500;

/** A recipe's family as recipe responses carry it. */
export interface RecipeFamilyRef {
  id: number;
  label: { zh: string; en: string };
}

/**
 * Dish families, near-duplicates and anomalies of the catalog, computed in the background when
 * the concept model changes or the catalog has changed enough, never per request: requests read
 * the last computed state (and place a dish added since by its nearest family centroid).
 */
@Injectable()
export class CatalogInsightService implements OnModuleInit {
  private readonly logger = new Logger(CatalogInsightService.name);
  private state: InsightState | null = null;
  private running: Promise<InsightState> | null = null;
  private readonly texts: RecipeTextRepository;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly snapshot: CatalogSnapshotService,
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly models: EmbeddingModelService,
    private readonly lexicon: FoodLexicon,
    private readonly annotations: RecipeAnnotations,
  ) {
    this.texts = new RecipeTextRepository(dataSource);
  }

  onModuleInit(): void {
    this.annotations.register('family', async (id) => this.familyOf(id));
  }

  /**
   * The current insight. The first call waits for it to be computed; later calls answer with
   * the last one at once and, if the catalog or model moved on, start bringing it up to date.
   */
  async current(): Promise<InsightState> {
    const view = await this.snapshot.current();
    const state = this.state;
    if (!state) return this.update(view);
    if (state.view !== view || state.modelId !== this.activeIndex.active().provider.modelId) {
      void this.update(view).catch((error: unknown) => this.logger.error(`Catalog insight update failed: ${messageOf(error)}`));
    }
    return state;
  }

  /** Waits until the insight reflects the catalog as it is now (tests, the evaluation). */
  async settled(): Promise<InsightState> {
    this.snapshot.invalidate();
    for (;;) {
      const view = await this.snapshot.current();
      const state = await this.update(view);
      if (state.view === view) return state;
    }
  }

  /**
   * A recipe's family: its computed one, or the nearest family's for a dish added since. Null
   * until the families are first computed: a recipe read never waits for the clustering.
   */
  async familyOf(id: string): Promise<RecipeFamilyRef | null> {
    if (!this.state) {
      void this.current().catch((error: unknown) => this.logger.error(`Catalog insight failed: ${messageOf(error)}`));
      return null;
    }
    const state = await this.current();
    const known = state.insight.recipes.get(id);
    let familyId = known?.family ?? null;
    if (!known) {
      const recipe = (await this.snapshot.current()).get(id);
      if (!recipe) return null;
      const facts = recipeFacts(recipe, { tags: [], steps: 0, hasDescription: false }, state.space, this.lexicon);
      familyId = assignFamily(state.insight.families, facts.vector)?.family ?? null;
    }
    const family = familyId === null ? undefined : state.insight.familyById.get(familyId);
    return family ? { id: family.id, label: family.label } : null;
  }

  /**
   * Findings for a recipe that is not (or not yet) in the catalog, against the current families:
   * every check but DUPLICATE. The evaluation feeds it corrupted copies of real recipes.
   */
  async inspect(recipe: CatalogRecipe, text: RecipeText): Promise<Anomaly[]> {
    const { insight, space } = await this.current();
    const facts = recipeFacts(recipe, text, space, this.lexicon);
    const placed = assignFamily(insight.families, facts.vector);
    return detectAnomalies({ ...facts.anomaly, familySimilarity: placed?.similarity ?? null }, this.dietFacts, {
      farFromFamilies: insight.farFromFamilies,
    });
  }

  private readonly dietFacts: DietFacts = {
    breaksDiets: (c) => this.lexicon.breaksDiets(c),
    allergensOf: (c) => this.lexicon.allergensOf(c),
    nameOf: (c) => conceptNames(this.lexicon, c).en,
  };

  /** The response shapes over one computed state. */
  views(state: InsightState): InsightViews {
    return new InsightViews(state, (id) => conceptNames(this.lexicon, id));
  }

  private update(view: CatalogView): Promise<InsightState> {
    this.running ??= this.bringUpToDate(view).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async bringUpToDate(view: CatalogView): Promise<InsightState> {
    const provider = this.activeIndex.active().provider;
    const previous = this.state;
    if (previous && previous.view === view && previous.modelId === provider.modelId) return previous;
    const space = this.models.conceptModelOf(provider);
    const budget = new EventLoopBudget();
    const pause = async () => {
      await budget.yieldIfSpent();
    };
    const options: InsightOptions = {
      nameOf: (id) => conceptNames(this.lexicon, id),
      facts: this.dietFacts,
      pause,
    };
    const started = Date.now();
    if (previous && previous.modelId === provider.modelId) {
      const changed: CatalogRecipe[] = [];
      const deleted: string[] = [];
      for (const recipe of view.values()) {
        await pause();
        if (previous.seen.get(recipe.summary.id) !== recipe) changed.push(recipe);
      }
      for (const id of previous.seen.keys()) if (!view.has(id)) deleted.push(id);
      const drift = previous.drift + changed.length + deleted.length;
      if (drift < Math.max(1, RECLUSTER_SHARE * previous.seen.size)) {
        const facts = await this.factsOf(changed, space, pause);
        const seen = new Map(previous.seen);
        for (const id of deleted) seen.delete(id);
        for (const recipe of changed) seen.set(recipe.summary.id, recipe);
        const insight = await updateInsight(previous.insight, facts, deleted, options);
        this.state = { ...previous, insight, view, seen, drift };
        return this.state;
      }
    }
    const recipes = [...view.values()];
    const facts = await this.factsOf(recipes, space, pause);
    const insight = await computeInsight(facts, options);
    this.state = {
      insight,
      modelId: provider.modelId,
      space,
      view,
      seen: new Map(recipes.map((r) => [r.summary.id, r])),
      drift: 0,
      computedAt: new Date().toISOString(),
    };
    this.logger.log(
      `Dish families computed: ${insight.families.length} families over ${recipes.length} recipes in ${Date.now() - started} ms`,
    );
    return this.state;
  }

  private async factsOf(recipes: readonly CatalogRecipe[], space: ConceptSpace, pause: () => Promise<void>): Promise<RecipeFacts[]> {
    const out: RecipeFacts[] = [];
    for (let i = 0; i < recipes.length; i += TEXT_PAGE) {
      const page = recipes.slice(i, i + TEXT_PAGE);
      const texts = await this.readText(page.map((r) => r.summary.id));
      for (const recipe of page) {
        await pause();
        const text = texts.get(recipe.summary.id) ?? { tags: [], steps: 0, hasDescription: false };
        out.push(recipeFacts(recipe, text, space, this.lexicon));
      }
    }
    return out;
  }

  private async readText(ids: readonly string[]): Promise<Map<string, RecipeText>> {
    if (ids.length === 0) return new Map();
    const rows = await this.texts.textOf(ids);
    return new Map(
      rows.map((row) => [
        row.id,
        { tags: parseList(row.tags), steps: parseList(row.steps).length, hasDescription: (row.description ?? '').trim().length > 0 },
      ]),
    );
  }
}

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
