import { FoodLexicon } from '../text/food-lexicon';
import { AppError } from '../common/app-error';
import { hasConstraint, mergeQueryFilter, resolveFilterParams, resolveFilters } from './search-filters';
import { emptyParsedQuery, QueryParser } from '../text/query-parser';
import { TextAnalyzer } from '../text/text-analyzer';

describe('search filters', () => {
  const lexicon = FoodLexicon.load(undefined);

  it('resolves exclusions in either language and names unknown words', () => {
    const resolved = resolveFilterParams(lexicon, { exclude: '香菜, peanut，florbix' });
    expect(resolved.filter.excludeConcepts).toEqual(['coriander', 'peanut']);
    expect(resolved.filter.excludeAllergens).toEqual(['peanut']);
    expect(resolved.unknownExclusions).toEqual(['florbix']);
  });

  it('an allergy rules out every allergen group in or under its concept, where the lexicon files a food elsewhere too', () => {
    // Soy sauce, pesto and oyster sauce are sauces in the lexicon, not soy, nuts or seafood.
    const dish = (ingredient: string) => ({
      concepts: [ingredient, ...lexicon.ancestors(ingredient)],
      allergens: lexicon.allergensOf(ingredient),
    });
    for (const [allergy, ingredient, group] of [
      ['soy', 'soy-sauce', 'soy'],
      ['大豆', 'soy-sauce', 'soy'],
      ['tree nuts', 'pesto', 'tree-nut'],
      ['坚果', 'pesto', 'tree-nut'],
      ['海鲜', 'oyster-sauce', 'shellfish'],
      ['seafood', 'fish-sauce', 'fish'],
      ['花生', 'peanut', 'peanut'],
    ]) {
      const { filter, unknownExclusions } = resolveFilterParams(lexicon, { allergies: [allergy] });
      expect(unknownExclusions).toEqual([]);
      expect(dish(ingredient).allergens).toContain(group);
      expect(filter.excludeAllergens).toContain(group);
    }
  });

  it('a word naming several foods excludes every one of them, and one naming an unknown part is refused', () => {
    for (const word of ['花生和虾', '虾和花生', 'peanut and shrimp', 'shrimp/peanut', '花生或虾', '对虾和花生过敏']) {
      const { filter, unknownExclusions } = resolveFilterParams(lexicon, { allergies: [word] });
      expect(unknownExclusions).toEqual([]);
      expect(filter.excludeAllergens).toEqual(expect.arrayContaining(['peanut', 'shellfish']));
    }
    const both = resolveFilterParams(lexicon, { exclude: ['coriander and pork', 'milk & eggs'] }).filter;
    for (const food of ['coriander', 'pork', 'milk', 'egg']) expect(both.excludeConcepts).toContain(lexicon.lookup(food)!.id);
    expect(resolveFilterParams(lexicon, { exclude: ['peanut and florbix'] }).unknownExclusions).toEqual(['peanut and florbix']);
    // One food, however it is written, is still one.
    expect(resolveFilterParams(lexicon, { exclude: ['chopped fresh cilantro'] }).filter.excludeConcepts).toEqual(['coriander']);
  });

  it('a stored nut allergy rules out peanuts as the same words typed in a query do', () => {
    const parser = new QueryParser(new TextAnalyzer(lexicon));
    for (const [word, typed] of [
      ['坚果', '坚果过敏'],
      ['nuts', 'nut allergy'],
    ]) {
      const stored = resolveFilterParams(lexicon, { allergies: [word] }).filter.excludeAllergens;
      expect(stored).toEqual(expect.arrayContaining(['tree-nut', 'peanut']));
      expect([...stored!].sort()).toEqual([...parser.parse(typed).excludedAllergens].sort());
    }
    // An exclusion of the word keeps out what nut-free does: pesto's tree nuts, and peanuts.
    for (const word of ['坚果', 'nuts']) {
      expect(resolveFilterParams(lexicon, { exclude: [word] }).filter.excludeAllergens?.sort()).toEqual(['peanut', 'tree-nut']);
    }
    expect(resolveFilterParams(lexicon, { exclude: ['seafood'] }).filter.excludeAllergens?.sort()).toEqual(['fish', 'shellfish']);
  });

  it('maps course and cuisine words to slugs, a broad cuisine with its regional ones, and checks diets', () => {
    const resolved = resolveFilterParams(lexicon, { category: '甜品', cuisine: 'chinese', diet: '素食,keto-ish', maxMinutes: 20 });
    expect(resolved.filter.categories).toEqual(['dessert']);
    expect(resolved.filter.cuisines).toEqual(expect.arrayContaining(['chinese', 'sichuan']));
    expect(resolved.filter.diets).toEqual(['vegetarian']);
    expect(resolved.filter.maxMinutes).toBe(20);
    expect(resolved.unknownDiets).toEqual(['keto-ish']);
  });

  it('reads a list of words the same as the comma-separated string', () => {
    const fromString = resolveFilterParams(lexicon, { exclude: '香菜,peanut', diet: 'vegetarian,无麸质' });
    const fromList = resolveFilterParams(lexicon, { exclude: ['香菜', 'peanut'], diet: ['vegetarian', '无麸质'] });
    expect(fromList).toEqual(fromString);
    expect(fromList.unknownDiets).toEqual([]);
  });

  it('gives Chinese and English filter words the same filter', () => {
    const zh = resolveFilters(lexicon, { category: '肉菜', cuisine: '川菜', diet: '素食', exclude: '香菜' });
    const en = resolveFilters(lexicon, { category: 'meat-dish', cuisine: 'sichuan', diet: 'vegetarian', exclude: 'coriander' });
    expect(zh).toEqual(en);
    expect(en).toMatchObject({ categories: ['meat-dish'], cuisines: ['sichuan'], diets: ['vegetarian'], excludeConcepts: ['coriander'] });
  });

  it('refuses unknown diets and exclusions with one error, the fields named where the filters sit', () => {
    const refusal = (prefix: string) => {
      try {
        resolveFilters(lexicon, { diet: 'keto-ish', exclude: ['florbix'] }, prefix);
      } catch (error) {
        return error as AppError;
      }
      throw new Error('not refused');
    };
    expect(refusal('')).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'Unknown word(s) in filters: "florbix", "keto-ish"; nothing was excluded',
      details: [
        { field: 'exclude', problems: ['unknown ingredient(s): florbix'] },
        { field: 'diet', problems: ['unknown diet(s): keto-ish'] },
      ],
    });
    expect(refusal('filters.').details).toEqual([
      { field: 'filters.exclude', problems: ['unknown ingredient(s): florbix'] },
      { field: 'filters.diet', problems: ['unknown diet(s): keto-ish'] },
    ]);
    expect(resolveFilters(lexicon, undefined)).toEqual({});
  });

  it('adds text constraints to explicit ones; the tighter time wins', () => {
    const parsed = { ...emptyParsedQuery(), excludedIngredients: ['coconut'], diets: ['vegan'], maxMinutes: 30 };
    const merged = mergeQueryFilter(parsed, { excludeConcepts: ['peanut'], maxMinutes: 20 });
    expect(merged).toEqual({ excludeConcepts: ['peanut', 'coconut'], diets: ['vegan'], maxMinutes: 20 });
    expect(hasConstraint({})).toBe(false);
    expect(hasConstraint(merged)).toBe(true);
  });
});
