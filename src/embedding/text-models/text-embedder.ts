import { ParsedQuery } from '../../text/text.types';
import { RecipeDocument } from '../embedding-provider.port';

export type TextPurpose = 'document' | 'query';

/**
 * A sentence model behind the `text` space. Kept apart from EmbeddingProvider because it only
 * ever adds one vector on top of the food-concept spaces (see CompositeEmbeddingProvider).
 */
export interface TextEmbedder {
  /** Model name, dimensions and input preparation version: a change means a re-embed. */
  readonly modelId: string;
  readonly dimensions: number;
  /** What the model reads for a recipe; an empty string means "no text vector". */
  documentText(doc: RecipeDocument): string;
  queryText(query: ParsedQuery): string;
  /** Unit vectors, one per text, in order. Throws EmbeddingUnavailableError on an outage. */
  embed(texts: string[], purpose: TextPurpose): Promise<number[][]>;
}
