import { EvalRecipe } from '../eval-recipe';
import { Rule } from './relevance.rules';

/**
 * zh: Chinese query for mostly Chinese dishes; en: English query for mostly English-labelled
 * dishes; cross: the query's language differs from most of the dishes it should find.
 */
export type QueryLanguageGroup = 'zh' | 'en' | 'cross';

/** Explicit search parameters (as the API's query string), beside what the text says. */
export interface SearchFilters {
  category?: string;
  cuisine?: string;
  /** Comma-separated diet words. */
  diet?: string;
  maxMinutes?: number;
  /** Comma-separated ingredient or allergen words. */
  exclude?: string;
}

export interface LabelledQuery {
  /** Stable id for the report, e.g. `zh-07`. */
  id: string;
  q: string;
  group: QueryLanguageGroup;
  /** Every rule holds → fully relevant (grade 2). */
  must: readonly Rule[];
  /** Holds → partly relevant (grade 1), when the recipe is not fully relevant. */
  partial?: Rule;
  /** Hard constraints the text states: a result breaking one is a violation and never relevant. */
  constraints?: readonly Rule[];
  filters?: SearchFilters;
}

export type Grade = 0 | 1 | 2;

export function gradeOf(query: LabelledQuery, recipe: EvalRecipe): Grade {
  if (violates(query, recipe)) return 0;
  if (query.must.every((r) => r.test(recipe))) return 2;
  return query.partial?.test(recipe) ? 1 : 0;
}

export function violates(query: LabelledQuery, recipe: EvalRecipe): boolean {
  return (query.constraints ?? []).some((c) => !c.test(recipe));
}

export function isConstrained(query: LabelledQuery): boolean {
  return (query.constraints ?? []).length > 0;
}
