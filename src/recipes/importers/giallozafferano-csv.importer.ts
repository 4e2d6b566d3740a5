import { dirname, join } from 'path';
import { Ingredient, RecipeInput } from '../recipe.types';
import { CsvRecord, isBlankRecord, readCsv } from './csv-reader';
import { ImportResult, RecipeImporter } from './importer.types';
import { cleanText, dedupeIngredients, dedupeStrings, slugify } from './ingredient-text';
import { assertPathExists, emptyResult, isFile, readFirstLine, readTextFile } from './source-files';

const DELIMITER = ';';
const FIXED_COLUMNS = 8;
const MAX_INGREDIENTS = 18;
const TRIPLE = 3;

/** The dataset's 1–4 difficulty spread evenly over the catalog's 1–5: 1→1, 2→2, 3→4, 4→5. */
export function mapGialloDifficulty(difficulty: number): number {
  return Math.round(1 + ((difficulty - 1) * 4) / 3);
}

interface IngredientClass {
  class: string;
  metaclass?: string;
}

/**
 * Imports the GialloZafferano preference-learning dataset: the dataset folder, its `CSV/` folder
 * or `recipes.csv`. Ingredient classes come from the sibling lookup CSVs when present.
 */
export class GialloZafferanoCsvImporter implements RecipeImporter {
  readonly source = 'italian-giallozafferano';

  accepts(path: string): boolean {
    const file = recipesFile(path);
    return !!file && /^Name;ID;Link\b/.test(readFirstLine(file).trim());
  }

  async import(path: string): Promise<ImportResult> {
    assertPathExists(path, this.source);
    const file = recipesFile(path);
    if (!file) throw new Error(`${this.source} import: no CSV/recipes.csv under ${path}`);
    const result = emptyResult(this.source);
    const table = readCsv(await readTextFile(file), DELIMITER);
    if (!/^name$/i.test(table.header[0] ?? '') || table.header.length < FIXED_COLUMNS + TRIPLE) {
      result.skipped.push({ file, line: 1, reason: 'header does not start with Name;ID;Link;…' });
      return result;
    }
    for (const broken of table.broken) result.skipped.push({ file, line: broken.line, reason: 'unclosed quote' });
    const classes = await readIngredientClasses(dirname(file));
    const preparationStart = FIXED_COLUMNS + MAX_INGREDIENTS * TRIPLE;

    const seen = new Map<string, number>();
    for (const record of table.records) {
      // The published sheet is padded with hundreds of empty rows: not data, not worth reporting.
      if (isBlankRecord(record)) continue;
      const recipe = toRecipe(this.source, record, preparationStart, classes);
      if (typeof recipe === 'string') {
        result.skipped.push({ file, line: record.line, reason: recipe });
        continue;
      }
      const earlier = seen.get(recipe.sourceId);
      if (earlier !== undefined) {
        result.duplicates.push({ file, line: record.line, reason: `ID ${recipe.sourceId} already used on line ${earlier}` });
        continue;
      }
      seen.set(recipe.sourceId, record.line);
      result.recipes.push(recipe);
      result.origins.push({ file, line: record.line });
    }
    return result;
  }
}

function recipesFile(path: string): string | undefined {
  if (isFile(path)) return path;
  for (const candidate of [join(path, 'CSV', 'recipes.csv'), join(path, 'recipes.csv')]) {
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

function toRecipe(
  source: string,
  record: CsvRecord,
  preparationStart: number,
  classes: Map<string, IngredientClass>,
): RecipeInput | string {
  const at = (column: number): string => cleanText(record.fields[column] ?? '');
  const name = at(0);
  const id = at(1);
  if (!name) return 'Name is empty';
  if (!/^\d+$/.test(id)) return `ID "${id}" is not a whole number`;
  const cost = wholeNumber(at(5), 1, 5);
  const difficulty = wholeNumber(at(6), 1, 4);
  const minutes = wholeNumber(at(7), 1, 24 * 60);
  if (cost === null) return `Cost "${at(5)}" is not 1–5`;
  if (difficulty === null) return `Difficulty "${at(6)}" is not 1–4`;
  if (minutes === null) return `Preparation Time "${at(7)}" is not a number of minutes`;

  const ingredients: Ingredient[] = [];
  const details: Array<Record<string, unknown>> = [];
  for (let column = FIXED_COLUMNS; column < preparationStart; column += TRIPLE) {
    const ingredient = at(column);
    if (!ingredient) continue;
    const weight = at(column + 2);
    ingredients.push(weight ? { name: ingredient, quantity: `weight ${weight}` } : { name: ingredient });
    const known = classes.get(ingredient.toLowerCase());
    details.push({
      name: ingredient,
      id: numberOrText(at(column + 1)),
      weight: numberOrText(weight),
      ...(known ? { class: known.class, metaclass: known.metaclass } : {}),
    });
  }
  if (ingredients.length === 0) return 'no ingredients';

  const preparations: Array<{ name: string; id: number | string; weight: number | string }> = [];
  for (let column = preparationStart; column + 2 < record.fields.length; column += TRIPLE) {
    const preparation = at(column);
    if (preparation) preparations.push({ name: preparation, id: numberOrText(at(column + 1)), weight: numberOrText(at(column + 2)) });
  }

  const recipe: RecipeInput = {
    name,
    source,
    sourceId: id,
    ingredients: dedupeIngredients(ingredients),
    language: 'en',
    cuisine: 'italian',
    extra: { cost, ingredientDetails: details, preparations, nameLanguage: 'it' },
  };
  const link = at(2);
  if (link) recipe.url = link;
  const category = at(3);
  if (category) recipe.category = slugify(category);
  if (difficulty !== undefined) {
    recipe.difficulty = mapGialloDifficulty(difficulty);
    (recipe.extra as Record<string, unknown>).sourceDifficulty = difficulty;
  }
  if (minutes !== undefined) recipe.totalMinutes = minutes;
  const methods = dedupeStrings(preparations.map((preparation) => preparation.name));
  if (methods.length > 0) recipe.methods = methods;
  return recipe;
}

/** undefined when blank, null when present but invalid. */
function wholeNumber(value: string, min: number, max: number): number | undefined | null {
  if (value === '') return undefined;
  if (!/^\d+$/.test(value)) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

function numberOrText(value: string): number | string {
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/** Ingredient name → class and metaclass, from ingredients.csv and ingredientsClasses.csv. */
async function readIngredientClasses(folder: string): Promise<Map<string, IngredientClass>> {
  const classes = new Map<string, IngredientClass>();
  const ingredientsFile = join(folder, 'ingredients.csv');
  if (!isFile(ingredientsFile)) return classes;
  const metaclassByClass = new Map<string, string>();
  const classesFile = join(folder, 'ingredientsClasses.csv');
  if (isFile(classesFile)) {
    for (const record of readCsv(await readTextFile(classesFile), DELIMITER).records) {
      const [className, , metaclass] = record.fields.map(cleanText);
      if (className && metaclass) metaclassByClass.set(className, metaclass);
    }
  }
  for (const record of readCsv(await readTextFile(ingredientsFile), DELIMITER).records) {
    const [ingredient, , className] = record.fields.map(cleanText);
    if (ingredient && className) {
      classes.set(ingredient.toLowerCase(), { class: className, metaclass: metaclassByClass.get(className) });
    }
  }
  return classes;
}
