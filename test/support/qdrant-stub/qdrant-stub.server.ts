import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeededRandom } from '../../../src/common/seeded-random';
import { parseCreateCollection, parseUpdateCollection, StubCollection } from './qdrant-stub.engine';
import { formatError, object, oneOf, StubHttpError, type Json } from './qdrant-stub.validation';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/**
 * A stand-in for the Qdrant REST endpoints the adapter uses, for CI machines without Qdrant.
 * It keeps points in memory, evaluates filters and scores exactly (dense, sparse with idf,
 * prefetch + rrf with Qdrant's own formula, recommend, int8-quantized collections searched with
 * rescoring), keeps and updates a collection's quantization, validates bodies against the documented
 * shapes, answers `{ result, status: "ok", time }` or Qdrant-style errors, and records every
 * request so specs can assert on what was sent. It is not Qdrant: no HNSW, no shards.
 * Where Qdrant promises nothing it does not either: equal scores come back shuffled (seeded, so
 * a failure replays), and anything valid it does not implement is refused with a 400.
 */
export class QdrantStubServer {
  readonly requests: RecordedRequest[] = [];
  readonly collections = new Map<string, StubCollection>();
  /** alias name → collection name; every point operation accepts an alias for a collection. */
  readonly aliases = new Map<string, string>();
  private faults: Array<{ status: number; message: string }> = [];
  private operationId = 0;

