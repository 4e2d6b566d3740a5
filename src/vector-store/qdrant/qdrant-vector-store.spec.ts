import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { QdrantClient } from '@qdrant/js-client-rest';
import { collectionNameFor } from '../collection-name';
import {
  CONTRACT_SPEC,
  CONTRACT_SPECS,
  describeVectorStoreContract,
  EUCLID_CONTRACT_SPEC,
  FIXTURE,
} from '../../../test/contracts/vector-store.contract';
import { toErrorBody } from '../../common/error-mapper';
import { describeVectorStoreAliasContract } from '../../../test/contracts/vector-store-alias.contract';
import {
  VectorCollectionConfigMismatchError,
  VectorCollectionMissingError,
  VectorDimensionMismatchError,
  VectorStoreError,
  VectorStoreUnavailableError,
} from '../vector-store.errors';
import { recipePointId } from './point-id';
import { toQdrantFilter } from './qdrant-filter.mapper';
import { QdrantVectorStore } from './qdrant-vector-store';
import { QdrantStubServer } from '../../../test/support/qdrant-stub/qdrant-stub.server';

describeVectorStoreContract('qdrant adapter against the local HTTP stub', async () => {
  const stub = await QdrantStubServer.start();
  return { store: new QdrantVectorStore({ url: stub.url }), cleanup: () => stub.stop() };
});

const qdrantUrl = process.env.QDRANT_URL;
if (qdrantUrl) {
  describeVectorStoreContract(`qdrant server at ${qdrantUrl}`, async () => {
    const prefix = `contract_${randomUUID().slice(0, 8)}`;
    const store = new QdrantVectorStore({ url: qdrantUrl, apiKey: process.env.QDRANT_API_KEY, collectionPrefix: prefix });
    return {
      store,
      cleanup: async () => {
        const client = new QdrantClient({ url: qdrantUrl, apiKey: process.env.QDRANT_API_KEY, checkCompatibility: false });
        for (const spec of CONTRACT_SPECS) {
          const name = collectionNameFor(spec, prefix);
          if ((await client.collectionExists(name)).exists) await client.deleteCollection(name);
        }
      },
    };
  });
} else {
  describe.skip('VectorStore contract: real Qdrant (skipped: set QDRANT_URL, e.g. http://localhost:6333 from docker compose)', () => {
    it('runs the shared contract against a live server', () => undefined);
  });
}

