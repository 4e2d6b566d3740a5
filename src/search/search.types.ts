import { RankedHit, RankedPage } from '../retrieval/ranked-hit';
import { ParsedQuery } from '../text/text.types';
import { RecipeFilter } from '../vector-store/vector-store.port';

/** A hit that may be the same dish as the request's recipe, from another source. */
export interface SimilarHit extends RankedHit {
  /** True when this hit has the same (normalised) name as the recipe asked about. */
  sameDish?: boolean;
}

/** The search response: the ranked page plus what the service made of the request. */
export interface SearchPage extends RankedPage {
  query: ParsedQuery & { filters: RecipeFilter };
}

export interface SimilarPage extends RankedPage {
  items: SimilarHit[];
  /** Intra-list diversity of the returned items (mean pairwise cosine distance of their ingredients vectors). */
  diversity: number;
}

export type ByIngredientsMode = 'similar' | 'pantry';

export interface ByIngredientsPage extends RankedPage {
  query: {
    mode: ByIngredientsMode;
    /** Each given word and the concept it resolved to. */
    recognised: Array<{ input: string; concept: string }>;
    /** Words the lexicon does not know; they take no part in matching. */
    unrecognised: string[];
    filters: RecipeFilter;
  };
}
