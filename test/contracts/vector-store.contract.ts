import {
  VectorCollectionConfigMismatchError,
  VectorCollectionMissingError,
  VectorDimensionMismatchError,
} from '../../src/vector-store/vector-store.errors';
import type {
  CollectionSpec,
  RecipeFilter,
  RecipePayload,
  SparseVector,
  VectorHit,
  VectorRecord,
  VectorStore,
} from '../../src/vector-store/vector-store.port';

/**
 * Behaviour every VectorStore adapter must share, run against each of them. Vectors are tiny
 * and hand-picked so expected rankings (and RRF scores) can be worked out on paper; comments
 * give the cosine values that decide each order. Recommend scores are Qdrant 1.18's (see
 * recommend-scoring.ts), s(x) = (x / (1 + |x|) + 1) / 2. Equal scores are checked as sets: no
 * store promises their order.
 */
export function describeVectorStoreContract(name: string, factory: () => Promise<{ store: VectorStore; cleanup(): Promise<void> }>): void {
  describe(`VectorStore contract: ${name}`, () => {
    let store: VectorStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await factory());
    });

    afterAll(async () => {
      await cleanup?.();
    });

    it('refuses to work before a collection exists', async () => {
      await expect(store.count()).rejects.toBeInstanceOf(VectorCollectionMissingError);
    });

    describe('with the fixture collection', () => {
      beforeEach(async () => {
        await store.ensureCollection(CONTRACT_SPEC, { recreate: true });
        await store.upsert(FIXTURE);
      });

      const queryIds = async (filter: RecipeFilter): Promise<string[]> =>
        ids(await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], filter, limit: 20 })).sort();

      it('upserts and counts, with and without a filter', async () => {
        expect(await store.count()).toBe(8);
        expect(await store.count({ categories: ['main'] })).toBe(4);
        const info = await store.info();
        expect(info.points).toBe(8);
        expect(info.collection).toContain('contract-test-model');
      });

      it('ranks by each named dense vector, nearest first, honouring limit and offset', async () => {
        // ingredients vs [1,0,0,0]: r01 1, r02 .994, r03 .919, r08 .5, the rest 0
        const byIngredients = await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 4 });
        expect(ids(byIngredients)).toEqual(['r01', 'r02', 'r03', 'r08']);
        expect(byIngredients[0].score).toBeCloseTo(1, 4);
        expect(byIngredients[0].payload!.recipeId).toBe('r01');
        expect(byIngredients[0].payload!.concepts).toEqual(['tomato', 'pasta']);
        // properties vs [0,0,1]: r03 1, r02 .981, r04 .958, r05 .894, r07 .707
        expect(ids(await store.query({ using: 'properties', vector: [0, 0, 1], limit: 3 }))).toEqual(['r03', 'r02', 'r04']);
        expect(ids(await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 2, offset: 1 }))).toEqual(['r02', 'r03']);
      });

      it('answers a query asked without payloads with the same hits, scores and order', async () => {
        // Four distinct scores: ties come in no promised order.
        const query = { using: 'ingredients' as const, vector: [1, 0, 0, 0], limit: 4 };
        const bare = await store.query({ ...query, withPayload: false });
        const full = await store.query(query);
        expect(bare.map((h) => [h.id, h.score])).toEqual(full.map((h) => [h.id, h.score]));
        const hybrid = { legs: [{ using: 'ingredients' as const, vector: [1, 0, 0, 0] }], limit: 4 };
        expect((await store.hybrid({ ...hybrid, withPayload: false })).map((h) => h.id)).toEqual(
          (await store.hybrid(hybrid)).map((h) => h.id),
        );
      });

      it('applies each filter field', async () => {
        expect(await queryIds({ categories: ['dessert'] })).toEqual(['r04', 'r05']);
        expect(await queryIds({ cuisines: ['thai'] })).toEqual(['r06', 'r07']);
        expect(await queryIds({ categories: ['main'], cuisines: ['italian', 'french'] })).toEqual(['r01', 'r02', 'r03']);
        expect(await queryIds({ diets: ['vegetarian', 'vegan'] })).toEqual(['r02', 'r04', 'r08']);
        expect(await queryIds({ excludeConcepts: ['coriander'] })).toEqual(['r01', 'r02', 'r03', 'r04', 'r07', 'r08']);
        expect(await queryIds({ excludeAllergens: ['dairy', 'nuts'] })).toEqual(['r01', 'r02', 'r04', 'r06', 'r07']);
        expect(await queryIds({ maxMinutes: 25 })).toEqual(['r01', 'r02', 'r05', 'r06', 'r08']);
        expect(await queryIds({ maxMinutes: 25, requireMinutes: true })).toEqual(['r01', 'r05', 'r06']);
        expect(await queryIds({ excludeIds: ['r01', 'r02'] })).toEqual(['r03', 'r04', 'r05', 'r06', 'r07', 'r08']);
        expect(await queryIds({ ids: ['r03', 'r07'] })).toEqual(['r03', 'r07']);
        expect(await queryIds({ sources: ['other'] })).toEqual(['r07']);
        expect(await queryIds({ languages: ['zh'] })).toEqual(['r06']);
        expect(await queryIds({ ids: [] })).toEqual([]);
      });

      it('filters before ranking, so a filtered query still fills its limit', async () => {
        // 40 near-duplicates of the query crowd out the two soups in any post-filtering scheme.
        const crowd = Array.from({ length: 40 }, (_, i) =>
          record(`noise${String(i).padStart(2, '0')}`, [1, 0.01 * i, 0, 0], [1, 0, 0], { category: 'noise' }),
        );
        await store.upsert(crowd);
        const hits = await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], filter: { categories: ['soup'] }, limit: 2 });
        expect(ids(hits).sort()).toEqual(['r06', 'r07']);
        expect(await store.count({ categories: ['noise'] })).toBe(40);
      });

      it('drops hits below the score threshold', async () => {
        const hits = await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 10, scoreThreshold: 0.9 });
        expect(ids(hits)).toEqual(['r01', 'r02', 'r03']);
      });

      it('keeps only hits strictly above the score threshold', async () => {
        // r08 = (.5,.5,.5,.5) is a unit vector scoring exactly 0.5
        const hits = await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 10, scoreThreshold: 0.5 });
        expect(ids(hits)).toEqual(['r01', 'r02', 'r03']);
        expect(ids(await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 10, scoreThreshold: 1 }))).toEqual([]);
        // r02 has term 1 twice, r01 once: a threshold at r01's exact score keeps r02 alone
        const terms = await store.query({ using: 'terms', vector: sparse({ 1: 1 }), limit: 10 });
        const r01 = terms.find((h) => h.id === 'r01')!.score;
        expect(ids(await store.query({ using: 'terms', vector: sparse({ 1: 1 }), limit: 10, scoreThreshold: r01 }))).toEqual(['r02']);
      });

      it('returns equal scores as a set, in no promised order', async () => {
        // r04..r07 are all orthogonal to the query: four hits scoring exactly 0
        const all = await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 8 });
        expectTiers(all, [['r01'], ['r02'], ['r03'], ['r08'], ['r04', 'r05', 'r06', 'r07']]);
        for (const hit of all.slice(4)) expect(hit.score).toBeCloseTo(0, 6);
        const cut = ids(await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 6 }));
        expect(cut.slice(0, 4)).toEqual(['r01', 'r02', 'r03', 'r08']);
        expect(new Set(cut.slice(4)).size).toBe(2);
        for (const id of cut.slice(4)) expect(['r04', 'r05', 'r06', 'r07']).toContain(id);
      });

      it('scores best_score as Qdrant: s(p) nearer a positive, -s(n) when a negative is at least as close', async () => {
        const hits = await store.recommend({
          using: 'ingredients',
          positive: ['r01'],
          negative: ['r04'],
          strategy: 'best_score',
          limit: 10,
        });
        // cosine to r01 / r04: r02 .994/.110, r03 .919/.394, r06 and r07 0/0 (a tie goes negative),
        // r08 .5/.5, r05 0/.994
        expectTiers(hits, [['r02'], ['r03'], ['r06', 'r07'], ['r08'], ['r05']]);
        const c = (a: number[], b: number[]): number => cosine(a, b);
        const [r01, r02, r03, r04, r05] = FIXTURE.map((r) => r.dense.ingredients!);
        expectScores(hits, {
          r02: s(c(r02, r01)),
          r03: s(c(r03, r01)),
          r06: -0.5,
          r07: -0.5,
          r08: -s(0.5),
          r05: -s(c(r05, r04)),
        });
        expect(hits[0].score).toBeCloseTo(0.749233, 5);

        const positiveOnly = await store.recommend({ using: 'ingredients', positive: [[0, 0, 0, 2]], strategy: 'best_score', limit: 2 });
        expect(ids(positiveOnly)).toEqual(['r07', 'r08']);
        expectScores(positiveOnly, { r07: s(c(FIXTURE[6].dense.ingredients!, [0, 0, 0, 1])), r08: s(0.5) });
      });

      it('averages the raw example vectors, normalising only the result', async () => {
        // avg([3,0,0,0], [0,1,0,0]) = [1.5,.5,0,0]; averaging unit vectors would give [.5,.5,0,0]
        // and score r03 .929 instead of .997.
        const hits = await store.recommend({
          using: 'ingredients',
          positive: [
            [3, 0, 0, 0],
            [0, 1, 0, 0],
          ],
          limit: 3,
        });
        expect(ids(hits)).toEqual(['r03', 'r02', 'r01']);
        expectScores(hits, { r03: cosine(FIXTURE[2].dense.ingredients!, [1.5, 0.5, 0, 0]), r01: cosine([1, 0, 0, 0], [1.5, 0.5, 0, 0]) });

        // 2 * [3,0,0,0] - [0,0,0,.5] = [6,0,0,-.5]: r07 scores -.081 (unit examples: -.439)
        const away = await store.recommend({ using: 'ingredients', positive: [[3, 0, 0, 0]], negative: [[0, 0, 0, 0.5]], limit: 10 });
        expect(away[away.length - 1].id).toBe('r07');
        expectScores(away, { r07: cosine(FIXTURE[6].dense.ingredients!, [6, 0, 0, -0.5]) });
      });

      it('refuses an existing collection with another distance unless recreated', async () => {
        const dot = { ...CONTRACT_SPEC, distance: 'dot' as const };
        await expect(store.ensureCollection(dot)).rejects.toBeInstanceOf(VectorCollectionConfigMismatchError);
        expect(await store.count()).toBe(8);
        await store.ensureCollection(dot, { recreate: true });
        expect(await store.count()).toBe(0);
      });

      it('ranks sparse term matches with idf weighting', async () => {
        // term 1 is in r01 (tf 1) and r02 (tf 2); nothing else matches.
        expect(ids(await store.query({ using: 'terms', vector: sparse({ 1: 1 }), limit: 10 }))).toEqual(['r02', 'r01']);
        // term 4 (df 1) outweighs term 6 (df 2): r06 2*idf6 = 2.33, r04 idf4 = 1.67, r07 idf6 = 1.16
        const hits = await store.query({ using: 'terms', vector: sparse({ 4: 1, 6: 1 }), limit: 10 });
        expect(ids(hits)).toEqual(['r06', 'r04', 'r07']);
        const idf = (df: number): number => Math.log(1 + (7 - df + 0.5) / (df + 0.5));
        expect(hits[1].score).toBeCloseTo(idf(1), 3);
        expect(hits[0].score).toBeCloseTo(2 * idf(2), 3);
        expect(ids(await store.query({ using: 'terms', vector: sparse({ 5: 1 }), filter: { categories: ['soup'] }, limit: 10 }))).toEqual([
          'r06',
        ]);
      });

      it('fuses legs by reciprocal rank (hand-computed, k = 60)', async () => {
        // ingredients top 3: r01, r02, r03; properties top 3: r03, r02, r04
        // r03 1/63 + 1/61 = .032266 > r02 2/62 = .032258 > r01 1/61 > r04 1/63
        const legs = [
          { using: 'ingredients' as const, vector: [1, 0, 0, 0] },
          { using: 'properties' as const, vector: [0, 0, 1] },
        ];
        const hits = await store.hybrid({ legs, limit: 4, candidates: 3, rrfK: 60 });
        expect(ids(hits)).toEqual(['r03', 'r02', 'r01', 'r04']);
        expect(hits[0].score).toBeCloseTo(1 / 63 + 1 / 61, 5);
        expect(hits[1].score).toBeCloseTo(2 / 62, 5);
        expect(hits[3].score).toBeCloseTo(1 / 63, 5);
        expect(ids(await store.hybrid({ legs, limit: 2, offset: 1, candidates: 3, rrfK: 60 }))).toEqual(['r02', 'r01']);

        // weights multiply each leg's contribution: r03 1/63 + 3/61, r02 4/62, r04 3/63, r01 1/61
        const weighted = await store.hybrid({ legs: [legs[0], { ...legs[1], weight: 3 }], limit: 4, candidates: 3, rrfK: 60 });
        expect(ids(weighted)).toEqual(['r03', 'r02', 'r04', 'r01']);
        expect(weighted[2].score).toBeCloseTo(3 / 63, 5);

        // each leg ranks the filtered set: without r03, properties ranks r02 first
        const filtered = await store.hybrid({ legs, filter: { excludeIds: ['r03'] }, limit: 3, candidates: 3, rrfK: 60 });
        expect(ids(filtered)).toEqual(['r02', 'r01', 'r04']);
      });

      it('ranks equal scores within a leg by recipe id before fusing, so fused scores do not vary', async () => {
        // r04..r07 tie at 0 on this leg: ranks 5..8 go to them in id order, every time.
        for (let i = 0; i < 3; i++) {
          const hits = await store.hybrid({ legs: [{ using: 'ingredients', vector: [1, 0, 0, 0] }], limit: 8, candidates: 8, rrfK: 60 });
          expect(ids(hits)).toEqual(['r01', 'r02', 'r03', 'r08', 'r04', 'r05', 'r06', 'r07']);
          expect(hits[4].score).toBeCloseTo(1 / 65, 6);
          expect(hits[7].score).toBeCloseTo(1 / 68, 6);
        }
      });

      it('mixes dense and sparse legs', async () => {
        const hits = await store.hybrid({
          legs: [
            { using: 'ingredients', vector: [0, 1, 0, 0] },
            { using: 'terms', vector: sparse({ 2: 1 }) },
          ],
          limit: 2,
          candidates: 2,
        });
        // ingredients: r04, r05; terms (term 2): r01, r04 -> r04 is in both
        expect(hits[0].id).toBe('r04');
      });

      it.each(['average_vector', 'best_score'] as const)(
        'recommends with %s: never the examples, away from negatives',
        async (strategy) => {
          const hits = await store.recommend({ using: 'ingredients', positive: ['r01'], negative: ['r04'], strategy, limit: 10 });
          const found = ids(hits);
          expect(found).not.toContain('r01');
          expect(found).not.toContain('r04');
          expect(found.slice(0, 2)).toEqual(['r02', 'r03']);
          // r05 sits next to the negative r04: it must come last, below zero.
          expect(found[found.length - 1]).toBe('r05');
          expect(hits[hits.length - 1].score).toBeLessThan(0);

          const positiveOnly = ids(await store.recommend({ using: 'ingredients', positive: ['r04'], strategy, limit: 2 }));
          expect(positiveOnly).toEqual(['r05', 'r08']);

          const filtered = await store.recommend({
            using: 'ingredients',
            positive: ['r01'],
            strategy,
            filter: { categories: ['dessert'] },
            limit: 5,
          });
          expect(ids(filtered).sort()).toEqual(['r04', 'r05']);
        },
      );

      it('recommends from a raw vector example', async () => {
        const hits = await store.recommend({ using: 'ingredients', positive: [[1, 0, 0, 0]], negative: [[0, 1, 0, 0]], limit: 2 });
        expect(ids(hits)).toEqual(['r01', 'r02']);
      });

      it('returns stored vectors and payload by id', async () => {
        const found = await store.getVectors(['r03', 'r08', 'missing']);
        expect([...found.keys()].sort()).toEqual(['r03', 'r08']);
        const r03 = found.get('r03')!;
        expect(r03.contentHash).toBe('hash-r03');
        expect(r03.payload).toEqual(FIXTURE[2].payload);
        // cosine collections may store unit vectors: compare directions
        expect(cosine(r03.dense.ingredients!, FIXTURE[2].dense.ingredients!)).toBeCloseTo(1, 5);
        expect(cosine(r03.dense.properties!, FIXTURE[2].dense.properties!)).toBeCloseTo(1, 5);
        expect(r03.sparse).toEqual({ indices: [3], values: [1] });
        expect(found.get('r08')!.sparse).toBeUndefined();
      });

      it('returns only dense vectors by id, as copies', async () => {
        const found = await store.denseVectors(['r03', 'missing', 'r08']);
        expect([...found.keys()].sort()).toEqual(['r03', 'r08']);
        const r03 = found.get('r03')!;
        expect(Object.keys(r03).sort()).toEqual(['ingredients', 'properties']);
        expect(cosine(r03.ingredients!, FIXTURE[2].dense.ingredients!)).toBeCloseTo(1, 5);
        expect(cosine(r03.properties!, FIXTURE[2].dense.properties!)).toBeCloseTo(1, 5);
        // Each vector is its own copy: writing over one changes neither the stored point nor the others read with it.
        r03.ingredients!.fill(0);
        expect(cosine(r03.properties!, FIXTURE[2].dense.properties!)).toBeCloseTo(1, 5);
        expect(cosine(found.get('r08')!.ingredients!, FIXTURE[7].dense.ingredients!)).toBeCloseTo(1, 5);
        expect(cosine((await store.denseVectors(['r03'])).get('r03')!.ingredients!, FIXTURE[2].dense.ingredients!)).toBeCloseTo(1, 5);
      });

      it('deletes points', async () => {
        await store.delete(['r01', 'r06', 'never-there']);
        expect(await store.count()).toBe(6);
        const hits = await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 10 });
        expect(ids(hits)).not.toContain('r01');
        expect(ids(hits)).toHaveLength(6);
        expect((await store.getVectors(['r01'])).size).toBe(0);
        expect(ids(await store.query({ using: 'terms', vector: sparse({ 6: 1 }), limit: 10 }))).toEqual(['r07']);
      });

      it('scrolls through every id once, with content hashes', async () => {
        const seen: Array<{ id: string; contentHash: string }> = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.scroll(cursor, 3);
          expect(page.records.length).toBeLessThanOrEqual(3);
          seen.push(...page.records);
          cursor = page.next;
          pages++;
        } while (cursor !== null && pages < 10);
        expect(seen.map((r) => r.id).sort()).toEqual(FIXTURE.map((r) => r.id));
        expect(seen.find((r) => r.id === 'r05')!.contentHash).toBe('hash-r05');
      });

      it('rejects vectors of the wrong dimension', async () => {
        const bad = record('bad', [1, 0, 0], [1, 0, 0]);
        await expect(store.upsert([bad])).rejects.toBeInstanceOf(VectorDimensionMismatchError);
        await expect(store.query({ using: 'properties', vector: [1, 0, 0, 0], limit: 1 })).rejects.toBeInstanceOf(
          VectorDimensionMismatchError,
        );
        await expect(store.recommend({ using: 'ingredients', positive: [[1, 0]], limit: 1 })).rejects.toBeInstanceOf(
          VectorDimensionMismatchError,
        );
        expect(await store.count()).toBe(8);
      });

      it('recreate drops every point', async () => {
        await store.ensureCollection(CONTRACT_SPEC, { recreate: true });
        expect(await store.count()).toBe(0);
        expect(await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 5 })).toEqual([]);
      });

      it('keeps points when ensuring an existing collection', async () => {
        await store.ensureCollection(CONTRACT_SPEC);
        expect(await store.count()).toBe(8);
      });

      it('replaces a point upserted again under the same id', async () => {
        await store.upsert([record('r01', [0, 0, 0, 1], [1, 0, 0], { category: 'soup' }, 'hash-r01-v2')]);
        expect(await store.count()).toBe(8);
        const top = await store.query({ using: 'ingredients', vector: [0, 0, 0, 1], limit: 1 });
        expect(top[0].id).toBe('r01');
        expect(top[0].payload!.category).toBe('soup');
        expect(await store.count({ categories: ['soup'] })).toBe(3);
        expect((await store.getVectors(['r01'])).get('r01')!.contentHash).toBe('hash-r01-v2');
        expect(ids(await store.query({ using: 'terms', vector: sparse({ 1: 1 }), limit: 10 }))).toEqual(['r02']);
      });
    });

    describe('with a Euclidean collection', () => {
      beforeEach(async () => {
        await store.ensureCollection(EUCLID_CONTRACT_SPEC, { recreate: true });
        await store.upsert(FIXTURE);
      });

      it('reports -distance, nearest first, and keeps only distances strictly below -threshold', async () => {
        // distances to [1,0,0,0]: r01 0, r02 .141, r03 .424, r08 1, r05 1.349, r04 and r06 √2, r07 1.428
        const hits = await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 8 });
        expectTiers(hits, [['r01'], ['r02'], ['r03'], ['r08'], ['r05'], ['r04', 'r06'], ['r07']]);
        expectScores(hits, { r01: 0, r02: -Math.sqrt(0.02), r03: -Math.sqrt(0.18), r08: -1, r04: -Math.SQRT2, r06: -Math.SQRT2 });
        // r08 is exactly at distance 1
        expect(ids(await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 8, scoreThreshold: -1 }))).toEqual([
          'r01',
          'r02',
          'r03',
        ]);
      });

      it('scores best_score on -distance² and does not flip the sign', async () => {
        const hits = await store.recommend({
          using: 'ingredients',
          positive: ['r01'],
          negative: ['r04'],
          strategy: 'best_score',
          limit: 10,
        });
        // squared distances to r01 / r04: r02 .02/1.62, r03 .18/.98, r07 2.04/2.04, r06 2/2, r08 1/1, r05 1.82/.02
        expect(ids(hits)).toEqual(['r02', 'r03', 'r07', 'r06', 'r08', 'r05']);
        expectScores(hits, { r02: s(-0.02), r03: s(-0.18), r07: -s(-2.04), r06: -s(-2), r08: -s(-1), r05: -s(-0.02) });
        expect(hits[0].score).toBeCloseTo(0.490196, 5);
      });

      it('averages raw examples for average_vector and reports -distance', async () => {
        // 2 * [2,0,0,0] - [0,1,0,0] = [4,-1,0,0]
        const hits = await store.recommend({ using: 'ingredients', positive: [[2, 0, 0, 0]], negative: [[0, 1, 0, 0]], limit: 3 });
        expect(ids(hits)).toEqual(['r01', 'r02', 'r03']);
        expectScores(hits, { r01: -Math.sqrt(10), r02: -Math.sqrt(3.1 ** 2 + 1.1 ** 2) });
      });
    });

    describe('with a dot-product collection', () => {
      beforeEach(async () => {
        await store.ensureCollection(DOT_CONTRACT_SPEC, { recreate: true });
        await store.upsert(FIXTURE);
      });

      it('scores raw dot products and keeps only scores strictly above the threshold', async () => {
        const hits = await store.query({ using: 'ingredients', vector: [2, 0, 0, 0], limit: 4 });
        expect(ids(hits)).toEqual(['r01', 'r02', 'r03', 'r08']);
        expectScores(hits, { r01: 2, r02: 1.8, r03: 1.4, r08: 1 });
        expect(ids(await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 8, scoreThreshold: 0.5 }))).toEqual([
          'r01',
          'r02',
          'r03',
        ]);
      });

      it('scores best_score from raw dot products', async () => {
        const hits = await store.recommend({
          using: 'ingredients',
          positive: [[2, 0, 0, 0]],
          negative: [[0, 1, 0, 0]],
          strategy: 'best_score',
          limit: 10,
        });
        // dot with the positive / negative: r01 2/0, r02 1.8/.1, r03 1.4/.3, r08 1/.5, r06 r07 0/0, r05 0/.9, r04 0/1
        expectTiers(hits, [['r01'], ['r02'], ['r03'], ['r08'], ['r06', 'r07'], ['r05'], ['r04']]);
        expectScores(hits, { r01: s(2), r02: s(1.8), r03: s(1.4), r08: s(1), r06: -0.5, r07: -0.5, r05: -s(0.9), r04: -s(1) });
      });

      it('searches average_vector with the unnormalised average', async () => {
        const hits = await store.recommend({ using: 'ingredients', positive: [[2, 0, 0, 0]], negative: [[0, 1, 0, 0]], limit: 10 });
        // [4,-1,0,0]
        expectTiers(hits, [['r01'], ['r02'], ['r03'], ['r08'], ['r06', 'r07'], ['r05'], ['r04']]);
        expectScores(hits, { r01: 4, r02: 3.5, r03: 2.5, r08: 1.5, r06: 0, r05: -0.9, r04: -1 });
      });
    });
  });
}

