import { Logger } from '@nestjs/common';
import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import { collectionNameFor, DEFAULT_COLLECTION_PREFIX, denseNamesOf } from '../collection-name';
import { filterMatchesNothing } from '../recipe-filter';
import { compareHits } from '../hit-order';
import { DEFAULT_RRF_K, fuseReciprocalRank } from '../rrf-fusion';
import { VectorCollectionConfigMismatchError, VectorCollectionMissingError, VectorStoreError } from '../vector-store.errors';
import {
  SPARSE_VECTOR_NAME,
  type CollectionSpec,
  type DenseVectorName,
  type DenseVectorCopies,
  type Example,
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
import { mapQdrantError } from './qdrant-error.mapper';
import { PAYLOAD_INDEXES, toQdrantFilter } from './qdrant-filter.mapper';
import { recipePointId } from './point-id';

export interface QdrantVectorStoreOptions {
  /** e.g. http://localhost:6333 */
  url: string;
  apiKey?: string;
  /** Prefix of the derived collection name (default "recipes"); tests use a throw-away one. */
  collectionPrefix?: string;
  /** Per-request client timeout (default 10 s). */
  timeoutMs?: number;
  /** Collection creation only; Qdrant's defaults apply when unset. */
  shards?: number;
  replicationFactor?: number;
  writeConsistencyFactor?: number;
  /**
   * int8 (default): collections keep an int8 copy of every dense vector in RAM, which the index
   * scans; queries rescore the best `oversampling` × limit candidates with the full vectors.
   * none: no quantization is configured or asked for.
   */
  quantization?: QdrantQuantization;
  /** Candidates taken from the int8 scan per result asked for, 1 to 10 (default 2). */
  oversampling?: number;
  /** The collection to serve before anyone calls ensureCollection (e.g. at boot). */
  spec?: CollectionSpec;
  /**
   * The client probes the server version at construction and only logs a warning; off by
   * default so building the store never does I/O (ping() is the reachability check).
   */
  checkCompatibility?: boolean;
  /** Injected client, for tests. */
  client?: QdrantClient;
}

export type QdrantQuantization = 'int8' | 'none';

const UPSERT_CHUNK = 256;
/**
 * The reduced-precision copy: one byte per dimension, a quarter of float32, held in RAM
 * (`always_ram`) while the full vectors may live on disk. No `quantile`: the int8 range covers
 * every value (Qdrant's default), as in the embedded store. The largest components of these
 * vectors carry most of a score, and clipping them cost more than finer steps gained: with the
 * embedded store's int8 coding on the 100,000-recipe bench catalog's ingredient vectors, the
 * middle 99% of values (0.99, this adapter's earlier setting) lost 12% of the exact top 10 from
 * the int8 top 20, the whole range none (see int8-codes.ts). Qdrant's own coding was not run here.
 */
const INT8_QUANTIZATION: Schemas['ScalarQuantization'] = { scalar: { type: 'int8', always_ram: true } };
const DEFAULT_OVERSAMPLING = 2;
const DISTANCES = { cosine: 'Cosine', dot: 'Dot', euclid: 'Euclid' } as const;
type QdrantPayload = RecipePayload & { contentHash: string };

/**
 * VectorStore over Qdrant's universal Query API. Writes pass `wait: true` so callers read
 * their own writes. Recipe ids become name-based UUIDs (see point-id.ts); hits map back through
 * payload.recipeId. Qdrant reports Euclidean distance (lower is better): the adapter negates it
 * to keep "higher is better" at the port.
 */
export class QdrantVectorStore implements VectorStore {
  private readonly client: QdrantClient;
  private readonly prefix: string;
  private readonly logger = new Logger(QdrantVectorStore.name);
  private spec: CollectionSpec | null;

  constructor(private readonly options: QdrantVectorStoreOptions) {
    this.prefix = options.collectionPrefix ?? DEFAULT_COLLECTION_PREFIX;
    this.spec = options.spec ?? null;
    this.client =
      options.client ??
      new QdrantClient({
        url: options.url,
        apiKey: options.apiKey,
        timeout: options.timeoutMs ?? 10_000,
        checkCompatibility: options.checkCompatibility ?? false,
      });
  }

  /**
   * Idempotent, and safe when several instances boot at once: a create that loses the race (409)
   * is fine, an existing collection is checked against the spec (a wrong distance or size would
   * score or fail every query), and payload indexes it lacks are added, so a collection made by
   * an older version of this adapter gains the indexes added since. A quantization that differs
   * from the setting is changed in place: the full vectors stay, Qdrant's optimizers rebuild
   * (or drop) the int8 copies in the background, and queries are answered throughout.
   */
  async ensureCollection(spec: CollectionSpec, options: { recreate?: boolean } = {}): Promise<void> {
    const name = collectionNameFor(spec, this.prefix);
    await this.call('ensureCollection', async () => {
      let exists = (await this.client.collectionExists(name)).exists;
      if (exists && options.recreate) {
        await this.client.deleteCollection(name);
        exists = false;
      }
      if (!exists) {
        try {
          await this.client.createCollection(name, {
            vectors: Object.fromEntries(
              denseNamesOf(spec).map((n) => [n, { size: spec.dense[n]!.size, distance: DISTANCES[spec.distance] }]),
            ),
            // Qdrant computes IDF from its own statistics; clients send raw term weights.
            sparse_vectors: spec.sparse ? { [SPARSE_VECTOR_NAME]: { modifier: 'idf' } } : undefined,
            shard_number: this.options.shards,
            replication_factor: this.options.replicationFactor,
            write_consistency_factor: this.options.writeConsistencyFactor,
            quantization_config: this.quantization() === 'int8' ? INT8_QUANTIZATION : undefined,
          });
        } catch (error) {
          // Another instance created it between our check and our create: check theirs below.
          if ((error as { status?: unknown })?.status !== 409) throw error;
        }
      }
      const info = await this.client.getCollection(name);
      const problem = configMismatch(info, spec);
      if (problem) throw new VectorCollectionConfigMismatchError(`Qdrant collection ${name} ${problem}; recreate it (full reindex)`);
      await this.alignQuantization(name, info.config.quantization_config ?? null);
      const indexed = new Set(Object.keys(info.payload_schema ?? {}));
      for (const { field, schema } of PAYLOAD_INDEXES) {
        if (!indexed.has(field)) await this.client.createPayloadIndex(name, { field_name: field, field_schema: schema, wait: true });
      }
    });
    this.spec = spec;
  }

  async dropCollection(): Promise<void> {
    if (!this.spec) return;
    const name = collectionNameFor(this.spec, this.prefix);
    await this.call('dropCollection', async () => {
      if ((await this.client.collectionExists(name)).exists) await this.client.deleteCollection(name);
    });
    this.spec = null;
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    const { name, spec } = this.current();
    const points = records.map((record) => this.toPoint(spec, record));
    for (let i = 0; i < points.length; i += UPSERT_CHUNK) {
      await this.call('upsert', () => this.client.upsert(name, { wait: true, points: points.slice(i, i + UPSERT_CHUNK) }));
    }
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const { name } = this.current();
    await this.call('delete', () => this.client.delete(name, { wait: true, points: [...new Set(ids)].map(recipePointId) }));
  }

  async query(query: VectorQuery): Promise<VectorHit[]> {
    const { name, spec } = this.current();
    if (filterMatchesNothing(query.filter)) return [];
    const sign = this.scoreSign(spec, query.using);
    const response = await this.call(
      'query',
      () =>
        this.client.query(name, {
          query: this.queryVector(spec, query.using, query.vector),
          using: query.using,
          filter: toQdrantFilter(query.filter),
          limit: query.limit,
          offset: query.offset,
          score_threshold: query.scoreThreshold === undefined ? undefined : sign * query.scoreThreshold,
          params: this.searchParams(query.using),
          with_payload: true,
        }),
      query.using,
    );
    return response.points.map((p) => this.toHit(p, sign));
  }

  /**
   * The legs run as one batch of queries and are fused here, with the embedded store's code.
   * Qdrant could fuse equal-weight legs itself (`prefetch` + `rrf`), but it ranks equal scores
   * within a prefetch in no fixed order and RRF turns that order into scores: the same search
   * then fused, and paged, differently from one request to the next. Here each leg's ties are
   * ranked by recipe id first. Unequal weights have no server-side equivalent anyway (Qdrant's
   * weighted rrf is 1 / (rank / weight + k - 1), not weight / (k + rank)).
   */
  async hybrid(query: HybridQuery): Promise<VectorHit[]> {
    const { name, spec } = this.current();
    if (filterMatchesNothing(query.filter)) return [];
    if (query.legs.length === 0) return [];
    const offset = query.offset ?? 0;
    const candidates = query.candidates ?? Math.max(query.limit + offset, 100);
    const filter = toQdrantFilter(query.filter);
    const searches = query.legs.map((leg) => ({
      query: this.queryVector(spec, leg.using, leg.vector),
      using: leg.using,
      filter,
      limit: candidates,
      params: this.searchParams(leg.using),
      with_payload: true,
    }));
    const responses = await this.call('hybrid query', () => this.client.queryBatch(name, { searches }));
    const byId = new Map<string, VectorHit>();
    const ranked = responses.map((response, i) => {
      // Only the order matters to RRF, so the sign of Euclidean distances can be fixed here too.
      const hits = response.points.map((p) => this.toHit(p, this.scoreSign(spec, query.legs[i].using)));
      for (const hit of hits) byId.set(hit.id, hit);
      return { keys: hits.sort(compareHits).map((h) => h.id), weight: query.legs[i].weight };
    });
    return fuseReciprocalRank(ranked, query.rrfK ?? DEFAULT_RRF_K)
      .slice(offset, offset + query.limit)
      .map(({ key, score }) => ({ ...byId.get(key)!, score }));
  }

  async recommend(query: RecommendQuery): Promise<VectorHit[]> {
    const { name, spec } = this.current();
    const negatives = query.negative ?? [];
    const exampleIds = [...query.positive, ...negatives].filter((e): e is string => typeof e === 'string');
    if (filterMatchesNothing(query.filter)) return [];
    const strategy = query.strategy ?? 'average_vector';
    if (strategy === 'average_vector' && query.positive.length === 0) {
      throw new VectorStoreError('average_vector recommendation needs a positive example');
    }
    // best_score scores are Qdrant's own (higher is better, never post-processed); only the
    // nearest-neighbour search of average_vector reports a Euclidean distance to negate.
    const sign = strategy === 'best_score' ? 1 : this.scoreSign(spec, query.using);
    const response = await this.call(
      'recommend',
      () =>
        this.client.query(name, {
          query: {
            recommend: {
              positive: query.positive.map((e) => this.example(spec, query.using, e)),
              negative: negatives.map((e) => this.example(spec, query.using, e)),
              strategy,
            },
          },
          using: query.using,
          // Qdrant leaves example points out of recommendations itself; the explicit has_id
          // exclusion keeps that guarantee independent of server version.
          filter: toQdrantFilter(query.filter, exampleIds),
          limit: query.limit,
          offset: query.offset,
          params: this.searchParams(query.using),
          with_payload: true,
        }),
      query.using,
    );
    return response.points.map((p) => this.toHit(p, sign));
  }

  async getVectors(ids: string[]): Promise<Map<string, VectorRecord>> {
    const { name, spec } = this.current();
    const out = new Map<string, VectorRecord>();
    if (ids.length === 0) return out;
    const points = await this.call('getVectors', () =>
      this.client.retrieve(name, { ids: [...new Set(ids)].map(recipePointId), with_payload: true, with_vector: true }),
    );
    for (const point of points) {
      const { contentHash, ...payload } = point.payload as unknown as QdrantPayload;
      const vectors = (point.vector ?? {}) as Record<string, number[] | SparseVector>;
      const record: VectorRecord = { id: payload.recipeId, dense: denseOf(vectors, denseNamesOf(spec)), payload, contentHash };
      const terms = vectors[SPARSE_VECTOR_NAME];
      if (terms && !Array.isArray(terms)) record.sparse = { indices: terms.indices, values: terms.values };
      out.set(record.id, record);
    }
    return out;
  }

  /** Dense vectors by name; the payload's recipe id only, to map the point back. */
  async denseVectors(ids: string[]): Promise<Map<string, DenseVectorCopies>> {
    const { name, spec } = this.current();
    const out = new Map<string, DenseVectorCopies>();
    if (ids.length === 0) return out;
    const names = denseNamesOf(spec);
    const points = await this.call('denseVectors', () =>
      this.client.retrieve(name, { ids: [...new Set(ids)].map(recipePointId), with_payload: ['recipeId'], with_vector: names }),
    );
    for (const point of points) {
      const vectors = (point.vector ?? {}) as Record<string, number[] | SparseVector>;
      out.set(
        (point.payload as unknown as QdrantPayload).recipeId,
        denseOf(vectors, names, (vector) => Float32Array.from(vector)),
      );
    }
    return out;
  }

  async count(filter?: RecipeFilter): Promise<number> {
    const { name } = this.current();
    if (filterMatchesNothing(filter)) return 0;
    const result = await this.call('count', () => this.client.count(name, { filter: toQdrantFilter(filter), exact: true }));
    return result.count;
  }

  /**
   * Pages in Qdrant's point-id order (the UUIDs), not recipe-id order: Qdrant can only order by
   * payload fields with a numeric or datetime index. The cursor is Qdrant's next_page_offset.
   */
  async scroll(cursor: string | null, limit: number): Promise<ScrollPage> {
    const { name } = this.current();
    const result = await this.call('scroll', () =>
      this.client.scroll(name, {
        offset: cursor ?? undefined,
        limit,
        with_payload: ['recipeId', 'contentHash'],
        with_vector: false,
      }),
    );
    const records = result.points.map((p) => {
      const payload = p.payload as { recipeId: string; contentHash: string };
      return { id: payload.recipeId, contentHash: payload.contentHash };
    });
    const next = result.next_page_offset;
    return { records, next: next === null || next === undefined ? null : String(next) };
  }

  async info(): Promise<VectorStoreInfo> {
    const { name } = this.current();
    return { kind: 'qdrant', collection: name, points: await this.count() };
  }

  async ping(): Promise<void> {
    await this.call('ping', () => this.client.versionInfo());
  }

  async listCollections(): Promise<string[]> {
    const result = await this.call('listCollections', () => this.client.getCollections());
    return result.collections
      .map((c) => c.name)
      .filter((name) => name.startsWith(`${this.prefix}_`))
      .sort();
  }

  /** Qdrant removes the collection's aliases with it. */
  async dropCollectionNamed(name: string): Promise<void> {
    await this.call('dropCollection', async () => {
      if ((await this.client.collectionExists(name)).exists) await this.client.deleteCollection(name);
    });
    if (this.spec && collectionNameFor(this.spec, this.prefix) === name) this.spec = null;
  }

  async aliasTarget(alias: string): Promise<string | null> {
    const result = await this.call('aliasTarget', () => this.client.getAliases());
    return result.aliases.find((a) => a.alias_name === alias)?.collection_name ?? null;
  }

  /**
   * Delete and create in one request: Qdrant applies an alias request's actions atomically, so
   * readers of the alias never find it missing. The first switch only creates it.
   */
  async switchAlias(alias: string, collection: string): Promise<void> {
    const current = await this.aliasTarget(alias);
    if (current === collection) return;
    const create = { create_alias: { alias_name: alias, collection_name: collection } };
    await this.call('switchAlias', () =>
      this.client.updateCollectionAliases({
        actions: current === null ? [create] : [{ delete_alias: { alias_name: alias } }, create],
      }),
    );
  }

  private current(): { name: string; spec: CollectionSpec } {
    if (!this.spec) throw new VectorCollectionMissingError('No collection selected: call ensureCollection first');
    return { name: collectionNameFor(this.spec, this.prefix), spec: this.spec };
  }

  private quantization(): QdrantQuantization {
    return this.options.quantization ?? 'int8';
  }

  /**
   * With int8 the index scans the int8 copies and keeps `oversampling` × (limit + offset)
   * candidates; `rescore: true` then scores those with the full vectors and keeps the best, so
   * every reported score is full precision (Qdrant 1.18, lib/segment/src/index/
   * vector_index_search_common.rs: get_oversampled_top, postprocess_search_result). Scalar
   * quantization does not rescore unless asked (QuantizedVectors::default_rescoring is false for
   * it), hence the explicit flag. Score thresholds apply after rescoring (local_shard/search.rs).
   * Sparse vectors have no quantized copy: their queries carry no parameters.
   */
  private searchParams(using: VectorName): Schemas['SearchParams'] | undefined {
    if (this.quantization() === 'none' || using === SPARSE_VECTOR_NAME) return undefined;
    return { quantization: { rescore: true, oversampling: this.options.oversampling ?? DEFAULT_OVERSAMPLING } };
  }

  /**
   * Qdrant's update-collection call replaces the quantization config as a whole, or removes it
   * with "Disabled" (lib/collection/src/collection/collection_ops.rs,
   * update_quantization_config_from_diff).
   */
  private async alignQuantization(name: string, current: unknown): Promise<void> {
    const wanted = this.quantization() === 'int8' ? INT8_QUANTIZATION : null;
    if (sameQuantization(current, wanted)) return;
    await this.client.updateCollection(name, { quantization_config: wanted ?? 'Disabled' });
    this.logger.log(
      `Qdrant collection ${name}: quantization changed from ${describeQuantization(current)} to ${describeQuantization(wanted)} ` +
        '(QDRANT_QUANTIZATION); Qdrant rebuilds its quantized copies in the background',
    );
  }

  private async call<T>(action: string, work: () => Promise<T>, vectorName?: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mapQdrantError(error, action, vectorName);
    }
  }

  /**
   * Nearest-neighbour Euclid scores are distances in Qdrant; -1 flips them (and thresholds) to
   * higher-is-better. Qdrant keeps Euclid hits with distance < threshold: strictly above at the port.
   */
  private scoreSign(spec: CollectionSpec, using: VectorName): number {
    return using !== SPARSE_VECTOR_NAME && spec.distance === 'euclid' ? -1 : 1;
  }

  /** Checked here so a wrong size fails fast with the port's error, before any request. */
  private queryVector(spec: CollectionSpec, using: VectorName, vector: number[] | SparseVector): number[] | SparseVector {
    if (using === SPARSE_VECTOR_NAME) {
      if (!spec.sparse) throw new VectorStoreError('This collection has no sparse vectors');
      if (!isSparseVector(vector)) throw new VectorStoreError('The terms space takes a sparse vector');
      return normaliseSparse(vector);
    }
    if (isSparseVector(vector)) throw new VectorStoreError(`The ${using} space takes a dense vector`);
    assertDenseVector(spec, using, vector.length);
    assertFiniteVector(using, vector);
    return vector;
  }

  private example(spec: CollectionSpec, using: VectorName, example: Example): string | number[] {
    if (typeof example === 'string') return recipePointId(example);
    return this.queryVector(spec, using, example) as number[];
  }

  private toPoint(spec: CollectionSpec, record: VectorRecord): Schemas['PointStruct'] {
    const vector: Record<string, number[] | SparseVector> = {};
    for (const [n, v] of Object.entries(record.dense)) {
      if (v === undefined) continue;
      assertDenseVector(spec, n, v.length);
      assertFiniteVector(n, v);
      vector[n] = v;
    }
    if (record.sparse) {
      if (!spec.sparse) throw new VectorStoreError('This collection has no sparse vectors');
      vector[SPARSE_VECTOR_NAME] = normaliseSparse(record.sparse);
    }
    const payload: QdrantPayload = { ...record.payload, recipeId: record.id, contentHash: record.contentHash };
    return { id: recipePointId(record.id), vector, payload: payload as unknown as Schemas['Payload'] };
  }

  private toHit(point: Schemas['ScoredPoint'], scale: number): VectorHit {
    const { contentHash: _hash, ...payload } = point.payload as unknown as QdrantPayload;
    return { id: payload.recipeId, score: point.score * scale, payload };
  }
}

