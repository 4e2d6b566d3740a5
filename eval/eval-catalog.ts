import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { IndexSynchroniser } from '../src/indexing/index-synchroniser.service';
import { toRecipeInput } from '../src/recipes/recipe-mapper';
import { RecipeImporterRegistry } from '../src/recipes/importers/importer.registry';
import { RecipeRowsRepository } from '../src/recipes/recipe-rows.repository';
import { Recipe } from '../src/recipes/recipe.types';
import { RecipeInput } from '../src/recipes/recipe.types';
import { SeedService } from '../src/recipes/seed.service';
import { FoodLexicon } from '../src/text/food-lexicon';
import { QueryParser } from '../src/text/query-parser';
import { RecipeAnalyzer } from '../src/text/recipe-analyzer';
import { EvalRecipe } from './eval-recipe';

/** Settings that would change what is measured: the evaluation always runs the bundled defaults. */
const IGNORED_ENV = /^(DATABASE_PATH|SEED_DIR|SEED_ON_EMPTY|LEXICON_EXTRA_PATH|VECTOR_|QDRANT_|EMBEDDING_|INDEX_|RETRAIN_)/;

export interface EvalCatalog {
  /** Every recipe, ordered by `key`. */
  recipes: readonly EvalRecipe[];
  byId: ReadonlyMap<string, EvalRecipe>;
  lexicon: FoodLexicon;
  parser: QueryParser;
}

export interface EvalApp {
  app: INestApplicationContext;
  catalog: EvalCatalog;
  seedMs: number;
  indexMs: number;
  close(): Promise<void>;
}

/**
 * Boots the real application context (no HTTP) on a temporary SQLite file, seeds the bundled
 * collections and builds the index, then reads the catalog back with the sources' own labels.
 */
export async function openEvalApp(): Promise<EvalApp> {
  const dir = mkdtempSync(join(tmpdir(), 'recipe-eval-'));
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) if (!IGNORED_ENV.test(name)) env[name] = value;
  const config = loadConfig({
    ...env,
    DATABASE_PATH: join(dir, 'eval.sqlite'),
    SEED_ON_EMPTY: 'false',
    ADMIN_API_KEY: 'eval-key-123456',
    VECTOR_STORE: 'embedded',
    EMBEDDING_PROVIDER: 'food-concepts',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  try {
    const seedStart = Date.now();
    await app.get(SeedService).seed();
    const seedMs = Date.now() - seedStart;
    const indexStart = Date.now();
    await app.get(IndexSynchroniser).prepare();
    const indexMs = Date.now() - indexStart;
    const catalog = await readCatalog(app);
    return {
      app,
      catalog,
      seedMs,
      indexMs,
      async close() {
        await app.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function readCatalog(app: INestApplicationContext): Promise<EvalCatalog> {
  const lexicon = app.get(FoodLexicon);
  const analyzer = app.get(RecipeAnalyzer);
  const parser = app.get(QueryParser);
  const rawLabels = await readSourceLabels(app);
  const rows = new RecipeRowsRepository(app.get(DataSource));
  const entities = await rows.recipes(await rows.idsInTableOrder());
  const recipes = entities
    .map((entity) => toEvalRecipe(entity, rawLabels.get(keyOf(entity.source, entity.sourceId)), analyzer, lexicon))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { recipes, byId: new Map(recipes.map((r) => [r.id, r])), lexicon, parser };
}

/** The bundled sources read again by their importers: the labels before the catalog normalised them. */
async function readSourceLabels(app: INestApplicationContext): Promise<Map<string, RecipeInput>> {
  const importers = app.get(RecipeImporterRegistry);
  const out = new Map<string, RecipeInput>();
  for (const { source, path } of app.get(SeedService).bundledPaths()) {
    const result = await importers.bySource(source).import(path);
    for (const recipe of result.recipes) out.set(keyOf(recipe.source, recipe.sourceId), recipe);
  }
  return out;
}

function toEvalRecipe(entity: Recipe, raw: RecipeInput | undefined, analyzer: RecipeAnalyzer, lexicon: FoodLexicon): EvalRecipe {
  const sourceDiets = (raw?.diets ?? []).map((d) => d.trim().toLowerCase());
  const analysis = analyzer.analyze({ ...toRecipeInput(entity), diets: sourceDiets });
  const closure = new Set<string>();
  for (const id of analysis.ingredientConcepts) {
    closure.add(id);
    lexicon.ancestors(id).forEach((a) => closure.add(a));
  }
  return {
    id: entity.id,
    key: keyOf(entity.source, entity.sourceId),
    name: entity.name,
    source: entity.source,
    language: entity.language,
    category: entity.category,
    cuisine: entity.cuisine,
    region: entity.region,
    tags: entity.tags,
    methods: entity.methods,
    tools: entity.tools,
    flavors: entity.flavors,
    totalMinutes: entity.totalMinutes,
    ingredientNames: entity.ingredients.map((i) => i.name),
    sourceDiets,
    derivedDiets: analysis.diets,
    concepts: analysis.ingredientConcepts,
    conceptClosure: closure,
    unresolvedIngredients: analysis.unresolvedIngredients,
    allergens: analysis.allergens,
  };
}

function keyOf(source: string, sourceId: string): string {
  return `${source}:${sourceId}`;
}
