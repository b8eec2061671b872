import type { TruthCase } from './case';
import { ORDERS, setup } from './schemas';

const ORDERS_WITH_VIEW = setup(
  ORDERS,
  "CREATE VIEW open_orders AS SELECT id, customer_id, total FROM orders WHERE status = 'pending';",
);

const ORDERS_WITH_MATVIEW = setup(
  ORDERS,
  `
CREATE MATERIALIZED VIEW customer_totals AS
  SELECT customer_id, sum(total) AS total, count(*) AS orders FROM orders GROUP BY customer_id;
CREATE UNIQUE INDEX customer_totals_customer_id_key ON customer_totals (customer_id);`,
);

/**
 * Views and materialized views. CREATE [OR REPLACE] VIEW reads the base tables' definitions
 * (AccessShareLock); replacing or dropping a view takes AccessExclusiveLock on the view. REFRESH
 * MATERIALIZED VIEW takes AccessExclusiveLock and swaps the heap; CONCURRENTLY takes ExclusiveLock, needs
 * a unique index, and (unlike CREATE INDEX CONCURRENTLY) runs inside a transaction block.
 */
export const VIEW_CASES: TruthCase[] = [
  {
    id: 'view-create',
    title: 'CREATE VIEW over a table',
    setup: ORDERS,
    sql: "CREATE VIEW open_orders AS SELECT id, customer_id, total FROM orders WHERE status = 'pending'",
  },
  {
    id: 'view-create-join',
    title: 'CREATE VIEW joining two tables',
    setup: ORDERS,
    sql:
      'CREATE VIEW order_details AS SELECT o.id, o.total, c.email ' +
      'FROM orders o JOIN customers c ON c.id = o.customer_id',
  },
  {
    id: 'view-create-or-replace-add-column',
    title: 'CREATE OR REPLACE VIEW adding a column at the end',
    setup: ORDERS_WITH_VIEW,
    sql:
      'CREATE OR REPLACE VIEW open_orders AS ' +
      "SELECT id, customer_id, total, created_at FROM orders WHERE status = 'pending'",
  },
  {
    id: 'view-create-or-replace-drop-column',
    title: 'CREATE OR REPLACE VIEW removing a column fails (cannot drop columns from view)',
    setup: ORDERS_WITH_VIEW,
    sql: "CREATE OR REPLACE VIEW open_orders AS SELECT id, customer_id FROM orders WHERE status = 'pending'",
  },
  {
    id: 'view-drop',
    title: 'DROP VIEW',
    setup: ORDERS_WITH_VIEW,
    sql: 'DROP VIEW open_orders',
  },
  {
    id: 'view-drop-if-exists-missing',
    title: 'DROP VIEW IF EXISTS on a missing view: notice only',
    setup: ORDERS,
    sql: 'DROP VIEW IF EXISTS open_orders',
  },
  {
    id: 'view-alter-rename',
    title: 'ALTER VIEW ... RENAME TO',
    setup: ORDERS_WITH_VIEW,
    sql: 'ALTER VIEW open_orders RENAME TO pending_orders',
  },
  {
    id: 'view-alter-set-security-invoker',
    title: 'ALTER VIEW ... SET (security_invoker = true): 15+, unrecognized parameter before',
    setup: ORDERS_WITH_VIEW,
    sql: 'ALTER VIEW open_orders SET (security_invoker = true)',
  },
  {
    id: 'matview-create',
    title: 'CREATE MATERIALIZED VIEW ... AS SELECT: reads the table',
    setup: ORDERS,
    sql:
      'CREATE MATERIALIZED VIEW customer_totals AS ' +
      'SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id',
  },
  {
    id: 'matview-create-with-no-data',
    title: 'CREATE MATERIALIZED VIEW ... WITH NO DATA',
    setup: ORDERS,
    sql:
      'CREATE MATERIALIZED VIEW customer_totals AS ' +
      'SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id WITH NO DATA',
  },
  {
    id: 'matview-refresh',
    title: 'REFRESH MATERIALIZED VIEW: AccessExclusiveLock, new heap',
    setup: ORDERS_WITH_MATVIEW,
    sql: 'REFRESH MATERIALIZED VIEW customer_totals',
  },
  {
    id: 'matview-refresh-concurrently',
    title: 'REFRESH MATERIALIZED VIEW CONCURRENTLY with a unique index: ExclusiveLock',
    setup: ORDERS_WITH_MATVIEW,
    sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals',
  },
  {
    id: 'matview-refresh-concurrently-without-unique-index',
    title: 'REFRESH MATERIALIZED VIEW CONCURRENTLY without a unique index fails',
    setup: setup(
      ORDERS,
      `CREATE MATERIALIZED VIEW customer_totals AS
  SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;`,
    ),
    sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals',
  },
  {
    id: 'matview-refresh-with-no-data',
    title: 'REFRESH MATERIALIZED VIEW ... WITH NO DATA: empties it',
    setup: ORDERS_WITH_MATVIEW,
    sql: 'REFRESH MATERIALIZED VIEW customer_totals WITH NO DATA',
  },
  {
    id: 'matview-create-index',
    title: 'CREATE INDEX on a materialized view',
    setup: ORDERS_WITH_MATVIEW,
    sql: 'CREATE INDEX customer_totals_total_idx ON customer_totals (total)',
  },
  {
    id: 'matview-drop',
    title: 'DROP MATERIALIZED VIEW',
    setup: ORDERS_WITH_MATVIEW,
    sql: 'DROP MATERIALIZED VIEW customer_totals',
  },
  {
    id: 'matview-alter-rename',
    title: 'ALTER MATERIALIZED VIEW ... RENAME TO',
    setup: ORDERS_WITH_MATVIEW,
    sql: 'ALTER MATERIALIZED VIEW customer_totals RENAME TO customer_order_totals',
  },
];

