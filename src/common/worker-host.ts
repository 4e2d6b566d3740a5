import { extname, join } from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { projectRoot } from '../config/project-root';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';

interface TaskMessage<Task> {
  id: number;
  task: Task;
}

type ReplyMessage =
  | { id: number; result: unknown; error?: undefined }
  | { id: number; result?: undefined; error: { code?: ErrorCode; message: string; details?: unknown } };

/**
 * One worker thread for CPU work that would otherwise hold the event loop, started by the first
 * task, which waits for it to load, and stopped after `idleStopMs` with nothing to do; the next
 * task starts a new one. If the thread dies, the tasks it held fail and the next one starts a new
 * thread. An AppError thrown in the thread is thrown again here with its code and details.
 *
 * `script` is the worker's module in the same folder as the caller's, without its extension:
 * the built `.js` file, or the `.ts` source in the test run (compiled as it loads).
 */
export class WorkerHost<Task> {
  private readonly logger: Logger;
  private worker: Worker | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Tasks sent and not answered, with the thread each went to. */
  private readonly pending = new Map<number, { worker: Worker; resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor(
    private readonly script: string,
    private readonly data: unknown,
    private readonly label: string,
    /** How long the thread is kept with nothing to do. */
    public idleStopMs: number,
  ) {
    this.logger = new Logger(label);
  }

  /** The running thread's id, or null while none runs. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  /** Runs `task` in the thread; `transfer` lists buffers that move to it instead of being copied. */
  run(task: Task, transfer: ArrayBuffer[] = []): Promise<unknown> {
    this.keepRunning();
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      const message: TaskMessage<Task> = { id, task };
      worker.postMessage(message, transfer);
    });
  }

  async stop(): Promise<void> {
    this.keepRunning();
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const compiling = extname(__filename) === '.ts';
    const worker = new Worker(`${this.script}${extname(__filename)}`, {
      workerData: this.data,
      execArgv: compiling ? ['--require', join(projectRoot(), 'scripts', 'register-typescript.js')] : [],
    });
    worker.unref();
    worker.on('message', (reply: ReplyMessage) => this.settle(reply));
    worker.on('error', (error) => this.logger.error(`The ${this.label} failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      const failure = new Error(`The ${this.label} stopped (exit code ${code})`);
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue;
        this.pending.delete(id);
        waiting.reject(failure);
      }
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: ReplyMessage): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.stopWhenIdle();
    if (!reply.error) return waiting.resolve(reply.result);
    const { code, message, details } = reply.error;
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
      // Only set once nothing waits, and cleared by the next task: the thread is idle here.
      const worker = this.worker;
      if (!worker) return;
      // Forgotten first, so a task arriving while it stops starts a new thread.
      this.worker = null;
      void worker.terminate();
    }, this.idleStopMs);
    this.idleTimer.unref();
  }
}

/**
 * The thread's side of WorkerHost: answers each task with `handle`'s result or its error. One task at a time, the one of
 * highest `priority` among those that have arrived: messages are all taken in before the next
 * task starts, so an urgent task does not wait behind background ones sent before it.
 */
export function serveTasks<Task>(handle: (task: Task) => unknown, options: { priority?: (task: Task) => number } = {}): void {
  const port = parentPort!;
  const { priority = () => 0 } = options;
  const queue: Array<TaskMessage<Task>> = [];
  let running = false;
  const reply = (message: ReplyMessage) => port.postMessage(message);
  const next = (): void => {
    if (running || queue.length === 0) return;
    let best = 0;
    for (let i = 1; i < queue.length; i++) if (priority(queue[i].task) > priority(queue[best].task)) best = i;
    const [{ id, task }] = queue.splice(best, 1);
    running = true;
    Promise.resolve()
      .then(() => handle(task))
      .then(
        (result): void => reply({ id, result }),
        (error: unknown): void =>
          reply({
            id,
            error:
              error instanceof AppError
                ? { code: error.code, message: error.message, details: error.details }
                : { message: error instanceof Error ? error.message : String(error) },
          }),
      )
      .finally(() => {
        running = false;
        // After the messages that arrived meanwhile are taken in (they come before setImmediate's turn).
        setImmediate(next);
      });
  };
  port.on('message', (message: TaskMessage<Task>) => {
    queue.push(message);
    setImmediate(next);
  });
}
