/**
 * `migration-guard stats`' database side: one read-only transaction that reads catalog and
 * statistics views and calls the size functions — never a table's rows.
 *
 * Safety: the transaction is READ ONLY with a short statement_timeout and a shorter lock_timeout.
 * The size functions open each relation with ACCESS SHARE (released at once); behind a migration's
 * ACCESS EXCLUSIVE lock they would wait, and every later lock request on that table would queue
 * behind them. With lock_timeout they give up instead, and the table's sizes come from
 * pg_class.relpages (as of its last VACUUM or ANALYZE), marked `estimatedSizes`, with a note.
 *
 * Privileges: catalogs, pg_stat_user_tables and the size functions are open to every role by
 * default, so an ordinary role with no SELECT on any table takes a full snapshot. Whatever has been
 * revoked becomes a note and the snapshot goes on without it. The password never appears in a
 * message: every error passes through `redact`.
 */
import type { QueryResultRow } from 'pg';
import {
  STATS_FORMAT,
  STATS_FORMAT_VERSION,
  type IndexStats,
  type StatsSnapshot,
  type TableStats,
} from './types';

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 100;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface SnapshotOptions {
  /** statement_timeout of every query (default 5 s). */
  statementTimeoutMs?: number;
  /** lock_timeout: how long a size function may wait for a locked table (default 100 ms). */
  lockTimeoutMs?: number;
  /** How long to wait for the connection (default 10 s). */
  connectTimeoutMs?: number;
}

/** Could not connect or read the catalog; the message names the database without its password. */
export class SnapshotError extends Error {}

