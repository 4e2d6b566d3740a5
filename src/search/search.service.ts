import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { ExplanationBuilder } from '../retrieval/explanation';
import { FoodLexicon } from '../text/food-lexicon';
import { emptyParsedQuery, QueryParser } from '../text/query-parser';
import { ParsedQuery } from '../text/text.types';
import { RecipeFilter } from '../vector-store/vector-store.port';
import { CatalogRecipe, compileCatalogFilter } from './catalog-recipe';
import { CatalogSnapshotService, CatalogView } from './catalog-snapshot.service';
import { dishNameKey, NameQuery } from './dish-name';
import { ALSO_IN_LISTED, alsoInOf } from './same-dish';
import { deepPoolSize, fusedPool, hybridLegs, maxFusedScore, rankedThrough, SEARCH_POOL } from './hybrid-legs';
import { explain, toHit } from './search-hits';
import { FilterParams, hasConstraint, mergeQueryFilter, resolveFilters } from './search-filters';
import { withUserFilter } from '../users/user-filter';
import { facetMatcher, QueryFacets, rankSearchCandidates, SearchCandidate } from './search-ranker';
import { foldRanked, type FoldedResults, type RankedRecipe } from './filtered-listing';
import { KeptListings } from './kept-listings';
import { SearchPage } from './search.types';

export interface SearchRequest extends FilterParams {
  q?: string;
  limit: number;
  offset: number;
  /** The named user's stored diets, allergies and exclusions (see src/users): a hard filter added to the request's. */
  userFilter?: RecipeFilter;
}

/**
 * Free-text search. The query is parsed into concepts and constraints; constraints become hard
 * filters (exclusions, allergens, diets, time) applied by the vector store and again over the
 * in-memory catalog; the wanted concepts are searched in every vector space the provider has and
 * fused by RRF; an exact dish-name match is merged in ahead of the fused list; the candidates are
 * re-ranked by how much of the query they cover and floored (see {@link rankSearchCandidates}).
 */
@Injectable()
export class SearchService {
  private readonly explanations: ExplanationBuilder;
  private readonly listings = new KeptListings();

  constructor(
    private readonly parser: QueryParser,
    private readonly lexicon: FoodLexicon,
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly catalog: CatalogSnapshotService,
    private readonly models: EmbeddingModelService,
  ) {
    this.explanations = new ExplanationBuilder(lexicon);
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    const text = (request.q ?? '').trim();
    const explicit = resolveFilters(this.lexicon, request);
    if (text.length === 0 && !hasConstraint(explicit)) {
      throw new AppError(
        ErrorCode.ValidationFailed,
        'Give a query `q` or at least one filter (category, cuisine, diet, maxMinutes, exclude)',
        [{ field: 'q', problems: ['q is empty and no filter was given'] }],
      );
    }
    const parsed = text.length > 0 ? this.parser.parse(text) : emptyParsedQuery();
    const filter = withUserFilter(mergeQueryFilter(parsed, explicit), request.userFilter);
    const { provider, store } = this.activeIndex.active();
    // Unrecognised words that name a learned concept ("tomatillos") are asked for as that ingredient, not as a word of the name.
    const learned = this.models.learnedInWords(provider, parsed.freeText);
    const learnedWords = new Set(learned.flatMap((found) => found.words));
    const facets: QueryFacets = {
      ingredients: [...parsed.ingredients, ...learned.map((found) => found.concept)],
      properties: parsed.properties,
      cuisines: parsed.cuisines,
      categories: parsed.categories,
      words: parsed.freeText.filter((word) => !learnedWords.has(word)),
    };
    const [view, vectors] = await Promise.all([
      this.catalog.current(),
      text.length > 0 ? provider.embedQuery(this.withCourseConcepts(parsed)) : Promise.resolve({ dense: {} }),
    ]);
    const allowed = this.allowed(filter, parsed);
    const legs = hybridLegs(vectors);
    const nameQuery = this.nameQuery(text, parsed);
    // Without text the query's name key is empty, and nothing matches it.
    const namesAt = (pool: number) => view.matchNames(nameQuery, { recipes: pool, perName: ALSO_IN_LISTED + 1 }, allowed);
    const names = namesAt(SEARCH_POOL);
    const asksSomething =
      facets.ingredients.length + facets.properties.length + facets.cuisines.length + facets.categories.length + facets.words.length > 0;

    let folded: FoldedResults;
    if (!asksSomething && names.size === 0) {
      // Only constraints ("不要香菜", "vegan", or filters without q): every recipe that passes, in id order.
      // A refused flavour or method alone ("不甜", "not fried") is a constraint too.
      const refused = parsed.excludedProperties ?? [];
      folded = hasConstraint(filter) || refused.length > 0 ? await this.filteredListing(view, allowed, filter, refused) : [];
    } else {
      const matchFacets = facetMatcher(this.lexicon, facets);
      const rankAt = async (pool: number): Promise<RankedRecipe[]> => {
        const fused = await fusedPool(store, legs, filter, pool);
        const candidates = new Map<string, SearchCandidate>();
        // The candidates' recipes, kept for the ranked list: a second lookup in the catalog view
        // (~100,000 entries at scale, each lookup a few cache misses) cost ~3% of a search's CPU.
        const recipes = new Map<string, CatalogRecipe>();
        // Every candidate's name is tiered by one rule, a vector hit's as a name match's.
        const consider = (id: string, score: number) => {
          const recipe = view.get(id);
          if (!recipe || !allowed(recipe)) return;
          recipes.set(id, recipe);
          candidates.set(id, {
            id,
            fused: score,
            nameTier: nameQuery.tierOf(recipe.nameKey),
            match: matchFacets(recipe),
            classic: recipe.classic,
            withinKnownTime: filter.maxMinutes !== undefined && recipe.summary.totalMinutes !== null,
          });
        };
        for (const hit of fused) consider(hit.id, hit.score);
        for (const id of (pool === SEARCH_POOL ? names : namesAt(pool)).keys()) if (!candidates.has(id)) consider(id, 0);
        return rankSearchCandidates([...candidates.values()], maxFusedScore(legs)).map((c) => ({
          recipe: recipes.get(c.id) as CatalogRecipe,
          score: c.score + (c.nameTier === 2 ? 1 : 0),
        }));
      };
      folded = await rankedThrough(request.offset + request.limit, deepPoolSize(legs), rankAt, (r) => r.recipe.summary.id, foldRanked);
    }

    const context = {
      ingredients: parsed.ingredients,
      properties: parsed.properties,
      cuisines: parsed.cuisines,
      categories: parsed.categories,
      diets: filter.diets,
      freeText: parsed.freeText,
      queryText: text,
    };
    const page = folded.slice(request.offset, request.offset + request.limit);
    return {
      items: page.map(({ lead, others }) => {
        const why = explain(this.explanations, lead.ranked.recipe, context);
        if (others.length > 0) why.alsoIn = alsoInOf(others);
        return toHit(lead.ranked.recipe, lead.ranked.score, why);
      }),
      total: folded.length,
      limit: request.limit,
      offset: request.offset,
      query: { ...parsed, filters: filter },
    };
  }

