import { loadBundledSeed } from '../../recipes/importers/seed-loader';
import { RecipeInput } from '../../recipes/recipe.types';
import { FoodLexicon } from '../../text/food-lexicon';
import { RecipeAnalyzer } from '../../text/recipe-analyzer';
import { TextAnalyzer } from '../../text/text-analyzer';
import { RecipeAnalysis } from '../../text/text.types';
import { NamedVectors } from '../embedding.types';
import { cosine } from '../similarity';
import { FoodConceptModel } from './food-concept.model';
import { FoodConceptTrainer } from './food-concept.trainer';
import { parsedQuery } from '../../../test/fixtures/food-concepts';

/** The real catalog through the real analyzer: what users of the default provider will see. */
describe('food-concepts on the bundled seed catalog', () => {
  let recipes: RecipeInput[];
  let analyses: RecipeAnalysis[];
  let model: FoodConceptModel;
  let vectors: NamedVectors[];

  beforeAll(async () => {
    const lexicon = FoodLexicon.load(undefined);
    const analyzer = new RecipeAnalyzer(lexicon, new TextAnalyzer(lexicon));
    recipes = (await loadBundledSeed()).flatMap((result) => result.recipes);
    analyses = recipes.map((recipe) => analyzer.analyze(recipe));
    model = new FoodConceptTrainer().train(analyses);
    vectors = analyses.map((analysis) => model.embedRecipe(analysis));
  }, 60_000);

  const ingredientScore = (concept: string, i: number): number => {
    const query = model.embedQuery(parsedQuery({ ingredients: [concept] })).dense.ingredients!;
    const recipe = vectors[i].dense.ingredients;
    return recipe ? cosine(query, recipe) : 0;
  };
  const indexes = (predicate: (analysis: RecipeAnalysis) => boolean): number[] =>
    analyses.flatMap((analysis, i) => (predicate(analysis) ? [i] : []));
  const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

  it('ranks 宫保鸡丁 above every dessert for "chicken"', () => {
    const kungPao = recipes.findIndex((recipe) => recipe.name.includes('宫保鸡丁'));
    expect(kungPao).toBeGreaterThanOrEqual(0);
    const desserts = indexes((analysis) => analysis.propertyConcepts.includes('dessert'));
    expect(desserts.length).toBeGreaterThan(20);
    const best = Math.max(...desserts.map((i) => ingredientScore('chicken', i)));
    expect(ingredientScore('chicken', kungPao)).toBeGreaterThan(best);
  });

  it('puts "豆腐" (tofu) nearer tofu dishes than other dishes on average', () => {
    const tofu = indexes((analysis) => analysis.ingredientConcepts.includes('tofu'));
    const others = indexes((analysis) => !analysis.ingredientConcepts.includes('tofu'));
    expect(tofu.length).toBeGreaterThan(10);
    expect(mean(tofu.map((i) => ingredientScore('tofu', i)))).toBeGreaterThan(mean(others.map((i) => ingredientScore('tofu', i))) + 0.3);
  });

  it('ranks chicken dishes of every language above the dishes without chicken', () => {
    const others = indexes((analysis) => !analysis.ingredientConcepts.includes('chicken')).map((i) => ingredientScore('chicken', i));
    others.sort((a, b) => a - b);
    const percentile = (score: number): number => others.filter((other) => other < score).length / others.length;
    for (const language of ['zh', 'en']) {
      const chicken = indexes((a) => a.language === language && a.ingredientConcepts.includes('chicken'));
      expect(chicken.length).toBeGreaterThan(5);
      // The typical chicken dish of either language beats at least 95% of the non-chicken dishes.
      const percentiles = chicken.map((i) => percentile(ingredientScore('chicken', i))).sort((a, b) => a - b);
      expect(percentiles[Math.floor(percentiles.length / 2)]).toBeGreaterThan(0.95);
    }
  });
});
