import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { FieldProblem, validationFailed } from '../common/validation';
import { wordsOf } from '../common/validation-decorators';
import { resolveFilterParams, resolveFilters } from '../search/search-filters';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeFilter } from '../vector-store/vector-store.port';
import { UserPreferencesDto } from './dto/user-preferences.dto';
import { userIdProblems } from './interaction-validation';
import { UserPreferencesRepository } from './user-preferences.repository';
import { EMPTY_PREFERENCES, StatedTastes, UserPreferences } from './user-preferences.types';

const CUISINE = new Set(['cuisine'] as const);
const INGREDIENT = new Set(['ingredient'] as const);

/**
 * Stated preferences: stored as written, checked against the lexicon when written (an unknown
 * word is a 400, as in a request filter: an allergy must never be silently dropped), and turned
 * into a hard filter by the same rule every route uses (resolveFilters).
 */
@Injectable()
export class UserPreferencesService {
  constructor(
    private readonly repository: UserPreferencesRepository,
    private readonly lexicon: FoodLexicon,
  ) {}

  async get(userId: string): Promise<UserPreferences> {
    this.checkUserId(userId);
    return (await this.repository.find(userId)) ?? EMPTY_PREFERENCES(userId);
  }

  async put(userId: string, body: UserPreferencesDto): Promise<UserPreferences> {
    this.checkUserId(userId);
    const preferences: UserPreferences = {
      userId,
      diet: unique(wordsOf(body.diet)),
      exclude: unique(wordsOf(body.exclude)),
      allergies: unique(wordsOf(body.allergies)),
      likedCuisines: unique(wordsOf(body.likedCuisines)),
      likedIngredients: unique(wordsOf(body.likedIngredients)),
      dislikedCuisines: unique(wordsOf(body.dislikedCuisines)),
      dislikedIngredients: unique(wordsOf(body.dislikedIngredients)),
      updatedAt: new Date().toISOString(),
    };
    const problems: FieldProblem[] = [];
    try {
      resolveFilters(this.lexicon, { diet: preferences.diet, exclude: preferences.exclude });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(...((error.details as FieldProblem[] | undefined) ?? []));
    }
    const unknownAllergies = resolveFilterParams(this.lexicon, { allergies: preferences.allergies }).unknownExclusions;
    if (unknownAllergies.length > 0)
      problems.push({ field: 'allergies', problems: [`unknown allergen or food(s): ${unknownAllergies.join(', ')}`] });
    for (const field of ['likedCuisines', 'dislikedCuisines'] as const) {
      const unknown = preferences[field].filter((w) => !this.lexicon.lookup(w, CUISINE));
      if (unknown.length > 0) problems.push({ field, problems: [`unknown cuisine(s): ${unknown.join(', ')}`] });
    }
    for (const field of ['likedIngredients', 'dislikedIngredients'] as const) {
      const unknown = preferences[field].filter((w) => !this.ingredient(w));
      if (unknown.length > 0) problems.push({ field, problems: [`unknown ingredient(s): ${unknown.join(', ')}`] });
    }
    if (problems.length > 0) {
      throw new AppError(ErrorCode.ValidationFailed, 'Unknown word(s) in preferences; nothing was stored', problems);
    }
    await this.repository.save({ ...preferences, updatedAt: preferences.updatedAt! });
    return preferences;
  }

  /**
   * The user's hard filter (diets, allergies, exclusions), or undefined when they stated none.
   * An allergy excludes its concept and every allergen group in or under it (soy → soy sauce
   * too; see FoodLexicon.allergenGroupsWithin).
   */
  async filterFor(userId: string): Promise<RecipeFilter | undefined> {
    this.checkUserId(userId);
    const stored = await this.repository.find(userId);
    if (!stored || stored.diet.length + stored.exclude.length + stored.allergies.length === 0) return undefined;
    return resolveFilters(this.lexicon, { diet: stored.diet, exclude: stored.exclude, allergies: stored.allergies });
  }

  /** Stored filter and stated tastes together, for the user's recommendations. */
  async forRanking(userId: string): Promise<{ filter?: RecipeFilter; tastes?: StatedTastes }> {
    const stored = await this.repository.find(userId);
    if (!stored) return {};
    const filter = await this.filterFor(userId);
    const cuisines = (words: string[]) =>
      unique(
        words.flatMap((w) => {
          const c = this.lexicon.lookup(w, CUISINE);
          return c ? [c.id, ...this.lexicon.descendants(c.id)] : [];
        }),
      );
    const ingredients = (words: string[]) =>
      unique(words.map((w) => this.ingredient(w)?.id).filter((id): id is string => id !== undefined));
    const tastes: StatedTastes = {
      likedCuisines: cuisines(stored.likedCuisines),
      likedIngredients: ingredients(stored.likedIngredients),
      dislikedCuisines: cuisines(stored.dislikedCuisines),
      dislikedIngredients: ingredients(stored.dislikedIngredients),
    };
    const any = Object.values(tastes).some((list) => list.length > 0);
    return { filter, tastes: any ? tastes : undefined };
  }

  private ingredient(word: string) {
    const concept = this.lexicon.lookup(word, INGREDIENT) ?? this.lexicon.resolveIngredient(word);
    return concept && concept.kind === 'ingredient' ? concept : undefined;
  }

  private checkUserId(userId: string): void {
    const problems = userIdProblems(userId);
    if (problems.length > 0) throw validationFailed(problems);
  }
}

/** Each word once, the first spelling kept: "Peanut" and "ＰＥＡＮＵＴ" are "peanut" written twice. */
function unique(words: string[]): string[] {
  const seen = new Map<string, string>();
  for (const word of words) {
    const key = word.normalize('NFKC').toLowerCase();
    if (!seen.has(key)) seen.set(key, word);
  }
  return [...seen.values()];
}
