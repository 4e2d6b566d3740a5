import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { ConcurrencyLimit, EventLoopBudget, forEachInSlices } from '../common/event-loop';
import { validationFailed } from '../common/validation';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { Ingredient, RecipeSummary } from '../recipes/recipe.types';
import { intraListDiversity, maximalMarginalRelevance } from '../retrieval/diversity';
import { ExplanationBuilder } from '../retrieval/explanation';
import { CatalogRecipe, compileCatalogFilter } from '../search/catalog-recipe';
import { CatalogSnapshotService, CatalogView } from '../search/catalog-snapshot.service';
import { FilterParams, resolveFilters } from '../search/search-filters';
import { FoodLexicon } from '../text/food-lexicon';
import { userIdProblems } from '../users/interaction-validation';
import { withUserFilter } from '../users/user-filter';
import { UserPreferencesService } from '../users/user-preferences.service';
import { StatedTastes } from '../users/user-preferences.types';
import { hybridLegs } from '../search/hybrid-legs';
import { emptyParsedQuery } from '../text/query-parser';
import { UserInteractionsRepository } from '../users/user-interactions.repository';
import { InteractionSignal } from '../users/user-interaction.types';
import { DenseVectorCopies, RecipeFilter, VectorHit, VectorStore } from '../vector-store/vector-store.port';
import { RecommendRequestDto, UserRecommendationsQuery } from './dto/recommend-request.dto';
import { catalogPrior, coldStartPicks } from './ranking/cold-start';
import {
  blendScores,
  COLLABORATIVE_MAX_WEIGHT,
  CollaborativeResult,
  collaborativeWeight,
  userBasedScores,
} from './ranking/collaborative-scores';
import { bestFirst } from './ranking/best-first';
import { drivingDishes } from './ranking/because-you-liked';
import { Prediction, RegressionExample, RIDGE, TasteRegression } from './ranking/taste-regression';
import { ConceptSpace, NO_CONCEPTS } from './ranking/concept-features';
import { DishPoint, dishPoint, pointSimilarity } from './ranking/dish-point';
import { centredPreferences } from './ranking/user-centring';
import { contentDomain, ScoreWeights, statedScore, USER_WEIGHTS, userScore } from './ranking/user-ranking';
import { dishKey, foldSameDish } from './ranking/dish-identity';
import { recipePreferences } from './ranking/preference-signals';
import { becauseOf, DishVectors, weightedCentroid, WeightedExample } from './ranking/taste-profile';
import { TasteScorer } from './ranking/taste-scorer';
import { RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { RecommendationHit, RecommendationPage } from './recommendation-types';
import { CommunityTables } from './community-tables.service';
import { PartnerScores } from './ranking/co-interaction';

/** Candidates fetched per space before re-ranking: enough for MMR to find variety, small enough to stay fast. */
const poolSize = (limit: number) => Math.min(200, Math.max(50, limit * 5));
/** Most recent / strongest opinions used as examples; older ones add little and cost a vector read each. */
const MAX_PROFILE_EXAMPLES = 200;
/** Candidates scored between yields: about 2 ms of one core against 16 + 16 representatives. */
const SCORE_SLICE = 40;
/**
 * Recommendation requests worked on at once; more wait their turn. Two, so one computes while
 * the other waits on SQLite; a search arriving meanwhile waits behind at most two slices per
 * turn of the event loop instead of sixteen.
 */
const CONCURRENT_RANKINGS = 2;
/** Candidates the exact second pass re-scores at least (twice the page when that is more). */
const SHORTLIST_MIN = 30;

/**
 * Which parts of a user's ranking run: all of them (what the route serves), or one side alone,
 * which the evaluation measures separately (`content`: the user's own taste model; `collaborative`:
 * what others think, everyone and like-minded users).
 */
export type UserRankingParts = 'all' | 'content' | 'collaborative';

interface RankInput {
  positives: WeightedExample[];
  negatives: WeightedExample[];
  filter: RecipeFilter;
  /** Dish keys of what must never come back (inputs, already rated…), across sources. */
  blockedDishes: Set<string>;
  limit: number;
  diversity: number;
  collaborative?: { scores: Map<string, number>; weight: number };
}

/**
 * Orchestrates recommendations: reads opinions, asks the vector store for candidates with its
 * recommend query, and leaves every ranking decision to the pure functions in ./ranking.
 */
@Injectable()
export class RecommendationsService {
  private readonly explanations: ExplanationBuilder;
  private readonly rankings = new ConcurrencyLimit(CONCURRENT_RANKINGS);
  /** Per neighbour history read (kept for a minute by the repository): its centred preferences. */
  private readonly neighbourCentred = new WeakMap<readonly InteractionSignal[], Map<string, number>>();
  /** Concept document frequencies per catalog version: a view is immutable, so it keys its own space. */
  private readonly conceptSpaces = new WeakMap<CatalogView, Promise<ConceptSpace>>();
  private lastConceptSpace?: { view: WeakRef<CatalogView>; space: Promise<ConceptSpace> };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly interactions: UserInteractionsRepository,
    private readonly catalog: CatalogSnapshotService,
    private readonly lexicon: FoodLexicon,
    private readonly userPreferences: UserPreferencesService,
    private readonly community: CommunityTables,
  ) {
    this.explanations = new ExplanationBuilder(lexicon);
  }

  /**
   * Worked out once per history read instead of for every list: the 50 neighbours' ~1,700
   * opinions cost ~2 ms a list next to 10,000 users on the 100,000-recipe bench catalog. Recency
   * is then as of the first list within the minute the history is kept, against a 30-day half-life.
   */
  private neighbourPreferences(signals: readonly InteractionSignal[], now: number): Map<string, number> {
    let centred = this.neighbourCentred.get(signals);
    if (!centred) {
      centred = centredPreferences(recipePreferences(signals, now));
      this.neighbourCentred.set(signals, centred);
    }
    return centred;
  }

  /** Anonymous session: like the liked, unlike the disliked, never the inputs. */
  forSession(request: RecommendRequestDto): Promise<RecommendationPage> {
    return this.rankings.run(() => this.sessionPage(request));
  }

  /** A known (or unknown) user: their history, their neighbours' history, or cold start. */
  forUser(userId: string, query: UserRecommendationsQuery, options: { parts?: UserRankingParts } = {}): Promise<RecommendationPage> {
    return this.rankings.run(() => this.userPage(userId, query, options.parts ?? 'all'));
  }

  private async sessionPage(request: RecommendRequestDto): Promise<RecommendationPage> {
    const liked = [...new Set(request.liked)];
    const disliked = [...new Set(request.disliked ?? [])];
    const both = liked.filter((id) => disliked.includes(id));
    if (both.length > 0) {
      throw validationFailed([{ field: 'disliked', problems: [`recipes cannot be both liked and disliked: ${both.join(', ')}`] }]);
    }
    // Ids and names only: hydrating up to 200 whole recipes just to check they exist cost more
    // than the ranking itself.
    const known = await this.namesOf([...liked, ...disliked]);
    const unknownIds = [...liked, ...disliked].filter((id) => !known.has(id));
    if (unknownIds.length > 0) {
      throw new AppError(ErrorCode.ValidationFailed, `Unknown recipe ids: ${unknownIds.join(', ')}`, { unknownIds });
    }
    const { store } = this.activeIndex.active();
    const vectors = await store.denseVectors([...liked, ...disliked]);
    const examples = (ids: string[]) =>
      ids.filter((id) => vectors.has(id)).map((id) => ({ id, vectors: dishVectorsOf(vectors.get(id)!), weight: 1 }));
    const filter = this.filterOf(request.filters, 'filters.', [...liked, ...disliked]);
    return this.rank(store, {
      positives: examples(liked),
      negatives: examples(disliked),
      filter,
      blockedDishes: new Set([...known.values()].map(dishKey)),
      limit: request.limit,
      diversity: request.diversity,
    });
  }

  private async userPage(userId: string, query: UserRecommendationsQuery, parts: UserRankingParts): Promise<RecommendationPage> {
    const problems = userIdProblems(userId);
    if (problems.length > 0) throw validationFailed(problems);
    const now = Date.now();
    // Asked for together, and the neighbours' history before the taste model is built: each read
    // waited ~0.3–0.9 ms on SQLite at 100,000 recipes, one after the other.
    const [signals, stated] = await Promise.all([this.interactions.forUser(userId), this.userPreferences.forRanking(userId)]);
    const preferences = recipePreferences(signals, now);
    const excludedIds = [...preferences.values()].filter((p) => p.excluded).map((p) => p.recipeId);
    const neighbourhood = parts === 'content' ? null : this.interactions.neighbourhood(userId, excludedIds);
    // Not awaited when the user has nothing to learn from: its failure then must not go unhandled.
    neighbourhood?.catch(() => undefined);
    const filter = withUserFilter(this.filterOf(query, '', excludedIds), stated.filter);
    const blockedDishes = await this.dishKeysOf(excludedIds);
    const { store } = this.activeIndex.active();

    const centred = centredPreferences(preferences);
    // A view is a hint, not an opinion: as a regression target its small value would pull the
    // viewed dish itself (and its neighbours) down to "lukewarm" below the dishes around it that
    // the user liked. Views teach the model only while the user has given no opinion at all.
    const hasOpinions = [...preferences.values()].some((p) => p.kind !== 'view');
    const strongest = [...preferences.values()]
      .map((p) => ({ p, strength: centred.get(p.recipeId)! * p.recency }))
      .filter((x) => x.strength !== 0 && !(hasOpinions && x.p.kind === 'view'))
      .sort((a, b) => Math.abs(b.strength) - Math.abs(a.strength) || a.p.recipeId.localeCompare(b.p.recipeId))
      .slice(0, MAX_PROFILE_EXAMPLES);
    const vectors = await store.denseVectors(strongest.map((x) => x.p.recipeId));
    const view = await this.catalog.current();
    const space = await this.conceptSpace(view);
    const pointOf = (dense: DenseVectorCopies, dish: CatalogRecipe | undefined): DishPoint =>
      dishPoint(dishVectorsOf(dense), dish ? space.compactVector(dish) : NO_CONCEPTS);
    const examples: RegressionExample<DishPoint>[] = [];
    for (const { p } of strongest) {
      const dense = vectors.get(p.recipeId);
      if (dense) {
        const point = pointOf(dense, view.get(p.recipeId));
        examples.push({ id: p.recipeId, vectors: point, target: centred.get(p.recipeId)!, confidence: p.recency });
      }
    }
    if (!examples.some((e) => e.target > 0)) {
      return stated.tastes
        ? this.statedStart(stated.tastes, filter, blockedDishes, query.limit, query.diversity)
        : this.coldStart(store, filter, blockedDishes, query.limit, query.diversity);
    }

    const community = parts === 'content' ? undefined : await this.community.current();
    const priors = community?.priors ?? new Map<string, number>();
    const together = community ? community.coInteractions.scores([...preferences.keys()]) : PartnerScores.NONE;
    const personal = parts === 'collaborative' ? null : new TasteRegression(examples, RIDGE, pointSimilarity);

    // Candidates: the store's neighbours of what the user liked (away from what they did not),
    // what everyone rates well, what is liked together with the user's dishes, and what the
    // neighbours liked; never the whole catalog. The neighbours are read (from SQLite when their
    // raters and histories are not kept) while the others are gathered: awaited before them, the
    // SQLite query they were then took 2–10 ms next to 10,000 users on the 100,000-recipe bench
    // catalog, with the main thread idle.
    const pool = poolSize(query.limit);
    const positives = examples
      .filter((e) => e.target > 0)
      .map((e) => ({ id: e.id, vectors: e.vectors.dense, weight: e.target * e.confidence }));
    const negatives = examples
      .filter((e) => e.target < 0)
      .map((e) => ({ id: e.id, vectors: e.vectors.dense, weight: -e.target * e.confidence }));
    const legs = await Promise.all(
      (['ingredients', 'properties'] as const).map((space) => {
        const positive = weightedCentroid(positives, space);
        if (!positive) return Promise.resolve([] as VectorHit[]);
        const negative = weightedCentroid(negatives, space);
        return store.recommend({
          using: space,
          positive: [positive],
          negative: negative ? [negative] : [],
          strategy: 'average_vector',
          filter,
          limit: pool,
          withPayload: false,
        });
      }),
    );
    const candidateIds = new Set(legs.flat().map((hit) => hit.id));
    for (const ids of [community?.priorOrder.slice(0, pool) ?? [], together.best(pool)]) {
      for (const id of ids) candidateIds.add(id);
    }
    const records = await this.candidates(store, candidateIds, filter);

    let collaborative: CollaborativeResult = { scores: new Map(), evidence: 0, neighbours: 0 };
    if (neighbourhood) {
      const others = new Map<string, Map<string, number>>();
      for (const [other, signals] of await neighbourhood) others.set(other, this.neighbourPreferences(signals, now));
      const own = new Map([...centred].filter(([id]) => preferences.get(id)!.excluded));
      collaborative = userBasedScores(own, others);
      const more = bestFirst(collaborative.scores, pool).filter((id) => !candidateIds.has(id));
      if (more.length > 0) records.push(...(await this.candidates(store, more, filter)));
    }
    const weights: ScoreWeights = {
      prior: parts === 'content' ? 0 : USER_WEIGHTS.prior,
      domain: USER_WEIGHTS.domain,
      together: parts === 'content' ? 0 : USER_WEIGHTS.together,
      collaborative:
        parts === 'content' ? 0 : (USER_WEIGHTS.collaborativeMax * collaborativeWeight(collaborative.evidence)) / COLLABORATIVE_MAX_WEIGHT,
      stated: USER_WEIGHTS.stated,
    };

    const predictions = new Map<string, Prediction>();
    const scores = new Map<string, number>();
    // At 100,000 recipes (the scale bench's users: 14 rated dishes, ~250 candidates) this loop
    // took 5.3 ms of CPU per request in a profile while the taste model compared each candidate
    // with each rated dish, 1.6 ms with the weighted sums (see dish-point.ts), on a busy
    // two-core machine. The rest of a user list is mostly the store's two recommend queries.
    await forEachInSlices(records, SCORE_SLICE, (r) => {
      const prediction = personal?.predict(pointOf(r.dense, r.recipe)) ?? { value: 0, affinity: 0, contributions: [] };
      predictions.set(r.id, prediction);
      scores.set(
        r.id,
        userScore(
          {
            personal: prediction.value,
            prior: priors.get(r.id) ?? 0,
            collaborative: collaborative.scores.get(r.id) ?? 0,
            domain: Math.max(
              together.get(r.id) ?? 0,
              parts === 'collaborative' || !personal ? 0 : contentDomain(prediction.affinity, personal.typicalAffinity),
            ),
            together: together.get(r.id) ?? 0,
            stated: stated.tastes ? statedScore({ concepts: r.recipe.concepts, cuisine: r.recipe.summary.cuisine }, stated.tastes) : 0,
          },
          weights,
        ),
      );
    });
    const byId = new Map(records.map((r) => [r.id, r]));
    const ranked = records
      .map((r) => ({ id: r.id, nameKey: r.recipe.nameKey, source: r.recipe.payload.source, score: scores.get(r.id) ?? 0 }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const folded = foldSameDish(ranked, blockedDishes);
    const picked = maximalMarginalRelevance(
      folded.map((f) => ({ item: f, relevance: f.item.score, vector: byId.get(f.item.id)!.dense.ingredients ?? [] })),
      query.limit,
      query.diversity,
    );
    const becauseIds = new Map(picked.map((f) => [f.item.id, drivingDishes(predictions.get(f.item.id)!, examples)]));
    const items = await this.explainedHits(picked, becauseIds, weights.collaborative > 0 ? collaborative.scores : undefined);
    return this.page(
      items,
      query.limit,
      items.map((h) => byId.get(h.recipe.id)!.dense.ingredients ?? []),
      false,
    );
  }

  private async rank(store: VectorStore, input: RankInput): Promise<RecommendationPage> {
    if (input.positives.length === 0) return this.coldStart(store, input.filter, input.blockedDishes, input.limit, input.diversity);
    // Between stages (each a few milliseconds for 100 liked and 100 disliked dishes), other
    // requests get the loop: in one piece, a ranking held a search beside it for 20–35 ms.
    const budget = new EventLoopBudget();
    const pool = poolSize(input.limit);
    const legs = await Promise.all(
      (['ingredients', 'properties'] as const).map((space) => {
        const positive = weightedCentroid(input.positives, space);
        if (!positive) return Promise.resolve([] as VectorHit[]);
        const negative = weightedCentroid(input.negatives, space);
        return store.recommend({
          using: space,
          positive: [positive],
          negative: negative ? [negative] : [],
          strategy: 'average_vector',
          filter: input.filter,
          limit: pool,
          withPayload: false,
        });
      }),
    );
    const candidateIds = new Set(legs.flat().map((hit) => hit.id));
    const collaborative = input.collaborative;
    if (collaborative && collaborative.weight > 0) {
      // Dishes similar users liked join the pool even when content similarity would not find them.
      [...collaborative.scores]
        .filter(([, score]) => score > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, pool)
        .forEach(([id]) => candidateIds.add(id));
    }
    const records = await this.candidates(store, candidateIds, input.filter);

    await budget.yieldIfSpent();
    const content = await this.contentScores(records, input);
    await budget.yieldIfSpent();
    const scores = blendScores(content.scores, collaborative?.scores ?? new Map(), collaborative?.weight ?? 0);
    const byId = new Map(records.map((r) => [r.id, r]));
    const ranked = records
      .map((r) => ({ id: r.id, nameKey: r.recipe.nameKey, source: r.recipe.payload.source, score: scores.get(r.id) ?? 0 }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const folded = foldSameDish(ranked, input.blockedDishes);
    await budget.yieldIfSpent();
    const picked = maximalMarginalRelevance(
      folded.map((f) => ({ item: f, relevance: f.item.score, vector: byId.get(f.item.id)!.dense.ingredients ?? [] })),
      input.limit,
      input.diversity,
    );

    await budget.yieldIfSpent();
    const becauseIds = new Map(
      picked.map((f) => [f.item.id, becauseOf(content.scorer.closest(dishVectorsOf(byId.get(f.item.id)!.dense)))]),
    );
    const items = await this.explainedHits(picked, becauseIds, (collaborative?.weight ?? 0) > 0 ? collaborative?.scores : undefined);
    return this.page(
      items,
      input.limit,
      items.map((h) => byId.get(h.recipe.id)!.dense.ingredients ?? []),
      false,
    );
  }

  /**
   * The page's hits with their reasons: matched ingredients and terms, the liked dishes behind
   * each (`becauseYouLiked`), other sources of the same dish, and what like-minded users think.
   */
  private async explainedHits(
    picked: ReadonlyArray<{ item: { id: string; score: number }; alsoIn: Array<{ id: string; source: string }> }>,
    becauseIds: ReadonlyMap<string, string[]>,
    similarUsers: ReadonlyMap<string, number> | undefined,
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

  /**
   * Content scores in two passes (see TasteScorer): every candidate against representative
   * examples, then the shortlist against all of them. Both run in slices that yield, so the
   * largest profile delays other requests by one slice at a time, not by the whole ranking.
   */
  private async contentScores(records: Candidate[], input: RankInput): Promise<{ scores: Map<string, number>; scorer: TasteScorer }> {
    const scorer = new TasteScorer(input.positives, input.negatives);
    const scores = new Map<string, number>();
    await forEachInSlices(records, SCORE_SLICE, (r) => scores.set(r.id, scorer.score(dishVectorsOf(r.dense))));
    if (!scorer.exact) {
      const shortlist = records
        .map((r) => ({ record: r, score: scores.get(r.id)! }))
        .sort((a, b) => b.score - a.score || a.record.id.localeCompare(b.record.id))
        .slice(0, Math.max(input.limit * 2, SHORTLIST_MIN))
        .map((c) => c.record);
      await forEachInSlices(shortlist, SCORE_SLICE / 4, (r) => scores.set(r.id, scorer.exactScore(dishVectorsOf(r.dense))));
    }
    return { scores, scorer };
  }

  /**
   * No history yet, but stated tastes: dishes like one made of the liked ingredients in the liked
   * cuisines (the store's hybrid query, as by-ingredients asks it), ranked by how many stated
   * likes they meet minus dislikes, then by that similarity; within the user's hard filters.
   */
  private async statedStart(
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
    const records = await this.candidates(
      store,
      hits.map((h) => h.id),
      filter,
    );
    const fused = new Map(hits.map((h) => [h.id, h.score]));
    const peak = Math.max(0, ...fused.values()) || 1;
    const ranked = records
      .map((r) => {
        const dish = r.recipe;
        const taste = statedScore({ concepts: dish.concepts, cuisine: dish.summary.cuisine }, tastes);
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
    const recipes = await this.recipesById(picked.map((f) => f.item.id));
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
    return this.page(
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
  private async coldStart(
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
    const sample = await this.catalogSample(filter, poolSize(limit) * 2);
    const records = await this.candidates(store, new Set([...popular, ...sample.map((s) => s.id)]), filter);
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
    const recipes = await this.recipesById(pickedIds);
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
    return this.page(
      items,
      limit,
      items.map((h) => byId.get(h.recipe.id)!.item.record.dense.ingredients ?? []),
      true,
    );
  }

  private page(items: RecommendationHit[], limit: number, vectors: ArrayLike<number>[], coldStart: boolean): RecommendationPage {
    return { items, total: items.length, limit, offset: 0, diversity: round(intraListDiversity(vectors)), coldStart };
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

  /**
   * Counted once per catalog version, by the first user list asked for after a change (and shared
   * with the requests arriving meanwhile); every other request only weighs the dishes it scores.
   * A version that shares its base with the last one counted is derived from it by the recipes
   * that differ: counting the whole catalog took ~0.7 s of CPU at 100,000 recipes, so the first
   * user list after any write waited that long.
   */
  private conceptSpace(view: CatalogView): Promise<ConceptSpace> {
    let space = this.conceptSpaces.get(view);
    if (space) return space;
    const last = this.lastConceptSpace;
    const earlier = last?.view.deref();
    const changes = earlier ? view.changesSince(earlier) : null;
    space =
      last && changes && changes.added.length + changes.removed.length <= view.size / 4
        ? last.space.then((known) => known.updated(changes.added, changes.removed))
        : ConceptSpace.ofInSlices([...view.values()], SCORE_SLICE);
    this.conceptSpaces.set(view, space);
    // A weak reference: an old view must not keep a replaced base (every recipe) alive.
    this.lastConceptSpace = { view: new WeakRef(view), space };
    return space;
  }

  /** The filters every retrieval route resolves the same way, plus the recipes that must not come back. */
  private filterOf(filters: FilterParams | undefined, fieldPrefix: string, excludeIds: string[]): RecipeFilter {
    return { ...resolveFilters(this.lexicon, filters, fieldPrefix), excludeIds };
  }

  /**
   * The candidates' dense vectors with their recipes from the catalog view, within the filter as
   * search applies it: on the in-memory catalog, exclusions also see the ingredients a dish's
   * name implies (香菜拌牛肉 has coriander even when its list forgot it). A point the view lacks
   * makes it look again once, as `recipesById` does; one still missing was deleted since it was
   * indexed and is left out.
   */
  private async candidates(store: VectorStore, ids: Iterable<string>, filter: RecipeFilter): Promise<Candidate[]> {
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

  /** A deterministic, source-mixed sample: recipe ids are hashes, so id order is a fixed shuffle. */
  private async catalogSample(filter: RecipeFilter, limit: number): Promise<Array<{ id: string; ingredientCount: number }>> {
    // A broad cuisine resolves to itself and its regional ones: any of them will do.
    const rows = await new RecipeRowsRepository(this.dataSource).ingredientsWhere(filter, limit);
    return rows.map((row) => ({ id: row.id, ingredientCount: (JSON.parse(row.ingredients) as unknown[]).length }));
  }

  /** The dish keys of those of `ids` that exist: the catalog view's own, keyed again only for recipes it lacks. */
  private async dishKeysOf(ids: string[]): Promise<Set<string>> {
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
  private async namesOf(ids: string[]): Promise<Map<string, string>> {
    const view = await this.catalog.current();
    const names = new Map<string, string>();
    const missing: string[] = [];
    for (const id of ids) {
      const recipe = view.get(id);
      if (recipe) names.set(id, recipe.summary.name);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, name] of await new RecipeRowsRepository(this.dataSource).namesOf(missing)) names.set(id, name);
    }
    return names;
  }

  /**
   * Hits and their reasons from the in-memory catalog, which already holds each recipe's
   * analysis: reading and analysing them again per request was a fifth of a recommendation's
   * time. A recipe written since the snapshot's last check makes it look again once.
   */
  private async recipesById(ids: string[]): Promise<Map<string, ExplainedRecipe>> {
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
}

/** What a hit and its explanation need of a recipe: the in-memory catalog's view of it. */
interface ExplainedRecipe {
  summary: RecipeSummary;
  ingredients: readonly Ingredient[];
  propertyConcepts: readonly string[];
}

/** A candidate for a list: its dense vectors and its recipe in the catalog view. */
interface Candidate {
  id: string;
  dense: DenseVectorCopies;
  recipe: CatalogRecipe;
}

function dishVectorsOf(dense: DenseVectorCopies): DishVectors {
  return { ingredients: dense.ingredients, properties: dense.properties };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
