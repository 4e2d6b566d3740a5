import { FoodLexicon } from '../text/food-lexicon';
import { hasConstraint, mergeQueryFilter, resolveFilterParams } from './search-filters';
import { emptyParsedQuery } from '../text/query-parser';

describe('search filters', () => {
  const lexicon = FoodLexicon.load(undefined);

  it('resolves exclusions in either language and names unknown words', () => {
    const resolved = resolveFilterParams(lexicon, { exclude: '香菜, peanut，florbix' });
    expect(resolved.filter.excludeConcepts).toEqual(['coriander', 'peanut']);
    expect(resolved.filter.excludeAllergens).toEqual(['peanut']);
    expect(resolved.unknownExclusions).toEqual(['florbix']);
  });

  it('maps course and cuisine words to slugs, a broad cuisine with its regional ones, and checks diets', () => {
    const resolved = resolveFilterParams(lexicon, { category: '甜品', cuisine: 'chinese', diet: '素食,keto-ish', maxMinutes: 20 });
    expect(resolved.filter.categories).toEqual(['dessert']);
    expect(resolved.filter.cuisines).toEqual(expect.arrayContaining(['chinese', 'sichuan']));
    expect(resolved.filter.diets).toEqual(['vegetarian']);
    expect(resolved.filter.maxMinutes).toBe(20);
    expect(resolved.unknownDiets).toEqual(['keto-ish']);
  });

  it('adds text constraints to explicit ones; the tighter time wins', () => {
    const parsed = { ...emptyParsedQuery(), excludedIngredients: ['coconut'], diets: ['vegan'], maxMinutes: 30 };
    const merged = mergeQueryFilter(parsed, { excludeConcepts: ['peanut'], maxMinutes: 20 });
    expect(merged).toEqual({ excludeConcepts: ['peanut', 'coconut'], diets: ['vegan'], maxMinutes: 20 });
    expect(hasConstraint({})).toBe(false);
    expect(hasConstraint(merged)).toBe(true);
  });
});
