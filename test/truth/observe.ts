/**
 * Runs one statement on a real PostgreSQL server and reports what the server did: the relation locks the
 * statement's backend took, which tables were rewritten or scanned, which indexes rebuilt and which tables
 * got a new index.
 *
 * Every case runs in the same database, `truth`, reset before each case (see resetDatabase). The statement
 * is first run inside an open transaction, where everything can be read from the statement's own backend
 * before rolling back. Statements PostgreSQL refuses inside a transaction block are run in autocommit
 * instead, made to wait on blocker sessions so their table locks can be seen (see watchStatement).
 *
 * ANALYZE is deliberately not run after setup: tables stay as migrations usually meet them in tests (never
 * analyzed), and with autovacuum off nothing changes the planner's inputs between setup and statement, so
 * plans — and with them which tables are scanned by internal queries (e.g. foreign-key validation) — are
 * the same on every run.
 */
import { DatabaseError, type Client } from 'pg';
import {
  LOCK_MODES,
  LOCK_MODE_SQL,
  conflictingModes,
  conflictsWith,
  isLockMode,
  type LockMode,
} from '../../src/analysis/locks';
import type { PgServer } from './cluster';

export interface RawLock {
  relation: string;
  mode: LockMode;
  granted: boolean;
}

export interface Observation {
  /**
   * Relation-level locks held (or waited for) by the statement's backend on relations that existed before
   * the statement, in the test database's non-system schemas; relation names as "name" for schema public,
   * else "schema.name".
   */
  locks: RawLock[];
  /** Pre-existing tables/matviews (relkind r, p, m; toast excluded) whose relfilenode changed. */
  rewrites: string[];
  /** Pre-existing indexes whose relfilenode changed. */
  rebuiltIndexes: string[];
  /** Pre-existing tables whose sequential-scan counter increased because of the statement. */
  scans: string[];
  /**
   * Pre-existing tables and matviews with storage (relkind r, m) that have a new index: a pg_index row whose
   * index did not exist before, neither by OID nor by name (an index replaced under its old name — ALTER
   * COLUMN TYPE, REINDEX CONCURRENTLY — is a rebuild, reported in rebuiltIndexes). A partitioned table's
   * own index (relkind I) has no storage and is not built: only its partitions' indexes are.
   */
  indexBuilds: string[];
  /** True when the server refused the statement inside a transaction block. */
  cannotRunInTransaction: boolean;
  /** The server's error message when the statement itself failed (also in autocommit). */
  error?: string;
  /**
   * 'transaction': every lock the statement held at its end, read inside its transaction.
   * 'blocked-first-lock': the statement ran in autocommit; locks are those it was seen holding or waiting for
   * (granted: false) when it blocked on table locks held by other sessions — its first table lock, then each
   * stronger lock on the same table (none if it never blocked; see watchStatement).
   */
  lockObservation: 'transaction' | 'blocked-first-lock';
}

const CASE_DATABASE = 'truth';
/** Objects created after initdb get OIDs from here on (FirstNormalObjectId). */
const FIRST_NORMAL_OBJECT_ID = 16384;
/** SQLSTATE active_sql_transaction: "... cannot run inside a transaction block" and its variants. */
const ACTIVE_SQL_TRANSACTION = '25001';
/** How long the autocommit path waits for the statement to block or finish before reading its locks. */
const BLOCK_WAIT_MS = 5_000;
/** How long the autocommit path waits for the cumulative statistics to include the statement (PG < 15). */
const STATS_WAIT_MS = 3_000;
const POLL_MS = 5;

/** Relation kinds with a heap of their own (or partitions of one): rewritten, scanned, locked up front. */
const TABLE_KINDS = new Set(['r', 'p', 'm']);
/** What LOCK TABLE accepts (not materialized views). */
const LOCKABLE_KINDS = new Set(['r', 'p']);
const INDEX_KINDS = new Set(['i', 'I']);
/** Relation kinds on which an index is built (read, sorted, written): not partitioned tables (no storage). */
const BUILDS_INDEX_KINDS = new Set(['r', 'm']);

/** A relation in the database before the statement ran. */
interface Relation {
  oid: number;
  /** "name" in schema public, else "schema.name". */
  name: string;
  /** Schema-qualified and quoted, for SQL. */
  quoted: string;
  kind: string;
  filenode: number;
  /** For an index: the OID of its table (pg_index.indrelid); null for other relations. */
  indexOf: number | null;
}

