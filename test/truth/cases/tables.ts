import type { TruthCase } from './case';
import { CUSTOMERS, MEASUREMENTS, ORDERS, ORDERS_WITH_FK, SET_UPDATED_AT_FUNCTION, setup } from './schemas';

const ORDERS_WITH_TRIGGER = setup(
  ORDERS,
  'ALTER TABLE orders ADD COLUMN updated_at timestamptz;',
  SET_UPDATED_AT_FUNCTION,
  `CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE PROCEDURE set_updated_at();`,
);

/** Plain inheritance: a parent and a table with the same columns (plus one) that is not yet a child. */
const AUDIT_LOG = `
CREATE TABLE audit_log (id int NOT NULL, logged_at timestamptz NOT NULL, message text);
CREATE TABLE audit_log_2024 (id int NOT NULL, logged_at timestamptz NOT NULL, message text, archived boolean);
INSERT INTO audit_log VALUES (1, '2023-12-31 23:00+00', 'boot');
INSERT INTO audit_log_2024 VALUES
  (2, '2024-01-01 00:00+00', 'login', false), (3, '2024-01-02 00:00+00', 'logout', true);
`;

/**
 * Table-level ALTER TABLE subcommands (AlterTableGetLockLevel in tablecmds.c): storage parameters
 * (fillfactor, autovacuum_*, parallel_workers: AlterTableGetRelOptionsLockLevel) ShareUpdateExclusiveLock;
 * ENABLE/DISABLE TRIGGER ShareRowExclusiveLock; CLUSTER ON / SET WITHOUT CLUSTER ShareUpdateExclusiveLock;
 * RLS, REPLICA IDENTITY, SET LOGGED/UNLOGGED (rewrite; owned sequences follow from 15), SET ACCESS METHOD,
 * OWNER TO, RENAME, SET SCHEMA: AccessExclusiveLock. INHERIT locks the new parent too
 * (ShareUpdateExclusiveLock).
 */
