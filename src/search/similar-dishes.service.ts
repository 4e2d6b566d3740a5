import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { intraListDiversity, maximalMarginalRelevance, Vector } from '../retrieval/diversity';
import { ExplanationBuilder } from '../retrieval/explanation';
import { Explanation } from '../retrieval/ranked-hit';
import { FoodLexicon } from '../text/food-lexicon';
import { compareHits } from '../vector-store/hit-order';
import { RecipeFilter, VectorHit } from '../vector-store/vector-store.port';
import { withUserFilter } from '../users/user-filter';
import { CatalogRecipe, compileCatalogFilter } from './catalog-recipe';
import { CatalogSnapshotService, CatalogView } from './catalog-snapshot.service';
import { HybridLeg, maxFusedScore } from './hybrid-legs';
import { explain, roundScore } from './search-hits';
import { ALSO_IN_LISTED, alsoInOf, foldSameDishes } from './same-dish';
import { SimilarHit, SimilarPage } from './search.types';

export const DEFAULT_SIMILAR_DIVERSITY = 0.3;
/** MMR picks from this many times the requested count (at least SIMILAR_MIN_POOL), so there is room to diversify. */
export const SIMILAR_POOL_FACTOR = 5;
export const SIMILAR_MIN_POOL = 50;

/**
 * Both what a dish is made of and what kind of dish it is count, so the two dense spaces weigh
 * the same; the sparse terms (concept ids and name words) add a lighter lexical pull.
 */
/** Flavourings every savoury dish shares: naming them would not say why two dishes are alike. */
const FLAVOURING_ROOTS = ['sauce', 'seasoning', 'spice', 'sweetener', 'leavening', 'oil-fat', 'alcohol', 'allium'];

export const SIMILAR_LEG_WEIGHTS = { ingredients: 1, properties: 1, terms: 0.5, text: 0.5 } as const;

export interface SimilarRequest {
  limit: number;
  diversity?: number;
  /** The named user's stored diets, allergies and exclusions (see src/users): similar dishes breaking them never come. */
  userFilter?: RecipeFilter;
}

interface Candidate {
  id: string;
  source: string;
  nameKey: string;
  fused: number;
  recipe: CatalogRecipe;
}

/**
 * Dishes like a given one, from the recipe's own stored vectors. The same dish from another
 * source (same normalised name) comes first, marked `sameDish`; other dishes sharing a name fold
 * into one hit (`why.alsoIn`); the rest are re-ranked by maximal marginal relevance so the list
 * is not ten variants of one idea.
 */
@Injectable()
export class SimilarDishesService {
  private readonly explanations: ExplanationBuilder;

  constructor(
    private readonly lexicon: FoodLexicon,
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly catalog: CatalogSnapshotService,
  ) {
    this.explanations = new ExplanationBuilder(lexicon);
  }

