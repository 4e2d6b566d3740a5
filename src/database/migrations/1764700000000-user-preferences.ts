import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * What users told us about themselves: diets, allergies and exclusions (hard filters on every
 * list made for them) and liked / disliked cuisines and ingredients (a first list before any
 * history). The words are kept as the user wrote them, in either language, and resolved through
 * the lexicon on every read, like a filter in a request, so a lexicon that learns a synonym
 * applies it to stored preferences too. One row per user; no foreign key (users are opaque ids).
 */
export class UserPreferences1764700000000 implements MigrationInterface {
  name = 'UserPreferences1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    // Each list column holds a JSON array of strings.
    await queryRunner.query(`
      CREATE TABLE user_preferences (
        user_id ${t.text} PRIMARY KEY NOT NULL,
        diets ${t.text} NOT NULL DEFAULT '[]',
        allergies ${t.text} NOT NULL DEFAULT '[]',
        excluded_ingredients ${t.text} NOT NULL DEFAULT '[]',
        liked_cuisines ${t.text} NOT NULL DEFAULT '[]',
        liked_ingredients ${t.text} NOT NULL DEFAULT '[]',
        disliked_cuisines ${t.text} NOT NULL DEFAULT '[]',
        disliked_ingredients ${t.text} NOT NULL DEFAULT '[]',
        updated_at ${t.text} NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE user_preferences');
  }
}
