import type { TruthCase } from './case';
import { CUSTOMERS, MEASUREMENTS, ORDERS, ORDERS_WITH_FK, setup } from './schemas';

const ORDERS_AND_ARCHIVE = setup(ORDERS, 'CREATE TABLE orders_archive (LIKE orders INCLUDING DEFAULTS);');

/**
 * DML in migrations: UPDATE/DELETE/INSERT take RowExclusiveLock on the target (and row locks);
 * plain SELECT AccessShareLock; SELECT ... FOR UPDATE RowShareLock. Foreign-key checks lock the other
 * table (RowShareLock via SELECT ... FOR KEY SHARE). Backfills scan the whole table.
 */
export const DATA_CASES: TruthCase[] = [
  {
    id: 'data-update-backfill-all',
    title: 'UPDATE every row (backfill)',
    setup: ORDERS,
    sql: "UPDATE orders SET note = coalesce(note, '')",
  },
  {
    id: 'data-update-batch',
    title: 'UPDATE ... WHERE id BETWEEN (one batch of a backfill)',
    setup: ORDERS,
    sql: "UPDATE orders SET note = 'migrated' WHERE id BETWEEN 1 AND 3",
  },
  {
    id: 'data-update-from-join',
    title: 'UPDATE ... FROM another table',
    setup: ORDERS,
    sql: 'UPDATE orders o SET note = c.email FROM customers c WHERE c.id = o.customer_id',
  },
  {
    id: 'data-update-foreign-key-column',
    title: 'UPDATE of a foreign key column: the referenced table is checked',
    setup: ORDERS_WITH_FK,
    sql: 'UPDATE orders SET customer_id = 2 WHERE customer_id = 1',
  },
  {
    id: 'data-update-partition-key',
    title: 'UPDATE moving a row to another partition',
    setup: MEASUREMENTS,
    sql: "UPDATE measurements SET recorded_on = '2024-03-01' WHERE recorded_on = '2023-03-01'",
  },
  {
    id: 'data-delete-where',
    title: 'DELETE ... WHERE',
    setup: ORDERS,
    sql: "DELETE FROM orders WHERE status = 'cancelled'",
  },
  {
    id: 'data-delete-referenced-row',
    title: 'DELETE from a referenced table: the foreign key check reads the referencing table',
    setup: setup(ORDERS_WITH_FK, "INSERT INTO customers (id, email) VALUES (6, 'fay@example.com');"),
    sql: 'DELETE FROM customers WHERE id = 6',
  },
  {
    id: 'data-insert-values',
    title: 'INSERT ... VALUES',
    setup: CUSTOMERS,
    sql:
      'INSERT INTO customers (id, email, name) ' +
      "VALUES (6, 'fay@example.com', 'Fay'), (7, 'gus@example.com', 'Gus')",
  },
  {
    id: 'data-insert-referencing-row',
    title: 'INSERT into a table with a foreign key: the referenced table is checked',
    setup: ORDERS_WITH_FK,
    sql: 'INSERT INTO orders (customer_id, total) VALUES (2, 15.00)',
  },
  {
    id: 'data-insert-select',
    title: 'INSERT ... SELECT from another table',
    setup: ORDERS_AND_ARCHIVE,
    sql: "INSERT INTO orders_archive SELECT * FROM orders WHERE status = 'cancelled'",
  },
  {
    id: 'data-insert-on-conflict-do-nothing',
    title: 'INSERT ... ON CONFLICT DO NOTHING',
    setup: CUSTOMERS,
    sql:
      "INSERT INTO customers (id, email) VALUES (1, 'ann@example.com'), (8, 'hal@example.com') " +
      'ON CONFLICT DO NOTHING',
  },
  {
    id: 'data-insert-on-conflict-do-update',
    title: 'INSERT ... ON CONFLICT (id) DO UPDATE',
    setup: CUSTOMERS,
    sql:
      "INSERT INTO customers (id, email) VALUES (1, 'ann@example.org') " +
      'ON CONFLICT (id) DO UPDATE SET email = excluded.email',
  },
  {
    id: 'data-cte-move-rows',
    title: 'WITH ... DELETE ... RETURNING feeding an INSERT (move rows to an archive)',
    setup: ORDERS_AND_ARCHIVE,
    sql:
      "WITH moved AS (DELETE FROM orders WHERE status = 'cancelled' RETURNING *) " +
      'INSERT INTO orders_archive SELECT * FROM moved',
  },
  {
    id: 'data-merge',
    title: 'MERGE INTO ... USING: 15+, syntax error before',
    setup: ORDERS_AND_ARCHIVE,
    sql:
      'MERGE INTO orders_archive a USING orders o ON a.id = o.id ' +
      'WHEN MATCHED THEN UPDATE SET status = o.status ' +
      'WHEN NOT MATCHED THEN INSERT (id, customer_id, status, total, note, created_at) ' +
      'VALUES (o.id, o.customer_id, o.status, o.total, o.note, o.created_at)',
  },
  {
    id: 'data-select-count',
    title: 'SELECT count(*): AccessShareLock, sequential scan',
    setup: ORDERS,
    sql: 'SELECT count(*) FROM orders',
  },
  {
    id: 'data-select-for-update',
    title: 'SELECT ... FOR UPDATE: RowShareLock',
    setup: ORDERS,
    sql: "SELECT id FROM orders WHERE status = 'pending' FOR UPDATE",
  },
];

