import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { projectRoot } from './project-root';
import { TRAINING_SAMPLE_MAX } from '../embedding/food-concepts/training-sample';

export type VectorStoreKind = 'embedded' | 'qdrant';
export type EmbeddingProviderKind = 'food-concepts' | 'use-lite' | 'openai-compatible';
export type DistanceKind = 'cosine' | 'dot' | 'euclid';
export type QdrantQuantizationKind = 'int8' | 'none';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the service reads from its environment, validated once at start. */
export interface AppConfig {
  port: number;
  host: string;
  databasePath: string;
  /**
   * A PostgreSQL connection URL (`postgres://user:password@host:port/database`); null keeps the
   * catalog in the SQLite file at `databasePath`.
   */
  databaseUrl: string | null;
  adminApiKey: string;
  /** True when ADMIN_API_KEY was not set and a key was generated for this process. */
  adminApiKeyGenerated: boolean;
  bodyLimitBytes: number;
  /** Deepest nesting of objects and arrays a JSON body may have. */
  jsonMaxDepth: number;
  /** V8's heap growth past the live heap before a full collection, in percent (0: V8's default). See applyHeapGrowth. */
  heapGrowthPercent: number;
  /**
   * Catalog writes that add recipes are refused once memory passes this share of its limits
   * (see MemoryBudget): the live heap of the heap's limit, the resident set of `memoryLimitMiB`.
   */
  memoryHighWaterPercent: number;
  /** The memory the process may use, in MiB; null: the container's limit, or the machine's memory. */
  memoryLimitMiB: number | null;
  /** Reads processed at once; the others wait their turn (0: no limit). See readAdmission. */
  readConcurrency: number;
  /**
   * Server processes answering on the one port (WORKERS; `auto`: one per core). Above 1 a primary
   * process starts them and restarts one that dies; each holds the whole catalog and index (see
   * src/cluster).
   */
  workers: number;
  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe when naming the client. */
  trustProxy: TrustProxy;
  /** How long an idle kept-alive connection stays open (see configureApp). */
  keepAliveTimeoutMs: number;
  rateLimit: RateLimitConfig;
  /** Origins browsers may call from: `*` (any) or an explicit list. */
  corsOrigins: '*' | string[];
  seedDir: string;
  seedOnEmpty: boolean;
  lexiconExtraPath: string | null;
  /**
   * Stored recipes analysed together (an index batch, a page of the drift check or of training)
   * go to the text thread from this many on; fewer are analysed on the event loop. 0: never.
   */
  analysisThreadMinRecipes: number;
  vectorStore: {
    kind: VectorStoreKind;
    distance: DistanceKind;
    /** The embedded store's partitioned index: exact search below `ivfMinPoints` points. */
    embedded: {
      ivfMinPoints: number;
      ivfProbes: number;
      /** Clusters per dense space; null: 2·√N at build time. */
      ivfLists: number | null;
      /** Candidates per result taken from the partitions' int8 copies and rescored with the float32 vectors. */
      ivfOversampling: number;
    };
    qdrant: {
      url: string | null;
      apiKey: string | null;
      collectionPrefix: string;
      timeoutMs: number;
      shards: number;
      replicationFactor: number;
      writeConsistencyFactor: number;
      /** int8: Qdrant searches int8 copies of the dense vectors kept in RAM; full vectors rescore. */
      quantization: QdrantQuantizationKind;
      /** Candidates found on the int8 copies per result asked for, rescored with the full vectors. */
      oversampling: number;
    };
  };
  embedding: {
    provider: EmbeddingProviderKind;
    baseUrl: string | null;
    model: string | null;
    apiKey: string | null;
    dimensions: number | null;
    batchSize: number;
    timeoutMs: number;
    retries: number;
    maxInputChars: number;
    /** Share of the catalog that may change before the concept model retrains itself. */
    retrainDriftShare: number;
    /** How long indexing must have been idle before a due drift check runs (see IndexRetrainer.maybeRetrain). */
    retrainQuietMs: number;
    /** The most recipes the concept model is trained on; a larger catalog is sampled. */
    trainingSampleMax: number;
  };
  indexing: {
    batchSize: number;
    pollMs: number;
    maxBackoffMs: number;
    /** How often a process checks whether another one swapped the index or wrote points. */
    followMs: number;
    /** How long a replaced collection stays readable before it is dropped. */
    retireGraceMs: number;
    /** How long outbox rows a process claimed stay its own; a dead process's rows wait this long. */
    claimLeaseMs: number;
    /** How long a graceful shutdown waits for the current indexing batch or retrain. */
    shutdownWaitMs: number;
  };
  /** Threshold of the JSON request and application logs on stdout. */
  logLevel: LogLevel;
  metrics: {
    /** Serve Prometheus text at `/metrics` (outside the `/api` prefix). */
    enabled: boolean;
    /** When set, `/metrics` needs `Authorization: Bearer <token>`; the admin key is never asked for. */
    token: string | null;
  };
}