const INVOICE_NUMBERS = `
CREATE SEQUENCE invoice_numbers AS integer START WITH 100;
SELECT nextval('invoice_numbers');
`;

/**
 * Sequences (sequence.c). ALTER SEQUENCE options take ShareRowExclusiveLock on the sequence and most give
 * it a new relfilenode (RESTART, INCREMENT, AS); RENAME takes AccessExclusiveLock; OWNED BY also reads the
 * table. setval()/nextval() are not rolled back. A serial column's sequence cannot be dropped while the
 * column default depends on it.
 */
export const SEQUENCE_CASES: TruthCase[] = [
  {
    id: 'sequence-create',
    title: 'CREATE SEQUENCE',
    setup: ORDERS,
    sql: 'CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 1',
  },
  {
    id: 'sequence-create-as-integer',
    title: 'CREATE SEQUENCE ... AS integer OWNED BY a column',
    setup: ORDERS,
    sql: 'CREATE SEQUENCE order_line_numbers AS integer OWNED BY orders.id',
  },
  {
    id: 'sequence-alter-restart',
    title: 'ALTER SEQUENCE ... RESTART WITH',
    setup: INVOICE_NUMBERS,
    sql: 'ALTER SEQUENCE invoice_numbers RESTART WITH 5000',
  },
  {
    id: 'sequence-alter-increment',
    title: 'ALTER SEQUENCE ... INCREMENT BY',
    setup: INVOICE_NUMBERS,
    sql: 'ALTER SEQUENCE invoice_numbers INCREMENT BY 10',
  },
  {
    id: 'sequence-alter-owned-by',
    title: 'ALTER SEQUENCE ... OWNED BY table.column',
    setup: setup(ORDERS, INVOICE_NUMBERS),
    sql: 'ALTER SEQUENCE invoice_numbers OWNED BY orders.id',
  },
  {
    id: 'sequence-alter-owned-by-none',
    title: 'ALTER SEQUENCE ... OWNED BY NONE on a bigserial sequence',
    setup: ORDERS,
    sql: 'ALTER SEQUENCE orders_id_seq OWNED BY NONE',
  },
  {
    id: 'sequence-alter-as-bigint',
    title: 'ALTER SEQUENCE ... AS bigint',
    setup: INVOICE_NUMBERS,
    sql: 'ALTER SEQUENCE invoice_numbers AS bigint',
  },
  {
    id: 'sequence-alter-rename',
    title: 'ALTER SEQUENCE ... RENAME TO',
    setup: INVOICE_NUMBERS,
    sql: 'ALTER SEQUENCE invoice_numbers RENAME TO invoice_number_seq',
  },
  {
    id: 'sequence-alter-set-unlogged',
    title: 'ALTER SEQUENCE ... SET UNLOGGED: 15+; before, parsed but refused ("is not a table")',
    setup: INVOICE_NUMBERS,
    sql: 'ALTER SEQUENCE invoice_numbers SET UNLOGGED',
  },
  {
    id: 'sequence-drop',
    title: 'DROP SEQUENCE of a free-standing sequence',
    setup: INVOICE_NUMBERS,
    sql: 'DROP SEQUENCE invoice_numbers',
  },
  {
    id: 'sequence-drop-used-by-default',
    title: 'DROP SEQUENCE of a bigserial sequence fails (the column default depends on it)',
    setup: ORDERS,
    sql: 'DROP SEQUENCE orders_id_seq',
  },
  {
    id: 'sequence-setval',
    title: "SELECT setval(...) past the table's maximum id",
    setup: ORDERS,
    sql: "SELECT setval('orders_id_seq', (SELECT max(id) FROM orders) + 1000)",
  },
  {
    id: 'sequence-nextval',
    title: 'SELECT nextval(...)',
    setup: INVOICE_NUMBERS,
    sql: "SELECT nextval('invoice_numbers')",
  },
];

