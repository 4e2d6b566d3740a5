import { DataSource } from 'typeorm';
import { dialectOf, queryRows } from '../../src/database/sql';

/**
 * Storage failures made on demand, on the database a test app runs on. SQLite has switches for
 * them (its page limit, query_only). PostgreSQL has none that an unprivileged test can flip on
 * a running server for the sessions a pool already holds (a tablespace on a tiny filesystem
 * needs a mount; default_transaction_read_only reaches new sessions only), so there triggers
 * answer writes with the server's own error: the SQLSTATE, message and hint node-postgres
 * hands the service when a table's file cannot grow (53100) or the server is read-only (25006).
 */
export interface DatabaseFaults {
  /** Writes fail once about `spareBytes` more have been written, as on a disk that fills up. */
  fill(spareBytes: number): Promise<void>;
  /** Room again: every write fits. */
  free(): Promise<void>;
  /** Every write is refused as on a read-only database (off: taken again). */
  readOnly(on: boolean): Promise<void>;
}

export function databaseFaults(dataSource: DataSource): DatabaseFaults {
  return dialectOf(dataSource) === 'postgres' ? postgresFaults(dataSource) : sqliteFaults(dataSource);
}

/** SQLite's own ceiling for max_page_count: "no limit". */
const SQLITE_NO_PAGE_LIMIT = 1_073_741_823;

function sqliteFaults(dataSource: DataSource): DatabaseFaults {
  return {
    async fill(spareBytes) {
      const [{ page_count: pages }] = await dataSource.query('PRAGMA page_count');
      const [{ page_size: pageSize }] = await dataSource.query('PRAGMA page_size');
      await dataSource.query(`PRAGMA max_page_count = ${Number(pages) + Math.ceil(spareBytes / Number(pageSize))}`);
    },
    async free() {
      await dataSource.query(`PRAGMA max_page_count = ${SQLITE_NO_PAGE_LIMIT}`);
    },
    async readOnly(on) {
      // SQLite then refuses every write on this connection with SQLITE_READONLY.
      await dataSource.query(`PRAGMA query_only = ${on ? 'ON' : 'OFF'}`);
    },
  };
}

/**
 * The room left is one row in a schema of its own (so no query of the service sees it). A row
 * trigger on every table of the service charges each inserted or updated row's size against it
 * in the writing transaction, so a refused write takes no room and a smaller one may still fit,
 * as on a disk; deletes are free. NULL room means no limit.
 */
const POSTGRES_FAULTS_SQL = `
  CREATE SCHEMA IF NOT EXISTS simulated_faults;
  CREATE TABLE IF NOT EXISTS simulated_faults.state (room BIGINT, read_only BOOLEAN NOT NULL);
  INSERT INTO simulated_faults.state SELECT NULL, false WHERE NOT EXISTS (SELECT 1 FROM simulated_faults.state);
  CREATE OR REPLACE FUNCTION simulated_faults.take_room() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE left_over BIGINT;
  BEGIN
    UPDATE simulated_faults.state SET room = room - pg_column_size(NEW) RETURNING room INTO left_over;
    IF left_over < 0 THEN
      RAISE EXCEPTION 'could not extend file "base/%/%": No space left on device',
        (SELECT oid FROM pg_database WHERE datname = current_database()), TG_RELID
        USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
    END IF;
    RETURN NEW;
  END $$;
  CREATE OR REPLACE FUNCTION simulated_faults.refuse_if_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF (SELECT read_only FROM simulated_faults.state) THEN
      RAISE EXCEPTION 'cannot execute % in a read-only transaction', TG_OP USING ERRCODE = 'read_only_sql_transaction';
    END IF;
    RETURN NULL;
  END $$;
`;

function postgresFaults(dataSource: DataSource): DatabaseFaults {
  let installed: Promise<void> | null = null;
  const install = () =>
    (installed ??= (async () => {
      await dataSource.query(POSTGRES_FAULTS_SQL);
      const tables = await queryRows<{ name: string }>(dataSource, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
      for (const { name } of tables) {
        await dataSource.query(
          `CREATE TRIGGER simulated_disk_full BEFORE INSERT OR UPDATE ON public."${name}" FOR EACH ROW EXECUTE FUNCTION simulated_faults.take_room()`,
        );
        await dataSource.query(
          `CREATE TRIGGER simulated_read_only BEFORE INSERT OR UPDATE OR DELETE ON public."${name}" FOR EACH STATEMENT EXECUTE FUNCTION simulated_faults.refuse_if_read_only()`,
        );
      }
    })());
  return {
    async fill(spareBytes) {
      await install();
      await queryRows(dataSource, 'UPDATE simulated_faults.state SET room = ?', [spareBytes]);
    },
    async free() {
      await install();
      await queryRows(dataSource, 'UPDATE simulated_faults.state SET room = NULL');
    },
    async readOnly(on) {
      await install();
      await queryRows(dataSource, 'UPDATE simulated_faults.state SET read_only = ?', [on]);
    },
  };
}