/** The subset of pg's Client the snapshot uses (tests pass a connected client). */
interface Queryable {
  query<R extends QueryResultRow>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Connects to `databaseUrl` (postgres:// or postgresql://), takes the snapshot and disconnects.
 * Throws SnapshotError when the URL is invalid, the connection fails or the catalog cannot be read.
 */
export async function takeSnapshot(
  databaseUrl: string,
  options: SnapshotOptions = {},
): Promise<StatsSnapshot> {
  const url = checkDatabaseUrl(databaseUrl);
  const statementTimeoutMs = positiveInteger(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  positiveInteger(options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  // Loaded here, not at the top: the other commands never pay for it.
  const { Client } = await import('pg');
  const client = new Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // A client-side bound too, should the server not answer at all.
    query_timeout: statementTimeoutMs + 5_000,
    application_name: 'migration-guard stats',
  });
  // A connection that dies while idle must not become an uncaught exception; queries still reject.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new SnapshotError(redact(`cannot connect to ${url.redacted}: ${describeError(error)}`, url));
  }
  try {
    await beginSnapshotTransaction(client, { ...options, statementTimeoutMs });
    const snapshot = await collectStats(client);
    await client.query('COMMIT');
    return snapshot;
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(redact(error.message, url));
    throw new SnapshotError(redact(`${url.redacted}: ${describeError(error)}`, url));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Opens the snapshot's transaction: READ ONLY, statement_timeout, lock_timeout, an idle timeout in
 * case this process hangs, and search_path limited to pg_catalog so that no user object can stand
 * in for a catalog function. Refuses to go on if the transaction is not read-only.
 */
export async function beginSnapshotTransaction(
  client: Queryable,
  options: SnapshotOptions = {},
): Promise<void> {
  const statementTimeout = positiveInteger(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  const lockTimeout = positiveInteger(options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  await client.query('BEGIN READ ONLY');
  await client.query(
    `SET LOCAL statement_timeout = ${statementTimeout}; SET LOCAL lock_timeout = ${lockTimeout}; ` +
      `SET LOCAL idle_in_transaction_session_timeout = ${Math.max(60_000, statementTimeout * 4)}; ` +
      'SET LOCAL search_path = pg_catalog',
  );
  const { rows } = await client.query<{ ro: string }>(
    `SELECT current_setting('transaction_read_only') AS ro`,
  );
  if (rows[0]?.ro !== 'on') throw new SnapshotError('the transaction is not read-only; refusing to go on');
}

interface RelationRow {
  oid: number;
  schema: string;
  name: string;
  relkind: 'r' | 'p' | 'm';
  is_partition: boolean;
  reltuples: number;
  relpages: string;
  toast: number;
  toast_pages: string;
}

interface IndexRow {
  table_oid: number;
  oid: number;
  name: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  relpages: string;
}

interface SizeRow {
  oid: number;
  heap: string | null;
  toast: string | null;
  indexes: string | null;
  total: string | null;
}

interface ActivityRow {
  relid: number;
  n_tup_ins: string;
  n_tup_upd: string;
  n_tup_del: string;
  seq_scan: string;
  seq_tup_read: string;
  idx_scan: string | null;
  n_live_tup: string;
  n_dead_tup: string;
}

const KINDS: Record<RelationRow['relkind'], TableStats['kind']> = {
  r: 'table',
  p: 'partitioned table',
  m: 'materialized view',
};

/** Runs the snapshot's queries inside a transaction opened by beginSnapshotTransaction. */
export async function collectStats(client: Queryable): Promise<StatsSnapshot> {
  const notes = new Notes();
  const attempt = savepoints(client);

  const [server] = (
    await client.query<{
      version_num: string;
      version: string;
      database: string;
      taken_at: Date;
      standby: boolean;
      block_size: string;
    }>(
      `SELECT current_setting('server_version_num') AS version_num, current_setting('server_version') AS version,
              current_database() AS database, now() AS taken_at, pg_is_in_recovery() AS standby,
              current_setting('block_size') AS block_size`,
    )
  ).rows;
  const major = Math.floor(Number(server.version_num) / 10_000);
  const blockSize = Number(server.block_size);

  const reset = await attempt(
    'pg_stat_database',
    `SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()`,
  );
  let statsResetAt: string | null = null;
  if (reset.ok) {
    const at = reset.rows[0]?.stats_reset as Date | null | undefined;
    if (at) statsResetAt = at.toISOString();
    else
      notes.add(
        'the statistics were never reset (pg_stat_database.stats_reset is empty): rates come only from two snapshots (--previous)',
      );
  } else {
    notes.add(
      `${reset.why}: the statistics reset time is unknown, so rates come only from two snapshots (--previous)`,
    );
  }

  // Ordinary and partitioned tables and materialized views outside the system and temporary
  // schemas (user schemas cannot be named pg_*).
  const relations = (
    await client.query<RelationRow>(
      `SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
              c.relispartition AS is_partition, c.reltuples::float8 AS reltuples, c.relpages::int8 AS relpages, c.reltoastrelid AS toast,
              COALESCE(t.relpages, 0)::int8 AS toast_pages
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
        WHERE c.relkind IN ('r', 'p', 'm') AND c.relpersistence <> 't'
          AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        ORDER BY n.nspname, c.relname`,
    )
  ).rows;
  const oids = relations.map((r) => r.oid);
  const keyOf = new Map(relations.map((r) => [r.oid, `${r.schema}.${r.name}`]));

  const indexRows = await attempt(
    'pg_index',
    `SELECT x.indrelid AS table_oid, i.oid, i.relname AS name, x.indisunique AS unique,
            x.indisprimary AS primary, x.indisvalid AS valid, i.relpages::int8 AS relpages
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = ANY($1::oid[])
      ORDER BY i.relname`,
    [oids],
  );
  if (!indexRows.ok) notes.add(`${indexRows.why}: indexes are not listed (their total size is)`);
  const indexes = (indexRows.ok ? indexRows.rows : []) as IndexRow[];

  const inherits = await attempt(
    'pg_inherits',
    `SELECT inhrelid AS child, inhparent AS parent FROM pg_inherits`,
  );
  if (!inherits.ok) notes.add(`${inherits.why}: partitions are not recorded`);
  const parentOf = new Map(
    (inherits.ok ? inherits.rows : []).map((r) => [Number(r.child), Number(r.parent)] as const),
  );

  const sizes = await readSizes(attempt, relations, indexes, blockSize, notes);

  const activity = new Map<number, ActivityRow>();
  if (server.standby) {
    notes.add(
      'this server is a standby (pg_is_in_recovery): it does not count the writes it replays, so activity ' +
        'and rates are not recorded; sizes and rows are the primary’s. Take the snapshot on the primary for rates',
    );
  } else {
    const stats = await attempt(
      'pg_stat_user_tables',
      `SELECT relid, n_tup_ins, n_tup_upd, n_tup_del, seq_scan, seq_tup_read, idx_scan, n_live_tup, n_dead_tup
         FROM pg_stat_user_tables WHERE relid = ANY($1::oid[])`,
      [oids],
    );
    if (stats.ok) for (const row of stats.rows as ActivityRow[]) activity.set(Number(row.relid), row);
    else notes.add(`${stats.why}: activity and rates are not recorded`);
  }

  const indexName = new Map(indexes.map((i) => [Number(i.oid), i.name]));
  const tables: Record<string, TableStats> = {};
  for (const relation of relations) {
    const size = sizes.get(relation.oid);
    if (!size) continue;
    const kind = KINDS[relation.relkind];
    const parentKey = relation.is_partition ? keyOf.get(parentOf.get(relation.oid) ?? -1) : undefined;
    const table: TableStats = {
      kind,
      rows: estimateRows(relation, size.heapBytes, blockSize, major),
      heapBytes: size.heapBytes,
      toastBytes: size.toastBytes,
      indexBytes: size.indexBytes,
      totalBytes: size.totalBytes,
      indexes: indexes
        .filter((i) => Number(i.table_oid) === relation.oid)
        .map((i): IndexStats => {
          const parent = indexName.get(parentOf.get(Number(i.oid)) ?? -1);
          return {
            name: i.name,
            bytes: size.indexes.get(Number(i.oid)) ?? Number(i.relpages) * blockSize,
            unique: i.unique,
            primary: i.primary,
            valid: i.valid,
            ...(parent !== undefined && { parent }),
          };
        }),
    };
    const a = activity.get(relation.oid);
    if (a) {
      table.activity = {
        inserts: Number(a.n_tup_ins),
        updates: Number(a.n_tup_upd),
        deletes: Number(a.n_tup_del),
        seqScans: Number(a.seq_scan),
        seqRowsRead: Number(a.seq_tup_read),
        indexScans: Number(a.idx_scan ?? 0),
        liveRows: Number(a.n_live_tup),
        deadRows: Number(a.n_dead_tup),
      };
    }
    if (parentKey) table.parent = parentKey;
    if (size.estimated) table.estimatedSizes = true;
    tables[`${relation.schema}.${relation.name}`] = table;
  }
  for (const [key, table] of Object.entries(tables)) {
    if (table.parent && tables[table.parent]) (tables[table.parent].partitions ??= []).push(key);
  }
  for (const table of Object.values(tables)) table.partitions?.sort();

  return {
    format: STATS_FORMAT,
    version: STATS_FORMAT_VERSION,
    takenAt: server.taken_at.toISOString(),
    server: { version: /^\S+/.exec(server.version)?.[0] ?? server.version, major },
    database: server.database,
    statsResetAt,
    tables,
    notes: notes.list,
  };
}

interface Sizes {
  heapBytes: number;
  toastBytes: number;
  indexBytes: number;
  totalBytes: number;
  indexes: Map<number, number>;
  estimated: boolean;
}

/**
 * Sizes of every relation: all at once when nothing is in the way; else table by table, each
 * locked one (lock_timeout) or slow one (statement_timeout) estimated from pg_class.relpages.
 * A relation dropped meanwhile is left out (the size functions return NULL for it).
 */
async function readSizes(
  attempt: Attempt,
  relations: RelationRow[],
  indexes: IndexRow[],
  blockSize: number,
  notes: Notes,
): Promise<Map<number, Sizes>> {
  const sizes = new Map<number, Sizes>();
  const indexesOf = (oids: number[]) => indexes.filter((i) => oids.includes(Number(i.table_oid)));
  const read = async (oids: number[]) => {
    const tables = await attempt('pg_relation_size', TABLE_SIZES, [oids]);
    if (!tables.ok) return tables;
    const indexSizes = await attempt('pg_relation_size', INDEX_SIZES, [indexesOf(oids).map((i) => i.oid)]);
    if (!indexSizes.ok) return indexSizes;
    const byIndex = new Map(indexSizes.rows.map((r) => [Number(r.oid), Number(r.bytes)]));
    for (const row of tables.rows as SizeRow[]) {
      if (row.heap === null || row.total === null) continue; // dropped meanwhile
      sizes.set(Number(row.oid), {
        heapBytes: Number(row.heap),
        toastBytes: Number(row.toast ?? 0),
        indexBytes: Number(row.indexes ?? 0),
        totalBytes: Number(row.total),
        indexes: byIndex,
        estimated: false,
      });
    }
    return tables;
  };
  const estimate = (relation: RelationRow): Sizes => {
    const own = indexes.filter((i) => Number(i.table_oid) === relation.oid);
    const heapBytes = Number(relation.relpages) * blockSize;
    const toastBytes = Number(relation.toast_pages) * blockSize;
    const indexBytes = own.reduce((sum, i) => sum + Number(i.relpages) * blockSize, 0);
    return {
      heapBytes,
      toastBytes,
      indexBytes,
      totalBytes: heapBytes + toastBytes + indexBytes,
      indexes: new Map(own.map((i) => [Number(i.oid), Number(i.relpages) * blockSize])),
      estimated: true,
    };
  };

  const all = await read(relations.map((r) => r.oid));
  if (!all.ok && all.code === '42501') {
    notes.add(
      `${all.why}: sizes are estimated from pg_class.relpages (as of each table's last VACUUM or ANALYZE)`,
    );
    for (const relation of relations) sizes.set(relation.oid, estimate(relation));
    return sizes;
  }
  if (!all.ok) {
    // A table locked by another session (or too slow to measure) is in the way: in chunks, and
    // one at a time within a chunk that fails, each failure costing one lock_timeout.
    const skipped: string[] = [];
    for (let i = 0; i < relations.length; i += FALLBACK_CHUNK) {
      const chunk = relations.slice(i, i + FALLBACK_CHUNK);
      if (chunk.length > 1 && (await read(chunk.map((r) => r.oid))).ok) continue;
      for (const relation of chunk) {
        const one = await read([relation.oid]);
        if (one.ok) continue;
        sizes.set(relation.oid, estimate(relation));
        skipped.push(
          `${relation.schema}.${relation.name} (${one.code === '55P03' ? 'locked' : 'timed out'})`,
        );
      }
    }
    if (skipped.length) {
      notes.add(
        `sizes estimated from pg_class.relpages (as of the last VACUUM or ANALYZE), not measured: ${skipped.join(', ')}`,
      );
    }
  }
  const dropped = relations.filter((r) => !sizes.has(r.oid)).map((r) => `${r.schema}.${r.name}`);
  if (dropped.length) notes.add(`dropped while the snapshot was taken, left out: ${dropped.join(', ')}`);
  return sizes;
}

/** Tables measured together when some table is in the way (see readSizes). */
const FALLBACK_CHUNK = 50;

const TABLE_SIZES = `
  SELECT c.oid, pg_relation_size(c.oid) AS heap,
         CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END AS toast,
         pg_indexes_size(c.oid) AS indexes, pg_total_relation_size(c.oid) AS total
    FROM pg_class c WHERE c.oid = ANY($1::oid[])`;

const INDEX_SIZES = `SELECT oid, pg_relation_size(oid) AS bytes FROM unnest($1::oid[]) AS oid`;

/**
 * pg_class.reltuples, scaled to the table's current size as the planner does (rows per page at
 * the last VACUUM/ANALYZE times the pages now). An empty heap has no rows. Never analyzed: null —
 * reltuples is -1 from PostgreSQL 14; before, 0 with relpages 0 (the same as an empty table, so
 * only a heap with pages tells the difference).
 */
function estimateRows(
  relation: RelationRow,
  heapBytes: number,
  blockSize: number,
  major: number,
): number | null {
  const reltuples = Number(relation.reltuples);
  const relpages = Number(relation.relpages);
  if (relation.relkind === 'p') return major >= 14 && reltuples >= 0 ? Math.round(reltuples) : null;
  if (heapBytes === 0) return 0;
  if (reltuples < 0 || (reltuples === 0 && relpages === 0)) return null;
  if (relpages === 0) return Math.round(reltuples);
  return Math.round((reltuples / relpages) * (heapBytes / blockSize));
}

type Attempted = { ok: true; rows: QueryResultRow[] } | { ok: false; code: string | undefined; why: string };
type Attempt = (what: string, sql: string, values?: unknown[]) => Promise<Attempted>;

/**
 * Runs a query inside a savepoint, so that a refused one (permission denied, lock or statement
 * timeout) leaves the transaction usable. Other errors are thrown.
 */
function savepoints(client: Queryable): Attempt {
  return async (what, sql, values) => {
    await client.query('SAVEPOINT mg_stats');
    try {
      const { rows } = await client.query(sql, values);
      await client.query('RELEASE SAVEPOINT mg_stats');
      return { ok: true, rows };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== '42501' && code !== '55P03' && code !== '57014') throw error;
      await client.query('ROLLBACK TO SAVEPOINT mg_stats');
      const why =
        code === '42501'
          ? `no permission to read ${what}`
          : code === '55P03'
            ? `${what}: locked`
            : `${what}: timed out`;
      return { ok: false, code, why };
    }
  };
}

/** Notes, each said once, in order. */
class Notes {
  readonly list: string[] = [];
  add(note: string): void {
    if (!this.list.includes(note)) this.list.push(note);
  }
}

export interface DatabaseUrl {
  /** The URL with its password replaced by `***`. */
  redacted: string;
  /** The password as written (percent-encoded) and decoded, to be taken out of any message. */
  secrets: string[];
}

/**
 * Checks that `url` is a postgres:// or postgresql:// URL. The password — in the user part or as a
 * `password` query parameter — is collected so that `redact` can take it out of any message; the
 * error for an invalid URL never repeats it.
 */
export function checkDatabaseUrl(url: string): DatabaseUrl {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    const shown = /^\s*\w+\s*=/.test(url)
      ? 'key=value connection strings are not supported'
      : `not a database URL: ${redactUrlText(url)}`;
    throw new SnapshotError(`${shown} (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)`);
  }
  const secrets: string[] = [];
  if (parsed.password) {
    secrets.push(parsed.password, safeDecode(parsed.password));
    parsed.password = '***';
  }
  for (const [name, value] of [...parsed.searchParams]) {
    if (!/password/i.test(name) || !value) continue;
    secrets.push(value, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+'));
    parsed.searchParams.set(name, '***');
  }
  return {
    redacted: parsed.toString().replace(/%2A%2A%2A/g, '***'),
    secrets: [...new Set(secrets)].filter((s) => s.length > 0),
  };
}

/** `message` with every form of the URL's password replaced by `***`. */
export function redact(message: string, url: DatabaseUrl): string {
  let out = message;
  for (const secret of [...url.secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** A text that failed to parse as a URL, shortened, with what may be a password hidden. */
function redactUrlText(text: string): string {
  const shown = text.replace(/:[^:/]*@/, ':***@').replace(/(password=)[^&\s]*/gi, '$1***');
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 77)}...` : shown);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string };
  if (e.code === '57014') return 'a query timed out (statement_timeout); raise --statement-timeout';
  return e.message || String(error);
}

function positiveInteger(ms: number): number {
  if (!Number.isInteger(ms) || ms <= 0)
    throw new RangeError(`timeout must be a whole number of milliseconds > 0 (got ${ms})`);
  return ms;
}