/** `setup` runs first, in autocommit, as one simple-protocol query string; `sql` is the statement under test. */
interface TruthStatement {
  setup: string;
  sql: string;
}

/** What the statement did; describe() keeps what concerns pre-existing relations. */
interface Effects {
  /** Relation locks, by OID. */
  locks: { oid: number; mode: string; granted: boolean }[];
  /** The relations in the database afterwards (see describe for how they are matched). */
  after: Relation[];
  scans: Map<number, number>;
}

interface ServerState {
  /** Session kept in the case database to reset it, snapshot it and watch the statement. */
  janitor?: Client;
  /** Cases on one server run one at a time: they share the database. */
  queue: Promise<unknown>;
}

const states = new WeakMap<PgServer, ServerState>();

export function observe(server: PgServer, c: { setup: string; sql: string }): Promise<Observation> {
  let state = states.get(server);
  if (!state) {
    state = { queue: Promise.resolve() };
    states.set(server, state);
  }
  const { queue } = state;
  const result = queue.then(() => observeCase(server, state, c));
  state.queue = result.catch(() => undefined);
  return result;
}

async function observeCase(server: PgServer, state: ServerState, c: TruthStatement): Promise<Observation> {
  const janitor = await resetDatabase(server, state);
  await runSetup(server, c);
  const before = await snapshot(janitor);
  return (
    (await observeInTransaction(server, c.sql, before)) ??
    (await observeOutsideTransaction(server, janitor, c.sql, before))
  );
}

// ---------------------------------------------------------------------------------------------------------
// Resetting the database between cases

/**
 * Dropping every user schema (and the extensions and roles setup may have created) takes a few
 * milliseconds, where CREATE DATABASE takes 50–300 ms (PostgreSQL < 15 forces checkpoints). What schema
 * drops cannot reach — event triggers, publications, casts, languages, ... — is caught by a leak check over
 * every database-local catalog; only then is the database recreated from template0.
 */
async function resetDatabase(server: PgServer, state: ServerState): Promise<Client> {
  if (state.janitor && (await cleanInPlace(server.major, state.janitor)).length === 0) return state.janitor;
  await state.janitor?.end().catch(() => undefined);
  state.janitor = undefined;
  await recreateCaseDatabase(server);
  const janitor = await server.connect(CASE_DATABASE);
  const leftovers = await cleanInPlace(server.major, janitor);
  if (leftovers.length > 0) {
    await janitor.end();
    throw new Error(`truth harness: fresh database ${CASE_DATABASE} is not clean: ${leftovers.join(', ')}`);
  }
  state.janitor = janitor;
  return janitor;
}

/** Resets the case database in place; returns what is left over (empty when clean). */
async function cleanInPlace(major: number, janitor: Client): Promise<string[]> {
  try {
    await dropOtherDatabases(janitor);
    await janitor.query(resetSql(major));
  } catch (error) {
    return [`reset failed: ${messageOf(error)}`];
  }
  const leaks = await janitor.query<{ leak: string }>(await leakQuery(janitor));
  return leaks.rows.map((row) => row.leak);
}

/** Statements under test may create databases (CREATE DATABASE refuses transaction blocks). */
async function dropOtherDatabases(janitor: Client): Promise<void> {
  const { rows } = await janitor.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1', $1)`,
    [CASE_DATABASE],
  );
  for (const { datname } of rows) await janitor.query(`DROP DATABASE ${quoteIdent(datname)}`);
}

/**
 * Drops everything setup and statements create in schemas, plus extensions and roles, then recreates the
 * public schema as initdb makes it (owner and privileges changed in PostgreSQL 15).
 */
function resetSql(major: number): string {
  const publicSchema =
    major >= 15
      ? 'CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC;'
      : 'CREATE SCHEMA public; GRANT ALL ON SCHEMA public TO PUBLIC;';
  return `
DO $reset$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT rolname FROM pg_roles WHERE oid >= ${FIRST_NORMAL_OBJECT_ID} LOOP
    EXECUTE format('DROP OWNED BY %I CASCADE', r.rolname);
  END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE oid >= ${FIRST_NORMAL_OBJECT_ID} LOOP
    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', r.nspname);
  END LOOP;
  FOR r IN SELECT rolname FROM pg_roles WHERE oid >= ${FIRST_NORMAL_OBJECT_ID} LOOP
    EXECUTE format('DROP ROLE %I', r.rolname);
  END LOOP;
  ${publicSchema}
  COMMENT ON SCHEMA public IS 'standard public schema';
END
$reset$`;
}

const leakQueries = new WeakMap<Client, string>();

