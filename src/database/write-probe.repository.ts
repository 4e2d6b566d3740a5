import { DataSource } from 'typeorm';
import { execute } from './sql';

/**
 * The `write_probe` table: one row written and deleted again in one transaction, to learn
 * whether the database can still grow (see DatabaseWriteHealth).
 */
export class WriteProbeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts `filler` and deletes it again; rejects with the database's error when it cannot. */
  async writeAndDelete(filler: Buffer): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await execute(manager, 'INSERT INTO write_probe (id, filler) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET filler = excluded.filler', [
        filler,
      ]);
      await execute(manager, 'DELETE FROM write_probe WHERE id = 1');
    });
  }
}
