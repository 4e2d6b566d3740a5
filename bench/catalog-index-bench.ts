import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recipePayload } from '../src/indexing/recipe-document';
import { loadBundledSeed } from '../src/recipes/importers/seed-loader';
import { toSummary } from '../src/recipes/recipe-mapper';
import { Recipe } from '../src/recipes/recipe.types';
import { buildCatalogRecipe, CatalogRecipe, compileCatalogFilter, neededIngredients } from '../src/search/catalog-recipe';
import { CatalogView } from '../src/search/catalog-view';
import { dishNameKey, MIN_CONTAINED_NAME_CHARS, NameQuery, SHORT_QUERY_CHARS } from '../src/search/dish-name';
import { PantryMatcher } from '../src/search/pantry-matcher';
import { compareIds } from '../src/search/id-order';
import { FoodLexicon } from '../src/text/food-lexicon';
import { RecipeAnalyzer } from '../src/text/recipe-analyzer';
import { openBenchApp } from './bench-app';
import { BENCH_QUERIES } from './queries';
import { SyntheticCatalog } from './synthetic-catalog';

/**
 * The search module's per-request catalog passes at 100,000 synthetic recipes, each next to the
 * full pass it replaced (re-implemented here as it was): dish-name containment, pantry
 * candidates, filter-only listing, and the view refresh after a small write batch.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/catalog-index-bench.js
 *
 * Synthetic recipes take their template's name; a running number is appended so names are as
 * distinct as an imported catalog's (the generator alone would give ~1,300 distinct names).
 */
const SIZE = Number(process.env.BENCH_CATALOG_SIZE ?? 100_000);
const RUNS = 20;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-index-bench-'));
  const app = await openBenchApp(join(dir, 'bench.sqlite'));
  try {
    const lexicon = app.get(FoodLexicon);
    const analyzer = app.get(RecipeAnalyzer);
    const seed = (await loadBundledSeed()).flatMap((r) => r.recipes);
    const inputs = SyntheticCatalog.learn(seed).generate(20_251_203, 0, SIZE, 'syn-');
    const started = Date.now();
    const recipes: CatalogRecipe[] = inputs.map((input, i) => {
      const entity = {
        ...input,
        id: `r${String(i).padStart(6, '0')}`,
        name: `${input.name} ${i}`,
        language: input.language ?? 'zh',
        category: input.category ?? null,
        cuisine: input.cuisine ?? null,
        diets: input.diets ?? [],
        flavors: input.flavors ?? [],
        allergens: [],
        totalMinutes: input.totalMinutes ?? null,
        difficulty: input.difficulty ?? null,
      } as unknown as Recipe;
      const analysis = analyzer.analyze({ ...input, name: entity.name });
      entity.allergens = analysis.allergens ?? [];
      const payload = recipePayload(entity, analysis, (id) => lexicon.ancestors(id));
      return buildCatalogRecipe(lexicon, { summary: toSummary(entity), ingredients: input.ingredients, analysis, payload });
    });
    console.log(`${recipes.length} recipes analysed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    let view = time('build view (once per 4,096 changes)', 1, () => CatalogView.of(recipes, lexicon));
    const map = new Map(recipes.map((r) => [r.summary.id, r]));

    // Dish names.
    const keys = recipes.map((r) => ({ id: r.summary.id, key: r.nameKey }));
    const queries = [...BENCH_QUERIES.map(dishNameKey), '宫保', '鸡丁', '番茄', 'kungpao', 'chicken'];
    compare(
      'dish-name containment (all bench queries)',
      () => queries.forEach((q) => oldNameScan(keys, q)),
      () => queries.forEach((q) => view.matchNames(new NameQuery(q, { containment: true }))),
    );

    // Pantry counting: every recipe a pantry touches, ranked by what it misses.
    const matcher = new PantryMatcher(lexicon);
    const pantries = [['egg', 'tomato'], ['tofu', 'scallion'], ['chicken'], ['beef', 'potato', 'carrot']].map((words) =>
      words.map((w) => lexicon.lookup(w, new Set(['ingredient'] as const))?.id).filter((c): c is string => c !== undefined),
    );
    const allowed = compileCatalogFilter({});
    const pantryPass = (pantry: string[]) => {
      let n = 0;
      for (const recipe of map.values()) {
        if (!allowed(recipe)) continue;
        const match = matcher.match(pantry, neededIngredients(recipe));
        if (match.used.some((c) => pantry.includes(c))) n++;
      }
      return n;
    };
    for (const p of pantries) {
      const [full, indexed] = [pantryPass(p), view.countPantry(p, p, null).total];
      if (full !== indexed) throw new Error(`pantry ${p.join('+')}: ${indexed} counted from the index, ${full} by the full pass`);
    }
    compare(
      `pantry counting (${pantries.map((p) => p.join('+')).join(', ')})`,
      () => pantries.forEach((p) => pantryPass(p)),
      () => pantries.forEach((p) => view.countPantry(p, p, null).head(10)),
    );

    // Filter-only listing: the first request on a view filters the view's kept order (no sort);
    // later pages of the same listing on the same view are a map read in SearchService.
    const vegan = compileCatalogFilter({ diets: ['vegan'] });
    const minutes = (r: CatalogRecipe) => r.summary.totalMinutes ?? Number.POSITIVE_INFINITY;
    compare(
      'filter-only listing (diet=vegan, quickest first), first page on a view',
      () => [...map.values()].filter(vegan).sort((a, b) => minutes(a) - minutes(b) || compareIds(a.summary.id, b.summary.id)),
      () => {
        const out: CatalogRecipe[] = [];
        for (const recipe of view.listing(true)) if (vegan(recipe)) out.push(recipe);
        return out;
      },
    );

    // Refresh after a batch of 10 edited recipes.
    const batch = recipes.slice(500, 510);
    compare(
      'view refresh after 10 edited recipes',
      () => {
        const copy = new Map(map);
        for (const r of batch) copy.set(r.summary.id, r);
        const byKey = new Map<string, string[]>();
        for (const r of copy.values()) {
          const key = dishNameKey(r.summary.name);
          const ids = byKey.get(key);
          if (ids) ids.push(r.summary.id);
          else byKey.set(key, [r.summary.id]);
        }
        for (const ids of byKey.values()) ids.sort();
      },
      () => {
        view = view.next(batch);
      },
    );
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The containment pass as it was: one includes per name. */
function oldNameScan(keys: Array<{ id: string; key: string }>, queryKey: string): number {
  const short = queryKey.length <= SHORT_QUERY_CHARS && queryKey.length >= 2;
  let n = 0;
  for (const { key } of keys)
    if ((short && key.includes(queryKey)) || (key.length >= MIN_CONTAINED_NAME_CHARS && queryKey.includes(key))) n++;
  return n;
}

function time<T>(label: string, runs: number, fn: () => T): T {
  let result!: T;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) result = fn();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - start) / 1e6 / runs).toFixed(2)} ms`);
  return result;
}

/** Old and new back to back, alternating, median of RUNS each. */
function compare(label: string, before: () => unknown, after: () => unknown): void {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    [before, after].forEach((fn, which) => {
      const start = process.hrtime.bigint();
      fn();
      samples[which].push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${label}: full pass ${median(samples[0]).toFixed(3)} ms → index ${median(samples[1]).toFixed(3)} ms (median of ${RUNS})`);
}

void main();
