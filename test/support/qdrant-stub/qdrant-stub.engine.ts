import { averageVectorQuery, bestScore } from '../../../src/vector-store/recommend-scoring';
import {
  formatError,
  notImplemented,
  rejectSet,
  isObject,
  isSparseShape,
  numberArray,
  object,
  oneOf,
  optionalUint,
  pointId,
  sparseVector,
  StubHttpError,
  uint,
  validateFilter,
  validateWithPayload,
  validateWithVector,
  type Json,
  type JsonObject,
  type SparseInput,
} from './qdrant-stub.validation';
import {
  assertQuantizedSearchModelled,
  parseQuantizationConfig,
  parseQuantizationSearchParams,
  type QuantizationSearchParams,
  type StubQuantization,
} from './qdrant-stub.quantization';

type QdrantDistance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';
type PointKey = string | number;

interface StubPoint {
  id: PointKey;
  vectors: Record<string, number[] | SparseInput>;
  payload: JsonObject;
}

interface Scored {
  point: StubPoint;
  /** Qdrant's reported score: similarity, or distance for Euclid/Manhattan. */
  score: number;
}

export interface StubCollectionConfig {
  vectors: Record<string, { size: number; distance: QdrantDistance }>;
  sparse: Record<string, { modifier: 'none' | 'idf' }>;
  shardNumber: number;
  replicationFactor: number;
  writeConsistencyFactor: number;
  /** Collection-wide quantization of the dense vectors; changed in place by PATCH. */
  quantization: StubQuantization;
}

const QUERY_KEYS = [
  'shard_key',
  'prefetch',
  'query',
  'using',
  'filter',
  'params',
  'score_threshold',
  'limit',
  'offset',
  'with_vector',
  'with_payload',
  'lookup_from',
];
const PREFETCH_KEYS = ['prefetch', 'query', 'using', 'filter', 'params', 'score_threshold', 'limit', 'lookup_from'];
const DEFAULT_QDRANT_RRF_K = 2;

const keyOf = (id: PointKey): string => (typeof id === 'number' ? `n:${id}` : `u:${id}`);

