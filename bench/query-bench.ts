import { EmbeddingModelService } from '../src/embedding/embedding-model.service';
import { QueryParser } from '../src/text/query-parser';
import { BENCH_QUERIES } from './queries';
import { latencyMetrics, SectionResult } from './report';
import { BenchSection } from './section';
import { summarize, timeRuns } from './timing';

export const QUERY_P50_MAX_MS = 2;
export const WARMUP_RUNS = 200;
export const TIMED_RUNS = 2_000;

/**
 * Turning a typed query into vectors: QueryParser.parse, then provider.embedQuery, each timed
 * on its own and together, cycling through the bench queries.
 */
export const queryEmbeddingSection: BenchSection = {
  id: 'query-embedding',
  title: `Query parse + embed (${BENCH_QUERIES.length} zh/en queries, ${TIMED_RUNS} runs each)`,
  async run({ app }): Promise<SectionResult> {
    const parser = app.get(QueryParser);
    const provider = await app.get(EmbeddingModelService).load();
    const queries = BENCH_QUERIES;
    const parsed = queries.map((q) => parser.parse(q));
    const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

    const parse = summarize(await timeRuns((i) => parser.parse(pick(queries, i)), TIMED_RUNS, { warmup: WARMUP_RUNS }));
    const embed = summarize(await timeRuns((i) => provider.embedQuery(pick(parsed, i)), TIMED_RUNS, { warmup: WARMUP_RUNS }));
    const both = summarize(await timeRuns((i) => provider.embedQuery(parser.parse(pick(queries, i))), TIMED_RUNS, { warmup: WARMUP_RUNS }));

    const spaces = await Promise.all(parsed.map((p) => provider.embedQuery(p)));
    const coverage = {
      ingredients: spaces.filter((v) => v.dense.ingredients).length,
      properties: spaces.filter((v) => v.dense.properties).length,
      terms: spaces.filter((v) => v.sparse && v.sparse.indices.length > 0).length,
    };

    return {
      id: this.id,
      title: this.title,
      metrics: [
        ...latencyMetrics('parse', 'QueryParser.parse', parse, { percentiles: ['p50', 'p95'] }),
        ...latencyMetrics('embed', 'provider.embedQuery', embed, { percentiles: ['p50', 'p95'] }),
        ...latencyMetrics('parse_embed', 'parse + embedQuery', both, { percentiles: ['p50', 'p95'], p50Max: QUERY_P50_MAX_MS }),
      ],
      details: { queries: queries.length, warmup: WARMUP_RUNS, parse, embed, parseAndEmbed: both, queriesWithVector: coverage },
    };
  },
};