function ids(hits: Array<{ id: string }>): string[] {
  return hits.map((h) => h.id);
}

/** Qdrant's scaled fast sigmoid, written out again so the contract does not trust the code under test. */
function s(x: number): number {
  return (x / (1 + Math.abs(x)) + 1) / 2;
}

/** Hits in these groups, group after group; order within a group (equal scores) is free. */
function expectTiers(hits: VectorHit[], tiers: string[][]): void {
  const found = hits.map((h) => h.id);
  expect(found).toHaveLength(tiers.flat().length);
  let at = 0;
  for (const tier of tiers) {
    expect(found.slice(at, at + tier.length).sort()).toEqual([...tier].sort());
    at += tier.length;
  }
}

function expectScores(hits: VectorHit[], expected: Record<string, number>): void {
  for (const [id, score] of Object.entries(expected)) {
    const hit = hits.find((h) => h.id === id);
    expect({ id, found: hit !== undefined }).toEqual({ id, found: true });
    expect(hit!.score).toBeCloseTo(score, 5);
  }
}

export const CONTRACT_SPEC: CollectionSpec = {
  modelId: 'contract-test-model@1',
  dense: { ingredients: { size: 4 }, properties: { size: 3 } },
  sparse: true,
  distance: 'cosine',
};

export const EUCLID_CONTRACT_SPEC: CollectionSpec = { ...CONTRACT_SPEC, modelId: 'contract-test-euclid@1', distance: 'euclid' };
export const DOT_CONTRACT_SPEC: CollectionSpec = { ...CONTRACT_SPEC, modelId: 'contract-test-dot@1', distance: 'dot' };
/** Every collection the contract creates, for cleaning up a real server. */
export const CONTRACT_SPECS: readonly CollectionSpec[] = [CONTRACT_SPEC, EUCLID_CONTRACT_SPEC, DOT_CONTRACT_SPEC];

