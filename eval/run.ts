import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root';
import { Bm25Retriever } from './baselines/bm25.retriever';
import { OramaRetriever } from './baselines/orama.retriever';
import { JaccardRetriever } from './baselines/jaccard.retriever';
import { openEvalApp } from './eval-catalog';
import { EvalRun, queryTable, reportJson, similarTable, writeJson } from './eval-report';
import { LABELLED_QUERIES } from './queries/labelled-queries.data';
import { evaluateQueries, judgeQueries, QueryOutcome } from './query-evaluation';
import { Retriever } from './retrievers/retriever';
import { findServiceRetriever } from './retrievers/service.retriever';
import { evaluateSimilar, findTwins, SimilarOutcome } from './similar-agreement';
import { anomalyTable, COPIES_PER_CORRUPTION, evaluateAnomalies } from './insight/anomaly-evaluation';
import { evaluateDuplicates } from './insight/duplicate-evaluation';
import { evaluateFamilies, familyTable } from './insight/family-evaluation';
import { DUPLICATE_THRESHOLD } from '../src/catalog-insight/near-duplicates';
import { defaultSurveyPath, loadSurvey } from './users/survey';
import {
  catalogAnalyses,
  ENGLISH_SOURCES,
  evaluateEnglishCatalog,
  evaluateRecovery,
  NEIGHBOURS,
} from './learned-concepts/learned-concept-evaluation';
import { evaluateUsers, HELD_OUT, LIST_LIMIT, REPETITIONS, SAMPLED_NEGATIVES, userTable } from './users/user-evaluation';

const COMMAND = 'npm run eval';

/**
 * Retrieval evaluation on the bundled catalog: the service and two baselines answer the same
 * labelled queries and similar-dish requests; the same data gives the same numbers.
 */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  process.stdout.write('Seeding and indexing the bundled catalog on a temporary database…\n');
  const evalApp = await openEvalApp();
  try {
    const { catalog } = evalApp;
    const notes: string[] = [];
    const judgements = judgeQueries(LABELLED_QUERIES, catalog);
    for (const j of judgements) {
      if (j.relevant.size === 0) notes.push(`query ${j.query.id} "${j.query.q}" has no fully relevant recipe in the catalog`);
    }

    if (options.insightOnly) {
      await reportInsight(evalApp);
      return;
    }
    if (options.learnedOnly) {
      await reportLearned(evalApp);
      return;
    }
    if (options.usersOnly) {
      if (!existsSync(options.survey)) throw new Error(missingSurvey(options.survey));
      await reportUsers(evalApp, options.survey, options.splitSeed);
      return;
    }
    const systems: Retriever[] = [];
    const service = findServiceRetriever(evalApp.app);
    if (service.retriever) systems.push(service.retriever);
    else notes.push(service.note);
    systems.push(new Bm25Retriever(catalog), new JaccardRetriever(catalog), new OramaRetriever(catalog));

    const twins = findTwins(catalog);
    const outcomes: QueryOutcome[] = [];
    const similar: SimilarOutcome[] = [];
    const timings: Record<string, number> = { seed: evalApp.seedMs, index: evalApp.indexMs };
    for (const system of systems) {
      const t0 = Date.now();
      outcomes.push(...(await evaluateQueries(system, judgements, catalog)));
      const t1 = Date.now();
      similar.push(await evaluateSimilar(system, catalog, twins));
      timings[`${system.name}.queries`] = t1 - t0;
      timings[`${system.name}.similar`] = Date.now() - t1;
    }
    for (const o of outcomes) if (o.error) notes.push(`${o.system} failed on ${o.queryId}: ${o.error}`);
    for (const s of similar)
      if (s.errors.length > 0) notes.push(`${s.system}: ${s.errors.length} similar requests failed, first: ${s.errors[0]}`);
    timings.total = Date.now() - started;

    const run: EvalRun = { systems: systems.map((s) => s.name), notes, judgements, outcomes, similar, twins, catalog, timings };
    const counts = countGroups(judgements.map((j) => j.query));
    const out: string[] = [];
    out.push('');
    out.push(
      `Catalog ${catalog.recipes.length} recipes; ${LABELLED_QUERIES.length} labelled queries ` +
        `(zh ${counts.zh}, en ${counts.en}, cross-lingual ${counts.cross}; ${counts.constrained} with constraints)`,
    );
    out.push('');
    out.push(
      "Search: NDCG@10 and P@10 over the top 10, recall over the top 50, viol@10 = constrained queries' top-10 results breaking a constraint",
    );
    out.push(queryTable(run));
    out.push('');
    out.push(
      `Similar dishes (top ${10}): share in the same HowToCook category / Indian course (of 10 slots; "|src" = among same-source neighbours), ` +
        `and recall of the same dish in the other source (${twins.length} HowToCook–YunYouJun pairs, both directions)`,
    );
    out.push(similarTable(run));
    out.push('');
    for (const note of notes) out.push(`note: ${note}`);
    const jsonPath = join(projectRoot(), 'reports', 'eval.json');
    writeJson(jsonPath, reportJson(run, COMMAND));
    out.push(`Per-query details: ${jsonPath}`);
    out.push(
      `Took ${(timings.total / 1000).toFixed(1)} s (seed ${(evalApp.seedMs / 1000).toFixed(1)} s, index ${(evalApp.indexMs / 1000).toFixed(1)} s)`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
    await reportInsight(evalApp);
    await reportLearned(evalApp);
    if (existsSync(options.survey)) await reportUsers(evalApp, options.survey, options.splitSeed);
    else process.stdout.write(`\nnote: user evaluation skipped: ${missingSurvey(options.survey)}\n`);
  } finally {
    await evalApp.close();
  }
}

