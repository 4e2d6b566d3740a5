import { DataSource } from 'typeorm';
import { RecipeDocument } from '../src/embedding/embedding-provider.port';
import { EmbeddingModelService } from '../src/embedding/embedding-model.service';
import { recipeDocument } from '../src/indexing/recipe-document';
import { toRecipeInput } from '../src/recipes/recipe-mapper';
import { RecipeRowsRepository } from '../src/recipes/recipe-rows.repository';
import { RecipeAnalyzer } from '../src/text/recipe-analyzer';
import { SectionResult } from './report';
import { BenchSection } from './section';
import { perSecond, summarize, timeOnce } from './timing';

export const CATALOG_EMBED_MAX_MS = 5_000;
/** Whole-catalog passes are cheap next to the rest; the median of a few steadies the number. */
const PASSES = 3;

/**
 * Embedding the whole catalog with the trained model, the way IndexSynchroniser builds its input:
 * RecipeAnalyzer.analyze (timed on its own), recipeDocument, then provider.embedRecipes.
 */
export const catalogEmbeddingSection: BenchSection = {
  id: 'catalog-embedding',
  title: 'Catalog embedding (trained food-concept model)',
  async run({ app }): Promise<SectionResult> {
    const provider = await app.get(EmbeddingModelService).load();
    const analyzer = app.get(RecipeAnalyzer);
    const rows = new RecipeRowsRepository(app.get(DataSource));
    const read = await timeOnce(async () => rows.recipes((await rows.idsInOrder()).map((row) => row.id)));
    const entities = read.result;

    const analyzeMs: number[] = [];
    const embedMs: number[] = [];
    let docs: RecipeDocument[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      const analysis = await timeOnce(() => entities.map((entity) => analyzer.analyze(toRecipeInput(entity))));
      analyzeMs.push(analysis.ms);
      docs = entities.map((entity, i) => recipeDocument(entity, analysis.result[i]));
      const embedded = await timeOnce(() => provider.embedRecipes(docs));
      if (embedded.result.length !== docs.length) throw new Error('embedRecipes returned the wrong number of vectors');
      embedMs.push(embedded.ms);
    }
    const analyze = summarize(analyzeMs).p50;
    const embed = summarize(embedMs).p50;

    return {
      id: this.id,
      title: this.title,
      metrics: [
        { key: 'analyze.ms', label: `analysis: RecipeAnalyzer.analyze x ${entities.length}`, value: analyze, unit: 'ms', digits: 0 },
        {
          key: 'embed.ms',
          label: `provider.embedRecipes x ${docs.length}`,
          value: embed,
          unit: 'ms',
          digits: 0,
          target: { op: '<=', value: CATALOG_EMBED_MAX_MS },
        },
        { key: 'embed.recipes_per_s', label: 'embedding throughput', value: perSecond(docs.length, embed), unit: 'recipes/s', digits: 0 },
        { key: 'analyze_embed.ms', label: 'analysis + embedding', value: analyze + embed, unit: 'ms', digits: 0 },
      ],
      details: {
        modelId: provider.modelId,
        spaces: provider.spaces,
        recipes: entities.length,
        passes: PASSES,
        catalogReadMs: read.ms,
        analyzeMsPerPass: analyzeMs,
        embedMsPerPass: embedMs,
      },
      notes: [`analysis and embedding are the median of ${PASSES} whole-catalog passes`],
    };
  },
};