export function payloadFor(id: string, overrides: Partial<RecipePayload> = {}): RecipePayload {
  return {
    recipeId: id,
    name: `Recipe ${id}`,
    source: 'catalog',
    language: 'en',
    category: 'main',
    cuisine: null,
    diets: [],
    flavors: [],
    allergens: [],
    concepts: [],
    totalMinutes: null,
    ...overrides,
  };
}

export function sparse(terms: Record<number, number>): SparseVector {
  const indices = Object.keys(terms)
    .map(Number)
    .sort((a, b) => a - b);
  return { indices, values: indices.map((i) => terms[i]) };
}

function record(
  id: string,
  ingredients: number[],
  properties: number[],
  payload: Partial<RecipePayload> = {},
  contentHash = `hash-${id}`,
  terms?: SparseVector,
): VectorRecord {
  return { id, dense: { ingredients, properties }, sparse: terms, payload: payloadFor(id, payload), contentHash };
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

export const FIXTURE: VectorRecord[] = [
  record(
    'r01',
    [1, 0, 0, 0],
    [1, 0, 0],
    { cuisine: 'italian', diets: ['vegetarian'], allergens: ['gluten'], concepts: ['tomato', 'pasta'], totalMinutes: 20 },
    undefined,
    sparse({ 1: 1, 2: 1 }),
  ),
  record(
    'r02',
    [0.9, 0.1, 0, 0],
    [0, 0.2, 1],
    { cuisine: 'italian', diets: ['vegetarian', 'vegan'], concepts: ['tomato', 'basil'] },
    undefined,
    sparse({ 1: 2 }),
  ),
  record(
    'r03',
    [0.7, 0.3, 0, 0],
    [0, 0, 1],
    { cuisine: 'french', diets: ['vegetarian'], allergens: ['dairy'], concepts: ['cheese'], totalMinutes: 45 },
    undefined,
    sparse({ 3: 1 }),
  ),
  record(
    'r04',
    [0, 1, 0, 0],
    [0, 0.3, 1],
    { category: 'dessert', cuisine: 'french', diets: ['vegetarian', 'vegan'], concepts: ['apple'], totalMinutes: 30 },
    undefined,
    sparse({ 2: 1, 4: 1 }),
  ),
  record(
    'r05',
    [0, 0.9, 0.1, 0],
    [0.5, 0, 1],
    { category: 'dessert', allergens: ['dairy', 'egg'], concepts: ['cream', 'coriander'], totalMinutes: 10 },
    undefined,
    sparse({ 5: 1 }),
  ),
  record(
    'r06',
    [0, 0, 1, 0],
    [1, 1, 0],
    { category: 'soup', cuisine: 'thai', language: 'zh', diets: ['vegan'], concepts: ['coriander', 'coconut'], totalMinutes: 25 },
    undefined,
    sparse({ 5: 1, 6: 2 }),
  ),
  record(
    'r07',
    [0, 0, 0.2, 1],
    [0, 1, 1],
    { category: 'soup', cuisine: 'thai', source: 'other', allergens: ['fish'], concepts: ['fish-sauce'], totalMinutes: 90 },
    undefined,
    sparse({ 6: 1 }),
  ),
  record('r08', [0.5, 0.5, 0.5, 0.5], [1, 1, 1], { diets: ['vegetarian', 'vegan'], allergens: ['nuts'], concepts: ['peanut'] }),
];
