import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables of the embedded vector store. The vector index is derived data (a reindex rebuilds it),
 * but keeping it in the same SQLite file means a restart serves search without re-embedding.
 */
export class VectorStore1764300000000 implements MigrationInterface {
  name = 'VectorStore1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // spec: the CollectionSpec as JSON (model id, dense sizes, sparse flag, distance).
    await queryRunner.query(`
      CREATE TABLE vector_collections (
        name TEXT PRIMARY KEY NOT NULL,
        spec TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`);
    // dense: every named dense vector of the collection concatenated in a fixed order
    // (ingredients, properties, text), float32 little-endian; sparse: uint32 indices then
    // float32 values, little-endian.
    await queryRunner.query(`
      CREATE TABLE vector_points (
        collection TEXT NOT NULL REFERENCES vector_collections (name) ON DELETE CASCADE,
        id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        payload TEXT NOT NULL,
        dense BLOB NOT NULL,
        sparse BLOB,
        PRIMARY KEY (collection, id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE vector_points');
    await queryRunner.query('DROP TABLE vector_collections');
  }
}
