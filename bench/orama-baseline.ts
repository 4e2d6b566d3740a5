import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OramaCatalog, OramaRecipe } from '../eval/baselines/orama-catalog';
import { projectRoot } from '../src/config/project-root';
import { loadBundledSeed } from '../src/recipes/importers/seed-loader';
import { RecipeInput } from '../src/recipes/recipe.types';
import { parseCount } from './scale-options';
import { routeMixes } from './scale-requests';
import { CATALOG_SEED } from './service-scale';
import { SyntheticCatalog } from './synthetic-catalog';
import { summarize } from './timing';

export const ORAMA_USAGE = `usage: npm run bench -- --orama <N> [--seconds <s>]
  N            synthetic recipes on top of the bundled catalog, the same ones \`--scale N\` imports
  --seconds    how long the one-client search loop runs (default 15)`;

/** `--orama N [--seconds s]`, or null when `--orama` is absent. */
export function parseOramaArgs(argv: readonly string[]): { recipes: number; seconds: number } | null {
  const at = argv.indexOf('--orama');
  if (at === -1) return null;
  const recipes = parseCount(argv[at + 1] ?? '');
  const secondsAt = argv.indexOf('--seconds');
  const seconds = secondsAt === -1 ? 15 : Number(argv[secondsAt + 1]);
  const known = new Set(['--orama', '--seconds']);
  const unknown = argv.filter((arg, i) => arg.startsWith('--') && !known.has(arg) && i !== at + 1);
  if (!Number.isInteger(recipes) || recipes < 0 || !(seconds > 0) || unknown.length > 0) throw new Error(ORAMA_USAGE);
  return { recipes, seconds };
}

function asOramaRecipe(recipe: RecipeInput, id: string): OramaRecipe {
  return {
    id,
    name: recipe.name,
    ingredients: recipe.ingredients.map((i) => i.name),
    tags: recipe.tags ?? [],
    category: recipe.category ?? null,
    cuisine: recipe.cuisine ?? null,
    diets: recipe.diets ?? [],
    totalMinutes: recipe.totalMinutes ?? null,
  };
}

/**
 * The comparison a TypeScript developer would make: Orama's full-text index (see OramaCatalog),
 * in this process, over the catalog `--scale N` imports into the service (the bundled recipes
 * and the same N synthetic ones), asked the scale run's search mix by one caller in a loop.
 * No HTTP, no constraints beyond its `where` clauses: the figure to set beside the service's
 * one-client search p50, which includes the HTTP stack (the no-op route's p50 in the same table).
 */
export async function runOramaBaseline(options: { recipes: number; seconds: number }): Promise<number> {
  const seed = (await loadBundledSeed()).flatMap((result) => result.recipes);
  const recipes: OramaRecipe[] = seed.map((recipe, i) => asOramaRecipe(recipe, `seed-${i}`));
  const synthetic = SyntheticCatalog.learn(seed);
  for (let from = 0; from < options.recipes; from += 1000) {
    const batch = synthetic.generate(CATALOG_SEED, from, Math.min(1000, options.recipes - from), 'syn-');
    batch.forEach((recipe, i) => recipes.push(asOramaRecipe(recipe, `syn-${from + i}`)));
  }
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const index = OramaCatalog.build(recipes);
  const buildMs = performance.now() - buildStart;
  global.gc?.();
  const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

  const mix = routeMixes({ ids: recipes.map((r) => r.id), seed, users: ['u'] }).find((m) => m.id === 'search')!;
  const queries = mix.requests.map((request) => {
    const params = new URLSearchParams(String(request).split('?')[1]);
    const maxMinutes = params.get('maxMinutes');
    return {
      term: params.get('q') ?? '',
      filters: {
        category: params.get('category') ?? undefined,
        cuisine: params.get('cuisine') ?? undefined,
        diet: params.get('diet') ?? undefined,
        maxMinutes: maxMinutes === null ? undefined : Number(maxMinutes),
      },
    };
  });
  const latencies: number[] = [];
  let empty = 0;
  const until = performance.now() + options.seconds * 1000;
  for (let i = 0; performance.now() < until; i++) {
    const query = queries[i % queries.length];
    const start = performance.now();
    const ids = index.search(query.term, 10, query.filters);
    latencies.push(performance.now() - start);
    if (ids.length === 0 && i < queries.length) empty++;
  }
  const summary = summarize(latencies);
  const result = {
    date: new Date().toISOString(),
    catalog: recipes.length,
    buildSeconds: buildMs / 1000,
    buildRecipesPerSecond: recipes.length / (buildMs / 1000),
    heapMiB,
    queries: queries.length,
    queriesWithNoResult: empty,
    searchMs: summary,
    searchesPerSecondOneCore: 1000 / summary.mean,
  };
  const fmt = (ms: number) => ms.toFixed(2);
  console.log(
    [
      `Orama full-text over ${recipes.length.toLocaleString('en-US')} recipes (bundled + ${options.recipes.toLocaleString('en-US')} synthetic), in process`,
      `  index built in ${result.buildSeconds.toFixed(1)} s (${Math.round(result.buildRecipesPerSecond).toLocaleString('en-US')} recipes/s), heap ${heapMiB.toFixed(0)} MiB`,
      `  search mix (${queries.length} queries, ${empty} with no result), one caller for ${options.seconds} s: p50 ${fmt(summary.p50)} / p95 ${fmt(summary.p95)} / p99 ${fmt(summary.p99)} ms, ${Math.round(result.searchesPerSecondOneCore)} searches/s on one core`,
    ].join('\n'),
  );
  const dir = join(projectRoot(), 'reports');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-orama-${options.recipes}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written to ${file}`);
  return 0;
}
