/**
 * Measures the throughput figures of a server (`migration-guard calibrate`): a scratch table of
 * realistic width is filled in a schema of its own, then validated, indexed and rewritten a few
 * times; the medians become the `calibration:` section of the configuration.
 *
 * Safety: everything happens in a new schema with a unique name, dropped at the end whatever
 * happens (errors, timeouts); existing tables are never read, locked or written. A server that
 * cannot write (a hot standby, a read-only session) is refused before anything is created. Every
 * statement runs under a lock_timeout and a statement_timeout.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_THROUGHPUT } from '../config';
import type { Calibration } from './types';

/** What calibrate needs of a connection (a `pg` Client fits). */
export interface Session {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}

export interface CalibrateOptions {
  /** Rows in the scratch table (default DEFAULT_CALIBRATION_ROWS). */
  rows?: number;
  /** Measurements per kind of work; the median is kept (default 3). */
  repeats?: number;
  /** Progress lines, for people watching. */
  progress?: (line: string) => void;
  /** Bounds every statement, so a stuck server cannot keep calibrate (and its schema) forever. */
  statementTimeoutMs?: number;
}

/**
 * 500,000 rows of ~125 bytes make a ~65 MB table: each measured statement takes a fraction of a
 * second to a few seconds on ordinary hardware, and the whole calibration well under a minute, while
 * still far larger than the per-statement overheads (planning, catalog updates, round trips).
 */
export const DEFAULT_CALIBRATION_ROWS = 500_000;
const DEFAULT_REPEATS = 3;
/** Nothing else ever touches the scratch schema, so a lock wait means something is wrong. */
const LOCK_TIMEOUT_MS = 5_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 300_000;
const SCHEMA_PREFIX = 'migration_guard_calibrate_';

/** One measurement of one kind of work. */
export interface Sample {
  seconds: number;
  /** Heap bytes of the table when the statement started. */
  heapBytes: number;
  /** Bytes the statement wrote (new heap, new index); 0 for a scan. */
  writtenBytes: number;
  walBytes: number;
}

export interface CalibrationResult {
  calibration: Calibration & { source: 'calibrated' };
  rows: number;
  /** Heap size of the scratch table after filling. */
  tableBytes: number;
  samples: { scan: Sample[]; indexBuild: Sample[]; rewrite: Sample[] };
  walLevel: string;
  /** Caveats about the figures (e.g. WAL not measurable with wal_level = minimal). */
  notes: string[];
}

/** The server cannot be calibrated (read-only, standby, no privilege to create a schema...). */
export class CalibrationRefused extends Error {}

/**
 * Calibrates through sessions opened by `connect`: one for the work, and a fresh one to drop the
 * scratch schema should the first be lost.
 */
