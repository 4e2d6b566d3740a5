import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { serializeTransactions } from '../../database/data-source';
import { queryRows } from '../../database/sql';
import { VectorStore1764300000000 } from '../../database/migrations/1764300000000-vector-store';
import { CONTRACT_SPEC, describeVectorStoreContract, FIXTURE, payloadFor } from '../../../test/contracts/vector-store.contract';
import type { VectorRecord } from '../vector-store.port';
import { IndexCoordination1764600000000 } from '../../database/migrations/1764600000000-index-coordination';
import { describeVectorStoreAliasContract } from '../../../test/contracts/vector-store-alias.contract';
import { VectorStoreError, VectorStoreUnavailableError } from '../vector-store.errors';
import { EmbeddedVectorStore } from './embedded-vector-store';
import { DROP_POINTS_PER_STATEMENT } from './vector-point.repository';

async function openDatabase(file: string): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'sqlite',
    database: file,
    // The vector tables, and the aliases' table.
    migrations: [VectorStore1764300000000, IndexCoordination1764600000000],
    migrationsRun: true,
  });
  // Serialised as the service's is: single writes take their turn among its transactions.
  return serializeTransactions(await dataSource.initialize());
}

function tempDatabaseFile(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-vector-store-'));
  return { file: join(dir, 'test.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeVectorStoreContract('embedded (SQLite)', async () => {
  const temp = tempDatabaseFile();
  const dataSource = await openDatabase(temp.file);
  return {
    store: new EmbeddedVectorStore(dataSource),
    cleanup: async () => {
      await dataSource.destroy();
      temp.remove();
    },
  };
});

describe('EmbeddedVectorStore persistence', () => {
  let temp: ReturnType<typeof tempDatabaseFile>;
  let dataSource: DataSource;

  beforeEach(async () => {
    temp = tempDatabaseFile();
    dataSource = await openDatabase(temp.file);
  });

  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    temp.remove();
  });

  it('serves the same points from a new store over the same database', async () => {
    const writer = new EmbeddedVectorStore(dataSource);
    await writer.ensureCollection(CONTRACT_SPEC);
    await writer.upsert(FIXTURE);
    await writer.delete(['r08']);
    await dataSource.destroy();

    dataSource = await openDatabase(temp.file);
    const reader = new EmbeddedVectorStore(dataSource, { spec: CONTRACT_SPEC });
    expect(await reader.count()).toBe(7);
    const hits = await reader.query({ using: 'ingredients', vector: [1, 0, 0, 0], limit: 3 });
    expect(hits.map((h) => h.id)).toEqual(['r01', 'r02', 'r03']);
    expect((await reader.query({ using: 'terms', vector: { indices: [1], values: [1] }, limit: 5 })).map((h) => h.id)).toEqual([
      'r02',
      'r01',
    ]);
    expect((await reader.getVectors(['r03'])).get('r03')!.payload.concepts).toEqual(['cheese']);
  });

  it('copies the dense vectors of many points, each copy the stored vector and owned by the caller', async () => {
    // 300 points of 192 + 100 floats.
    const spec = {
      modelId: 'wide@1',
      dense: { ingredients: { size: 192 }, properties: { size: 100 } },
      sparse: false,
      distance: 'dot' as const,
    };
    const store = new EmbeddedVectorStore(dataSource);
    await store.ensureCollection(spec);
    const vector = (seed: number, size: number) => Array.from({ length: size }, (_, k) => ((seed * 31 + k * 7) % 13) - 6);
    const ids = Array.from({ length: 300 }, (_, i) => `w${i}`);
    await store.upsert(
      ids.map((id, i) => ({
        id,
        dense: { ingredients: vector(i, 192), properties: vector(i + 1000, 100) },
        payload: payloadFor(id),
        contentHash: id,
      })),
    );
    const copies = await store.denseVectors([...ids, 'missing']);
    expect(copies.size).toBe(300);
    ids.forEach((id, i) => {
      expect(Array.from(copies.get(id)!.ingredients!)).toEqual(vector(i, 192));
      expect(Array.from(copies.get(id)!.properties!)).toEqual(vector(i + 1000, 100));
    });
    // Writing into one copy changes neither another copy nor the store.
    copies.get('w0')!.ingredients!.fill(99);
    copies.get('w0')!.properties!.fill(99);
    expect(Array.from(copies.get('w1')!.ingredients!)).toEqual(vector(1, 192));
    expect(Array.from((await store.denseVectors(['w0'])).get('w0')!.ingredients!)).toEqual(vector(0, 192));
  });

  it('shares an unchanged payload with the store it replaces and keeps its own for a changed one', async () => {
    const serving = new EmbeddedVectorStore(dataSource);
    await serving.ensureCollection(CONTRACT_SPEC);
    await serving.upsert(FIXTURE);
    const next = new EmbeddedVectorStore(dataSource, { sharePayloadsWith: serving });
    await next.ensureCollection({ ...CONTRACT_SPEC, build: 'next' });
    const [same, ...rest] = FIXTURE;
    const changed = rest.find((r) => !r.payload.diets.includes('vegan'))!;
    const other = rest.find((r) => r !== changed)!;
    await next.upsert([same, { ...changed, payload: { ...changed.payload, diets: [...changed.payload.diets, 'vegan'] } }, other]);

    expect(next.loadedPayload(same.id)).toBe(serving.loadedPayload(same.id));
    expect(next.loadedPayload(other.id)).toBe(serving.loadedPayload(other.id));
    expect(next.loadedPayload(changed.id)).not.toBe(serving.loadedPayload(changed.id));
    expect(next.loadedPayload(changed.id)!.diets).toEqual([...changed.payload.diets, 'vegan']);
    expect(serving.loadedPayload(changed.id)!.diets).toEqual(changed.payload.diets);
    // Filters read each store's own: the change is seen by the new store only.
    const vegan = { diets: ['vegan'] };
    expect((await next.query({ using: 'ingredients', vector: [1, 1, 1, 1], limit: 8, filter: vegan })).map((h) => h.id)).toContain(
      changed.id,
    );
    expect((await serving.query({ using: 'ingredients', vector: [1, 1, 1, 1], limit: 8, filter: vegan })).map((h) => h.id)).not.toContain(
      changed.id,
    );
  });

  it('loads a collection larger than one read page with every point, its vectors and payload', async () => {
    // More points than one load query reads (2,000), ids written out of order.
    const records: VectorRecord[] = Array.from({ length: 4_321 }, (_, i) => {
      const n = (i * 7_919) % 4_321;
      const id = `p${String(n).padStart(5, '0')}`;
      return {
        id,
        // Distinct vectors, so no two points tie in a ranking whatever their rows.
        dense: { ingredients: [Math.cos(n), Math.sin(n), 1, n / 4_321], properties: [n % 5, 1, 2] },
        sparse: { indices: [n % 11, 20 + (n % 17)], values: [1 + n / 4_321, 0.5] },
        payload: payloadFor(id, { concepts: n % 2 ? ['tomato'] : ['beef', 'meat'], allergens: n % 5 ? [] : ['gluten'] }),
        contentHash: `hash-${id}`,
      };
    });
    const writer = new EmbeddedVectorStore(dataSource);
    await writer.ensureCollection(CONTRACT_SPEC);
    await writer.upsert(records);
    const vector = { using: 'ingredients' as const, vector: [3, 1, 1, 0], limit: 25, filter: { excludeAllergens: ['gluten'] } };
    const sparse = { using: 'terms' as const, vector: { indices: [3, 25], values: [1, 1] }, limit: 25 };
    const expected = [await writer.query(vector), await writer.query(sparse)];
    await dataSource.destroy();

    dataSource = await openDatabase(temp.file);
    const reader = new EmbeddedVectorStore(dataSource, { spec: CONTRACT_SPEC });
    expect(await reader.count()).toBe(records.length);
    expect([await reader.query(vector), await reader.query(sparse)]).toEqual(expected);
    const sample = [records[0], records[1_999], records[2_000], records[4_000], records[4_320]];
    const stored = await reader.getVectors(sample.map((r) => r.id));
    for (const record of sample) {
      const point = stored.get(record.id)!;
      expect(point.payload).toEqual(record.payload);
      // Stored as float32.
      expect(point.sparse).toEqual({ indices: record.sparse!.indices, values: record.sparse!.values.map(Math.fround) });
    }
  });

  it('drops a large retired collection while the serving one takes writes between its statements', async () => {
    const retired = new EmbeddedVectorStore(dataSource);
    await retired.ensureCollection({ ...CONTRACT_SPEC, build: 'retired' });
    const retiredName = (await retired.info()).collection;
    // Three statements' worth of points, and a few more.
    const size = DROP_POINTS_PER_STATEMENT * 3 + 7;
    await retired.upsert(
      Array.from({ length: size }, (_, i) => ({ ...FIXTURE[i % FIXTURE.length], id: `old-${i}`, contentHash: `old-${i}` })),
    );
    const serving = new EmbeddedVectorStore(dataSource);
    await serving.ensureCollection(CONTRACT_SPEC);
    await serving.upsert(FIXTURE.slice(0, 2));

    let dropped = false;
    const drop = serving.dropCollectionNamed(retiredName).then(() => {
      dropped = true;
    });
    // Written once the drop has begun: it waits for one of the drop's statements, not for all.
    await new Promise((resolve) => setImmediate(resolve));
    await serving.upsert(FIXTURE.slice(2, 3));
    expect(dropped).toBe(false);
    await drop;

    expect(await serving.count()).toBe(3);
    expect(await serving.listCollections()).toEqual([(await serving.info()).collection]);
    const [left] = await queryRows<{ n: number }>(dataSource, 'SELECT COUNT(*) AS n FROM vector_points WHERE collection = ?', [
      retiredName,
    ]);
    expect(Number(left.n)).toBe(0);
  });

  it('leaves memory and database unchanged when a write fails', async () => {
    const store = new EmbeddedVectorStore(dataSource);
    await store.ensureCollection(CONTRACT_SPEC);
    await store.upsert(FIXTURE.slice(0, 4));
    // A trigger makes the database reject the next insert after part of the batch is written.
    await dataSource.query(
      `CREATE TRIGGER fail_r07 BEFORE INSERT ON vector_points WHEN NEW.id = 'r07' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
    );
    await expect(store.upsert(FIXTURE.slice(4))).rejects.toBeInstanceOf(VectorStoreUnavailableError);
    await expect(store.delete(['r01'])).resolves.toBeUndefined();
    expect(await store.count()).toBe(3);
    const reloaded = new EmbeddedVectorStore(dataSource, { spec: CONTRACT_SPEC });
    expect(await reloaded.count()).toBe(3);
  });

  it('refuses an existing collection with another distance unless recreated', async () => {
    const store = new EmbeddedVectorStore(dataSource);
    await store.ensureCollection(CONTRACT_SPEC);
    await expect(store.ensureCollection({ ...CONTRACT_SPEC, distance: 'dot' })).rejects.toBeInstanceOf(VectorStoreError);
    await expect(store.ensureCollection({ ...CONTRACT_SPEC, distance: 'dot' }, { recreate: true })).resolves.toBeUndefined();
  });

  it('reports negated Euclidean distance so higher is better', async () => {
    const store = new EmbeddedVectorStore(dataSource);
    await store.ensureCollection({ ...CONTRACT_SPEC, distance: 'euclid' });
    await store.upsert(FIXTURE);
    const hits = await store.query({ using: 'properties', vector: [0, 0, 2], limit: 2 });
    expect(hits.map((h) => h.id)).toEqual(['r03', 'r02']);
    expect(hits[0].score).toBeCloseTo(-1, 5);
    expect(hits[1].score).toBeCloseTo(-Math.sqrt(0.04 + 1), 5);
  });

  it('answers ping while the database is up and fails with unavailable after it closes', async () => {
    const store = new EmbeddedVectorStore(dataSource);
    await expect(store.ping()).resolves.toBeUndefined();
    await dataSource.destroy();
    await expect(store.ping()).rejects.toBeInstanceOf(VectorStoreUnavailableError);
  });
});

describeVectorStoreAliasContract('embedded (SQLite)', async () => {
  const temp = tempDatabaseFile();
  const dataSource = await openDatabase(temp.file);
  return {
    prefix: 'aliases',
    open: () => new EmbeddedVectorStore(dataSource, { collectionPrefix: 'aliases' }),
    cleanup: async () => {
      await dataSource.destroy();
      temp.remove();
    },
  };
});
