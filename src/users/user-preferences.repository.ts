import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql';
import { UserPreferences } from './user-preferences.types';

interface PreferencesRow {
  user_id: string;
  diets: string;
  allergies: string;
  excluded_ingredients: string;
  liked_cuisines: string;
  liked_ingredients: string;
  disliked_cuisines: string;
  disliked_ingredients: string;
  updated_at: string;
}

const LISTS = [
  ['diets', 'diet'],
  ['allergies', 'allergies'],
  ['excluded_ingredients', 'exclude'],
  ['liked_cuisines', 'likedCuisines'],
  ['liked_ingredients', 'likedIngredients'],
  ['disliked_cuisines', 'dislikedCuisines'],
  ['disliked_ingredients', 'dislikedIngredients'],
] as const;

/** The `user_preferences` table: one row per user, lists as JSON arrays. */
@Injectable()
export class UserPreferencesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(userId: string): Promise<UserPreferences | null> {
    const rows: PreferencesRow[] = await queryRows(this.dataSource, 'SELECT * FROM user_preferences WHERE user_id = ?', [userId]);
    if (rows.length === 0) return null;
    const row = rows[0];
    const out = { userId: row.user_id, updatedAt: row.updated_at } as UserPreferences;
    for (const [column, field] of LISTS) out[field] = JSON.parse(row[column]) as string[];
    return out;
  }

  /** Replaces the user's preferences as a whole (PUT semantics). */
  async save(preferences: UserPreferences & { updatedAt: string }): Promise<void> {
    await queryRows(
      this.dataSource,
      `INSERT INTO user_preferences (user_id, ${LISTS.map(([c]) => c).join(', ')}, updated_at)
       VALUES (?, ${LISTS.map(() => '?').join(', ')}, ?)
       ON CONFLICT(user_id) DO UPDATE SET ${LISTS.map(([c]) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`,
      [preferences.userId, ...LISTS.map(([, f]) => JSON.stringify(preferences[f])), preferences.updatedAt],
    );
  }
}
