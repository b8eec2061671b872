import type { TruthCase } from './case';
import { CUSTOMERS, MEASUREMENTS, ORDERS, setup } from './schemas';

const COUPONS = `
CREATE TABLE coupons (code varchar(10) PRIMARY KEY, pct int NOT NULL);
INSERT INTO coupons VALUES ('A', 10), ('B', 20);
CREATE TABLE redemptions (id int PRIMARY KEY, code varchar(10) REFERENCES coupons (code), at timestamp NOT NULL);
INSERT INTO redemptions VALUES (1, 'A', '2024-01-01'), (2, 'B', '2024-01-02');
CREATE INDEX redemptions_at_idx ON redemptions (at);
`;

/**
 * Facts found while writing rules and reviewing the corpus: each case once disagreed with the model
 * or had no case at all. A partitioned index is reindexed one partition at a time from 14 (and is an
 * error before); a foreign key to the table being created locks nothing else; PostgreSQL names an
 * expression index after the function it calls (FigureIndexColname); a second primary key fails.
 */
export const REGRESSION_CASES: TruthCase[] = [
  {
    id: 'regression-reindex-partitioned-index',
    title:
      'REINDEX INDEX of a partitioned index: error before 14, per-partition outside a transaction from 14',
    setup: setup(MEASUREMENTS, 'CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);'),
    sql: 'REINDEX INDEX measurements_sensor_id_idx',
  },
  {
    id: 'regression-create-table-self-reference',
    title: 'CREATE TABLE with a foreign key to itself locks no other relation',
    setup: CUSTOMERS,
    sql: 'CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories (id))',
  },
  {
    id: 'regression-expression-index-name',
    title: 'an unnamed expression index is named after its function: customers_lower_idx',
    setup: setup(CUSTOMERS, 'CREATE INDEX ON customers (lower(email));'),
    sql: 'DROP INDEX customers_lower_idx',
  },
  {
    id: 'regression-second-primary-key',
    title: 'a second primary key fails',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD PRIMARY KEY (status)',
  },
  {
    id: 'regression-binary-coercible-fk-column-no-revalidation',
    title: 'widening a referenced varchar key: the foreign key is re-created without re-reading either table',
    setup: COUPONS,
    sql: 'ALTER TABLE coupons ALTER COLUMN code TYPE varchar(20)',
  },
  {
    id: 'regression-timestamp-to-timestamptz-indexed-utc',
    title: 'timestamp -> timestamptz under UTC: no table rewrite, but the index on the column is rebuilt',
    minMajor: 12,
    setup: COUPONS,
    sql: 'ALTER TABLE redemptions ALTER COLUMN at TYPE timestamptz',
  },
  {
    id: 'regression-varchar-to-text-indexed',
    title: 'varchar -> text on an indexed column: index reused (same operator class), nothing read',
    setup: setup(COUPONS, 'CREATE INDEX redemptions_code_idx ON redemptions (code);'),
    sql: 'ALTER TABLE redemptions ALTER COLUMN code TYPE text',
  },
  {
    id: 'regression-add-not-null-column-partitioned',
    title: 'ADD COLUMN NOT NULL without default on a partitioned table checks every partition',
    setup: setup(MEASUREMENTS, 'DELETE FROM measurements;'),
    sql: 'ALTER TABLE measurements ADD COLUMN unit_code int NOT NULL',
  },
  {
    id: 'regression-add-column-if-not-exists-existing',
    title: 'ADD COLUMN IF NOT EXISTS of a column that exists does nothing',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS id bigserial',
  },
  {
    id: 'regression-vacuum-full-false',
    title: 'VACUUM (FULL false) is a plain VACUUM',
    setup: ORDERS,
    sql: 'VACUUM (FULL false) orders',
  },
  {
    id: 'regression-set-not-null-check-with-and',
    title: 'SET NOT NULL uses a valid CHECK whose conjunct is col IS NOT NULL (PG 12+)',
    setup: setup(
      ORDERS,
      'ALTER TABLE orders ADD COLUMN score int DEFAULT 1;',
      'ALTER TABLE orders ADD CONSTRAINT orders_score_check CHECK (score IS NOT NULL AND score >= 0);',
    ),
    sql: 'ALTER TABLE orders ALTER COLUMN score SET NOT NULL',
  },
  {
    id: 'regression-validate-not-null-then-set',
    title: 'PG 18: a validated NOT NULL constraint makes the column NOT NULL',
    minMajor: 18,
    setup: setup(
      ORDERS,
      'ALTER TABLE orders ADD COLUMN score int DEFAULT 1;',
      'ALTER TABLE orders ADD CONSTRAINT orders_score_not_null NOT NULL score NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_score_not_null;',
    ),
    sql: 'ALTER TABLE orders ALTER COLUMN score SET NOT NULL',
  },
  {
    id: 'regression-timestamptz-referenced-key-revalidated',
    title:
      'timestamp -> timestamptz of a referenced key under UTC: new equality operator, the foreign key is validated again',
    minMajor: 12,
    setup: `
CREATE TABLE slots (starts_at timestamp PRIMARY KEY);
INSERT INTO slots VALUES ('2024-01-01 10:00'), ('2024-01-01 11:00');
CREATE TABLE bookings (id int PRIMARY KEY, slot_starts_at timestamp REFERENCES slots (starts_at));
INSERT INTO bookings VALUES (1, '2024-01-01 10:00');
`,
    sql: 'ALTER TABLE slots ALTER COLUMN starts_at TYPE timestamptz',
  },
];
