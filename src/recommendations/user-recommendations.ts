import { Injectable } from '@nestjs/common';
import { forEachInSlices } from '../common/event-loop';
import { validationFailed } from '../common/validation';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { maximalMarginalRelevance } from '../retrieval/diversity';
import { CatalogRecipe } from '../search/catalog-recipe';
import { CatalogSnapshotService, CatalogView } from '../search/catalog-snapshot.service';
import { userIdProblems } from '../users/interaction-validation';
import { withUserFilter } from '../users/user-filter';
import { UserPreferencesService } from '../users/user-preferences.service';
import { UserInteractionsRepository } from '../users/user-interactions.repository';
import { InteractionSignal } from '../users/user-interaction.types';
import { VectorHit } from '../vector-store/vector-store.port';
import { UserRecommendationsQuery } from './dto/recommend-request.dto';
import { COLLABORATIVE_MAX_WEIGHT, CollaborativeResult, collaborativeWeight, userBasedScores } from './ranking/collaborative-scores';
import { bestFirst } from './ranking/best-first';
import { drivingDishes } from './ranking/because-you-liked';
import { Prediction, RegressionExample, RIDGE, TasteRegression } from './ranking/taste-regression';
import { ConceptSpace, NO_CONCEPTS } from './ranking/concept-features';
import { candidatePoint, DishPoint, dishPoint, pointSimilarity, summedSquaredNorm } from './ranking/dish-point';
import { centredPreferences } from './ranking/user-centring';
import { contentDomain, ScoreWeights, statedScore, USER_WEIGHTS, userScore } from './ranking/user-ranking';
import { foldSameDish } from './ranking/dish-identity';
import { recipePreferences } from './ranking/preference-signals';
import { weightedCentroid } from './ranking/taste-profile';
import { RecommendationPage } from './recommendation-types';
import { CommunityTables } from './community-tables.service';
import { PartnerScores } from './ranking/co-interaction';
import { ColdStartRecommendations } from './cold-start-recommendations';
import { dishVectorsOf, poolSize, RecommendationLists, SCORE_SLICE } from './recommendation-lists';

/** Most recent / strongest opinions used as examples; older ones add little and cost a vector read each. */
const MAX_PROFILE_EXAMPLES = 200;

/**
 * Which parts of a user's ranking run: all of them (what the route serves), or one side alone,
 * which the evaluation measures separately (`content`: the user's own taste model; `collaborative`:
 * what others think, everyone and like-minded users).
 */
export type UserRankingParts = 'all' | 'content' | 'collaborative';

/**
 * A known user's list: their own taste model (from their ratings, likes and stated tastes),
 * blended with what everyone and the like-minded users think; cold start when there is nothing
 * to learn from.
 */
@Injectable()
export class UserRecommendations {
  /** Per neighbour history read (kept for a minute by the repository): its centred preferences. */
  private readonly neighbourCentred = new WeakMap<readonly InteractionSignal[], Map<string, number>>();
  /** Concept document frequencies per catalog version: a view is immutable, so it keys its own space. */
  private readonly conceptSpaces = new WeakMap<CatalogView, Promise<ConceptSpace>>();
  private lastConceptSpace?: { view: WeakRef<CatalogView>; space: Promise<ConceptSpace> };

  constructor(
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly interactions: UserInteractionsRepository,
    private readonly catalog: CatalogSnapshotService,
    private readonly userPreferences: UserPreferencesService,
    private readonly community: CommunityTables,
    private readonly lists: RecommendationLists,
    private readonly starts: ColdStartRecommendations,
  ) {}

  async page(userId: string, query: UserRecommendationsQuery, parts: UserRankingParts): Promise<RecommendationPage> {
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
    const filter = withUserFilter(this.lists.filterOf(query, '', excludedIds), stated.filter);
    const blockedDishes = await this.lists.dishKeysOf(excludedIds);
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
    const conceptsOf = (dish: CatalogRecipe | undefined) => (dish ? space.compactVector(dish) : NO_CONCEPTS);
    const examples: RegressionExample<DishPoint>[] = [];
    for (const { p } of strongest) {
      const dense = vectors.get(p.recipeId);
      if (dense) {
        const point = dishPoint(dishVectorsOf(dense), conceptsOf(view.get(p.recipeId)));
        examples.push({ id: p.recipeId, vectors: point, target: centred.get(p.recipeId)!, confidence: p.recency });
      }
    }
    if (!examples.some((e) => e.target > 0)) {
      // Stated likes give a first list of their own; dislikes alone give nothing to search
      // with (that list came back empty), so the general first list serves, within the filters.
      const likes = stated.tastes ? stated.tastes.likedIngredients.length + stated.tastes.likedCuisines.length : 0;
      return stated.tastes && likes > 0
        ? this.starts.statedStart(stated.tastes, filter, blockedDishes, query.limit, query.diversity)
        : this.starts.coldStart(store, filter, blockedDishes, query.limit, query.diversity);
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
    const records = await this.lists.candidates(store, candidateIds, filter);

    let collaborative: CollaborativeResult = { scores: new Map(), evidence: 0, neighbours: 0 };
    if (neighbourhood) {
      const others = new Map<string, Map<string, number>>();
      for (const [other, signals] of await neighbourhood) others.set(other, this.neighbourPreferences(signals, now));
      const own = new Map([...centred].filter(([id]) => preferences.get(id)!.excluded));
      collaborative = userBasedScores(own, others);
      const more = bestFirst(collaborative.scores, pool).filter((id) => !candidateIds.has(id));
      if (more.length > 0) records.push(...(await this.lists.candidates(store, more, filter)));
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
    // Each candidate's point: scoring it sums its vectors' lengths, which MMR then needs too.
    const points = new Map<string, DishPoint>();
    const scores = new Map<string, number>();
    // At 100,000 recipes (the scale bench's users: 14 rated dishes, ~250 candidates) this loop
    // took 5.3 ms of CPU per request in a profile while the taste model compared each candidate
    // with each rated dish, 1.6 ms with the weighted sums (see dish-point.ts), on a busy
    // two-core machine. The rest of a user list is mostly the store's two recommend queries.
    await forEachInSlices(records, SCORE_SLICE, (r) => {
      const point = candidatePoint(dishVectorsOf(r.dense), conceptsOf(r.recipe));
      const prediction = personal?.predict(point) ?? { value: 0, affinity: 0, contributions: [] };
      predictions.set(r.id, prediction);
      points.set(r.id, point);
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
            stated: stated.tastes
              ? statedScore(
                  { concepts: r.recipe.concepts, cuisine: r.recipe.summary.cuisine, properties: r.recipe.propertyConcepts },
                  stated.tastes,
                )
              : 0,
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
      folded.map((f) => ({
        item: f,
        relevance: f.item.score,
        vector: byId.get(f.item.id)!.dense.ingredients ?? [],
        squaredNorm: summedSquaredNorm(points.get(f.item.id)!, 'ingredients'),
      })),
      query.limit,
      query.diversity,
    );
    const becauseIds = new Map(picked.map((f) => [f.item.id, drivingDishes(predictions.get(f.item.id)!, examples)]));
    const items = await this.lists.explainedHits(picked, becauseIds, weights.collaborative > 0 ? collaborative.scores : undefined);
    return this.lists.page(
      items,
      query.limit,
      items.map((h) => byId.get(h.recipe.id)!.dense.ingredients ?? []),
      false,
    );
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
}
