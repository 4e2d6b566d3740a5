import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppError } from '../../common/app-error';
import { ErrorCode } from '../../common/error-codes';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { projectRoot } from '../../config/project-root';
import type { PreparedBulk } from './bulk-preparation';

/** See BulkPreparer: a bulk import sends its next bulk within seconds; an operator's next import may come hours later. */
const BULK_THREAD_IDLE_MS = 30_000;

export interface BulkWorkerData {
  lexiconExtraPath: string | null;
  maxDepth: number;
}

export interface BulkRequest {
  id: number;
  bytes: Uint8Array | undefined;
}

export type BulkResponse =
  | { id: number; prepared: PreparedBulk; error?: undefined }
  | { id: number; prepared?: undefined; error: { code?: ErrorCode; message: string; details?: unknown } };

/**
 * Prepares bulk bodies (parse, check, normalise: see prepareBulk) in a worker thread started on
 * the first bulk and kept for the next ones; the event loop only sends the bytes and gets flat
 * rows back. On the load bench a 1,000 × 250-ingredient bulk kept the main thread busy for
 * about 4 s in slices, and its JSON.parse (~100 ms) and the garbage collections of its object
 * graph could not be sliced at all: the one-word searches beside it reached a p99 of 257 ms.
 *
 * The first bulk waits for the thread to load the lexicon and jieba (about a second). If the
 * thread dies, the requests it held fail and the next bulk starts a new one.
 *
 * A thread left idle for `idleStopMs` is stopped, and the next bulk starts a new one: its heap
 * (lexicon, jieba's dictionary, what its bulks left) is the process's. Measured with the built
 * thread and the bench's synthetic bulks: the process's RSS grew by 119 MiB with the thread after
 * one bulk of 1,000 recipes and by 176 MiB after 30; stopping it gave back 72 and 119 MiB.
 */
@Injectable()
export class BulkPreparer implements OnModuleDestroy {
  private readonly logger = new Logger(BulkPreparer.name);
  /** How long the thread is kept with no bulk to prepare. */
  idleStopMs = BULK_THREAD_IDLE_MS;
  private worker: Worker | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Requests sent and not answered, with the thread each went to. */
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve: (prepared: PreparedBulk) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The running thread's id, or null while none runs. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  prepare(bytes: Uint8Array | undefined): Promise<PreparedBulk> {
    this.keepRunning();
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<PreparedBulk>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      const owned = bytes && ownsItsBuffer(bytes) ? bytes : bytes && Uint8Array.from(bytes);
      const request: BulkRequest = { id, bytes: owned };
      worker.postMessage(request, owned ? [owned.buffer as ArrayBuffer] : []);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.keepRunning();
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const data: BulkWorkerData = { lexiconExtraPath: this.config.lexiconExtraPath, maxDepth: this.config.jsonMaxDepth };
    const worker = new Worker(join(__dirname, `bulk-preparation.worker${extname(__filename)}`), {
      workerData: data,
      // Run from the TypeScript sources (tests), the thread compiles what it loads as it goes.
      execArgv: extname(__filename) === '.ts' ? ['--require', join(projectRoot(), 'scripts', 'register-typescript.js')] : [],
    });
    worker.unref();
    worker.on('message', (response: BulkResponse) => this.settle(response));
    worker.on('error', (error) => this.logger.error(`The bulk-preparation thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      const failure = new Error(`The bulk-preparation thread stopped (exit code ${code})`);
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue;
        this.pending.delete(id);
        waiting.reject(failure);
      }
    });
    this.worker = worker;
    return worker;
  }

  private settle(response: BulkResponse): void {
    const waiting = this.pending.get(response.id);
    if (!waiting) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0) this.stopWhenIdle();
    if (response.prepared) return waiting.resolve(response.prepared);
    const { code, message, details } = response.error;
    waiting.reject(code ? new AppError(code, message, details) : new Error(message));
  }

  private keepRunning(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private stopWhenIdle(): void {
    this.keepRunning();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      // Only set once nothing waits, and cleared by the next bulk: the thread is idle here.
      const worker = this.worker;
      if (!worker) return;
      // Forgotten first, so a bulk arriving while it stops starts a new thread.
      this.worker = null;
      void worker.terminate();
    }, this.idleStopMs);
    this.idleTimer.unref();
  }
}

/** Whether the view spans its whole buffer, which can then move to the thread instead of being copied. */
function ownsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}
