import { RecipeFilter } from '../vector-store/vector-store.port';

/**
 * A request's filter narrowed by the user's stored one: exclusions, allergens and diets add up,
 * the tighter time wins. Both were resolved by the one filter rule (resolveFilters); this only
 * takes their union, so a stored allergy can never be loosened by a request.
 */
export function withUserFilter(filter: RecipeFilter, user: RecipeFilter | undefined): RecipeFilter {
  if (!user) return filter;
  const union = (a?: readonly string[], b?: readonly string[]) => {
    const all = [...new Set([...(a ?? []), ...(b ?? [])])];
    return all.length > 0 ? all : undefined;
  };
  const out: RecipeFilter = { ...filter };
  const excludeConcepts = union(filter.excludeConcepts, user.excludeConcepts);
  const excludeAllergens = union(filter.excludeAllergens, user.excludeAllergens);
  const diets = union(filter.diets, user.diets);
  if (excludeConcepts) out.excludeConcepts = excludeConcepts;
  if (excludeAllergens) out.excludeAllergens = excludeAllergens;
  if (diets) out.diets = diets;
  const times = [filter.maxMinutes, user.maxMinutes].filter((m): m is number => m !== undefined);
  if (times.length > 0) out.maxMinutes = Math.min(...times);
  return out;
}