/** Qdrant orders integer ids before UUIDs, integers numerically, UUIDs by their bytes. */
function compareIds(a: PointKey, b: PointKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One in-memory collection with real filtering and exact scoring, as Qdrant answers them.
 * Equal scores come back shuffled (by `random`, seeded by the server): Qdrant merges segments
 * and shards in no fixed order, so nothing may depend on the order of ties.
 */
export class StubCollection {
  readonly points = new Map<string, StubPoint>();
  readonly payloadIndexes = new Map<string, Json>();

  constructor(
    readonly config: StubCollectionConfig,
    private readonly random: () => number = Math.random,
  ) {}

  upsert(body: unknown): void {
    const request = object(body, 'body', ['points', 'batch', 'shard_key', 'update_filter', 'update_mode'], []);
    rejectSet(request, 'body', ['shard_key', 'update_filter', 'update_mode']);
    if (!Array.isArray(request.points)) throw new StubHttpError(400, 'Format error in JSON body: stub accepts the PointsList form only');
    const prepared = request.points.map((raw, i) => {
      const where = `points[${i}]`;
      const p = object(raw, where, ['id', 'vector', 'payload'], ['id', 'vector']);
      const id = pointId(p.id, `${where}.id`);
      if (!isObject(p.vector)) throw new StubHttpError(400, `Format error in JSON body: ${where}.vector: stub accepts named vectors only`);
      const vectors: StubPoint['vectors'] = {};
      for (const [name, value] of Object.entries(p.vector)) vectors[name] = this.storedVector(name, value, `${where}.vector.${name}`);
      if (p.payload !== undefined && p.payload !== null && !isObject(p.payload)) throw formatError(`${where}.payload: expected an object`);
      return { id, vectors, payload: (p.payload ?? {}) as JsonObject };
    });
    for (const point of prepared) this.points.set(keyOf(point.id), point);
  }

  delete(body: unknown): void {
    const request = object(body, 'body', ['points', 'filter', 'shard_key']);
    rejectSet(request, 'body', ['shard_key']);
    if (Array.isArray(request.points)) {
      for (const [i, raw] of request.points.entries()) this.points.delete(keyOf(pointId(raw, `points[${i}]`)));
      return;
    }
    if (request.filter === undefined) throw formatError('body: expected `points` or `filter`');
    validateFilter(request.filter, 'filter');
    for (const [key, point] of this.points) if (this.matches(point, request.filter)) this.points.delete(key);
  }

  retrieve(body: unknown): JsonObject[] {
    const request = object(body, 'body', ['ids', 'with_payload', 'with_vector', 'shard_key'], ['ids']);
    rejectSet(request, 'body', ['shard_key']);
    if (!Array.isArray(request.ids)) throw formatError('ids: expected an array');
    validateWithPayload(request.with_payload, 'with_payload');
    validateWithVector(request.with_vector, 'with_vector');
    const out: JsonObject[] = [];
    request.ids.forEach((raw, i) => {
      const point = this.points.get(keyOf(pointId(raw, `ids[${i}]`)));
      if (point) out.push(this.render(point, request.with_payload ?? true, request.with_vector ?? false));
    });
    return out;
  }

  scroll(body: unknown): JsonObject {
    const request = object(body ?? {}, 'body', ['shard_key', 'offset', 'limit', 'filter', 'with_payload', 'with_vector', 'order_by']);
    rejectSet(request, 'body', ['shard_key', 'order_by']);
    const limit = optionalUint(request.limit, 'limit', 1) ?? 10;
    const offset = request.offset === undefined || request.offset === null ? null : pointId(request.offset, 'offset');
    if (request.filter !== undefined && request.filter !== null) validateFilter(request.filter, 'filter');
    validateWithPayload(request.with_payload, 'with_payload');
    validateWithVector(request.with_vector, 'with_vector');
    const sorted = [...this.points.values()]
      .filter((p) => (offset === null || compareIds(p.id, offset) >= 0) && this.matches(p, request.filter))
      .sort((a, b) => compareIds(a.id, b.id));
    const page = sorted.slice(0, limit);
    return {
      points: page.map((p) => this.render(p, request.with_payload ?? true, request.with_vector ?? false)),
      next_page_offset: sorted.length > limit ? sorted[limit].id : null,
    };
  }

  count(body: unknown): number {
    const request = object(body ?? {}, 'body', ['shard_key', 'filter', 'exact']);
    rejectSet(request, 'body', ['shard_key']);
    if (request.exact !== undefined && typeof request.exact !== 'boolean') throw formatError('exact: expected a boolean');
    if (request.filter !== undefined && request.filter !== null) validateFilter(request.filter, 'filter');
    let n = 0;
    for (const point of this.points.values()) if (this.matches(point, request.filter)) n++;
    return n;
  }

  query(body: unknown): JsonObject {
    const request = object(body, 'body', QUERY_KEYS);
    rejectSet(request, 'body', ['shard_key']);
    validateWithPayload(request.with_payload, 'with_payload');
    validateWithVector(request.with_vector, 'with_vector');
    const offset = optionalUint(request.offset, 'offset') ?? 0;
    const scored = this.run(request, 'body', offset);
    return {
      points: scored.slice(offset).map(({ point, score }) => ({
        ...this.render(point, request.with_payload ?? false, request.with_vector ?? false),
        score,
        version: 0,
      })),
    };
  }

  /** A query or prefetch stage: its candidates (sub-prefetches or the filtered collection) scored and cut to limit (+offset at the top). */
  private run(request: JsonObject, where: string, offset: number): Scored[] {
    const limit = (optionalUint(request.limit, `${where}.limit`, 1) ?? 10) + offset;
    if (request.filter !== undefined && request.filter !== null) validateFilter(request.filter, `${where}.filter`);
    rejectSet(request, where, ['lookup_from']);
    const params = parseSearchParams(request.params, `${where}.params`);
    const prefetchRaw = request.prefetch;
    const prefetches = prefetchRaw === undefined || prefetchRaw === null ? [] : Array.isArray(prefetchRaw) ? prefetchRaw : [prefetchRaw];
    const stages = prefetches.map((p, i) => this.run(object(p, `${where}.prefetch[${i}]`, PREFETCH_KEYS), `${where}.prefetch[${i}]`, 0));
    const query = request.query;

    if (isObject(query) && ('fusion' in query || 'rrf' in query)) {
      if (stages.length === 0) throw new StubHttpError(400, 'Bad request: Fusion queries need at least one prefetch');
      let k = DEFAULT_QDRANT_RRF_K;
      let weights: number[] | null = null;
      if ('fusion' in query) {
        object(query, `${where}.query`, ['fusion'], ['fusion']);
        if (oneOf(query.fusion, `${where}.query.fusion`, ['rrf', 'dbsf'] as const) === 'dbsf')
          throw new StubHttpError(400, 'dbsf fusion is not implemented by the stub');
      } else {
        object(query, `${where}.query`, ['rrf'], ['rrf']);
        const rrf = object(query.rrf, `${where}.query.rrf`, ['k', 'weights']);
        k = optionalUint(rrf.k, `${where}.query.rrf.k`, 1) ?? k;
        if (rrf.weights !== undefined && rrf.weights !== null) {
          weights = numberArray(rrf.weights, `${where}.query.rrf.weights`);
          if (weights.length !== stages.length)
            throw new StubHttpError(400, 'Validation error: the number of weights must match the number of prefetches');
        }
      }
      const fused = new Map<string, Scored>();
      stages.forEach((stage, s) => {
        const weight = weights ? weights[s] : 1;
        stage.forEach(({ point }, position) => {
          // Qdrant's formula: positions are 0-based, the weight stretches the rank.
          const score = weight <= 0 ? 0 : 1 / ((position + 1) / weight + k - 1);
          const entry = fused.get(keyOf(point.id));
          if (entry) entry.score += score;
          else fused.set(keyOf(point.id), { point, score });
        });
      });
      // Qdrant cuts fused results at score >= threshold (inclusive, unlike vector scores).
      const ranked = this.shuffleTies([...fused.values()].sort((a, b) => b.score - a.score));
      const threshold = optionalNumber(request.score_threshold, `${where}.score_threshold`);
      return (threshold === undefined ? ranked : ranked.filter((s) => s.score >= threshold)).slice(0, limit);
    }

    const candidates =
      stages.length > 0 ? [...new Map(stages.flat().map((s) => [keyOf(s.point.id), s.point])).values()] : [...this.points.values()];
    const filtered = candidates.filter((p) => this.matches(p, request.filter));
    if (query === undefined || query === null) {
      return filtered
        .sort((a, b) => compareIds(a.id, b.id))
        .slice(0, limit)
        .map((point) => ({ point, score: 0 }));
    }
    const using = request.using === undefined || request.using === null ? '' : String(request.using);
    // Sparse vectors have no quantized copy; Qdrant ignores the quantization parameters for them.
    if (this.config.vectors[using]) assertQuantizedSearchModelled(this.config.quantization, params, `${where}.params`);
    const { score, excluded, lowerIsBetter } = this.scorer(query, using, `${where}.query`);
    const scored = filtered
      .filter((p) => !excluded.has(keyOf(p.id)) && p.vectors[using] !== undefined)
      .map((point) => ({ point, score: score(point) }));
    const ranked = this.shuffleTies(
      scored.filter((s) => !Number.isNaN(s.score)).sort((a, b) => (lowerIsBetter ? a.score - b.score : b.score - a.score)),
    );
    const threshold = optionalNumber(request.score_threshold, `${where}.score_threshold`);
    if (threshold === undefined) return ranked.slice(0, limit);
    // Qdrant's check_threshold: strict, in the direction of the collection's distance, on the
    // reported score, whatever the query kind. On Euclid that means `score < threshold` even for
    // recommend scores, which are higher-is-better; hence take_while, as Qdrant does.
    const smallBetter = !this.config.sparse[using] && isDistance(this.config.vectors[using].distance);
    const cut: Scored[] = [];
    for (const s of ranked.slice(0, limit)) {
      if (smallBetter ? !(s.score < threshold) : !(s.score > threshold)) break;
      cut.push(s);
    }
    return cut;
  }

  /** Equal scores in a random order, so no caller can rely on an order Qdrant does not keep. */
  private shuffleTies(sorted: Scored[]): Scored[] {
    for (let start = 0; start < sorted.length;) {
      let end = start + 1;
      while (end < sorted.length && sorted[end].score === sorted[start].score) end++;
      for (let i = end - 1; i > start; i--) {
        const j = start + Math.floor(this.random() * (i - start + 1));
        [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
      }
      start = end;
    }
    return sorted;
  }

  private scorer(
    query: Json,
    using: string,
    where: string,
  ): { score: (p: StubPoint) => number; excluded: Set<string>; lowerIsBetter: boolean } {
    const excluded = new Set<string>();
    if (isObject(query) && 'nearest' in query) {
      object(query, where, ['nearest', 'mmr'], ['nearest']);
      if (query.mmr !== undefined && query.mmr !== null) throw new StubHttpError(400, 'mmr is not implemented by the stub');
      return this.scorer(query.nearest, using, `${where}.nearest`);
    }
    if (isObject(query) && 'recommend' in query) {
      object(query, where, ['recommend'], ['recommend']);
      return this.recommendScorer(query.recommend, using, `${where}.recommend`);
    }
    if (isSparseShape(query)) {
      const config = this.config.sparse[using];
      if (!config) throw new StubHttpError(400, `Wrong input: Not existing vector name error: ${using}`);
      const q = sparseVector(query, where);
      const idf = this.idf(using, config.modifier);
      return {
        score: (p) => {
          const v = p.vectors[using] as SparseInput;
          let s = 0;
          let overlap = false;
          q.indices.forEach((term, i) => {
            const at = v.indices.indexOf(term);
            if (at >= 0) {
              overlap = true;
              s += q.values[i] * idf(term) * v.values[at];
            }
          });
          return overlap ? s : NaN;
        },
        excluded,
        lowerIsBetter: false,
      };
    }
    if (Array.isArray(query)) {
      const target = this.denseInput(query, using, where);
      const { distance } = this.config.vectors[using];
      return { score: (p) => similarity(distance, p.vectors[using] as number[], target), excluded, lowerIsBetter: isDistance(distance) };
    }
    if (typeof query === 'string' || typeof query === 'number') {
      const target = this.vectorOf(pointId(query, where), using);
      excluded.add(keyOf(pointId(query, where)));
      const { distance } = this.config.vectors[using];
      return { score: (p) => similarity(distance, p.vectors[using] as number[], target), excluded, lowerIsBetter: isDistance(distance) };
    }
    throw new StubHttpError(400, `${where}: query variant not implemented by the stub`);
  }

  /**
   * RecommendInput: examples are ids (excluded from results) or raw vectors. Scores as Qdrant
   * 1.18 computes them (recommend-scoring.ts): average_vector averages the examples as given
   * (stored vectors, raw vectors unnormalised) and searches with the result; best_score and
   * sum_scores use the internal similarity (-distance² for Euclid) and are never post-processed.
   */
  private recommendScorer(value: Json, using: string, where: string) {
    const input = object(value, where, ['positive', 'negative', 'strategy']);
    const strategy =
      input.strategy === undefined || input.strategy === null
        ? 'average_vector'
        : oneOf(input.strategy, `${where}.strategy`, ['average_vector', 'best_score', 'sum_scores'] as const);
    const config = this.config.vectors[using];
    if (!config) throw new StubHttpError(400, `Wrong input: Not existing vector name error: ${using}`);
    const excluded = new Set<string>();
    const resolve = (list: Json | undefined, name: string): number[][] => {
      if (list === undefined || list === null) return [];
      if (!Array.isArray(list)) throw formatError(`${where}.${name}: expected an array`);
      return list.map((example, i) => {
        if (Array.isArray(example)) return this.rawDenseInput(example, using, `${where}.${name}[${i}]`);
        const id = pointId(example, `${where}.${name}[${i}]`);
        excluded.add(keyOf(id));
        return this.vectorOf(id, using);
      });
    };
    const positives = resolve(input.positive, 'positive');
    const negatives = resolve(input.negative, 'negative');
    if (strategy === 'average_vector') {
      if (positives.length === 0) throw new StubHttpError(400, 'Bad request: Positive vectors should not be empty with `average` strategy');
      const target = averageVectorQuery(positives, negatives);
      const prepared = config.distance === 'Cosine' ? normalise(target) : target;
      return {
        score: (p: StubPoint) => similarity(config.distance, p.vectors[using] as number[], prepared),
        excluded,
        lowerIsBetter: isDistance(config.distance),
      };
    }
    if (positives.length + negatives.length === 0) throw new StubHttpError(400, 'Bad request: At least one example is required');
    // Custom scoring compares with each example prepared by the metric (unit length for Cosine).
    const prepare = (v: number[]): number[] => (config.distance === 'Cosine' ? normalise(v) : v);
    const pos = positives.map(prepare);
    const neg = negatives.map(prepare);
    const sim = (a: number[], b: number[]): number => internalSimilarity(config.distance, a, b);
    return {
      score: (p: StubPoint) => {
        const v = p.vectors[using] as number[];
        if (strategy === 'sum_scores') {
          return pos.reduce((s, e) => s + sim(v, e), 0) - neg.reduce((s, e) => s + sim(v, e), 0);
        }
        return bestScore(Math.max(-Infinity, ...pos.map((e) => sim(v, e))), Math.max(-Infinity, ...neg.map((e) => sim(v, e))));
      },
      excluded,
      // custom objectives are always "higher is better", whatever the distance
      lowerIsBetter: false,
    };
  }

  private idf(name: string, modifier: 'none' | 'idf'): (term: number) => number {
    if (modifier !== 'idf') return () => 1;
    const withVector = [...this.points.values()].filter((p) => p.vectors[name] !== undefined);
    const n = withVector.length;
    return (term) => {
      const df = withVector.filter((p) => (p.vectors[name] as SparseInput).indices.includes(term)).length;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    };
  }

  private vectorOf(id: PointKey, using: string): number[] {
    const point = this.points.get(keyOf(id));
    if (!point) throw new StubHttpError(404, `Not found: No point with id ${id} found`);
    const vector = point.vectors[using];
    if (!Array.isArray(vector)) throw new StubHttpError(400, `Wrong input: Point ${id} has no vector ${using}`);
    return vector;
  }

  /** A dense vector as stored or searched: unit length for Cosine, as Qdrant preprocesses it. */
  private denseInput(value: Json[], using: string, where: string): number[] {
    const vector = this.rawDenseInput(value, using, where);
    return this.config.vectors[using].distance === 'Cosine' ? normalise(vector) : vector;
  }

  private rawDenseInput(value: Json[], using: string, where: string): number[] {
    const config = this.config.vectors[using];
    if (!config) throw new StubHttpError(400, `Wrong input: Not existing vector name error: ${using || '(default)'}`);
    const vector = numberArray(value, where);
    if (vector.length !== config.size) {
      throw new StubHttpError(400, `Wrong input: Vector dimension error: expected dim: ${config.size}, got ${vector.length}`);
    }
    return vector;
  }

  private storedVector(name: string, value: Json, where: string): number[] | SparseInput {
    if (this.config.sparse[name]) {
      const v = sparseVector(value, where);
      const order = v.indices.map((_, i) => i).sort((a, b) => v.indices[a] - v.indices[b]);
      return { indices: order.map((i) => v.indices[i]), values: order.map((i) => v.values[i]) };
    }
    if (!Array.isArray(value)) throw new StubHttpError(400, `Wrong input: Not existing vector name error: ${name}`);
    // Qdrant stores cosine vectors normalised; reading them back returns unit vectors.
    return this.denseInput(value, name, where);
  }

  matches(point: StubPoint, filter: Json | undefined): boolean {
    if (filter === undefined || filter === null) return true;
    const f = filter as JsonObject;
    const list = (c: Json | undefined): Json[] => (c === undefined || c === null ? [] : Array.isArray(c) ? c : [c]);
    const must = list(f.must);
    const mustNot = list(f.must_not);
    const should = list(f.should);
    if (!must.every((c) => this.condition(point, c))) return false;
    if (mustNot.some((c) => this.condition(point, c))) return false;
    if (should.length > 0 && !should.some((c) => this.condition(point, c))) return false;
    if (isObject(f.min_should)) {
      const hits = list(f.min_should.conditions).filter((c) => this.condition(point, c)).length;
      if (hits < (f.min_should.min_count as number)) return false;
    }
    return true;
  }

  private condition(point: StubPoint, condition: Json): boolean {
    const c = condition as JsonObject;
    if (typeof c.key === 'string') {
      const raw = point.payload[c.key];
      const values: Json[] = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
      if (c.is_empty === true) return values.length === 0;
      if (c.is_null === true) return raw === null;
      if (isObject(c.match)) {
        const m = c.match;
        if ('value' in m) return values.includes(m.value);
        if ('any' in m) return values.some((v) => (m.any as Json[]).includes(v));
        if ('except' in m) return values.length > 0 && values.some((v) => !(m.except as Json[]).includes(v));
      }
      if (isObject(c.range)) {
        const r = c.range;
        return values.some(
          (v) =>
            typeof v === 'number' &&
            (typeof r.lt !== 'number' || v < r.lt) &&
            (typeof r.gt !== 'number' || v > r.gt) &&
            (typeof r.lte !== 'number' || v <= r.lte) &&
            (typeof r.gte !== 'number' || v >= r.gte),
        );
      }
      return false;
    }
    if (Array.isArray(c.has_id)) return c.has_id.some((id) => keyOf(pointId(id, 'has_id')) === keyOf(point.id));
    if (isObject(c.is_empty)) {
      const raw = point.payload[c.is_empty.key as string];
      return raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0);
    }
    if (isObject(c.is_null)) return point.payload[c.is_null.key as string] === null;
    return this.matches(point, c);
  }

  private render(point: StubPoint, withPayload: Json, withVector: Json): JsonObject {
    const out: JsonObject = { id: point.id };
    if (withPayload === true) out.payload = point.payload;
    else if (Array.isArray(withPayload)) {
      out.payload = Object.fromEntries(Object.entries(point.payload).filter(([k]) => (withPayload as Json[]).includes(k)));
    } else if (isObject(withPayload)) out.payload = point.payload;
    if (withVector === true) out.vector = point.vectors as unknown as JsonObject;
    else if (Array.isArray(withVector)) {
      out.vector = Object.fromEntries(
        Object.entries(point.vectors).filter(([k]) => (withVector as Json[]).includes(k)),
      ) as unknown as JsonObject;
    }
    return out;
  }
}

/** CreateCollection body → config; named dense vectors and named sparse vectors only. */
export function parseCreateCollection(body: unknown): StubCollectionConfig {
  const request = object(body, 'body', [
    'vectors',
    'shard_number',
    'sharding_method',
    'replication_factor',
    'write_consistency_factor',
    'on_disk_payload',
    'hnsw_config',
    'wal_config',
    'optimizers_config',
    'quantization_config',
    'sparse_vectors',
    'strict_mode_config',
    'metadata',
  ]);
  const vectors: StubCollectionConfig['vectors'] = {};
  if (request.vectors !== undefined) {
    if (!isObject(request.vectors) || 'size' in request.vectors)
      throw new StubHttpError(400, 'Format error in JSON body: stub accepts named vectors only');
    for (const [name, raw] of Object.entries(request.vectors)) {
      const v = object(
        raw,
        `vectors.${name}`,
        ['size', 'distance', 'hnsw_config', 'quantization_config', 'on_disk', 'memory', 'datatype', 'multivector_config'],
        ['size', 'distance'],
      );
      // A per-vector quantization would override the collection's: not modelled.
      rejectSet(v, `vectors.${name}`, ['quantization_config']);
      vectors[name] = {
        size: uint(v.size, `vectors.${name}.size`, 1),
        distance: oneOf(v.distance, `vectors.${name}.distance`, ['Cosine', 'Euclid', 'Dot', 'Manhattan'] as const),
      };
    }
  }
  const sparse: StubCollectionConfig['sparse'] = {};
  if (request.sparse_vectors !== undefined && request.sparse_vectors !== null) {
    if (!isObject(request.sparse_vectors)) throw formatError('sparse_vectors: expected an object');
    for (const [name, raw] of Object.entries(request.sparse_vectors)) {
      const v = object(raw, `sparse_vectors.${name}`, ['index', 'modifier']);
      if (vectors[name]) throw new StubHttpError(400, `Wrong input: vector name ${name} is used twice`);
      sparse[name] = {
        modifier:
          v.modifier === undefined || v.modifier === null
            ? 'none'
            : oneOf(v.modifier, `sparse_vectors.${name}.modifier`, ['none', 'idf'] as const),
      };
    }
  }
  return {
    vectors,
    sparse,
    shardNumber: optionalUint(request.shard_number, 'shard_number', 1) ?? 1,
    replicationFactor: optionalUint(request.replication_factor, 'replication_factor', 1) ?? 1,
    writeConsistencyFactor: optionalUint(request.write_consistency_factor, 'write_consistency_factor', 1) ?? 1,
    quantization: parseQuantizationConfig(request.quantization_config, 'quantization_config', { allowDisabled: false }),
  };
}

/**
 * UpdateCollection body: only `quantization_config` is applied (replaced whole, or removed by
 * "Disabled", as Qdrant's update_quantization_config_from_diff does); the other sections are
 * valid and refused as not implemented. Unset or null leaves the quantization unchanged.
 */
export function parseUpdateCollection(body: unknown): { quantization?: StubQuantization } {
  const request = object(body ?? {}, 'body', [
    'vectors',
    'optimizers_config',
    'params',
    'hnsw_config',
    'quantization_config',
    'sparse_vectors',
    'strict_mode_config',
    'metadata',
  ]);
  rejectSet(request, 'body', ['vectors', 'optimizers_config', 'params', 'hnsw_config', 'sparse_vectors', 'strict_mode_config', 'metadata']);
  if (request.quantization_config === undefined || request.quantization_config === null) return {};
  return { quantization: parseQuantizationConfig(request.quantization_config, 'quantization_config', { allowDisabled: true }) };
}

function isDistance(distance: QdrantDistance): boolean {
  return distance === 'Euclid' || distance === 'Manhattan';
}

function normalise(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((s, v) => s + v * v, 0));
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/** Qdrant's internal similarity, higher = closer: dot, -distance² (Euclid), -L1 (Manhattan). */
function internalSimilarity(distance: QdrantDistance, a: number[], b: number[]): number {
  if (distance === 'Euclid') return -a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
  if (distance === 'Manhattan') return -a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);
  return a.reduce((s, v, i) => s + v * b[i], 0);
}

