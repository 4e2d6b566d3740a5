/**
 * The vector store as the recipe service sees it. Shaped by the domain, not by one vendor:
 * no Qdrant type crosses this file. Implementations: EmbeddedVectorStore (default, in-process,
 * persisted in SQLite) and QdrantVectorStore.
 */

/** Named dense spaces a recipe can have. `text` exists only when a sentence model is configured. */
export type DenseVectorName = 'ingredients' | 'properties' | 'text';
export const SPARSE_VECTOR_NAME = 'terms' as const;
export type VectorName = DenseVectorName | typeof SPARSE_VECTOR_NAME;

export type Distance = 'cosine' | 'dot' | 'euclid';

export interface SparseVector {
  /** Strictly increasing, non-negative term ids. */
  indices: number[];
  values: number[];
}

/** What filters can look at. Ids are the catalog's recipe ids. */
export interface RecipePayload {
  recipeId: string;
  name: string;
  source: string;
  language: string;
  category: string | null;
  cuisine: string | null;
  diets: string[];
  flavors: string[];
  allergens: string[];
  /** Canonical ingredient concept ids, for exclusions ("no coriander"). */
  concepts: string[];
  totalMinutes: number | null;
}

/** A point's dense vectors by space. */
export type DenseVectors = Partial<Record<DenseVectorName, number[]>>;

/**
 * Dense vectors as `denseVectors` reads them back for ranking: float32 copies the caller owns
 * (the stores keep float32; a copy per candidate as a number[] cost a user list ~1 MB of garbage).
 */
export type DenseVectorCopies = Partial<Record<DenseVectorName, Float32Array>>;

export interface VectorRecord {
  id: string;
  dense: DenseVectors;
  sparse?: SparseVector;
  payload: RecipePayload;
  /** Content hash of what was embedded; lets the indexer skip unchanged recipes. */
  contentHash: string;
}

/**
 * Hard constraints. Every list field is OR within the field and AND across fields,
 * except `diets` (every listed diet must hold) and the exclusions.
 */
export interface RecipeFilter {
  /** Only these recipes; an empty list matches nothing (other empty lists constrain nothing). */
  ids?: string[];
  excludeIds?: string[];
  sources?: string[];
  languages?: string[];
  categories?: string[];
  cuisines?: string[];
  /** The recipe must carry every one of these diets. */
  diets?: string[];
  /** No recipe containing any of these allergen groups. */
  excludeAllergens?: string[];
  /** No recipe containing any of these ingredient concepts. */
  excludeConcepts?: string[];
  /** Recipes without a known time pass unless `requireMinutes` is set. */
  maxMinutes?: number;
  requireMinutes?: boolean;
}

export interface CollectionSpec {
  /** Embedding model id (with version/hash); a different model means a different collection. */
  modelId: string;
  dense: Partial<Record<DenseVectorName, { size: number }>>;
  sparse: boolean;
  distance: Distance;
  /**
   * Tells apart several collections of the same model (a `reindex --recreate` fills a new one
   * beside the serving one); part of the collection name when set.
   */
  build?: string;
}

/**
 * Hits come best first. Equal scores come in no promised order (Qdrant keeps none): callers
 * that page, cut or keep a first-seen hit sort with `compareHits` (score desc, recipe id asc).
 */
export interface VectorHit {
  id: string;
  /**
   * Higher is better for every distance. Nearest-neighbour scores (query, average_vector) are the
   * similarity, Euclidean distance reported negated; best_score recommendations are Qdrant's
   * own scores on every distance (see RecommendQuery.strategy).
   */
  score: number;
  /** Absent when the query said `withPayload: false` (a store that needs it to map ids may still send it). */
  payload?: RecipePayload;
}

/** Qdrant's `with_payload`: callers that read the catalog, not the hits' payloads, save copying them. Default true. */
interface PayloadChoice {
  withPayload?: boolean;
}

export interface VectorQuery extends PayloadChoice {
  using: VectorName;
  vector: number[] | SparseVector;
  filter?: RecipeFilter;
  limit: number;
  offset?: number;
  /**
   * Keep only hits scoring strictly above this (Qdrant's rule; on Euclid, where the port's score
   * is -distance, that is distance strictly below -scoreThreshold). A hit equal to it is dropped.
   */
  scoreThreshold?: number;
}

