import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * What users did with recipes: the history personal recommendations learn from. No foreign key
 * to `recipes`: a catalog reset (`seed --reset`) re-creates recipes under the same stable ids,
 * and users' history must survive it; rows about recipes that are gone are ignored on read.
 */
export class UserInteractions1764400000000 implements MigrationInterface {
  name = 'UserInteractions1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    // value/scale: the rating as the client sent it; preference: that rating on [-1, 1], fixed at
    // write time so a later change of scale conventions never reinterprets stored history.
    await queryRunner.query(`
      CREATE TABLE user_interactions (
        id ${t.text} PRIMARY KEY NOT NULL,
        user_id ${t.text} NOT NULL,
        recipe_id ${t.text} NOT NULL,
        type ${t.text} NOT NULL CHECK (type IN ('like', 'dislike', 'rating', 'view', 'cooked')),
        value ${t.real},
        scale ${t.integer},
        preference ${t.real},
        at ${t.text} NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_user_interactions_user ON user_interactions (user_id, at)`);
    await queryRunner.query(`CREATE INDEX ix_user_interactions_recipe ON user_interactions (recipe_id)`);
    // Popularity reads the recent explicit history without scanning views.
    await queryRunner.query(`CREATE INDEX ix_user_interactions_type_at ON user_interactions (type, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE user_interactions');
  }
}
