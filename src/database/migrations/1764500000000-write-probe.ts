import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * A table nothing reads: the health check writes a row into it and deletes it again in one
 * transaction to learn whether the database can still grow (see DatabaseWriteHealth).
 */
export class WriteProbe1764500000000 implements MigrationInterface {
  name = 'WriteProbe1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.query(`CREATE TABLE write_probe (id ${t.integer} PRIMARY KEY NOT NULL, filler ${t.blob} NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE write_probe');
  }
}
