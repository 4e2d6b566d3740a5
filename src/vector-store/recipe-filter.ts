import type { RecipeFilter, RecipePayload } from './vector-store.port';

export type RecipePredicate = (id: string, payload: RecipePayload) => boolean;

/** `ids: []` asks for nothing at all; every other empty list means "no constraint". */
export function filterMatchesNothing(filter: RecipeFilter | undefined): boolean {
  return filter?.ids !== undefined && filter.ids.length === 0;
}

const present = (list: string[] | undefined): list is string[] => list !== undefined && list.length > 0;

/**
 * Compiles the filter once per query into a closure over Sets, so the per-point check in the
 * scan is a handful of hash lookups. Returns null when the filter constrains nothing, letting the
 * scan skip the mask entirely.
 */
export function compileRecipeFilter(filter: RecipeFilter | undefined): RecipePredicate | null {
  if (!filter) return null;
  const checks: RecipePredicate[] = [];
  const anyOf = (values: string[] | undefined, pick: (p: RecipePayload) => string | null): void => {
    if (!present(values)) return;
    const set = new Set(values);
    checks.push((_, p) => {
      const value = pick(p);
      return value !== null && set.has(value);
    });
  };
  const noneOf = (values: string[] | undefined, pick: (p: RecipePayload) => string[]): void => {
    if (!present(values)) return;
    const set = new Set(values);
    checks.push((_, p) => !pick(p).some((v) => set.has(v)));
  };

  if (filter.ids !== undefined) {
    const ids = new Set(filter.ids);
    checks.push((id) => ids.has(id));
  }
  if (present(filter.excludeIds)) {
    const excluded = new Set(filter.excludeIds);
    checks.push((id) => !excluded.has(id));
  }
  anyOf(filter.sources, (p) => p.source);
  anyOf(filter.languages, (p) => p.language);
  anyOf(filter.categories, (p) => p.category);
  anyOf(filter.cuisines, (p) => p.cuisine);
  if (present(filter.diets)) {
    const diets = [...new Set(filter.diets)];
    checks.push((_, p) => diets.every((d) => p.diets.includes(d)));
  }
  noneOf(filter.excludeAllergens, (p) => p.allergens);
  noneOf(filter.excludeConcepts, (p) => p.concepts);
  if (filter.maxMinutes !== undefined) {
    const max = filter.maxMinutes;
    const requireMinutes = filter.requireMinutes === true;
    checks.push((_, p) => (p.totalMinutes === null ? !requireMinutes : p.totalMinutes <= max));
  } else if (filter.requireMinutes) {
    checks.push((_, p) => p.totalMinutes !== null);
  }

  if (checks.length === 0) return null;
  if (checks.length === 1) return checks[0];
  return (id, p) => {
    for (const check of checks) if (!check(id, p)) return false;
    return true;
  };
}
