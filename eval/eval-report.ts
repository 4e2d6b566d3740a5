import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EvalCatalog } from './eval-catalog';
import { aggregate, GROUPS, inGroup, QueryJudgement, QueryOutcome, TOP } from './query-evaluation';
import { gradeOf, violates } from './queries/labelled-query';
import { SimilarOutcome, TwinPair } from './similar-agreement';

export interface EvalRun {
  systems: string[];
  notes: string[];
  judgements: QueryJudgement[];
  outcomes: QueryOutcome[];
  similar: SimilarOutcome[];
  twins: TwinPair[];
  catalog: EvalCatalog;
  timings: Record<string, number>;
}

function fixed(value: number | null, digits = 3): string {
  return value === null ? '–' : value.toFixed(digits);
}

/** Plain-text table: first column left-aligned, the rest right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col].length)));
  const line = (row: string[]): string =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ');
  const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function queryTable(run: EvalRun): string {
  const rows: string[][] = [];
  for (const group of GROUPS) {
    for (const system of run.systems) {
      const agg = aggregate(run.outcomes.filter((o) => o.system === system && inGroup(o, group)));
      rows.push([
        `${group} / ${system}`,
        String(agg.queries),
        fixed(agg.ndcg10),
        fixed(agg.p10),
        fixed(agg.recall50),
        fixed(agg.violationRate),
      ]);
    }
  }
  return formatTable(['group / system', 'queries', 'NDCG@10', 'P@10', 'R@50', 'viol@10'], rows);
}

export function similarTable(run: EvalRun): string {
  const rows = run.similar.map((s) => {
    const h = s.labels['howtocook-category'];
    const i = s.labels['indian-course'];
    return [
      s.system,
      fixed(h.sameLabelShare),
      fixed(h.sameLabelShareWithinSource),
      fixed(i.sameLabelShare),
      fixed(i.sameLabelShareWithinSource),
      `${fixed(s.twins.recall)} (${s.twins.found}/${s.twins.directed})`,
    ];
  });
  return formatTable(['system', 'HTC cat@10', 'HTC cat|src', 'IND course@10', 'IND course|src', 'twin R@10'], rows);
}

/** Everything the terminal tables summarise, per query and per recipe, keyed by stable `source:sourceId`. */
export function reportJson(run: EvalRun, command: string): unknown {
  const { catalog } = run;
  const keyOf = (id: string): string => catalog.byId.get(id)?.key ?? id;
  const summary: Record<string, Record<string, unknown>> = {};
  for (const system of run.systems) {
    summary[system] = {};
    for (const group of GROUPS) summary[system][group] = aggregate(run.outcomes.filter((o) => o.system === system && inGroup(o, group)));
  }
  const queries = run.judgements.map((j) => {
    const parsed = catalog.parser.parse(j.query.q);
    return {
      id: j.query.id,
      q: j.query.q,
      group: j.query.group,
      constrained: (j.query.constraints ?? []).length > 0,
      rules: {
        must: j.query.must.map((r) => r.text),
        partial: j.query.partial?.text ?? null,
        constraints: (j.query.constraints ?? []).map((r) => r.text),
      },
      filters: j.query.filters ?? null,
      judged: { fullyRelevant: j.relevant.size, partlyRelevant: j.partial, violatingInCatalog: j.violating },
      parsed: {
        ingredients: parsed.ingredients,
        properties: parsed.properties,
        cuisines: parsed.cuisines,
        categories: parsed.categories,
        excludedIngredients: parsed.excludedIngredients,
        excludedAllergens: parsed.excludedAllergens,
        diets: parsed.diets,
        maxMinutes: parsed.maxMinutes ?? null,
        freeText: parsed.freeText,
      },
      systems: Object.fromEntries(
        run.outcomes
          .filter((o) => o.queryId === j.query.id)
          .map((o) => [
            o.system,
            {
              ndcg10: o.ndcg10,
              p10: o.p10,
              recall50: o.recall50,
              violations: o.violations,
              returned: o.returned,
              error: o.error ?? null,
              top10: o.ranked.slice(0, TOP).map((id) => {
                const recipe = catalog.byId.get(id);
                return recipe
                  ? { key: recipe.key, name: recipe.name, grade: gradeOf(j.query, recipe), violates: violates(j.query, recipe) }
                  : { key: id, name: null, grade: 0, violates: false };
              }),
            },
          ]),
      ),
    };
  });
  return {
    command,
    catalog: {
      recipes: catalog.recipes.length,
      bySource: countBy(catalog.recipes.map((r) => r.source)),
    },
    systems: run.systems,
    notes: run.notes,
    metrics: {
      definitions: {
        'NDCG@10':
          'exponential gain 2^grade - 1 (grade 2 = every must rule holds, 1 = the partial rule holds), log2 discount, ideal over the whole catalog',
        'P@10': 'fully relevant results in the first 10 slots / 10',
        'R@50': 'fully relevant results in the first 50 / all fully relevant recipes',
        'viol@10': 'constrained queries only: top-10 results breaking a constraint / top-10 results returned, pooled',
        relevance: 'a result breaking a query constraint is never relevant',
      },
      summary,
    },
    similar: run.similar.map((s) => ({
      system: s.system,
      labels: s.labels,
      twins: s.twins,
      errors: s.errors,
      perTwin: s.perTwin,
      perRecipe: s.perRecipe,
    })),
    twinPairs: run.twins.map((t) => ({ name: t.name, howtocook: keyOf(t.a), yunyoujun: keyOf(t.b) })),
    queries,
    timingsMs: run.timings,
  };
}

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
}