/**
 * Compared field by field with what this adapter sends; Qdrant reports the config as it was given
 * (unset fields omitted). quantile is an f32 on the server, hence the tolerance.
 */
function sameQuantization(current: unknown, wanted: Schemas['ScalarQuantization'] | null): boolean {
  if (current === null || wanted === null) return current === wanted;
  if (!isRecord(current) || !isRecord(current.scalar) || Object.keys(current).length !== 1) return false;
  const have = current.scalar;
  const want = wanted.scalar;
  const keys = new Set([...Object.keys(have).filter((k) => have[k] !== null && have[k] !== undefined), ...Object.keys(want)]);
  for (const key of keys) {
    const a = have[key];
    const b = (want as Record<string, unknown>)[key];
    if (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) > 1e-6 : a !== b) return false;
  }
  return true;
}

function describeQuantization(config: unknown): string {
  return config === null ? 'none' : JSON.stringify(config);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How an existing collection differs from what the spec needs, or null when it fits. */
function configMismatch(info: Schemas['CollectionInfo'], spec: CollectionSpec): string | null {
  const vectors = info.config.params.vectors ?? {};
  if ('size' in vectors) return 'has a single unnamed vector, not named ones';
  const named = vectors as Record<string, Schemas['VectorParams'] | undefined>;
  const wanted = DISTANCES[spec.distance];
  for (const n of new Set([...Object.keys(named), ...denseNamesOf(spec)])) {
    const have = named[n];
    const size = spec.dense[n as keyof CollectionSpec['dense']]?.size;
    if (!have || size === undefined) return `has ${have ? 'an extra' : 'no'} vector "${n}"`;
    if (have.distance !== wanted) return `uses ${have.distance} distance for "${n}", not ${wanted}`;
    if (have.size !== size) return `has ${have.size} dimensions for "${n}", not ${size}`;
  }
  const terms = info.config.params.sparse_vectors?.[SPARSE_VECTOR_NAME];
  if (spec.sparse && !terms) return 'has no sparse "terms" vector';
  if (!spec.sparse && terms) return 'has a sparse "terms" vector the spec does not';
  if (terms && terms.modifier !== 'idf') return 'has sparse "terms" without the idf modifier';
  return null;
}

/** The named dense vectors of a retrieved point (the sparse terms share its vector map), each as `as` makes it. */
function denseOf<T = number[]>(
  vectors: Record<string, number[] | SparseVector>,
  names: readonly DenseVectorName[],
  as: (vector: number[]) => T = (vector) => vector as T,
): Partial<Record<DenseVectorName, T>> {
  const dense: Partial<Record<DenseVectorName, T>> = {};
  for (const n of names) {
    const v = vectors[n];
    if (Array.isArray(v)) dense[n] = as(v);
  }
  return dense;
}
