import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { IndexJobLockRepository } from './index-job-lock.repository';

/** What the holder of the index-build lock is doing; returned with 409 to whoever asks meanwhile. */
export interface IndexJob {
  kind: 'retrain' | 'reindex';
  /** host:pid:random of the process that runs it. */
  owner: string;
  startedAt: string;
  phase: 'training' | 'indexing' | 'swapping' | 'repairing';
  done: number;
  total: number;
  /** The collection it fills, once created. */
  collection: string | null;
}

export class IndexJobRunningError extends AppError {
  constructor(readonly job: IndexJob) {
    super(ErrorCode.IndexJobRunning, `A ${job.kind} of the index is already running (since ${job.startedAt}, ${job.owner})`, { job });
  }
}

/** The holder lost its lease (it stalled longer than LEASE_MS and another process took over). */
export class IndexJobLeaseLostError extends Error {}

const LOCK_NAME = 'index-build';
/**
 * A crashed holder blocks retrains for at most this long. Training on the bundled catalog takes
 * well under a second, and the event loop is never blocked for more than one embedding batch,
 * so a live holder refreshes its lease every HEARTBEAT_MS with a wide margin.
 */
export const LEASE_MS = 60_000;
const HEARTBEAT_MS = 5_000;

/**
 * The index-build lock: one retrain or collection rebuild at a time across every process on the
 * database. A row in `index_locks` (IndexJobLockRepository) with a lease the holder keeps
 * extending while its job runs.
 */
export class IndexJobLock {
  private timer: NodeJS.Timeout | null = null;
  private lost = false;

  private constructor(
    private readonly locks: IndexJobLockRepository,
    readonly job: IndexJob,
  ) {}

  static async acquire(locks: IndexJobLockRepository, kind: IndexJob['kind'], owner: string): Promise<IndexJobLock> {
    const job: IndexJob = {
      kind,
      owner,
      startedAt: new Date().toISOString(),
      phase: kind === 'retrain' ? 'training' : 'indexing',
      done: 0,
      total: 0,
      collection: null,
    };
    const holder = await locks.take(LOCK_NAME, owner, JSON.stringify(job), LEASE_MS);
    if (holder.owner !== owner) throw new IndexJobRunningError(JSON.parse(holder.job) as IndexJob);
    const lock = new IndexJobLock(locks, job);
    lock.timer = setInterval(() => void lock.heartbeat(), HEARTBEAT_MS);
    lock.timer.unref?.();
    return lock;
  }

  /** The running job, if a live holder has the lock. */
  static async running(locks: IndexJobLockRepository): Promise<IndexJob | null> {
    const job = await locks.liveJob(LOCK_NAME);
    return job === null ? null : (JSON.parse(job) as IndexJob);
  }

  update(patch: Partial<Pick<IndexJob, 'phase' | 'done' | 'total' | 'collection'>>): void {
    Object.assign(this.job, patch);
  }

  /** Throws once another process has taken the lock over; the job must stop writing then. */
  assertHeld(): void {
    if (this.lost) throw new IndexJobLeaseLostError(`The ${this.job.kind} lost its lock to another process`);
  }

  async heartbeat(): Promise<void> {
    try {
      const holder = await this.locks.extend(LOCK_NAME, this.job.owner, JSON.stringify(this.job), LEASE_MS);
      if (holder !== this.job.owner) this.lost = true;
    } catch {
      // A busy database delays the heartbeat; the lease is long enough to try again.
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.locks.release(LOCK_NAME, this.job.owner);
  }
}
