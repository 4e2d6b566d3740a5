import { Logger } from '@nestjs/common';
import { toRecipeInput } from '../recipes/recipe-mapper';
import { RecipeNormalizer } from '../recipes/recipe-normalizer';
import { Recipe, RecipeInput } from '../recipes/recipe.types';
import { FoodLexicon } from './food-lexicon';
import { estimatedBytes, RecipeAnalysisMemo } from './recipe-analysis-memo';
import { RecipeAnalyzer } from './recipe-analyzer';
import { TextAnalyzer } from './text-analyzer';
import type { TextThread } from './text-thread';

describe('RecipeAnalysisMemo', () => {
  const lexicon = FoodLexicon.load(undefined);
  const analyzer = new RecipeAnalyzer(lexicon, new TextAnalyzer(lexicon));
  const normalizer = new RecipeNormalizer(analyzer);

  /** A recipe as the catalog stores it: normalised, with its content hash. */
  const stored = (input: Partial<RecipeInput> & { sourceId: string }): Recipe => ({
    ...normalizer.normalize({ name: '番茄炒蛋', source: 'memo-test', ingredients: [{ name: '番茄' }, { name: '鸡蛋' }], ...input }),
    id: `r-${input.sourceId}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('analyses an unchanged recipe once and gives what the analyzer gives', () => {
    const memo = new RecipeAnalysisMemo(analyzer);
    const recipe = stored({ sourceId: 'a' });
    const calls = jest.spyOn(analyzer, 'analyze');
    const first = memo.analysisOf(recipe);
    // Read again, as the other path would: a fresh copy of the same stored row.
    const again = memo.analysisOf(JSON.parse(JSON.stringify(recipe)) as Recipe);
    expect(calls).toHaveBeenCalledTimes(1);
    expect(again).toBe(first);
    expect(first).toEqual(analyzer.analyze(toRecipeInput(recipe)));
    expect(first.ingredientConcepts).toEqual(expect.arrayContaining(['tomato', 'egg']));
  });

  it('analyses a changed recipe (a new content hash) again', () => {
    const memo = new RecipeAnalysisMemo(analyzer);
    const before = stored({ sourceId: 'b' });
    const after = stored({ sourceId: 'b', ingredients: [{ name: '番茄' }, { name: '牛肉' }] });
    const calls = jest.spyOn(analyzer, 'analyze');
    expect(after.contentHash).not.toBe(before.contentHash);
    expect(memo.analysisOf(before).ingredientConcepts).toContain('egg');
    const changed = memo.analysisOf(after);
    expect(calls).toHaveBeenCalledTimes(2);
    expect(changed.ingredientConcepts).toContain('beef');
    expect(changed.ingredientConcepts).not.toContain('egg');
  });

  it('stays within its byte bound, dropping the oldest entries first', () => {
    const recipes = Array.from({ length: 6 }, (_, i) => stored({ sourceId: `c${i}`, name: `番茄炒蛋 ${i}` }));
    const perEntry = Math.max(...recipes.map((r) => estimatedBytes(analyzer.analyze(toRecipeInput(r)))));
    const memo = new RecipeAnalysisMemo(analyzer, 3 * perEntry);
    for (const recipe of recipes) memo.analysisOf(recipe);
    expect(memo.size).toBeGreaterThanOrEqual(2);
    expect(memo.size).toBeLessThanOrEqual(3);
    expect(memo.bytes).toBeLessThanOrEqual(3 * perEntry);

    const calls = jest.spyOn(analyzer, 'analyze');
    memo.analysisOf(recipes[5]);
    expect(calls).toHaveBeenCalledTimes(0);
    memo.analysisOf(recipes[0]);
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('keeps an entry larger than the whole bound until the next one comes', () => {
    const memo = new RecipeAnalysisMemo(analyzer, 1);
    const [recipe, next] = [stored({ sourceId: 'd' }), stored({ sourceId: 'e' })];
    const calls = jest.spyOn(analyzer, 'analyze');
    memo.analysisOf(recipe);
    memo.analysisOf(recipe);
    expect(calls).toHaveBeenCalledTimes(1);
    memo.analysisOf(next);
    expect(memo.size).toBe(1);
    memo.analysisOf(recipe);
    expect(calls).toHaveBeenCalledTimes(3);
  });

  it('hands out analyses that cannot be changed, since both paths share them', () => {
    const analysis = new RecipeAnalysisMemo(analyzer).analysisOf(stored({ sourceId: 'f' }));
    expect(() => analysis.ingredientConcepts.push('beef')).toThrow(TypeError);
    expect(() => (analysis.diets = [])).toThrow(TypeError);
    expect(analysis.ingredientConcepts).not.toContain('beef');
  });

  it('empties itself once unused for its idle time, and a use keeps it', () => {
    jest.useFakeTimers();
    const memo = new RecipeAnalysisMemo(analyzer, undefined, 1_000);
    const [kept, other] = [stored({ sourceId: 'g' }), stored({ sourceId: 'h' })];
    memo.analysisOf(kept);
    memo.analysisOf(other);
    jest.advanceTimersByTime(800);
    // A hit counts as use: the view reading what the indexer analysed keeps the import's entries.
    memo.analysisOf(kept);
    jest.advanceTimersByTime(800);
    expect(memo.size).toBe(2);
    jest.advanceTimersByTime(300);
    expect(memo.size).toBe(0);
    expect(memo.bytes).toBe(0);

    const calls = jest.spyOn(analyzer, 'analyze');
    memo.analysisOf(kept);
    expect(calls).toHaveBeenCalledTimes(1);
    expect(memo.size).toBe(1);
  });

  it('neither keeps nor drops anything for a reader that will not ask again', () => {
    jest.useFakeTimers();
    const memo = new RecipeAnalysisMemo(analyzer, undefined, 1_000);
    const [kept, once] = [stored({ sourceId: 'i' }), stored({ sourceId: 'j' })];
    const first = memo.analysisOf(kept);
    const calls = jest.spyOn(analyzer, 'analyze');
    expect(memo.analysisOf(kept, { keep: false })).toBe(first);
    expect(memo.analysisOf(once, { keep: false }).ingredientConcepts).toEqual(expect.arrayContaining(['tomato', 'egg']));
    expect(calls).toHaveBeenCalledTimes(1);
    expect(memo.size).toBe(1);
    // Such reads are not use: a retrain reading every recipe does not hold an import's entries.
    jest.advanceTimersByTime(600);
    memo.analysisOf(once, { keep: false });
    jest.advanceTimersByTime(500);
    expect(memo.size).toBe(0);
  });

  describe('analysesOf, with the text thread', () => {
    /** The thread's own analyzer, as the real thread has: the one spied on here is this thread's. */
    const threadAnalyzer = new RecipeAnalyzer(lexicon, new TextAnalyzer(lexicon));
    /** A stand-in for TextThread: analyses with its own analyzer, after a turn of the event loop, or fails. */
    const fakeThread = (fail = false, servingBulks = true) => {
      const sent: number[] = [];
      const thread = {
        servingBulks: () => servingBulks,
        run: jest.fn(async (task: { kind: 'analyse'; recipes: RecipeInput[] }) => {
          sent.push(task.recipes.length);
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (fail) throw new Error('The text thread stopped');
          return task.recipes.map((recipe) => threadAnalyzer.analyze(recipe));
        }),
      };
      return { thread: thread as unknown as TextThread, sent };
    };
    const batch = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, i) => stored({ sourceId: `${prefix}${i}`, name: `dish ${prefix}${i}` }));

    it('sends a batch of at least minRecipes not held to the thread, and analyses smaller ones here', async () => {
      const { thread, sent } = fakeThread();
      const memo = new RecipeAnalysisMemo(analyzer, undefined, undefined, { thread, minRecipes: 4 });
      const here = jest.spyOn(analyzer, 'analyze');
      const small = batch(3, 's');
      const large = batch(6, 'l');
      expect(await memo.analysesOf(small)).toEqual(small.map((r) => analyzer.analyze(toRecipeInput(r))));
      here.mockClear();
      const analyses = await memo.analysesOf(large);
      expect(sent).toEqual([6]);
      expect(here).not.toHaveBeenCalled();
      expect(analyses).toEqual(large.map((r) => analyzer.analyze(toRecipeInput(r))));
      // Held like any other: the view's reload of the same rows finds them.
      expect(memo.analysisOf(large[2])).toBe(analyses[2]);
    });

    it('analyses them here when no import is running, so the thread is not kept for them', async () => {
      const { thread, sent } = fakeThread(false, false);
      const memo = new RecipeAnalysisMemo(analyzer, undefined, undefined, { thread, minRecipes: 4 });
      const recipes = batch(6, 'q');
      expect(await memo.analysesOf(recipes)).toEqual(recipes.map((r) => analyzer.analyze(toRecipeInput(r))));
      expect(sent).toEqual([]);
    });

    it('sends the same recipes once when two readers ask for them at the same time', async () => {
      const { thread, sent } = fakeThread();
      const memo = new RecipeAnalysisMemo(analyzer, undefined, undefined, { thread, minRecipes: 4 });
      const recipes = batch(8, 'c');
      const [first, second] = await Promise.all([memo.analysesOf(recipes), memo.analysesOf(recipes.slice(2))]);
      expect(sent).toEqual([8]);
      expect(second).toEqual(first.slice(2));
    });

    it('analyses them here when the thread fails', async () => {
      const { thread } = fakeThread(true);
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const memo = new RecipeAnalysisMemo(analyzer, undefined, undefined, { thread, minRecipes: 4 });
      const recipes = batch(5, 'f');
      const [first, second] = await Promise.all([memo.analysesOf(recipes), memo.analysesOf(recipes)]);
      const expected = recipes.map((r) => analyzer.analyze(toRecipeInput(r)));
      expect(first).toEqual(expected);
      expect(second).toEqual(expected);
    });
  });
});
