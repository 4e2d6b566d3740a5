import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Outbox rows a process is indexing: claimed_by names it (as index_changes.writer does) and
 * claim_expires_at (epoch ms) is when another process may take the rows over, should it die
 * mid-batch. Unclaimed rows have both NULL.
 */
export class OutboxClaims1764800000000 implements MigrationInterface {
  name = 'OutboxClaims1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.query(`ALTER TABLE index_outbox ADD COLUMN claimed_by ${t.text}`);
    await queryRunner.query(`ALTER TABLE index_outbox ADD COLUMN claim_expires_at ${t.integer}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE index_outbox DROP COLUMN claim_expires_at');
    await queryRunner.query('ALTER TABLE index_outbox DROP COLUMN claimed_by');
  }
}
