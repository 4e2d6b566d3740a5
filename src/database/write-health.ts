import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { databaseCodeOf, isStorageFailure, sqliteCodeOf } from './sqlite-errors';
import { WriteProbeRepository } from './write-probe.repository';

export interface WriteFailure {
  /** The SQLite result code, e.g. SQLITE_FULL (on PostgreSQL the one its error is handled as). */
  code: string;
  /** The database's own code: the same on SQLite, the SQLSTATE (53100) or errno on PostgreSQL. */
  databaseCode: string;
  at: string;
}

export interface WriteHealthReport {
  writable: boolean;
  lastWriteError?: WriteFailure;
}

/** 16 KiB: four pages, more than most single writes need, so a probe that fits says a write would. */
const PROBE_BYTES = 16 * 1024;
/** Random, so PostgreSQL's compression of large values cannot shrink the probe to nothing. */
const PROBE_FILLER = randomBytes(PROBE_BYTES);
/** While writes fail the probe runs on every health check at most this often, to see recovery. */
const PROBE_RETRY_MS = 2_000;
/** While writes succeed it still runs now and then, so a full disk shows before a client hits it. */
const PROBE_EVERY_MS = 30_000;
/** The probe waits behind other transactions; health answers with what it knows after this. */
const PROBE_WAIT_MS = 2_000;

/**
 * Whether the database takes writes. Every failed transaction with a storage error (full,
 * read-only, I/O error, cannot open) marks it not writable; only a successful write probe
 * clears that. A later successful transaction does not: on a full database, deletes and
 * in-place updates still commit while every insert fails, so they prove nothing.
 *
 * The probe inserts and deletes a 16 KiB row in one transaction: it must allocate pages and,
 * at COMMIT, append them to the write-ahead log, which is exactly what fails when the disk or
 * SQLite's page limit is reached. On PostgreSQL the COMMIT flushes the row's WAL, which fails
 * with disk_full (53100) when the server's disk is.
 */
export class DatabaseWriteHealth {
  private failure: WriteFailure | null = null;
  private probedAt = 0;
  private probing: Promise<void> | null = null;
  private readonly probes: WriteProbeRepository;

  constructor(dataSource: DataSource) {
    this.probes = new WriteProbeRepository(dataSource);
  }

  /** Called for every failed top-level transaction; failures other than storage ones are ignored. */
  noteFailure(error: unknown): void {
    if (isStorageFailure(error))
      this.failure = { code: sqliteCodeOf(error)!, databaseCode: databaseCodeOf(error)!, at: new Date().toISOString() };
  }

  /** The current verdict, probing first when a probe is due. */
  async check(): Promise<WriteHealthReport> {
    const due = Date.now() - this.probedAt >= (this.failure ? PROBE_RETRY_MS : PROBE_EVERY_MS);
    if (due || this.probing) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, PROBE_WAIT_MS);
      });
      await Promise.race([this.probe(), waited]);
      clearTimeout(timer);
    }
    return this.failure ? { writable: false, lastWriteError: this.failure } : { writable: true };
  }

  private probe(): Promise<void> {
    this.probing ??= this.probes
      .writeAndDelete(PROBE_FILLER)
      .then(
        () => {
          this.failure = null;
        },
        // A storage failure was already noted by the transaction wrapper; anything else (a busy
        // database) says nothing about space, so the previous verdict stands.
        () => undefined,
      )
      .finally(() => {
        this.probedAt = Date.now();
        this.probing = null;
      });
    return this.probing;
  }
}