/** false: the socket's address is the client; a hop count; or the proxies' addresses / ranges. */
export type TrustProxy = boolean | number | string[];

export interface RateLimitConfig {
  /** Requests per minute per client on every route; 0 turns the limit off. */
  perMinute: number;
  /** Clients on the loopback interface are not limited (the operator, a sidecar, the benchmark). */
  exemptLoopback: boolean;
  /** A header naming the end user, set by a trusted app backend; the client address otherwise. */
  clientHeader: string | null;
  /** Wrong admin keys an address may send per window before every admin call from it gets 429. */
  adminFailures: number;
  adminFailureWindowMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const generatedKey = randomBytes(24).toString('base64url');
  const adminApiKey = read.string('ADMIN_API_KEY');
  if (adminApiKey !== null && adminApiKey.length < 8) {
    problems.push('ADMIN_API_KEY must be at least 8 characters');
  }

  const embeddingProvider = read.oneOf('EMBEDDING_PROVIDER', ['food-concepts', 'use-lite', 'openai-compatible'], 'food-concepts');
  const embeddingBaseUrl = read.url('EMBEDDING_BASE_URL');
  const embeddingModel = read.string('EMBEDDING_MODEL');
  if (embeddingProvider === 'openai-compatible') {
    if (!embeddingBaseUrl) problems.push('EMBEDDING_BASE_URL is required when EMBEDDING_PROVIDER=openai-compatible');
    if (!embeddingModel) problems.push('EMBEDDING_MODEL is required when EMBEDDING_PROVIDER=openai-compatible');
  }

  const metricsToken = read.string('METRICS_TOKEN');
  if (metricsToken !== null && metricsToken.length < 16) {
    problems.push('METRICS_TOKEN must be at least 16 characters');
  }

  const vectorStoreKind = read.oneOf('VECTOR_STORE', ['embedded', 'qdrant'], 'embedded');
  const qdrantUrl = read.url('QDRANT_URL');
  if (vectorStoreKind === 'qdrant' && !qdrantUrl) {
    problems.push('QDRANT_URL is required when VECTOR_STORE=qdrant');
  }

