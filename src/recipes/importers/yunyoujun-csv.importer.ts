import { basename, join } from 'path';
import { RecipeInput } from '../recipe.types';
import { isBlankRecord, openCsvSource } from './csv-reader';
import { ImportResult, RecipeImporter } from './importer.types';
import { dedupeIngredients, dedupeStrings, splitList } from './ingredient-text';
import { emptyResult, isDirectory, readFirstLine } from './source-files';

const COLUMNS = ['name', 'stuff', 'bv', 'difficulty', 'tags', 'methods', 'tools'] as const;
const FILE_NAME = 'recipe.csv';

/** The upstream labels are a coarse four-step scale; 困难 and 复杂 are the two hard ends. */
const DIFFICULTY: Readonly<Record<string, number>> = { 简单: 1, 普通: 2, 困难: 4, 复杂: 5 };

/** "炸/煎" means either method; both are worth indexing. */
const LIST_SEPARATORS = /[、,，;；/]/;

/**
 * Imports YunYouJun/cook's recipe.csv. Each row is a dish shown in a Bilibili video, so the
 * sourceId is name + video id: names repeat across videos and one video shows several dishes,
 * but the pair is unique and does not depend on any other row.
 */
export class YunYouJunCsvImporter implements RecipeImporter {
  readonly source = 'yunyoujun-cook';

  accepts(path: string): boolean {
    const file = isDirectory(path) ? join(path, FILE_NAME) : path;
    return /^name,stuff,bv\b/.test(readFirstLine(file).trim());
  }

  async import(path: string): Promise<ImportResult> {
    const result = emptyResult(this.source);
    const opened = await openCsvSource(path, FILE_NAME, COLUMNS, result);
    if (!opened) return result;
    const { file, table, index } = opened;

    const seen = new Map<string, { line: number; recipe: RecipeInput }>();
    for (const record of table.records) {
      if (isBlankRecord(record)) continue;
      const field = (column: (typeof COLUMNS)[number]): string => (record.fields[index[column]] ?? '').trim();
      if (record.fields.length < COLUMNS.length) {
        result.skipped.push({ file, line: record.line, reason: `expected ${COLUMNS.length} columns, found ${record.fields.length}` });
        continue;
      }
      const name = field('name');
      const ingredients = splitList(field('stuff'), LIST_SEPARATORS).map((stuff) => ({ name: stuff }));
      if (!name || ingredients.length === 0) {
        result.skipped.push({ file, line: record.line, reason: name ? 'no ingredients (stuff is empty)' : 'name is empty' });
        continue;
      }

      const bv = field('bv');
      const recipe: RecipeInput = {
        name,
        source: this.source,
        sourceId: bv ? `${name}#${bv}` : name,
        ingredients: dedupeIngredients(ingredients),
        language: 'zh',
        cuisine: 'chinese',
      };
      if (bv) {
        recipe.url = `https://www.bilibili.com/video/${bv}`;
        recipe.extra = { bv };
      }
      const difficulty = DIFFICULTY[field('difficulty')];
      if (difficulty) recipe.difficulty = difficulty;
      setList(recipe, 'tags', splitList(field('tags'), LIST_SEPARATORS));
      setList(recipe, 'methods', splitList(field('methods'), LIST_SEPARATORS));
      setList(recipe, 'tools', splitList(field('tools'), LIST_SEPARATORS));

      const earlier = seen.get(recipe.sourceId);
      if (earlier) {
        // The same video under the same name is the same dish; the upstream file lists a few
        // twice with slightly different annotations, so keep one and lose none of the labels.
        mergeInto(earlier.recipe, recipe);
        result.duplicates.push({
          file,
          line: record.line,
          reason: `same dish and video as line ${earlier.line} (${basename(file)}); merged into it`,
        });
        continue;
      }
      seen.set(recipe.sourceId, { line: record.line, recipe });
      result.recipes.push(recipe);
      result.origins.push({ file, line: record.line });
    }
    return result;
  }
}

type ListField = 'tags' | 'methods' | 'tools';

function setList(recipe: RecipeInput, field: ListField, values: string[]): void {
  const unique = dedupeStrings(values);
  if (unique.length > 0) recipe[field] = unique;
  else delete recipe[field];
}

function mergeInto(target: RecipeInput, extra: RecipeInput): void {
  target.ingredients = dedupeIngredients([...target.ingredients, ...extra.ingredients]);
  for (const field of ['tags', 'methods', 'tools'] as const) {
    setList(target, field, [...(target[field] ?? []), ...(extra[field] ?? [])]);
  }
  if (target.difficulty === undefined && extra.difficulty !== undefined) target.difficulty = extra.difficulty;
}
