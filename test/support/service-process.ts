import { ChildProcess, spawn } from 'node:child_process';
import { freePort } from './free-port';
import { join } from 'node:path';
import { ADMIN_KEY } from './test-app';

const root = join(__dirname, '..', '..');
const LOG_TAIL_LINES = 60;

/** A parsed JSON body, read field by field as supertest's `body` is. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** An answer as a client sees it: status and parsed JSON body. */
export interface Answer<T = Json> {
  status: number;
  body: T;
}

/**
 * The built service (`node dist/main.js`, as `npm start` runs it) in a process of its own on
 * loopback, for specs about several servers sharing one database. The last lines it logged are
 * kept for the failure message.
 */
export class ServiceProcess {
  private readonly log: string[] = [];
  /** Every line it logged, for `logged`. */
  private readonly lines: string[] = [];
  private exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (!line.trim()) continue;
          this.lines.push(line);
          this.log.push(line.slice(0, 400));
        }
        if (this.log.length > LOG_TAIL_LINES) this.log.splice(0, this.log.length - LOG_TAIL_LINES);
      });
    }
    // 'close', not 'exit': the output is all read by then.
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
  }

  /** Starts the service and waits until it answers `/api/health/live`. */
  static async start(name: string, env: Record<string, string>, readyWithinMs = 90_000): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
      cwd: root,
      // A spec may unset the key with ADMIN_API_KEY: '' (a blank setting counts as unset).
      env: { ...process.env, ADMIN_API_KEY: ADMIN_KEY, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(name, child, port);
    const deadline = Date.now() + readyWithinMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        await service.exited;
        throw new Error(`${name} exited at start (${child.exitCode ?? child.signalCode}):\n${service.recentLog()}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health/live`);
        if (res.ok) return service;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await service.kill();
        throw new Error(`${name} did not start within ${readyWithinMs} ms:\n${service.recentLog()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** How it ended: its exit code, or the signal that killed it; null while it runs. */
  get ended(): number | NodeJS.Signals | null {
    return this.child.exitCode ?? this.child.signalCode;
  }

  /** How many lines matching `pattern` it logged so far. */
  count(pattern: RegExp): number {
    return this.lines.filter((line) => pattern.test(line)).length;
  }

  /** Whether it logged a line matching `pattern` so far. */
  logged(pattern: RegExp): boolean {
    return this.lines.some((line) => pattern.test(line));
  }

  recentLog(): string {
    return `--- ${this.name} (pid ${this.pid}) ---\n${this.log.join('\n')}`;
  }

  /** A JSON request; `admin` sends the admin key. Never throws on a status, only when there is no answer. */
  async request<T = Json>(method: string, path: string, body?: unknown, options: { admin?: boolean } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.admin) headers['x-api-key'] = ADMIN_KEY;
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  get<T = Json>(path: string, options: { admin?: boolean } = {}): Promise<Answer<T>> {
    return this.request<T>('GET', path, undefined, options);
  }

  /** SIGKILL: no shutdown hook runs, as when a machine or container dies. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (a graceful shutdown), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
