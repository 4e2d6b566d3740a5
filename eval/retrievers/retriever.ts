import { LabelledQuery } from '../queries/labelled-query';

/** A system under evaluation: ranked catalog ids for a labelled query, and for "more like this recipe". */
export interface Retriever {
  readonly name: string;
  search(query: LabelledQuery, k: number): Promise<string[]>;
  /** Never the recipe itself. */
  similar(recipeId: string, k: number): Promise<string[]>;
}
