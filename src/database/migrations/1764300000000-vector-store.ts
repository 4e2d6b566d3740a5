import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Tables of the embedded vector store. The vector index is derived data (a reindex rebuilds it),
 * but keeping it in the same SQLite file means a restart serves search without re-embedding.
 */
export class VectorStore1764300000000 implements MigrationInterface {
  name = 'VectorStore1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    // spec: the CollectionSpec as JSON (model id, dense sizes, sparse flag, distance).
    await queryRunner.query(`
      CREATE TABLE vector_collections (
        name ${t.text} PRIMARY KEY NOT NULL,
        spec ${t.text} NOT NULL,
        created_at ${t.text} NOT NULL
      )`);
    // dense: every named dense vector of the collection concatenated in a fixed order
    // (ingredients, properties, text), float32 little-endian; sparse: uint32 indices then
    // float32 values, little-endian.
    await queryRunner.query(`
      CREATE TABLE vector_points (
        collection ${t.text} NOT NULL REFERENCES vector_collections (name) ON DELETE CASCADE,
        id ${t.text} NOT NULL,
        content_hash ${t.text} NOT NULL,
        payload ${t.text} NOT NULL,
        dense ${t.blob} NOT NULL,
        sparse ${t.blob},
        PRIMARY KEY (collection, id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE vector_points');
    await queryRunner.query('DROP TABLE vector_collections');
  }
}