/**
 * One query listing every row with a user OID in every database-local catalog that has OIDs, except the
 * recreated public schema and the namespaces temporary tables leave behind (empty once sessions end).
 */
async function leakQuery(janitor: Client): Promise<string> {
  const cached = leakQueries.get(janitor);
  if (cached) return cached;
  const { rows } = await janitor.query<{ relname: string }>(`
    SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'oid'
    WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' AND NOT c.relisshared
    ORDER BY c.relname`);
  const query = rows
    .map(({ relname }) => {
      const extra =
        relname === 'pg_namespace' ? ` AND nspname <> 'public' AND nspname !~ '^pg_(toast_)?temp_'` : '';
      return `SELECT '${relname} ' || oid AS leak FROM pg_catalog.${relname} WHERE oid >= ${FIRST_NORMAL_OBJECT_ID}${extra}`;
    })
    .join('\nUNION ALL ');
  leakQueries.set(janitor, query);
  return query;
}

/**
 * Last resort and first start. Setting statement_timeout on the database bounds every case session, so a
 * statement that hangs fails the case with an error instead of the whole test run.
 */
async function recreateCaseDatabase(server: PgServer): Promise<void> {
  const admin = await server.connect('postgres');
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      CASE_DATABASE,
    ]);
    await admin.query(`DROP DATABASE IF EXISTS ${CASE_DATABASE}`);
    await admin.query(`CREATE DATABASE ${CASE_DATABASE} TEMPLATE template0`);
    await admin.query(`ALTER DATABASE ${CASE_DATABASE} SET statement_timeout = '30s'`);
  } finally {
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Setup and the snapshot of what existed before the statement

/**
 * Setup runs on its own session, closed before the statement: session state (SET, temporary tables) does not
 * carry over, and closing it flushes its table statistics, which the autocommit path relies on.
 */
async function runSetup(server: PgServer, c: TruthStatement): Promise<void> {
  const session = await server.connect(CASE_DATABASE);
  try {
    await session.query(c.setup);
  } catch (error) {
    throw new Error(
      `truth case setup failed: ${messageOf(error)}\n--- setup ---\n${c.setup}\n--- sql ---\n${c.sql}`,
    );
  } finally {
    await session.end();
  }
}

async function snapshot(janitor: Client): Promise<Relation[]> {
  const { rows } = await janitor.query<Relation>(`
    SELECT c.oid, c.relkind AS kind, c.relfilenode AS filenode, i.indrelid AS "indexOf",
      CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
      quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS quoted
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_index i ON i.indexrelid = c.oid
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    ORDER BY name`);
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Inside a transaction block

/**
 * Runs the statement inside BEGIN on a fresh session and reads its effects before rolling back. All
 * observation queries read catalogs and statistics functions only, so they add no locks or scans on user
 * relations. Returns undefined when the server refuses the statement inside a transaction block.
 */
async function observeInTransaction(
  server: PgServer,
  sql: string,
  before: Relation[],
): Promise<Observation | undefined> {
  const session = await server.connect(CASE_DATABASE);
  try {
    await session.query('BEGIN');
    const failure = await settle(session.query(sql));
    if (failure && sqlState(failure) === undefined) throw failure;
    if (failure && sqlState(failure) === ACTIVE_SQL_TRANSACTION) return undefined;
    if (failure) return { ...nothingObserved('transaction'), error: messageOf(failure) };
    return describe(before, await readOwnEffects(session, before), 'transaction');
  } finally {
    // Ending the session rolls the transaction back.
    await session.end();
  }
}

/**
 * pg_stat_get_xact_numscans reads the backend's own not-yet-reported counters, which include the open
 * transaction's scans in every version 11–18. The session is fresh, so they hold nothing older.
 */
async function readOwnEffects(session: Client, before: Relation[]): Promise<Effects> {
  const { rows } = await session.query<{ locks: Effects['locks']; scans: OidValue[] }>(
    `SELECT
      (SELECT coalesce(json_agg(json_build_object('oid', l.relation, 'mode', l.mode, 'granted', l.granted)), '[]')
         FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation') AS locks,
      (SELECT coalesce(json_agg(json_build_object('oid', o, 'value', pg_stat_get_xact_numscans(o))), '[]')
         FROM unnest($1::oid[]) o) AS scans`,
    [before.map((r) => r.oid)],
  );
  const [row] = rows;
  return { locks: row.locks, after: await snapshot(session), scans: toMap(row.scans) };
}

// ---------------------------------------------------------------------------------------------------------
// In autocommit, for statements refused inside a transaction block

/**
 * Blocker sessions make the statement (in autocommit, on its own session) wait at its table locks, so the
 * janitor can read them from pg_locks while it waits; see watchStatement.
 *
 * Scans are read from the cumulative counters, zeroed for the pre-existing tables before the statement. The
 * statement's session is closed before reading them: a backend reports its pending counters when it exits,
 * before its connection closes (PG 15+: into shared memory; PG < 15: in a message to the stats collector,
 * see readCommittedScans).
 */
async function observeOutsideTransaction(
  server: PgServer,
  janitor: Client,
  sql: string,
  before: Relation[],
): Promise<Observation> {
  const tables = before.filter((r) => TABLE_KINDS.has(r.kind));
  await janitor.query('SELECT pg_stat_reset_single_table_counters(o) FROM unnest($1::oid[]) o', [
    tables.map((r) => r.oid),
  ]);
  const lockable = tables.filter((r) => LOCKABLE_KINDS.has(r.kind));
  /** Blocker sessions still holding or awaiting locks, oldest first. */
  const blockers: Blocker[] = [];
  let session: Client | undefined;
  let failure: unknown;
  let locks: Effects['locks'] = [];
  try {
    if (lockable.length > 0) {
      blockers.push(await startBlocker(server, lockable, 'AccessExclusiveLock'));
      const lockFailure = await blockers[0].locked;
      if (lockFailure) throw lockFailure;
    }
    session = await server.connect(CASE_DATABASE);
    const pid = await backendPid(session);
    const outcome = settle(session.query(sql));
    locks = await watchStatement(server, janitor, { pid, outcome }, before, blockers);
    await releaseAll(blockers);
    failure = await outcome;
  } finally {
    await releaseAll(blockers);
    await session?.end();
  }
  if (failure && sqlState(failure) === undefined) throw failure;
  const effects: Effects = {
    locks,
    after: await snapshot(janitor),
    scans: await readCommittedScans(server.major, janitor, tables),
  };
  const observation = describe(before, effects, 'blocked-first-lock');
  return { ...observation, cannotRunInTransaction: true, ...(failure ? { error: messageOf(failure) } : {}) };
}

/** A session holding (or queued for) a table lock inside an open transaction. */
interface Blocker {
  client: Client;
  pid: number;
  /** Settles when the LOCK TABLE completes: undefined, or its error. */
  locked: Promise<unknown>;
}

async function startBlocker(server: PgServer, tables: Relation[], mode: LockMode): Promise<Blocker> {
  const client = await server.connect(CASE_DATABASE);
  const pid = await backendPid(client);
  const list = tables.map((r) => r.quoted).join(', ');
  const locked = settle(client.query(`BEGIN; LOCK TABLE ${list} IN ${LOCK_MODE_SQL[mode]} MODE`));
  return { client, pid, locked };
}

/**
 * Ending the session aborts its transaction; the locks are gone once the server has closed the connection.
 * The LOCK must have completed first: ending a client with a query in flight only drops the socket, which a
 * backend waiting for a lock does not notice.
 */
async function release(blocker: Blocker): Promise<void> {
  await blocker.locked;
  await blocker.client.end();
}

/**
 * Watches the statement through its waits and returns every relation lock it was seen holding or waiting for
 * (granted: false when it was seen waiting for it).
 *
 * The first blocker holds ACCESS EXCLUSIVE on every pre-existing table, so the statement stops at the first
 * table lock it asks for. Seeing only that would be misleading (VACUUM's first lock is a brief ACCESS SHARE
 * to look the table up), so the blocker is then handed over: a new blocker queues for the strongest mode
 * compatible with everything the statement holds or awaits on that table before the old one lets go. The
 * lock manager grants both at once, and the statement runs on until it asks for a mode that conflicts with
 * the new blocker — the next stronger lock on that table — and is seen again. Watching stops when the
 * statement finishes, waits on something else (e.g. CREATE INDEX CONCURRENTLY waiting for the blocker's
 * transaction), needs a mode nothing is compatible with, or BLOCK_WAIT_MS pass. Locks the statement takes
 * without ever waiting (other tables once the first blocker is gone, indexes, sequences) go unseen.
 *
 * `blockers` is shared with the caller, which releases whatever is left in it.
 */
async function watchStatement(
  server: PgServer,
  janitor: Client,
  statement: { pid: number; outcome: Promise<unknown> },
  before: Relation[],
  blockers: Blocker[],
): Promise<Effects['locks']> {
  const seen = new Map<string, Effects['locks'][number]>();
  const deadline = Date.now() + BLOCK_WAIT_MS;
  let finished = false;
  void statement.outcome.then(() => (finished = true));
  while (blockers.length > 0) {
    const rows = await nextWait(janitor, statement.pid, () => finished, deadline);
    if (!rows) break;
    for (const l of rows) {
      if (l.locktype !== 'relation' || l.oid === null) continue;
      const key = `${l.oid} ${l.mode}`;
      seen.set(key, { oid: l.oid, mode: l.mode, granted: l.granted && (seen.get(key)?.granted ?? true) });
    }
    const step = handOver(rows, before);
    if (!step) break;
    const next = await startBlocker(server, [step.table], step.mode);
    blockers.push(next);
    await waitForLockRequest(janitor, next, step.table.oid, deadline);
    await release(blockers.shift() as Blocker);
  }
  return [...seen.values()];
}

/** Oldest first, so that each one releasing lets the next one's queued lock be granted. */
async function releaseAll(blockers: Blocker[]): Promise<void> {
  for (const blocker of blockers.splice(0)) await release(blocker);
}

interface PidLock {
  locktype: string;
  oid: number | null;
  mode: string;
  granted: boolean;
}

/**
 * Polls the statement's locks until it waits for one (returns them all), finishes (returns undefined), or
 * the deadline passes (returns them all, none waiting).
 */
async function nextWait(
  janitor: Client,
  pid: number,
  finished: () => boolean,
  deadline: number,
): Promise<PidLock[] | undefined> {
  for (;;) {
    const { rows } = await janitor.query<PidLock>(
      'SELECT locktype, relation AS oid, mode, granted FROM pg_locks WHERE pid = $1',
      [pid],
    );
    if (finished()) return undefined;
    if (rows.some((l) => !l.granted) || Date.now() > deadline) return rows;
    await sleep(POLL_MS);
  }
}

/**
 * The next blocker when the statement waits for a table lock: that table, in the strongest mode that
 * conflicts with nothing the statement holds or awaits on it (so both are granted together).
 */
function handOver(rows: PidLock[], before: Relation[]): { table: Relation; mode: LockMode } | undefined {
  const waiting = rows.find((l) => !l.granted);
  const table = before.find((r) => r.oid === waiting?.oid && LOCKABLE_KINDS.has(r.kind));
  if (!waiting || waiting.locktype !== 'relation' || !table) return undefined;
  const held = rows
    .filter((l) => l.locktype === 'relation' && l.oid === table.oid)
    .map((l) => lockMode(l.mode));
  const compatible = LOCK_MODES.filter((m) => held.every((h) => !conflictsWith(h, m)));
  const strongest = compatible.sort((a, b) => conflictingModes(b).length - conflictingModes(a).length)[0];
  return strongest && { table, mode: strongest };
}

/** Waits until the blocker's lock request is registered, granted or queued behind the statement's. */
async function waitForLockRequest(
  janitor: Client,
  blocker: Blocker,
  oid: number,
  deadline: number,
): Promise<void> {
  let failure: unknown;
  void blocker.locked.then((error) => (failure = error));
  for (;;) {
    const { rows } = await janitor.query(
      `SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'relation' AND relation = $2`,
      [blocker.pid, oid],
    );
    if (failure) throw failure;
    if (rows.length > 0) return;
    if (Date.now() > deadline)
      throw new Error('truth harness: blocker session did not request its lock in time');
    await sleep(POLL_MS);
  }
}

async function backendPid(session: Client): Promise<number> {
  const { rows } = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0].pid;
}

/**
 * Cumulative sequential-scan counters of `tables`, once they include everything sessions that have already
 * ended reported.
 *
 * PG 15+ keeps them in shared memory and a backend flushes its own before its connection closes: they are
 * current as soon as the statement's session is gone.
 *
 * PG 11–14 have a stats collector process receiving UDP messages in order and writing a stats file when a
 * backend asks for one, which readers accept while it is younger than 500 ms. A file written after the
 * statement's session closed includes its final message, so poll until the snapshot's timestamp
 * (pg_stat_get_snapshot_timestamp) is later than that; this costs at most ~500 ms. Only the janitor reads
 * statistics in this database (autovacuum is off), so no other session's file request can interfere.
 */
async function readCommittedScans(
  major: number,
  janitor: Client,
  tables: Relation[],
): Promise<Map<number, number>> {
  if (tables.length === 0) return new Map();
  const oids = tables.map((r) => r.oid);
  const { rows: clock } = await janitor.query<{ now: string }>('SELECT clock_timestamp()::text AS now');
  const deadline = Date.now() + STATS_WAIT_MS;
  for (;;) {
    // Each autocommit statement reads a new statistics snapshot: they are discarded at transaction end.
    const { rows } = await janitor.query<{ fresh: boolean; scans: OidValue[] }>(
      `SELECT NOT $2 OR pg_stat_get_snapshot_timestamp() > $3::timestamptz AS fresh,
        (SELECT coalesce(json_agg(json_build_object('oid', o, 'value', pg_stat_get_numscans(o))), '[]')
           FROM unnest($1::oid[]) o) AS scans`,
      [oids, hasStatsCollector(major), clock[0].now],
    );
    if (rows[0].fresh) return toMap(rows[0].scans);
    if (Date.now() > deadline) {
      throw new Error(`truth harness: PostgreSQL ${major} statistics not updated within ${STATS_WAIT_MS} ms`);
    }
    await sleep(25);
  }
}

/** PostgreSQL 15 moved cumulative statistics from the collector process into shared memory. */
function hasStatsCollector(major: number): boolean {
  return major < 15;
}

// ---------------------------------------------------------------------------------------------------------
// Turning raw effects into an Observation

/**
 * A relation's storage changed when its relfilenode did. Relations are matched by OID, else by name: ALTER
 * COLUMN TYPE and REINDEX CONCURRENTLY replace an index by a new one (new OID) under the same name.
 */
function describe(before: Relation[], effects: Effects, how: Observation['lockObservation']): Observation {
  const byOid = new Map(effects.after.map((r) => [r.oid, r]));
  const byName = new Map(effects.after.map((r) => [r.name, r]));
  const changed = (r: Relation): boolean => {
    const now = byOid.get(r.oid) ?? byName.get(r.name);
    return now !== undefined && now.filenode !== r.filenode;
  };
  const existed = new Map(before.map((r) => [r.oid, r]));
  const namesBefore = new Set(before.map((r) => r.name));
  const built = new Set(
    effects.after
      .filter((r) => r.indexOf !== null && !existed.has(r.oid) && !namesBefore.has(r.name))
      .map((r) => existed.get(Number(r.indexOf)))
      .filter((t): t is Relation => t !== undefined && BUILDS_INDEX_KINDS.has(t.kind))
      .map((t) => t.name),
  );
  return {
    // Locks on relations the statement created, and on catalogs, are not part of the observation.
    locks: effects.locks
      .flatMap((l) => {
        const relation = existed.get(Number(l.oid));
        return relation ? [{ relation: relation.name, mode: lockMode(l.mode), granted: l.granted }] : [];
      })
      .sort(compareLocks),
    rewrites: before.filter((r) => TABLE_KINDS.has(r.kind) && changed(r)).map((r) => r.name),
    rebuiltIndexes: before.filter((r) => INDEX_KINDS.has(r.kind) && changed(r)).map((r) => r.name),
    scans: before
      .filter((r) => TABLE_KINDS.has(r.kind) && (effects.scans.get(r.oid) ?? 0) > 0)
      .map((r) => r.name),
    indexBuilds: [...built].sort(),
    cannotRunInTransaction: false,
    lockObservation: how,
  };
}

function nothingObserved(how: Observation['lockObservation']): Observation {
  return {
    locks: [],
    rewrites: [],
    rebuiltIndexes: [],
    scans: [],
    indexBuilds: [],
    cannotRunInTransaction: false,
    lockObservation: how,
  };
}

function lockMode(mode: string): LockMode {
  if (!isLockMode(mode)) throw new Error(`truth harness: unexpected lock mode ${mode} in pg_locks`);
  return mode;
}

function compareLocks(a: RawLock, b: RawLock): number {
  return (
    a.relation.localeCompare(b.relation) ||
    LOCK_MODES.indexOf(a.mode) - LOCK_MODES.indexOf(b.mode) ||
    Number(a.granted) - Number(b.granted)
  );
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

interface OidValue {
  oid: number;
  value: number;
}

function toMap(rows: OidValue[]): Map<number, number> {
  return new Map(rows.map((r) => [Number(r.oid), Number(r.value)]));
}

/** Resolves with the error a promise rejects with, or undefined when it fulfils. */
function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** The SQLSTATE of a server error; undefined for errors that did not come from the server. */
function sqlState(error: unknown): string | undefined {
  return error instanceof DatabaseError ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
