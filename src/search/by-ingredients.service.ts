import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { ExplanationBuilder } from '../retrieval/explanation';
import { RankedHit } from '../retrieval/ranked-hit';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeFilter } from '../vector-store/vector-store.port';
import { CatalogRecipe, compileCatalogFilter, compileCatalogFilterIfAny, neededIngredients } from './catalog-recipe';
import { CatalogSnapshotService } from './catalog-snapshot.service';
import { deepPoolSize, fusedPool, hybridLegs, maxFusedScore, rankedThrough } from './hybrid-legs';
import { foldable, foldRanked, type RankedRecipe } from './filtered-listing';
import { alsoInOf, DishFolder, type FoldableCandidate } from './same-dish';
import { orderTiesBySimilarity, PantryCandidate, PantryMatcher } from './pantry-matcher';
import { explain, toHit } from './search-hits';
import { FilterParams, resolveFilters } from './search-filters';
import { withUserFilter } from '../users/user-filter';
import { facetMatcher, rankSearchCandidates, SearchCandidate } from './search-ranker';
import { emptyParsedQuery } from '../text/query-parser';
import { ByIngredientsMode, ByIngredientsPage } from './search.types';

export interface ByIngredientsRequest {
  ingredients: string[];
  mode: ByIngredientsMode;
  limit: number;
  offset: number;
  filters?: FilterParams;
  /** The named user's stored diets, allergies and exclusions (see src/users): a hard filter added to the request's. */
  userFilter?: RecipeFilter;
}

const FOOD_KINDS = new Set(['ingredient'] as const);

/**
 * "What can I make with these?" in two senses. `similar`: the dishes closest to a dish made of
 * exactly these ingredients (the vector spaces decide). `pantry`: the dishes the cook can make,
 * fewest missing ingredients first; this one reads the in-memory catalog's pantry index, because a recipe that
 * needs nothing more must be found even when its vectors are far from the pantry's.
 */
@Injectable()
export class ByIngredientsService {
  private readonly explanations: ExplanationBuilder;
  private readonly pantry: PantryMatcher;

  constructor(
    private readonly lexicon: FoodLexicon,
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly catalog: CatalogSnapshotService,
    private readonly models: EmbeddingModelService,
  ) {
    this.explanations = new ExplanationBuilder(lexicon);
    this.pantry = new PantryMatcher(lexicon);
  }

  async search(request: ByIngredientsRequest): Promise<ByIngredientsPage> {
    const recognised: Array<{ input: string; concept: string }> = [];
    const unrecognised: string[] = [];
    const { provider } = this.activeIndex.active();
    for (const input of request.ingredients) {
      const concept = this.lexicon.lookup(input, FOOD_KINDS) ?? this.lexicon.resolveIngredient(input);
      // The lexicon first: a learned concept only stands for a name the lexicon does not know.
      const learned = concept ? undefined : this.models.learnedConceptFor(provider, input);
      if (concept && concept.kind === 'ingredient') recognised.push({ input, concept: concept.id });
      else if (learned) recognised.push({ input, concept: learned });
      else unrecognised.push(input);
    }
    if (recognised.length === 0) {
      throw new AppError(ErrorCode.ValidationFailed, `None of the ingredients is known: ${unrecognised.map((w) => `"${w}"`).join(', ')}`, [
        { field: 'ingredients', problems: ['no recognised ingredient'] },
      ]);
    }
    const filter = withUserFilter(resolveFilters(this.lexicon, request.filters, 'filters.'), request.userFilter);
    const concepts = [...new Set(recognised.map((r) => r.concept))];
    const page =
      request.mode === 'pantry'
        ? await this.pantryPage(concepts, recognised, filter, request)
        : await this.similarPage(concepts, recognised, filter, request);
    return {
      ...page,
      limit: request.limit,
      offset: request.offset,
      query: { mode: request.mode, recognised, unrecognised, filters: filter },
    };
  }