/** Qdrant's reported nearest-neighbour score: the similarity post-processed into a distance for Euclid and Manhattan. */
function similarity(distance: QdrantDistance, a: number[], b: number[]): number {
  const s = internalSimilarity(distance, a, b);
  if (distance === 'Euclid') return Math.sqrt(Math.abs(s));
  if (distance === 'Manhattan') return Math.abs(s);
  return s;
}

function optionalNumber(value: Json | undefined, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw formatError(`${where}: expected a number`);
  return value;
}

/**
 * SearchParams: the stub always scores exactly, which is what `exact` and any `hnsw_ef` would
 * converge to; quantization is checked per stage against the collection (qdrant-stub.quantization.ts);
 * the other knobs change results in ways it does not model.
 */
function parseSearchParams(value: Json | undefined, where: string): { exact: boolean; quantization: QuantizationSearchParams | null } {
  if (value === undefined || value === null) return { exact: false, quantization: null };
  const params = object(value, where, ['hnsw_ef', 'exact', 'quantization', 'indexed_only', 'acorn']);
  for (const key of ['indexed_only', 'acorn'])
    if (params[key] !== undefined && params[key] !== null) throw notImplemented(`${where}.${key}`);
  if (params.exact !== undefined && params.exact !== null && typeof params.exact !== 'boolean')
    throw formatError(`${where}.exact: expected a boolean`);
  optionalUint(params.hnsw_ef, `${where}.hnsw_ef`);
  return { exact: params.exact === true, quantization: parseQuantizationSearchParams(params.quantization, `${where}.quantization`) };
}
