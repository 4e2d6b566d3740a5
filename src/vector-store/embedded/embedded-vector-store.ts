import type { DataSource } from 'typeorm';
import { collectionNameFor, DEFAULT_COLLECTION_PREFIX } from '../collection-name';
import { filterMatchesNothing } from '../recipe-filter';
import { orderTiesById } from '../hit-order';
import { averageVectorQuery } from '../recommend-scoring';
import { DEFAULT_RRF_K, fuseReciprocalRank } from '../rrf-fusion';
import {
  VectorCollectionConfigMismatchError,
  VectorCollectionMissingError,
  VectorStoreError,
  VectorStoreUnavailableError,
} from '../vector-store.errors';
import {
  SPARSE_VECTOR_NAME,
  type CollectionSpec,
  type DenseVectorName,
  type DenseVectorCopies,
  type DenseVectors,
  type HybridQuery,
  type RecipeFilter,
  type RecipePayload,
  type RecommendQuery,
  type ScrollPage,
  type SparseVector,
  type VectorHit,
  type VectorName,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
  type VectorStoreInfo,
} from '../vector-store.port';
import { assertDenseVector, assertFiniteVector, isSparseVector, normaliseSparse } from '../vector-validation';
import { EventLoopBudget } from '../../common/event-loop';
import { prepareVector } from './dense-matrix';
import { EmbeddedCollection, type PreparedPoint, type RankedRow } from './embedded-collection';
import type { RowFilter } from './row-filter';
import { DEFAULT_IVF_OPTIONS, type IvfOptions, type PartitionStatus } from './partitioned-space';
import { decodeDense, decodeSparse, encodeDense, encodeSparse, PayloadStrings } from './point-codec';
import { type PointRow, VectorPointRepository, type StoredPointRow } from './vector-point.repository';

export interface EmbeddedVectorStoreOptions {
  /** Prefix of the derived collection name (default "recipes"), shared with the Qdrant adapter. */
  collectionPrefix?: string;
  /** The collection to serve before anyone calls ensureCollection (e.g. at boot). */
  spec?: CollectionSpec;
  /** Partitioned (IVF) index settings; defaults in DEFAULT_IVF_OPTIONS. */
  ivf?: Partial<IvfOptions>;
  /**
   * A store serving the same catalog (the one a retrain replaces): a point written here whose
   * payload equals that store's for the same id shares its object instead of holding a copy.
   * Held weakly, so it does not keep a retired store alive.
   */
  sharePayloadsWith?: EmbeddedVectorStore;
}

/** Points read back per statement when another process's changes are reloaded. */
const READ_CHUNK = 100;

/**
 * Points read per query when a collection is loaded. At 101,331 points, one query for all of
 * them (with the catalog view's one read of all recipes) peaked at 2,100 MiB RSS and left the
 * service resting at 1,316 MiB; paged, 954 and 742 MiB. See `load`.
 */
const LOAD_PAGE = 2000;

/**
 * The default vector store: exact search in process, persisted in the service's SQLite
 * database (tables from the VectorStore1764300000000 migration).
 *
 * SQLite is written first, in a transaction; memory changes only after the commit, so a failed
 * write leaves both sides as they were. Writes are serialised through one queue so memory sees
 * them in commit order. Points load lazily on first use.
 */
export class EmbeddedVectorStore implements VectorStore {
  private readonly prefix: string;
  private spec: CollectionSpec | null;
  private loaded: Promise<EmbeddedCollection> | null = null;
  /** What `loaded` resolved to, for synchronous reads; null until then and after a release. */
  private ready: EmbeddedCollection | null = null;
  private readonly payloadTwin: WeakRef<EmbeddedVectorStore> | null;
  private writes: Promise<unknown> = Promise.resolve();
  private ivf: IvfOptions;

  private readonly tables: VectorPointRepository;
  /** Kept for the store's life: a vocabulary (a few thousand ids), not one entry per point. */
  private readonly payloadStrings = new PayloadStrings();

  constructor(
    private readonly dataSource: DataSource,
    options: EmbeddedVectorStoreOptions = {},
  ) {
    this.prefix = options.collectionPrefix ?? DEFAULT_COLLECTION_PREFIX;
    this.tables = new VectorPointRepository(dataSource);
    this.spec = options.spec ?? null;
    this.ivf = validIvfOptions({ ...DEFAULT_IVF_OPTIONS, ...options.ivf });
    this.payloadTwin = options.sharePayloadsWith ? new WeakRef(options.sharePayloadsWith) : null;
  }