export interface HybridQuery extends PayloadChoice {
  /**
   * Each leg is ranked on its own, its `candidates` kept, equal scores among them by recipe id,
   * then the legs are fused by reciprocal rank fusion. Ranking ties by id matters: RRF turns a
   * leg's order into scores, so an unordered tie would fuse differently from one request to the
   * next. Which of a group of equal scores a leg keeps when the group straddles its cut is not
   * promised: Qdrant cuts each prefetch on the server in its segments' order, and the embedded
   * store by its internal rows, which follow the write history (deleted rows are filled by the
   * last one). Identical vectors (shared property vectors) make such groups; the same catalog
   * written in another order may keep another few of them.
   */
  legs: Array<{ using: VectorName; vector: number[] | SparseVector; weight?: number }>;
  filter?: RecipeFilter;
  limit: number;
  offset?: number;
  /** How many candidates each leg contributes before fusion (default max(limit+offset, 100)). */
  candidates?: number;
  /** RRF constant k: score = sum over legs of weight / (k + rank), rank from 1. Default 60. */
  rrfK?: number;
}

/** An example is a recipe id already in the store or a raw vector in the `using` space. */
export type Example = string | number[];

export interface RecommendQuery extends PayloadChoice {
  using: DenseVectorName;
  positive: Example[];
  negative?: Example[];
  /**
   * average_vector: a nearest-neighbour search with avg(pos) + (avg(pos) - avg(neg)) over the
   * examples as given (raw vectors are not normalised; stored cosine vectors are unit), the
   * result normalised for cosine; scores are plain similarities.
   * best_score: p, n = best similarity to any positive, any negative (dot/cosine: dot product;
   * Euclid: -distance², not the root). Score = s(p) if p > n, else -s(n), with Qdrant's
   * s(x) = (x / (1 + |x|) + 1) / 2: in (0, 1) nearer a positive, in (-1, 0) nearer a negative.
   * See recommend-scoring.ts.
   */
  strategy?: 'average_vector' | 'best_score';
  filter?: RecipeFilter;
  limit: number;
  offset?: number;
}

export interface ScrollPage {
  records: Array<{ id: string; contentHash: string }>;
  /** Pass back to get the next page; null at the end. */
  next: string | null;
}

export interface VectorStoreInfo {
  kind: 'embedded' | 'qdrant';
  collection: string;
  points: number;
}

export interface VectorStore {
  /**
   * Creates the collection for this spec if missing; `recreate` drops existing points first.
   * Idempotent and safe to race: an existing collection is checked, not trusted (another distance
   * or vector size throws VectorCollectionConfigMismatchError; recreate to change it) and gets
   * whatever it lacks (payload indexes).
   */
  ensureCollection(spec: CollectionSpec, options?: { recreate?: boolean }): Promise<void>;
  /** Deletes the current collection and all its points (a retired model's index). */
  dropCollection(): Promise<void>;
  upsert(records: VectorRecord[]): Promise<void>;
  delete(ids: string[]): Promise<void>;
  query(query: VectorQuery): Promise<VectorHit[]>;
  hybrid(query: HybridQuery): Promise<VectorHit[]>;
  recommend(query: RecommendQuery): Promise<VectorHit[]>;
  /** Records by id with their vectors; unknown ids are absent from the map. */
  getVectors(ids: string[]): Promise<Map<string, VectorRecord>>;
  /**
   * Only the dense vectors by id (Qdrant's `with_vector` by name), for ranking that reads
   * payloads from the catalog: no sparse terms or payload copies travel. Unknown ids are absent.
   */
  denseVectors(ids: string[]): Promise<Map<string, DenseVectorCopies>>;
  count(filter?: RecipeFilter): Promise<number>;
  /**
   * Pages through every point's id and content hash exactly once, in an order stable for the
   * store (recipe-id order embedded, point-UUID order in Qdrant, which cannot sort by a keyword).
   * `next` is opaque: pass it back unchanged.
   */
  scroll(cursor: string | null, limit: number): Promise<ScrollPage>;
  info(): Promise<VectorStoreInfo>;
  /** Cheap liveness probe for /api/health; throws VectorStoreUnavailableError when down. */
  ping(): Promise<void>;

  // Collections by name and aliases: a rebuilt index fills a collection of its own and is
  // swapped in by pointing the serving alias at it, in one atomic step.

  /** Names of the collections under this store's prefix; aliases are not listed. */
  listCollections(): Promise<string[]>;
  /** Drops a collection by name with its points and the aliases pointing at it; absent is no error. */
  dropCollectionNamed(name: string): Promise<void>;
  /** The collection `alias` points at, or null when there is no such alias. */
  aliasTarget(alias: string): Promise<string | null>;
  /** Points `alias` at `collection` (which must exist) atomically, whatever it pointed at before. */
  switchAlias(alias: string, collection: string): Promise<void>;
  /**
   * Stores that keep points in process re-read these ids (null: every point) after another
   * process wrote them to the shared storage. Absent where nothing is cached in process.
   */
  reloadPoints?(ids: string[] | null): Promise<void>;
}