  const config: AppConfig = {
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST') ?? '0.0.0.0',
    databasePath: databasePath(read.string('DATABASE_PATH') ?? 'data/recipes.sqlite'),
    databaseUrl: postgresUrl(read.string('DATABASE_URL'), problems),
    adminApiKey: adminApiKey ?? generatedKey,
    adminApiKeyGenerated: adminApiKey === null,
    bodyLimitBytes: read.bytes('BODY_LIMIT', 5 * 1024 * 1024),
    // The service's own bodies nest 5 levels (bulk → recipes → recipe → ingredients →
    // ingredient); 32 leaves room for any source's free-form `extra` and stops nesting long
    // before recursive transformation and validation can exhaust the stack.
    jsonMaxDepth: read.int('JSON_MAX_DEPTH', 32, 4, 1000),
    heapGrowthPercent: read.int('HEAP_GROWTH_PERCENT', 50, 0, 1000),
    memoryHighWaterPercent: read.int('MEMORY_HIGH_WATER_PERCENT', 60, 10, 100),
    memoryLimitMiB: read.optionalInt('MEMORY_LIMIT_MIB', 1, 16 * 1024 * 1024),
    readConcurrency: read.int('READ_CONCURRENCY', 4, 0, 10_000),
    workers: workerCount(read.string('WORKERS'), problems),
    trustProxy: trustProxy(read.string('TRUST_PROXY'), problems),
    keepAliveTimeoutMs: read.int('KEEP_ALIVE_TIMEOUT_MS', 65_000, 1_000, 3_600_000),
    rateLimit: {
      // 20,000 a minute per client: the HTTP benchmark's 32 clients send about 16,000 requests in
      // 15 s from one address and stay under it, as does an app backend calling for all its
      // users; a client that keeps the service at full speed (about 700 searches/s) for more
      // than half a minute is stopped. Loopback is limited like any address, so a flood from the
      // same machine is answered 429 too; the operator can exempt it.
      perMinute: read.int('RATE_LIMIT_PER_MINUTE', 20_000, 0, 10_000_000),
      exemptLoopback: read.bool('RATE_LIMIT_EXEMPT_LOOPBACK', false),
      clientHeader: headerName(read.string('RATE_LIMIT_CLIENT_HEADER'), 'RATE_LIMIT_CLIENT_HEADER', problems),
      adminFailures: read.int('RATE_LIMIT_ADMIN_FAILURES', 10, 1, 1_000_000),
      adminFailureWindowMs: read.int('RATE_LIMIT_ADMIN_WINDOW_MINUTES', 15, 1, 24 * 60) * 60_000,
    },
    corsOrigins: corsOrigins(read.string('CORS_ORIGINS')),
    seedDir: resolvePath(read.string('SEED_DIR') ?? 'seed'),
    seedOnEmpty: read.bool('SEED_ON_EMPTY', true),
    lexiconExtraPath: read.string('LEXICON_EXTRA_PATH'),
    analysisThreadMinRecipes: read.int('ANALYSIS_THREAD_MIN_RECIPES', 64, 0, 1_000_000),
    vectorStore: {
      kind: vectorStoreKind,
      distance: read.oneOf('VECTOR_DISTANCE', ['cosine', 'dot', 'euclid'], 'cosine'),
      embedded: {
        ivfMinPoints: read.int('EMBEDDED_IVF_MIN_POINTS', 20_000, 1, 1_000_000_000),
        ivfProbes: read.int('EMBEDDED_IVF_PROBES', 16, 1, 65_536),
        ivfLists: read.optionalInt('EMBEDDED_IVF_LISTS', 1, 1_000_000),
        ivfOversampling: read.float('EMBEDDED_IVF_OVERSAMPLING', 1.25, 1, 10),
      },
      qdrant: {
        url: qdrantUrl,
        apiKey: read.string('QDRANT_API_KEY'),
        collectionPrefix: read.string('QDRANT_COLLECTION_PREFIX') ?? 'recipes',
        timeoutMs: read.int('QDRANT_TIMEOUT_MS', 5000, 100, 600_000),
        shards: read.int('QDRANT_SHARDS', 1, 1, 1024),
        replicationFactor: read.int('QDRANT_REPLICATION_FACTOR', 1, 1, 32),
        writeConsistencyFactor: read.int('QDRANT_WRITE_CONSISTENCY_FACTOR', 1, 1, 32),
        quantization: read.oneOf('QDRANT_QUANTIZATION', ['int8', 'none'], 'int8'),
        // Twice the results asked for are taken from the int8 scan and rescored: a margin for
        // int8 rounding reordering neighbours close to the cut. Not measured here (no Qdrant
        // server runs on the development machines); Qdrant's own default is 1 (no margin).
        oversampling: read.float('QDRANT_OVERSAMPLING', 2, 1, 10),
      },
    },
    embedding: {
      provider: embeddingProvider,
      baseUrl: embeddingBaseUrl,
      model: embeddingModel,
      apiKey: read.string('EMBEDDING_API_KEY'),
      dimensions: read.optionalInt('EMBEDDING_DIMENSIONS', 1, 65536),
      batchSize: read.int('EMBEDDING_BATCH_SIZE', 32, 1, 2048),
      timeoutMs: read.int('EMBEDDING_TIMEOUT_MS', 30_000, 100, 600_000),
      retries: read.int('EMBEDDING_RETRIES', 3, 0, 10),
      maxInputChars: read.int('EMBEDDING_MAX_INPUT_CHARS', 2000, 16, 1_000_000),
      retrainDriftShare: read.float('RETRAIN_DRIFT_SHARE', 0.2, 0, 1),
      retrainQuietMs: read.int('RETRAIN_QUIET_MS', 10_000, 0, 3_600_000),
      trainingSampleMax: read.int('TRAINING_SAMPLE_MAX', TRAINING_SAMPLE_MAX, 100, 100_000_000),
    },
    indexing: {
      batchSize: read.int('INDEX_BATCH_SIZE', 256, 1, 10_000),
      pollMs: read.int('INDEX_POLL_MS', 500, 10, 600_000),
      maxBackoffMs: read.int('INDEX_MAX_BACKOFF_MS', 30_000, 100, 3_600_000),
      followMs: read.int('INDEX_FOLLOW_MS', 1000, 50, 60_000),
      retireGraceMs: read.int('INDEX_RETIRE_GRACE_MS', 60_000, 0, 86_400_000),
      // A batch (256 recipes) took a few seconds on the 2-core machine; two minutes leaves a wide
      // margin for a stalled but live process, and another one indexing the same rows after such
      // a stall does no harm (upserts by content hash). Shorter: a dead replica's batch is taken
      // over sooner, but a slow live one may see its rows indexed twice.
      claimLeaseMs: read.int('INDEX_CLAIM_LEASE_MS', 120_000, 1_000, 3_600_000),
      shutdownWaitMs: read.int('SHUTDOWN_WAIT_MS', 10_000, 0, 300_000),
    },
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    metrics: {
      enabled: read.bool('METRICS_ENABLED', true),
      token: metricsToken,
    },
  };

