import { RecipeInput } from '../recipes/recipe.types';
import { FoodLexicon } from './food-lexicon';
import { RecipeAnalyzer } from './recipe-analyzer';
import { TextAnalyzer } from './text-analyzer';

describe('RecipeAnalyzer', () => {
  const lexicon = FoodLexicon.load(undefined);
  const text = new TextAnalyzer(lexicon);
  const analyzer = new RecipeAnalyzer(lexicon, text);

  const recipe = (partial: Omit<Partial<RecipeInput>, 'ingredients'> & { ingredients: string[] }): RecipeInput => ({
    name: 'dish',
    source: 'howtocook',
    sourceId: 'x',
    ...partial,
    ingredients: partial.ingredients.map((name) => ({ name })),
  });

  it('resolves ingredients, writes their concepts and leaves tools out', () => {
    const input = recipe({ name: '宫保鸡丁', ingredients: ['鸡胸肉', '花生米', '干辣椒', '食用盐', '平底锅', '神秘配料'] });
    const analysis = analyzer.analyze(input);
    expect(analysis.ingredientConcepts).toEqual(['chicken', 'peanut', 'dried-chili', 'salt']);
    expect(analysis.unresolvedIngredients).toEqual(['神秘配料']);
    expect(input.ingredients.map((i) => i.concept)).toEqual(['chicken', 'peanut', 'dried-chili', 'salt', undefined, undefined]);
    expect(analysis.allergens).toEqual(['peanut']);
    expect(analysis.propertyConcepts).toContain('kung-pao');
    expect(analysis.terms).toEqual(expect.arrayContaining(['chicken', 'peanut', 'kung-pao']));
  });

  it('takes properties from category, cuisine, methods, flavors, tags and name words', () => {
    const analysis = analyzer.analyze(
      recipe({
        name: '红烧排骨',
        category: 'meat-dish',
        cuisine: 'Chinese',
        methods: ['焖'],
        flavors: ['spicy'],
        tags: ['川菜'],
        ingredients: ['排骨'],
      }),
    );
    expect(analysis.propertyConcepts).toEqual(expect.arrayContaining(['meat-dish', 'chinese', 'braise', 'spicy', 'sichuan', 'red-braise']));
    expect(analyzer.analyze(recipe({ name: '香辣土豆丝', category: 'seafood', ingredients: ['土豆'] })).propertyConcepts).toEqual(
      expect.arrayContaining(['spicy', 'seafood-dish']),
    );
  });

  it('tastes chili and Sichuan pepper in a dish that needs them, not in one where they are optional', () => {
    const fish = analyzer.analyze(recipe({ name: '水煮鱼', ingredients: ['草鱼', '干辣椒', '花椒'] }));
    expect(fish.propertyConcepts).toEqual(expect.arrayContaining(['spicy', 'numbing']));
    const mild = analyzer.analyze({
      ...recipe({ name: '清炒土豆丝', ingredients: ['土豆'] }),
      ingredients: [{ name: '土豆' }, { name: '干辣椒', optional: true }],
    });
    expect(mild.propertyConcepts).not.toContain('spicy');
    const peppers = analyzer.analyze(recipe({ name: '地三鲜', ingredients: ['土豆', '茄子', '青椒'] }));
    expect(peppers.propertyConcepts).not.toContain('spicy');
  });

  it('reads how a dish is cooked from the appliance in its tool list', () => {
    const analysis = analyzer.analyze(recipe({ name: '卤鸡腿', ingredients: ['鸡腿'], tools: ['电饭煲'] }));
    expect(analysis.propertyConcepts).toContain('rice-cooker');
    const fryer = analyzer.analyze(recipe({ name: '鸡翅', ingredients: ['鸡翅'], tools: ['空气炸锅'] }));
    expect(fryer.propertyConcepts).toContain('air-fry');
  });

  it('finds no diet that a known dish’s own ingredients break, where the source lists fewer', () => {
    // 麻婆豆腐 is made with beef and 宫保鸡丁 with peanuts, whatever a source wrote down.
    const mapo = analyzer.analyze(recipe({ name: '麻婆豆腐', ingredients: ['豆腐'] }));
    expect(mapo.diets).not.toContain('vegetarian');
    expect(mapo.diets).not.toContain('vegan');
    const kungPao = analyzer.analyze(recipe({ name: '宫保鸡丁', ingredients: ['鸡胸肉'] }));
    expect(kungPao.diets).not.toContain('nut-free');
    // A dish the lexicon does not know keeps what its list allows.
    expect(analyzer.analyze(recipe({ name: '家常豆腐', ingredients: ['豆腐', '青椒'] })).diets).toContain('vegetarian');
  });

  it('reads a known dish under its bracketed notes, and lists the allergens its name implies', () => {
    for (const name of ['宫保鸡丁（家常版）', 'Kung pao chicken (easy)', '【快手】宫保鸡丁']) {
      const analysis = analyzer.analyze(recipe({ name, ingredients: ['鸡胸肉', '干辣椒', '葱'] }));
      expect(analysis.diets).not.toContain('nut-free');
      expect(analysis.allergens).toContain('peanut');
    }
    // Shrimp in the name, only egg in the list: the recipe shows both allergens.
    expect(analyzer.analyze(recipe({ name: '虾仁滑蛋', ingredients: ['鸡蛋', '盐'] })).allergens).toEqual(['egg', 'shellfish']);
    // A note that refuses the food still does.
    expect(analyzer.analyze(recipe({ name: '宫保鸡丁（无花生版）', ingredients: ['鸡胸肉'] })).allergens).not.toContain('peanut');
  });

  it('finds no meat-free diet in a vegetable dish with minced meat', () => {
    const analysis = analyzer.analyze(recipe({ name: '肉末茄子', category: 'vegetable-dish', ingredients: ['茄子', '肉末', '生抽'] }));
    expect(analysis.diets).not.toContain('vegetarian');
    expect(analysis.diets).not.toContain('vegan');
    expect(analysis.diets).not.toContain('pescatarian');
  });

  it('derives vegetarian, vegan, pescatarian and the "-free" diets from ingredients', () => {
    expect(analyzer.analyze(recipe({ ingredients: ['番茄', '鸡蛋', '盐', '食用油'] })).diets).toEqual([
      'vegetarian',
      'pescatarian',
      'gluten-free',
      'dairy-free',
      'nut-free',
    ]);
    expect(analyzer.analyze(recipe({ ingredients: ['土豆', '青椒', '醋'] })).diets).toContain('vegan');
    expect(analyzer.analyze(recipe({ ingredients: ['Clams', 'Spaghetti'] })).diets).toEqual(['pescatarian', 'dairy-free', 'nut-free']);
    expect(analyzer.analyze(recipe({ ingredients: ['paneer', 'spinach'] })).diets).toEqual([
      'vegetarian',
      'pescatarian',
      'gluten-free',
      'nut-free',
    ]);
    expect(analyzer.analyze(recipe({ ingredients: ['蜂蜜', '柠檬'] })).diets).not.toContain('vegan');
    expect(analyzer.analyze(recipe({ ingredients: ['青菜', '蚝油'] })).diets).not.toContain('vegetarian');
  });

  it('does not claim vegan or dairy-free for a dish whose name names egg, meat or milk, or whose list is too thin', () => {
    const eggNoodles = analyzer.analyze(recipe({ name: '煎蛋方便面', ingredients: ['方便面'] })).diets;
    expect(eggNoodles).not.toContain('vegan');
    expect(eggNoodles).not.toContain('dairy-free');
    expect(analyzer.analyze(recipe({ name: '奶汤方便面', ingredients: ['方便面', '青菜'] })).diets).not.toContain('dairy-free');
    expect(analyzer.analyze(recipe({ name: '牛肉炒饭', ingredients: ['米饭', '洋葱'] })).diets).not.toContain('vegetarian');
    expect(analyzer.analyze(recipe({ name: 'plain noodles', ingredients: ['noodles', 'salt'] })).diets).not.toContain('vegan');
    // A full list and an innocent name still earn the labels.
    expect(analyzer.analyze(recipe({ name: '醋溜土豆丝', ingredients: ['土豆', '青椒', '醋'] })).diets).toContain('vegan');
  });

  it('does not count a food the name says the dish is without, and keeps what the list has', () => {
    const terms = (name: string, ingredients: string[]) => analyzer.analyze(recipe({ name, ingredients })).terms;
    expect(terms('三杯鸡（无九层塔版）', ['鸡肉'])).not.toContain('basil');
    expect(terms('早餐白面包（无鸡蛋版）', ['面包'])).not.toContain('egg');
    expect(terms('无米炒饭', ['花菜', '鸡蛋'])).not.toContain('rice');
    expect(terms('cake without eggs', ['flour', 'sugar'])).not.toContain('egg');
    // The rest of the name still counts; a name that negates nothing keeps every food it names.
    expect(terms('三杯鸡（无九层塔版）', ['鸡肉'])).toEqual(expect.arrayContaining(['chicken', '三杯']));
    expect(terms('牛肉炒饭', ['米饭'])).toEqual(expect.arrayContaining(['beef', 'rice']));
    // Advice is no refusal: without cheese, don't pick this one (it needs the cheese it does not list).
    expect(terms('微波炉版厚蛋烧（没芝士就别选了）', ['鸡蛋', '包菜'])).toContain('cheese');
    // The ingredient list is the fact: an egg it lists stays an egg, and an allergen.
    const listed = analyzer.analyze(recipe({ name: '无鸡蛋版蛋糕', ingredients: ['鸡蛋', '面粉'] }));
    expect(listed.ingredientConcepts).toContain('egg');
    expect(listed.allergens).toContain('egg');
  });

  it('claims vegan and "-free" diets only when every ingredient resolved', () => {
    const diets = analyzer.analyze(recipe({ ingredients: ['土豆', '神秘配料'] })).diets;
    expect(diets).toEqual(['vegetarian', 'pescatarian']);
  });

  it('honours a source that denies a vegetarian diet, and never trusts a claim over the ingredients', () => {
    const nonVeg = recipe({ source: 'indian-food-101', diets: [], ingredients: ['potato', 'peas'] });
    expect(analyzer.analyze(nonVeg).diets).not.toContain('vegetarian');
    const veg = recipe({ source: 'indian-food-101', diets: ['vegetarian'], ingredients: ['potato', 'peas'] });
    expect(analyzer.analyze(veg).diets).toContain('vegetarian');
    const wrongClaim = recipe({ source: 'indian-food-101', diets: ['vegetarian'], ingredients: ['chicken', 'rice'] });
    expect(analyzer.analyze(wrongClaim).diets).not.toContain('vegetarian');
    const explicitNo = recipe({ source: 'other', diets: ['non vegetarian'], ingredients: ['rice'] });
    expect(analyzer.analyze(explicitNo).diets).not.toContain('vegetarian');
  });

  it('collects allergens through broader concepts', () => {
    const analysis = analyzer.analyze(recipe({ ingredients: ['Prawn', 'Butter', 'Flour', 'sesame seeds', '花生酱'] }));
    expect(analysis.allergens).toEqual(['dairy', 'gluten', 'peanut', 'sesame', 'shellfish']);
  });

  it('builds terms from concept ids and the words of the name', () => {
    const analysis = analyzer.analyze(
      recipe({ name: 'Spaghetti alle vongole', source: 'italian-giallozafferano', ingredients: ['Spaghetti', 'Clams'] }),
    );
    expect(analysis.terms).toEqual(expect.arrayContaining(['pasta', 'clam', 'spaghetti', 'vongole']));
    expect(analysis.terms).not.toContain('alle');
    expect(analysis.language).toBe('en');
  });
  describe('what a single ingredient line rules out', () => {
    const line = (name: string) => {
      const analysis = analyzer.analyze(recipe({ name: 'x', ingredients: [name] }));
      const concepts = analysis.ingredientConcepts;
      return { ...analysis, isA: (id: string) => concepts.some((c) => lexicon.isA(c, id)) };
    };

    it.each(['猪油', 'lard', '猪油渣', '腊肠', 'Chinese sausage', '意式猪肉香肠', 'pork sausage', '广式腊肠 2根'])(
      '%s is pork and not vegetarian',
      (name) => {
        const analysis = line(name);
        expect(analysis.isA('pork')).toBe(true);
        expect(analysis.diets).not.toContain('vegetarian');
      },
    );

    it.each(['牛油', '牛油火锅底料', 'beef tallow'])('%s is beef and breaks vegetarian', (name) => {
      const analysis = line(name);
      expect(analysis.isA('beef')).toBe(true);
      expect(analysis.diets).not.toContain('vegetarian');
    });

    it('牛油, which may be butter, also counts as dairy', () => {
      expect(line('牛油 20克').allergens).toContain('dairy');
      expect(line('黄油').isA('beef')).toBe(false);
    });

    it.each(['鸡精', '鸡汁 1勺', '鸡粉', 'chicken powder', 'chicken bouillon'])('%s is chicken and not vegetarian', (name) => {
      const analysis = line(name);
      expect(analysis.isA('chicken')).toBe(true);
      expect(analysis.diets).not.toEqual(expect.arrayContaining(['vegetarian']));
      expect(analysis.diets).not.toContain('vegan');
    });

    it('a bouillon or stock cube is not vegetarian unless it says vegetable', () => {
      expect(line('bouillon').diets).not.toContain('vegetarian');
      expect(line('stock powder').diets).not.toContain('vegetarian');
      expect(line('vegetable bouillon').diets).toContain('vegetarian');
      expect(line('味精').diets).toContain('vegetarian');
    });

    it.each([
      ['XO酱', ['shellfish']],
      ['沙茶酱', ['fish', 'shellfish']],
      ['Worcestershire sauce', ['fish']],
      ['虾酱', ['shellfish']],
      ['shrimp paste', ['shellfish']],
      ['虾油', ['shellfish']],
      ['鱼油', ['fish']],
    ])('%s carries %j and breaks vegetarian', (name, allergens) => {
      const analysis = line(name);
      expect(analysis.allergens).toEqual(expect.arrayContaining(allergens));
      expect(analysis.diets).not.toContain('vegetarian');
    });

    it.each([
      ['鸡油', 'chicken'],
      ['chicken fat', 'chicken'],
      ['鸭油', 'duck'],
      ['duck fat', 'duck'],
      ['鹅油', 'goose'],
      ['XO酱', 'pork'],
    ])('%s is %s', (name, animal) => {
      const analysis = line(name);
      expect(analysis.isA(animal)).toBe(true);
      expect(analysis.diets).not.toContain('vegetarian');
    });

    it.each([
      ['咖喱块', 'gluten'],
      ['日式咖喱块 2块', 'gluten'],
      ['curry roux', 'gluten'],
      ['鸡蛋面', 'egg'],
      ['egg noodles', 'egg'],
      ['egg pasta', 'egg'],
      ['牛奶巧克力', 'dairy'],
      ['milk chocolate', 'dairy'],
      ['奶茶', 'dairy'],
      ['milk tea', 'dairy'],
      ['almond milk', 'tree-nut'],
      ['peanut sauce', 'peanut'],
      ['小麦淀粉', 'gluten'],
      ['澄粉', 'gluten'],
    ])('%s carries %s', (name, allergen) => {
      expect(line(name).allergens).toContain(allergen);
    });

    it('almond milk and curry powder are what they say, not milk or gluten', () => {
      expect(line('almond milk').allergens).not.toContain('dairy');
      expect(line('咖喱粉').allergens).not.toContain('gluten');
    });

    it('mustard oil is mustard', () => {
      expect(line('mustard oil').isA('mustard')).toBe(true);
      expect(line('芥末油').isA('mustard')).toBe(true);
    });

    it.each(['红糖', '冰糖', 'jaggery', 'gur', 'brown sugar', 'rock sugar', 'maple syrup', '蜂蜜', 'honey', '麦芽糖'])(
      '%s is sugar, as a sugar-free exclusion reads it',
      (name) => expect(line(name).isA('sugar')).toBe(true),
    );

    it.each(['赤藓糖醇', '代糖', '木糖醇', 'erythritol', 'stevia'])('%s is a sweetener but not sugar', (name) => {
      expect(line(name).isA('sugar')).toBe(false);
      expect(line(name).isA('sweetener')).toBe(true);
    });

    it('white sugar stays a pantry staple; honey and jaggery do not become one', () => {
      expect(lexicon.isStaple('sugar')).toBe(true);
      expect(lexicon.isStaple('honey')).toBe(false);
      expect(lexicon.isStaple('brown-sugar')).toBe(false);
      expect(lexicon.isStaple('ice')).toBe(true);
    });

    it('a sausage of unnamed meat is still meat', () => {
      expect(line('香肠').diets).not.toContain('vegetarian');
      expect(line('sausage').isA('meat')).toBe(true);
    });
  });
});
