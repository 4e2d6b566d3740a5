import { EmbeddingModelService } from '../src/embedding/embedding-model.service';
import { NamedVectors } from '../src/embedding/embedding.types';
import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { QueryParser } from '../src/text/query-parser';
import { HybridQuery, RecipeFilter, VectorStore } from '../src/vector-store/vector-store.port';
import { TIMED_RUNS, WARMUP_RUNS } from './query-bench';
import { BENCH_QUERIES } from './queries';
import { latencyMetrics, Metric, SectionResult } from './report';
import { BenchSection } from './section';
import { summarize, timeRuns, type Summary } from './timing';

export const EXACT_QUERY_P50_MAX_MS = 1;
const LIMIT = 10;
const FILTER: RecipeFilter = { diets: ['vegetarian'], excludeConcepts: ['coriander'] };
const RECOMMEND_SETS = 20;

/**
 * The embedded vector store as the search endpoints use it: exact dense query (with and without
 * a payload filter), the hybrid query fusing the ingredients, properties and sparse terms legs,
 * and recommend from three liked recipes. Query vectors come from the bench queries.
 */
export const searchSection: BenchSection = {
  id: 'vector-search',
  title: `Embedded vector search (limit ${LIMIT}, ${TIMED_RUNS} runs each after ${WARMUP_RUNS} warm-up)`,
  async run({ app }): Promise<SectionResult> {
    const store = app.get(ActiveIndexRegistry).active().store;
    const provider = await app.get(EmbeddingModelService).load();
    const parser = app.get(QueryParser);
    const vectors: NamedVectors[] = await Promise.all(BENCH_QUERIES.map((q) => provider.embedQuery(parser.parse(q))));

    const ingredientVectors = vectors.flatMap((v) => (v.dense.ingredients ? [v.dense.ingredients] : []));
    if (ingredientVectors.length === 0) throw new Error('No bench query has an ingredients vector');
    const hybridQueries = hybridQueriesOf(vectors);
    const recommendSets = await recommendSetsOf(store);
    const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];
    const time = async (fn: (i: number) => Promise<unknown>): Promise<Summary> =>
      summarize(await timeRuns(fn, TIMED_RUNS, { warmup: WARMUP_RUNS }));

    const exact = await time((i) => store.query({ using: 'ingredients', vector: pick(ingredientVectors, i), limit: LIMIT }));
    const filtered = await time((i) =>
      store.query({ using: 'ingredients', vector: pick(ingredientVectors, i), filter: FILTER, limit: LIMIT }),
    );
    const hybrid = await time((i) => store.hybrid(pick(hybridQueries, i)));
    const recommend = await time((i) =>
      store.recommend({ using: 'ingredients', positive: pick(recommendSets, i), strategy: 'average_vector', limit: LIMIT }),
    );

    const filteredHits = await store.query({ using: 'ingredients', vector: ingredientVectors[0], filter: FILTER, limit: LIMIT });
    const matching = await store.count(FILTER);
    const info = await store.info();
    const metrics: Metric[] = [
      ...latencyMetrics('query', 'query ingredients', exact, { p50Max: EXACT_QUERY_P50_MAX_MS }),
      ...latencyMetrics('query_filtered', 'query ingredients + filter', filtered),
      ...latencyMetrics('hybrid', 'hybrid ingredients+properties+terms', hybrid),
      ...latencyMetrics('recommend', 'recommend average_vector (3 ids)', recommend),
    ];
    return {
      id: this.id,
      title: this.title,
      metrics,
      details: {
        points: info.points,
        filter: FILTER,
        filterMatches: matching,
        filteredHitsOfFirstQuery: filteredHits.length,
        queryVectors: ingredientVectors.length,
        hybridQueries: hybridQueries.length,
        hybridLegs: hybridQueries.reduce((sum, q) => sum + q.legs.length, 0) / hybridQueries.length,
        recommendSets: recommendSets.length,
        query: exact,
        queryFiltered: filtered,
        hybrid,
        recommend,
      },
      notes: [`filter ${JSON.stringify(FILTER)} matches ${matching} of ${info.points} indexed recipes`],
    };
  },
};

/**
 * Hybrid requests from the bench queries that have all three legs, as a search for them would
 * send; if too few queries have all three, those with at least the ingredients leg.
 */
function hybridQueriesOf(vectors: NamedVectors[]): HybridQuery[] {
  const toQuery = (v: NamedVectors): HybridQuery => {
    const legs: HybridQuery['legs'] = [];
    if (v.dense.ingredients) legs.push({ using: 'ingredients', vector: v.dense.ingredients });
    if (v.dense.properties) legs.push({ using: 'properties', vector: v.dense.properties });
    if (v.sparse && v.sparse.indices.length > 0) legs.push({ using: 'terms', vector: v.sparse });
    return { legs, limit: LIMIT };
  };
  const all = vectors.map(toQuery);
  const full = all.filter((q) => q.legs.length === 3);
  if (full.length >= 5) return full;
  return all.filter((q) => q.legs.some((leg) => leg.using === 'ingredients'));
}

/** Deterministic triples of indexed recipe ids spread over the catalog. */
async function recommendSetsOf(store: VectorStore): Promise<string[][]> {
  let ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.scroll(cursor, 1000);
    for (const record of page.records) ids.push(record.id);
    cursor = page.next;
  } while (cursor !== null);
  // A recipe with no known ingredient concept has no ingredients vector and cannot be an example.
  const vectors = await store.getVectors(ids);
  ids = ids.filter((id) => vectors.get(id)?.dense.ingredients !== undefined);
  if (ids.length < 3) throw new Error('Too few indexed recipes with an ingredients vector for recommend');
  const third = Math.floor(ids.length / 3);
  return Array.from({ length: RECOMMEND_SETS }, (_, k) => {
    const at = (k * 97) % ids.length;
    return [ids[at], ids[(at + third) % ids.length], ids[(at + 2 * third) % ids.length]];
  });
}
