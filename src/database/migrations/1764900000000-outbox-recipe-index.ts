import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox claim skips a row while another process holds a claim on any row of the same recipe
 * (IndexOutboxRepository.claim). Without an index on recipe_id that check scanned the whole
 * outbox for every row it looked at: with 60,000 rows queued by a bulk import, a claim of 256
 * took about a second and the indexer sat idle half the time (100,000 imported recipes waited
 * minutes for the index instead of seconds).
 */
export class OutboxRecipeIndex1764900000000 implements MigrationInterface {
  name = 'OutboxRecipeIndex1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX ix_index_outbox_recipe ON index_outbox (recipe_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_index_outbox_recipe');
  }
}
