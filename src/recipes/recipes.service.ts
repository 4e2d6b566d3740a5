import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { createValidationPipe, FieldProblem, flattenValidationErrors, validationFailed } from '../common/validation';
import { ConcurrencyLimit, EventLoopBudget } from '../common/event-loop';
import { enqueueIndexing } from '../indexing/index-outbox';
import { BulkUpsertDto } from './dto/bulk-upsert.dto';
import { RecipeInputDto } from './dto/recipe-input.dto';
import { ListRecipesQuery } from './dto/list-recipes.query';
import { NormalizedRecipe, RecipeNormalizer } from './recipe-normalizer';
import { RecipeEntity } from './recipe.entity';
import { toRecipe, toRecipeInput } from './recipe-mapper';
import { Recipe, RecipeInput } from './recipe.types';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface UpsertSummary {
  created: number;
  updated: number;
  unchanged: number;
  outcomes: UpsertOutcome[];
}

export interface BulkUpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  failed: Array<{ index: number; errors: FieldProblem[] }>;
}

/** The catalog: SQLite is the source of truth; every write also queues its indexing. */
@Injectable()
export class RecipesService {
  private readonly pipe = createValidationPipe();
  /** One bulk is checked and normalised at a time (their transactions take turns anyway). */
  private readonly bulks = new ConcurrencyLimit(1);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly normalizer: RecipeNormalizer,
  ) {}

  async list(query: ListRecipesQuery): Promise<Page<Recipe>> {
    const qb = this.dataSource.getRepository(RecipeEntity).createQueryBuilder('r');
    if (query.source) qb.andWhere('r.source = :source', { source: query.source });
    if (query.sourceId) qb.andWhere('r.source_id = :sourceId', { sourceId: query.sourceId });
    if (query.category) qb.andWhere('r.category = :category', { category: query.category.toLowerCase() });
    if (query.cuisine) qb.andWhere('r.cuisine = :cuisine', { cuisine: query.cuisine.toLowerCase() });
    if (query.name) {
      qb.andWhere(`r.name LIKE :name ESCAPE '\\'`, { name: `%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    }
    const [rows, total] = await qb
      .orderBy('r.source', 'ASC')
      .addOrderBy('r.source_id', 'ASC')
      .skip(query.offset)
      .take(query.limit)
      .getManyAndCount();
    return { items: rows.map(toRecipe), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<Recipe> {
    return toRecipe(await this.findEntity(this.dataSource.manager, id));
  }

  async getMany(ids: string[]): Promise<Recipe[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.getRepository(RecipeEntity).findBy({ id: In(ids) });
    return rows.map(toRecipe);
  }

  async count(): Promise<number> {
    return this.dataSource.getRepository(RecipeEntity).count();
  }

  async create(input: RecipeInput): Promise<Recipe> {
    const normalized = this.normalizer.normalize(input);
    return this.dataSource.transaction(async (manager) => {
      await this.assertSourceFree(manager, normalized);
      const entity = await this.insert(manager, normalized);
      await enqueueIndexing(manager, [entity.id], 'upsert');
      return toRecipe(entity);
    });
  }

  async replace(id: string, input: RecipeInput): Promise<Recipe> {
    const normalized = this.normalizer.normalize(input);
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.findEntity(manager, id);
      await this.assertSourceFree(manager, normalized, id);
      return toRecipe(await this.update(manager, existing, normalized));
    });
  }

  async patch(id: string, changes: Partial<RecipeInput>): Promise<Recipe> {
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.findEntity(manager, id);
      const merged = { ...toRecipeInput(existing), ...withoutUndefined(changes) } as RecipeInput;
      const problems = validateRecipeInput(merged).errors;
      if (problems) throw validationFailed(problems);
      const normalized = this.normalizer.normalize(merged);
      await this.assertSourceFree(manager, normalized, id);
      return toRecipe(await this.update(manager, existing, normalized));
    });
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const existing = await this.findEntity(manager, id);
      await manager.delete(RecipeEntity, { id: existing.id });
      await enqueueIndexing(manager, [existing.id], 'delete');
    });
  }

  /**
   * `POST /recipes/bulk`. The body reaches here unvalidated: the global pipe would check and
   * copy a whole 1,000-recipe body in one go (about a second of the event loop for 1,000 × 250
   * ingredients). The same pipe checks the envelope here (with the records' contents left out)
   * and then each record on its own, a few milliseconds of records at a time, so searches keep
   * being answered while a large bulk is checked. A bad record fails alone; good ones land.
   */
  bulkUpsert(body: unknown): Promise<BulkUpsertResult> {
    return this.bulks.run(() => this.bulkUpsertNow(body));
  }

  private async bulkUpsertNow(body: unknown): Promise<BulkUpsertResult> {
    const records = await this.bulkEnvelope(body);
    const failed: BulkUpsertResult['failed'] = [];
    const valid: RecipeInput[] = [];
    const budget = new EventLoopBudget();
    for (let index = 0; index < records.length; index++) {
      await budget.yieldIfSpent();
      const { value, errors } = await this.checkRecord(records[index]);
      if (errors) failed.push({ index, errors });
      else valid.push(value);
    }
    const summary = await this.upsertMany(valid);
    return { created: summary.created, updated: summary.updated, unchanged: summary.unchanged, failed };
  }

  /** The bulk body's own fields (`recipes`: an array of 1 to 1,000), as the pipe checks any body. */
  private async bulkEnvelope(body: unknown): Promise<unknown[]> {
    const recipes = isPlainObject(body) ? body.recipes : undefined;
    // Same length, no contents: the envelope's rules only look at the array itself.
    const shallow = isPlainObject(body) && Array.isArray(recipes) ? { ...body, recipes: new Array<null>(recipes.length).fill(null) } : body;
    await this.pipe.transform(shallow, { type: 'body', metatype: BulkUpsertDto });
    return recipes as unknown[];
  }

  /** One bulk record through the same pipe (and hardening) as a single `POST /recipes` body. */
  private async checkRecord(
    record: unknown,
  ): Promise<{ value: RecipeInput; errors?: undefined } | { value?: undefined; errors: FieldProblem[] }> {
    if (!isPlainObject(record)) return { errors: [{ field: '', problems: ['each recipe must be a JSON object'] }] };
    try {
      return { value: (await this.pipe.transform(record, { type: 'body', metatype: RecipeInputDto })) as RecipeInput };
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.ValidationFailed) return { errors: error.details as FieldProblem[] };
      throw error;
    }
  }

  /**
   * Upserts by (source, sourceId) in one transaction. Records identical to the stored ones
   * are left alone, so re-running an import changes nothing. Later duplicates of the same
   * (source, sourceId) in one call win.
   */
  async upsertMany(inputs: RecipeInput[], options: { dryRun?: boolean } = {}): Promise<UpsertSummary> {
    // Normalising (analysis, hashing) is the CPU-heavy part: done before the transaction, which
    // every other write waits behind, and a few milliseconds at a time.
    const normalized: NormalizedRecipe[] = [];
    const budget = new EventLoopBudget();
    for (const input of inputs) {
      await budget.yieldIfSpent();
      normalized.push(this.normalizer.normalize(input));
    }
    const run = async (manager: EntityManager): Promise<UpsertSummary> => {
      const existing = await this.findBySourceKeys(manager, normalized);
      const summary: UpsertSummary = { created: 0, updated: 0, unchanged: 0, outcomes: [] };
      const inserts = new Map<string, NormalizedRecipe>();
      const updates = new Map<string, { current: StoredKey; recipe: NormalizedRecipe }>();
      for (const recipe of normalized) {
        const key = sourceKey(recipe.source, recipe.sourceId);
        const current = existing.get(key);
        let outcome: UpsertOutcome;
        if (!current) {
          outcome = inserts.has(key) ? 'updated' : 'created';
          inserts.set(key, recipe);
        } else if (current.contentHash === recipe.contentHash && !updates.has(key)) {
          outcome = 'unchanged';
        } else {
          outcome = 'updated';
          updates.set(key, { current, recipe });
        }
        summary[outcome] += 1;
        summary.outcomes.push(outcome);
      }
      if (options.dryRun) return summary;
      const created = await this.insertMany(manager, [...inserts.values()]);
      const updated = [...updates.values()];
      await writeRows(
        manager,
        updated.map(({ current, recipe }) => ({ ...recipe, id: current.id })),
        new Date().toISOString(),
        'update',
      );
      const changedIds = [...created.map((entity) => entity.id), ...updated.map((u) => u.current.id)];
      if (changedIds.length > 0) await enqueueIndexing(manager, changedIds, 'upsert');
      return summary;
    };
    return options.dryRun ? run(this.dataSource.manager) : this.dataSource.transaction(run);
  }

  /** Deletes every recipe (seed --reset), queueing their removal from the index. */
  async deleteAll(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string }> = await manager.query('SELECT id FROM recipes');
      await manager.query('DELETE FROM recipes');
      await enqueueIndexing(
        manager,
        rows.map((row) => row.id),
        'delete',
      );
      return rows.length;
    });
  }

  private async findEntity(manager: EntityManager, id: string): Promise<RecipeEntity> {
    const entity = await manager.findOneBy(RecipeEntity, { id });
    if (!entity) throw AppError.notFound('Recipe', id);
    return entity;
  }

  /**
   * Only the key and hash of each stored recipe: loading whole entities for 1,000 recipes of 250
   * ingredients held the event loop for up to 0.9 s while TypeORM built the objects.
   */
  private async findBySourceKeys(manager: EntityManager, recipes: NormalizedRecipe[]): Promise<Map<string, StoredKey>> {
    const bySource = new Map<string, Set<string>>();
    for (const recipe of recipes) {
      const ids = bySource.get(recipe.source) ?? new Set<string>();
      ids.add(recipe.sourceId);
      bySource.set(recipe.source, ids);
    }
    const found = new Map<string, StoredKey>();
    for (const [source, ids] of bySource) {
      const all = [...ids];
      for (let i = 0; i < all.length; i += 500) {
        const chunk = all.slice(i, i + 500);
        const rows: Array<{ id: string; source_id: string; content_hash: string }> = await manager.query(
          `SELECT id, source_id, content_hash FROM recipes WHERE source = ? AND source_id IN (${chunk.map(() => '?').join(',')})`,
          [source, ...chunk],
        );
        for (const row of rows) found.set(sourceKey(source, row.source_id), { id: row.id, contentHash: row.content_hash });
      }
    }
    return found;
  }

  private async assertSourceFree(manager: EntityManager, recipe: NormalizedRecipe, exceptId?: string): Promise<void> {
    const other = await manager.findOneBy(RecipeEntity, { source: recipe.source, sourceId: recipe.sourceId });
    if (other && other.id !== exceptId) {
      throw new AppError(
        ErrorCode.RecipeConflict,
        `A recipe from source "${recipe.source}" with sourceId "${recipe.sourceId}" already exists`,
        { id: other.id, source: recipe.source, sourceId: recipe.sourceId },
      );
    }
  }

  private async insert(manager: EntityManager, recipe: NormalizedRecipe): Promise<RecipeEntity> {
    const [entity] = await this.insertMany(manager, [recipe]);
    return entity;
  }

  /** One multi-row INSERT per chunk: imports write thousands of recipes. */
  private async insertMany(manager: EntityManager, recipes: NormalizedRecipe[]): Promise<RecipeEntity[]> {
    if (recipes.length === 0) return [];
    const now = new Date().toISOString();
    const ids = recipes.map((recipe) => stableRecipeId(recipe.source, recipe.sourceId));
    const taken = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows: Array<{ id: string }> = await manager.query(
        `SELECT id FROM recipes WHERE id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      );
      rows.forEach((row) => taken.add(row.id));
    }
    const rows = recipes.map((recipe, i) => ({
      ...recipe,
      // The stable id can be taken if a recipe was re-keyed by PUT; fall back to a random one.
      id: taken.has(ids[i]) ? `r${randomUUID().replace(/-/g, '').slice(0, 16)}` : ids[i],
    }));
    await writeRows(manager, rows, now, 'insert');
    return rows.map((row) => ({ ...row, createdAt: now, updatedAt: now }));
  }

  private async update(manager: EntityManager, existing: RecipeEntity, recipe: NormalizedRecipe, enqueue = true): Promise<RecipeEntity> {
    if (existing.contentHash === recipe.contentHash) return existing;
    const entity = manager.merge(RecipeEntity, existing, { ...recipe, updatedAt: new Date().toISOString() });
    await manager.save(RecipeEntity, entity);
    if (enqueue) await enqueueIndexing(manager, [entity.id], 'upsert');
    return entity;
  }
}

