/** Stated preferences, as the user wrote them (words in either language). */
export interface UserPreferences {
  userId: string;
  /** Diets every dish must allow (vegetarian, 素食…). Hard filter. */
  diet: string[];
  /** Allergen or food words (peanut, 花生, shellfish): dishes with them or their allergen group never come. Hard filter. */
  allergies: string[];
  /** Ingredients never wanted (pork, 香菜). Hard filter. */
  exclude: string[];
  likedCuisines: string[];
  likedIngredients: string[];
  dislikedCuisines: string[];
  dislikedIngredients: string[];
  /** ISO time of the last PUT; null when the user never stated anything. */
  updatedAt: string | null;
}

/** Stated tastes as lexicon concept ids, for ranking. */
export interface StatedTastes {
  likedCuisines: string[];
  likedIngredients: string[];
  dislikedCuisines: string[];
  dislikedIngredients: string[];
}

export const EMPTY_PREFERENCES = (userId: string): UserPreferences => ({
  userId,
  diet: [],
  allergies: [],
  exclude: [],
  likedCuisines: [],
  likedIngredients: [],
  dislikedCuisines: [],
  dislikedIngredients: [],
  updatedAt: null,
});
