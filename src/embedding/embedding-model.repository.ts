import { DataSource } from 'typeorm';
import { dialectOf, execute, queryRows } from '../database/sql';

/** Stored food-concept models (`embedding_models`): their trained state as JSON, one marked active. */
export class EmbeddingModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The active model's state of this kind, if one is stored. */
  async activeState(kind: string): Promise<string | null> {
    const rows = await queryRows<{ state: string }>(
      this.dataSource,
      'SELECT state FROM embedding_models WHERE kind = ? AND active = 1 LIMIT 1',
      [kind],
    );
    return rows[0]?.state ?? null;
  }

  async stateOf(modelId: string): Promise<string | null> {
    const rows = await queryRows<{ state: string }>(this.dataSource, 'SELECT state FROM embedding_models WHERE id = ?', [modelId]);
    return rows[0]?.state ?? null;
  }

  /**
   * Stores a model; `active` makes it the only active one of its kind. Storing a model again
   * never deactivates it.
   */
  async save(model: { id: string; kind: string; state: string }, active: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (active) await execute(manager, 'UPDATE embedding_models SET active = 0 WHERE kind = ?', [model.kind]);
      // SQLite's two-argument MAX is PostgreSQL's GREATEST.
      const greatest = dialectOf(manager) === 'postgres' ? 'GREATEST' : 'MAX';
      await execute(
        manager,
        `INSERT INTO embedding_models (id, kind, state, active, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, active = ${greatest}(embedding_models.active, excluded.active)`,
        [model.id, model.kind, model.state, active ? 1 : 0, new Date().toISOString()],
      );
    });
  }

  /** Makes `modelId` the active model of its kind and deletes the others except `keep`. */
  async activate(kind: string, modelId: string, keep: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await execute(manager, 'UPDATE embedding_models SET active = 0 WHERE kind = ?', [kind]);
      await execute(manager, 'UPDATE embedding_models SET active = 1 WHERE id = ?', [modelId]);
      await execute(manager, 'DELETE FROM embedding_models WHERE kind = ? AND active = 0 AND id NOT IN (?, ?)', [kind, modelId, keep]);
    });
  }

  /** Deletes a stored model unless it is the active one. */
  async deleteInactive(modelId: string): Promise<void> {
    await execute(this.dataSource, 'DELETE FROM embedding_models WHERE id = ? AND active = 0', [modelId]);
  }
}
