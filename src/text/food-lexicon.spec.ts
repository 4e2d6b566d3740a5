import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FoodLexicon, LexiconValidationError } from './food-lexicon';

describe('FoodLexicon', () => {
  const lexicon = FoodLexicon.load(undefined);

  it.each([
    ['盐', 'salt'],
    ['食用盐', 'salt'],
    ['食盐', 'salt'],
    ['Salt', 'salt'],
    ['鸡胸', 'chicken'],
    ['鸡腿', 'chicken'],
    ['手枪腿', 'chicken'],
    ['chicken thighs', 'chicken'],
    ['香菜', 'coriander'],
    ['芫荽', 'coriander'],
    ['cilantro', 'coriander'],
    ['coriander leaves', 'coriander'],
    ['西红柿', 'tomato'],
    ['番茄', 'tomato'],
    ['tomatoes', 'tomato'],
    ['鸡蛋', 'egg'],
    ['eggs', 'egg'],
    ['豆腐', 'tofu'],
    ['tofu', 'tofu'],
    ['paneer', 'paneer'],
  ])('resolves %s to %s', (surface, id) => {
    expect(lexicon.resolveIngredient(surface)?.id).toBe(id);
  });

  it('names for an exclusion what the narrower words of a broad word name: seafood, nuts', () => {
    const named = (word: string) => lexicon.allergenGroupsNamedBy(lexicon.lookup(word)!).sort();
    expect(named('seafood')).toEqual(['fish', 'shellfish']);
    expect(named('海鲜')).toEqual(['fish', 'shellfish']);
    expect(named('nuts')).toEqual(['peanut', 'tree-nut']);
    expect(named('坚果')).toEqual(['peanut', 'tree-nut']);
    expect(named('shrimp')).toEqual([]);
    expect(named('soy sauce')).toEqual([]);
  });

  it('keeps every food a line names that an allergy or a diet must see, beside its head', () => {
    const ids = (line: string) => lexicon.resolveIngredients(line).map((c) => c.id);
    expect(ids('猪肉白菜馅')).toEqual(expect.arrayContaining(['pork', 'napa-cabbage']));
    expect(ids('butter chicken')).toEqual(expect.arrayContaining(['chicken', 'butter']));
    expect(ids('fish stock')).toEqual(expect.arrayContaining(['broth', 'fish']));
    expect(ids('chopped peanuts, salt')).toEqual(expect.arrayContaining(['peanut', 'salt']));
    // Not a food inside the head's own word, one Chinese character, or one that adds nothing.
    expect(ids('白酱油')).toEqual(['soy-sauce']);
    expect(ids('奶白菜 200克')).not.toContain('milk');
    expect(ids('chopped onion')).toEqual(['onion']);
  });

  it('gives every concept an English name to show', () => {
    expect(lexicon.all().filter((c) => c.en.length === 0)).toEqual([]);
  });

  it('does not treat paneer as tofu', () => {
    expect(lexicon.isA('paneer', 'tofu')).toBe(false);
    expect(lexicon.isA('paneer', 'dairy')).toBe(true);
  });

  it.each([
    ['新鲜的鸡胸肉', 'chicken'],
    ['chopped onion', 'onion'],
    ['Maida flour', 'wheat-flour'],
    ['红椒', 'bell-pepper'],
    ['香菜（可选）', 'coriander'],
    ['大蒜（5-6 瓣）', 'garlic'],
    ['高筋面粉：400g', 'wheat-flour'],
    ['125ml 淡奶油', 'cream'],
    ['印度综合香料粉(Garam Masala)', 'garam-masala'],
    ['Chilli Peppers', 'chili-pepper'],
    ['curry leaves', 'indian-spice'],
    ['荔浦芋头（电商平台购买即可，实惠新鲜）', 'taro'],
    ['番茄酱', 'tomato-sauce'],
  ])('strips modifiers, amounts and notes: %s → %s', (name, id) => {
    expect(lexicon.resolveIngredient(name)?.id).toBe(id);
  });

  it('recognises tools so they can be left out', () => {
    expect(lexicon.resolveIngredient('厨房纸')?.kind).toBe('tool');
    expect(lexicon.resolveIngredient('平底锅')?.kind).toBe('tool');
  });

  it('splits lines naming several foods', () => {
    expect(lexicon.resolveIngredients('葱、姜、蒜').map((c) => c.id)).toEqual(['scallion', 'ginger', 'garlic']);
    expect(lexicon.resolveIngredients('ginger and garlic').map((c) => c.id)).toEqual(['ginger', 'garlic']);
  });

  it('reads a dish name for the foods it names, not those hidden in a tool, appliance or misnamed flavour', () => {
    const foods = (name: string) => lexicon.foodsNamedIn(name).map((f) => f.concept);
    expect(foods('电饭煲版卤鸡翅')).toEqual(['chicken']);
    expect(foods('rice cooker chicken')).toEqual(['chicken']);
    expect(foods('鱼香茄子')).toEqual(['eggplant']);
    expect(foods('打蛋器蛋糕')).toEqual(['egg']);
    // A flavour, method or course word names the foods it holds.
    expect(foods('蒜香鸡翅')).toEqual(['garlic', 'chicken']);
    expect(foods('蛋炒饭')).toEqual(['egg', 'rice']);
    expect(foods('egg fried rice')).toEqual(['egg', 'rice']);
    // Never at an allergen's cost: a savoury cake (咸蛋糕) still names the egg a quiche is made with.
    expect(foods('菠菜咸蛋糕').flatMap((id) => lexicon.allergensOf(id))).toContain('egg');
    expect(lexicon.foodsNamedIn('糖醋里脊')).toEqual([
      { concept: 'sugar', word: '糖' },
      { concept: 'vinegar', word: '醋' },
      { concept: 'pork', word: '里脊' },
    ]);
  });

  it('reads what a dish name says it is without: one word after 无 / 不含 / without / no, never advice', () => {
    expect(lexicon.refusedIn('三杯鸡（无九层塔版）')).toEqual(['basil']);
    expect(lexicon.refusedIn('无糖酸奶')).toEqual(['sugar']);
    expect(lexicon.refusedIn('cake without eggs')).toEqual(['egg']);
    expect(lexicon.refusedIn('No-bake cheesecake')).toEqual(['bake']);
    for (const name of ['微波炉版厚蛋烧（没芝士就别选了）', 'no knead bread', '无锡排骨', '去皮鸡胸肉', '宫保鸡丁']) {
      expect(lexicon.refusedIn(name)).toEqual([]);
    }
  });

  it('walks broader concepts', () => {
    expect(lexicon.ancestors('chicken')).toEqual(expect.arrayContaining(['poultry', 'meat']));
    expect(lexicon.ancestors('shrimp')).toEqual(expect.arrayContaining(['shellfish', 'seafood']));
    expect(lexicon.ancestors('beef')).toEqual(expect.arrayContaining(['red-meat', 'meat']));
    expect(lexicon.isA('carp', 'fish')).toBe(true);
    expect(lexicon.descendants('poultry')).toContain('chicken');
  });

  it('inherits allergens and staples from broader concepts', () => {
    expect(lexicon.allergensOf('shrimp')).toEqual(['shellfish']);
    expect(lexicon.allergensOf('salmon')).toEqual(['fish']);
    expect(lexicon.allergensOf('ghee')).toEqual(['dairy']);
    expect(lexicon.allergensOf('peanut')).toEqual(['peanut']);
    expect(lexicon.allergensOf('soy-sauce')).toEqual(expect.arrayContaining(['soy', 'gluten']));
    expect(lexicon.isStaple('salt')).toBe(true);
    expect(lexicon.isStaple('cooking-oil')).toBe(true);
    expect(lexicon.isStaple('water')).toBe(true);
    expect(lexicon.isStaple('chicken')).toBe(false);
    expect(lexicon.isStaple('soy-sauce')).toBe(false);
  });

  it('maps importer category slugs to course concepts', () => {
    expect(lexicon.courseForCategory('seafood')?.id).toBe('seafood-dish');
    expect(lexicon.courseForCategory('soup')?.id).toBe('soup');
    expect(lexicon.courseForCategory('first-course')?.id).toBe('first-course');
  });

  it('offers Chinese surface forms for the segmenter', () => {
    const forms = lexicon.chineseSurfaceForms();
    expect(forms).toEqual(expect.arrayContaining(['手枪腿', '芫荽', '宫保鸡丁']));
    expect(forms.every((f) => !/[a-z]/i.test(f) || /[\u4e00-\u9fff]/.test(f))).toBe(true);
  });

  it('rejects a surface form claimed by two concepts, naming both', () => {
    const build = () =>
      new FoodLexicon([
        { name: 'a.json', data: { kind: 'ingredient', concepts: [{ id: 'coriander', zh: ['香菜'], en: ['cilantro'] }] } },
        { name: 'b.json', data: { kind: 'ingredient', concepts: [{ id: 'parsley', zh: ['欧芹'], en: ['Cilantro'] }] } },
      ]);
    expect(build).toThrow(LexiconValidationError);
    expect(build).toThrow(/"Cilantro" belongs to both "coriander" \(a\.json\) and "parsley" \(b\.json\)/);
  });

  it('rejects unknown parents, allergen groups and cycles', () => {
    const build = () =>
      new FoodLexicon([
        {
          name: 'x.json',
          data: {
            kind: 'ingredient',
            concepts: [
              { id: 'a', zh: [], en: ['a food'], parents: ['b'], allergens: ['mustard'] },
              { id: 'b', zh: [], en: ['b food'], parents: ['a'] },
              { id: 'c', zh: [], en: ['c food'], parents: ['nowhere'] },
            ],
          },
        },
      ]);
    expect(build).toThrow(/unknown allergen group "mustard"/);
    expect(build).toThrow(/unknown parent "nowhere"/);
    expect(build).toThrow(/"a" is its own ancestor/);
  });

  it('lets an operator file redefine and add concepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexicon-'));
    const file = join(dir, 'extra.json');
    writeFileSync(
      file,
      JSON.stringify({
        kind: 'ingredient',
        concepts: [
          { id: 'salt', zh: ['盐', '食用盐', '食盐', '竹盐'], en: ['salt'], staple: true },
          { id: 'durian', zh: ['榴莲肉'], en: ['durian'], parents: ['fruit'] },
        ],
      }),
    );
    const extended = FoodLexicon.load(file);
    expect(extended.resolveIngredient('竹盐')?.id).toBe('salt');
    expect(extended.resolveIngredient('durian')?.id).toBe('durian');
    // The redefinition replaces the whole concept: its old synonyms are gone as exact forms.
    expect(extended.lookup('精盐')).toBeUndefined();
    expect(lexicon.lookup('精盐')?.id).toBe('salt');
  });
});
