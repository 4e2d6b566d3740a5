import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  latenciesMs: number[];
}

/** A request other than a plain GET: a method, and a JSON body for POST/PUT. */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface PreparedRequest {
  method: string;
  path: string;
  body: Buffer | null;
  headers: Record<string, string | number>;
}

function prepare(entry: string | LoadRequest): PreparedRequest {
  if (typeof entry === 'string') return { method: 'GET', path: entry, body: null, headers: {} };
  const body = entry.body === undefined ? null : Buffer.from(JSON.stringify(entry.body));
  const headers: Record<string, string | number> = { ...entry.headers };
  if (body) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = body.length;
  }
  return { method: entry.method, path: entry.path, body, headers };
}

/** One request over a kept-alive connection; resolves with the status once the body is read. */
function send(agent: Agent, port: number, req: PreparedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: req.path, agent, method: req.method, headers: req.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body ?? undefined);
  });
}

/**
 * A bounded closed-loop load on loopback: `clients` loops, each sending its next request when
 * the previous one answered, until `total` requests were sent, `maxSeconds` passed or `stop`
 * says so. Entries are GET paths or {@link LoadRequest}s, sent in turn. With `ports`, client i
 * talks to `ports[i % ports.length]` only, as a connection-level load balancer in front of
 * several replicas would spread kept-alive connections.
 */
export async function runLoad(options: {
  port: number;
  ports?: readonly number[];
  paths: ReadonlyArray<string | LoadRequest>;
  clients: number;
  total: number;
  maxSeconds: number;
  stop?: () => boolean;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const prepared = options.paths.map(prepare);
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.maxSeconds * 1e9));
  const ports = options.ports && options.ports.length > 0 ? options.ports : [options.port];
  const loop = async (_: unknown, client: number): Promise<void> => {
    const port = ports[client % ports.length];
    while (sent < options.total && process.hrtime.bigint() < deadline && !options.stop?.()) {
      const req = prepared[sent % prepared.length];
      sent++;
      const t0 = process.hrtime.bigint();
      try {
        const status = await send(agent, port, req);
        if (status >= 400) errors++;
      } catch {
        errors++;
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, loop));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { requests: latencies.length, errors, seconds, requestsPerSecond: latencies.length / seconds, latenciesMs: latencies };
}