describe('QdrantVectorStore request mapping (stub)', () => {
  let stub: QdrantStubServer;
  let store: QdrantVectorStore;

  beforeEach(async () => {
    stub = await QdrantStubServer.start();
    store = new QdrantVectorStore({ url: stub.url, shards: 2, replicationFactor: 2, writeConsistencyFactor: 1 });
    await store.ensureCollection(CONTRACT_SPEC);
    await store.upsert(FIXTURE);
  });

  afterEach(async () => {
    await stub.stop();
  });

  it('creates the collection with named vectors, idf sparse terms, cluster settings, int8 quantization and payload indexes', async () => {
    const name = collectionNameFor(CONTRACT_SPEC);
    const [create] = stub.requestsTo('PUT', new RegExp(`^/collections/${name}$`));
    expect(create.body).toEqual({
      vectors: { ingredients: { size: 4, distance: 'Cosine' }, properties: { size: 3, distance: 'Cosine' } },
      sparse_vectors: { terms: { modifier: 'idf' } },
      shard_number: 2,
      replication_factor: 2,
      write_consistency_factor: 1,
      quantization_config: { scalar: { type: 'int8', always_ram: true } },
    });
    const info = await new QdrantClient({ url: stub.url, checkCompatibility: false }).getCollection(name);
    expect(info.config.quantization_config).toEqual({ scalar: { type: 'int8', always_ram: true } });
    const indexes = stub.requestsTo('PUT', /\/index$/);
    expect(indexes.every((r) => r.query.wait === 'true')).toBe(true);
    expect(
      Object.fromEntries(
        indexes.map((r) => [(r.body as { field_name: string }).field_name, (r.body as { field_schema: string }).field_schema]),
      ),
    ).toEqual({
      recipeId: 'keyword',
      source: 'keyword',
      language: 'keyword',
      category: 'keyword',
      cuisine: 'keyword',
      diets: 'keyword',
      allergens: 'keyword',
      concepts: 'keyword',
      totalMinutes: 'float',
    });
  });

  it('waits on every write and sends UUID point ids with the recipe id in the payload', async () => {
    await store.delete(['r01']);
    const writes = [...stub.requestsTo('PUT', /\/points$/), ...stub.requestsTo('POST', /\/points\/delete$/)];
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.every((r) => r.query.wait === 'true')).toBe(true);
    const [upsert] = stub.requestsTo('PUT', /\/points$/);
    const first = (upsert.body as { points: Array<{ id: string; payload: Record<string, unknown> }> }).points[0];
    expect(first.id).toBe(recipePointId('r01'));
    expect(first.payload).toMatchObject({ recipeId: 'r01', contentHash: 'hash-r01' });
  });

  it('runs the hybrid legs as one batch of filtered queries and fuses them itself', async () => {
    const legs = [
      { using: 'ingredients' as const, vector: [1, 0, 0, 0] },
      { using: 'terms' as const, vector: { indices: [1], values: [1] } },
    ];
    await store.hybrid({ legs, limit: 3, candidates: 5, rrfK: 60, filter: { categories: ['main'] } });
    const batches = stub.requestsTo('POST', /\/points\/query\/batch$/);
    expect(batches).toHaveLength(1);
    const { searches } = batches[0].body as { searches: Array<{ using: string; limit: number; filter: unknown }> };
    expect(searches.map((q) => [q.using, q.limit])).toEqual([
      ['ingredients', 5],
      ['terms', 5],
    ]);
    expect(searches[0].filter).toEqual({ must: [{ key: 'category', match: { any: ['main'] } }] });
    expect(stub.requestsTo('POST', /\/points\/query$/)).toHaveLength(0);
  });

  it('maps recommend to the query API with example ids as point ids', async () => {
    await store.recommend({ using: 'ingredients', positive: ['r01'], negative: [[0, 1, 0, 0]], strategy: 'best_score', limit: 3 });
    const [request] = stub.requestsTo('POST', /\/points\/query$/).slice(-1);
    expect(request.body).toMatchObject({
      using: 'ingredients',
      query: { recommend: { positive: [recipePointId('r01')], negative: [[0, 1, 0, 0]], strategy: 'best_score' } },
      filter: { must_not: [{ has_id: [recipePointId('r01')] }] },
    });
  });

  it('maps 5xx answers and a stopped server to VectorStoreUnavailableError', async () => {
    stub.failNext(503, 'Service unavailable: shard is recovering');
    await expect(store.count()).rejects.toBeInstanceOf(VectorStoreUnavailableError);
    await expect(store.ping()).resolves.toBeUndefined();
    await stub.stop();
    await expect(store.ping()).rejects.toBeInstanceOf(VectorStoreUnavailableError);
    await expect(store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 1 })).rejects.toBeInstanceOf(VectorStoreUnavailableError);
  });

  it('maps a missing collection to VectorCollectionMissingError', async () => {
    stub.collections.clear();
    await expect(store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 1 })).rejects.toBeInstanceOf(
      VectorCollectionMissingError,
    );
  });

  it('maps a server-side dimension error to VectorDimensionMismatchError', async () => {
    // The server's collection disagrees with the spec the adapter believes in.
    const wider = { ...CONTRACT_SPEC, modelId: 'drifted-model' };
    const client = new QdrantClient({ url: stub.url, checkCompatibility: false });
    await client.createCollection(collectionNameFor(wider), {
      vectors: { ingredients: { size: 5, distance: 'Cosine' }, properties: { size: 3, distance: 'Cosine' } },
    });
    const drifted = new QdrantVectorStore({ url: stub.url, spec: wider });
    const error = await drifted.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorDimensionMismatchError);
    expect(error).toMatchObject({ expected: 5, actual: 4, vectorName: 'ingredients' });
  });

  it('maps other client errors to VectorStoreError', async () => {
    const error = await store.recommend({ using: 'ingredients', positive: ['no-such-recipe'], limit: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorStoreError);
    expect(error).not.toBeInstanceOf(VectorCollectionMissingError);
  });

  it('refuses request bodies the real server would refuse', async () => {
    const client = new QdrantClient({ url: stub.url, checkCompatibility: false });
    const name = collectionNameFor(CONTRACT_SPEC);
    await expect(
      client.query(name, { query: [1, 0, 0, 0], using: 'ingredients', filter: { must: [], whatever: 1 } as never }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(client.upsert(name, { wait: true, points: [{ id: 'r01', vector: { ingredients: [1, 0, 0, 0] } }] })).rejects.toMatchObject(
      { status: 400 },
    );
    await expect(client.query(name, { query: { fusion: 'rrf' } })).rejects.toMatchObject({ status: 400 });
  });
});

describe('QdrantVectorStore.ensureCollection (stub)', () => {
  let stub: QdrantStubServer;
  let client: QdrantClient;
  const name = collectionNameFor(CONTRACT_SPEC);
  const createExisting = (ingredientsSize = 4): Promise<boolean> =>
    client.createCollection(name, {
      vectors: { ingredients: { size: ingredientsSize, distance: 'Cosine' }, properties: { size: 3, distance: 'Cosine' } },
      sparse_vectors: { terms: { modifier: 'idf' } },
    });

  beforeEach(async () => {
    stub = await QdrantStubServer.start();
    client = new QdrantClient({ url: stub.url, checkCompatibility: false });
  });

  afterEach(async () => {
    await stub.stop();
  });

  it('adds the payload indexes an existing collection lacks, and only those', async () => {
    await createExisting();
    await client.createPayloadIndex(name, { field_name: 'category', field_schema: 'keyword', wait: true });
    const store = new QdrantVectorStore({ url: stub.url });
    await store.ensureCollection(CONTRACT_SPEC);
    const created = stub.requestsTo('PUT', /\/index$/).map((r) => (r.body as { field_name: string }).field_name);
    expect(created).toHaveLength(9);
    expect(created.filter((f) => f === 'category')).toHaveLength(1);
    expect([...stub.collections.get(name)!.payloadIndexes.keys()].sort()).toEqual([
      'allergens',
      'category',
      'concepts',
      'cuisine',
      'diets',
      'language',
      'recipeId',
      'source',
      'totalMinutes',
    ]);
    await store.ensureCollection(CONTRACT_SPEC);
    expect(stub.requestsTo('PUT', /\/index$/)).toHaveLength(9);
  });

  it('accepts losing a creation race to another instance (409)', async () => {
    // The other instance creates the collection between this one's check and its create.
    const racing = new QdrantClient({ url: stub.url, checkCompatibility: false });
    jest.spyOn(racing, 'collectionExists').mockImplementationOnce(async () => {
      await createExisting();
      return { exists: false };
    });
    const store = new QdrantVectorStore({ url: stub.url, client: racing });
    await expect(store.ensureCollection(CONTRACT_SPEC)).resolves.toBeUndefined();
    const creates = stub.requestsTo('PUT', new RegExp(`^/collections/${name}$`));
    expect(creates).toHaveLength(2);
    await store.upsert(FIXTURE);
    expect(await store.count({ categories: ['main'] })).toBe(4);
  });

  it('refuses an existing collection with other vector sizes, with a clear 503', async () => {
    await createExisting(5);
    const store = new QdrantVectorStore({ url: stub.url });
    const error = await store.ensureCollection(CONTRACT_SPEC).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorCollectionConfigMismatchError);
    expect((error as Error).message).toContain('has 5 dimensions for "ingredients", not 4');
    expect(toErrorBody(error)).toEqual({
      statusCode: 503,
      code: 'INDEX_NOT_READY',
      message: expect.stringContaining('recreate it with a full reindex'),
    });
    await expect(store.ensureCollection(CONTRACT_SPEC, { recreate: true })).resolves.toBeUndefined();
  });
});

