import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { serializeTransactions } from '../../database/data-source';
import { VectorStore1764300000000 } from '../../database/migrations/1764300000000-vector-store';
import type { CollectionSpec, Distance, RecipePayload, VectorRecord } from '../vector-store.port';
import { negatedEuclidean, prepareVector } from './dense-matrix';
import { dot } from './dot-kernel';
import { EmbeddedCollection } from './embedded-collection';
import { EmbeddedVectorStore } from './embedded-vector-store';
import { SeededRandom } from '../../common/seeded-random';
import { kmeans, runToEnd } from './kmeans';
import { IvfIndex } from './ivf-index';
import { DEFAULT_IVF_OPTIONS, type IvfOptions } from './partitioned-space';
import type { RowFilter } from './row-filter';

const DIM = 16;
const SPEC: CollectionSpec = { modelId: 'ivf-test', dense: { ingredients: { size: DIM } }, sparse: false, distance: 'cosine' };

function payload(id: string, category: string): RecipePayload {
  return {
    recipeId: id,
    name: id,
    source: 'test',
    language: 'en',
    category,
    cuisine: null,
    diets: [],
    flavors: [],
    allergens: [],
    concepts: [],
    totalMinutes: null,
  };
}

/** Points around `clusters` random centres, like dishes around their families; seeded. */
function clusteredVectors(count: number, clusters: number, seed: number): number[][] {
  const rng = new SeededRandom(seed);
  const gaussian = (): number => {
    const u = Math.max(rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  const centres = Array.from({ length: clusters }, () => Array.from({ length: DIM }, gaussian));
  return Array.from({ length: count }, () => {
    const centre = centres[rng.nextInt(clusters)];
    return centre.map((c) => c + 0.35 * gaussian());
  });
}

function collectionOf(
  vectors: number[][],
  ivf: IvfOptions,
  category: (i: number) => string = () => 'main',
  distance: Distance = 'cosine',
): EmbeddedCollection {
  const collection = new EmbeddedCollection('test', { ...SPEC, distance }, vectors.length, () => ivf);
  vectors.forEach((vector, i) => {
    const id = `p${String(i).padStart(5, '0')}`;
    collection.put({ id, contentHash: id, payload: payload(id, category(i)), dense: [prepareVector(vector, distance)], sparse: null });
  });
  return collection;
}

/** Waits for the build the writes started. */
async function built(collection: EmbeddedCollection): Promise<EmbeddedCollection> {
  collection.scheduleIndexWork();
  await collection.indexIdle();
  expect(collection.indexStatus().ingredients?.state).toBe('ready');
  return collection;
}

function topIds(collection: EmbeddedCollection, query: number[], k: number, filter: RowFilter | null = null): string[] {
  return collection.searchDense('ingredients', prepareVector(query, 'cosine'), filter, k).map((r) => collection.idAt(r.row));
}

describe('kmeans', () => {
  it('finds well-separated clusters and puts each blob in one of them', () => {
    const centres = [
      [10, 0, 0],
      [0, 10, 0],
      [0, 0, 10],
    ];
    const rng = new SeededRandom(7);
    const points = centres.flatMap((c) => Array.from({ length: 30 }, () => c.map((x) => x + rng.next() - 0.5)));
    const centroids = runToEnd(
      kmeans(Float32Array.from(points.flat()), points.length, 3, { k: 3, iterations: 5, seed: 1, spherical: false }),
    );
    const found = [0, 1, 2].map((c) => Array.from(centroids.subarray(c * 3, c * 3 + 3)));
    for (const centre of centres) {
      const distances = found.map((f) => Math.hypot(...f.map((x, j) => x - centre[j])));
      expect(Math.min(...distances)).toBeLessThan(0.5);
    }
  });

  it('is deterministic for a seed and returns unit centroids when spherical', () => {
    const data = Float32Array.from(clusteredVectors(200, 5, 3).flat());
    const run = (): Float32Array => runToEnd(kmeans(data, 200, DIM, { k: 8, iterations: 3, seed: 42, spherical: true }));
    const a = run();
    expect(Array.from(run())).toEqual(Array.from(a));
    const norm = Math.hypot(...Array.from(a.subarray(0, DIM)));
    expect(norm).toBeCloseTo(1, 5);
  });
});

describe('partitioned (IVF) search', () => {
  const vectors = clusteredVectors(5_000, 60, 11);
  const queries = clusteredVectors(100, 60, 11).map((v, i) => v.map((x, j) => x + 0.2 * Math.sin(i + j)));

  it('returns the exact top k when every list is probed and enough candidates are rescored', async () => {
    const ivf = { minPoints: 1_000, probes: 10_000, lists: 64, oversampling: 20 };
    const collection = await built(collectionOf(vectors, ivf));
    const exact = collectionOf(vectors, { ...ivf, minPoints: Infinity });
    for (const query of queries.slice(0, 20)) {
      const q = prepareVector(query, 'cosine');
      const got = collection.searchDense('ingredients', q, null, 10);
      const want = exact.searchDense('ingredients', q, null, 10);
      expect(got.map((r) => r.row)).toEqual(want.map((r) => r.row));
      expect(got.map((r) => r.score)).toEqual(want.map((r) => r.score));
    }
  });

  it('rescores from the float32 vectors: every score returned is the exact one, above the threshold', async () => {
    const ivf = { ...DEFAULT_IVF_OPTIONS, minPoints: 1_000 };
    const collection = await built(collectionOf(vectors, ivf));
    const exact = collectionOf(vectors, { ...ivf, minPoints: Infinity });
    let found = 0;
    for (const query of queries.slice(0, 40)) {
      const q = prepareVector(query, 'cosine');
      const want = exact.searchDense('ingredients', q, null, 10);
      const threshold = want[4].score;
      const got = collection.searchDense('ingredients', q, null, 10, threshold);
      for (const hit of got) {
        expect(hit.score).toBeGreaterThan(threshold);
        const index = Number(collection.idAt(hit.row).slice(1));
        expect(hit.score).toBe(dot(prepareVector(vectors[index], 'cosine'), 0, q, DIM));
      }
      found += got.filter((hit) => want.slice(0, 4).some((w) => w.row === hit.row)).length;
    }
    expect(found / (4 * 40)).toBeGreaterThanOrEqual(0.9);
  });

  it.each(['dot', 'euclid'] as const)(
    'rescores with the %s distance too: exact scores, and recall@10 at or above 0.9 at the default probes',
    async (distance) => {
      // Lengths from 0.5 to 2, so that the dot product and the Euclidean distance rank differently from the cosine.
      const scaled = vectors.map((v, i) => v.map((x) => x * (0.5 + (i % 7) / 4)));
      const ivf = { ...DEFAULT_IVF_OPTIONS, minPoints: 1_000 };
      const collection = await built(collectionOf(scaled, ivf, undefined, distance));
      const exact = collectionOf(scaled, { ...ivf, minPoints: Infinity }, undefined, distance);
      let found = 0;
      for (const query of queries) {
        const q = prepareVector(query, distance);
        const want = exact.searchDense('ingredients', q, null, 10);
        const got = collection.searchDense('ingredients', q, null, 10);
        for (const hit of got) {
          const vector = prepareVector(scaled[Number(collection.idAt(hit.row).slice(1))], distance);
          expect(hit.score).toBe(distance === 'dot' ? dot(vector, 0, q, DIM) : negatedEuclidean(vector, 0, q, DIM));
        }
        found += got.filter((hit) => want.some((w) => w.row === hit.row)).length;
      }
      expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('keeps recall@10 at or above 0.9 on 5,000 clustered points at the default probes', async () => {
    const ivf = { ...DEFAULT_IVF_OPTIONS, minPoints: 1_000 };
    const collection = await built(collectionOf(vectors, ivf));
    const exact = collectionOf(vectors, { ...ivf, minPoints: Infinity });
    let found = 0;
    for (const query of queries) {
      const truth = new Set(topIds(exact, query, 10));
      found += topIds(collection, query, 10).filter((id) => truth.has(id)).length;
    }
    const recall = found / (10 * queries.length);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    // And it is a partition, not a disguised full scan.
    expect(collection.indexStatus().ingredients?.lists).toBe(Math.round(2 * Math.sqrt(5_000)));
  });

  describe('with 300 lists (probes ordered through groups of centroids)', () => {
    const many = clusteredVectors(9_000, 120, 13);
    const near = clusteredVectors(100, 120, 13).map((v, i) => v.map((x, j) => x + 0.2 * Math.sin(i + j)));
    // One point in eight: more than a filtered query scans exactly, too few to fill 400 from the nearest lists.
    const category = (i: number): string => (i % 8 === 3 ? 'rare' : 'main');
    const ivf = { ...DEFAULT_IVF_OPTIONS, minPoints: 1_000, lists: 300 };
    let collection: EmbeddedCollection;
    let exact: EmbeddedCollection;
    beforeAll(async () => {
      collection = await built(collectionOf(many, ivf, category));
      exact = collectionOf(many, { ...ivf, minPoints: Infinity }, category);
    });

    it('keeps recall@10 at or above 0.9 at the default probes', () => {
      let found = 0;
      for (const query of near) {
        const truth = new Set(topIds(exact, query, 10));
        found += topIds(collection, query, 10).filter((id) => truth.has(id)).length;
      }
      expect(found / (10 * near.length)).toBeGreaterThanOrEqual(0.9);
      expect(collection.indexStatus().ingredients?.lists).toBe(300);
    });

    it('returns the exact top k when asked to probe more lists than the nearest groups hold', () => {
      ivf.probes = 10_000;
      try {
        // 5,000 of 9,000 points: more than the lists of the nearest groups hold.
        for (const query of near.slice(0, 5)) {
          const q = prepareVector(query, 'cosine');
          expect(collection.searchDense('ingredients', q, null, 5_000)).toEqual(exact.searchDense('ingredients', q, null, 5_000));
        }
      } finally {
        ivf.probes = DEFAULT_IVF_OPTIONS.probes;
      }
    });

    it('fills the limit of a filtered query by probing lists past the nearest groups', () => {
      const mask = () => collection.buildMask({ categories: ['rare'] });
      let found = 0;
      for (const query of near.slice(0, 10)) {
        const ids = topIds(collection, query, 400, mask());
        expect(ids).toHaveLength(400);
        expect(ids.every((id) => collection.payloadAt(collection.rowIndex(id)!).category === 'rare')).toBe(true);
        const truth = new Set(topIds(exact, query, 400, exact.buildMask({ categories: ['rare'] })));
        found += ids.filter((id) => truth.has(id)).length;
      }
      // Lists past the nearest groups are read nearest first: 0.94 here, 0.62 in the order of stale scores.
      expect(found / 4000).toBeGreaterThanOrEqual(0.85);
    });
  });

  it('answers a filter leaving out one point as no filter does: the same lists, the same hits less that point', async () => {
    const ivf = { ...DEFAULT_IVF_OPTIONS, minPoints: 1_000 };
    const collection = await built(collectionOf(vectors, ivf));
    const probing = jest.spyOn(IvfIndex.prototype, 'search');
    // Between the clusters too, where the nearest lists hold fewer points than the average one.
    const between = clusteredVectors(100, 1, 5).map((v) => v.map((x) => x * 0.2));
    const asked = [...queries, ...between];
    for (const [i, query] of asked.entries()) {
      const q = prepareVector(query, 'cosine');
      const unfiltered = collection.searchDense('ingredients', q, null, 51);
      const left = unfiltered[i % 51].row;
      const mask = collection.buildMask({ excludeIds: [collection.idAt(left)] });
      // The same k both ways: a search scores at least ROWS_SCORED_PER_RESULT rows per result asked for.
      expect(collection.searchDense('ingredients', q, mask, 51).slice(0, 50)).toEqual(
        unfiltered.filter((r) => r.row !== left).slice(0, 50),
      );
    }
    // Each pair of searches read as many lists, filtered or not.
    const probed = probing.mock.results.map((result) => result.value as number);
    expect(probed).toHaveLength(2 * asked.length);
    for (let i = 0; i < probed.length; i += 2) expect(probed[i + 1]).toBe(probed[i]);
    probing.mockRestore();
  });

  it('scores at least eight rows per result asked for, probing past the probes where lists are small', async () => {
    // 5,000 points in 250 lists of ~20: 4 probes read ~80 rows.
    const collection = await built(collectionOf(vectors, { minPoints: 1_000, probes: 4, lists: 250, oversampling: 1.25 }));
    const exact = collectionOf(vectors, { minPoints: Infinity, probes: 4, lists: 250, oversampling: 1.25 });
    const probing = jest.spyOn(IvfIndex.prototype, 'search');
    const q = prepareVector(queries[3], 'cosine');
    collection.searchDense('ingredients', q, null, 5);
    const got = collection.searchDense('ingredients', q, null, 100);
    const probed = probing.mock.results.map((result) => result.value as number);
    probing.mockRestore();
    expect(probed[0]).toBe(4);
    // 800 rows are ~40 lists of ~20.
    expect(probed[1]).toBeGreaterThanOrEqual(30);
    const truth = new Set(exact.searchDense('ingredients', q, null, 100).map((r) => r.row));
    expect(got.filter((r) => truth.has(r.row)).length).toBeGreaterThanOrEqual(90);
  });

  it('fills the limit of a filtered query when few points match, near the query or far from it', async () => {
    // Every 40th point is "rare" (125 of 5,000); 300 more "far" points sit opposite the queries.
    const far = clusteredVectors(300, 1, 99).map((v) => v.map((x) => x + 25));
    const all = [...vectors, ...far];
    const category = (i: number): string => (i >= vectors.length ? 'far' : i % 40 === 0 ? 'rare' : 'main');
    const collection = await built(collectionOf(all, { ...DEFAULT_IVF_OPTIONS, minPoints: 1_000, probes: 4 }, category));
    const query = queries[0].map((x) => x - 25);
    for (const [wanted, limit] of [
      ['rare', 100],
      ['far', 200],
    ] as const) {
      const mask = collection.buildMask({ categories: [wanted] });
      const ids = topIds(collection, query, limit, mask);
      expect(ids).toHaveLength(limit);
      expect(ids.every((id) => collection.payloadAt(collection.rowIndex(id)!).category === wanted)).toBe(true);
    }
  });
});

describe('EmbeddedVectorStore with a partitioned index', () => {
  let dir: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ivf-store-'));
    dataSource = new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      migrations: [VectorStore1764300000000],
      migrationsRun: true,
    });
    serializeTransactions(await dataSource.initialize());
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (id: string, vector: number[], category = 'main'): VectorRecord => ({
    id,
    dense: { ingredients: vector },
    payload: payload(id, category),
    contentHash: id,
  });

  it('finds points written or moved after the build, and forgets deleted ones', async () => {
    const store = new EmbeddedVectorStore(dataSource, { ivf: { minPoints: 1_000, probes: 4, lists: 32, oversampling: 2 } });
    await store.ensureCollection(SPEC);
    const vectors = clusteredVectors(2_000, 20, 5);
    await store.upsert(vectors.map((v, i) => record(`p${String(i).padStart(5, '0')}`, v)));
    const probe = vectors[0].map((x) => -x);
    await store.query({ using: 'ingredients', vector: probe, limit: 1 });
    await store.indexIdle();
    expect((await store.indexStatus()).ingredients).toMatchObject({ state: 'ready', lists: 32, pending: 0 });

    // New and updated points are scored from the pending list at once...
    await store.upsert([
      record('new', probe),
      record(
        'p00001',
        probe.map((x) => x * 2),
      ),
    ]);
    const fresh = await store.query({ using: 'ingredients', vector: probe, limit: 2 });
    expect(fresh.map((h) => h.id).sort()).toEqual(['new', 'p00001']);
    // ...and still found once the background assigner has put them in their lists.
    await store.indexIdle();
    expect((await store.indexStatus()).ingredients?.pending).toBe(0);
    expect((await store.query({ using: 'ingredients', vector: probe, limit: 2 })).map((h) => h.id).sort()).toEqual(['new', 'p00001']);

    // Deleting swaps the last row into the hole: the deleted id is gone, the moved one still found.
    const lastId = 'p01999';
    await store.delete(['new']);
    const hits = await store.query({ using: 'ingredients', vector: probe, limit: 2 });
    expect(hits.map((h) => h.id)).not.toContain('new');
    await store.delete(['p00001']);
    const moved = await store.query({ using: 'ingredients', vector: vectors[1999], limit: 1 });
    expect(moved[0].id).toBe(lastId);
    expect(moved[0].score).toBeCloseTo(1, 5);
  });

  it('still returns the limit for a filter matching a handful of points', async () => {
    const store = new EmbeddedVectorStore(dataSource, { ivf: { minPoints: 1_000, probes: 2, lists: 40, oversampling: 2 } });
    await store.ensureCollection(SPEC);
    const vectors = clusteredVectors(3_000, 30, 8);
    await store.upsert(vectors.map((v, i) => record(`p${String(i).padStart(5, '0')}`, v, i % 300 === 7 ? 'soup' : 'main')));
    await store.query({ using: 'ingredients', vector: vectors[0], limit: 1 });
    await store.indexIdle();
    const hits = await store.query({ using: 'ingredients', vector: vectors[0], filter: { categories: ['soup'] }, limit: 10 });
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => h.payload!.category === 'soup')).toBe(true);
    expect(await store.count({ categories: ['soup'] })).toBe(10);
  });

  it('builds the index once a collection is large enough, without waiting for a query', async () => {
    const options = { ivf: { minPoints: 1_000, probes: 4, lists: 32, oversampling: 2 } };
    const writer = new EmbeddedVectorStore(dataSource, options);
    await writer.ensureCollection(SPEC);
    await writer.upsert(clusteredVectors(900, 20, 5).map((v, i) => record(`p${String(i).padStart(5, '0')}`, v)));
    await writer.indexIdle();
    expect((await writer.indexStatus()).ingredients?.state).toBe('none');
    // Filled by writes alone (as a retrain fills the collection it will swap in): built.
    await writer.upsert(clusteredVectors(1_100, 20, 6).map((v, i) => record(`q${String(i).padStart(5, '0')}`, v)));
    await writer.indexIdle();
    expect((await writer.indexStatus()).ingredients).toMatchObject({ state: 'ready', lists: 32, pending: 0 });

    // Another process (a restart) loads the stored points: the build starts on its own.
    const restarted = new EmbeddedVectorStore(dataSource, options);
    await restarted.ensureCollection(SPEC);
    await restarted.indexIdle();
    expect((await restarted.indexStatus()).ingredients).toMatchObject({ state: 'ready', lists: 32, pending: 0 });
  });
});

