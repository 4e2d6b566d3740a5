import { join } from 'path';
import { RecipeInput } from '../recipe.types';
import { isBlankRecord, openCsvSource } from './csv-reader';
import { ImportResult, RecipeImporter } from './importer.types';
import { dedupeIngredients, dedupeStrings, slugify, splitList } from './ingredient-text';
import { emptyResult, isDirectory, readFirstLine } from './source-files';

const COLUMNS = ['name', 'ingredients', 'diet', 'prep_time', 'cook_time', 'flavor_profile', 'course', 'state', 'region'] as const;
type Column = (typeof COLUMNS)[number];
const FILE_NAME = 'indian_food.csv';
/** The dataset's marker for "not known". */
const UNKNOWN = '-1';

/** Imports Kaggle's "Indian Food 101" (indian_food.csv). The sourceId is a slug of the dish name. */
export class IndianFoodCsvImporter implements RecipeImporter {
  readonly source = 'indian-food-101';

  accepts(path: string): boolean {
    const file = isDirectory(path) ? join(path, FILE_NAME) : path;
    return /^name,ingredients,diet\b/.test(readFirstLine(file).trim());
  }

  async import(path: string): Promise<ImportResult> {
    const result = emptyResult(this.source);
    const opened = await openCsvSource(path, FILE_NAME, COLUMNS, result);
    if (!opened) return result;
    const { file, table, index } = opened;

    const seen = new Map<string, { line: number; fingerprint: string }>();
    for (const record of table.records) {
      if (isBlankRecord(record)) continue;
      if (record.fields.length !== table.header.length) {
        result.skipped.push({ file, line: record.line, reason: `expected ${table.header.length} columns, found ${record.fields.length}` });
        continue;
      }
      const known = (column: Column): string | undefined => {
        const value = (record.fields[index[column]] ?? '').trim();
        return value === '' || value === UNKNOWN ? undefined : value;
      };
      const row = toRecipe(this.source, known);
      if (typeof row === 'string') {
        result.skipped.push({ file, line: record.line, reason: row });
        continue;
      }

      const fingerprint = record.fields.map((value) => value.trim()).join('\u0000');
      const earlier = seen.get(row.sourceId);
      if (earlier) {
        const same = earlier.fingerprint === fingerprint;
        result.duplicates.push({
          file,
          line: record.line,
          reason: same
            ? `repeats line ${earlier.line} exactly`
            : `same dish name as line ${earlier.line} but different details; the first row is kept`,
        });
        continue;
      }
      seen.set(row.sourceId, { line: record.line, fingerprint });
      result.recipes.push(row);
      result.origins.push({ file, line: record.line });
    }
    return result;
  }
}

function toRecipe(source: string, known: (column: Column) => string | undefined): RecipeInput | string {
  const name = known('name');
  if (!name) return 'name is empty';
  const sourceId = slugify(name);
  if (!sourceId) return `name "${name}" has no letters or digits to build an id from`;
  const ingredients = splitList(known('ingredients'), /,/).map((item) => ({ name: item }));
  if (ingredients.length === 0) return 'no ingredients';

  const minutes = (column: Column): number | undefined | null => {
    const value = known(column);
    if (value === undefined) return undefined;
    return /^\d+$/.test(value) ? Number(value) : null;
  };
  const prep = minutes('prep_time');
  const cook = minutes('cook_time');
  if (prep === null || cook === null) return 'prep_time/cook_time must be whole minutes or -1';

  const diet = known('diet')?.toLowerCase();
  const recipe: RecipeInput = {
    name,
    source,
    sourceId,
    ingredients: dedupeIngredients(ingredients),
    language: 'en',
    cuisine: 'indian',
    diets: diet === 'vegetarian' ? ['vegetarian'] : [],
  };
  // A total needs both parts: Sohan papdi (prep -1, cook 60) takes longer than its 60 cooking
  // minutes, so a sum with an unknown part taken as 0 would understate it.
  if (prep !== undefined && cook !== undefined) recipe.totalMinutes = prep + cook;
  const extra: Record<string, unknown> = {};
  if (prep !== undefined) extra.prepMinutes = prep;
  if (cook !== undefined) extra.cookMinutes = cook;
  const flavor = known('flavor_profile');
  if (flavor) recipe.flavors = [flavor.toLowerCase()];
  const course = known('course');
  if (course) recipe.category = slugify(course);
  const state = known('state');
  const region = known('region');
  if (region) recipe.region = region;
  if (state) extra.state = state;
  const tags = dedupeStrings([state, region].filter((tag): tag is string => !!tag));
  if (tags.length > 0) recipe.tags = tags;
  if (Object.keys(extra).length > 0) recipe.extra = extra;
  return recipe;
}
