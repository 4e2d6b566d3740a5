import { IndexRetrainer } from '../src/indexing/index-retrainer.service';
import { IndexSynchroniser } from '../src/indexing/index-synchroniser.service';
import { RecipesService } from '../src/recipes/recipes.service';
import { SeedService } from '../src/recipes/seed.service';
import { SectionResult } from './report';
import { BenchSection } from './section';
import { perSecond, timeOnce } from './timing';

/**
 * Indexing end to end (catalog rows → analysis → embeddings → vector store), first start
 * included, where the model is also trained. Importing the files is timed on its own rows.
 */
export const INDEXING_MIN_RECIPES_PER_S = 1_000;

/**
 * Import + index of the bundled catalog into an empty database, as `npm run seed` does it:
 * SeedService.seed() reads the four collections and writes the catalog (with outbox rows),
 * IndexSynchroniser.prepare() trains the food-concept model and indexes every recipe. Then
 * `reindex --recreate` is timed on its own: embedding + vector store writes of the whole catalog.
 */
export const seedSection: BenchSection = {
  id: 'import-index',
  title: 'Import + index (bundled catalog, empty SQLite file)',
  async run({ app }): Promise<SectionResult> {
    const seeder = app.get(SeedService);
    const synchroniser = app.get(IndexSynchroniser);
    const retrainer = app.get(IndexRetrainer);
    const recipes = app.get(RecipesService);

    // The seed reads and parses every source first, then writes the catalog in batches.
    let parsedAt = 0n;
    const start = process.hrtime.bigint();
    const seed = await timeOnce(() =>
      seeder.seed({
        onProgress: (event) => {
          if (event.kind === 'read') parsedAt = process.hrtime.bigint();
        },
      }),
    );
    const parseMs = Number(parsedAt - start) / 1e6;
    const catalog = await recipes.count();
    if (catalog === 0) throw new Error('The seed imported no recipes; is SEED_DIR right?');
    const prepare = await timeOnce(() => synchroniser.prepare());
    const reindex = await timeOnce(() => retrainer.reindex({ recreate: true }));
    const endToEndMs = seed.ms + prepare.ms;

    return {
      id: this.id,
      title: this.title,
      metrics: [
        { key: 'catalog.recipes', label: 'catalog size', value: catalog, unit: 'recipes', digits: 0 },
        { key: 'import.ms', label: 'import: SeedService.seed()', value: seed.ms, unit: 'ms', digits: 0 },
        { key: 'import.parse_ms', label: '  of which reading + parsing the source files', value: parseMs, unit: 'ms', digits: 0 },
        { key: 'import.write_ms', label: '  of which catalog writes (recipes + outbox)', value: seed.ms - parseMs, unit: 'ms', digits: 0 },
        { key: 'import.recipes_per_s', label: 'import throughput', value: perSecond(catalog, seed.ms), unit: 'recipes/s', digits: 0 },
        { key: 'prepare.ms', label: 'index at first start: prepare() (train + embed + store)', value: prepare.ms, unit: 'ms', digits: 0 },
        {
          key: 'prepare.recipes_per_s',
          label: 'first-start indexing throughput (train included)',
          value: perSecond(prepare.result.indexed, prepare.ms),
          unit: 'recipes/s',
          digits: 0,
          target: { op: '>=', value: INDEXING_MIN_RECIPES_PER_S },
        },
        { key: 'reindex.ms', label: 'reindex --recreate (embed + store writes)', value: reindex.ms, unit: 'ms', digits: 0 },
        {
          key: 'reindex.recipes_per_s',
          label: 'indexing throughput (reindex)',
          value: perSecond(reindex.result.indexed, reindex.ms),
          unit: 'recipes/s',
          digits: 0,
          target: { op: '>=', value: INDEXING_MIN_RECIPES_PER_S },
        },
        {
          key: 'end_to_end.recipes_per_s',
          label: 'end to end: import + prepare',
          value: perSecond(catalog, endToEndMs),
          unit: 'recipes/s',
          digits: 0,
        },
      ],
      details: {
        seedTotals: seed.result.totals,
        prepare: prepare.result,
        reindex: reindex.result,
        endToEndMs,
      },
    };
  },
};
