import type { TruthCase } from './case';
import { MEASUREMENTS, ORDERS_WITH_FK, setup } from './schemas';

/** products: one column per type-change scenario, an index on sku, 5 rows. */
const PRODUCTS = `
CREATE TABLE products (
  id int PRIMARY KEY,
  code char(5) NOT NULL,
  sku varchar(20) NOT NULL,
  title varchar(10) NOT NULL,
  name varchar(20) NOT NULL,
  description text,
  barcode text,
  price numeric(10,2) NOT NULL,
  stock int NOT NULL DEFAULT 0,
  attrs json,
  created_at timestamp NOT NULL DEFAULT '2024-01-01 00:00:00',
  updated_at timestamptz,
  checked_at timestamp(3),
  network cidr,
  flags bit varying(8)
);
CREATE INDEX products_sku_idx ON products (sku);
INSERT INTO products VALUES
  (1, 'A0001', 'SKU-0001', 'Bolt', 'Steel bolt', 'M6 bolt', '4006381333931', 0.10, 500, '{"size": "M6"}',
   '2024-01-01 10:00', '2024-01-01 10:00+00', '2024-01-01 10:00:00.123', '10.0.0.0/8', B'1010'),
  (2, 'A0002', 'SKU-0002', 'Nut', 'Steel nut', 'M6 nut', '4006381333948', 0.05, 800, '{"size": "M6"}',
   '2024-02-01 11:00', '2024-02-01 11:00+00', '2024-02-01 11:00:00.456', '10.1.0.0/16', B'1'),
  (3, 'B0001', 'SKU-0003', 'Washer', 'Washer', NULL, NULL, 0.02, 0, NULL,
   '2024-03-01 12:00', NULL, NULL, NULL, NULL),
  (4, 'B0002', 'SKU-0004', 'Hinge', 'Door hinge', 'Brass', '4006381333955', 3.99, 12, '{}',
   '2024-04-01 13:00', '2024-04-01 13:00+00', '2024-04-01 13:00:00', '192.168.0.0/24', B'11110000'),
  (5, 'C0001', 'SKU-0005', 'Hook', 'Wall hook', 'White', '4006381333962', 1.25, 40, '{"color": "white"}',
   '2024-05-01 14:00', '2024-05-01 14:00+00', '2024-05-01 14:00:00.999', '172.16.0.0/12', B'0');
`;

/**
 * ALTER COLUMN TYPE (ATPrepAlterColumnType, ATColumnChangeRequiresRewrite in tablecmds.c):
 * AccessExclusiveLock; the table is rewritten unless the old type is binary-coercible to the new one and
 * no length/precision coercion is needed (varchar widening, numeric precision increase, timestamp
 * precision increase, varbit widening: the typmod support functions say "no-op"). Indexes on the column
 * are rebuilt unless CheckIndexCompatible finds them compatible; foreign keys touching the column are
 * re-validated. timestamp <-> timestamptz skips the rewrite on 12+ only when the session TimeZone is UTC.
 */
