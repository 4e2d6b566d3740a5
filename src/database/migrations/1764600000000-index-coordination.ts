import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * What several processes on one database (the server and admin commands) share about the
 * index: which collection serves, which are being built or retired, who holds the index-build
 * lock, which points another process changed, and the embedded store's aliases.
 */
export class IndexCoordination1764600000000 implements MigrationInterface {
  name = 'IndexCoordination1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    // The embedded store's counterpart of Qdrant's collection aliases.
    await queryRunner.query(`
      CREATE TABLE vector_aliases (
        name ${t.text} PRIMARY KEY NOT NULL,
        collection ${t.text} NOT NULL,
        updated_at ${t.text} NOT NULL
      )`);
    // One row: the serving collection, its CollectionSpec (JSON), the stored food-concept model
    // (embedding_models.id) its vectors came from, and a version every process polls to notice
    // a swap made by another one.
    await queryRunner.query(`
      CREATE TABLE index_serving (
        id ${t.integer} PRIMARY KEY CHECK (id = 1),
        collection ${t.text} NOT NULL,
        spec ${t.text} NOT NULL,
        model_id ${t.text} NOT NULL,
        version ${t.integer} NOT NULL,
        updated_at ${t.text} NOT NULL
      )`);
    // Every collection the service created: building (owner is the lock holder), serving, or
    // retired (dropped once drop_after, epoch ms, has passed). Anything else is an orphan.
    await queryRunner.query(`
      CREATE TABLE index_collections (
        name ${t.text} PRIMARY KEY NOT NULL,
        spec ${t.text} NOT NULL,
        model_id ${t.text} NOT NULL,
        state ${t.text} NOT NULL CHECK (state IN ('building', 'serving', 'retired')),
        owner ${t.text},
        created_at ${t.text} NOT NULL,
        drop_after ${t.integer}
      )`);
    // A lease: the holder refreshes expires_at (epoch ms) while it works; an expired lease
    // (crashed holder) can be taken over. job: what the holder is doing, as JSON.
    await queryRunner.query(`
      CREATE TABLE index_locks (
        name ${t.text} PRIMARY KEY NOT NULL,
        owner ${t.text} NOT NULL,
        job ${t.text} NOT NULL,
        expires_at ${t.integer} NOT NULL
      )`);
    // Points written by one process, so the others reload them into memory (embedded store).
    // ids: JSON array of recipe ids.
    await queryRunner.query(`
      CREATE TABLE index_changes (
        seq ${t.autoIncrementKey},
        writer ${t.text} NOT NULL,
        collection ${t.text} NOT NULL,
        ids ${t.text} NOT NULL,
        at ${t.integer} NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE index_changes');
    await queryRunner.query('DROP TABLE index_locks');
    await queryRunner.query('DROP TABLE index_collections');
    await queryRunner.query('DROP TABLE index_serving');
    await queryRunner.query('DROP TABLE vector_aliases');
  }
}