/** Same (source, sourceId) → same id, so a catalog rebuilt from the same data keeps its ids. */
export function stableRecipeId(source: string, sourceId: string): string {
  return `r${createHash('sha256').update(`${source}\u0000${sourceId}`).digest('hex').slice(0, 16)}`;
}

/** What an upsert needs to know about a stored recipe. */
interface StoredKey {
  id: string;
  contentHash: string;
}

/** Columns in the order `rowValues` gives them; JSON columns as TypeORM's simple-json stores them. */
const COLUMNS = [
  'id',
  'source',
  'source_id',
  'name',
  'description',
  'language',
  'category',
  'cuisine',
  'region',
  'ingredients',
  'steps',
  'tags',
  'diets',
  'flavors',
  'methods',
  'tools',
  'allergens',
  'total_minutes',
  'difficulty',
  'calories',
  'servings',
  'url',
  'extra',
  'content_hash',
  'created_at',
  'updated_at',
] as const;
/** 26 columns a row: 30 rows stay under SQLite's 999 bound parameters. */
const ROWS_PER_STATEMENT = 30;

function rowValues(recipe: NormalizedRecipe & { id: string }, now: string): unknown[] {
  return [
    recipe.id,
    recipe.source,
    recipe.sourceId,
    recipe.name,
    recipe.description,
    recipe.language,
    recipe.category,
    recipe.cuisine,
    recipe.region,
    JSON.stringify(recipe.ingredients),
    JSON.stringify(recipe.steps),
    JSON.stringify(recipe.tags),
    JSON.stringify(recipe.diets),
    JSON.stringify(recipe.flavors),
    JSON.stringify(recipe.methods),
    JSON.stringify(recipe.tools),
    JSON.stringify(recipe.allergens),
    recipe.totalMinutes,
    recipe.difficulty,
    recipe.calories,
    recipe.servings,
    recipe.url,
    JSON.stringify(recipe.extra),
    recipe.contentHash,
    now,
    now,
  ];
}

