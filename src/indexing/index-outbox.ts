import { EntityManager } from 'typeorm';
import { execute } from '../database/sql';

export type OutboxOp = 'upsert' | 'delete';

export interface OutboxRow {
  id: number;
  recipeId: string;
  op: OutboxOp;
  attempts: number;
}

const INSERT_CHUNK = 400;

/**
 * Index work written in the same transaction as the catalog change it follows, so a crash can
 * never leave a catalog write without its indexing (or the reverse).
 */
export async function enqueueIndexing(manager: EntityManager, recipeIds: string[], op: OutboxOp): Promise<void> {
  const now = new Date().toISOString();
  const at = Date.now();
  for (let i = 0; i < recipeIds.length; i += INSERT_CHUNK) {
    const chunk = recipeIds.slice(i, i + INSERT_CHUNK);
    const values = chunk.map(() => '(?, ?, 0, ?, ?)').join(', ');
    const params = chunk.flatMap((id) => [id, op, at, now]);
    await execute(manager, `INSERT INTO index_outbox (recipe_id, op, attempts, available_at, created_at) VALUES ${values}`, params);
  }
}
