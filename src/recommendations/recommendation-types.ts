import { Explanation, RankedHit, RankedPage } from '../retrieval/ranked-hit';

/** `why` of a recommendation: the shared explanation plus where the recommendation came from. */
export interface RecommendationExplanation extends Explanation {
  /** Share of similar users' opinion in favour of this dish (−1 to 1), when they had one. */
  similarUsers?: number;
  /** Cold start: picked for popularity (`popular`), as a diverse catalog pick (`catalog`), or for the user's stated likes (`stated`). */
  pick?: 'popular' | 'catalog' | 'stated';
}

export interface RecommendationHit extends RankedHit {
  why: RecommendationExplanation;
}

export interface RecommendationPage extends RankedPage {
  items: RecommendationHit[];
  diversity: number;
  /** True when the list is the cold-start list (nothing liked yet to learn from). */
  coldStart: boolean;
}