const ORDER_STATUS_ENUM = setup(
  ORDERS,
  "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');",
);

const ORDERS_WITH_ENUM_COLUMN = setup(
  ORDER_STATUS_ENUM,
  `ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::order_status;`,
);

const EMAIL_DOMAIN = `
CREATE DOMAIN email_address AS text;
CREATE TABLE subscribers (id int PRIMARY KEY, email email_address);
INSERT INTO subscribers VALUES (1, 'ann@example.com'), (2, 'bob@example.com'), (3, 'cid@example.com');
`;

/**
 * Enum, composite and domain types (typecmds.c, pg_enum.c). ALTER TYPE ... ADD VALUE refuses to run in a
 * transaction block on 11 (allowed from 12, the new value unusable until commit). Domain constraints
 * added or validated later scan every column of that domain type under ShareLock on its table.
 */
export const TYPE_CASES: TruthCase[] = [
  {
    id: 'type-create-enum',
    title: 'CREATE TYPE ... AS ENUM',
    setup: ORDERS,
    sql: "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled')",
  },
  {
    id: 'type-enum-add-value',
    title: 'ALTER TYPE ... ADD VALUE in a transaction block: refused on 11, allowed 12+',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: "ALTER TYPE order_status ADD VALUE 'refunded'",
  },
  {
    id: 'type-enum-add-value-if-not-exists',
    title: 'ALTER TYPE ... ADD VALUE IF NOT EXISTS of an existing label',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'paid'",
  },
  {
    id: 'type-enum-add-value-before',
    title: 'ALTER TYPE ... ADD VALUE ... BEFORE',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: "ALTER TYPE order_status ADD VALUE 'authorized' BEFORE 'paid'",
  },
  {
    id: 'type-enum-add-value-after',
    title: 'ALTER TYPE ... ADD VALUE ... AFTER',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: "ALTER TYPE order_status ADD VALUE 'delivered' AFTER 'shipped'",
  },
  {
    id: 'type-enum-rename-value',
    title: 'ALTER TYPE ... RENAME VALUE',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: "ALTER TYPE order_status RENAME VALUE 'cancelled' TO 'canceled'",
  },
  {
    id: 'type-rename',
    title: 'ALTER TYPE ... RENAME TO of an enum used by a column',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: 'ALTER TYPE order_status RENAME TO order_state',
  },
  {
    id: 'type-drop',
    title: 'DROP TYPE of an unused enum',
    setup: ORDER_STATUS_ENUM,
    sql: 'DROP TYPE order_status',
  },
  {
    id: 'type-drop-in-use',
    title: 'DROP TYPE of an enum used by a column fails',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: 'DROP TYPE order_status',
  },
  {
    id: 'type-drop-in-use-cascade',
    title: 'DROP TYPE ... CASCADE drops the column that uses it',
    setup: ORDERS_WITH_ENUM_COLUMN,
    sql: 'DROP TYPE order_status CASCADE',
  },
  {
    id: 'type-alter-column-to-enum-using',
    title: 'ALTER COLUMN text -> enum USING status::order_status: rewrite (default dropped first)',
    setup: setup(ORDER_STATUS_ENUM, 'ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;'),
    sql: 'ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::order_status',
  },
  {
    id: 'type-alter-column-to-enum-with-default',
    title: 'ALTER COLUMN text -> enum while a text default exists fails (default cannot be cast)',
    setup: ORDER_STATUS_ENUM,
    sql: 'ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::order_status',
  },
  {
    id: 'type-create-composite',
    title: 'CREATE TYPE ... AS (composite)',
    setup: ORDERS,
    sql: 'CREATE TYPE postal_address AS (street text, city text, zip text)',
  },
  {
    id: 'type-composite-add-attribute',
    title: 'ALTER TYPE ... ADD ATTRIBUTE of an unused composite type',
    setup: 'CREATE TYPE postal_address AS (street text, city text);',
    sql: 'ALTER TYPE postal_address ADD ATTRIBUTE zip text',
  },
  {
    id: 'domain-create',
    title: 'CREATE DOMAIN with a CHECK',
    setup: ORDERS,
    sql: "CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%')",
  },
  {
    id: 'domain-add-check',
    title: 'ALTER DOMAIN ... ADD CONSTRAINT: scans every table using the domain',
    setup: EMAIL_DOMAIN,
    sql: "ALTER DOMAIN email_address ADD CONSTRAINT email_address_check CHECK (VALUE LIKE '%@%')",
  },
  {
    id: 'domain-add-check-not-valid',
    title: 'ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID: no scan',
    setup: EMAIL_DOMAIN,
    sql: "ALTER DOMAIN email_address ADD CONSTRAINT email_address_check CHECK (VALUE LIKE '%@%') NOT VALID",
  },
  {
    id: 'domain-validate-constraint',
    title: 'ALTER DOMAIN ... VALIDATE CONSTRAINT: scans the using tables',
    setup: setup(
      EMAIL_DOMAIN,
      "ALTER DOMAIN email_address ADD CONSTRAINT email_address_check CHECK (VALUE LIKE '%@%') NOT VALID;",
    ),
    sql: 'ALTER DOMAIN email_address VALIDATE CONSTRAINT email_address_check',
  },
  {
    id: 'domain-set-not-null',
    title: 'ALTER DOMAIN ... SET NOT NULL: scans the using tables',
    setup: EMAIL_DOMAIN,
    sql: 'ALTER DOMAIN email_address SET NOT NULL',
  },
  {
    id: 'domain-drop-constraint',
    title: 'ALTER DOMAIN ... DROP CONSTRAINT',
    setup: setup(
      EMAIL_DOMAIN,
      "ALTER DOMAIN email_address ADD CONSTRAINT email_address_check CHECK (VALUE LIKE '%@%');",
    ),
    sql: 'ALTER DOMAIN email_address DROP CONSTRAINT email_address_check',
  },
];