  // Qdrant cannot acknowledge a write on more copies of a shard than it keeps.
  const { replicationFactor, writeConsistencyFactor } = config.vectorStore.qdrant;
  if (writeConsistencyFactor > replicationFactor) {
    problems.push(
      `QDRANT_WRITE_CONSISTENCY_FACTOR (${writeConsistencyFactor}) must not exceed QDRANT_REPLICATION_FACTOR (${replicationFactor}): ` +
        'a write would wait for copies of its shard that do not exist',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** `*` or a comma-separated list of origins (`https://app.example.com,https://admin.example.com`). */
function corsOrigins(value: string | null): '*' | string[] {
  if (value === null || value === '*') return '*';
  return value
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: unset/false (the default: X-Forwarded-For is ignored), true (believe any hop:
 * only behind a proxy that overwrites the header), a hop count, or a comma-separated list of
 * proxy addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 */
function trustProxy(value: string | null, problems: string[]): TrustProxy {
  if (value === null) return false;
  const lower = value.toLowerCase();
  if (['false', 'no', 'off'].includes(lower)) return false;
  if (['true', 'yes', 'on'].includes(lower)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isProxyEntry(entry));
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be true, false, a hop count, or a list of addresses, CIDR ranges and ${PROXY_RANGE_NAMES.join('/')} (got "${value}")`,
    );
    return false;
  }
  return entries;
}

function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry.toLowerCase())) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function headerName(value: string | null, name: string, problems: string[]): string | null {
  if (value === null) return null;
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(value)) {
    problems.push(`${name} must be an HTTP header name (got "${value}")`);
    return null;
  }
  return value.toLowerCase();
}

/**
 * DATABASE_URL must name a PostgreSQL server and a database: a typo would otherwise surface as a
 * connection error long after start, or (without a database name) connect to the user's
 * default database and create the catalog there. The password never appears in the message.
 */
function postgresUrl(raw: string | null, problems: string[]): string | null {
  if (raw === null) return null;
  const refuse = (why: string) => {
    problems.push(`DATABASE_URL ${why} (expected postgres://user:password@host:5432/database)`);
    return null;
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return refuse(`must use the postgres:// scheme, not ${url.protocol.replace(/:$/, '')}://`);
  }
  if (!url.hostname) return refuse('names no host');
  if (!/^\/[^/]+$/.test(url.pathname)) return refuse('names no database');
  return raw;
}

/** At most this many: each holds the whole catalog and index. */
export const MAX_WORKERS = 64;

/** WORKERS as the service reads it: unset is 1, `auto` one per core; a bad value is a problem (and 1). */
export function workerCount(raw: string | null, problems: string[]): number {
  if (raw === null || raw.trim() === '') return 1;
  raw = raw.trim();
  if (raw.toLowerCase() === 'auto') return Math.min(MAX_WORKERS, availableParallelism());
  const count = Number(raw);
  if (Number.isInteger(count) && count >= 1 && count <= MAX_WORKERS) return count;
  problems.push(`WORKERS must be auto or an integer from 1 to ${MAX_WORKERS} (got "${raw}")`);
  return 1;
}

/** SQLite's `:memory:` names no file; anything else is a path, relative to the project. */
function databasePath(path: string): string {
  return path === ':memory:' ? path : resolvePath(path);
}

function resolvePath(path: string): string {
  return isAbsolute(path) ? path : resolve(projectRoot(), path);
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  string(name: string): string | null {
    const value = this.env[name]?.trim();
    return value ? value : null;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    return this.optionalInt(name, min, max) ?? fallback;
  }

  optionalInt(name: string, min: number, max: number): number | null {
    const raw = this.string(name);
    if (raw === null) return null;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return null;
    }
    return value;
  }

  float(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined || raw === null) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === null) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }

  url(name: string): string | null {
    const raw = this.string(name);
    if (raw === null) return null;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be an http(s) URL (got "${raw}")`);
      return null;
    }
  }

  /** Accepts plain bytes or a number with kb/mb suffix ("5mb"). */
  bytes(name: string, fallback: number): number {
    const raw = this.string(name);
    if (raw === null) return fallback;
    const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw);
    if (!match) {
      this.problems.push(`${name} must be a size like 5mb or 1048576 (got "${raw}")`);
      return fallback;
    }
    const unit = (match[2] ?? 'b').toLowerCase();
    const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit] ?? 1;
    return Math.round(Number(match[1]) * factor);
  }
}
