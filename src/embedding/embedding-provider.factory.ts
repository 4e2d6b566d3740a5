import { Distance } from '../vector-store/vector-store.port';
import { CompositeEmbeddingProvider } from './composite-embedding.provider';
import { EmbeddingProvider } from './embedding-provider.port';
import { EmbeddingConfigError } from './embedding.errors';
import { FoodConceptModel } from './food-concepts/food-concept.model';
import { FoodConceptsEmbeddingProvider } from './food-concepts/food-concepts.provider';
import { OpenAiCompatibleOptions, OpenAiCompatibleTextEmbedder } from './text-models/openai-compatible.embedder';
import { LoadedSentenceModel, loadBundledUseLite, UseLiteOptions, UseLiteTextEmbedder } from './text-models/use-lite.embedder';

export const EMBEDDING_PROVIDER_KINDS = ['food-concepts', 'use-lite', 'openai-compatible'] as const;
export type EmbeddingProviderKind = (typeof EMBEDDING_PROVIDER_KINDS)[number];

/** Validated configuration; the union makes "openai-compatible without a server" unrepresentable. */
export type EmbeddingOptions =
  | { provider: 'food-concepts'; distance: Distance }
  | { provider: 'use-lite'; distance: Distance; textModel?: UseLiteOptions }
  | { provider: 'openai-compatible'; distance: Distance; textModel: OpenAiCompatibleOptions };

export interface EmbeddingProviderDeps {
  /** The catalog-trained model (loaded from storage or freshly trained); always the base. */
  foodConcepts: FoodConceptModel;
  /** Overrides for tests. */
  fetch?: typeof fetch;
  loadUseLite?: () => Promise<LoadedSentenceModel>;
}

/**
 * Builds the configured provider. Async because the sentence models are loaded (use-lite) or
 * probed for their size (openai-compatible without `dimensions`) here, so a broken setup stops
 * start-up with an EmbeddingConfigError instead of failing on the first request.
 */
export async function createEmbeddingProvider(options: EmbeddingOptions, deps: EmbeddingProviderDeps): Promise<EmbeddingProvider> {
  const base = new FoodConceptsEmbeddingProvider(deps.foodConcepts, options.distance);
  switch (options.provider) {
    case 'food-concepts':
      return base;
    case 'use-lite':
      return new CompositeEmbeddingProvider(
        base,
        await UseLiteTextEmbedder.load(options.textModel, deps.loadUseLite ?? loadBundledUseLite),
      );
    case 'openai-compatible':
      return new CompositeEmbeddingProvider(base, await OpenAiCompatibleTextEmbedder.connect(options.textModel, deps.fetch ?? fetch));
    default: {
      const unknown: never = options;
      throw new EmbeddingConfigError(`Unknown embedding provider: ${(unknown as { provider: string }).provider}`);
    }
  }
}
