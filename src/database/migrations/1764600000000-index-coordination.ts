import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What several processes on one database (the server and admin commands) share about the
 * index: which collection serves, which are being built or retired, who holds the index-build
 * lock, which points another process changed, and the embedded store's aliases.
 */
export class IndexCoordination1764600000000 implements MigrationInterface {
  name = 'IndexCoordination1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The embedded store's counterpart of Qdrant's collection aliases.
    await queryRunner.query(`
      CREATE TABLE vector_aliases (
        name TEXT PRIMARY KEY NOT NULL,
        collection TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`);
    // One row: the serving collection, its CollectionSpec (JSON), the stored food-concept model
    // (embedding_models.id) its vectors came from, and a version every process polls to notice
    // a swap made by another one.
    await queryRunner.query(`
      CREATE TABLE index_serving (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        collection TEXT NOT NULL,
        spec TEXT NOT NULL,
        model_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      )`);
    // Every collection the service created: building (owner is the lock holder), serving, or
    // retired (dropped once drop_after, epoch ms, has passed). Anything else is an orphan.
    await queryRunner.query(`
      CREATE TABLE index_collections (
        name TEXT PRIMARY KEY NOT NULL,
        spec TEXT NOT NULL,
        model_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('building', 'serving', 'retired')),
        owner TEXT,
        created_at TEXT NOT NULL,
        drop_after INTEGER
      )`);
    // A lease: the holder refreshes expires_at (epoch ms) while it works; an expired lease
    // (crashed holder) can be taken over. job: what the holder is doing, as JSON.
    await queryRunner.query(`
      CREATE TABLE index_locks (
        name TEXT PRIMARY KEY NOT NULL,
        owner TEXT NOT NULL,
        job TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      )`);
    // Points written by one process, so the others reload them into memory (embedded store).
    // ids: JSON array of recipe ids.
    await queryRunner.query(`
      CREATE TABLE index_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        writer TEXT NOT NULL,
        collection TEXT NOT NULL,
        ids TEXT NOT NULL,
        at INTEGER NOT NULL
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
