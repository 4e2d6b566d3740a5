import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql';

/** The recipe columns the insight reads beside the catalog snapshot, raw as the table stores them. */
export interface RecipeTextRow {
  id: string;
  /** JSON array. */
  tags: string;
  /** JSON array. */
  steps: string;
  description: string | null;
}

/** Reads the text columns the catalog snapshot leaves out (tags, steps, description). */
export class RecipeTextRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The rows of these ids that exist; callers pass a page of ids at a time. */
  async textOf(ids: readonly string[]): Promise<RecipeTextRow[]> {
    if (ids.length === 0) return [];
    return queryRows<RecipeTextRow>(
      this.dataSource,
      `SELECT id, tags, steps, description FROM recipes WHERE id IN (${ids.map(() => '?').join(',')})`,
      [...ids],
    );
  }
}
