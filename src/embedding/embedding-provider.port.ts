import { ParsedQuery, RecipeAnalysis } from '../text/text.types';
import { CollectionSpec, DenseVectorName, Distance } from '../vector-store/vector-store.port';
import { NamedVectors } from './embedding.types';

/** One recipe as the embedders see it. */
export interface RecipeDocument {
  analysis: RecipeAnalysis;
  /** Readable text of the dish (name, description, ingredients) for sentence models; may be empty. */
  text: string;
}

export type DenseSpaces = Partial<Record<DenseVectorName, { size: number }>>;

export interface EmbeddingProvider {
  /**
   * Names the model and everything that shapes its vectors (version, dimensions, training data
   * hash): the index keeps one collection per id, so a change here means a re-embed.
   */
  readonly modelId: string;
  readonly spaces: DenseSpaces;
  readonly sparse: boolean;
  readonly distance: Distance;
  /** Vectors in the same order as `docs`. A space the document has nothing for is absent. */
  embedRecipes(docs: RecipeDocument[]): Promise<NamedVectors[]>;
  /**
   * Vectors of a parsed query (its own `text` feeds sentence models). A space the query says
   * nothing about is absent, and the caller skips that leg of the hybrid search.
   */
  embedQuery(query: ParsedQuery): Promise<NamedVectors>;
}

/** The collection a provider's vectors belong in. */
export function collectionSpecOf(provider: EmbeddingProvider): CollectionSpec {
  return {
    modelId: provider.modelId,
    dense: provider.spaces,
    sparse: provider.sparse,
    distance: provider.distance,
  };
}