  /**
   * The parser writes categories as the catalog's slugs; the vectors know the course concepts
   * they stand for (the slug `seafood` is the course `seafood-dish`, as `seafood` is also an
   * ingredient group).
   */
  private withCourseConcepts(parsed: ParsedQuery): ParsedQuery {
    const categories = parsed.categories.map((slug) => this.lexicon.courseForCategory(slug)?.id ?? slug);
    return { ...parsed, categories };
  }

  /**
   * The hard filters, checked again on the in-memory catalog: the vector payload can lag a
   * catalog edit by a moment, and name matches do not come from the store at all. A negated
   * flavor or method ("不辣") is honoured here, as the payload cannot express it.
   */
  private allowed(filter: RecipeFilter, parsed: ParsedQuery): (recipe: CatalogRecipe) => boolean {
    const predicate = compileCatalogFilter(filter);
    const excludedProperties = parsed.excludedProperties ?? [];
    return (recipe) => predicate(recipe) && !excludedProperties.some((p) => recipe.propertyConcepts.some((c) => this.lexicon.isA(c, p)));
  }

  /**
   * What the query asks of dish names. Name matches come from the catalog view, at most the
   * search's pool of them (see DishNameIndex.match); a vector hit's name is tiered by the same
   * rule, so an exact-name copy beyond that bound still ranks as one.
   */
  private nameQuery(text: string, parsed: ParsedQuery): NameQuery {
    const dish = text.length > 0 ? this.lexicon.lookupDish(text) : undefined;
    const exactKeys = dish ? [...dish.zh, ...dish.en].map(dishNameKey) : [];
    // Containment only when the query carries words beyond known concepts (a dish name, an
    // unknown word): "chicken" should rank chicken dishes, not dishes with "chicken" in the name.
    const containment = parsed.freeText.length > 0;
    return new NameQuery(dishNameKey(text), { exactKeys, containment });
  }

  /**
   * Every recipe that passes the constraints. Asked for a time limit ("30分钟以内的快手菜"), the
   * quickest come first and those of unknown time last; otherwise catalog order. The order is
   * kept by the view (sorted once per rebuild), so this is one filter pass without a sort; and
   * as `total` must be exact, the pass is kept (see KeptListings), so paging through one listing
   * (?diet=vegan&offset=…) pays it once per catalog change. At 100,000 synthetic recipes the
   * first page of diet=vegan took 25 ms filtering and sorting and 37 ms filtering the kept order
   * (the same within the noise of a loaded shared machine: the pass, not the sort of a few
   * matches, is the cost); an exclusion-only listing ("不要香菜") no longer sorts ~100,000
   * matches, and later pages are a map read. The listing is kept folded: folding ~100,000
   * matches by name on every request cost the scale bench's constraint-only queries
   * ("30分钟以内的快手菜") more than the kept pass saved.
   */
  private filteredListing(
    view: CatalogView,
    allowed: (recipe: CatalogRecipe) => boolean,
    filter: RecipeFilter,
    excludedProperties: string[],
  ): Promise<FoldedResults> {
    return this.listings.listing(view, {
      signature: JSON.stringify([filter, [...excludedProperties].sort()]),
      allowed,
      quickestFirst: filter.maxMinutes !== undefined,
    });
  }
}
