import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { FieldProblem, flattenValidationErrors, NUL_CHARACTER_PROBLEM, nulCharacterAt, validationFailed } from '../common/validation';
import { ConcurrencyLimit, EventLoopBudget } from '../common/event-loop';
import { MemoryBudget } from '../health/memory-budget';
import { IndexOutboxRepository } from '../indexing/index-outbox.repository';
import { OutboxSignal } from '../indexing/outbox-signal';
import { RecipeInputDto } from './dto/recipe-input.dto';
import { ListRecipesQuery } from './dto/list-recipes.query';
import { NormalizedRecipe, RecipeNormalizer } from './recipe-normalizer';
import { RecipeRow, toRecipeRow } from './recipe-row';
import { RecipeRowsRepository } from './recipe-rows.repository';
import { BulkPreparer } from './bulk/bulk-preparer';
import { toRecipeInput } from './recipe-mapper';
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

/**
 * The catalog as a dry run spread over several upsertMany calls (seed's batches) would find it:
 * a real run deletes everything first when reset, and its earlier batches have written their
 * records, so judging each batch against the catalog as it is would report what the real run
 * does not do.
 */
export interface DryRunCatalog {
  /** The real run deletes every recipe before its first batch (seed --reset). */
  emptied: boolean;
  /** Content hash, by source key, of every record an earlier call would have written. */
  written: Map<string, string>;
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
  /** One bulk is checked and normalised at a time (their transactions take turns anyway). */
  private readonly bulks = new ConcurrencyLimit(1);
  private readonly rows: RecipeRowsRepository;
  private readonly outbox: IndexOutboxRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly normalizer: RecipeNormalizer,
    private readonly bulkPreparer: BulkPreparer,
    private readonly outboxSignal: OutboxSignal,
    private readonly memory: MemoryBudget,
  ) {
    this.rows = new RecipeRowsRepository(dataSource);
    this.outbox = new IndexOutboxRepository(dataSource);
  }

  async list(query: ListRecipesQuery): Promise<Page<Recipe>> {
    const { ids, total } = await this.rows.page(
      {
        source: query.source,
        sourceId: query.sourceId,
        category: query.category?.toLowerCase(),
        cuisine: query.cuisine?.toLowerCase(),
        nameContains: query.name,
      },
      query.limit,
      query.offset,
    );
    return { items: await this.getMany(ids), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<Recipe> {
    return this.existing(this.dataSource.manager, id);
  }

  /** The recipes of these ids that exist, in the order of `ids`. */
  async getMany(ids: string[]): Promise<Recipe[]> {
    return this.rows.recipes(ids);
  }

  async count(): Promise<number> {
    return this.rows.count();
  }

  async create(input: RecipeInput): Promise<Recipe> {
    this.memory.assertRoomToGrow();
    const normalized = this.normalizer.normalize(input);
    return this.committed(async (manager) => {
      await this.assertSourceFree(manager, normalized);
      const recipe = await this.insert(manager, normalized);
      await this.outbox.enqueue(manager, [recipe.id], 'upsert');
      return recipe;
    });
  }

  async replace(id: string, input: RecipeInput): Promise<Recipe> {
    const normalized = this.normalizer.normalize(input);
    return this.committed(async (manager) => {
      const existing = await this.existing(manager, id);
      await this.assertSourceFree(manager, normalized, id);
      return this.update(manager, existing, normalized);
    });
  }

  async patch(id: string, changes: Partial<RecipeInput>): Promise<Recipe> {
    return this.committed(async (manager) => {
      const existing = await this.existing(manager, id);
      const stored = toRecipeInput(existing);
      // The stored recipe does not say whether its language was sent or detected from its name.
      // One the name would not give was sent, and stays; one it would give is detected again from
      // the patched name, so an English name patched over a Chinese one gets "en", as a PUT would.
      if (changes.language === undefined && existing.language === this.normalizer.detectedLanguage(existing.name)) {
        delete stored.language;
      }
      const merged = { ...stored, ...withoutUndefined(changes) } as RecipeInput;
      const problems = validateRecipeInput(merged).errors;
      if (problems) throw validationFailed(problems);
      const normalized = this.normalizer.normalize(merged);
      await this.assertSourceFree(manager, normalized, id);
      return this.update(manager, existing, normalized);
    });
  }

  async delete(id: string): Promise<void> {
    await this.committed(async (manager) => {
      if (!(await this.rows.delete(manager, id))) throw AppError.notFound('Recipe', id);
      await this.outbox.enqueue(manager, [id], 'delete');
    });
  }

  /**
   * `POST /recipes/bulk`, given the body's bytes. Parsing, checking and normalising 1,000 recipes
   * of 250 ingredients is seconds of CPU and a heap of short-lived objects: done in a worker
   * thread (see BulkPreparer), so the event loop only writes the prepared rows. A bad record
   * fails alone; good ones land.
   */
  bulkUpsert(body: Uint8Array | undefined): Promise<BulkUpsertResult> {
    return this.bulks.run(async () => {
      // Before the body is parsed: a bulk may only update recipes, but telling costs its parse.
      this.memory.assertRoomToGrow();
      const { rows, failed } = await this.bulkPreparer.prepare(body);
      const summary = await this.upsertRows(rows);
      return { created: summary.created, updated: summary.updated, unchanged: summary.unchanged, failed };
    });
  }

  /**
   * Upserts by (source, sourceId) in one transaction. Records identical to the stored ones
   * are left alone, so re-running an import changes nothing. Later duplicates of the same
   * (source, sourceId) in one call win.
   */
  async upsertMany(inputs: RecipeInput[], options: { dryRun?: boolean | DryRunCatalog } = {}): Promise<UpsertSummary> {
    // Normalising (analysis, hashing) is the CPU-heavy part: done before the transaction, which
    // every other write waits behind, and a few milliseconds at a time.
    const rows: RecipeRow[] = [];
    const budget = new EventLoopBudget();
    for (const input of inputs) {
      await budget.yieldIfSpent();
      rows.push(toRecipeRow(this.normalizer.normalize(input)));
    }
    return this.upsertRows(rows, options);
  }

  /**
   * With `dryRun`, nothing is written and the summary says what would be; `true` compares with
   * the catalog as it is, a DryRunCatalog with the one the rest of the same dry run would leave.
   */
  private async upsertRows(rows: RecipeRow[], options: { dryRun?: boolean | DryRunCatalog } = {}): Promise<UpsertSummary> {
    const simulated = typeof options.dryRun === 'object' ? options.dryRun : undefined;
    const run = async (manager: EntityManager): Promise<UpsertSummary> => {
      const existing = simulated?.emptied ? new Map<string, StoredKey>() : await this.findBySourceKeys(manager, rows);
      if (simulated) {
        for (const row of rows) {
          const key = sourceKey(row.source, row.sourceId);
          const contentHash = simulated.written.get(key);
          // Written by an earlier batch of this dry run: no id yet, and none is needed to write nothing.
          if (contentHash !== undefined) existing.set(key, { id: '', contentHash });
        }
      }
      const summary: UpsertSummary = { created: 0, updated: 0, unchanged: 0, outcomes: [] };
      const inserts = new Map<string, RecipeRow>();
      const updates = new Map<string, { id: string; row: RecipeRow }>();
      for (const row of rows) {
        const key = sourceKey(row.source, row.sourceId);
        const current = existing.get(key);
        let outcome: UpsertOutcome;
        if (!current) {
          outcome = inserts.has(key) ? 'updated' : 'created';
          inserts.set(key, row);
        } else if (current.contentHash === row.contentHash && !updates.has(key)) {
          outcome = 'unchanged';
        } else {
          outcome = 'updated';
          updates.set(key, { id: current.id, row });
        }
        summary[outcome] += 1;
        summary.outcomes.push(outcome);
      }
      if (simulated) {
        for (const [key, row] of inserts) simulated.written.set(key, row.contentHash);
        for (const [key, update] of updates) simulated.written.set(key, update.row.contentHash);
      }
      if (options.dryRun) return summary;
      const now = await this.rows.writeStamp(manager);
      const createdIds = await this.insertRows(manager, [...inserts.values()], now);
      const updated = [...updates.values()];
      await this.rows.writeRows(manager, updated, now, 'update');
      const changedIds = [...createdIds, ...updated.map((u) => u.id)];
      if (changedIds.length > 0) await this.outbox.enqueue(manager, changedIds, 'upsert');
      return summary;
    };
    return options.dryRun ? run(this.dataSource.manager) : this.committed(run);
  }

  /** Deletes every recipe (seed --reset), queueing their removal from the index. */
  async deleteAll(): Promise<number> {
    return this.committed(async (manager) => {
      const ids = await this.rows.deleteAll(manager);
      await this.outbox.enqueue(manager, ids, 'delete');
      return ids.length;
    });
  }

  /** A catalog write in one transaction; once it has committed, the indexing worker is told (see OutboxSignal). */
  private async committed<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.outboxSignal.written();
    return result;
  }

  private async existing(manager: EntityManager, id: string): Promise<Recipe> {
    const recipe = await this.rows.recipe(manager, id);
    if (!recipe) throw AppError.notFound('Recipe', id);
    return recipe;
  }

  /**
   * Only the key and hash of each stored recipe: loading whole entities for 1,000 recipes of 250
   * ingredients held the event loop for up to 0.9 s while TypeORM built the objects.
   */
  private async findBySourceKeys(manager: EntityManager, recipes: RecipeRow[]): Promise<Map<string, StoredKey>> {
    const bySource = new Map<string, Set<string>>();
    for (const recipe of recipes) {
      const ids = bySource.get(recipe.source) ?? new Set<string>();
      ids.add(recipe.sourceId);
      bySource.set(recipe.source, ids);
    }
    const found = new Map<string, StoredKey>();
    for (const [source, ids] of bySource) {
      for (const row of await this.rows.keysBySourceIds(manager, source, [...ids])) {
        found.set(sourceKey(source, row.source_id), { id: row.id, contentHash: row.content_hash });
      }
    }
    return found;
  }

  private async assertSourceFree(manager: EntityManager, recipe: NormalizedRecipe, exceptId?: string): Promise<void> {
    // Only the key is needed: not the whole row.
    const [other] = await this.rows.keysBySourceIds(manager, recipe.source, [recipe.sourceId]);
    if (other && other.id !== exceptId) {
      throw new AppError(
        ErrorCode.RecipeConflict,
        `A recipe from source "${recipe.source}" with sourceId "${recipe.sourceId}" already exists`,
        { id: other.id, source: recipe.source, sourceId: recipe.sourceId },
      );
    }
  }

  private async insert(manager: EntityManager, recipe: NormalizedRecipe): Promise<Recipe> {
    const now = await this.rows.writeStamp(manager);
    const [id] = await this.insertRows(manager, [toRecipeRow(recipe)], now);
    return { ...recipe, id, createdAt: now, updatedAt: now };
  }

  /** Multi-row INSERTs; returns the new ids in the order of `rows`. */
  private async insertRows(manager: EntityManager, rows: RecipeRow[], now: string): Promise<string[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => stableRecipeId(row.source, row.sourceId));
    const taken = await this.rows.existingIds(manager, ids);
    // The stable id can be taken if a recipe was re-keyed by PUT; fall back to a random one.
    const withIds = rows.map((row, i) => ({ id: taken.has(ids[i]) ? `r${randomUUID().replace(/-/g, '').slice(0, 16)}` : ids[i], row }));
    await this.rows.writeRows(manager, withIds, now, 'insert');
    return withIds.map((entry) => entry.id);
  }

  private async update(manager: EntityManager, existing: Recipe, recipe: NormalizedRecipe): Promise<Recipe> {
    if (existing.contentHash === recipe.contentHash) return existing;
    const now = await this.rows.writeStamp(manager);
    await this.rows.writeRows(manager, [{ id: existing.id, row: toRecipeRow(recipe) }], now, 'update');
    await this.outbox.enqueue(manager, [existing.id], 'upsert');
    return { ...recipe, id: existing.id, createdAt: existing.createdAt, updatedAt: now };
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

function sourceKey(source: string, sourceId: string): string {
  return `${source}\u0000${sourceId}`;
}

export function validateRecipeInput(
  plain: unknown,
): { value: RecipeInput; errors?: undefined } | { value?: undefined; errors: FieldProblem[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { errors: [{ field: '', problems: ['each recipe must be a JSON object'] }] };
  }
  // Bulk records and seed files come here without the global pipe's check.
  const nulAt = nulCharacterAt(plain);
  if (nulAt !== undefined) return { errors: [{ field: nulAt, problems: [`${nulAt} ${NUL_CHARACTER_PROBLEM}`] }] };
  const dto = plainToInstance(RecipeInputDto, plain);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) return { errors: flattenValidationErrors(errors) };
  return { value: dto as RecipeInput };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
