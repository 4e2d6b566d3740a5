import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { EmbeddedVectorStore } from '../src/vector-store/embedded/embedded-vector-store';
import { QdrantStubServer } from './support/qdrant-stub/qdrant-stub.server';
import { createTestApp, TestApp } from './support/test-app';

jest.setTimeout(300_000);

interface Hit {
  recipe: {
    id: string;
    name: string;
    source: string;
    category: string | null;
    cuisine: string | null;
    diets: string[];
    totalMinutes: number | null;
  };
  score: number;
  why: {
    matchedIngredients: string[];
    matchedTerms: string[];
    missingIngredients?: string[];
    alsoIn?: Array<{ id: string; source: string }>;
  };
  sameDish?: boolean;
}

interface Backend {
  name: string;
  env: () => Record<string, string>;
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
  /** Waits, once the app is up, until it serves as this backend means it to. */
  ready?: (t: TestApp) => Promise<void>;
}

let stub: QdrantStubServer | undefined;
/** One suite, every vector store: the embedded one, and the Qdrant adapter over the local stub. */
const backends: Backend[] = [
  { name: 'embedded', env: () => ({ VECTOR_STORE: 'embedded' }) },
  {
    // The partitioned index that serves large catalogs (int8 copies scanned, the best candidates
    // rescored from float32), built here on the bundled catalog: every hard constraint and the
    // quality checks below hold through it too.
    name: 'embedded, partitioned',
    env: () => ({ VECTOR_STORE: 'embedded', EMBEDDED_IVF_MIN_POINTS: '500' }),
    ready: async (t) => {
      const serving = t.app.get(ActiveIndexRegistry).serving();
      const store = serving.store as EmbeddedVectorStore;
      await store.query({ using: 'ingredients', vector: new Array(serving.provider.spaces.ingredients!.size).fill(1), limit: 1 });
      await store.indexIdle();
      const status = await store.indexStatus();
      expect([status.ingredients?.state, status.properties?.state]).toEqual(['ready', 'ready']);
    },
  },
  {
    name: 'qdrant',
    env: () => ({ VECTOR_STORE: 'qdrant', QDRANT_URL: (stub as QdrantStubServer).url }),
    start: async () => {
      stub = await QdrantStubServer.start();
    },
    stop: async () => {
      await stub?.stop();
    },
  },
];

