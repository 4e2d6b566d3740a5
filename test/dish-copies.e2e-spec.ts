import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { createTestApp, ADMIN_KEY, TestApp } from './support/test-app';

jest.setTimeout(120_000);

interface Hit {
  recipe: { id: string; name: string; totalMinutes: number | null };
  sameDish?: boolean;
  why: { alsoIn?: Array<{ id: string; source: string }> };
}

/**
 * A dish with many copies (a popular dish in a large catalog: 红烧肉 had 921 in the
 * 1,000,000-recipe synthetic one) is one hit that names a few of its copies, in search and in
 * similar dishes, and a filter still finds the copy it passes.
 */
describe('A dish with many copies', () => {
  let t: TestApp;
  const COPIES = 40;
  const LONGER = ['红烧肉饭', '毛氏红烧肉', '湖南红烧肉', '红烧肉炖土豆'];

  beforeAll(async () => {
    t = await createTestApp();
    const recipes = [
      ...Array.from({ length: COPIES }, (_, i) => ({
        name: i % 2 === 0 ? '红烧肉' : '红烧肉（家常版）',
        source: `kitchen-${i}`,
        sourceId: 'hongshaorou',
        ingredients: [{ name: '五花肉' }, { name: '冰糖' }, { name: '生抽' }, { name: '姜' }],
        steps: ['焯水', '炒糖色', '炖'],
        // One copy alone is quick.
        totalMinutes: i === COPIES - 3 ? 25 : 90,
      })),
      ...LONGER.map((name, i) => ({
        name,
        source: 'kitchen-0',
        sourceId: `longer-${i}`,
        ingredients: [{ name: '五花肉' }, { name: '土豆' }, { name: '生抽' }],
        steps: ['炖'],
        totalMinutes: 60,
      })),
      ...['番茄炒蛋', '清蒸鱼', '麻婆豆腐'].map((name, i) => ({
        name,
        source: 'kitchen-0',
        sourceId: `other-${i}`,
        ingredients: [{ name: i === 0 ? '番茄' : i === 1 ? '鲈鱼' : '豆腐' }, { name: '盐' }],
        steps: ['做'],
      })),
    ];
    const res = await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes }).expect(200);
    expect(res.body.failed).toEqual([]);
    await t.app.get(OutboxWorker).drain();
  });
  afterAll(async () => {
    await t.close();
  });

  const search = async (query: Record<string, string | number>): Promise<Hit[]> =>
    (await t.http().get('/api/search').query(query).expect(200)).body.items;

  it('is one search hit naming eight of its other copies, and the longer names follow', async () => {
    const items = await search({ q: '红烧肉', limit: 20 });
    expect(items[0].recipe.name).toMatch(/^红烧肉/);
    const alsoIn = items[0].why.alsoIn ?? [];
    expect(alsoIn).toHaveLength(8);
    const copies = new Set(alsoIn.map((o) => o.id));
    expect(copies.size).toBe(8);
    expect(copies.has(items[0].recipe.id)).toBe(false);
    // No other hit is a copy of the dish; every longer name is there, once.
    const names = items.slice(1).map((hit) => hit.recipe.name);
    expect(names.filter((name) => name.startsWith('红烧肉（') || name === '红烧肉')).toEqual([]);
    for (const name of LONGER) expect(names.filter((n) => n === name)).toHaveLength(1);
  });

  it('under a time limit, leads with the one quick copy however late it comes', async () => {
    const items = await search({ q: '红烧肉', maxMinutes: 30, limit: 10 });
    expect(items[0].recipe.name).toMatch(/^红烧肉/);
    expect(items[0].recipe.totalMinutes).toBe(25);
    expect(items[0].why.alsoIn ?? []).toEqual([]);
  });

  it('is the sameDish of a copy’s similar dishes, naming eight other copies, and never the copy itself', async () => {
    const [lead] = await search({ q: '红烧肉', limit: 1 });
    const res = await t.http().get(`/api/recipes/${lead.recipe.id}/similar`).query({ limit: 10 }).expect(200);
    const items: Hit[] = res.body.items;
    expect(items[0].sameDish).toBe(true);
    expect(items[0].recipe.name).toMatch(/^红烧肉/);
    const ids = [...items.map((hit) => hit.recipe.id), ...items.flatMap((hit) => (hit.why.alsoIn ?? []).map((o) => o.id))];
    expect(ids).not.toContain(lead.recipe.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(items[0].why.alsoIn).toHaveLength(8);
    expect(items.slice(1).filter((hit) => hit.recipe.name.startsWith('红烧肉（') || hit.recipe.name === '红烧肉')).toEqual([]);
  });
});
