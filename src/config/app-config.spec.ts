import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig, MAX_WORKERS } from './app-config';

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set, generating an admin key', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.vectorStore.kind).toBe('embedded');
    expect(config.embedding.provider).toBe('food-concepts');
    expect(config.bodyLimitBytes).toBe(5 * 1024 * 1024);
    expect(config.adminApiKeyGenerated).toBe(true);
    expect(config.adminApiKey.length).toBeGreaterThanOrEqual(24);
    expect(config.databasePath).toMatch(/data\/recipes\.sqlite$/);
  });

  it('runs one server process unless WORKERS asks for more (auto: one per core), and refuses anything else', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(Math.min(MAX_WORKERS, availableParallelism()));
    for (const bad of ['0', 'two', '1.5', String(MAX_WORKERS + 1)]) {
      expect(() => loadConfig({ WORKERS: bad })).toThrow(/WORKERS must be auto or an integer from 1 to 64/);
    }
  });

  it('lists every problem at once and stops', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', VECTOR_STORE: 'qdrant', EMBEDDING_PROVIDER: 'openai-compatible', BODY_LIMIT: 'big' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT must be an integer/);
    expect(problems).toMatch(/QDRANT_URL is required/);
    expect(problems).toMatch(/EMBEDDING_BASE_URL is required/);
    expect(problems).toMatch(/BODY_LIMIT must be a size/);
  });

  it("keeps SQLite's :memory: as it is and resolves file paths against the project", () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).databasePath).toBe(':memory:');
    expect(loadConfig({ DATABASE_PATH: 'tmp/x.sqlite' }).databasePath).toMatch(/^\/.*\/tmp\/x\.sqlite$/);
  });

  it('keeps SQLite unless DATABASE_URL names a PostgreSQL database, and refuses any other URL at start', () => {
    expect(loadConfig({}).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'postgres://app:pw@db:5432/recipes' }).databaseUrl).toBe('postgres://app:pw@db:5432/recipes');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/recipes?sslmode=require' }).databaseUrl).toBe(
      'postgresql://db/recipes?sslmode=require',
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://app:pw@db/recipes' })).toThrow(
      /DATABASE_URL must use the postgres:\/\/ scheme, not mysql/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app:secret@db:5432' })).toThrow(/DATABASE_URL names no database/);
    expect(() => loadConfig({ DATABASE_URL: 'db:5432/recipes' })).toThrow(/DATABASE_URL must use the postgres/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL is not a URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app:secret@db:5432' })).not.toThrow(/secret/);
  });

  it('reads the embedded partitioned-index settings, defaulting to exact search below 20,000 points', () => {
    expect(loadConfig({}).vectorStore.embedded).toEqual({ ivfMinPoints: 20_000, ivfProbes: 16, ivfLists: null, ivfOversampling: 1.25 });
    expect(
      loadConfig({ EMBEDDED_IVF_MIN_POINTS: '5000', EMBEDDED_IVF_PROBES: '8', EMBEDDED_IVF_LISTS: '256', EMBEDDED_IVF_OVERSAMPLING: '3' })
        .vectorStore.embedded,
    ).toEqual({ ivfMinPoints: 5000, ivfProbes: 8, ivfLists: 256, ivfOversampling: 3 });
    expect(() => loadConfig({ EMBEDDED_IVF_PROBES: '0' })).toThrow(/EMBEDDED_IVF_PROBES must be an integer/);
    expect(() => loadConfig({ EMBEDDED_IVF_OVERSAMPLING: '0.5' })).toThrow(/EMBEDDED_IVF_OVERSAMPLING/);
  });

  it('reads CORS origins as any or a list', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example/' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('reads sizes with units and Qdrant cluster settings', () => {
    const config = loadConfig({
      BODY_LIMIT: '512kb',
      VECTOR_STORE: 'qdrant',
      QDRANT_URL: 'http://qdrant:6333/',
      QDRANT_SHARDS: '4',
      QDRANT_REPLICATION_FACTOR: '2',
    });
    expect(config.bodyLimitBytes).toBe(512 * 1024);
    expect(config.vectorStore.qdrant).toMatchObject({ url: 'http://qdrant:6333', shards: 4, replicationFactor: 2 });
  });

  it('refuses a write consistency factor above the replication factor, which Qdrant could never meet', () => {
    const qdrant = { VECTOR_STORE: 'qdrant', QDRANT_URL: 'http://qdrant:6333' };
    expect(() => loadConfig({ ...qdrant, QDRANT_REPLICATION_FACTOR: '2', QDRANT_WRITE_CONSISTENCY_FACTOR: '3' })).toThrow(
      /QDRANT_WRITE_CONSISTENCY_FACTOR \(3\) must not exceed QDRANT_REPLICATION_FACTOR \(2\)/,
    );
    expect(() => loadConfig({ ...qdrant, QDRANT_WRITE_CONSISTENCY_FACTOR: '2' })).toThrow(ConfigError);
    const config = loadConfig({ ...qdrant, QDRANT_REPLICATION_FACTOR: '2', QDRANT_WRITE_CONSISTENCY_FACTOR: '2' });
    expect(config.vectorStore.qdrant).toMatchObject({ replicationFactor: 2, writeConsistencyFactor: 2 });
  });

  it('quantizes Qdrant collections to int8 with 2x oversampling by default; both settings are checked', () => {
    expect(loadConfig({}).vectorStore.qdrant).toMatchObject({ quantization: 'int8', oversampling: 2 });
    expect(loadConfig({ QDRANT_QUANTIZATION: 'none', QDRANT_OVERSAMPLING: '1.5' }).vectorStore.qdrant).toMatchObject({
      quantization: 'none',
      oversampling: 1.5,
    });
    let problems = '';
    try {
      loadConfig({ QDRANT_QUANTIZATION: 'binary', QDRANT_OVERSAMPLING: '0.5' });
    } catch (error) {
      problems = (error as ConfigError).problems.join('\n');
    }
    expect(problems).toMatch(/QDRANT_QUANTIZATION must be one of int8, none \(got "binary"\)/);
    expect(problems).toMatch(/QDRANT_OVERSAMPLING must be a number from 1 to 10 \(got "0.5"\)/);
    expect(() => loadConfig({ QDRANT_OVERSAMPLING: '11' })).toThrow(/QDRANT_OVERSAMPLING must be a number from 1 to 10/);
  });
  it('limits every client by default, loopback included, and reads the rate-limit settings', () => {
    expect(loadConfig({}).rateLimit).toEqual({
      perMinute: 20_000,
      exemptLoopback: false,
      clientHeader: null,
      adminFailures: 10,
      adminFailureWindowMs: 15 * 60_000,
    });
    expect(
      loadConfig({
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_EXEMPT_LOOPBACK: 'true',
        RATE_LIMIT_CLIENT_HEADER: 'X-Client-Id',
        RATE_LIMIT_ADMIN_FAILURES: '3',
        RATE_LIMIT_ADMIN_WINDOW_MINUTES: '60',
      }).rateLimit,
    ).toEqual({ perMinute: 0, exemptLoopback: true, clientHeader: 'x-client-id', adminFailures: 3, adminFailureWindowMs: 3_600_000 });
    const problems = () => {
      try {
        loadConfig({
          RATE_LIMIT_PER_MINUTE: '-1',
          RATE_LIMIT_ADMIN_FAILURES: '0',
          RATE_LIMIT_CLIENT_HEADER: 'x client',
          JSON_MAX_DEPTH: '2',
        });
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems()).toMatch(/RATE_LIMIT_PER_MINUTE must be an integer/);
    expect(problems()).toMatch(/RATE_LIMIT_ADMIN_FAILURES must be an integer/);
    expect(problems()).toMatch(/RATE_LIMIT_CLIENT_HEADER must be an HTTP header name/);
    expect(problems()).toMatch(/JSON_MAX_DEPTH must be an integer/);
  });

  it('reads TRUST_PROXY as off, all, a hop count or a list of proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 192.0.2.1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY must be/);
    expect(() => loadConfig({ TRUST_PROXY: 'my-proxy.local' })).toThrow(/TRUST_PROXY must be/);
  });

  it('logs at info and serves metrics openly by default; LOG_LEVEL and METRICS_* are checked', () => {
    expect(loadConfig({})).toMatchObject({ logLevel: 'info', metrics: { enabled: true, token: null } });
    expect(loadConfig({ LOG_LEVEL: 'warn', METRICS_ENABLED: 'false', METRICS_TOKEN: 'a-long-enough-token' })).toMatchObject({
      logLevel: 'warn',
      metrics: { enabled: false, token: 'a-long-enough-token' },
    });
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });
});
