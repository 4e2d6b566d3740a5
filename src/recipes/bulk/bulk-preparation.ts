import { ValidationPipe } from '@nestjs/common';
import { AppError } from '../../common/app-error';
import { ErrorCode } from '../../common/error-codes';
import { FieldProblem } from '../../common/validation';
import { parseJsonBytes } from '../../http/json-body.reader';
import { BulkUpsertDto } from '../dto/bulk-upsert.dto';
import { RecipeInputDto } from '../dto/recipe-input.dto';
import { RecipeNormalizer } from '../recipe-normalizer';
import { RecipeRow, toRecipeRow } from '../recipe-row';
import { RecipeInput } from '../recipe.types';

export interface BulkFailure {
  index: number;
  errors: FieldProblem[];
}

/** A bulk body made ready to write: the rows of the good records and why the others failed. */
export interface PreparedBulk {
  rows: RecipeRow[];
  failed: BulkFailure[];
}

export interface BulkTools {
  /** The service's global validation pipe (with its hardening), so a record is checked as a single POST body is. */
  pipe: ValidationPipe;
  normalizer: RecipeNormalizer;
  maxDepth: number;
}

/**
 * Parses a `POST /recipes/bulk` body, checks its envelope (`recipes`: 1 to 1,000) and then each
 * record on its own, and normalises the good ones. A bad record fails alone; a bad envelope or
 * body fails the request with the code the same problem gets on any other route.
 */
export async function prepareBulk(bytes: Uint8Array | undefined, tools: BulkTools): Promise<PreparedBulk> {
  const body = bytes === undefined ? undefined : parseJsonBytes(bytes, tools.maxDepth);
  const records = await checkEnvelope(body, tools.pipe);
  const rows: RecipeRow[] = [];
  const failed: BulkFailure[] = [];
  for (let index = 0; index < records.length; index++) {
    const checked = await checkRecord(records[index], tools.pipe);
    if (checked.errors) failed.push({ index, errors: checked.errors });
    else rows.push(toRecipeRow(tools.normalizer.normalize(checked.value)));
  }
  return { rows, failed };
}

/** The body's own fields, as the pipe checks any body: the records' contents are left out. */
async function checkEnvelope(body: unknown, pipe: ValidationPipe): Promise<unknown[]> {
  const recipes = isPlainObject(body) ? body.recipes : undefined;
  const shallow = isPlainObject(body) && Array.isArray(recipes) ? { ...body, recipes: new Array<null>(recipes.length).fill(null) } : body;
  await pipe.transform(shallow, { type: 'body', metatype: BulkUpsertDto });
  return recipes as unknown[];
}

async function checkRecord(
  record: unknown,
  pipe: ValidationPipe,
): Promise<{ value: RecipeInput; errors?: undefined } | { errors: FieldProblem[] }> {
  if (!isPlainObject(record)) return { errors: [{ field: '', problems: ['each recipe must be a JSON object'] }] };
  try {
    return { value: (await pipe.transform(record, { type: 'body', metatype: RecipeInputDto })) as RecipeInput };
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.ValidationFailed) return { errors: error.details as FieldProblem[] };
    throw error;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