export async function calibrate(
  connect: () => Promise<Session>,
  options: CalibrateOptions = {},
): Promise<CalibrationResult> {
  const rows = options.rows ?? DEFAULT_CALIBRATION_ROWS;
  const repeats = options.repeats ?? DEFAULT_REPEATS;
  const say = options.progress ?? (() => undefined);
  if (!Number.isInteger(rows) || rows < 1000) throw new RangeError('rows must be an integer ≥ 1000');
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError('repeats must be an integer ≥ 1');

  const session = await connect();
  let schema: string | undefined;
  try {
    const server = await checkWritable(session);
    await session.query(`SET lock_timeout = ${LOCK_TIMEOUT_MS}`);
    await session.query(
      `SET statement_timeout = ${options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS}`,
    );
    schema = SCHEMA_PREFIX + Date.now().toString(36) + '_' + randomBytes(4).toString('hex');
    await createSchema(session, schema);
    const table = `${schema}.calibration`;
    say(`filling ${table} with ${rows.toLocaleString('en-US')} rows`);
    await fill(session, table, rows);
    const tableBytes = await heapBytes(session, table);

    const samples: CalibrationResult['samples'] = { scan: [], indexBuild: [], rewrite: [] };
    for (let i = 0; i < repeats; i++) {
      say(`measuring, round ${i + 1} of ${repeats}`);
      // A scan of the scratch table takes tens of milliseconds: three per round steady the median.
      for (let j = 0; j < 3; j++) samples.scan.push(await measureScan(session, table));
      samples.indexBuild.push(await measureIndexBuild(session, table));
      // Alternate the column's type so that every round is a real rewrite.
      samples.rewrite.push(await measureRewrite(session, table, i % 2 === 0 ? 'bigint' : 'integer'));
    }
    const notes: string[] = [];
    // A rewrite logs each new tuple (≈ 1.1 bytes of WAL per heap byte for rows of ~125 bytes, more for
    // narrower rows); an index build logs whole pages without their free space (≈ 0.9). One figure
    // serves both: the larger, so that WAL errs high.
    const walRatio = (list: Sample[]) => median(list.map((s) => s.walBytes / s.writtenBytes));
    let walPerByte = Math.max(walRatio(samples.rewrite), walRatio(samples.indexBuild));
    if (server.walLevel === 'minimal') {
      notes.push(
        'wal_level is minimal: new relation files skip WAL, so WAL per written byte cannot be measured; ' +
          'the default figure is kept (servers with replicas run replica or logical)',
      );
      walPerByte = DEFAULT_THROUGHPUT.walBytesPerWrittenByte;
    }
    return {
      calibration: {
        scanBytesPerSecond: Math.round(median(samples.scan.map(rate))),
        rewriteBytesPerSecond: Math.round(median(samples.rewrite.map(rate))),
        indexBuildBytesPerSecond: Math.round(median(samples.indexBuild.map(rate))),
        walBytesPerWrittenByte: Math.round(walPerByte * 100) / 100,
        source: 'calibrated',
        measuredAt: server.now,
        serverVersion: server.version,
      },
      rows,
      tableBytes,
      samples,
      walLevel: server.walLevel,
      notes,
    };
  } finally {
    if (schema) await dropSchema(session, connect, schema);
    await session.end().catch(() => undefined);
  }
}

interface ServerFacts {
  version: string;
  walLevel: string;
  now: string;
}

/** Refuses, with the reason and what to do, a server or session where calibrate cannot write. */
async function checkWritable(session: Session): Promise<ServerFacts> {
  const { rows } = await session.query<{
    recovery: boolean;
    readOnly: string;
    version: string;
    walLevel: string;
    now: string;
  }>(`SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS "readOnly",
      current_setting('server_version') AS version, current_setting('wal_level') AS "walLevel",
      to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS now`);
  const [facts] = rows;
  if (facts.recovery) {
    throw new CalibrationRefused(
      'the server is a standby (in recovery) and cannot write: calibrate creates and drops a scratch ' +
        'table, so point it at the primary or at a writable copy of the production server',
    );
  }
  if (facts.readOnly === 'on') {
    throw new CalibrationRefused(
      'the session is read-only (default_transaction_read_only is on for this user, database or ' +
        'server): calibrate must create and drop a scratch table; use a role allowed to write',
    );
  }
  // "17.2 (Debian 17.2-1.pgdg120+1)" → "17.2"
  return { version: facts.version.split(' ')[0], walLevel: facts.walLevel, now: facts.now };
}

async function createSchema(session: Session, schema: string): Promise<void> {
  try {
    await session.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42501') {
      throw new CalibrationRefused(
        `calibrate needs to create a scratch schema (CREATE privilege on the database): ${messageOf(error)}`,
      );
    }
    if (code === '25006') throw new CalibrationRefused(`the server refused to write: ${messageOf(error)}`);
    throw error;
  }
}

/**
 * Rows of realistic width (~125 bytes with the tuple header: ids, an amount, a status, a timestamp
 * and a 64-character note), then VACUUM (ANALYZE): like a production table autovacuum has visited,
 * with hint bits set, so the first measurement does not pay for setting them.
 */
async function fill(session: Session, table: string, rows: number): Promise<void> {
  await session.query(`CREATE TABLE ${table} (
      id bigint NOT NULL,
      account_id integer NOT NULL,
      amount integer NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL,
      note text
    )`);
  await session.query(
    `INSERT INTO ${table}
     SELECT g, (g * 7919) % 100003, (g * 104729) % 1000000,
       (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + g % 4],
       timestamptz '2024-01-01 00:00:00+00' + g * interval '17 seconds',
       md5(g::text) || md5((g * 31)::text)
     FROM generate_series(1::bigint, $1::bigint) g`,
    [rows],
  );
  await session.query(`VACUUM (ANALYZE) ${table}`);
}