/**
 * Parameterised multi-row writes, a few milliseconds of rows at a time: 'insert' adds new
 * recipes; 'update' rewrites every column of existing ones by id except `created_at`.
 */
async function writeRows(
  manager: EntityManager,
  recipes: Array<NormalizedRecipe & { id: string }>,
  now: string,
  mode: 'insert' | 'update',
): Promise<void> {
  const row = `(${COLUMNS.map(() => '?').join(', ')})`;
  const onConflict =
    mode === 'update'
      ? ` ON CONFLICT(id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id' && c !== 'created_at')
          .map((c) => `${c} = excluded.${c}`)
          .join(', ')}`
      : '';
  const budget = new EventLoopBudget();
  for (let i = 0; i < recipes.length; i += ROWS_PER_STATEMENT) {
    await budget.yieldIfSpent();
    const chunk = recipes.slice(i, i + ROWS_PER_STATEMENT);
    await manager.query(
      `INSERT INTO recipes (${COLUMNS.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}${onConflict}`,
      chunk.flatMap((recipe) => rowValues(recipe, now)),
    );
  }
}

function sourceKey(source: string, sourceId: string): string {
  return `${source}\u0000${sourceId}`;
}

export function validateRecipeInput(
  plain: unknown,
): { value: RecipeInput; errors?: undefined } | { value?: undefined; errors: FieldProblem[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { errors: [{ field: '', problems: ['each recipe must be a JSON object'] }] };
  }
  const dto = plainToInstance(RecipeInputDto, plain);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) return { errors: flattenValidationErrors(errors) };
  return { value: dto as RecipeInput };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