describe('QdrantVectorStore quantization (stub)', () => {
  let stub: QdrantStubServer;
  let client: QdrantClient;
  const name = collectionNameFor(CONTRACT_SPEC);
  const INT8 = { scalar: { type: 'int8', always_ram: true } };
  const quantizationOf = async (): Promise<unknown> => (await client.getCollection(name)).config.quantization_config;
  const queriesSent = (): Array<{ using?: string; params?: unknown }> => [
    ...stub.requestsTo('POST', /\/points\/query$/).map((r) => r.body as { using?: string; params?: unknown }),
    ...stub
      .requestsTo('POST', /\/points\/query\/batch$/)
      .flatMap((r) => (r.body as { searches: Array<{ using?: string; params?: unknown }> }).searches),
  ];
  const runEveryQueryKind = async (store: QdrantVectorStore): Promise<void> => {
    await store.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 3 });
    await store.query({ using: 'terms', vector: { indices: [1], values: [1] }, limit: 3 });
    await store.hybrid({
      legs: [
        { using: 'ingredients', vector: [1, 0, 0, 0] },
        { using: 'terms', vector: { indices: [1], values: [1] } },
      ],
      limit: 3,
    });
    await store.recommend({ using: 'properties', positive: ['r01'], strategy: 'average_vector', limit: 3 });
    await store.recommend({ using: 'ingredients', positive: ['r01'], negative: ['r04'], strategy: 'best_score', limit: 3 });
  };

  beforeEach(async () => {
    stub = await QdrantStubServer.start();
    client = new QdrantClient({ url: stub.url, checkCompatibility: false });
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await stub.stop();
  });

  it('asks every dense search to rescore its oversampled int8 candidates with the full vectors', async () => {
    const store = new QdrantVectorStore({ url: stub.url, oversampling: 3 });
    await store.ensureCollection(CONTRACT_SPEC);
    await store.upsert(FIXTURE);
    await runEveryQueryKind(store);
    const sent = queriesSent();
    expect(sent.map((q) => q.using)).toEqual(['ingredients', 'terms', 'properties', 'ingredients', 'ingredients', 'terms']);
    for (const query of sent) {
      // Sparse vectors have no int8 copy: nothing to rescore.
      expect(query.params).toEqual(query.using === 'terms' ? undefined : { quantization: { rescore: true, oversampling: 3 } });
    }
  });

  it('with QDRANT_QUANTIZATION=none creates and queries without any quantization, with the same hits', async () => {
    const plain = new QdrantVectorStore({ url: stub.url, quantization: 'none', collectionPrefix: 'plain' });
    await plain.ensureCollection(CONTRACT_SPEC);
    await plain.upsert(FIXTURE);
    const [create] = stub.requestsTo('PUT', new RegExp(`^/collections/${collectionNameFor(CONTRACT_SPEC, 'plain')}$`));
    expect(create.body).not.toHaveProperty('quantization_config');
    expect((await client.getCollection(collectionNameFor(CONTRACT_SPEC, 'plain'))).config.quantization_config).toBeNull();
    await runEveryQueryKind(plain);
    expect(queriesSent().every((q) => q.params === undefined)).toBe(true);

    // Rescored int8 search reports full-precision scores: the same hits as without quantization.
    const quantized = new QdrantVectorStore({ url: stub.url });
    await quantized.ensureCollection(CONTRACT_SPEC);
    await quantized.upsert(FIXTURE);
    const probe = { using: 'ingredients' as const, vector: [0.9, 0.1, 0, 0], limit: 3, scoreThreshold: 0.5 };
    expect(await quantized.query(probe)).toEqual(await plain.query(probe));
  });

  it('changes an existing collection in place when the setting changes, and says so in the log', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const first = new QdrantVectorStore({ url: stub.url });
    await first.ensureCollection(CONTRACT_SPEC);
    await first.upsert(FIXTURE);
    await first.ensureCollection(CONTRACT_SPEC);
    expect(stub.requestsTo('PATCH', /./)).toHaveLength(0);
    expect(log).not.toHaveBeenCalled();

    const off = new QdrantVectorStore({ url: stub.url, quantization: 'none' });
    await off.ensureCollection(CONTRACT_SPEC);
    expect(stub.requestsTo('PATCH', new RegExp(`^/collections/${name}$`)).map((r) => r.body)).toEqual([
      { quantization_config: 'Disabled' },
    ]);
    expect(await quantizationOf()).toBeNull();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`${name}: quantization changed from .*int8.* to none`)));
    expect(await off.count()).toBe(FIXTURE.length);

    const on = new QdrantVectorStore({ url: stub.url });
    await on.ensureCollection(CONTRACT_SPEC);
    expect(stub.requestsTo('PATCH', /./).map((r) => r.body)).toEqual([{ quantization_config: 'Disabled' }, { quantization_config: INT8 }]);
    expect(await quantizationOf()).toEqual(INT8);
    expect(await on.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 1 })).toMatchObject([{ id: 'r01' }]);
  });

  it.each([
    ['made by hand with other settings', { type: 'int8' as const, quantile: 0.95 }],
    ['made by earlier versions of the service (the middle 99% of values)', { type: 'int8' as const, quantile: 0.99, always_ram: true }],
  ])('replaces a quantization %s', async (_, scalar) => {
    await client.createCollection(name, {
      vectors: { ingredients: { size: 4, distance: 'Cosine' }, properties: { size: 3, distance: 'Cosine' } },
      sparse_vectors: { terms: { modifier: 'idf' } },
      quantization_config: { scalar },
    });
    await new QdrantVectorStore({ url: stub.url }).ensureCollection(CONTRACT_SPEC);
    expect(await quantizationOf()).toEqual(INT8);
  });

  it('still refuses a distance mismatch, without touching the quantization', async () => {
    const euclid = collectionNameFor(EUCLID_CONTRACT_SPEC);
    await client.createCollection(euclid, {
      vectors: { ingredients: { size: 4, distance: 'Cosine' }, properties: { size: 3, distance: 'Cosine' } },
      sparse_vectors: { terms: { modifier: 'idf' } },
    });
    const error = await new QdrantVectorStore({ url: stub.url }).ensureCollection(EUCLID_CONTRACT_SPEC).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorCollectionConfigMismatchError);
    expect((error as Error).message).toContain('uses Cosine distance for "ingredients", not Euclid');
    expect(stub.requestsTo('PATCH', /./)).toHaveLength(0);
  });
});

