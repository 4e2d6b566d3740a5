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

/** The `user_interactions` table (raw SQL: the app's entity list belongs to the catalog). */
@Injectable()
export class UserInteractionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(records: NewInteraction[]): Promise<UserInteraction[]> {
    if (records.length === 0) return [];
    const stored = records.map((r) => ({ ...r, id: `i${randomUUID().replace(/-/g, '')}` }));
    await this.dataSource.transaction(async (manager: EntityManager) => {
      for (let i = 0; i < stored.length; i += 100) {
        const chunk = stored.slice(i, i + 100);
        await manager.query(
          `INSERT INTO user_interactions (id, user_id, recipe_id, type, value, scale, preference, at) VALUES ${chunk
            .map(() => '(?, ?, ?, ?, ?, ?, ?, ?)')
            .join(', ')}`,
          chunk.flatMap((r) => [r.id, r.userId, r.recipeId, r.type, r.value ?? null, r.scale ?? null, r.preference ?? null, r.at]),
        );
      }
    });
    return stored;
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