  async similar(id: string, request: SimilarRequest): Promise<SimilarPage> {
    const diversity = request.diversity ?? DEFAULT_SIMILAR_DIVERSITY;
    const view = await this.viewWith(id);
    const recipe = view.get(id);
    if (!recipe) throw AppError.notFound('Recipe', id);
    const { store } = this.activeIndex.active();
    const own = (await store.getVectors([id])).get(id);
    if (!own) throw new AppError(ErrorCode.IndexNotReady, `Recipe "${id}" is not indexed yet; try again shortly`, { id });

    const legs: HybridLeg[] = [];
    for (const using of ['ingredients', 'properties', 'text'] as const) {
      const vector = own.dense[using];
      if (vector) legs.push({ using, vector, weight: SIMILAR_LEG_WEIGHTS[using] });
    }
    if (own.sparse && own.sparse.indices.length > 0) legs.push({ using: 'terms', vector: own.sparse, weight: SIMILAR_LEG_WEIGHTS.terms });
    const pool = Math.max(SIMILAR_MIN_POOL, request.limit * SIMILAR_POOL_FACTOR);
    const hits: VectorHit[] =
      legs.length > 0
        ? await store.hybrid({
            legs,
            filter: withUserFilter({ excludeIds: [id] }, request.userFilter),
            limit: pool,
            candidates: pool,
            withPayload: false,
          })
        : [];
    const allowed = request.userFilter ? compileCatalogFilter(request.userFilter) : () => true;
    // Folding keeps the first copy of a dish and MMR the first of equals: ties must not depend
    // on the store's order.
    hits.sort(compareHits);

    const candidates: Candidate[] = [];
    for (const hit of hits) {
      const found = view.get(hit.id);
      if (found && allowed(found))
        candidates.push({ id: hit.id, source: found.summary.source, nameKey: found.nameKey, fused: hit.score, recipe: found });
    }
    // The recipe's twins are the most similar dishes there are, even when the vectors disagree.
    const pooled = new Set(candidates.map((c) => c.id));
    const twins = view.twinsOf(recipe, ALSO_IN_LISTED + 1, allowed).filter((t) => !pooled.has(t.summary.id));
    const lowest = candidates.length > 0 ? candidates[candidates.length - 1].fused : 0;
    for (const twin of twins)
      candidates.push({ id: twin.summary.id, source: twin.summary.source, nameKey: twin.nameKey, fused: lowest, recipe: twin });

    const groups = foldSameDishes(candidates);
    const same = groups.find((g) => g.lead.nameKey === recipe.nameKey);
    const others = groups.filter((g) => g !== same);
    const vectors = await store.denseVectors(groups.map((g) => g.lead.id));
    const vectorOf = (c: Candidate): Vector => vectors.get(c.id)?.ingredients ?? [];
    const k = request.limit - (same ? 1 : 0);
    const picked = maximalMarginalRelevance(
      others.map((g) => ({ item: g, relevance: g.lead.fused, vector: vectorOf(g.lead) })),
      k,
      diversity,
    );
    const chosen = [...(same ? [same] : []), ...picked].slice(0, request.limit);

    const context = this.context(recipe);
    const maxFused = maxFusedScore(legs);
    const items: SimilarHit[] = chosen.map((g) => {
      const why: Explanation = explain(this.explanations, g.lead.recipe, context);
      if (g.others.length > 0) why.alsoIn = alsoInOf(g.others);
      const hit: SimilarHit = { recipe: g.lead.recipe.summary, score: roundScore(maxFused > 0 ? g.lead.fused / maxFused : 0), why };
      if (g === same) hit.sameDish = true;
      return hit;
    });
    return {
      items,
      total: groups.length,
      limit: request.limit,
      offset: 0,
      diversity: roundScore(intraListDiversity(chosen.map((g) => vectorOf(g.lead)).filter((v) => v.length > 0))),
    };
  }

  /** What a similar dish is explained against: the recipe's own non-staple ingredients and its properties. */
  private context(recipe: CatalogRecipe) {
    const propertyConcepts = recipe.propertyConcepts;
    const kinds = (kind: string) => propertyConcepts.filter((id) => this.lexicon.get(id)?.kind === kind);
    return {
      ingredients: recipe.ingredientConcepts.filter(
        (c) => !this.lexicon.isStaple(c) && !FLAVOURING_ROOTS.some((root) => this.lexicon.isA(c, root)),
      ),
      properties: [...kinds('flavor'), ...kinds('method')],
      cuisines: kinds('cuisine'),
      categories: kinds('course').map((id) => this.lexicon.categoryOf(this.lexicon.get(id)!)),
      diets: [],
    };
  }

  /** A recipe created a moment ago may postdate the snapshot: look once more before calling it unknown. */
  private async viewWith(id: string): Promise<CatalogView> {
    const view = await this.catalog.current();
    if (view.get(id)) return view;
    this.catalog.invalidate();
    return this.catalog.current();
  }
}
