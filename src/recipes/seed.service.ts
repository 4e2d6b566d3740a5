import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RecipeImporterRegistry } from './importers/importer.registry';
import { ImportIssue, ImportResult } from './importers/importer.types';
import { RECIPE_SOURCES } from './recipe.types';
import { DryRunCatalog, RecipesService, validateRecipeInput } from './recipes.service';

export interface SeedOptions {
  /** Files or folders in any supported format; default: every bundled source. */
  paths?: string[];
  /** Only this bundled source (a folder name under seed/). */
  source?: string;
  dryRun?: boolean;
  /** Delete the whole catalog first. */
  reset?: boolean;
  batchSize?: number;
  onProgress?: (event: SeedProgress) => void;
}

export type SeedProgress =
  { kind: 'read'; source: string; path: string; recipes: number } | { kind: 'batch'; source: string; done: number; total: number };

export interface SourceSummary {
  source: string;
  path: string;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: ImportIssue[];
  duplicates: ImportIssue[];
}

export interface SeedSummary {
  dryRun: boolean;
  /** Recipes deleted first (reset); in a dry run, the ones a real run would delete. */
  deleted: number;
  sources: SourceSummary[];
  totals: { read: number; created: number; updated: number; unchanged: number; skipped: number; duplicates: number };
}

/** Imports recipe files into the catalog in batches; idempotent, so it can be re-run or resumed. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly recipes: RecipesService,
    private readonly importers: RecipeImporterRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The bundled sources' folders, in a fixed order. */
  bundledPaths(source?: string): Array<{ source: string; path: string }> {
    const sources = source ? [source] : [...RECIPE_SOURCES];
    return sources.map((name) => {
      if (!(RECIPE_SOURCES as readonly string[]).includes(name)) {
        throw new Error(`Unknown source "${name}"; bundled sources are ${RECIPE_SOURCES.join(', ')}`);
      }
      return { source: name, path: join(this.config.seedDir, name) };
    });
  }

  async seed(options: SeedOptions = {}): Promise<SeedSummary> {
    const batchSize = options.batchSize ?? 200;
    const targets = options.paths?.length
      ? options.paths.map((path) => ({ source: null as string | null, path }))
      : this.bundledPaths(options.source);

    const imports: Array<{ path: string; result: ImportResult }> = [];
    for (const target of targets) {
      if (!existsSync(target.path)) throw new Error(`No such file or folder: ${target.path}`);
      const importer = target.source ? this.importers.bySource(target.source) : this.importers.forPath(target.path);
      const result = await importer.import(target.path);
      options.onProgress?.({ kind: 'read', source: result.source, path: target.path, recipes: result.recipes.length });
      imports.push({ path: target.path, result });
    }

    // A dry run reports what the real run would do: with reset, every stored recipe deleted and
    // every record created; its batches are judged as the real run's would be (DryRunCatalog).
    const dryRun: DryRunCatalog | undefined = options.dryRun ? { emptied: !!options.reset, written: new Map() } : undefined;
    let deleted = 0;
    if (options.reset) deleted = dryRun ? await this.recipes.count() : await this.recipes.deleteAll();
    const sources: SourceSummary[] = [];
    for (const { path, result } of imports) {
      const summary: SourceSummary = {
        source: result.source,
        path,
        read: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        skipped: [...result.skipped],
        duplicates: result.duplicates,
      };
      // Files get the same validation as the HTTP API: a record the API would refuse is skipped.
      const valid = [];
      for (const [position, recipe] of result.recipes.entries()) {
        const { value, errors } = validateRecipeInput(recipe);
        if (value) valid.push(value);
        else {
          const fields = errors.map((e) => `${e.field}: ${e.problems.join(', ')}`).join('; ');
          const origin = result.origins[position] ?? { file: path };
          // The JSON importer's own issues name the record as recipes[i]; these do too.
          const where = origin.index === undefined ? '' : `recipes[${origin.index}]: `;
          summary.skipped.push({ ...origin, reason: `${where}"${recipe.name}" (${recipe.sourceId}): ${fields}` });
        }
      }
      summary.read = valid.length;
      for (let i = 0; i < valid.length; i += batchSize) {
        const batch = valid.slice(i, i + batchSize);
        const outcome = await this.recipes.upsertMany(batch, { dryRun });
        summary.created += outcome.created;
        summary.updated += outcome.updated;
        summary.unchanged += outcome.unchanged;
        options.onProgress?.({
          kind: 'batch',
          source: result.source,
          done: Math.min(i + batchSize, valid.length),
          total: valid.length,
        });
      }
      sources.push(summary);
    }

    const totals = { read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, duplicates: 0 };
    for (const s of sources) {
      totals.read += s.read;
      totals.created += s.created;
      totals.updated += s.updated;
      totals.unchanged += s.unchanged;
      totals.skipped += s.skipped.length;
      totals.duplicates += s.duplicates.length;
    }
    return { dryRun: !!options.dryRun, deleted, sources, totals };
  }

  /** First start with an empty catalog: load the bundled data so a fresh clone serves a full catalog. */
  async seedIfEmpty(): Promise<SeedSummary | null> {
    if (!this.config.seedOnEmpty || (await this.recipes.count()) > 0) return null;
    this.logger.log(`Empty catalog: seeding from ${this.config.seedDir}`);
    const summary = await this.seed();
    this.logger.log(
      `Seeded ${summary.totals.created} recipes (${summary.totals.skipped} rows skipped, ${summary.totals.duplicates} duplicates)`,
    );
    return summary;
  }
}
