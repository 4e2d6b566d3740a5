import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { heapLimitFlags } from '../src/config/heap-limit';
import { freePort } from './http-bench';

/** What GET /api/health reports, as far as the benchmark reads it. */
export interface HealthReport {
  status: string;
  database: { state: string; recipes?: number };
  vectorStore: { state: string; points?: number; collection?: string };
  embedder: { state: string; modelId?: string };
  index: { pending: number; oldestPendingSeconds: number; lastError?: string | null };
}

export interface MemoryReading {
  /** Resident set now (VmRSS), MiB. */
  rssMiB: number;
  /** Highest resident set so far (VmHWM), MiB. */
  peakMiB: number;
}

const LOG_TAIL_LINES = 40;
/** Linux reports process CPU times in clock ticks; 100 per second on every mainstream kernel config. */
const CLOCK_TICKS_PER_S = 100;

/**
 * The service as `npm start` runs it (`node dist/main.js` with its glibc malloc settings, compiled here
 * into dist-bench), in its own process on loopback over its own SQLite file. The caller's environment is passed through
 * (VECTOR_STORE, EMBEDDED_IVF_*, INDEX_*, NODE_OPTIONS…) except the settings that place it: port,
 * host, database and admin key. The last lines it logs are kept for the message when it dies.
 */
