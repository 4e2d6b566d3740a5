import { normalizeIngredientName } from './ingredient-normalizer';

describe('normalizeIngredientName', () => {
  it.each([
    ['chopped fresh cilantro', 'cilantro'],
    ['2 cups chopped fresh cilantro leaves', 'cilantro leaf'],
    ['boneless skinless chicken thighs', 'chicken thigh'],
    ['1 1/2 lbs boneless, skinless chicken breasts, cut into 1-inch pieces', 'chicken breast'],
    ['kosher salt', 'salt'],
    ['Kosher salt and freshly ground black pepper, to taste', 'salt and black pepper'],
    ['freshly ground black pepper', 'black pepper'],
    ['1 lb ground beef', 'ground beef'],
    ['ground turkey', 'ground turkey'],
    ['2 tsp ground cumin', 'cumin'],
    ['3 cloves garlic, minced', 'garlic'],
    ['4 garlic cloves', 'garlic'],
    ['1/2 tsp whole cloves', 'whole clove'],
    ['1 (14.5 oz) can diced tomatoes', 'tomato'],
    ['2 large eggs, beaten', 'egg'],
    ['½ cup extra-virgin olive oil', 'olive oil'],
    ['1 tablespoon unsalted butter, melted', 'butter'],
    ['butter or margarine', 'butter'],
    ['pinch of salt', 'salt'],
    ['Hellmann’s® Real Mayonnaise', 'real mayonnaise'],
    ['low-sodium chicken broth', 'chicken broth'],
    ['gluten-free flour', 'gluten free flour'],
    ['shredded cheddar cheese (optional)', 'cheddar cheese'],
    ['corn tortillas, warmed', 'corn tortilla'],
    ['2 cups frozen peas, thawed', 'pea'],
    ['molasses', 'molasses'],
    ['fresh mint leaves, for garnish', 'mint leaf'],
    ['Hot sauce', 'hot sauce'],
    ['fresh', ''],
    ['2 cups', ''],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIngredientName(raw)).toBe(expected);
  });

  it('gives one name to the ways a catalog writes one ingredient', () => {
    const forms = ['Cilantro', 'fresh cilantro', '1/4 cup chopped cilantro', 'cilantro, to taste', 'CILANTRO (fresh)'];
    expect(new Set(forms.map(normalizeIngredientName))).toEqual(new Set(['cilantro']));
  });

  it('keeps Chinese names to their characters, without amounts', () => {
    expect(normalizeIngredientName('商芝 20克')).toBe('商芝');
    expect(normalizeIngredientName('豆母子 适量')).toBe('豆母子');
  });

  it('is idempotent', () => {
    for (const raw of ['1 lb ground beef', 'boneless skinless chicken thighs', 'whole cloves', '2 large eggs, beaten']) {
      const once = normalizeIngredientName(raw);
      expect(normalizeIngredientName(once)).toBe(once);
    }
  });
});