export const ALTER_TABLE_CASES: TruthCase[] = [
  {
    id: 'alter-table-rename',
    title: 'RENAME TO: AccessExclusiveLock, its sequence and indexes keep their names',
    setup: ORDERS,
    sql: 'ALTER TABLE orders RENAME TO purchase_orders',
  },
  {
    id: 'alter-table-set-schema',
    title: 'SET SCHEMA: moves the table with its indexes and owned sequence',
    setup: setup(ORDERS, 'CREATE SCHEMA archive;'),
    sql: 'ALTER TABLE orders SET SCHEMA archive',
  },
  {
    id: 'alter-table-set-fillfactor',
    title: 'SET (fillfactor = 70): ShareUpdateExclusiveLock, no rewrite',
    setup: ORDERS,
    sql: 'ALTER TABLE orders SET (fillfactor = 70)',
  },
  {
    id: 'alter-table-set-autovacuum-disabled',
    title: 'SET (autovacuum_enabled = false)',
    setup: ORDERS,
    sql: 'ALTER TABLE orders SET (autovacuum_enabled = false)',
  },
  {
    id: 'alter-table-set-toast-option',
    title: 'SET (toast.autovacuum_enabled = false): option on the TOAST table',
    setup: ORDERS,
    sql: 'ALTER TABLE orders SET (toast.autovacuum_enabled = false)',
  },
  {
    id: 'alter-table-set-parallel-workers',
    title: 'SET (parallel_workers = 4): a planner option, ShareUpdateExclusiveLock like the vacuum options',
    setup: ORDERS,
    sql: 'ALTER TABLE orders SET (parallel_workers = 4)',
  },
  {
    id: 'alter-table-reset-options',
    title: 'RESET (fillfactor, autovacuum_enabled)',
    setup: setup(ORDERS, 'ALTER TABLE orders SET (fillfactor = 70, autovacuum_enabled = false);'),
    sql: 'ALTER TABLE orders RESET (fillfactor, autovacuum_enabled)',
  },
  {
    id: 'alter-table-set-logged',
    title: 'SET LOGGED on an unlogged table: rewrite',
    setup: `
CREATE UNLOGGED TABLE import_rows (id int PRIMARY KEY, raw text NOT NULL);
INSERT INTO import_rows VALUES (1, 'a'), (2, 'b'), (3, 'c');`,
    sql: 'ALTER TABLE import_rows SET LOGGED',
  },
  {
    id: 'alter-table-set-unlogged',
    title: 'SET UNLOGGED on a logged table: rewrite',
    setup: ORDERS,
    sql: 'ALTER TABLE orders SET UNLOGGED',
  },
  {
    id: 'alter-table-disable-trigger',
    title: 'DISABLE TRIGGER name: ShareRowExclusiveLock',
    setup: ORDERS_WITH_TRIGGER,
    sql: 'ALTER TABLE orders DISABLE TRIGGER orders_set_updated_at',
  },
  {
    id: 'alter-table-enable-trigger',
    title: 'ENABLE TRIGGER name',
    setup: setup(ORDERS_WITH_TRIGGER, 'ALTER TABLE orders DISABLE TRIGGER orders_set_updated_at;'),
    sql: 'ALTER TABLE orders ENABLE TRIGGER orders_set_updated_at',
  },
  {
    id: 'alter-table-disable-trigger-all',
    title: 'DISABLE TRIGGER ALL: includes the internal foreign key triggers',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE orders DISABLE TRIGGER ALL',
  },
  {
    id: 'alter-table-enable-replica-trigger',
    title: 'ENABLE REPLICA TRIGGER',
    setup: ORDERS_WITH_TRIGGER,
    sql: 'ALTER TABLE orders ENABLE REPLICA TRIGGER orders_set_updated_at',
  },
  {
    id: 'alter-table-enable-row-level-security',
    title: 'ENABLE ROW LEVEL SECURITY',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY',
  },
  {
    id: 'alter-table-disable-row-level-security',
    title: 'DISABLE ROW LEVEL SECURITY',
    setup: setup(ORDERS, 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY;'),
    sql: 'ALTER TABLE orders DISABLE ROW LEVEL SECURITY',
  },
  {
    id: 'alter-table-force-row-level-security',
    title: 'FORCE ROW LEVEL SECURITY',
    setup: setup(ORDERS, 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY;'),
    sql: 'ALTER TABLE orders FORCE ROW LEVEL SECURITY',
  },
  {
    id: 'alter-table-replica-identity-full',
    title: 'REPLICA IDENTITY FULL',
    setup: ORDERS,
    sql: 'ALTER TABLE orders REPLICA IDENTITY FULL',
  },
  {
    id: 'alter-table-replica-identity-using-index',
    title: 'REPLICA IDENTITY USING INDEX of a unique index on NOT NULL columns',
    setup: setup(CUSTOMERS, 'CREATE UNIQUE INDEX customers_email_idx ON customers (email);'),
    sql: 'ALTER TABLE customers REPLICA IDENTITY USING INDEX customers_email_idx',
  },
  {
    id: 'alter-table-cluster-on',
    title: 'CLUSTER ON index: marks the index, no data movement',
    setup: ORDERS,
    sql: 'ALTER TABLE orders CLUSTER ON orders_pkey',
  },
  {
    id: 'alter-table-set-without-cluster',
    title: 'SET WITHOUT CLUSTER',
    setup: setup(ORDERS, 'ALTER TABLE orders CLUSTER ON orders_pkey;'),
    sql: 'ALTER TABLE orders SET WITHOUT CLUSTER',
  },
  {
    id: 'alter-table-set-access-method-heap',
    title: 'SET ACCESS METHOD heap on a heap table: 15+, a no-op without rewrite; syntax error before',
    setup: ORDERS,
    sql: 'ALTER TABLE orders SET ACCESS METHOD heap',
  },
  {
    id: 'alter-table-set-without-oids',
    title: 'SET WITHOUT OIDS on a table without OIDs: accepted as a no-op',
    setup: ORDERS,
    sql: 'ALTER TABLE orders SET WITHOUT OIDS',
  },
  {
    id: 'alter-table-owner-to-current-user',
    title: 'OWNER TO CURRENT_USER (already the owner)',
    setup: ORDERS,
    sql: 'ALTER TABLE orders OWNER TO CURRENT_USER',
  },
  {
    id: 'alter-table-owner-to-postgres',
    title: 'OWNER TO postgres (the superuser the harness connects as)',
    setup: ORDERS,
    sql: 'ALTER TABLE orders OWNER TO postgres',
  },
  {
    id: 'alter-table-inherit',
    title: 'INHERIT parent: locks the parent as well',
    setup: AUDIT_LOG,
    sql: 'ALTER TABLE audit_log_2024 INHERIT audit_log',
  },
  {
    id: 'alter-table-no-inherit',
    title: 'NO INHERIT parent',
    setup: setup(AUDIT_LOG, 'ALTER TABLE audit_log_2024 INHERIT audit_log;'),
    sql: 'ALTER TABLE audit_log_2024 NO INHERIT audit_log',
  },
  {
    id: 'alter-table-only-add-column-inheritance-parent',
    title: 'ALTER TABLE ONLY parent ADD COLUMN with a child fails (must be added to child tables too)',
    setup: setup(AUDIT_LOG, 'ALTER TABLE audit_log_2024 INHERIT audit_log;'),
    sql: 'ALTER TABLE ONLY audit_log ADD COLUMN source text',
  },
  {
    id: 'alter-table-only-set-default',
    title: 'ALTER TABLE ONLY parent ALTER COLUMN SET DEFAULT: the child is not changed',
    setup: setup(AUDIT_LOG, 'ALTER TABLE audit_log_2024 INHERIT audit_log;'),
    sql: "ALTER TABLE ONLY audit_log ALTER COLUMN message SET DEFAULT ''",
  },
  {
    id: 'alter-table-if-exists-missing',
    title: 'ALTER TABLE IF EXISTS on a missing table: notice, no lock',
    setup: ORDERS,
    sql: 'ALTER TABLE IF EXISTS order_items ADD COLUMN note text',
  },
  {
    id: 'alter-table-missing',
    title: 'ALTER TABLE on a missing table without IF EXISTS fails',
    setup: ORDERS,
    sql: 'ALTER TABLE order_items ADD COLUMN note text',
  },
  {
    id: 'alter-table-mixed-subcommands',
    title: 'Several subcommands of different lock levels: the strongest wins',
    setup: ORDERS,
    sql:
      "ALTER TABLE orders SET (fillfactor = 80), ALTER COLUMN status SET DEFAULT 'new', " +
      'ADD COLUMN paid_at timestamptz',
  },
];

/**
 * CREATE TABLE / DROP TABLE. Creating a table with REFERENCES takes ShareRowExclusiveLock on the
 * referenced table; CREATE TABLE ... AS / LIKE read the source (AccessShareLock); INHERITS takes
 * ShareUpdateExclusiveLock on the parent; PARTITION OF AccessExclusiveLock on the parent (and scans a
 * default partition). DROP TABLE takes AccessExclusiveLock on the table, and on tables it has foreign
 * keys to or from (their triggers are dropped).
 */
export const CREATE_DROP_TABLE_CASES: TruthCase[] = [
  {
    id: 'create-table-plain',
    title: 'CREATE TABLE with a bigint identity primary key',
    setup: CUSTOMERS,
    sql:
      'CREATE TABLE coupons (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ' +
      'code text NOT NULL UNIQUE)',
  },
  {
    id: 'create-table-references',
    title: 'CREATE TABLE with REFERENCES: locks the referenced table',
    setup: CUSTOMERS,
    sql:
      'CREATE TABLE addresses (id serial PRIMARY KEY, ' +
      'customer_id int NOT NULL REFERENCES customers (id) ON DELETE CASCADE, line1 text NOT NULL)',
  },
  {
    id: 'create-table-like-including-all',
    title: 'CREATE TABLE ... (LIKE orders INCLUDING ALL): copies defaults, constraints, indexes',
    setup: setup(ORDERS, 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);'),
    sql: 'CREATE TABLE orders_archive (LIKE orders INCLUDING ALL)',
  },
  {
    id: 'create-table-as-select',
    title: 'CREATE TABLE ... AS SELECT from an existing table',
    setup: ORDERS,
    sql: "CREATE TABLE cancelled_orders AS SELECT * FROM orders WHERE status = 'cancelled'",
  },
  {
    id: 'create-table-as-select-with-no-data',
    title: 'CREATE TABLE ... AS SELECT ... WITH NO DATA',
    setup: ORDERS,
    sql: 'CREATE TABLE orders_shape AS SELECT * FROM orders WITH NO DATA',
  },
  {
    id: 'create-table-select-into',
    title: 'SELECT ... INTO a new table',
    setup: ORDERS,
    sql: "SELECT id, total INTO paid_orders FROM orders WHERE status = 'paid'",
  },
  {
    id: 'create-table-partition-of',
    title: 'CREATE TABLE ... PARTITION OF an existing partitioned table',
    setup: MEASUREMENTS,
    sql:
      'CREATE TABLE measurements_2025 PARTITION OF measurements ' +
      "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
  },
  {
    id: 'create-table-partition-of-with-default',
    title: 'CREATE TABLE ... PARTITION OF while a default partition exists: the default is scanned',
    setup: setup(
      MEASUREMENTS,
      `
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
INSERT INTO measurements VALUES (9, '2022-06-01', 1.00, 'C'), (9, '2030-01-01', 2.00, 'C');`,
    ),
    sql:
      'CREATE TABLE measurements_2025 PARTITION OF measurements ' +
      "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
  },
  {
    id: 'create-table-inherits',
    title: 'CREATE TABLE ... INHERITS: locks the parent',
    setup: `
CREATE TABLE audit_log (id int NOT NULL, logged_at timestamptz NOT NULL, message text);
INSERT INTO audit_log VALUES (1, '2024-01-01 00:00+00', 'boot'), (2, '2024-01-02 00:00+00', 'login');`,
    sql: 'CREATE TABLE audit_log_2025 (archived boolean) INHERITS (audit_log)',
  },
  {
    id: 'create-table-partitioned',
    title: 'CREATE TABLE ... PARTITION BY LIST',
    setup: CUSTOMERS,
    sql: 'CREATE TABLE tenants (id int NOT NULL, region text NOT NULL, name text) PARTITION BY LIST (region)',
  },
  {
    id: 'create-table-if-not-exists-existing',
    title: 'CREATE TABLE IF NOT EXISTS on an existing table: notice only',
    setup: CUSTOMERS,
    sql: 'CREATE TABLE IF NOT EXISTS customers (id int PRIMARY KEY)',
  },
  {
    id: 'create-table-unlogged',
    title: 'CREATE UNLOGGED TABLE',
    setup: CUSTOMERS,
    sql: 'CREATE UNLOGGED TABLE import_staging (line int NOT NULL, raw text)',
  },
  {
    id: 'create-table-generated-stored',
    title: 'CREATE TABLE with a stored generated column: 12+, syntax error on 11',
    setup: CUSTOMERS,
    sql:
      'CREATE TABLE line_items (qty int NOT NULL, unit_price numeric(10,2) NOT NULL, ' +
      'amount numeric GENERATED ALWAYS AS (qty * unit_price) STORED)',
  },
  {
    id: 'create-table-schema-qualified',
    title: 'CREATE TABLE in another schema, referencing a table there',
    setup: `
CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL);
INSERT INTO app.orders VALUES (1, 5.00), (2, 6.50), (3, 7.25);`,
    sql:
      'CREATE TABLE app.invoices (id bigserial PRIMARY KEY, ' +
      'order_id bigint NOT NULL REFERENCES app.orders (id))',
  },
  {
    id: 'create-table-temporary',
    title: 'CREATE TEMPORARY TABLE',
    setup: CUSTOMERS,
    sql: 'CREATE TEMPORARY TABLE batch_ids (id bigint PRIMARY KEY)',
  },
  {
    id: 'drop-table-plain',
    title: 'DROP TABLE of an unreferenced table',
    setup: CUSTOMERS,
    sql: 'DROP TABLE customers',
  },
  {
    id: 'drop-table-with-foreign-key',
    title: 'DROP TABLE that has a foreign key to another table: the referenced table is locked too',
    setup: ORDERS_WITH_FK,
    sql: 'DROP TABLE orders',
  },
  {
    id: 'drop-table-referenced',
    title: 'DROP TABLE referenced by a foreign key fails without CASCADE',
    setup: ORDERS_WITH_FK,
    sql: 'DROP TABLE customers',
  },
  {
    id: 'drop-table-referenced-cascade',
    title: 'DROP TABLE ... CASCADE drops the foreign key on the referencing table',
    setup: ORDERS_WITH_FK,
    sql: 'DROP TABLE customers CASCADE',
  },
  {
    id: 'drop-table-with-indexes-and-sequence',
    title: 'DROP TABLE with secondary indexes and an owned bigserial sequence',
    setup: setup(
      ORDERS,
      'CREATE INDEX orders_customer_id_idx ON orders (customer_id);',
      'CREATE INDEX orders_created_at_idx ON orders (created_at);',
    ),
    sql: 'DROP TABLE orders',
  },
  {
    id: 'drop-table-if-exists-missing',
    title: 'DROP TABLE IF EXISTS on a missing table: notice only',
    setup: CUSTOMERS,
    sql: 'DROP TABLE IF EXISTS order_items',
  },
  {
    id: 'drop-table-two-tables',
    title: 'DROP TABLE of two tables at once, one referencing the other',
    setup: ORDERS_WITH_FK,
    sql: 'DROP TABLE orders, customers',
  },
  {
    id: 'drop-table-used-by-view-cascade',
    title: 'DROP TABLE ... CASCADE that also drops a view',
    setup: setup(ORDERS, "CREATE VIEW open_orders AS SELECT * FROM orders WHERE status = 'pending';"),
    sql: 'DROP TABLE orders CASCADE',
  },
  {
    id: 'drop-table-source-of-create-table-as',
    title: 'DROP TABLE of the table a CREATE TABLE AS read: the copy keeps no dependency, the DROP succeeds',
    setup: setup(ORDERS, "CREATE TABLE cancelled_orders AS SELECT * FROM orders WHERE status = 'cancelled';"),
    sql: 'DROP TABLE orders',
  },
  {
    id: 'drop-table-source-of-select-into',
    title: 'DROP TABLE of the table a SELECT INTO read: no dependency either',
    setup: setup(ORDERS, 'SELECT id, total INTO order_totals FROM orders;'),
    sql: 'DROP TABLE orders',
  },
  {
    id: 'drop-table-used-by-matview',
    title: 'DROP TABLE read by a materialized view fails without CASCADE (it keeps its query)',
    setup: setup(
      ORDERS,
      'CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;',
    ),
    sql: 'DROP TABLE orders',
  },
];