/**
 * Functions, DO blocks, schemas, extensions and session settings. A LANGUAGE sql body is parsed and
 * analysed at creation (check_function_bodies), locking the tables it mentions as the query would
 * (AccessShareLock for a SELECT, RowExclusiveLock for a DELETE); a PL/pgSQL body is not. A DO block's
 * statements take their own locks; SET only changes settings.
 */
export const FUNCTION_SESSION_CASES: TruthCase[] = [
  {
    id: 'function-create-sql',
    title: 'CREATE FUNCTION in SQL reading a table',
    setup: ORDERS,
    sql:
      'CREATE FUNCTION customer_total(p_customer_id int) RETURNS numeric LANGUAGE sql STABLE AS ' +
      "'SELECT coalesce(sum(total), 0) FROM orders WHERE customer_id = p_customer_id'",
  },
  {
    id: 'function-create-plpgsql',
    title: 'CREATE FUNCTION in PL/pgSQL',
    setup: ORDERS,
    sql: `CREATE FUNCTION cancel_order(p_id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE orders SET status = 'cancelled' WHERE id = p_id;
END
$$`,
  },
  {
    id: 'function-create-or-replace',
    title: 'CREATE OR REPLACE FUNCTION over an existing function',
    setup: setup(
      ORDERS,
      "CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM orders';",
    ),
    sql:
      'CREATE OR REPLACE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE ' +
      "AS 'SELECT count(*) FROM orders'",
  },
  {
    id: 'function-drop',
    title: 'DROP FUNCTION',
    setup: setup(
      ORDERS,
      "CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM orders';",
    ),
    sql: 'DROP FUNCTION order_count()',
  },
  {
    id: 'function-create-procedure',
    title: 'CREATE PROCEDURE (11+)',
    setup: ORDERS,
    sql:
      'CREATE PROCEDURE purge_cancelled() LANGUAGE sql ' +
      "AS $$ DELETE FROM orders WHERE status = 'cancelled' $$",
  },
  {
    id: 'function-call-procedure',
    title: 'CALL a procedure that deletes rows',
    setup: setup(
      ORDERS,
      `CREATE PROCEDURE purge_cancelled() LANGUAGE sql AS
  $$ DELETE FROM orders WHERE status = 'cancelled' $$;`,
    ),
    sql: 'CALL purge_cancelled()',
  },
  {
    id: 'function-do-alter-table',
    title: 'DO block running ALTER TABLE: the server takes the ALTER TABLE lock',
    setup: ORDERS,
    sql: `DO $$
BEGIN
  ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
END
$$`,
  },
  {
    id: 'function-do-dynamic-index',
    title: 'DO block running a dynamic CREATE INDEX through EXECUTE',
    setup: ORDERS,
    sql: `DO $$
BEGIN
  EXECUTE format('CREATE INDEX %I ON orders (customer_id)', 'orders_customer_id_idx');
END
$$`,
  },
  {
    id: 'schema-create',
    title: 'CREATE SCHEMA',
    setup: ORDERS,
    sql: 'CREATE SCHEMA billing',
  },
  {
    id: 'schema-create-if-not-exists-existing',
    title: 'CREATE SCHEMA IF NOT EXISTS public: notice only',
    setup: ORDERS,
    sql: 'CREATE SCHEMA IF NOT EXISTS public',
  },
  {
    id: 'schema-alter-rename',
    title: 'ALTER SCHEMA ... RENAME TO with a table inside',
    setup: `
CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL);
INSERT INTO app.orders VALUES (1, 5.00), (2, 6.50), (3, 7.25);`,
    sql: 'ALTER SCHEMA app RENAME TO shop',
  },
  {
    id: 'schema-drop-cascade',
    title: 'DROP SCHEMA ... CASCADE with a table inside',
    setup: `
CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL);
INSERT INTO app.orders VALUES (1, 5.00), (2, 6.50), (3, 7.25);`,
    sql: 'DROP SCHEMA app CASCADE',
  },
  {
    id: 'extension-create-plpgsql-if-not-exists',
    title: 'CREATE EXTENSION IF NOT EXISTS plpgsql: already installed, a no-op',
    setup: ORDERS,
    sql: 'CREATE EXTENSION IF NOT EXISTS plpgsql',
  },
  {
    id: 'session-set-lock-timeout',
    title: "SET lock_timeout = '5s'",
    setup: ORDERS,
    sql: "SET lock_timeout = '5s'",
  },
  {
    id: 'session-set-statement-timeout',
    title: "SET statement_timeout = '15min'",
    setup: ORDERS,
    sql: "SET statement_timeout = '15min'",
  },
  {
    id: 'session-set-local-lock-timeout',
    title: 'SET LOCAL lock_timeout',
    setup: ORDERS,
    sql: "SET LOCAL lock_timeout = '2s'",
  },
  {
    id: 'session-set-search-path',
    title: 'SET search_path',
    setup: ORDERS,
    sql: 'SET search_path TO public',
  },
];