  /** The payload of point `id` in the loaded collection, if it is loaded and holds it. */
  loadedPayload(id: string): RecipePayload | undefined {
    const row = this.ready?.rowIndex(id);
    return row === undefined ? undefined : this.ready!.payloadAt(row);
  }

  /**
   * Changes the partitioned-index settings for the next queries (benchmarks and tuning).
   * `minPoints: Infinity` turns it off; a new `lists` applies from the next build.
   */
  configureIndex(options: Partial<IvfOptions>): void {
    this.ivf = validIvfOptions({ ...this.ivf, ...options });
  }

  /** Resolves when the loaded collection has no background index work running or due. */
  async indexIdle(): Promise<void> {
    if (this.loaded) await (await this.collection()).indexIdle();
  }

  /** Per dense space: whether its partitioned index is absent, building or ready, and its size. */
  async indexStatus(): Promise<Partial<Record<DenseVectorName, PartitionStatus>>> {
    return (await this.collection()).indexStatus();
  }

  /**
   * With `recreate`, an existing collection of that name is dropped and created again in one
   * transaction, however large: a crash leaves it whole, never half deleted.
   */
  ensureCollection(spec: CollectionSpec, options: { recreate?: boolean } = {}): Promise<void> {
    return this.serialised(async () => {
      const name = collectionNameFor(spec, this.prefix);
      await this.run(async () => {
        await this.dataSource.transaction(async (manager) => {
          const stored = await this.tables.specOf(manager, name);
          if (stored !== null && !options.recreate) {
            const problem = specMismatch(JSON.parse(stored) as CollectionSpec, spec);
            if (problem) throw new VectorCollectionConfigMismatchError(`Collection ${name} ${problem}; recreate it`);
            return;
          }
          await this.tables.drop(manager, name);
          await this.tables.create(manager, name, JSON.stringify(spec));
        });
      });
      this.spec = spec;
      this.release();
      await this.collection();
    });
  }

  async dropCollection(): Promise<void> {
    if (this.spec) await this.dropNamed(collectionNameFor(this.spec, this.prefix), { aliases: false });
  }

  upsert(records: VectorRecord[]): Promise<void> {
    return this.serialised(async () => {
      const collection = await this.collection();
      const points = records.map((record) => this.prepare(collection, record));
      const dims = collection.denseNames.map((n) => collection.spec.dense[n]!.size);
      await this.run(() => this.tables.write(collection.name, this.rowsOf(dims, points)));
      for (const point of points) collection.put(point);
      collection.scheduleIndexWork();
      collection.settleSparseWhenQuiet();
    });
  }

  delete(ids: string[]): Promise<void> {
    return this.serialised(async () => {
      const collection = await this.collection();
      const unique = [...new Set(ids)];
      await this.run(() => this.tables.deletePoints(collection.name, unique));
      for (const id of unique) collection.remove(id);
      collection.scheduleIndexWork();
      collection.settleSparseWhenQuiet();
    });
  }

  async query(query: VectorQuery): Promise<VectorHit[]> {
    const collection = await this.collection();
    if (filterMatchesNothing(query.filter)) return [];
    const offset = query.offset ?? 0;
    const mask = collection.buildMask(query.filter);
    const rows = this.rank(collection, query.using, query.vector, mask, query.limit + offset, query.scoreThreshold);
    return this.hits(collection, rows.slice(offset), query.withPayload);
  }

  async hybrid(query: HybridQuery): Promise<VectorHit[]> {
    const collection = await this.collection();
    if (filterMatchesNothing(query.filter)) return [];
    const offset = query.offset ?? 0;
    const candidates = query.candidates ?? Math.max(query.limit + offset, 100);
    const mask = collection.buildMask(query.filter);
    const legs = query.legs.map((leg) => ({
      keys: orderTiesById(
        this.rank(collection, leg.using, leg.vector, mask, candidates).map(({ row, score }) => ({ row, score, id: collection.idAt(row) })),
      ).map((r) => r.row),
      weight: leg.weight,
    }));
    const fused = fuseReciprocalRank(legs, query.rrfK ?? DEFAULT_RRF_K);
    return this.hits(
      collection,
      fused.slice(offset, offset + query.limit).map(({ key, score }) => ({ row: key, score })),
      query.withPayload,
    );
  }

