import { ParsedQuery } from '../../text/text.types';
import { Distance } from '../../vector-store/vector-store.port';
import { DenseSpaces, EmbeddingProvider, RecipeDocument } from '../embedding-provider.port';
import { NamedVectors } from '../embedding.types';
import { FoodConceptModel } from './food-concept.model';

/**
 * The default provider: ingredients and properties vectors plus the sparse term vector, all
 * from a FoodConceptModel trained on the catalog. In-process and synchronous underneath, so
 * it never fails for external reasons.
 */
export class FoodConceptsEmbeddingProvider implements EmbeddingProvider {
  readonly modelId: string;
  readonly spaces: DenseSpaces;
  readonly sparse = true;

  constructor(
    readonly model: FoodConceptModel,
    readonly distance: Distance = 'cosine',
  ) {
    this.modelId = model.modelId;
    this.spaces = { ingredients: { size: model.dimensions }, properties: { size: model.dimensions } };
  }

  async embedRecipes(docs: RecipeDocument[]): Promise<NamedVectors[]> {
    return docs.map((doc) => this.model.embedRecipe(doc.analysis));
  }

  async embedQuery(query: ParsedQuery): Promise<NamedVectors> {
    return this.model.embedQuery(query);
  }
}
