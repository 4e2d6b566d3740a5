import { existsSync } from 'fs';
import { dirname, join } from 'path';
import { RECIPE_SOURCES } from '../recipe.types';
import { RecipeImporterRegistry } from './importer.registry';
import { ImportResult } from './importer.types';

/**
 * The repository root, found by walking up from this file: the same code runs from src/ under
 * ts-jest and from dist/src/ after a build, so a fixed relative path would be wrong in one of them.
 */
export function findRepositoryRoot(start: string = __dirname): string {
  let current = start;
  for (;;) {
    if (existsSync(join(current, 'package.json'))) return current;
    const parent = dirname(current);
    if (parent === current) throw new Error(`No package.json above ${start}; cannot locate the bundled seed folder`);
    current = parent;
  }
}

export function defaultSeedDir(): string {
  return join(findRepositoryRoot(), 'seed');
}

/** Imports every bundled source (seed/<source>/) with its own importer, in RECIPE_SOURCES order. */
export async function loadBundledSeed(
  seedDir: string = defaultSeedDir(),
  registry: RecipeImporterRegistry = new RecipeImporterRegistry(),
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const source of RECIPE_SOURCES) {
    results.push(await registry.bySource(source).import(join(seedDir, source)));
  }
  return results;
}
