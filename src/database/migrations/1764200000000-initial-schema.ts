import { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog tables and the indexing outbox. */
export class InitialSchema1764200000000 implements MigrationInterface {
  name = 'InitialSchema1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE recipes (
        id TEXT PRIMARY KEY NOT NULL,
        source TEXT NOT NULL,
        source_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        language TEXT NOT NULL,
        category TEXT,
        cuisine TEXT,
        region TEXT,
        ingredients TEXT NOT NULL,
        steps TEXT NOT NULL,
        tags TEXT NOT NULL,
        diets TEXT NOT NULL,
        flavors TEXT NOT NULL,
        methods TEXT NOT NULL,
        tools TEXT NOT NULL,
        allergens TEXT NOT NULL,
        total_minutes INTEGER,
        difficulty INTEGER,
        calories INTEGER,
        servings REAL,
        url TEXT,
        extra TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CONSTRAINT uq_recipes_source UNIQUE (source, source_id)
      )`);
    await runner.query(`CREATE INDEX ix_recipes_name ON recipes (name)`);
    await runner.query(`CREATE INDEX ix_recipes_category ON recipes (category)`);
    await runner.query(`CREATE INDEX ix_recipes_cuisine ON recipes (cuisine)`);
    await runner.query(`
      CREATE TABLE index_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        recipe_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        attempts INTEGER NOT NULL DEFAULT 0,
        available_at INTEGER NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL
      )`);
    await runner.query(`CREATE INDEX ix_index_outbox_available ON index_outbox (available_at, id)`);
    await runner.query(`
      CREATE TABLE embedding_models (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE embedding_models`);
    await runner.query(`DROP TABLE index_outbox`);
    await runner.query(`DROP TABLE recipes`);
  }
}