  async recommend(query: RecommendQuery): Promise<VectorHit[]> {
    const collection = await this.collection();
    const { using } = query;
    if (!collection.spec.dense[using]) throw new VectorStoreError(`Unknown dense vector "${using}"`);
    const negativesIn = query.negative ?? [];
    const strategy = query.strategy ?? 'average_vector';
    // best_score compares candidates with each example, prepared like a stored vector (unit for
    // cosine); average_vector averages the examples as given, like Qdrant.
    const prepared = strategy === 'best_score';
    const positives = query.positive.map((e) => this.exampleVector(collection, using, e, prepared));
    const negatives = negativesIn.map((e) => this.exampleVector(collection, using, e, prepared));
    const exampleIds = [...query.positive, ...negativesIn].filter((e): e is string => typeof e === 'string');
    const filter: RecipeFilter = { ...query.filter, excludeIds: [...(query.filter?.excludeIds ?? []), ...exampleIds] };
    if (filterMatchesNothing(filter)) return [];
    const mask = collection.buildMask(filter);
    const offset = query.offset ?? 0;
    const k = query.limit + offset;

    let rows: RankedRow[];
    if (strategy === 'best_score') {
      if (positives.length + negatives.length === 0) throw new VectorStoreError('Recommend needs at least one example');
      rows = collection.searchBestScore(using, positives, negatives, mask, k);
    } else {
      if (positives.length === 0) throw new VectorStoreError('average_vector recommendation needs a positive example');
      rows = collection.searchDense(using, prepareVector(averageVectorQuery(positives, negatives), collection.spec.distance), mask, k);
    }
    return this.hits(collection, rows.slice(offset), query.withPayload);
  }

  /**
   * Copies, so a caller can never change the stored points. The copies are plain loops (Array.from
   * over a typed array took most of the ~12 ms a 200-candidate recommendation spent here).
   */
  async getVectors(ids: string[]): Promise<Map<string, VectorRecord>> {
    return this.readRows(ids, (collection, row, id) => {
      const point = collection.snapshot(row);
      const record: VectorRecord = {
        id,
        dense: copyDense(collection.denseNames, point.dense),
        payload: copyPayload(point.payload),
        contentHash: point.contentHash,
      };
      if (point.sparse) record.sparse = { indices: toNumbers(point.sparse.indices), values: toNumbers(point.sparse.values) };
      return record;
    });
  }

  /**
   * Copies of the dense vectors only. At 100,000 recipes a user list reads ~250 candidates; with
   * their sparse terms and payloads copied too, garbage collection took ~2.4 ms of a request in a
   * CPU profile. Restarted 100k catalog, 300 requests a route, two starts each: user lists 8.6–9.6
   * → 7.9–8.3 ms p50 (11.8–12.8 → 10.8–11.4 ms of CPU), session lists 5.8–8.1 → 5.2–5.5 ms.
   * The copies share one float32 buffer per call: as a number[] per vector (8 bytes a value, two
   * arrays a candidate) they were ~1 MB of a user list's ~3.3 MB of garbage.
   */
  async denseVectors(ids: string[]): Promise<Map<string, DenseVectorCopies>> {
    let arena: Float32Array | null = null;
    let used = 0;
    // readRows reads every row from one collection, so one buffer sized by its spaces holds them all.
    return this.readRows(ids, (collection, row) => {
      arena ??= new Float32Array(collection.denseNames.reduce((sum, n) => sum + collection.spec.dense[n]!.size, 0) * ids.length);
      const copies: DenseVectorCopies = {};
      const rows = collection.denseRows(row);
      for (let i = 0; i < rows.length; i++) {
        const vector = rows[i];
        if (!vector) continue;
        const copy = arena.subarray(used, used + vector.length);
        copy.set(vector);
        used += vector.length;
        copies[collection.denseNames[i]] = copy;
      }
      return copies;
    });
  }

  /** `read` of each known id's row; the event loop is let in every few milliseconds for long lists. */
  private async readRows<T>(ids: string[], read: (collection: EmbeddedCollection, row: number, id: string) => T): Promise<Map<string, T>> {
    const collection = await this.collection();
    const out = new Map<string, T>();
    const budget = new EventLoopBudget();
    for (const id of ids) {
      // Each id is looked up afresh after a yield, so a point written meanwhile is read whole.
      // Checked before awaiting: an await per id was a promise and a microtask per candidate.
      if (budget.spent()) await budget.yieldIfSpent();
      const row = collection.rowIndex(id);
      if (row !== undefined) out.set(id, read(collection, row, id));
    }
    return out;
  }

