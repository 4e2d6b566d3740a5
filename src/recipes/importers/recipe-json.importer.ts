import { RecipeInput } from '../recipe.types';
import { ImportResult, RecipeImporter } from './importer.types';
import { assertPathExists, emptyResult, isFile, readTextFile } from './source-files';

/**
 * Imports the service's own JSON: `RecipeInput[]` or `{ "recipes": RecipeInput[] }`. Each row
 * names its own source; rows without the required fields are reported by array index.
 */
export class RecipeJsonImporter implements RecipeImporter {
  readonly source = 'recipe-json';

  accepts(path: string): boolean {
    return isFile(path) && path.toLowerCase().endsWith('.json');
  }

  async import(path: string): Promise<ImportResult> {
    assertPathExists(path, this.source);
    const result = emptyResult(this.source);
    let document: unknown;
    try {
      document = JSON.parse((await readTextFile(path)).replace(/^\uFEFF/, ''));
    } catch (error) {
      result.skipped.push({ file: path, reason: `not valid JSON: ${(error as Error).message}` });
      return result;
    }
    const rows = Array.isArray(document) ? document : (document as { recipes?: unknown } | null)?.recipes;
    if (!Array.isArray(rows)) {
      result.skipped.push({ file: path, reason: 'expected an array of recipes or { "recipes": [...] }' });
      return result;
    }

    const seen = new Map<string, number>();
    rows.forEach((row: unknown, index) => {
      const problem = validate(row);
      if (problem) {
        result.skipped.push({ file: path, index, reason: `recipes[${index}]: ${problem}` });
        return;
      }
      const recipe = row as RecipeInput;
      const key = `${recipe.source}\u0000${recipe.sourceId}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        result.duplicates.push({ file: path, index, reason: `recipes[${index}]: same source and sourceId as recipes[${earlier}]` });
        return;
      }
      seen.set(key, index);
      result.recipes.push(recipe);
      result.origins.push({ file: path, index });
    });
    return result;
  }
}

function validate(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return 'not an object';
  const candidate = row as Record<string, unknown>;
  const missing = (['name', 'source', 'sourceId'] as const).filter(
    (field) => typeof candidate[field] !== 'string' || (candidate[field] as string).trim() === '',
  );
  const ingredients = candidate.ingredients;
  const ingredientsOk =
    Array.isArray(ingredients) &&
    ingredients.length > 0 &&
    ingredients.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as { name?: unknown }).name === 'string' &&
        (item as { name: string }).name.trim() !== '',
    );
  if (!ingredientsOk) missing.push('ingredients' as never);
  return missing.length > 0 ? `missing or invalid ${missing.join(', ')}` : undefined;
}
