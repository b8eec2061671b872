/**
 * Known data for the snapshot tests: tables of known size and row count, a TOASTed column, a
 * partitioned table, a materialized view, names that need quotes, a never-analyzed and an empty
 * table. Every text value carries SENTINEL, which must never reach a stats file.
 */
import type { Client } from 'pg';
import type { PgServer } from '../truth/cluster';

export const SENTINEL = 'mg-sentinel-4b1d';

/** Every table the fixture creates, as the snapshot keys them. */
export const FIXTURE_TABLES = [
  'Billing.Invoices',
  'public.documents',
  'public.empty',
  'public.events',
  'public.events_2024',
  'public.events_2025',
  'public.never_analyzed',
  'public.order_totals',
  'public.orders',
].sort();

export async function createKnownData(client: Client): Promise<void> {
  await client.query(`
    CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, note text NOT NULL);
    INSERT INTO orders SELECT g, g % 977, '${SENTINEL}-' || g FROM generate_series(1, 100000) g;
    CREATE INDEX orders_customer_id_idx ON orders (customer_id);

    -- Values far over the TOAST threshold that do not compress: TOAST holds them.
    CREATE TABLE documents (id int PRIMARY KEY, body text);
    INSERT INTO documents
      SELECT g, '${SENTINEL}' || (SELECT string_agg(md5(random()::text || i), '') FROM generate_series(1, 200) i)
        FROM generate_series(1, 50) g;

    CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text) PARTITION BY RANGE (at);
    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE INDEX events_at_idx ON events (at);
    INSERT INTO events SELECT g, DATE '2024-01-01' + (g % 730), '${SENTINEL}' FROM generate_series(1, 20000) g;

    CREATE MATERIALIZED VIEW order_totals AS
      SELECT customer_id, count(*) AS orders FROM orders GROUP BY customer_id;
    CREATE UNIQUE INDEX order_totals_customer_id_idx ON order_totals (customer_id);

    CREATE SCHEMA "Billing";
    CREATE TABLE "Billing"."Invoices" (id int PRIMARY KEY, memo text);
    INSERT INTO "Billing"."Invoices" SELECT g, '${SENTINEL}' FROM generate_series(1, 1000) g;

    CREATE TABLE never_analyzed (id int, memo text);
    INSERT INTO never_analyzed SELECT g, '${SENTINEL}' FROM generate_series(1, 500) g;

    CREATE TABLE empty (id int PRIMARY KEY);
  `);
  // One statement each: a multi-statement query is one transaction, and VACUUM refuses to run in one.
  for (const table of ['orders', 'documents', 'events', 'order_totals', '"Billing"."Invoices"']) {
    await client.query(`${table === 'events' ? 'ANALYZE' : 'VACUUM ANALYZE'} ${table}`);
  }
}

export interface Counters {
  inserts: number;
  updates: number;
  deletes: number;
}

/**
 * Waits until the cumulative statistics show `expected` for `table`: writers report them when
 * their transaction or session ends, and the reader sees them a moment later (PG 11–14 through
 * the statistics collector, PG 15+ from shared memory).
 */
export async function waitForCounters(server: PgServer, table: string, expected: Counters): Promise<void> {
  const client = await server.connect();
  try {
    let seen: Counters | undefined;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      await client.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await client.query(
        `SELECT n_tup_ins::int AS inserts, n_tup_upd::int AS updates, n_tup_del::int AS deletes
           FROM pg_stat_user_tables WHERE relid = $1::regclass`,
        [table],
      );
      seen = rows[0] as Counters;
      if (JSON.stringify(seen) === JSON.stringify(expected)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${table}: counters ${JSON.stringify(seen)}, waited for ${JSON.stringify(expected)}`);
  } finally {
    await client.end();
  }
}

/** A database URL for `user` on the test server. */
export function databaseUrl(
  server: PgServer,
  user = 'postgres',
  password = 'unused',
  database = 'postgres',
): string {
  return `postgres://${user}:${password}@${server.host}:${server.port}/${database}`;
}
