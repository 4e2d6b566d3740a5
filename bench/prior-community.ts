import sqlite3 from 'sqlite3';

/** Interactions a database held before the scale bench posted its own community. */
export interface PriorCommunity {
  interactions: number;
  users: number;
}

/**
 * What `user_interactions` of the database at `file` holds, read-only beside the running
 * service. A restarted run on a database that already held a community (an earlier run's, on a
 * copy of its file) adds the bench's users' interactions to it: the same 10,000 users then have
 * about twice the history, and user lists measure that community, not the one the run reports
 * posting. A database without the table holds none.
 */
export function priorCommunity(file: string): Promise<PriorCommunity> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (opened) => {
      if (opened) return reject(opened);
      db.get<{ interactions: number; users: number }>(
        'SELECT COUNT(*) AS interactions, COUNT(DISTINCT user_id) AS users FROM user_interactions',
        (error, row) => {
          db.close();
          if (error) return /no such table/.test(error.message) ? resolve({ interactions: 0, users: 0 }) : reject(error);
          resolve({ interactions: row?.interactions ?? 0, users: row?.users ?? 0 });
        },
      );
    });
  });
}
