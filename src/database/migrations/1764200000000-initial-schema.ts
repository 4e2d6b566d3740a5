import { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/** Catalog tables and the indexing outbox. */
export class InitialSchema1764200000000 implements MigrationInterface {
  name = 'InitialSchema1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`
      CREATE TABLE recipes (
        id ${t.text} PRIMARY KEY NOT NULL,
        source ${t.text} NOT NULL,
        source_id ${t.text} NOT NULL,
        name ${t.text} NOT NULL,
        description ${t.text},
        language ${t.text} NOT NULL,
        category ${t.text},
        cuisine ${t.text},
        region ${t.text},
        ingredients ${t.text} NOT NULL,
        steps ${t.text} NOT NULL,
        tags ${t.text} NOT NULL,
        diets ${t.text} NOT NULL,
        flavors ${t.text} NOT NULL,
        methods ${t.text} NOT NULL,
        tools ${t.text} NOT NULL,
        allergens ${t.text} NOT NULL,
        total_minutes ${t.integer},
        difficulty ${t.integer},
        calories ${t.integer},
        servings ${t.real},
        url ${t.text},
        extra ${t.text} NOT NULL,
        content_hash ${t.text} NOT NULL,
        created_at ${t.text} NOT NULL,
        updated_at ${t.text} NOT NULL,
        CONSTRAINT uq_recipes_source UNIQUE (source, source_id)
      )`);
    await runner.query(`CREATE INDEX ix_recipes_name ON recipes (name)`);
    await runner.query(`CREATE INDEX ix_recipes_category ON recipes (category)`);
    await runner.query(`CREATE INDEX ix_recipes_cuisine ON recipes (cuisine)`);
    await runner.query(`
      CREATE TABLE index_outbox (
        id ${t.autoIncrementKey},
        recipe_id ${t.text} NOT NULL,
        op ${t.text} NOT NULL CHECK (op IN ('upsert', 'delete')),
        attempts ${t.integer} NOT NULL DEFAULT 0,
        available_at ${t.integer} NOT NULL,
        last_error ${t.text},
        created_at ${t.text} NOT NULL
      )`);
    await runner.query(`CREATE INDEX ix_index_outbox_available ON index_outbox (available_at, id)`);
    await runner.query(`
      CREATE TABLE embedding_models (
        id ${t.text} PRIMARY KEY NOT NULL,
        kind ${t.text} NOT NULL,
        state ${t.text} NOT NULL,
        active ${t.integer} NOT NULL DEFAULT 0,
        created_at ${t.text} NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE embedding_models`);
    await runner.query(`DROP TABLE index_outbox`);
    await runner.query(`DROP TABLE recipes`);
  }
}