describe('when a build starts', () => {
  const ivf = { minPoints: 1_000, probes: 4, lists: 16, oversampling: 2 };
  const vectors = clusteredVectors(1_500, 10, 9);

  it('waits for the writes to pause, unless a query finds no index at all', async () => {
    const collection = collectionOf(vectors, ivf);
    collection.scheduleIndexWork();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Still being written to a moment ago: an import is not slowed by builds of a growing space.
    expect(collection.indexStatus().ingredients?.state).toBe('none');
    await collection.indexIdle();
    expect(collection.indexStatus().ingredients?.state).toBe('ready');

    const queried = collectionOf(vectors, ivf);
    queried.searchDense('ingredients', prepareVector(vectors[0], 'cosine'), null, 5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queried.indexStatus().ingredients?.state).not.toBe('none');
    await queried.indexIdle();
    expect(queried.indexStatus().ingredients?.state).toBe('ready');
  });
});

describe('identical vectors', () => {
  /** 3,000 points drawn from 150 distinct vectors, as dishes sharing categorical properties. */
  const distinct = clusteredVectors(150, 12, 21);
  const rng = new SeededRandom(4);
  const vectors = Array.from({ length: 3_000 }, () => distinct[rng.nextInt(distinct.length)]);
  const queries = clusteredVectors(30, 12, 22);

  it('scores each distinct vector once and answers exactly as row-by-row scoring, through writes and deletes', async () => {
    const ivf = { minPoints: 1_000, probes: 3, lists: 24, oversampling: 2 };
    const collection = await built(collectionOf(vectors, ivf));
    const matrix = collection.matrix('ingredients');
    expect(matrix.distinct).toBe(new Set(vectors.map((v) => v.join())).size);

    // Overwrite some points with other shared vectors, delete others (swap-moves), add new ones.
    for (let i = 0; i < 400; i++) {
      const id = `p${String(rng.nextInt(3_000)).padStart(5, '0')}`;
      if (i % 3 === 0) collection.remove(id);
      else
        collection.put({
          id,
          contentHash: id,
          payload: payload(id, 'main'),
          dense: [prepareVector(distinct[rng.nextInt(40)], 'cosine')],
          sparse: null,
        });
    }
    await collection.indexIdle();

    // Row by row: a plain scoring of every present row, for both the index and the exact scan.
    const exactCollection = new EmbeddedCollection('exact', SPEC, 16, () => ({ ...ivf, minPoints: Infinity }));
    for (let row = 0; row < collection.size; row++) {
      const id = collection.idAt(row);
      exactCollection.put({ id, contentHash: id, payload: collection.payloadAt(row), dense: [matrix.row(row)], sparse: null });
    }
    expect(matrix.distinct).toBe(exactCollection.matrix('ingredients').distinct);
    for (const query of queries) {
      const q = prepareVector(query, 'cosine');
      const byRow = Array.from({ length: collection.size }, (_, row) => ({ id: collection.idAt(row), score: matrix.score(row, q) }));
      byRow.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      const exact = exactCollection.searchDense('ingredients', q, null, 50);
      expect(exact.map((r) => r.score)).toEqual(byRow.slice(0, 50).map((r) => r.score));
      // The index scores whole groups too: every row it returns carries its own vector's score.
      for (const hit of collection.searchDense('ingredients', q, null, 50)) expect(hit.score).toBe(matrix.score(hit.row, q));
    }
  });

  it('keeps the same points of a run of equal scores whatever order the rows were written in', async () => {
    // Replicas hold one collection's rows in different orders (a build's order, id order on
    // load, deletes moving the last row into the hole); a list cut inside a run of equal scores
    // must not depend on it.
    const spec: CollectionSpec = { ...SPEC, sparse: true };
    const pointOf = (i: number) => {
      const id = `p${String(i).padStart(5, '0')}`;
      const group = distinct.indexOf(vectors[i]);
      return {
        id,
        contentHash: id,
        payload: payload(id, 'main'),
        dense: [prepareVector(vectors[i], 'cosine')],
        sparse: { indices: Uint32Array.of(group % 7, 7 + (group % 11)), values: Float32Array.of(1, 0.5) },
      };
    };
    const order = Array.from({ length: vectors.length }, (_, i) => i);
    for (const ivf of [
      { minPoints: 1_000, probes: 10_000, lists: 24, oversampling: 2 },
      { ...DEFAULT_IVF_OPTIONS, minPoints: Infinity },
    ]) {
      const inIdOrder = new EmbeddedCollection('a', spec, 16, () => ivf);
      for (const i of order) inIdOrder.put(pointOf(i));
      const shuffled = new EmbeddedCollection('b', spec, 16, () => ivf);
      for (const i of [...order].reverse()) shuffled.put(pointOf(i));
      const moved = new SeededRandom(9);
      for (let n = 0; n < 300; n++) {
        const i = moved.nextInt(vectors.length);
        shuffled.remove(pointOf(i).id);
        shuffled.put(pointOf(i));
      }
      for (const collection of [inIdOrder, shuffled]) {
        collection.scheduleIndexWork();
        await collection.indexIdle();
      }
      const matrix = inIdOrder.matrix('ingredients');
      for (const query of queries.slice(0, 10)) {
        const q = prepareVector(query, 'cosine');
        const byScore = order.map((i) => matrix.score(i, q)).sort((a, b) => b - a);
        // 20 of 3,000 points drawn from 150 vectors: the cut falls inside a run of equal scores.
        expect(byScore[19]).toBe(byScore[20]);
        const [a, b] = [inIdOrder, shuffled].map((c) => c.searchDense('ingredients', q, null, 20).map((r) => c.idAt(r.row)));
        expect(b).toEqual(a);
        expect(a).toHaveLength(20);
      }
      const sparseQuery = { indices: [3, 9], values: [1, 1] };
      const [a, b] = [inIdOrder, shuffled].map((c) => c.searchSparse(sparseQuery, null, 15).map((r) => c.idAt(r.row)));
      expect(b).toEqual(a);
      expect(a).toHaveLength(15);
      inIdOrder.close();
      shuffled.close();
    }
  });

  it("keeps each list's contiguous copy of its vectors true while keys are freed and reused", async () => {
    // Every list probed, no filter: each list is scored from its block of distinct vectors, so a
    // block holding a vector its key no longer names would give a wrong score.
    const ivf = { minPoints: 1_000, probes: 10_000, lists: 24, oversampling: 2 };
    const collection = await built(collectionOf(vectors, ivf));
    const matrix = collection.matrix('ingredients');
    const fresh = clusteredVectors(600, 12, 23);
    const churn = new SeededRandom(9);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) {
        const id = `p${String(churn.nextInt(3_000)).padStart(5, '0')}`;
        const op = churn.nextInt(4);
        if (op === 0) collection.remove(id);
        else {
          // Fresh vectors take keys freed by earlier overwrites and deletes.
          const vector = op === 1 ? distinct[churn.nextInt(distinct.length)] : fresh[round * 200 + i];
          collection.put({ id, contentHash: id, payload: payload(id, 'main'), dense: [prepareVector(vector, 'cosine')], sparse: null });
        }
      }
      collection.scheduleIndexWork();
      await collection.indexIdle();
      expect(collection.indexStatus().ingredients?.pending).toBe(0);
      for (const query of queries) {
        const q = prepareVector(query, 'cosine');
        const byRow = Array.from({ length: collection.size }, (_, row) => matrix.score(row, q)).sort((a, b) => b - a);
        const hits = collection.searchDense('ingredients', q, null, 50);
        expect(hits.map((hit) => hit.score)).toEqual(byRow.slice(0, 50));
        for (const hit of hits) expect(hit.score).toBe(matrix.score(hit.row, q));
      }
    }
  });

  it('stores each distinct vector once, and every row reads back its own vector through overwrites, deletes and key reuse', () => {
    const collection = collectionOf(vectors, { minPoints: Infinity, probes: 1, lists: null, oversampling: 2 });
    const matrix = collection.matrix('ingredients');
    const expected = new Map(vectors.map((v, i) => [`p${String(i).padStart(5, '0')}`, v]));
    const fresh = clusteredVectors(500, 12, 24);
    const churn = new SeededRandom(11);
    for (let i = 0; i < 1_500; i++) {
      const id = `p${String(churn.nextInt(3_000)).padStart(5, '0')}`;
      if (churn.nextInt(3) === 0) {
        collection.remove(id);
        expected.delete(id);
      } else {
        const vector = churn.nextInt(2) === 0 ? distinct[churn.nextInt(distinct.length)] : fresh[i % fresh.length];
        collection.put({ id, contentHash: id, payload: payload(id, 'main'), dense: [prepareVector(vector, 'cosine')], sparse: null });
        expected.set(id, vector);
      }
    }
    expect(collection.size).toBe(expected.size);
    for (let row = 0; row < collection.size; row++) {
      expect(matrix.row(row)).toEqual(prepareVector(expected.get(collection.idAt(row))!, 'cosine'));
    }
    // Room for the distinct vectors (grown by half again), not for every row.
    const distinctNow = new Set([...expected.values()].map((v) => v.join())).size;
    expect(matrix.distinct).toBe(distinctNow);
    expect(matrix.data.length).toBeLessThanOrEqual(Math.ceil(distinctNow * 1.5) * DIM);
    expect(matrix.data.length).toBeLessThan(collection.size * DIM);
  });

  it('frees a vector key when its last row goes, and reuses it for a new vector', () => {
    const collection = collectionOf(vectors.slice(0, 10), { minPoints: Infinity, probes: 1, lists: null, oversampling: 2 });
    const matrix = collection.matrix('ingredients');
    const before = matrix.distinct;
    const lonely = [...Array(DIM).keys()].map((j) => (j === 0 ? 1 : 0));
    collection.put({
      id: 'lonely',
      contentHash: 'x',
      payload: payload('lonely', 'main'),
      dense: [prepareVector(lonely, 'cosine')],
      sparse: null,
    });
    expect(matrix.distinct).toBe(before + 1);
    collection.remove('lonely');
    expect(matrix.distinct).toBe(before);
    const other = [...Array(DIM).keys()].map((j) => (j === 1 ? 1 : 0));
    collection.put({
      id: 'other',
      contentHash: 'y',
      payload: payload('other', 'main'),
      dense: [prepareVector(other, 'cosine')],
      sparse: null,
    });
    const q = prepareVector(other, 'cosine');
    expect(collection.searchDense('ingredients', q, null, 1).map((r) => collection.idAt(r.row))).toEqual(['other']);
  });
});
