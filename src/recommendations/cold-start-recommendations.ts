import { Injectable } from '@nestjs/common';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { maximalMarginalRelevance } from '../retrieval/diversity';
import { ExplanationBuilder } from '../retrieval/explanation';
import { FoodLexicon } from '../text/food-lexicon';
import { StatedTastes } from '../users/user-preferences.types';
import { hybridLegs } from '../search/hybrid-legs';
import { emptyParsedQuery } from '../text/query-parser';
import { RecipeFilter, VectorStore } from '../vector-store/vector-store.port';
import { catalogPrior, coldStartPicks } from './ranking/cold-start';
import { statedScore } from './ranking/user-ranking';
import { foldSameDish } from './ranking/dish-identity';
import { RecommendationHit, RecommendationPage } from './recommendation-types';
import { CommunityTables } from './community-tables.service';
import { poolSize, RecommendationLists, round } from './recommendation-lists';

/**
 * Lists for someone with nothing to learn from: what they said they like (stated tastes), or
 * else what everyone likes, spread over the catalog.
 */
@Injectable()
export class ColdStartRecommendations {
  private readonly explanations: ExplanationBuilder;

  constructor(
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly community: CommunityTables,
    private readonly lists: RecommendationLists,
    lexicon: FoodLexicon,
  ) {
    this.explanations = new ExplanationBuilder(lexicon);
  }

  /**
   * No history yet, but stated tastes: dishes like one made of the liked ingredients in the liked
   * cuisines (the store's hybrid query, as by-ingredients asks it), ranked by how many stated
   * likes they meet minus dislikes, then by that similarity; within the user's hard filters.
   */
  async statedStart(
    tastes: StatedTastes,
    filter: RecipeFilter,
    blockedDishes: Set<string>,
    limit: number,
    diversity: number,
  ): Promise<RecommendationPage> {
    const { provider, store } = this.activeIndex.active();
    const parsed = { ...emptyParsedQuery(''), ingredients: tastes.likedIngredients, cuisines: tastes.likedCuisines };
    const legs = hybridLegs(await provider.embedQuery(parsed));
    const pool = poolSize(limit) * 2;
    const hits = legs.length > 0 ? await store.hybrid({ legs, filter, limit: pool, candidates: pool, withPayload: false }) : [];
    const records = await this.lists.candidates(
      store,
      hits.map((h) => h.id),
      filter,
    );
    const fused = new Map(hits.map((h) => [h.id, h.score]));
    const peak = Math.max(0, ...fused.values()) || 1;
    const ranked = records
      .map((r) => {
        const dish = r.recipe;
        const taste = statedScore({ concepts: dish.concepts, cuisine: dish.summary.cuisine, properties: dish.propertyConcepts }, tastes);
        return { id: r.id, nameKey: dish.nameKey, source: dish.payload.source, score: taste + 0.5 * ((fused.get(r.id) ?? 0) / peak) };
      })
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const byId = new Map(records.map((r) => [r.id, r]));
    const folded = foldSameDish(ranked, blockedDishes);
    const picked = maximalMarginalRelevance(
      folded.map((f) => ({ item: f, relevance: f.item.score, vector: byId.get(f.item.id)!.dense.ingredients ?? [] })),
      limit,
      diversity,
    );
    const recipes = await this.lists.recipesById(picked.map((f) => f.item.id));
    const items: RecommendationHit[] = [];
    for (const f of picked) {
      const recipe = recipes.get(f.item.id);
      if (!recipe) continue;
      const why: RecommendationHit['why'] = {
        matchedIngredients: this.explanations.matchedIngredients(recipe.ingredients, tastes.likedIngredients),
        matchedTerms: tastes.likedCuisines.includes(recipe.summary.cuisine ?? '') ? [recipe.summary.cuisine!] : [],
        pick: 'stated',
      };
      if (f.alsoIn.length > 0) why.alsoIn = f.alsoIn;
      items.push({ recipe: recipe.summary, score: round(f.item.score), why });
    }
    return this.lists.page(
      items,
      limit,
      items.map((h) => byId.get(h.recipe.id)!.dense.ingredients ?? []),
      true,
    );
  }

  /**
   * Nothing to learn from: popular dishes (from everyone's interactions), topped up with a
   * deterministic sample of the catalog, both spread out by MMR and within the filters.
   */
  async coldStart(
    store: VectorStore,
    filter: RecipeFilter,
    blockedDishes: Set<string>,
    limit: number,
    diversity: number,
  ): Promise<RecommendationPage> {
    // From the community cache: reading everyone's recent history again for each new user's
    // list was a pass over the interactions table per request. Every score in a cached table
    // has aged by the same factor, so the order is the one a fresh read would give.
    const { popularity } = await this.community.current();
    const popular = [...popularity]
      .filter(([, score]) => score > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, poolSize(limit))
      .map(([id]) => id);
    const sample = await this.lists.catalogSample(filter, poolSize(limit) * 2);
    const records = await this.lists.candidates(store, new Set([...popular, ...sample.map((s) => s.id)]), filter);
    const ingredientCounts = new Map(sample.map((s) => [s.id, s.ingredientCount]));
    const folded = foldSameDish(
      records
        .map((r) => ({
          id: r.id,
          nameKey: r.recipe.nameKey,
          source: r.recipe.payload.source,
          popularity: popularity.get(r.id) ?? 0,
          record: r,
        }))
        .sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id)),
      blockedDishes,
    );
    const pickedIds = coldStartPicks(
      folded.map(({ item }) => ({
        id: item.id,
        vector: item.record.dense.ingredients ?? [],
        popularity: item.popularity,
        prior: catalogPrior({ category: item.record.recipe.payload.category, ingredientCount: ingredientCounts.get(item.id) ?? 3 }),
      })),
      limit,
      diversity,
    );
    const byId = new Map(folded.map((f) => [f.item.id, f]));
    const recipes = await this.lists.recipesById(pickedIds);
    const items: RecommendationHit[] = [];
    for (const id of pickedIds) {
      const recipe = recipes.get(id);
      const entry = byId.get(id);
      if (!recipe || !entry) continue;
      const isPopular = entry.item.popularity > 0;
      const why: RecommendationHit['why'] = { matchedIngredients: [], matchedTerms: [], pick: isPopular ? 'popular' : 'catalog' };
      if (entry.alsoIn.length > 0) why.alsoIn = entry.alsoIn;
      items.push({ recipe: recipe.summary, score: round(entry.item.popularity), why });
    }
    return this.lists.page(
      items,
      limit,
      items.map((h) => byId.get(h.recipe.id)!.item.record.dense.ingredients ?? []),
      true,
    );
  }
}
