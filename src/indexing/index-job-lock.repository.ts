import { DataSource } from 'typeorm';
import { execute, queryRows } from '../database/sql';

/**
 * The SQL of the index-build lock: one row per lock name in `index_locks`, its holder, the job
 * it runs (JSON) and the lease's end. Taking it is one statement, so two processes (or two
 * requests in one) can never both win.
 */
export class IndexJobLockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the lock for `owner` unless a live lease holds it; the holder afterwards, which is
   * `owner` exactly when it won.
   */
  async take(name: string, owner: string, job: string, leaseMs: number): Promise<{ owner: string; job: string }> {
    return this.dataSource.transaction(async (manager) => {
      const now = Date.now();
      await execute(
        manager,
        `INSERT INTO index_locks (name, owner, job, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, job = excluded.job, expires_at = excluded.expires_at
         WHERE index_locks.expires_at < ?`,
        [name, owner, job, now + leaseMs, now],
      );
      const rows = await queryRows<{ owner: string; job: string }>(manager, 'SELECT owner, job FROM index_locks WHERE name = ?', [name]);
      return rows[0];
    });
  }

  /** The job (JSON) of a live holder, or null. */
  async liveJob(name: string): Promise<string | null> {
    const rows = await queryRows<{ job: string }>(this.dataSource, 'SELECT job FROM index_locks WHERE name = ? AND expires_at >= ?', [
      name,
      Date.now(),
    ]);
    return rows.length > 0 ? rows[0].job : null;
  }

  /** Extends `owner`'s lease and stores its job; the holder afterwards (another one when it lost the lock). */
  async extend(name: string, owner: string, job: string, leaseMs: number): Promise<string | null> {
    const rows = await this.dataSource.transaction(async (manager) => {
      await execute(manager, 'UPDATE index_locks SET expires_at = ?, job = ? WHERE name = ? AND owner = ?', [
        Date.now() + leaseMs,
        job,
        name,
        owner,
      ]);
      return queryRows<{ owner: string }>(manager, 'SELECT owner FROM index_locks WHERE name = ?', [name]);
    });
    return rows[0]?.owner ?? null;
  }

  /** Lets go of the lock if `owner` still holds it. */
  async release(name: string, owner: string): Promise<void> {
    await this.dataSource.transaction((manager) => execute(manager, 'DELETE FROM index_locks WHERE name = ? AND owner = ?', [name, owner]));
  }
}