  private readonly random: () => number;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    seed: number,
  ) {
    const generator = new SeededRandom(seed);
    this.random = () => generator.next();
  }

  /** `seed` drives the shuffling of equal scores; the default keeps runs reproducible. */
  static async start(options: { seed?: number } = {}): Promise<QdrantStubServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stub = new QdrantStubServer(server, `http://127.0.0.1:${port}`, options.seed ?? 0x5eed);
    // Nobody knows the port before this returns, so no request can arrive before the handler.
    server.on('request', (req, res) => void stub.handle(req, res));
    return stub;
  }

  /** The next `times` requests fail with this status and message (e.g. 503 during a restart). */
  failNext(status: number, message: string, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ status, message });
  }

  /** Stops listening and drops kept-alive sockets, so clients see connection refused. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port with the same points, like a server back from an outage. */
  async restart(): Promise<void> {
    if (this.server.listening) return;
    const port = Number(new URL(this.url).port);
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }

  requestsTo(method: string, pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://stub');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      const raw = await readBody(req);
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        throw formatError('invalid JSON');
      }
      this.requests.push({ method, path: url.pathname, query, body });
      const fault = this.faults.shift();
      if (fault) throw new StubHttpError(fault.status, fault.message);
      validateQueryParams(query);
      const result = this.route(method, url.pathname.split('/').filter(Boolean).map(decodeURIComponent), query, body);
      send(res, 200, { result, status: 'ok', time: elapsed(started) });
    } catch (error) {
      if (!(error instanceof StubHttpError)) {
        send(res, 500, { status: { error: `Service internal error: ${(error as Error).message}` }, time: elapsed(started) });
        return;
      }
      send(res, error.status, { status: { error: error.message }, time: elapsed(started) });
    }
  }

  private route(method: string, parts: string[], query: Record<string, string>, body: unknown): Json {
    if (parts.length === 0 && method === 'GET')
      return { title: 'qdrant - vector search engine (stub)', version: '1.19.0', commit: null } as unknown as Json;
    if (parts.length === 1 && parts[0] === 'aliases' && method === 'GET') return this.listAliases(() => true);
    if (parts.length === 1 && parts[0] === 'collections' && method === 'GET') {
      return { collections: [...this.collections.keys()].map((name) => ({ name })) };
    }
    if (parts.length === 2 && parts[0] === 'collections' && parts[1] === 'aliases' && method === 'POST') {
      this.changeAliases(body);
      return true;
    }
    if (parts[0] !== 'collections' || parts.length < 2) throw new StubHttpError(404, `Not found: ${method} /${parts.join('/')}`);
    const name = parts[1];
    const rest = parts.slice(2).join('/');
    const ack = (): Json => ({ operation_id: this.operationId++, status: query.wait === 'true' ? 'completed' : 'acknowledged' });

    if (rest === '' && method === 'PUT') {
      const config = parseCreateCollection(body ?? {});
      if (this.collections.has(name)) throw new StubHttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
      if (this.aliases.has(name)) throw new StubHttpError(409, `Wrong input: Alias \`${name}\` already exists!`);
      this.collections.set(name, new StubCollection(config, this.random));
      return true;
    }
    if (rest === 'exists' && method === 'GET') return { exists: this.collections.has(name) };
    if (rest === '' && method === 'PATCH') {
      const update = parseUpdateCollection(body);
      const target = this.collections.get(name);
      if (!target) throw new StubHttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
      if (update.quantization !== undefined) target.config.quantization = update.quantization;
      return true;
    }
    if (rest === '' && method === 'DELETE') {
      // Qdrant drops a collection's aliases with it.
      for (const [alias, target] of [...this.aliases]) if (target === name) this.aliases.delete(alias);
      return this.collections.delete(name);
    }
    if (rest === 'aliases' && method === 'GET') {
      if (!this.collections.has(name)) throw new StubHttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
      return this.listAliases((target) => target === name);
    }

    const collection = this.collections.get(name) ?? this.collections.get(this.aliases.get(name) ?? '');
    if (!collection) throw new StubHttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);

    switch (`${method} ${rest}`) {
      case 'GET ':
        return describe(collection);
      case 'PUT index': {
        const request = object(body, 'body', ['field_name', 'field_schema'], ['field_name']);
        if (typeof request.field_name !== 'string') throw formatError('field_name: expected a string');
        const schema = request.field_schema;
        if (typeof schema === 'string' || schema === undefined || schema === null) {
          oneOf(schema, 'field_schema', ['keyword', 'integer', 'float', 'geo', 'text', 'bool', 'datetime', 'uuid'] as const);
        } else {
          object(schema, 'field_schema', [
            'type',
            'is_tenant',
            'on_disk',
            'lookup',
            'range',
            'is_principal',
            'tokenizer',
            'min_token_len',
            'max_token_len',
            'lowercase',
          ]);
        }
        collection.payloadIndexes.set(request.field_name, schema);
        return ack();
      }
      case 'PUT points':
        collection.upsert(body);
        return ack();
      case 'POST points/delete':
        collection.delete(body);
        return ack();
      case 'POST points':
        return collection.retrieve(body);
      case 'POST points/scroll':
        return collection.scroll(body);
      case 'POST points/count':
        return { count: collection.count(body) };
      case 'POST points/query':
        return collection.query(body);
      case 'POST points/query/batch': {
        const request = object(body, 'body', ['searches'], ['searches']);
        if (!Array.isArray(request.searches)) throw formatError('searches: expected an array');
        return request.searches.map((search) => collection.query(search));
      }
      default:
        throw new StubHttpError(404, `Not found: ${method} /collections/${name}/${rest} is not implemented by the stub`);
    }
  }

  private listAliases(keep: (collection: string) => boolean): Json {
    return {
      aliases: [...this.aliases]
        .filter(([, collection]) => keep(collection))
        .map(([alias_name, collection_name]) => ({ alias_name, collection_name })),
    };
  }

  /**
   * ChangeAliasesOperation: `{ actions: [...] }`, each action exactly one of create_alias,
   * delete_alias, rename_alias. All or nothing: the actions apply to a copy that replaces the
   * table only when every one succeeded, as Qdrant applies them atomically.
   */
  private changeAliases(body: unknown): void {
    const request = object(body, 'body', ['actions'], ['actions']);
    if (!Array.isArray(request.actions)) throw formatError('actions: expected an array');
    const next = new Map(this.aliases);
    const name = (value: unknown, where: string): string => {
      if (typeof value !== 'string' || value.length === 0) throw formatError(`${where}: expected a non-empty string`);
      return value;
    };
    request.actions.forEach((raw, i) => {
      const where = `actions[${i}]`;
      const action = object(raw, where, ['create_alias', 'delete_alias', 'rename_alias']);
      const kinds = Object.keys(action);
      if (kinds.length !== 1) throw formatError(`${where}: expected exactly one of create_alias, delete_alias, rename_alias`);
      if (action.create_alias !== undefined) {
        const create = object(
          action.create_alias,
          `${where}.create_alias`,
          ['collection_name', 'alias_name'],
          ['collection_name', 'alias_name'],
        );
        const alias = name(create.alias_name, `${where}.create_alias.alias_name`);
        const collection = name(create.collection_name, `${where}.create_alias.collection_name`);
        if (!this.collections.has(collection)) throw new StubHttpError(404, `Not found: Collection \`${collection}\` doesn't exist!`);
        if (next.has(alias)) throw new StubHttpError(409, `Wrong input: Alias \`${alias}\` already exists!`);
        if (this.collections.has(alias)) throw new StubHttpError(409, `Wrong input: Collection \`${alias}\` already exists!`);
        next.set(alias, collection);
      } else if (action.delete_alias !== undefined) {
        const remove = object(action.delete_alias, `${where}.delete_alias`, ['alias_name'], ['alias_name']);
        const alias = name(remove.alias_name, `${where}.delete_alias.alias_name`);
        if (!next.delete(alias)) throw new StubHttpError(404, `Not found: Alias \`${alias}\` doesn't exist!`);
      } else {
        const rename = object(
          action.rename_alias,
          `${where}.rename_alias`,
          ['old_alias_name', 'new_alias_name'],
          ['old_alias_name', 'new_alias_name'],
        );
        const from = name(rename.old_alias_name, `${where}.rename_alias.old_alias_name`);
        const to = name(rename.new_alias_name, `${where}.rename_alias.new_alias_name`);
        const target = next.get(from);
        if (target === undefined) throw new StubHttpError(404, `Not found: Alias \`${from}\` doesn't exist!`);
        if (next.has(to)) throw new StubHttpError(409, `Wrong input: Alias \`${to}\` already exists!`);
        next.delete(from);
        next.set(to, target);
      }
    });
    this.aliases.clear();
    for (const [alias, collection] of next) this.aliases.set(alias, collection);
  }
}