  private async similarPage(
    concepts: string[],
    recognised: Array<{ input: string; concept: string }>,
    filter: RecipeFilter,
    request: ByIngredientsRequest,
  ): Promise<{ items: RankedHit[]; total: number }> {
    const { provider, store } = this.activeIndex.active();
    const parsed = { ...emptyParsedQuery(recognised.map((r) => r.input).join(' ')), ingredients: concepts };
    const [view, vectors] = await Promise.all([this.catalog.current(), provider.embedQuery(parsed)]);
    const legs = hybridLegs(vectors, { ingredients: 1, terms: 0.5, text: 0.5 });
    const allowed = compileCatalogFilter(filter);
    const matchFacets = facetMatcher(this.lexicon, { ingredients: concepts, properties: [], cuisines: [], categories: [], words: [] });
    const rankAt = async (pool: number) => {
      const candidates: SearchCandidate[] = [];
      // Kept for the ranked list, as search keeps them: not looked up in the catalog view twice.
      const recipes = new Map<string, CatalogRecipe>();
      for (const hit of await fusedPool(store, legs, filter, pool)) {
        const recipe = view.get(hit.id);
        if (!recipe || !allowed(recipe)) continue;
        recipes.set(hit.id, recipe);
        candidates.push({ id: hit.id, fused: hit.score, nameTier: 0, match: matchFacets(recipe), classic: recipe.classic });
      }
      return rankSearchCandidates(candidates, maxFusedScore(legs)).map((c) => ({ candidate: c, recipe: recipes.get(c.id)! }));
    };
    const end = request.offset + request.limit;
    // Copies of one dish from several sources are one result, as everywhere (see same-dish.ts).
    const folded = await rankedThrough(
      end,
      deepPoolSize(legs),
      rankAt,
      (r) => r.candidate.id,
      (ranked) => foldRanked(ranked.map((r) => ({ recipe: r.recipe, score: r.candidate.score, match: r.candidate.match }))),
    );
    const items = folded.slice(request.offset, end).map(({ lead, others }) => {
      const { recipe, score, match } = lead.ranked;
      const why = explain(this.explanations, recipe, { ingredients: concepts });
      why.matchedTerms = recognised.filter((r) => match.ingredients.includes(r.concept)).map((r) => r.input);
      if (others.length > 0) why.alsoIn = alsoInOf(others);
      return toHit(recipe, score, why);
    });
    return { items, total: folded.length };
  }

  private async pantryPage(
    concepts: string[],
    recognised: Array<{ input: string; concept: string }>,
    filter: RecipeFilter,
    request: ByIngredientsRequest,
  ): Promise<{ items: RankedHit[]; total: number }> {
    const { provider, store } = this.activeIndex.active();
    const view = await this.catalog.current();
    // Staples in the pantry are used but do not make a recipe a candidate: everything has salt.
    const meaningful = concepts.filter((c) => !this.lexicon.isStaple(c));
    const anchor = meaningful.length > 0 ? meaningful : concepts;
    // Only recipes with a line the anchor covers can qualify: the inverted index finds them
    // without scoring the rest of the catalog (bench/catalog-index-bench.ts).
    const tally = view.countPantry(concepts, anchor, compileCatalogFilterIfAny(filter));
    const end = request.offset + request.limit;
    let queryVector: Promise<number[] | undefined> | null = null;
    const ranked = (want: number) =>
      orderTiesBySimilarity(tally.head(want), want, async (ids, limit) => {
        queryVector ??= provider.embedQuery({ ...emptyParsedQuery(), ingredients: concepts }).then((v) => v.dense.ingredients);
        const vector = await queryVector;
        if (!vector) return [];
        return store.query({ using: 'ingredients', vector, filter: { ids }, limit, withPayload: false });
      });
    // Copies of one dish from several sources are one result, as everywhere (see same-dish.ts):
    // the head is ranked deeper until it holds `end` dishes or every candidate. Folded only as
    // far as the page needs: a head holds every candidate tied with its last place (hundreds for
    // a common pantry at 100,000 recipes), and each would cost a catalog look-up.
    const foldHead = (head: readonly PantryCandidate[], want: number) => {
      const folder = new DishFolder<FoldableCandidate & { ranked: RankedRecipe }>();
      // Only the `want` first are in their final order: the rest of the last tie group is not
      // sorted by similarity, and read on, pages of 10 showed 33 recipes two to four times.
      for (let i = 0; i < Math.min(head.length, want) && folder.size < end; i++) {
        folder.add(foldable({ recipe: view.get(head[i].id) as CatalogRecipe, score: 1 / (1 + head[i].missing) }));
      }
      return folder.folded();
    };
    let want = end;
    let head = await ranked(want);
    let folded = foldHead(head, want);
    while (folded.length < end && want < tally.total) {
      want *= 2;
      head = await ranked(want);
      folded = foldHead(head, want);
    }

    const items = folded.slice(request.offset, end).map(({ lead, others }) => {
      const recipe = lead.ranked.recipe;
      const match = this.pantry.match(concepts, neededIngredients(recipe));
      const used = new Set(match.used);
      const hit = toHit(recipe, 1 / (1 + match.missingCount), {
        matchedIngredients: match.coveredIngredients,
        matchedTerms: recognised.filter((r) => used.has(r.concept)).map((r) => r.input),
        missingIngredients: match.missingIngredients,
      });
      if (others.length > 0) hit.why.alsoIn = alsoInOf(others);
      return hit;
    });
    // The recipes that qualify, copies included: the same on every page (counting dishes would
    // take every candidate's name).
    return { items, total: tally.total };
  }
}