describe.each(backends)('Retrieval API on the seeded catalog ($name)', (backend) => {
  let t: TestApp;
  const recipes = new Map<string, { ingredients: Array<{ name: string; concept?: string }>; allergens: string[]; diets: string[] }>();

  beforeAll(async () => {
    await backend.start?.();
    t = await createTestApp({ seed: true, env: backend.env() });
    await backend.ready?.(t);
  });
  afterAll(async () => {
    await t.close();
    await backend.stop?.();
  });

  const search = async (query: Record<string, string | number>): Promise<{ items: Hit[]; total: number; query: Record<string, unknown> }> =>
    (await t.http().get('/api/search').query(query).expect(200)).body;
  const recipe = async (id: string) => {
    if (!recipes.has(id)) recipes.set(id, (await t.http().get(`/api/recipes/${id}`).expect(200)).body);
    return recipes.get(id)!;
  };
  const concepts = async (id: string) => (await recipe(id)).ingredients.map((i) => i.concept).filter(Boolean) as string[];
  const idByName = async (name: string, source: string) => {
    const res = await t.http().get('/api/recipes').query({ name, source, limit: 100 }).expect(200);
    return (res.body.items as Array<{ id: string; name: string }>).find((r) => r.name === name)?.id;
  };

  describe('GET /api/search', () => {
    it('"不要香菜的牛肉汤" finds beef soups and never a dish with coriander', async () => {
      const body = await search({ q: '不要香菜的牛肉汤', limit: 20 });
      expect(body.query).toMatchObject({ ingredients: ['beef'], excludedIngredients: ['coriander'] });
      expect(body.items.length).toBeGreaterThan(3);
      for (const hit of body.items) {
        expect(await concepts(hit.recipe.id)).not.toContain('coriander');
        expect(hit.recipe.name).not.toMatch(/香菜|芫荽/);
      }
      const top = body.items.slice(0, 3);
      for (const hit of top) {
        expect(hit.why.matchedIngredients.length).toBeGreaterThan(0);
        expect(hit.recipe.name).toMatch(/汤/);
      }
    });

    it('"chicken" finds Chinese chicken dishes, 宫保鸡丁 among the first ten', async () => {
      const body = await search({ q: 'chicken', limit: 10 });
      expect(body.items.map((h) => h.recipe.name)).toContain('宫保鸡丁');
      let withChicken = 0;
      for (const hit of body.items) if ((await concepts(hit.recipe.id)).includes('chicken')) withChicken++;
      expect(withChicken).toBeGreaterThanOrEqual(8);
      expect(body.items.filter((h) => h.recipe.cuisine === 'chinese').length).toBeGreaterThanOrEqual(7);
    });

    it.each(['宫保鸡丁', ' 宫保 鸡丁 ', 'Kung Pao Chicken'])('"%s" ranks 宫保鸡丁 first', async (q) => {
      const body = await search({ q });
      expect(body.items[0].recipe.name).toBe('宫保鸡丁');
    });

    it('"vegetarian Indian dessert" returns vegetarian Indian desserts', async () => {
      const body = await search({ q: 'vegetarian Indian dessert', limit: 10 });
      expect(body.items).toHaveLength(10);
      for (const hit of body.items) {
        expect(hit.recipe).toMatchObject({ cuisine: 'indian', category: 'dessert' });
        expect(hit.recipe.diets).toContain('vegetarian');
        expect(hit.why.matchedTerms).toEqual(expect.arrayContaining(['indian', 'dessert']));
      }
    });

    it('"quick vegetarian curry without coconut" keeps every constraint', async () => {
      const body = await search({ q: 'quick vegetarian curry without coconut', limit: 50 });
      expect(body.query).toMatchObject({ maxMinutes: 30, diets: ['vegetarian'] });
      expect(body.items.length).toBeGreaterThan(0);
      for (const hit of body.items) {
        expect(hit.recipe.diets).toContain('vegetarian');
        if (hit.recipe.totalMinutes !== null) expect(hit.recipe.totalMinutes).toBeLessThanOrEqual(30);
        const found = await concepts(hit.recipe.id);
        expect(found.filter((c) => c.startsWith('coconut'))).toEqual([]);
      }
    });

    it('"30分钟以内的快手菜" (a time limit alone) lists the quickest dishes first', async () => {
      const body = await search({ q: '30分钟以内的快手菜', limit: 20 });
      expect(body.query).toMatchObject({ maxMinutes: 30 });
      const minutes = body.items.map((hit) => (hit.recipe as { totalMinutes?: number | null }).totalMinutes);
      expect(minutes.every((m) => typeof m === 'number' && m <= 30)).toBe(true);
      expect(minutes).toEqual([...minutes].sort((a, b) => (a as number) - (b as number)));
    });

    it('"水产" (a course word alone) lists seafood dishes', async () => {
      const body = await search({ q: '水产', limit: 20 });
      expect(body.items.length).toBeGreaterThanOrEqual(10);
      for (const hit of body.items) expect(hit.recipe.category).toBe('seafood');
    });

    it('shows a dish found in two sources once, naming the other copy', async () => {
      const body = await search({ q: '罗宋汤', limit: 20 });
      const names = body.items.map((hit) => hit.recipe.name);
      expect(new Set(names).size).toBe(names.length);
      const borscht = body.items.find((hit) => hit.recipe.name === '罗宋汤');
      expect(borscht).toBeDefined();
      const twins = (borscht!.why as { alsoIn?: Array<{ id: string; source: string }> }).alsoIn ?? [];
      expect(twins.map((t) => t.source)).toContain(borscht!.recipe.source === 'howtocook' ? 'yunyoujun-cook' : 'howtocook');
    });

    it('returns nothing for gibberish instead of filling the page', async () => {
      const body = await search({ q: 'xqzjv blorft' });
      expect(body).toMatchObject({ items: [], total: 0 });
    });

    it('exclude=peanut removes every peanut dish, including 宫保鸡丁', async () => {
      const body = await search({ q: '鸡', exclude: 'peanut', limit: 100 });
      expect(body.items.length).toBeGreaterThan(10);
      for (const hit of body.items) {
        expect(hit.recipe.name).not.toBe('宫保鸡丁');
        const r = await recipe(hit.recipe.id);
        expect(r.allergens).not.toContain('peanut');
        expect(await concepts(hit.recipe.id)).not.toContain('peanut');
      }
    });

    it('a refusal in words ("我不能吃花生", "can\'t eat peanuts") returns no peanut dish', async () => {
      for (const q of ['我不能吃花生', "can't eat peanuts"]) {
        const body = await search({ q, limit: 50 });
        expect(body.query).toMatchObject({ ingredients: [], excludedIngredients: ['peanut'] });
        expect(body.items.length).toBeGreaterThan(10);
        for (const hit of body.items) {
          expect(hit.recipe.name).not.toMatch(/花生|宫保/);
          expect((await recipe(hit.recipe.id)).allergens).not.toContain('peanut');
          expect(await concepts(hit.recipe.id)).not.toContain('peanut');
        }
      }
    });

    it('a diet holds against what a known dish is made of, though its source lists less (麻婆豆腐 listing only tofu)', async () => {
      const mapo = await search({ q: '麻婆豆腐', limit: 20 });
      expect(mapo.items.some((hit) => hit.recipe.name === '麻婆豆腐')).toBe(true);
      const vegetarian = await search({ q: '麻婆豆腐', diet: 'vegetarian', limit: 50 });
      expect(vegetarian.items.filter((hit) => hit.recipe.name === '麻婆豆腐')).toEqual([]);
      const nutFree = await search({ q: '宫保鸡丁', diet: 'nut-free', limit: 50 });
      expect(nutFree.items.filter((hit) => hit.recipe.name === '宫保鸡丁')).toEqual([]);
      const byIngredients = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['豆腐', '牛肉'], mode: 'pantry', limit: 50, filters: { diet: ['vegetarian'] } })
        .expect(200);
      expect(byIngredients.body.items.filter((hit: Hit) => hit.recipe.name === '麻婆豆腐')).toEqual([]);
    });

    it('typed lists and group names exclude as the parameter does: "不要香菜、葱", "no shellfish"', async () => {
      const list = await search({ q: '不要香菜、葱', limit: 50 });
      expect(list.query).toMatchObject({ excludedIngredients: expect.arrayContaining(['coriander', 'scallion']) });
      for (const hit of list.items) expect(await concepts(hit.recipe.id)).not.toEqual(expect.arrayContaining(['scallion']));
      const typed = await search({ q: 'no shellfish', limit: 100 });
      const parameter = await search({ exclude: 'shellfish', limit: 100 });
      expect(typed.total).toBe(parameter.total);
      for (const hit of typed.items) expect((await recipe(hit.recipe.id)).allergens).not.toContain('shellfish');
    });

    it('exclude=seafood, 不吃海鲜 and "no nuts" keep out what shellfish, fish and peanut exclusions do (oyster sauce, peanuts)', async () => {
      const oyster = await search({ q: '蚝油', limit: 100 });
      const allergens = async (hit: Hit) => (await recipe(hit.recipe.id)).allergens;
      let shellfish = 0;
      for (const hit of oyster.items) if ((await allergens(hit)).includes('shellfish')) shellfish += 1;
      expect(shellfish).toBeGreaterThan(0);
      for (const query of [{ q: '蚝油', exclude: 'seafood' }, { q: '蚝油 不吃海鲜' }] as Array<Record<string, string>>) {
        const body = await search({ ...query, limit: 100 });
        for (const hit of body.items) {
          expect(await allergens(hit)).not.toContain('shellfish');
          expect(await allergens(hit)).not.toContain('fish');
        }
      }
      const peanuts = await search({ q: '花生', exclude: 'nuts', limit: 100 });
      for (const hit of peanuts.items) expect(await allergens(hit)).not.toContain('peanut');
      expect((await search({ q: '花生 不要坚果', limit: 100 })).query).toMatchObject({
        excludedAllergens: expect.arrayContaining(['peanut', 'tree-nut']),
      });
    });

    it('sugar-free (无糖, exclude=sugar) keeps the erythritol cake and keeps out honey, jaggery, rock sugar and syrup', async () => {
      const typed = await search({ q: '无糖 蛋糕', limit: 100 });
      expect(typed.items.map((hit) => hit.recipe.name)).toContain('魔芋蛋糕');
      const sugars = ['sugar', 'brown-sugar', 'rock-sugar', 'honey', 'syrup'];
      for (const query of [{ q: '蜂蜜', exclude: 'sugar' }, { q: 'jaggery', exclude: 'sugar' }, { q: '冰糖 无糖' }] as Array<
        Record<string, string>
      >) {
        const body = await search({ ...query, limit: 100 });
        for (const hit of body.items) for (const id of await concepts(hit.recipe.id)) expect(sugars).not.toContain(id);
      }
    });

    it('a dish whose name says what it is without is found by that name, and the exclusion still holds for the rest', async () => {
      for (const [name, refused] of [
        ['三杯鸡（无九层塔版）', 'basil'],
        ['无米炒饭', 'rice'],
        ['早餐白面包（无鸡蛋版）', 'egg'],
      ]) {
        const page = await search({ q: name, limit: 20 });
        expect(page.query).toMatchObject({ excludedIngredients: expect.arrayContaining([refused]) });
        expect(page.items[0]?.recipe.name).toBe(name);
        for (const hit of page.items) expect(await concepts(hit.recipe.id)).not.toContain(refused);
      }
    });

    it('a refused flavour alone ("不甜", "not fried") lists the dishes without it instead of nothing', async () => {
      const notSweet = await search({ q: '不甜', limit: 50 });
      expect(notSweet.total).toBeGreaterThan(50);
      expect(notSweet.items.filter((hit) => (hit.recipe as { flavors?: string[] }).flavors?.includes('sweet'))).toEqual([]);
      expect((await search({ q: 'not fried', limit: 10 })).total).toBeGreaterThan(10);
    });

    it('pages stably: two pages equal one long page', async () => {
      const long = await search({ q: 'tofu', limit: 20 });
      const first = await search({ q: 'tofu', limit: 10, offset: 0 });
      const second = await search({ q: 'tofu', limit: 10, offset: 10 });
      expect([...first.items, ...second.items].map((h) => h.recipe.id)).toEqual(long.items.map((h) => h.recipe.id));
      expect(first.total).toBe(long.total);
    });

    // Not on Qdrant: each leg is cut at its candidates, and Qdrant keeps equal scores in no fixed
    // order (the stub shuffles them), so which tied dishes a leg keeps can change between requests.
    (backend.name === 'qdrant' ? it.skip : it)(
      'pages past the first hundred are slices of the same list: no dish twice, none skipped, whatever the page size',
      async () => {
        for (const q of ['chicken', '鸡蛋 番茄', 'egg']) {
          const walk = async (limit: number) => {
            const ids: string[] = [];
            for (let offset = 0; offset < 200; offset += limit)
              ids.push(...(await search({ q, limit, offset })).items.map((h) => h.recipe.id));
            return ids;
          };
          const byTen = await walk(10);
          expect(byTen.length).toBeGreaterThan(120);
          expect(new Set(byTen).size).toBe(byTen.length);
          expect(await walk(100)).toEqual(byTen);
          // Small pages too: a page crossing where the first ranking's dishes end goes deeper.
          expect(await walk(4)).toEqual(byTen);
        }
      },
    );

    it('lists by filters alone when q is empty', async () => {
      const body = await search({ diet: 'vegan', cuisine: 'indian', limit: 20 });
      expect(body.items.length).toBeGreaterThan(0);
      for (const hit of body.items) expect(hit.recipe).toMatchObject({ cuisine: 'indian', diets: expect.arrayContaining(['vegan']) });
    });

    it('refuses bad requests with 400 and a clear body', async () => {
      const empty = await t.http().get('/api/search').expect(400);
      expect(empty.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      const unknown = await t.http().get('/api/search').query({ q: 'beef', exclude: 'peanut,florbix' }).expect(400);
      expect(unknown.body.message).toContain('florbix');
      expect(unknown.body.message).not.toContain('"peanut"');
      await t.http().get('/api/search').query({ q: 'beef', diet: 'carnivore-ish' }).expect(400);
      await t.http().get('/api/search').query({ q: 'beef', limit: 101 }).expect(400);
      await t.http().get('/api/search').query({ q: 'beef', offset: -1 }).expect(400);
      await t.http().get('/api/search').query({ q: 'beef', maxMinutes: 'soon' }).expect(400);
      await t.http().get('/api/search').query({ q: 'beef', color: 'red' }).expect(400);
    });
  });

  describe('POST /api/search/by-ingredients', () => {
    it('pantry [鸡蛋, 番茄] puts tomato and egg stir-fry first with nothing missing but staples', async () => {
      const res = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['鸡蛋', '番茄', 'moonrock'], mode: 'pantry' })
        .expect(200);
      expect(res.body.query).toMatchObject({ unrecognised: ['moonrock'] });
      const [first] = res.body.items as Hit[];
      expect(['西红柿炒鸡蛋', '番茄炒蛋', '6阶番茄炒蛋']).toContain(first.recipe.name);
      expect(first.why.missingIngredients).toEqual([]);
      const missing = (res.body.items as Hit[]).map((h) => h.why.missingIngredients!.length);
      expect(missing).toEqual([...missing].sort((a, b) => a - b));
    });

    it('a dish name counts only the foods it names: no rice in 电饭煲 (a rice cooker), no fish in 鱼香', async () => {
      const pantry = async (ingredients: string[]) =>
        (await t.http().post('/api/search/by-ingredients').send({ ingredients, mode: 'pantry', limit: 100 }).expect(200)).body
          .items as Hit[];
      const cooker = (await pantry(['chicken', 'rice', 'onion'])).filter((hit) => hit.recipe.name.includes('电饭煲'));
      expect(cooker.length).toBeGreaterThan(0);
      for (const hit of cooker) {
        if (!(await concepts(hit.recipe.id)).includes('rice')) expect(hit.why.matchedIngredients).not.toContain('饭');
      }
      expect((await pantry(['海鲜'])).filter((hit) => hit.recipe.name.includes('鱼香'))).toEqual([]);
    });

    it('pantry matching follows the concept hierarchy: "chicken" covers 鸡胸肉', async () => {
      const res = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['chicken'], mode: 'pantry', limit: 50 })
        .expect(200);
      const hits = res.body.items as Hit[];
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits)
        expect(hit.why.missingIngredients!.some((n) => /鸡|chicken/i.test(n) && !/蛋|精|汤|egg|stock/i.test(n))).toBe(false);
    });

    it('pantry pages are slices of one ranking, whatever the page size (ties cut by similarity)', async () => {
      // Egg alone touches hundreds of bundled dishes, with large groups missing the same number
      // of things: the cut inside such a group is made by similarity, and must not move with
      // the page size.
      const page = async (offset: number, limit: number) => {
        const res = await t
          .http()
          .post('/api/search/by-ingredients')
          .send({ ingredients: ['鸡蛋'], mode: 'pantry', offset, limit })
          .expect(200);
        return res.body as { items: Hit[]; total: number };
      };
      const whole = await page(0, 40);
      expect(whole.total).toBeGreaterThan(40);
      const pieces = [await page(0, 7), await page(7, 13), await page(20, 20)];
      expect(pieces.flatMap((p) => p.items.map((h) => h.recipe.id))).toEqual(whole.items.map((h) => h.recipe.id));
      for (const p of pieces) expect(p.total).toBe(whole.total);
    });

    // Not on Qdrant, as above: the slices hold on the embedded store, whose ties are cut in one fixed order.
    (backend.name === 'qdrant' ? it.skip : it)(
      'similar mode pages are slices of one list, and a dish found in two sources is one result there too',
      async () => {
        const page = async (ingredients: string[], offset: number, limit: number) =>
          (await t.http().post('/api/search/by-ingredients').send({ ingredients, mode: 'similar', offset, limit }).expect(200)).body as {
            items: Hit[];
            total: number;
          };
        const ids: string[] = [];
        for (let offset = 0; offset < 180; offset += 9)
          ids.push(...(await page(['鸡蛋', '番茄'], offset, 9)).items.map((h) => h.recipe.id));
        expect(ids.length).toBeGreaterThan(130);
        expect(new Set(ids).size).toBe(ids.length);
        const kungPao = (await page(['鸡肉', '花生'], 0, 20)).items.filter((h) => h.recipe.name === '宫保鸡丁');
        expect(kungPao).toHaveLength(1);
        expect(kungPao[0].why.alsoIn).toHaveLength(1);
        // Pantry pages are slices of one list with copies folded, small pages as large.
        const pantryWalk = async (limit: number) => {
          const ids: string[] = [];
          for (let offset = 0; offset < 200; offset += limit) {
            const body = { ingredients: ['鸡蛋', '番茄', '葱'], mode: 'pantry', offset, limit };
            ids.push(
              ...((await t.http().post('/api/search/by-ingredients').send(body).expect(200)).body.items as Hit[]).map((h) => h.recipe.id),
            );
          }
          return ids;
        };
        const pantryByTen = await pantryWalk(10);
        expect(new Set(pantryByTen).size).toBe(pantryByTen.length);
        expect(await pantryWalk(50)).toEqual(pantryByTen);
        // Pantry mode folds copies too.
        const pantry = (
          await t
            .http()
            .post('/api/search/by-ingredients')
            .send({ ingredients: ['豆腐', '葱'], mode: 'pantry', limit: 100 })
            .expect(200)
        ).body.items as Hit[];
        const names = pantry.map((h) => h.recipe.name);
        expect(new Set(names).size).toBe(names.length);
        expect(pantry.some((h) => (h.why.alsoIn ?? []).length > 0)).toBe(true);
      },
    );

    it('similar mode finds dishes made of the given ingredients', async () => {
      const res = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['chicken', '花生'], mode: 'similar' })
        .expect(200);
      const names = (res.body.items as Hit[]).map((h) => h.recipe.name);
      expect(names).toContain('宫保鸡丁');
      for (const hit of res.body.items as Hit[]) expect(hit.why.matchedIngredients.length).toBeGreaterThan(0);
    });

    it('honours filters in either mode', async () => {
      const res = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['鸡蛋', '番茄'], mode: 'pantry', limit: 30, filters: { exclude: 'tomato' } })
        .expect(200);
      for (const hit of res.body.items as Hit[]) expect(await concepts(hit.recipe.id)).not.toContain('tomato');
    });

    it('400 when no ingredient is recognised or the mode is unknown', async () => {
      const none = await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['moonrock'], mode: 'pantry' })
        .expect(400);
      expect(none.body.message).toContain('moonrock');
      await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['egg'], mode: 'fridge' })
        .expect(400);
      await t.http().post('/api/search/by-ingredients').send({ ingredients: [] }).expect(400);
    });
  });

  describe('GET /api/recipes/:id/similar', () => {
    it('never returns 宫保鸡丁 itself, marks its twin from the other source, and stays with Chinese savoury dishes', async () => {
      const id = (await idByName('宫保鸡丁', 'howtocook'))!;
      const twin = await idByName('宫保鸡丁', 'yunyoujun-cook');
      const res = await t.http().get(`/api/recipes/${id}/similar`).query({ limit: 10 }).expect(200);
      const hits = res.body.items as Hit[];
      expect(hits).toHaveLength(10);
      expect(hits.map((h) => h.recipe.id)).not.toContain(id);
      if (twin) {
        const marked = hits.find((h) => h.recipe.id === twin);
        expect(marked?.sameDish).toBe(true);
      }
      const savouryChinese = hits.filter((h) => h.recipe.cuisine === 'chinese' && !['dessert', 'drink'].includes(h.recipe.category ?? ''));
      expect(savouryChinese.length).toBeGreaterThanOrEqual(8);
      expect(res.body.diversity).toBeGreaterThan(0);
      const names = hits.map((h) => h.recipe.name);
      expect(new Set(names).size).toBe(names.length);
    });

    it('spreads out more with a higher diversity', async () => {
      const id = (await idByName('宫保鸡丁', 'howtocook'))!;
      const low = await t.http().get(`/api/recipes/${id}/similar`).query({ diversity: 0 }).expect(200);
      const high = await t.http().get(`/api/recipes/${id}/similar`).query({ diversity: 0.9 }).expect(200);
      expect(high.body.diversity).toBeGreaterThanOrEqual(low.body.diversity);
    });

    it('404 for an unknown id, 400 for a bad diversity', async () => {
      const res = await t.http().get('/api/recipes/no-such-recipe/similar').expect(404);
      expect(res.body.code).toBe('RECIPE_NOT_FOUND');
      const id = (await idByName('宫保鸡丁', 'howtocook'))!;
      await t.http().get(`/api/recipes/${id}/similar`).query({ diversity: 2 }).expect(400);
    });
  });
});