/**
 * Personal recommendations on the Italian survey: the service (and its content and collaborative
 * parts alone) against popularity, ItemKNN and EASE on the same splits (see eval/README.md).
 */
async function reportUsers(evalApp: Awaited<ReturnType<typeof openEvalApp>>, surveyPath: string, splitSeed: number): Promise<void> {
  const started = Date.now();
  const survey = loadSurvey(surveyPath, evalApp.catalog);
  const results = await evaluateUsers(evalApp.app, evalApp.catalog, survey, { splitSeed });
  const out: string[] = [''];
  out.push(
    `User recommendations: ${survey.users.length} survey respondents (${surveyPath}), ${HELD_OUT} rated dishes held out each, ` +
      `${REPETITIONS} seeded splits (split seed ${splitSeed}); lists of ${LIST_LIMIT}; @10 metrics count held-out dishes rated 7–10 as liked, ` +
      `"1+100" ranks each among ${SAMPLED_NEGATIVES} unrated dishes`,
  );
  out.push(userTable(results));
  if (survey.unmatched.length > 0) out.push(`note: survey dishes not in the catalog (left out): ${survey.unmatched.join(', ')}`);
  const jsonPath = join(projectRoot(), 'reports', 'eval-users.json');
  writeJson(jsonPath, { command: COMMAND, survey: surveyPath, heldOut: HELD_OUT, repetitions: REPETITIONS, splitSeed, results });
  out.push(`Details: ${jsonPath}; took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * Dish families against the sources' own labels (beside a TF-IDF k-means baseline), duplicate
 * proposals against the same-name twins and a labelled sample, anomaly checks against corrupted
 * copies of real recipes (see eval/README.md).
 */
async function reportInsight(evalApp: Awaited<ReturnType<typeof openEvalApp>>): Promise<void> {
  const started = Date.now();
  const out: string[] = [''];
  const { scores, state, computeMs } = await evaluateFamilies(evalApp.app, evalApp.catalog);
  out.push(
    `Dish families: NMI and purity against each source's own category (htc = HowToCook category, ind = Indian course, ` +
      `gz = GialloZafferano category; all = the three together); ${state.insight.families.length} families over ${state.insight.facts.size} recipes, ` +
      `computed with duplicates and anomalies in ${computeMs} ms`,
  );
  out.push(familyTable(scores));
  const duplicates = evaluateDuplicates(state.insight, evalApp.catalog, findTwins(evalApp.catalog));
  out.push('');
  out.push(
    `Near-duplicates (threshold ${DUPLICATE_THRESHOLD}): ${duplicates.proposed} pairs proposed (${duplicates.crossSource} across sources); ` +
      `same-name HowToCook–YunYouJun twins found ${duplicates.twinsFound}/${duplicates.twins}; ` +
      `precision on the labelled sample ${duplicates.labelledSame}/${duplicates.labelledProposed} = ${duplicates.precision?.toFixed(3) ?? '–'}`,
  );
  out.push(
    '  precision by score: ' +
      duplicates.byThreshold
        .map((t) => `≥${t.threshold}: ${t.same}/${t.labelled}${t.precision === null ? '' : ` = ${t.precision.toFixed(3)}`}`)
        .join('; '),
  );
  const anomalies = await evaluateAnomalies(evalApp.app);
  out.push('');
  out.push(
    `Anomalies: ${anomalies.corrupted} corrupted copies of real recipes (${COPIES_PER_CORRUPTION} per corruption) beside the same ` +
      `${anomalies.originals} recipes unchanged; precision ${anomalies.precision.toFixed(3)} (flagged copies ${anomalies.corruptedFlagged}, ` +
      `flagged originals ${anomalies.originalsFlagged}), recall with the injected code ${anomalies.recall.toFixed(3)}`,
  );
  out.push(anomalyTable(anomalies));
  const jsonPath = join(projectRoot(), 'reports', 'eval-insight.json');
  writeJson(jsonPath, { command: COMMAND, families: scores, duplicates, anomalies });
  out.push(`Details: ${jsonPath}; took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * Learned concepts (see eval/README.md): how well co-occurrence recovers concepts hidden from the
 * lexicon, and cuisine agreement of dish neighbours on the English-ingredient sources with part
 * of the lexicon hidden, before and after learned concepts.
 */
async function reportLearned(evalApp: Awaited<ReturnType<typeof openEvalApp>>): Promise<void> {
  const started = Date.now();
  const recipes = await catalogAnalyses(evalApp.app);
  const recovery = evaluateRecovery(
    recipes.map((r) => r.analysis),
    evalApp.catalog.lexicon,
  );
  const english = evaluateEnglishCatalog(recipes);
  const out: string[] = [''];
  out.push(
    `Learned concepts: ${Math.round(recovery.hiddenShare * 100)}% of the catalog's ${recovery.catalogConcepts} ingredient concepts hidden ` +
      `from the lexicon (seeds ${recovery.seeds.join(', ')}; ${recovery.hidden.toFixed(0)} hidden, ${recovery.learned.toFixed(1)} of them in enough recipes to be learned); ` +
      `overlap@${NEIGHBOURS} of each learned concept's nearest visible ingredient concepts with the hidden concept's in the full model:`,
  );
  out.push(
    `  learned ${recovery.overlap.toFixed(3)} (the ${recovery.frequent.toFixed(1)} listed in 10+ recipes: ${recovery.overlapFrequent.toFixed(3)}); ` +
      `random ${recovery.randomBaseline.toFixed(3)}; the ${NEIGHBOURS} commonest concepts ${recovery.popularityBaseline.toFixed(3)}`,
  );
  out.push('');
  out.push(
    `English catalog check: ${english.recipes} recipes of ${ENGLISH_SOURCES.join(' and ')} as ingredient lists alone, ${english.labels} cuisine/region labels; ` +
      `share of each dish's ${NEIGHBOURS} nearest dishes (ingredients vector) with its label, a share of the ingredient concepts hidden from the lexicon:`,
  );
  out.push(`${'hidden'.padEnd(8)}${'system'.padEnd(32)}${'agreement@10'.padStart(14)}${'with a vector'.padStart(15)}`);
  for (const row of english.rows) {
    out.push(
      `${`${Math.round(row.hiddenShare * 100)}%`.padEnd(8)}${row.system.padEnd(32)}${row.agreement.toFixed(3).padStart(14)}` +
        `${row.covered.toFixed(0).padStart(15)}`,
    );
  }
  const jsonPath = join(projectRoot(), 'reports', 'eval-learned.json');
  writeJson(jsonPath, { command: COMMAND, recovery, english });
  out.push(`Details: ${jsonPath}; took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * `--survey PATH` evaluates other respondents in the same format; `--users-only` skips the search
 * evaluation; `--insight-only` runs only the catalog insight part; `--learned-only` only the learned-concept part; `--split-seed N` holds out other
 * dishes (0, the default, gives the splits of earlier runs).
 */
function parseArgs(args: string[]): { survey: string; usersOnly: boolean; insightOnly: boolean; learnedOnly: boolean; splitSeed: number } {
  const options = {
    survey: process.env.EVAL_SURVEY_PATH || defaultSurveyPath(),
    usersOnly: false,
    insightOnly: false,
    learnedOnly: false,
    splitSeed: 0,
  };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--survey' && args[i + 1]) options.survey = args[++i];
    else if (args[i] === '--users-only') options.usersOnly = true;
    else if (args[i] === '--insight-only') options.insightOnly = true;
    else if (args[i] === '--learned-only') options.learnedOnly = true;
    else if (args[i] === '--split-seed' && /^\d+$/.test(args[i + 1] ?? '')) options.splitSeed = Number(args[++i]);
    else
      throw new Error(`unknown option ${args[i]} (options: --survey PATH, --users-only, --insight-only, --learned-only, --split-seed N)`);
  }
  return options;
}

function missingSurvey(path: string): string {
  return `no survey file at ${path}; pass --survey PATH (shared/data/italian-survey/survey-users.json)`;
}

function countGroups(queries: ReadonlyArray<{ group: string; constraints?: readonly unknown[] }>): Record<string, number> {
  const counts: Record<string, number> = { zh: 0, en: 0, cross: 0, constrained: 0 };
  for (const q of queries) {
    counts[q.group] += 1;
    if ((q.constraints ?? []).length > 0) counts.constrained += 1;
  }
  return counts;
}

main().catch((error: unknown) => {
  process.stderr.write(`Evaluation failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