function validateQueryParams(query: Record<string, string>): void {
  if (query.wait !== undefined) oneOf(query.wait, 'wait', ['true', 'false'] as const);
  if (query.ordering !== undefined) oneOf(query.ordering, 'ordering', ['weak', 'medium', 'strong'] as const);
  if (query.timeout !== undefined && !/^\d+$/.test(query.timeout))
    throw new StubHttpError(400, 'Query deserialize error: timeout: invalid digit');
}

function describe(collection: StubCollection): Json {
  const { config } = collection;
  return {
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: collection.points.size,
    segments_count: 1,
    config: {
      params: {
        vectors: config.vectors,
        sparse_vectors: config.sparse,
        shard_number: config.shardNumber,
        replication_factor: config.replicationFactor,
        write_consistency_factor: config.writeConsistencyFactor,
        on_disk_payload: true,
      },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        max_segment_size: null,
        memmap_threshold: null,
        indexing_threshold: 10000,
        flush_interval_sec: 5,
        max_optimization_threads: null,
      },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: config.quantization,
    },
    payload_schema: Object.fromEntries(
      [...collection.payloadIndexes].map(([field, schema]) => [
        field,
        { data_type: typeof schema === 'string' ? schema : 'keyword', points: collection.points.size },
      ]),
    ),
  } as unknown as Json;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function elapsed(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
