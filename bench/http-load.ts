import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  latenciesMs: number[];
}

/** One GET over a kept-alive connection; resolves with the status once the body is read. */
function get(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A bounded closed-loop load on loopback: `clients` loops, each sending its next request when
 * the previous one answered, until `total` requests were sent or `maxSeconds` passed.
 */
export async function runLoad(options: {
  port: number;
  paths: readonly string[];
  clients: number;
  total: number;
  maxSeconds: number;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.maxSeconds * 1e9));
  const loop = async (): Promise<void> => {
    while (sent < options.total && process.hrtime.bigint() < deadline) {
      const path = options.paths[sent % options.paths.length];
      sent++;
      const t0 = process.hrtime.bigint();
      try {
        const status = await get(agent, options.port, path);
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
