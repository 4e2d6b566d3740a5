export const INTERACTION_TYPES = ['like', 'dislike', 'rating', 'view', 'cooked'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** Opaque user ids from the client apps: safe in URLs and logs without escaping. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,128}$/;

/** One stored interaction, as the API returns it. */
export interface UserInteraction {
  id: string;
  userId: string;
  recipeId: string;
  type: InteractionType;
  /** Ratings only: the rating as sent, on `scale`. */
  value?: number;
  scale?: number;
  /** Ratings only: the rating on [-1, 1] (lowest → -1, middle → 0, highest → 1). */
  preference?: number;
  /** ISO 8601 time of the interaction. */
  at: string;
}

/** What the recommenders read: the signal, not the bookkeeping. */
export interface InteractionSignal {
  userId: string;
  recipeId: string;
  type: InteractionType;
  /** Ratings only (normalised); null for the other types. */
  preference: number | null;
  at: string;
}