  async count(filter?: RecipeFilter): Promise<number> {
    const collection = await this.collection();
    if (filterMatchesNothing(filter)) return 0;
    return collection.count(filter);
  }

  /** The cursor is the last id of the previous page, so concurrent writes never repeat or skip survivors. */
  async scroll(cursor: string | null, limit: number): Promise<ScrollPage> {
    const collection = await this.collection();
    const records = collection.page(cursor, limit + 1);
    const more = records.length > limit;
    const page = more ? records.slice(0, limit) : records;
    return { records: page, next: more ? page[page.length - 1].id : null };
  }

  async info(): Promise<VectorStoreInfo> {
    const collection = await this.collection();
    return { kind: 'embedded', collection: collection.name, points: collection.size };
  }

  async ping(): Promise<void> {
    await this.run(() => this.tables.ping());
  }

  async listCollections(): Promise<string[]> {
    const names = await this.run(() => this.tables.collectionNames());
    return names.filter((name) => name.startsWith(`${this.prefix}_`));
  }

  dropCollectionNamed(name: string): Promise<void> {
    return this.dropNamed(name, { aliases: true });
  }

  /**
   * The points go first, in bounded statements and outside this store's write queue (see
   * VectorPointRepository.deleteAllPoints): a retired collection of 1,000,000 points is dropped
   * while the serving one takes new recipes. Then the collection (and with `aliases` its
   * aliases) at once; this store lets its collection go if that was the one.
   */
  private async dropNamed(name: string, options: { aliases: boolean }): Promise<void> {
    await this.run(() => this.tables.deleteAllPoints(name));
    return this.serialised(async () => {
      await this.run(() => this.dataSource.transaction((manager) => this.tables.drop(manager, name, options)));
      if (this.spec && collectionNameFor(this.spec, this.prefix) === name) {
        this.spec = null;
        this.release();
      }
    });
  }

  async aliasTarget(alias: string): Promise<string | null> {
    return this.run(() => this.tables.aliasTarget(alias));
  }

  /**
   * One transaction: readers of the alias table see the old target or the new one, never none.
   * It writes first and checks after (rolling back when the collection is missing): a SQLite
   * transaction that read first cannot upgrade to a write once another process has written.
   */
  async switchAlias(alias: string, collection: string): Promise<void> {
    await this.run(() =>
      this.dataSource.transaction(async (manager) => {
        await this.tables.setAlias(manager, alias, collection);
        if (!(await this.tables.exists(manager, collection)))
          throw new VectorCollectionMissingError(`Cannot point alias ${alias} at ${collection}: no such collection`);
      }),
    );
  }

