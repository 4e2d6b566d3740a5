import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { EventLoopBudget, forEachInSlices } from '../common/event-loop';
import { validationFailed } from '../common/validation';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { maximalMarginalRelevance } from '../retrieval/diversity';
import { RecipeFilter, VectorHit, VectorStore } from '../vector-store/vector-store.port';
import { RecommendRequestDto } from './dto/recommend-request.dto';
import { dishKey, foldSameDish } from './ranking/dish-identity';
import { scaledToUnit } from './ranking/unit-scale';
import { becauseOf, weightedCentroid, WeightedExample } from './ranking/taste-profile';
import { TasteScorer } from './ranking/taste-scorer';
import { RecommendationPage } from './recommendation-types';
import { ColdStartRecommendations } from './cold-start-recommendations';
import { Candidate, dishVectorsOf, poolSize, RecommendationLists, SCORE_SLICE } from './recommendation-lists';

/** Candidates the exact second pass re-scores at least (twice the page when that is more). */
const SHORTLIST_MIN = 30;

interface RankInput {
  positives: WeightedExample[];
  negatives: WeightedExample[];
  filter: RecipeFilter;
  /** Dish keys of what must never come back (inputs, already rated…), across sources. */
  blockedDishes: Set<string>;
  limit: number;
  diversity: number;
}

/** An anonymous session's list: like the liked, unlike the disliked, never the inputs. */
@Injectable()
export class SessionRecommendations {
  constructor(
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly lists: RecommendationLists,
    private readonly starts: ColdStartRecommendations,
  ) {}

  async page(request: RecommendRequestDto): Promise<RecommendationPage> {
    const liked = [...new Set(request.liked)];
    const disliked = [...new Set(request.disliked ?? [])];
    const both = liked.filter((id) => disliked.includes(id));
    if (both.length > 0) {
      throw validationFailed([{ field: 'disliked', problems: [`recipes cannot be both liked and disliked: ${both.join(', ')}`] }]);
    }
    // Ids and names only: hydrating up to 200 whole recipes just to check they exist cost more
    // than the ranking itself.
    const known = await this.lists.namesOf([...liked, ...disliked]);
    const unknown = (['liked', 'disliked'] as const)
      .map((field) => ({ field, ids: (field === 'liked' ? liked : disliked).filter((id) => !known.has(id)) }))
      .filter(({ ids }) => ids.length > 0);
    if (unknown.length > 0) {
      const ids = unknown.flatMap((u) => u.ids);
      throw new AppError(
        ErrorCode.ValidationFailed,
        `Unknown recipe ids: ${ids.join(', ')}`,
        unknown.map(({ field, ids }) => ({ field, problems: ids.map((id) => `unknown recipe id: ${id}`) })),
      );
    }
    const { store } = this.activeIndex.active();
    const vectors = await store.denseVectors([...liked, ...disliked]);
    const examples = (ids: string[]) =>
      ids.filter((id) => vectors.has(id)).map((id) => ({ id, vectors: dishVectorsOf(vectors.get(id)!), weight: 1 }));
    const filter = this.lists.filterOf(request.filters, 'filters.', [...liked, ...disliked]);
    return this.rank(store, {
      positives: examples(liked),
      negatives: examples(disliked),
      filter,
      blockedDishes: new Set([...known.values()].map(dishKey)),
      limit: request.limit,
      diversity: request.diversity,
    });
  }

  private async rank(store: VectorStore, input: RankInput): Promise<RecommendationPage> {
    if (input.positives.length === 0) return this.starts.coldStart(store, input.filter, input.blockedDishes, input.limit, input.diversity);
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
    const records = await this.lists.candidates(store, candidateIds, input.filter);

    await budget.yieldIfSpent();
    const content = await this.contentScores(records, input);
    await budget.yieldIfSpent();
    const scores = scaledToUnit(content.scores);
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
    const items = await this.lists.explainedHits(picked, becauseIds);
    return this.lists.page(
      items,
      input.limit,
      items.map((h) => byId.get(h.recipe.id)!.dense.ingredients ?? []),
      false,
    );
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
}