export const ALTER_TYPE_CASES: TruthCase[] = [
  {
    id: 'alter-type-int-to-bigint',
    title: 'int -> bigint: rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN stock TYPE bigint',
  },
  {
    id: 'alter-type-int-to-bigint-primary-key',
    title: 'int -> bigint on the primary key column: rewrite plus primary key index rebuild',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN id TYPE bigint',
  },
  {
    id: 'alter-type-int-to-bigint-referenced-by-fk',
    title: 'int -> bigint on a key referenced by a foreign key: the referencing table is involved',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE customers ALTER COLUMN id TYPE bigint',
  },
  {
    id: 'alter-type-int-to-bigint-fk-column',
    title: 'int -> bigint on a referencing foreign key column: the constraint is re-validated',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint',
  },
  {
    id: 'alter-type-varchar-widen',
    title: 'varchar(10) -> varchar(20): binary coercible, no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN title TYPE varchar(20)',
  },
  {
    id: 'alter-type-varchar-narrow',
    title: 'varchar(20) -> varchar(10): length check, rewrite (all values fit)',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN name TYPE varchar(10)',
  },
  {
    id: 'alter-type-varchar-narrow-too-long',
    title: 'varchar(20) -> varchar(3) with longer values fails (value too long)',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN name TYPE varchar(3)',
  },
  {
    id: 'alter-type-varchar-to-text',
    title: 'varchar(20) -> text: binary coercible, no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN name TYPE text',
  },
  {
    id: 'alter-type-varchar-to-unbounded-varchar',
    title: 'varchar(20) -> varchar: no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN name TYPE varchar',
  },
  {
    id: 'alter-type-text-to-varchar',
    title: 'text -> varchar(50): length coercion, rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN description TYPE varchar(50)',
  },
  {
    id: 'alter-type-numeric-widen-precision',
    title: 'numeric(10,2) -> numeric(12,2): no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2)',
  },
  {
    id: 'alter-type-numeric-change-scale',
    title: 'numeric(10,2) -> numeric(10,3): scale change, rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN price TYPE numeric(10,3)',
  },
  {
    id: 'alter-type-numeric-unconstrained',
    title: 'numeric(10,2) -> numeric: no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN price TYPE numeric',
  },
  {
    id: 'alter-type-timestamp-to-timestamptz',
    title: 'timestamp -> timestamptz: rewrite, except on 12+ when the session TimeZone is UTC',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN created_at TYPE timestamptz',
  },
  {
    id: 'alter-type-timestamptz-to-timestamp',
    title: 'timestamptz -> timestamp: rewrite, except on 12+ when the session TimeZone is UTC',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN updated_at TYPE timestamp',
  },
  {
    id: 'alter-type-timestamp-precision-widen',
    title: 'timestamp(3) -> timestamp(6): no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN checked_at TYPE timestamp(6)',
  },
  {
    id: 'alter-type-timestamp-precision-narrow',
    title: 'timestamp(3) -> timestamp(0): rounding, rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN checked_at TYPE timestamp(0)',
  },
  {
    id: 'alter-type-json-to-jsonb',
    title: 'json -> jsonb: rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN attrs TYPE jsonb',
  },
  {
    id: 'alter-type-int-to-text-using',
    title: 'int -> text USING stock::text: rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN stock TYPE text USING stock::text',
  },
  {
    id: 'alter-type-text-to-bigint-using',
    title: 'text -> bigint USING barcode::bigint: rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN barcode TYPE bigint USING barcode::bigint',
  },
  {
    id: 'alter-type-text-to-bigint-without-using',
    title: 'text -> bigint without USING fails (cannot be cast automatically)',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN barcode TYPE bigint',
  },
  {
    id: 'alter-type-char-widen',
    title: 'char(5) -> char(10): blank padding, rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN code TYPE char(10)',
  },
  {
    id: 'alter-type-varchar-widen-indexed',
    title: 'varchar(20) -> varchar(30) on an indexed column: no rewrite, index kept',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN sku TYPE varchar(30)',
  },
  {
    id: 'alter-type-varchar-to-text-indexed',
    title: 'varchar(20) -> text on an indexed column: no rewrite, index kept',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN sku TYPE text',
  },
  {
    id: 'alter-type-collation-indexed',
    title: 'Same type, different collation on an indexed column: no table rewrite, index rebuilt',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN sku TYPE varchar(20) COLLATE "POSIX"',
  },
  {
    id: 'alter-type-same-type',
    title: 'int -> int: nothing to convert',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN stock TYPE int',
  },
  {
    id: 'alter-type-cidr-to-inet',
    title: 'cidr -> inet: binary coercible, no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN network TYPE inet',
  },
  {
    id: 'alter-type-varbit-widen',
    title: 'bit varying(8) -> bit varying(16): no rewrite',
    setup: PRODUCTS,
    sql: 'ALTER TABLE products ALTER COLUMN flags TYPE bit varying(16)',
  },
  {
    id: 'alter-type-column-used-by-view',
    title: 'Type change of a column used by a view fails',
    setup: setup(PRODUCTS, 'CREATE VIEW cheap_products AS SELECT id, price FROM products WHERE price < 1;'),
    sql: 'ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2)',
  },
  {
    id: 'alter-type-partitioned-table',
    title: 'Type change on a partitioned table: every partition is rewritten',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements ALTER COLUMN sensor_id TYPE bigint',
  },
];
