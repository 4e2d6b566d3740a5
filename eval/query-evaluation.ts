import { meanOf, ndcgAt, precisionAt, recallAt, violationsAt } from './metrics/metrics';
import { EvalCatalog } from './eval-catalog';
import { Grade, gradeOf, isConstrained, LabelledQuery, QueryLanguageGroup, violates } from './queries/labelled-query';
import { Retriever } from './retrievers/retriever';

export const SEARCH_DEPTH = 50;
export const TOP = 10;

/** A query's judgements over the whole catalog, computed once and shared by every system. */
export interface QueryJudgement {
  query: LabelledQuery;
  gains: Map<string, Grade>;
  /** Fully relevant (grade 2) ids: what P@10 and recall@50 count. */
  relevant: Set<string>;
  partial: number;
  /** Catalog recipes breaking the query's constraints. */
  violating: number;
}

export interface QueryOutcome {
  system: string;
  queryId: string;
  group: QueryLanguageGroup;
  constrained: boolean;
  ndcg10: number | null;
  p10: number;
  recall50: number | null;
  violations: number;
  returned: number;
  /** Catalog ids, best first, as many as were returned (up to SEARCH_DEPTH). */
  ranked: string[];
  error?: string;
}

export interface Aggregate {
  queries: number;
  ndcg10: number | null;
  p10: number | null;
  recall50: number | null;
  /** Violating share of all top-10 results returned for constrained queries (pooled). */
  violationRate: number | null;
}

export function judgeQueries(queries: readonly LabelledQuery[], catalog: EvalCatalog): QueryJudgement[] {
  return queries.map((query) => {
    const gains = new Map<string, Grade>();
    const relevant = new Set<string>();
    let partial = 0;
    let violating = 0;
    for (const recipe of catalog.recipes) {
      if (violates(query, recipe)) violating++;
      const grade = gradeOf(query, recipe);
      if (grade === 0) continue;
      gains.set(recipe.id, grade);
      if (grade === 2) relevant.add(recipe.id);
      else partial++;
    }
    return { query, gains, relevant, partial, violating };
  });
}

export async function evaluateQueries(
  retriever: Retriever,
  judgements: readonly QueryJudgement[],
  catalog: EvalCatalog,
): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  for (const judgement of judgements) {
    const { query } = judgement;
    let ranked: string[] = [];
    let error: string | undefined;
    try {
      ranked = await retriever.search(query, SEARCH_DEPTH);
    } catch (caught) {
      error = (caught as Error).message;
    }
    const violatesId = (id: string): boolean => {
      const recipe = catalog.byId.get(id);
      return recipe !== undefined && violates(query, recipe);
    };
    const { violations, returned } = violationsAt(ranked, violatesId, TOP);
    outcomes.push({
      system: retriever.name,
      queryId: query.id,
      group: query.group,
      constrained: isConstrained(query),
      ndcg10: ndcgAt(ranked, judgement.gains, TOP),
      p10: precisionAt(ranked, judgement.relevant, TOP),
      recall50: recallAt(ranked, judgement.relevant, SEARCH_DEPTH),
      violations,
      returned,
      ranked,
      ...(error ? { error } : {}),
    });
  }
  return outcomes;
}

export function aggregate(outcomes: readonly QueryOutcome[]): Aggregate {
  const constrained = outcomes.filter((o) => o.constrained);
  const returned = constrained.reduce((sum, o) => sum + o.returned, 0);
  const violations = constrained.reduce((sum, o) => sum + o.violations, 0);
  return {
    queries: outcomes.length,
    ndcg10: meanOf(outcomes.map((o) => o.ndcg10)),
    p10: meanOf(outcomes.map((o) => o.p10)),
    recall50: meanOf(outcomes.map((o) => o.recall50)),
    violationRate: returned === 0 ? null : violations / returned,
  };
}

export const GROUPS = ['all', 'zh', 'en', 'cross', 'constrained'] as const;
export type ReportGroup = (typeof GROUPS)[number];

export function inGroup(outcome: QueryOutcome, group: ReportGroup): boolean {
  if (group === 'all') return true;
  if (group === 'constrained') return outcome.constrained;
  return outcome.group === group;
}