/** A CHECK constraint's validation: one sequential scan evaluating an expression per row. */
async function measureScan(session: Session, table: string): Promise<Sample> {
  await session.query(`ALTER TABLE ${table} ADD CONSTRAINT calibration_amount CHECK (amount >= 0) NOT VALID`);
  try {
    const heap = await heapBytes(session, table);
    const { seconds, walBytes } = await timed(
      session,
      `ALTER TABLE ${table} VALIDATE CONSTRAINT calibration_amount`,
    );
    return { seconds, heapBytes: heap, writtenBytes: 0, walBytes };
  } finally {
    await session.query(`ALTER TABLE ${table} DROP CONSTRAINT calibration_amount`);
  }
}

/** A B-tree build on an integer column, as the server's settings run it (parallel workers, memory). */
async function measureIndexBuild(session: Session, table: string): Promise<Sample> {
  const heap = await heapBytes(session, table);
  const index = `${table.split('.')[0]}.calibration_account`;
  const { seconds, walBytes } = await timed(
    session,
    `CREATE INDEX calibration_account ON ${table} (account_id)`,
  );
  try {
    return { seconds, heapBytes: heap, writtenBytes: await relationBytes(session, index), walBytes };
  } finally {
    await session.query(`DROP INDEX ${index}`);
  }
}

/**
 * ALTER COLUMN TYPE to another integer width: the heap is read and written again (the table has no
 * index then, so the rewrite alone is timed). A VACUUM afterwards sets the new tuples' hint bits
 * before the next round, as it was before this one.
 */
async function measureRewrite(session: Session, table: string, type: 'bigint' | 'integer'): Promise<Sample> {
  const heap = await heapBytes(session, table);
  const { seconds, walBytes } = await timed(session, `ALTER TABLE ${table} ALTER COLUMN amount TYPE ${type}`);
  const written = await heapBytes(session, table);
  await session.query(`VACUUM ${table}`);
  return { seconds, heapBytes: heap, writtenBytes: written, walBytes };
}

/** Wall-clock seconds of one statement and the WAL inserted meanwhile (by it, and anyone else). */
async function timed(session: Session, sql: string): Promise<{ seconds: number; walBytes: number }> {
  const before = await walInsertLsn(session);
  const started = process.hrtime.bigint();
  await session.query(sql);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { rows } = await session.query<{ bytes: string }>(
    'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text AS bytes',
    [before],
  );
  return { seconds, walBytes: Number(rows[0].bytes) };
}

async function walInsertLsn(session: Session): Promise<string> {
  const { rows } = await session.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return rows[0].lsn;
}

/** Main fork plus TOAST, as the estimator counts a table. */
async function heapBytes(session: Session, table: string): Promise<number> {
  const { rows } = await session.query<{ bytes: string }>(
    `SELECT (pg_relation_size(c.oid) + coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0))::text AS bytes
     FROM pg_class c WHERE c.oid = $1::regclass`,
    [table],
  );
  return Number(rows[0].bytes);
}

async function relationBytes(session: Session, relation: string): Promise<number> {
  const { rows } = await session.query<{ bytes: string }>(
    'SELECT pg_relation_size($1::regclass)::text AS bytes',
    [relation],
  );
  return Number(rows[0].bytes);
}

/**
 * Drops the scratch schema on the working session, or on a fresh one when that session is gone
 * (terminated, network cut); says which schema to drop by hand when neither works.
 */
async function dropSchema(session: Session, connect: () => Promise<Session>, schema: string): Promise<void> {
  const drop = `DROP SCHEMA IF EXISTS ${schema} CASCADE`;
  try {
    // A failed statement may have left an aborted transaction behind; autocommit leaves none, but be sure.
    await session.query('ROLLBACK').catch(() => undefined);
    await session.query(drop);
    return;
  } catch {
    // fall through to a fresh session
  }
  let fresh: Session | undefined;
  try {
    fresh = await connect();
    await fresh.query(`SET lock_timeout = ${LOCK_TIMEOUT_MS}`);
    await fresh.query(drop);
  } catch (error) {
    throw new Error(
      `calibrate could not drop its scratch schema ${schema} (${messageOf(error)}): drop it with ${drop}`,
    );
  } finally {
    await fresh?.end().catch(() => undefined);
  }
}

function rate(s: Sample): number {
  return s.heapBytes / s.seconds;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
