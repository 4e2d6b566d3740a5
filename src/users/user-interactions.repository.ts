import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { InteractionSignal, InteractionType, UserInteraction } from './user-interaction.types';

interface InteractionRow {
  id: string;
  user_id: string;
  recipe_id: string;
  type: InteractionType;
  value: number | null;
  scale: number | null;
  preference: number | null;
  at: string;
}

export type NewInteraction = Omit<UserInteraction, 'id'>;

/** Positive evidence: what popularity and neighbourhoods are built from (views are too weak). */
const EXPLICIT_TYPES = `('like', 'dislike', 'rating', 'cooked')`;
/** SQLite's limit on bound parameters is 999 in older builds; stay under it. */
const CHUNK = 500;

interface PendingInsert {
  rows: UserInteraction[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows one group commit takes at most; the rest wait for the next one. */
const GROUP_COMMIT_MAX_ROWS = 5_000;

/** The `user_interactions` table (raw SQL: the app's entity list belongs to the catalog). */
@Injectable()
export class UserInteractionsRepository {
  private waiting: PendingInsert[] = [];
  private committing: Promise<void> | null = null;
  private committedWrites = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Grows with every transaction this process committed: caches of everyone's history key on it. */
  get version(): number {
    return this.committedWrites;
  }

  /** Stores the records all together or not at all. */
  async insert(records: NewInteraction[]): Promise<UserInteraction[]> {
    if (records.length === 0) return [];
    const stored = records.map((r) => ({ ...r, id: `i${randomUUID().replace(/-/g, '')}` }));
    await new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows: stored, resolve, reject });
      this.committing ??= this.commitWaiting();
    });
    return stored;
  }

  /**
   * Group commit: the inserts that arrived while the previous transaction ran share the next
   * one. Every transaction waits its turn on the one SQLite connection and costs several turns
   * of the event loop (BEGIN, INSERT, COMMIT); next to 10 readers a turn took tens of
   * milliseconds, so 20 writers each in their own transaction waited 1.4 s (p50) for their
   * turn. If a shared transaction fails, each insert is tried alone, so one cannot fail another.
   */
  private async commitWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      let rows = 0;
      let take = 0;
      while (take < this.waiting.length && (take === 0 || rows + this.waiting[take].rows.length <= GROUP_COMMIT_MAX_ROWS)) {
        rows += this.waiting[take].rows.length;
        take++;
      }
      const group = this.waiting.splice(0, take);
      try {
        await this.write(group.flatMap((g) => g.rows));
        group.forEach((g) => g.resolve());
      } catch (error) {
        if (group.length === 1) {
          group[0].reject(error);
          continue;
        }
        for (const alone of group) {
          await this.write(alone.rows).then(alone.resolve, alone.reject);
        }
      }
    }
    this.committing = null;
  }

  private async write(rows: UserInteraction[]): Promise<void> {
    await this.dataSource.transaction(async (manager: EntityManager) => {
      for (let i = 0; i < rows.length; i += 100) {
        const chunk = rows.slice(i, i + 100);
        await manager.query(
          `INSERT INTO user_interactions (id, user_id, recipe_id, type, value, scale, preference, at) VALUES ${chunk
            .map(() => '(?, ?, ?, ?, ?, ?, ?, ?)')
            .join(', ')}`,
          chunk.flatMap((r) => [r.id, r.userId, r.recipeId, r.type, r.value ?? null, r.scale ?? null, r.preference ?? null, r.at]),
        );
      }
    });
    this.committedWrites += 1;
  }

  /** A user's most recent interactions, newest first; the cap keeps per-request work bounded. */
  async forUser(userId: string, limit = 2000): Promise<InteractionSignal[]> {
    const rows: InteractionRow[] = await this.dataSource.query(
      'SELECT user_id, recipe_id, type, preference, at FROM user_interactions WHERE user_id = ? ORDER BY at DESC LIMIT ?',
      [userId, limit],
    );
    return rows.map(toSignal);
  }

  /**
   * The explicit history of the users who acted on the most of these recipes (not `userId`),
   * capped to `maxUsers` neighbours and `maxRows` rows.
   */
  async neighbourhood(userId: string, recipeIds: string[], maxUsers = 200, maxRows = 20_000): Promise<InteractionSignal[]> {
    if (recipeIds.length === 0) return [];
    const ids = recipeIds.slice(0, CHUNK);
    const rows: InteractionRow[] = await this.dataSource.query(
      `SELECT user_id, recipe_id, type, preference, at FROM user_interactions
       WHERE type IN ${EXPLICIT_TYPES} AND user_id IN (
         SELECT user_id FROM user_interactions
         WHERE recipe_id IN (${ids.map(() => '?').join(', ')}) AND user_id <> ? AND type IN ${EXPLICIT_TYPES}
         GROUP BY user_id ORDER BY COUNT(*) DESC, user_id LIMIT ?)
       ORDER BY at DESC LIMIT ?`,
      [...ids, userId, maxUsers, maxRows],
    );
    return rows.map(toSignal);
  }

  /** Recent explicit history of everyone, for popularity; newest first, capped. */
  async recentExplicit(limit = 20_000): Promise<InteractionSignal[]> {
    const rows: InteractionRow[] = await this.dataSource.query(
      `SELECT user_id, recipe_id, type, preference, at FROM user_interactions WHERE type IN ${EXPLICIT_TYPES} ORDER BY at DESC LIMIT ?`,
      [limit],
    );
    return rows.map(toSignal);
  }
}

function toSignal(row: InteractionRow): InteractionSignal {
  return { userId: row.user_id, recipeId: row.recipe_id, type: row.type, preference: row.preference, at: row.at };
}
