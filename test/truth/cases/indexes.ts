import type { TruthCase } from './case';
import { CUSTOMERS, EVENTS, MEASUREMENTS, ORDERS, setup } from './schemas';

const ORDERS_INDEXED = setup(ORDERS, 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);');

const RESERVATIONS = `
CREATE TABLE reservations (id int PRIMARY KEY, room int NOT NULL, during tsrange NOT NULL);
INSERT INTO reservations VALUES
  (1, 101, '[2024-01-01 10:00, 2024-01-01 11:00)'), (2, 102, '[2024-01-01 10:00, 2024-01-01 12:00)'),
  (3, 101, '[2024-01-02 09:00, 2024-01-02 10:30)');
`;

const MEASUREMENTS_ONLY_INDEX = setup(
  MEASUREMENTS,
  'CREATE INDEX measurements_recorded_on_idx ON ONLY measurements (recorded_on);',
  'CREATE INDEX measurements_2023_recorded_on_idx ON measurements_2023 (recorded_on);',
);

/**
 * Index DDL. CREATE INDEX takes ShareLock on the table (blocks writes); CONCURRENTLY takes
 * ShareUpdateExclusiveLock and refuses to run in a transaction block; on a partitioned table the index
 * is built on every partition (ON ONLY: an invalid parent index, nothing built). DROP INDEX takes
 * AccessExclusiveLock on the index and its table (CONCURRENTLY: ShareUpdateExclusiveLock, no
 * transaction block). REINDEX takes ShareLock on the table and AccessExclusiveLock on the index;
 * REINDEX CONCURRENTLY exists from 12. ALTER INDEX SET (...) takes ShareUpdateExclusiveLock; ALTER INDEX
 * RENAME too from 12 (AccessExclusiveLock on 11).
 */