  /**
   * Brings the in-memory copy up to date with points another process wrote to the shared
   * tables. Queued behind this instance's own writes so memory still sees commit order.
   */
  reloadPoints(ids: string[] | null): Promise<void> {
    return this.serialised(async () => {
      if (!this.loaded) return;
      if (ids === null) {
        // Loaded again, whole, on the next use.
        this.release();
        return;
      }
      const collection = await this.collection();
      const dims = collection.denseNames.map((n) => collection.spec.dense[n]!.size);
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += READ_CHUNK) {
        const chunk = unique.slice(i, i + READ_CHUNK);
        const rows = await this.run(() => this.tables.points(collection.name, chunk));
        const found = new Set<string>();
        for (const row of rows) {
          found.add(row.id);
          collection.put(this.storedPoint(row, dims));
        }
        for (const id of chunk) if (!found.has(id)) collection.remove(id);
      }
      collection.scheduleIndexWork();
      collection.settleSparseWhenQuiet();
    });
  }

  /** Forgets the loaded collection and stops its background index work. */
  private release(): void {
    const previous = this.loaded;
    this.loaded = null;
    this.ready = null;
    previous?.then(
      (collection) => collection.close(),
      () => undefined,
    );
  }

  private collection(): Promise<EmbeddedCollection> {
    const spec = this.spec;
    if (!spec) return Promise.reject(new VectorCollectionMissingError('No collection selected: call ensureCollection first'));
    if (!this.loaded) {
      const loading = this.load(spec);
      this.loaded = loading;
      // A failed load must not stick: the next call retries (e.g. after the reindex created it).
      loading.then(
        (collection) => {
          if (this.loaded === loading) this.ready = collection;
        },
        () => {
          if (this.loaded === loading) this.loaded = null;
        },
      );
    }
    return this.loaded;
  }

  /** A stored point row as it lives in memory. */
  private storedPoint(row: StoredPointRow, dims: readonly number[]): PreparedPoint {
    return {
      id: row.id,
      contentHash: row.content_hash,
      payload: this.payloadStrings.decode(row.payload),
      dense: decodeDense(row.dense, dims),
      sparse: row.sparse ? decodeSparse(row.sparse) : null,
    };
  }

  private async load(spec: CollectionSpec): Promise<EmbeddedCollection> {
    const name = collectionNameFor(spec, this.prefix);
    return this.run(async () => {
      if (!(await this.tables.exists(this.dataSource, name))) {
        throw new VectorCollectionMissingError(`Vector collection ${name} does not exist yet; run a reindex`);
      }
      // A page at a time: reading all 101,331 points in one query left their rows' native
      // copies (~2 KB each, allocated by SQLite's worker threads and by the blob Buffers) as
      // freed but unreturned memory beside what stayed live.
      const count = await this.tables.count(name);
      // Room for a quarter more before the arrays double: twice the stored size, as before, kept
      // 155 MiB of empty dense rows at 100,000 recipes.
      const collection = new EmbeddedCollection(name, spec, Math.ceil(count * 1.25), () => this.ivf);
      const dims = collection.denseNames.map((n) => spec.dense[n]!.size);
      for (let after: string | null = null; ;) {
        const rows = await this.tables.pointsAfter(name, after, LOAD_PAGE);
        for (const row of rows) {
          collection.put(this.storedPoint(row, dims));
        }
        if (rows.length < LOAD_PAGE) break;
        after = rows[rows.length - 1].id;
      }
      collection.sparse.settle(collection.size);
      collection.scheduleIndexWork();
      return collection;
    });
  }

  /** Validates and converts one record; throws before anything is written. */
  private prepare(collection: EmbeddedCollection, record: VectorRecord): PreparedPoint {
    const { spec } = collection;
    for (const [name, vector] of Object.entries(record.dense)) {
      if (vector === undefined) continue;
      assertDenseVector(spec, name, vector.length);
      assertFiniteVector(name, vector);
    }
    let sparse: PreparedPoint['sparse'] = null;
    if (record.sparse) {
      if (!spec.sparse) throw new VectorStoreError(`Collection ${collection.name} has no sparse vectors`);
      const normalised = normaliseSparse(record.sparse);
      sparse = { indices: Uint32Array.from(normalised.indices), values: Float32Array.from(normalised.values) };
    }
    return {
      id: record.id,
      contentHash: record.contentHash,
      payload: this.payloadOf(record),
      dense: collection.denseNames.map((n) => {
        const vector = record.dense[n];
        return vector ? prepareVector(vector, spec.distance) : null;
      }),
      sparse,
    };
  }

  /**
   * The payload filters and hits read: a copy (the record id is authoritative), its shared
   * strings pooled, or the twin store's equal object. A retrain fills a second collection with
   * the same catalog while the first serves: sharing took a fresh 100,000-recipe run's peak (the
   * retrain) from 1,038 to 967 MiB.
   */
  private payloadOf(record: VectorRecord): RecipePayload {
    const payload = { ...copyPayload(record.payload), recipeId: record.id };
    const twin = this.payloadTwin?.deref()?.loadedPayload(record.id);
    return twin !== undefined && samePayload(twin, payload) ? twin : this.payloadStrings.shared(payload);
  }

  private rowsOf(dims: number[], points: PreparedPoint[]): PointRow[] {
    return points.map((p) => ({
      id: p.id,
      contentHash: p.contentHash,
      payload: JSON.stringify(p.payload),
      dense: encodeDense(dims, p.dense),
      sparse: p.sparse ? encodeSparse(p.sparse) : null,
    }));
  }

  private rank(
    collection: EmbeddedCollection,
    using: VectorName,
    vector: number[] | SparseVector,
    mask: RowFilter | null,
    k: number,
    threshold?: number,
  ): RankedRow[] {
    if (using === SPARSE_VECTOR_NAME) {
      if (!collection.spec.sparse) throw new VectorStoreError(`Collection ${collection.name} has no sparse vectors`);
      if (!isSparseVector(vector)) throw new VectorStoreError('The terms space takes a sparse vector');
      return collection.searchSparse(normaliseSparse(vector), mask, k, threshold);
    }
    if (isSparseVector(vector)) throw new VectorStoreError(`The ${using} space takes a dense vector`);
    assertDenseVector(collection.spec, using, vector.length);
    return collection.searchDense(using, prepareVector(vector, collection.spec.distance), mask, k, threshold);
  }

  /** A stored point's vector (as stored), or a raw vector: prepared for scoring or left as given. */
  private exampleVector(
    collection: EmbeddedCollection,
    using: DenseVectorName,
    example: string | number[],
    prepared: boolean,
  ): Float32Array {
    if (typeof example !== 'string') {
      assertDenseVector(collection.spec, using, example.length);
      assertFiniteVector(using, example);
      return prepared ? prepareVector(example, collection.spec.distance) : Float32Array.from(example);
    }
    const row = collection.rowIndex(example);
    const vector = row === undefined ? null : collection.matrix(using).row(row);
    if (!vector) throw new VectorStoreError(`Example ${example} has no ${using} vector in ${collection.name}`);
    return vector;
  }

  private hits(collection: EmbeddedCollection, rows: RankedRow[], withPayload = true): VectorHit[] {
    return rows.map(({ row, score }) =>
      withPayload
        ? { id: collection.idAt(row), score, payload: copyPayload(collection.payloadAt(row)) }
        : { id: collection.idAt(row), score },
    );
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writes.then(work, work);
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** Database failures become VectorStoreUnavailableError; domain errors pass through. */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof VectorStoreError) throw error;
      throw new VectorStoreUnavailableError(`Vector tables unavailable: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** How a stored collection differs from the spec asked for, or null when it fits. */
function specMismatch(stored: CollectionSpec, wanted: CollectionSpec): string | null {
  if (stored.distance !== wanted.distance) return `uses ${stored.distance} distance, not ${wanted.distance}`;
  for (const name of new Set([...Object.keys(stored.dense), ...Object.keys(wanted.dense)]) as Set<DenseVectorName>) {
    const have = stored.dense[name]?.size;
    const want = wanted.dense[name]?.size;
    if (have !== want) return `has ${have ?? 'no'} dimensions for "${name}", not ${want ?? 'none'}`;
  }
  if (Boolean(stored.sparse) !== Boolean(wanted.sparse)) return wanted.sparse ? 'has no sparse vectors' : 'has sparse vectors';
  return null;
}

function validIvfOptions(options: IvfOptions): IvfOptions {
  const { minPoints, probes, lists, oversampling } = options;
  if (!(minPoints >= 1)) throw new VectorStoreError(`IVF minPoints must be at least 1 (got ${minPoints})`);
  if (!Number.isInteger(probes) || probes < 1) throw new VectorStoreError(`IVF probes must be a positive integer (got ${probes})`);
  if (lists !== null && (!Number.isInteger(lists) || lists < 1))
    throw new VectorStoreError(`IVF lists must be a positive integer (got ${lists})`);
  if (!(oversampling >= 1 && oversampling <= 100))
    throw new VectorStoreError(`IVF oversampling must be from 1 to 100 (got ${oversampling})`);
  return { minPoints, probes, lists, oversampling };
}

function copyDense(names: readonly DenseVectorName[], vectors: ReadonlyArray<Float32Array | null>): DenseVectors {
  const dense: DenseVectors = {};
  names.forEach((n, i) => {
    const vector = vectors[i];
    if (vector) dense[n] = toNumbers(vector);
  });
  return dense;
}

function toNumbers(values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** Equal field by field, arrays element by element (payload values are scalars or arrays of them). */
function samePayload(a: RecipePayload, b: RecipePayload): boolean {
  const fields = Object.keys(a) as Array<keyof RecipePayload>;
  if (fields.length !== Object.keys(b).length) return false;
  for (const field of fields) {
    const x = a[field];
    const y = b[field];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((value, i) => value !== y[i])) return false;
    } else if (x !== y) return false;
  }
  return true;
}

function copyPayload(payload: PreparedPoint['payload']): PreparedPoint['payload'] {
  return {
    ...payload,
    diets: [...payload.diets],
    flavors: [...payload.flavors],
    allergens: [...payload.allergens],
    concepts: [...payload.concepts],
  };
}
