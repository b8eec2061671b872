/**
 * takeSnapshot against real servers (every major in PG_MAJORS, by default 11–18) holding data of
 * known size: sizes and rows equal what the size functions and pg_class say, no row data in the
 * file, no rows read, a read-only transaction, an ordinary role with no table privileges, revoked
 * catalogs and functions as notes, a locked table that does not hold the snapshot up, and rates
 * from two snapshots around known writes.
 */
import type { Client } from 'pg';
import { beginSnapshotTransaction, takeSnapshot } from '../../src/context/snapshot';
import { mergeSnapshots, serializeStats, tableLookup } from '../../src/context/stats-file';
import type { StatsSnapshot } from '../../src/context/types';
import { selectedMajors, startServer, type PgServer } from '../truth/cluster';
import { createKnownData, databaseUrl, FIXTURE_TABLES, SENTINEL, waitForCounters } from './stats-fixture';

describe.each(selectedMajors())('PostgreSQL %i', (major) => {
  let server: PgServer;
  let admin: Client;
  let snapshot: StatsSnapshot;

  beforeAll(async () => {
    server = await startServer(major);
    const setup = await server.connect();
    await createKnownData(setup);
    await setup.end();
    await waitForCounters(server, 'orders', { inserts: 100_000, updates: 0, deletes: 0 });
    admin = await server.connect();
    await admin.query(`CREATE ROLE reader LOGIN PASSWORD 'reader-secret'`);
    // A temporary table of a live session: not part of the schema.
    await admin.query('CREATE TEMP TABLE scratch (x int)');
    snapshot = await takeSnapshot(databaseUrl(server, 'reader', 'reader-secret'));
  });

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  test('server, database, time; user tables only, keyed schema.name as stored', () => {
    expect(snapshot.format).toBe('migration-guard-stats');
    expect(snapshot.server.major).toBe(major);
    expect(snapshot.server.version).toMatch(new RegExp(`^${major}\\.\\d+$`));
    expect(snapshot.database).toBe('postgres');
    expect(Math.abs(Date.parse(snapshot.takenAt) - Date.now())).toBeLessThan(60_000);
    expect(Object.keys(snapshot.tables).sort()).toEqual(FIXTURE_TABLES);
  });

  test('sizes equal the size functions, per table and per index', async () => {
    for (const [key, table] of Object.entries(snapshot.tables)) {
      const [schema, name] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
      const { rows } = await admin.query(
        `SELECT pg_relation_size(c.oid)::float8 AS heap, pg_indexes_size(c.oid)::float8 AS indexes,
                pg_total_relation_size(c.oid)::float8 AS total,
                COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0)::float8 AS toast,
                (SELECT json_object_agg(i.relname, pg_relation_size(i.oid))
                   FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid) AS index_sizes
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2`,
        [schema, name],
      );
      const real = rows[0];
      expect({ key, heap: table.heapBytes, toast: table.toastBytes, indexes: table.indexBytes }).toEqual({
        key,
        heap: real.heap,
        toast: real.toast,
        indexes: real.indexes,
      });
      expect(table.totalBytes).toBe(real.total);
      expect(Object.fromEntries(table.indexes.map((i) => [i.name, i.bytes]))).toEqual(real.index_sizes ?? {});
      expect(table.estimatedSizes).toBeUndefined();
    }
    const orders = snapshot.tables['public.orders'];
    expect(orders.heapBytes).toBeGreaterThan(4 * 1024 ** 2);
    expect(orders.indexes.map((i) => [i.name, i.primary, i.unique, i.valid])).toEqual([
      ['orders_customer_id_idx', false, false, true],
      ['orders_pkey', true, true, true],
    ]);
    expect(snapshot.tables['public.documents'].toastBytes).toBeGreaterThan(100 * 1024);
  });

  test('rows: reltuples after ANALYZE, 0 for an empty table, null when never analyzed', async () => {
    const { rows } = await admin.query(
      `SELECT relname, reltuples::float8 AS reltuples FROM pg_class WHERE relname IN ('orders', 'Invoices', 'documents')`,
    );
    const reltuples = Object.fromEntries(rows.map((r) => [r.relname, r.reltuples]));
    expect(reltuples).toEqual({ orders: 100_000, Invoices: 1000, documents: 50 });
    expect(snapshot.tables['public.orders'].rows).toBe(100_000);
    expect(snapshot.tables['Billing.Invoices'].rows).toBe(1000);
    expect(snapshot.tables['public.documents'].rows).toBe(50);
    expect(snapshot.tables['public.order_totals'].rows).toBe(977);
    expect(snapshot.tables['public.empty'].rows).toBe(0);
    expect(snapshot.tables['public.never_analyzed'].rows).toBeNull();
    expect(snapshot.tables['public.events_2024'].rows! + snapshot.tables['public.events_2025'].rows!).toBe(
      20_000,
    );
  });

  test('kinds, partitions and a partitioned table summed by the lookup', () => {
    const events = snapshot.tables['public.events'];
    expect(events.kind).toBe('partitioned table');
    expect(events.totalBytes).toBe(0);
    expect(events.partitions).toEqual(['public.events_2024', 'public.events_2025']);
    expect(snapshot.tables['public.events_2024'].parent).toBe('public.events');
    expect(snapshot.tables['public.events_2024'].indexes).toEqual([
      expect.objectContaining({ name: 'events_2024_at_idx', parent: 'events_at_idx' }),
    ]);
    expect(snapshot.tables['public.order_totals'].kind).toBe('materialized view');
    const lookup = tableLookup(snapshot);
    const summed = lookup('events')!;
    const [a, b] = [snapshot.tables['public.events_2024'], snapshot.tables['public.events_2025']];
    expect(summed.totalBytes).toBe(a.totalBytes + b.totalBytes);
    expect(summed.rows).toBe(20_000);
    expect(summed.indexes).toEqual([
      expect.objectContaining({ name: 'events_at_idx', bytes: a.indexes[0].bytes + b.indexes[0].bytes }),
    ]);
    expect(lookup('Billing.Invoices')).toBe(snapshot.tables['Billing.Invoices']);
    expect(lookup('"Billing"."Invoices"')).toBe(snapshot.tables['Billing.Invoices']);
    expect(lookup('billing.invoices')).toBeUndefined();
  });

  test('activity from pg_stat_user_tables', () => {
    expect(snapshot.tables['public.orders'].activity).toMatchObject({
      inserts: 100_000,
      updates: 0,
      deletes: 0,
    });
    // n_live_tup is PostgreSQL's running estimate (here VACUUM's count plus the insert reported after it).
    expect(snapshot.tables['public.orders'].activity!.liveRows).toBeGreaterThanOrEqual(100_000);
  });

  test('no row data in the file: the sentinel stored in every text column is absent', () => {
    expect(serializeStats(snapshot)).not.toContain(SENTINEL);
    expect(serializeStats(snapshot)).not.toContain('sentinel');
  });

  test('an ordinary role without SELECT on any table gets the same snapshot, no privilege notes', async () => {
    const { rows } = await admin.query(
      `SELECT rolsuper, has_table_privilege('reader', 'orders', 'SELECT') AS can_select FROM pg_roles WHERE rolname = 'reader'`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, can_select: false });
    expect(snapshot.notes.filter((n) => /permission/.test(n))).toEqual([]);
    const asSuperuser = await takeSnapshot(databaseUrl(server));
    const shape = (s: StatsSnapshot) =>
      Object.fromEntries(Object.entries(s.tables).map(([k, t]) => [k, { ...t, activity: undefined }]));
    expect(shape(snapshot)).toEqual(shape(asSuperuser));
  });

  test('the snapshot reads no table: scan and write counters do not move', async () => {
    const counters = async () => {
      await admin.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await admin.query(
        `SELECT relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables ORDER BY relid`,
      );
      return rows;
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 700));
    await settle();
    const before = await counters();
    await takeSnapshot(databaseUrl(server, 'reader'));
    await settle();
    expect(await counters()).toEqual(before);
  });

  test('the transaction is read-only, with the timeouts asked for', async () => {
    const client = await server.connect();
    try {
      await beginSnapshotTransaction(client, { statementTimeoutMs: 1234, lockTimeoutMs: 56 });
      const show = async (setting: string) => (await client.query(`SHOW ${setting}`)).rows[0][setting];
      expect(await show('transaction_read_only')).toBe('on');
      expect(await show('statement_timeout')).toBe('1234ms');
      expect(await show('lock_timeout')).toBe('56ms');
      expect(await show('search_path')).toBe('pg_catalog');
      await expect(client.query('CREATE TABLE public.written (x int)')).rejects.toMatchObject({
        code: '25006',
      });
      await client.query('ROLLBACK');
      // Outside the snapshot's transaction nothing stays set.
      expect(await show('statement_timeout')).toBe('0');
    } finally {
      await client.end();
    }
  });

  test('a table locked by a migration does not hold the snapshot up: estimated sizes and a note', async () => {
    const migration = await server.connect();
    const other = await server.connect();
    try {
      await migration.query('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const locked = await takeSnapshot(databaseUrl(server, 'reader'), { lockTimeoutMs: 100 });
      expect(Date.now() - started).toBeLessThan(3000);
      const orders = locked.tables['public.orders'];
      expect(orders.estimatedSizes).toBe(true);
      // After VACUUM ANALYZE, relpages is exact.
      expect(orders.heapBytes).toBe(snapshot.tables['public.orders'].heapBytes);
      expect(orders.indexes.map((i) => i.bytes)).toEqual(
        snapshot.tables['public.orders'].indexes.map((i) => i.bytes),
      );
      expect(orders.rows).toBe(100_000);
      expect(locked.tables['public.documents'].estimatedSizes).toBeUndefined();
      expect(locked.notes).toContain(
        'sizes estimated from pg_class.relpages (as of the last VACUUM or ANALYZE), not measured: public.orders (locked)',
      );
      // The snapshot left no lock request behind the migration's lock.
      const { rows } = await other.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted`);
      expect(rows[0].waiting).toBe(0);
    } finally {
      await migration.query('ROLLBACK');
      await migration.end();
      await other.end();
    }
  });

  test('revoked catalogs, views and size functions become notes, never a failure', async () => {
    await admin.query('CREATE DATABASE restricted');
    const db = await server.connect('restricted');
    try {
      await db.query(`
        CREATE TABLE t (id int PRIMARY KEY, memo text);
        INSERT INTO t SELECT g, '${SENTINEL}' FROM generate_series(1, 5000) g;
      `);
      await db.query('VACUUM ANALYZE t');
      await db.query(`
        REVOKE SELECT ON pg_catalog.pg_index, pg_catalog.pg_inherits, pg_catalog.pg_stat_user_tables,
                         pg_catalog.pg_stat_database FROM PUBLIC;
        REVOKE EXECUTE ON FUNCTION pg_catalog.pg_relation_size(regclass) FROM PUBLIC;
      `);
      const restricted = await takeSnapshot(databaseUrl(server, 'reader', 'x', 'restricted'));
      expect(restricted.notes).toEqual([
        'no permission to read pg_stat_database: the statistics reset time is unknown, so rates come only from two snapshots (--previous)',
        'no permission to read pg_index: indexes are not listed (their total size is)',
        'no permission to read pg_inherits: partitions are not recorded',
        "no permission to read pg_relation_size: sizes are estimated from pg_class.relpages (as of each table's last VACUUM or ANALYZE)",
        'no permission to read pg_stat_user_tables: activity and rates are not recorded',
      ]);
      const t = restricted.tables['public.t'];
      const { rows } = await db.query(`SELECT pg_relation_size('t')::float8 AS heap`);
      expect(t).toMatchObject({ rows: 5000, heapBytes: rows[0].heap, estimatedSizes: true, indexes: [] });
      expect(t.activity).toBeUndefined();
      expect(restricted.statsResetAt).toBeNull();
      expect(serializeStats(restricted)).not.toContain(SENTINEL);
    } finally {
      await db.end();
    }
  });

  test('two snapshots around known writes: writes per second from the counter differences', async () => {
    const url = databaseUrl(server, 'reader');
    const first = await takeSnapshot(url);
    const writer = await server.connect();
    await writer.query(`
      INSERT INTO orders SELECT g, 1, 'new' FROM generate_series(100001, 106000) g;
      UPDATE orders SET customer_id = 2 WHERE id <= 1500;
      DELETE FROM orders WHERE id > 105500;
    `);
    await writer.end();
    await waitForCounters(server, 'orders', { inserts: 106_000, updates: 1500, deletes: 500 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await takeSnapshot(url);
    const merged = mergeSnapshots(first, second);
    const window = (Date.parse(second.takenAt) - Date.parse(first.takenAt)) / 1000;
    expect(window).toBeGreaterThan(1);
    expect(window).toBeLessThan(30);
    expect(merged.tables['public.orders'].rates).toEqual({
      writesPerSecond: Math.round((8000 / window) * 1000) / 1000,
      scansPerSecond: expect.any(Number),
      windowSeconds: Math.round(window * 1000) / 1000,
      source: 'between-snapshots',
    });
    expect(merged.tables['public.orders'].rates!.writesPerSecond).toBeGreaterThan(8000 / 30);
    expect(merged.tables['public.documents'].rates).toMatchObject({
      writesPerSecond: 0,
      source: 'between-snapshots',
    });
  });
});
