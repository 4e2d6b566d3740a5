import { ParsedQuery } from '../text/text.types';
import { Distance } from '../vector-store/vector-store.port';
import { DenseSpaces, EmbeddingProvider, RecipeDocument } from './embedding-provider.port';
import { NamedVectors } from './embedding.types';
import { TextEmbedder } from './text-models/text-embedder';

/**
 * The food-concept spaces plus a sentence model's `text` space. Concepts stay the backbone
 * (exact ingredients, exclusions, cross-lingual matching); the sentence model adds what
 * concepts miss, such as wording in descriptions.
 */
export class CompositeEmbeddingProvider implements EmbeddingProvider {
  readonly modelId: string;
  readonly spaces: DenseSpaces;
  readonly sparse: boolean;
  readonly distance: Distance;

  constructor(
    private readonly base: EmbeddingProvider,
    private readonly text: TextEmbedder,
  ) {
    // Either part changing invalidates the stored vectors, so both name the collection.
    this.modelId = `${base.modelId}+${text.modelId}`;
    this.spaces = { ...base.spaces, text: { size: text.dimensions } };
    this.sparse = base.sparse;
    this.distance = base.distance;
  }

  async embedRecipes(docs: RecipeDocument[]): Promise<NamedVectors[]> {
    const vectors = await this.base.embedRecipes(docs);
    const texts = docs.map((doc) => this.text.documentText(doc));
    const wanted = texts.map((text, i) => ({ text, i })).filter(({ text }) => text.length > 0);
    if (wanted.length > 0) {
      const embedded = await this.text.embed(
        wanted.map(({ text }) => text),
        'document',
      );
      wanted.forEach(({ i }, k) => (vectors[i].dense.text = embedded[k]));
    }
    return vectors;
  }

  async embedQuery(query: ParsedQuery): Promise<NamedVectors> {
    const text = this.text.queryText(query);
    const [vectors, embedded] = await Promise.all([
      this.base.embedQuery(query),
      text ? this.text.embed([text], 'query') : Promise.resolve(undefined),
    ]);
    if (embedded) vectors.dense.text = embedded[0];
    return vectors;
  }
}