describe('Qdrant stub strictness', () => {
  let stub: QdrantStubServer;
  let client: QdrantClient;
  const name = collectionNameFor(CONTRACT_SPEC);

  beforeEach(async () => {
    stub = await QdrantStubServer.start();
    client = new QdrantClient({ url: stub.url, checkCompatibility: false });
    const store = new QdrantVectorStore({ url: stub.url });
    await store.ensureCollection(CONTRACT_SPEC);
    await store.upsert(FIXTURE);
  });

  afterEach(async () => {
    await stub.stop();
  });

  it.each([
    ['geo_radius', { must: [{ key: 'location', geo_radius: { center: { lon: 0, lat: 0 }, radius: 10 } }] }],
    ['values_count', { must: [{ key: 'diets', values_count: { gte: 1 } }] }],
    ['a dotted key', { must: [{ key: 'nutrition.kcal', range: { lte: 500 } }] }],
    ['an array path', { must: [{ key: 'steps[].minutes', range: { lte: 5 } }] }],
    ['two tests in one condition', { must: [{ key: 'totalMinutes', range: { lte: 30 }, is_null: false }] }],
    ['nested', { must: [{ nested: { key: 'steps', filter: { must: [] } } }] }],
  ])('answers 400 for a filter with %s instead of matching nothing', async (_, filter) => {
    const error = await client.query(name, { query: [1, 0, 0, 0], using: 'ingredients', filter: filter as never }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(JSON.stringify((error as { data: unknown }).data)).toMatch(/not implemented by the stub|status":\{"error"/);
    await expect(client.count(name, { filter: filter as never })).rejects.toMatchObject({ status: 400 });
  });

  it('answers 400 for a field condition with no test, as Qdrant does', async () => {
    await expect(client.count(name, { filter: { must: [{ key: 'category' }] } as never })).rejects.toMatchObject({ status: 400 });
  });

  it('answers 400 for selectors and request fields it does not implement', async () => {
    const query = { query: [1, 0, 0, 0], using: 'ingredients' };
    await expect(client.query(name, { ...query, with_payload: { include: ['name'] } })).rejects.toMatchObject({ status: 400 });
    await expect(client.query(name, { ...query, with_payload: ['payload.name'] })).rejects.toMatchObject({ status: 400 });
    await expect(client.query(name, { ...query, shard_key: 'eu' })).rejects.toMatchObject({ status: 400 });
    await expect(client.query(name, { ...query, params: { hnsw_ef: 64, exact: true } })).resolves.toMatchObject({
      points: expect.any(Array),
    });
    await expect(client.count(name, { shard_key: 'eu' })).rejects.toMatchObject({ status: 400 });
  });

  const errorText = (error: unknown): string => (error as { data?: { status?: { error?: string } } }).data?.status?.error ?? '';
  const vectors = { ingredients: { size: 4, distance: 'Cosine' as const }, properties: { size: 3, distance: 'Cosine' as const } };

  it.each([
    ['a type other than int8', { scalar: { type: 'int4' } }, 400, /unknown variant `int4`, expected `int8`/],
    ['no type', { scalar: { quantile: 0.99 } }, 400, /missing field `type`/],
    ['an unknown key', { scalar: { type: 'int8', quantile: 0.99, always_in_ram: true } }, 400, /unknown field `always_in_ram`/],
    ['a quantile below 0.5', { scalar: { type: 'int8', quantile: 0.3 } }, 422, /quantile: value 0.3 invalid, must be from 0.5 to 1.0/],
    ['a quantile above 1', { scalar: { type: 'int8', quantile: 1.2 } }, 422, /quantile: value 1.2 invalid, must be from 0.5 to 1.0/],
    ['two methods', { scalar: { type: 'int8' }, binary: {} }, 400, /did not match any variant of untagged enum QuantizationConfig/],
    ['"Disabled", which only updates take', 'Disabled', 400, /did not match any variant/],
    ['product quantization', { product: { compression: 'x16' } }, 400, /product quantization is not implemented by the stub/],
  ])('refuses to create a collection with %s', async (_, quantization, status, message) => {
    const error = await client.createCollection('shaped', { vectors, quantization_config: quantization as never }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status });
    expect(errorText(error)).toMatch(message);
    expect(stub.collections.has('shaped')).toBe(false);
  });

  it('refuses a per-vector quantization, which it does not model', async () => {
    const error = await client
      .createCollection('shaped', {
        vectors: { ...vectors, ingredients: { ...vectors.ingredients, quantization_config: { scalar: { type: 'int8' } } } },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(errorText(error)).toMatch(/vectors.ingredients.quantization_config is not implemented by the stub/);
  });

  it('validates updates, applies the quantization and refuses sections it does not implement', async () => {
    await expect(client.updateCollection(name, { quantization_config: 'Enabled' as never })).rejects.toMatchObject({ status: 400 });
    await expect(client.updateCollection(name, { quantization_config: { scalar: { type: 'int8', quantile: 2 } } })).rejects.toMatchObject({
      status: 422,
    });
    await expect(client.updateCollection(name, { hnsw_config: { m: 32 } })).rejects.toMatchObject({ status: 400 });
    await expect(client.updateCollection('no_such_collection', { quantization_config: 'Disabled' })).rejects.toMatchObject({ status: 404 });
    expect((await client.getCollection(name)).config.quantization_config).toEqual({
      scalar: { type: 'int8', always_ram: true },
    });
    // Unset leaves it as it is; the scalar config replaces the old one whole.
    await expect(client.updateCollection(name, {})).resolves.toBe(true);
    await client.updateCollection(name, { quantization_config: { scalar: { type: 'int8' } } });
    expect((await client.getCollection(name)).config.quantization_config).toEqual({ scalar: { type: 'int8' } });
  });

  it('checks quantization search parameters and answers only what it can score as Qdrant would', async () => {
    // The collection is int8-quantized (the adapter's default).
    const dense = { query: [1, 0, 0, 0], using: 'ingredients', limit: 2 };
    const refused = async (params: object): Promise<unknown> => client.query(name, { ...dense, params }).catch((e: unknown) => e);
    expect(await refused({ quantization: { rescore: true, oversampling: 0.5 } })).toMatchObject({ status: 422 });
    expect(errorText(await refused({ quantization: { rescore: true, oversampling: 0.5 } }))).toMatch(
      /params.quantization.oversampling: value 0.5 invalid, must be 1.0 or larger/,
    );
    expect(errorText(await refused({ quantization: { rescore: true, oversample: 2 } }))).toMatch(/unknown field `oversample`/);
    expect(await refused({ quantization: { rescore: 'yes' } })).toMatchObject({ status: 400 });
    expect(await refused({ quantization: { ignore: null } })).toMatchObject({ status: 400 });
    // int8-approximate scores: not modelled, so not guessed at.
    for (const params of [{ quantization: { rescore: false } }, { quantization: { oversampling: 2 } }, {}]) {
      expect(errorText(await refused(params))).toMatch(/without `quantization.rescore: true`.*not implemented by the stub/);
    }
    await expect(client.query(name, dense)).rejects.toMatchObject({ status: 400 });
    await expect(
      client.query(name, { prefetch: [{ ...dense, params: { quantization: { rescore: true } } }, dense], query: { fusion: 'rrf' } }),
    ).rejects.toMatchObject({ status: 400 });
    // Full-precision scores: rescored, quantization ignored, exact search, or a sparse vector.
    const exact = await client.query(name, { ...dense, params: { exact: true } });
    for (const params of [
      { quantization: { rescore: true, oversampling: 2 } },
      { quantization: { ignore: true } },
      { exact: true, quantization: { rescore: false } },
    ]) {
      await expect(client.query(name, { ...dense, params })).resolves.toEqual(exact);
    }
    await expect(
      client.query(name, { query: { indices: [1], values: [1] }, using: 'terms', params: { quantization: { rescore: false } } }),
    ).resolves.toMatchObject({ points: expect.any(Array) });
    // Without quantization Qdrant ignores the parameters, and so does the stub.
    await client.updateCollection(name, { quantization_config: 'Disabled' });
    await expect(client.query(name, { ...dense, params: { quantization: { rescore: false } } })).resolves.toEqual(exact);
  });

  it('shuffles equal scores, reproducibly for a seed', async () => {
    // r04..r07 all score 0 against [1,0,0,0]
    const tails = async (server: QdrantStubServer): Promise<string[]> => {
      const out: string[] = [];
      const reader = new QdrantVectorStore({ url: server.url, spec: CONTRACT_SPEC });
      for (let i = 0; i < 12; i++) {
        const hits = await reader.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 8 });
        out.push(
          hits
            .slice(4)
            .map((h) => h.id)
            .join(','),
        );
      }
      return out;
    };
    const first = await tails(stub);
    expect(new Set(first).size).toBeGreaterThan(1);
    for (const tail of first) expect(tail.split(',').sort()).toEqual(['r04', 'r05', 'r06', 'r07']);

    const again = await QdrantStubServer.start();
    try {
      const store = new QdrantVectorStore({ url: again.url });
      await store.ensureCollection(CONTRACT_SPEC);
      await store.upsert(FIXTURE);
      expect(await tails(again)).toEqual(first);
    } finally {
      await again.stop();
    }
  });
});

describe('recipePointId', () => {
  it('is a deterministic version-5 UUID per recipe id', () => {
    const id = recipePointId('recipe-42');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(recipePointId('recipe-42')).toBe(id);
    expect(recipePointId('recipe-43')).not.toBe(id);
  });
});

describe('toQdrantFilter', () => {
  it('lets recipes without a time through maxMinutes unless minutes are required', () => {
    expect(toQdrantFilter({ maxMinutes: 30 })).toEqual({
      must: [{ should: [{ key: 'totalMinutes', range: { lte: 30 } }, { is_empty: { key: 'totalMinutes' } }] }],
    });
    expect(toQdrantFilter({ maxMinutes: 30, requireMinutes: true })).toEqual({ must: [{ key: 'totalMinutes', range: { lte: 30 } }] });
    expect(toQdrantFilter({})).toBeUndefined();
  });

  it('requires every diet and excludes allergens and concepts', () => {
    expect(toQdrantFilter({ diets: ['vegan', 'vegetarian'], excludeAllergens: ['nuts'], excludeConcepts: ['coriander'] })).toEqual({
      must: [
        { key: 'diets', match: { value: 'vegan' } },
        { key: 'diets', match: { value: 'vegetarian' } },
      ],
      must_not: [
        { key: 'allergens', match: { any: ['nuts'] } },
        { key: 'concepts', match: { any: ['coriander'] } },
      ],
    });
  });
});

describeVectorStoreAliasContract('qdrant adapter against the local HTTP stub', async () => {
  const stub = await QdrantStubServer.start();
  return {
    prefix: 'aliases',
    open: () => new QdrantVectorStore({ url: stub.url, collectionPrefix: 'aliases' }),
    cleanup: () => stub.stop(),
  };
});
