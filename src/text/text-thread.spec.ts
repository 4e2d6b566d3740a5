import { FoodLexicon } from './food-lexicon';
import { RecipeAnalyzer } from './recipe-analyzer';
import { TextAnalyzer } from './text-analyzer';
import { TextThread } from './text-thread';
import type { RecipeInput } from '../recipes/recipe.types';

const body = (sourceId: string) =>
  new TextEncoder().encode(
    JSON.stringify({ recipes: [{ name: 'Tomato egg', source: 'spec', sourceId, ingredients: [{ name: 'egg' }, { name: 'tomato' }] }] }),
  );

const waitFor = async (condition: () => boolean, withinMs: number) => {
  const until = Date.now() + withinMs;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
};

const bulk = (thread: TextThread, sourceId: string) => thread.run({ kind: 'bulk', bytes: body(sourceId) });

describe('TextThread', () => {
  let thread: TextThread;

  beforeEach(() => {
    thread = new TextThread({ lexiconExtraPath: null, maxDepth: 32 });
  });

  afterEach(() => thread.stop());

  it('keeps its thread for tasks that follow each other, and stops it once idle', async () => {
    thread.idleStopMs = 400;
    expect(thread.threadId).toBeNull();
    expect((await bulk(thread, 'a')).rows.map((row) => row.sourceId)).toEqual(['a']);
    const first = thread.threadId;
    expect(first).not.toBeNull();
    expect((await bulk(thread, 'b')).rows.map((row) => row.sourceId)).toEqual(['b']);
    expect(thread.threadId).toBe(first);

    await waitFor(() => thread.threadId === null, 5_000);
    expect(thread.threadId).toBeNull();
    // The next task starts a new thread and is done as before.
    expect((await bulk(thread, 'c')).rows.map((row) => row.sourceId)).toEqual(['c']);
    expect(thread.threadId).not.toBe(first);
  }, 60_000);

  it('says it serves an import from its first bulk on, not before', async () => {
    expect(thread.servingBulks()).toBe(false);
    await bulk(thread, 'a');
    expect(thread.servingBulks()).toBe(true);
    expect(thread.servingBulks(performance.now() + 60_000)).toBe(false);
  }, 60_000);

  it('answers a task sent while the idle thread is stopping from a new thread', async () => {
    thread.idleStopMs = 0;
    await bulk(thread, 'a');
    // Sent the moment the idle thread is let go, before it has exited.
    while (thread.threadId !== null) await new Promise((resolve) => setImmediate(resolve));
    const answers = await Promise.all([bulk(thread, 'b'), bulk(thread, 'c')]);
    expect(answers.flatMap((answer) => answer.rows.map((row) => row.sourceId))).toEqual(['b', 'c']);
  }, 60_000);

  it('prepares a bulk before the analyses sent ahead of it', async () => {
    const recipes: RecipeInput[] = Array.from({ length: 300 }, (_, i) => ({
      name: `番茄炒蛋 ${i}`,
      source: 'spec',
      sourceId: `q${i}`,
      ingredients: [{ name: '番茄' }, { name: '鸡蛋' }, { name: '葱' }],
    }));
    const order: string[] = [];
    const analyses = [1, 2, 3].map((n) => thread.run({ kind: 'analyse', recipes }).then(() => order.push(`analyse ${n}`)));
    const prepared = bulk(thread, 'urgent').then(() => order.push('bulk'));
    await Promise.all([...analyses, prepared]);
    expect(order).toEqual(['bulk', 'analyse 1', 'analyse 2', 'analyse 3']);
  }, 60_000);

  it('analyses recipes as the analyzer on this thread does, in their order', async () => {
    const lexicon = FoodLexicon.load();
    const analyzer = new RecipeAnalyzer(lexicon, new TextAnalyzer(lexicon));
    const recipes: RecipeInput[] = [
      {
        name: '宫保鸡丁',
        source: 'spec',
        sourceId: '1',
        language: 'zh',
        ingredients: [{ name: '鸡胸肉' }, { name: '花生' }, { name: '干辣椒' }],
      },
      {
        name: 'Paneer tikka',
        source: 'spec',
        sourceId: '2',
        language: 'en',
        cuisine: 'indian',
        ingredients: [{ name: 'paneer' }, { name: 'yogurt' }],
      },
      { name: 'Mystery stew', source: 'spec', sourceId: '3', ingredients: [{ name: 'glorp root' }, { name: 'water' }] },
    ];
    const analyses = await thread.run({ kind: 'analyse', recipes });
    expect(analyses).toEqual(recipes.map((recipe) => analyzer.analyze(recipe)));
    expect(analyses[0].ingredientConcepts).toContain('chicken');
    expect(analyses[2].unresolvedIngredients.length).toBeGreaterThan(0);
  }, 60_000);
});