export class ServiceProcess {
  private readonly logTail: string[] = [];
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly adminKey: string,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) this.logTail.push(line.slice(0, 500));
        if (this.logTail.length > LOG_TAIL_LINES) this.logTail.splice(0, this.logTail.length - LOG_TAIL_LINES);
      });
    }
    // Never outlive the bench: interrupted during a long retrain, the bench exited before the
    // service's graceful stop did, and the service ran on.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      process.removeListener('exit', killOnExit);
    });
  }

  /** `nodeArgs`: node options before the service's script (`--cpu-prof`…), after the young-generation size. */
  static async start(options: {
    databasePath: string;
    adminKey: string;
    env?: NodeJS.ProcessEnv;
    nodeArgs?: readonly string[];
  }): Promise<ServiceProcess> {
    const port = await freePort();
    const main = join(__dirname, '..', 'src', 'main.js');
    const env = options.env ?? process.env;
    // The V8 flags `npm start` passes, the young generation unless NODE_SEMI_SPACE_MIB says otherwise
    // (docs/PERFORMANCE.md, "Memory under load").
    const semiSpaceMib = env.NODE_SEMI_SPACE_MIB ?? '32';
    const youngGeneration = [`--min-semi-space-size=${semiSpaceMib}`, `--max-semi-space-size=${semiSpaceMib}`];
    // The heap sized as `npm start` sizes it, unless NODE_OPTIONS does.
    const heap = heapLimitFlags(env);
    const child = spawn(
      process.execPath,
      [...heap, ...youngGeneration, '--no-allocation-site-pretenuring', ...(options.nodeArgs ?? []), main],
      {
        env: {
          NODE_ENV: 'production',
          // The scale run measures capacity: seven routes at full speed from one address would pass
          // the per-client budget (the HTTP section measures at the default limits).
          RATE_LIMIT_PER_MINUTE: '0',
          // What `npm start` sets unless the environment does.
          MALLOC_ARENA_MAX: '2',
          MALLOC_MMAP_THRESHOLD_: '131072',
          MALLOC_TRIM_THRESHOLD_: '33554432',
          ...env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_PATH: options.databasePath,
          ADMIN_API_KEY: options.adminKey,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new ServiceProcess(child, port, options.adminKey);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Why the process is gone, or null while it runs. */
  exitReason(): string | null {
    if (!this.exit) return null;
    return this.exit.signal ? `killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`;
  }

  /** Resolves once the process has exited, or after `ms` if it is still running. */
  async exitedWithin(ms: number): Promise<void> {
    if (this.exit) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The last lines the service wrote to stdout and stderr. */
  recentLog(): string {
    return this.logTail.join('\n');
  }

  /**
   * The service's resident set, summed over its processes (the primary and its workers when
   * WORKERS is above 1). The peak is the sum of each process's own peak: with several workers,
   * an upper bound of their peak together.
   */
  memory(): MemoryReading | null {
    let rssKiB = 0;
    let peakKiB = 0;
    for (const pid of this.processes()) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const rss = /VmRSS:\s+(\d+) kB/.exec(status);
        const peak = /VmHWM:\s+(\d+) kB/.exec(status);
        if (!rss || !peak) return null;
        rssKiB += Number(rss[1]);
        peakKiB += Number(peak[1]);
      } catch {
        // A worker that exited between the listing and the read.
      }
    }
    return peakKiB > 0 ? { rssMiB: rssKiB / 1024, peakMiB: peakKiB / 1024 } : null;
  }

  /**
   * Starts the peak (VmHWM) again from the current RSS, so the next reading is the peak of what
   * follows (Linux 4.0 on: writing 5 to /proc/<pid>/clear_refs). False where that is refused.
   */
  resetPeak(): boolean {
    try {
      for (const pid of this.processes()) writeFileSync(`/proc/${pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /** User + system CPU time the service's processes used so far, in seconds (Linux /proc). */
  cpuSeconds(): number | null {
    let ticks = 0;
    for (const pid of this.processes()) {
      try {
        // Fields after the command name, which is in parentheses and may hold spaces.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        if (pid === this.pid) return null;
      }
    }
    return ticks / CLOCK_TICKS_PER_S;
  }

  /** The service's process and its children (the workers, when WORKERS is above 1). */
  private processes(): number[] {
    const pids = [this.pid];
    for (let i = 0; i < pids.length; i++) {
      try {
        const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(' ').map(Number));
      } catch {
        // Gone, or a kernel without the children file: the process alone.
      }
    }
    return pids;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async health(): Promise<HealthReport | null> {
    try {
      const res = await fetch(this.url('/api/health'), { signal: AbortSignal.timeout(10_000) });
      return (await res.json()) as HealthReport;
    } catch {
      return null;
    }
  }

  /**
   * How many processes serve the port: the workers whose series `/metrics` gathers (each carries
   * a `worker` label; see src/cluster), or 1 for a single process.
   */
  async servingWorkers(): Promise<number> {
    try {
      const text = await (await fetch(this.url('/metrics'), { signal: AbortSignal.timeout(10_000) })).text();
      const workers = new Set(text.match(/^recipes_index_points\{[^}]*worker="(\d+)"/gm) ?? []);
      return Math.max(1, workers.size);
    } catch {
      return 0;
    }
  }

  /** A JSON request; throws with the status and body on anything but 2xx, or without an answer in `timeoutMs` (the phase around it sets the real bound). */
  async json<T>(method: string, path: string, body?: unknown, options: { admin?: boolean; timeoutMs?: number } = {}): Promise<T> {
    const { res, text } = await this.send(method, path, body, options);
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /**
   * A GET on a connection of its own, closed after the answer: its status and body. With several
   * workers Node's cluster module hands each new connection to the next worker, so n of these in
   * a row meet each of n workers (requests on a kept-alive connection all meet one).
   */
  getOnNewConnection(path: string, timeoutMs = 60_000): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, path, agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`GET ${path.slice(0, 120)}: no answer within ${timeoutMs / 1000} s`)));
      req.on('error', (error) => reject(new Error(`GET ${path.slice(0, 120)}: ${String(error)}`, { cause: error })));
      req.end();
    });
  }

  private async send(
    method: string,
    path: string,
    body?: unknown,
    options: { admin?: boolean; timeoutMs?: number } = {},
  ): Promise<{ res: Response; text: string }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.admin) headers['x-api-key'] = this.adminKey;
    const timeoutMs = options.timeoutMs ?? 600_000;
    try {
      const res = await fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { res, text: await res.text() };
    } catch (error) {
      // fetch's own failures say only "fetch failed"; what happened (a reset connection, the
      // client's 300 s wait for response headers) is the cause.
      const cause = error instanceof Error && error.cause !== undefined ? ` (${String(error.cause)})` : '';
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : `${String(error)}${cause}`;
      throw new Error(`${method} ${path.slice(0, 120)}: ${reason}`, { cause: error });
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exit) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
