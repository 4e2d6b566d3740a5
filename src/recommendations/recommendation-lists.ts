import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Ingredient, RecipeSummary } from '../recipes/recipe.types';
import { intraListDiversity } from '../retrieval/diversity';
import { ExplanationBuilder } from '../retrieval/explanation';
import { CatalogRecipe, compileCatalogFilter } from '../search/catalog-recipe';
import { CatalogSnapshotService, CatalogView } from '../search/catalog-snapshot.service';
import { FilterParams, resolveFilters } from '../search/search-filters';
import { FoodLexicon } from '../text/food-lexicon';
import { DenseVectorCopies, RecipeFilter, VectorStore } from '../vector-store/vector-store.port';
import { dishKey } from './ranking/dish-identity';
import { DishVectors } from './ranking/taste-profile';
import { RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { RecommendationHit, RecommendationPage } from './recommendation-types';

/** Candidates fetched per space before re-ranking: enough for MMR to find variety, small enough to stay fast. */
export const poolSize = (limit: number) => Math.min(200, Math.max(50, limit * 5));
/** Candidates scored between yields: about 2 ms of one core against 16 + 16 representatives. */
export const SCORE_SLICE = 40;

/** What a hit and its explanation need of a recipe: the in-memory catalog's view of it. */
export interface ExplainedRecipe {
  summary: RecipeSummary;
  ingredients: readonly Ingredient[];
  propertyConcepts: readonly string[];
}

/** A candidate for a list: its dense vectors and its recipe in the catalog view. */
export interface Candidate {
  id: string;
  dense: DenseVectorCopies;
  recipe: CatalogRecipe;
}

/**
 * What every kind of recommendation list shares: the request's filter, the candidates' vectors
 * and recipes (from the store and the in-memory catalog, the database only for what the catalog
 * view has not seen yet), and the page of hits with their reasons.
 */
@Injectable()
export class RecommendationLists {
  private readonly explanations: ExplanationBuilder;
  private readonly rows: RecipeRowsRepository;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly catalog: CatalogSnapshotService,
    private readonly lexicon: FoodLexicon,
  ) {
    this.rows = new RecipeRowsRepository(dataSource);
    this.explanations = new ExplanationBuilder(lexicon);
  }

  /** The filters every retrieval route resolves the same way, plus the recipes that must not come back. */
  filterOf(filters: FilterParams | undefined, fieldPrefix: string, excludeIds: string[]): RecipeFilter {
    return { ...resolveFilters(this.lexicon, filters, fieldPrefix), excludeIds };
  }

  /**
   * The candidates' dense vectors with their recipes from the catalog view, within the filter as
   * search applies it: on the in-memory catalog, exclusions also see the ingredients a dish's
   * name implies (香菜拌牛肉 has coriander even when its list forgot it). A point the view lacks
   * makes it look again once, as `recipesById` does; one still missing was deleted since it was
   * indexed and is left out.
   */
  async candidates(store: VectorStore, ids: Iterable<string>, filter: RecipeFilter): Promise<Candidate[]> {
    const vectors = await store.denseVectors([...ids]);
    const accepts = compileCatalogFilter(filter);
    // One look-up a candidate: checking every id before reading them (a second look-up in the
    // 100,000-entry view) was 2% of a user list's CPU. `whole`: give up at the first id missing.
    const pick = (view: CatalogView, whole: boolean): Candidate[] | null => {
      const out: Candidate[] = [];
      for (const [id, dense] of vectors) {
        const recipe = view.get(id);
        if (!recipe) {
          if (whole) return null;
        } else if (accepts(recipe)) out.push({ id, dense, recipe });
      }
      return out;
    };
    const found = pick(await this.catalog.current(), true);
    if (found) return found;
    this.catalog.invalidate();
    return pick(await this.catalog.current(), false)!;
  }

  /**
   * A deterministic, source-mixed sample of `limit` recipes that pass the whole filter: recipe
   * ids are hashes, so id order is a fixed shuffle. The filter is applied while the sample fills:
   * read from the database with only its category, cuisine and diets, then cut by exclusions and
   * allergens, a new user with broad ones got 35 dishes asking for 100 of the 179 that pass.
   */
  async catalogSample(filter: RecipeFilter, limit: number): Promise<Array<{ id: string; ingredientCount: number }>> {
    const allowed = compileCatalogFilter(filter);
    const sample: Array<{ id: string; ingredientCount: number }> = [];
    for (const recipe of (await this.catalog.current()).listing(false)) {
      if (sample.length >= limit) break;
      if (allowed(recipe)) sample.push({ id: recipe.summary.id, ingredientCount: recipe.ingredients.length });
    }
    return sample;
  }

  /** The dish keys of those of `ids` that exist: the catalog view's own, keyed again only for recipes it lacks. */
  async dishKeysOf(ids: string[]): Promise<Set<string>> {
    const view = await this.catalog.current();
    const keys = new Set<string>();
    const missing: string[] = [];
    for (const id of ids) {
      const recipe = view.get(id);
      if (recipe) keys.add(recipe.nameKey);
      else missing.push(id);
    }
    if (missing.length > 0) for (const name of (await this.namesOf(missing)).values()) keys.add(dishKey(name));
    return keys;
  }

  /**
   * The names of those of `ids` that exist: from the catalog view, and from the database for
   * the ids it lacks (written since its last check, or unknown). A read per list waited ~0.4 ms
   * on SQLite at 100,000 recipes (one client), behind whatever else held the connection.
   */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    const view = await this.catalog.current();
    const names = new Map<string, string>();
    const missing: string[] = [];
    for (const id of ids) {
      const recipe = view.get(id);
      if (recipe) names.set(id, recipe.summary.name);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, name] of await this.rows.namesOf(missing)) names.set(id, name);
    }
    return names;
  }

  /**
   * Hits and their reasons from the in-memory catalog, which already holds each recipe's
   * analysis: reading and analysing them again per request was a fifth of a recommendation's
   * time. A recipe written since the snapshot's last check makes it look again once.
   */
  async recipesById(ids: string[]): Promise<Map<string, ExplainedRecipe>> {
    let view = await this.catalog.current();
    if (ids.some((id) => !view.get(id))) {
      this.catalog.invalidate();
      view = await this.catalog.current();
    }
    const out = new Map<string, ExplainedRecipe>();
    for (const id of ids) {
      const found = view.get(id);
      if (found) out.set(id, found);
    }
    return out;
  }

  /**
   * The page's hits with their reasons: matched ingredients and terms, the liked dishes behind
   * each (`becauseYouLiked`), other sources of the same dish, and what like-minded users think.
   */
  async explainedHits(
    picked: ReadonlyArray<{ item: { id: string; score: number }; alsoIn: Array<{ id: string; source: string }> }>,
    becauseIds: ReadonlyMap<string, string[]>,
    similarUsers?: ReadonlyMap<string, number>,
  ): Promise<RecommendationHit[]> {
    const recipes = await this.recipesById([...picked.map((f) => f.item.id), ...[...becauseIds.values()].flat()]);
    const items: RecommendationHit[] = [];
    for (const f of picked) {
      const recipe = recipes.get(f.item.id);
      if (!recipe) continue;
      const because = (becauseIds.get(recipe.summary.id) ?? [])
        .map((id) => recipes.get(id))
        .filter((r): r is ExplainedRecipe => r !== undefined);
      const why: RecommendationHit['why'] = { ...this.explain(recipe, because), becauseYouLiked: because.map((r) => r.summary.name) };
      if (f.alsoIn.length > 0) why.alsoIn = f.alsoIn;
      const cf = similarUsers?.get(recipe.summary.id);
      if (cf !== undefined) why.similarUsers = round(cf);
      items.push({ recipe: recipe.summary, score: round(f.item.score), why });
    }
    return items;
  }

  /** Matched ingredients and terms against the liked dishes this hit is closest to. */
  private explain(recipe: ExplainedRecipe, because: ExplainedRecipe[]): { matchedIngredients: string[]; matchedTerms: string[] } {
    if (because.length === 0) return { matchedIngredients: [], matchedTerms: [] };
    const wanted = new Set<string>();
    for (const liked of because) {
      for (const ingredient of liked.ingredients) {
        if (ingredient.concept && !this.lexicon.isStaple(ingredient.concept)) wanted.add(ingredient.concept);
      }
    }
    const properties = new Set(because.flatMap((liked) => liked.propertyConcepts));
    return {
      matchedIngredients: this.explanations.matchedIngredients(recipe.ingredients, [...wanted]),
      matchedTerms: this.explanations.matchedTerms(
        { properties: [...properties] },
        { ...recipe.summary, propertyConcepts: recipe.propertyConcepts },
      ),
    };
  }

  page(items: RecommendationHit[], limit: number, vectors: ArrayLike<number>[], coldStart: boolean): RecommendationPage {
    return { items, total: items.length, limit, offset: 0, diversity: round(intraListDiversity(vectors)), coldStart };
  }
}

export function dishVectorsOf(dense: DenseVectorCopies): DishVectors {
  return { ingredients: dense.ingredients, properties: dense.properties };
}

export function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