export const INDEX_CASES: TruthCase[] = [
  {
    id: 'index-create',
    title: 'CREATE INDEX: ShareLock on the table, reads every row',
    setup: ORDERS,
    sql: 'CREATE INDEX orders_customer_id_idx ON orders (customer_id)',
  },
  {
    id: 'index-create-unnamed',
    title: 'CREATE INDEX without a name',
    setup: ORDERS,
    sql: 'CREATE INDEX ON orders (created_at)',
  },
  {
    id: 'index-create-unique',
    title: 'CREATE UNIQUE INDEX',
    setup: CUSTOMERS,
    sql: 'CREATE UNIQUE INDEX customers_email_key ON customers (email)',
  },
  {
    id: 'index-create-unique-duplicates',
    title: 'CREATE UNIQUE INDEX over duplicate values fails',
    setup: ORDERS,
    sql: 'CREATE UNIQUE INDEX orders_customer_id_key ON orders (customer_id)',
  },
  {
    id: 'index-create-concurrently',
    title: 'CREATE INDEX CONCURRENTLY: cannot run inside a transaction block',
    setup: ORDERS,
    sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id)',
  },
  {
    id: 'index-create-unique-concurrently',
    title: 'CREATE UNIQUE INDEX CONCURRENTLY',
    setup: CUSTOMERS,
    sql: 'CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email)',
  },
  {
    id: 'index-create-if-not-exists-existing',
    title: 'CREATE INDEX IF NOT EXISTS when the index exists: notice only',
    setup: ORDERS_INDEXED,
    sql: 'CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)',
  },
  {
    id: 'index-create-concurrently-if-not-exists-existing',
    title: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS when the index exists',
    setup: ORDERS_INDEXED,
    sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)',
  },
  {
    id: 'index-create-partial',
    title: 'CREATE INDEX ... WHERE: partial index',
    setup: ORDERS,
    sql: "CREATE INDEX orders_pending_idx ON orders (created_at) WHERE status = 'pending'",
  },
  {
    id: 'index-create-expression',
    title: 'CREATE UNIQUE INDEX on an expression: lower(email)',
    setup: CUSTOMERS,
    sql: 'CREATE UNIQUE INDEX customers_lower_email_key ON customers (lower(email))',
  },
  {
    id: 'index-create-include',
    title: 'CREATE INDEX ... INCLUDE (covering index, 11+)',
    setup: ORDERS,
    sql: 'CREATE INDEX orders_customer_id_total_idx ON orders (customer_id) INCLUDE (total, status)',
  },
  {
    id: 'index-create-multicolumn-desc',
    title: 'CREATE INDEX on two columns, one DESC NULLS LAST',
    setup: ORDERS,
    sql: 'CREATE INDEX orders_customer_recent_idx ON orders (customer_id, created_at DESC NULLS LAST)',
  },
  {
    id: 'index-create-gin-jsonb',
    title: 'CREATE INDEX USING gin on a jsonb column',
    setup: EVENTS,
    sql: 'CREATE INDEX events_payload_idx ON events USING gin (payload jsonb_path_ops)',
  },
  {
    id: 'index-create-brin',
    title: 'CREATE INDEX USING brin',
    setup: EVENTS,
    sql: 'CREATE INDEX events_occurred_at_brin ON events USING brin (occurred_at)',
  },
  {
    id: 'index-create-hash',
    title: 'CREATE INDEX USING hash',
    setup: CUSTOMERS,
    sql: 'CREATE INDEX customers_email_hash_idx ON customers USING hash (email)',
  },
  {
    id: 'index-create-gist-range',
    title: 'CREATE INDEX USING gist on a tsrange column',
    setup: RESERVATIONS,
    sql: 'CREATE INDEX reservations_during_idx ON reservations USING gist (during)',
  },
  {
    id: 'index-create-nulls-not-distinct',
    title: 'CREATE UNIQUE INDEX ... NULLS NOT DISTINCT: 15+, syntax error before',
    setup: CUSTOMERS,
    sql: 'CREATE UNIQUE INDEX customers_name_key ON customers (name) NULLS NOT DISTINCT',
  },
  {
    id: 'index-create-schema-qualified',
    title: 'CREATE INDEX on a table in another schema',
    setup: `
CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, customer_id int NOT NULL);
INSERT INTO app.orders VALUES (1, 10), (2, 11), (3, 10);`,
    sql: 'CREATE INDEX orders_customer_id_idx ON app.orders (customer_id)',
  },
  {
    id: 'index-create-partitioned',
    title: 'CREATE INDEX on a partitioned table: builds an index on every partition',
    setup: MEASUREMENTS,
    sql: 'CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id)',
  },
  {
    id: 'index-create-on-only-partitioned',
    title: 'CREATE INDEX ON ONLY a partitioned table: an invalid parent index, no partition touched',
    setup: MEASUREMENTS,
    sql: 'CREATE INDEX measurements_sensor_id_idx ON ONLY measurements (sensor_id)',
  },
  {
    id: 'index-create-concurrently-partitioned',
    title: 'CREATE INDEX CONCURRENTLY on a partitioned table',
    setup: MEASUREMENTS,
    sql: 'CREATE INDEX CONCURRENTLY measurements_sensor_id_idx ON measurements (sensor_id)',
  },
  {
    id: 'index-drop',
    title: 'DROP INDEX: AccessExclusiveLock on the index and its table',
    setup: ORDERS_INDEXED,
    sql: 'DROP INDEX orders_customer_id_idx',
  },
  {
    id: 'index-drop-concurrently',
    title: 'DROP INDEX CONCURRENTLY: cannot run inside a transaction block',
    setup: ORDERS_INDEXED,
    sql: 'DROP INDEX CONCURRENTLY orders_customer_id_idx',
  },
  {
    id: 'index-drop-if-exists-missing',
    title: 'DROP INDEX IF EXISTS on a missing index: notice only',
    setup: ORDERS,
    sql: 'DROP INDEX IF EXISTS orders_customer_id_idx',
  },
  {
    id: 'index-drop-backing-constraint',
    title: 'DROP INDEX of a unique constraint index fails (constraint requires it)',
    setup: setup(CUSTOMERS, 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);'),
    sql: 'DROP INDEX customers_email_key',
  },
  {
    id: 'index-drop-partitioned',
    title: 'DROP INDEX of a partitioned index: the partition indexes go too',
    setup: setup(MEASUREMENTS, 'CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);'),
    sql: 'DROP INDEX measurements_sensor_id_idx',
  },
  {
    id: 'index-drop-schema-qualified',
    title: 'DROP INDEX named with its schema',
    setup: `
CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, customer_id int NOT NULL);
CREATE INDEX orders_customer_id_idx ON app.orders (customer_id);
INSERT INTO app.orders VALUES (1, 10), (2, 11), (3, 10);`,
    sql: 'DROP INDEX app.orders_customer_id_idx',
  },
  {
    id: 'index-alter-rename',
    title: 'ALTER INDEX ... RENAME TO',
    setup: ORDERS_INDEXED,
    sql: 'ALTER INDEX orders_customer_id_idx RENAME TO orders_by_customer_idx',
  },
  {
    id: 'index-alter-set-fillfactor',
    title: 'ALTER INDEX ... SET (fillfactor = 80)',
    setup: ORDERS_INDEXED,
    sql: 'ALTER INDEX orders_customer_id_idx SET (fillfactor = 80)',
  },
  {
    id: 'index-alter-reset',
    title: 'ALTER INDEX ... RESET (fillfactor)',
    setup: setup(ORDERS_INDEXED, 'ALTER INDEX orders_customer_id_idx SET (fillfactor = 80);'),
    sql: 'ALTER INDEX orders_customer_id_idx RESET (fillfactor)',
  },
  {
    id: 'index-alter-column-set-statistics',
    title: 'ALTER INDEX ... ALTER COLUMN 1 SET STATISTICS on an expression index',
    setup: setup(CUSTOMERS, 'CREATE INDEX customers_lower_email_idx ON customers (lower(email));'),
    sql: 'ALTER INDEX customers_lower_email_idx ALTER COLUMN 1 SET STATISTICS 1000',
  },
  {
    id: 'index-alter-attach-partition',
    title: 'ALTER INDEX ... ATTACH PARTITION of a partition index to a parent index',
    setup: MEASUREMENTS_ONLY_INDEX,
    sql: 'ALTER INDEX measurements_recorded_on_idx ATTACH PARTITION measurements_2023_recorded_on_idx',
  },
  {
    id: 'index-alter-if-exists-missing',
    title: 'ALTER INDEX IF EXISTS on a missing index: notice only',
    setup: ORDERS,
    sql: 'ALTER INDEX IF EXISTS orders_customer_id_idx RENAME TO orders_by_customer_idx',
  },
  {
    id: 'index-reindex-index',
    title: 'REINDEX INDEX',
    setup: ORDERS_INDEXED,
    sql: 'REINDEX INDEX orders_customer_id_idx',
  },
  {
    id: 'index-reindex-table',
    title: 'REINDEX TABLE: every index of the table',
    setup: ORDERS_INDEXED,
    sql: 'REINDEX TABLE orders',
  },
  {
    id: 'index-reindex-index-concurrently',
    title: 'REINDEX INDEX CONCURRENTLY: 12+ and not in a transaction block; syntax error on 11',
    setup: ORDERS_INDEXED,
    sql: 'REINDEX INDEX CONCURRENTLY orders_customer_id_idx',
  },
  {
    id: 'index-reindex-table-concurrently',
    title: 'REINDEX TABLE CONCURRENTLY: 12+, syntax error on 11',
    setup: ORDERS_INDEXED,
    sql: 'REINDEX TABLE CONCURRENTLY orders',
  },
  {
    id: 'index-reindex-verbose-table',
    title: 'REINDEX (VERBOSE) TABLE',
    setup: ORDERS_INDEXED,
    sql: 'REINDEX (VERBOSE) TABLE orders',
  },
  {
    id: 'index-reindex-table-partitioned',
    title:
      'REINDEX TABLE on a partitioned table: skipped with a warning before 14, no transaction block on 14+',
    setup: setup(MEASUREMENTS, 'CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);'),
    sql: 'REINDEX TABLE measurements',
  },
  {
    id: 'index-reindex-schema',
    title: 'REINDEX SCHEMA: cannot run inside a transaction block',
    setup: `
CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, customer_id int NOT NULL);
INSERT INTO app.orders VALUES (1, 10), (2, 11), (3, 10);`,
    sql: 'REINDEX SCHEMA app',
  },
];
