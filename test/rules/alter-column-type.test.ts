import rule from '../../src/rules/alter-column-type';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const TYPES = `${SHOP}
CREATE TABLE events (
  id bigint PRIMARY KEY,
  name varchar(10),
  note varchar,
  payload json,
  happened_at timestamp NOT NULL,
  quantity integer NOT NULL
);`;
const KEYS = `${SHOP}
CREATE TABLE coupons (code varchar(10) PRIMARY KEY, label text);
CREATE INDEX coupons_label_idx ON coupons (label);`;
const SLOTS = `CREATE TABLE slots (starts_at timestamp PRIMARY KEY);
CREATE TABLE bookings (id bigint PRIMARY KEY, slot_starts_at timestamp REFERENCES slots (starts_at));`;

runRuleTests(rule, {
  valid: [
    { name: 'varchar grows', history: TYPES, sql: 'ALTER TABLE events ALTER COLUMN name TYPE varchar(20);' },
    { name: 'varchar to text', history: TYPES, sql: 'ALTER TABLE events ALTER COLUMN note TYPE text;' },
    {
      name: 'numeric precision grows with the same scale',
      history: SHOP,
      sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);',
    },
    {
      name: 'timestamp to timestamptz in a UTC session on PG 12+',
      history: TYPES,
      pg: 12,
      sql: "SET TimeZone = 'UTC';\nALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;",
    },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id integer PRIMARY KEY, amount integer);\nALTER TABLE refunds ALTER COLUMN amount TYPE bigint;',
    },
    {
      name: 'binary-coercible change next to a rewriting ADD COLUMN: the rewrite is not this rule’s',
      history: TYPES,
      sql: 'ALTER TABLE events ALTER COLUMN note TYPE text, ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    },
  ],
  invalid: [
    {
      name: 'integer to bigint rewrites: expand/contract with real names',
      history: TYPES,
      sql: 'ALTER TABLE events ALTER COLUMN quantity TYPE bigint;',
      findings: [{ messageId: 'rewrite', line: 1, column: 1, severity: 'high', relation: 'events' }],
      fix: null,
      alternativeIncludes: [
        'ALTER TABLE events ADD COLUMN quantity_new bigint;',
        'NEW.quantity_new := NEW.quantity::bigint;',
        'CREATE TRIGGER events_quantity_new_sync BEFORE INSERT OR UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_quantity_new_sync();',
        'UPDATE events SET quantity_new = quantity::bigint WHERE id BETWEEN 1 AND 10000 AND quantity_new IS NULL;',
        'ALTER TABLE events ADD CONSTRAINT events_quantity_new_not_null CHECK (quantity_new IS NOT NULL) NOT VALID;',
        'DROP TRIGGER events_quantity_new_sync ON events;',
        'ALTER TABLE events RENAME COLUMN quantity TO quantity_old;',
        'ALTER TABLE events RENAME COLUMN quantity_new TO quantity;',
        'ALTER TABLE events DROP COLUMN quantity_old;',
      ],
    },
    {
      name: 'json to jsonb always rewrites',
      history: TYPES,
      sql: 'ALTER TABLE events ALTER COLUMN payload TYPE jsonb;',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'events' }],
      alternativeIncludes: ['json → jsonb always rewrites', 'NEW.payload_new := NEW.payload::jsonb;'],
    },
    {
      name: 'timestamp to timestamptz without a UTC session on PG 17',
      history: TYPES,
      sql: 'ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;',
      findings: [{ messageId: 'rewriteTimeZone', line: 1, relation: 'events' }],
      alternativeIncludes: ["SET TimeZone = 'UTC'"],
    },
    {
      name: 'timestamp to timestamptz on PG 11 rewrites even in a UTC session',
      history: TYPES,
      pg: 11,
      sql: "SET TimeZone = 'UTC';\nALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;",
      findings: [{ messageId: 'rewrite', line: 2, relation: 'events' }],
      alternativeIncludes: ['PostgreSQL 11 rewrites every timestamp ↔ timestamptz conversion'],
    },
    {
      name: 'USING expression: the conversion is used in the trigger and the backfill',
      history: SHOP,
      sql: "ALTER TABLE orders ALTER COLUMN status TYPE integer USING (CASE status WHEN 'paid' THEN 1 ELSE 0 END);",
      findings: [{ messageId: 'rewrite', line: 1, relation: 'orders' }],
      alternativeIncludes: [
        "NEW.status_new := (SELECT (CASE status WHEN 'paid' THEN 1 ELSE 0 END) FROM (SELECT (NEW).*) AS row_values);",
        "UPDATE orders SET status_new = (CASE status WHEN 'paid' THEN 1 ELSE 0 END) WHERE id BETWEEN 1 AND 10000",
      ],
    },
    {
      name: 'varchar shrinks: every row is checked',
      history: TYPES,
      sql: 'ALTER TABLE events ALTER COLUMN name TYPE varchar(5);',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'events' }],
    },
    {
      name: 'column unknown to the history',
      sql: 'ALTER TABLE invoices ALTER COLUMN amount TYPE numeric(12,2);',
      findings: [{ messageId: 'rewriteUnknownType', line: 1, relation: 'invoices' }],
      alternativeIncludes: ['invoices has no single-column primary key'],
    },
    {
      name: 'primary key column: the swap needs the index and the foreign keys',
      history: SHOP,
      sql: 'ALTER TABLE customers ALTER COLUMN id TYPE integer;',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'customers' }],
      alternativeIncludes: ['CREATE UNIQUE INDEX CONCURRENTLY'],
    },
    {
      name: 'several columns: only the rewriting one is reported',
      history: SHOP,
      sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2), ALTER COLUMN status TYPE varchar(5);',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'orders' }],
      alternativeIncludes: ['ALTER TABLE orders ADD COLUMN status_new varchar(5);'],
    },
    {
      name: 'no rewrite in a UTC session, but the key index is rebuilt and the foreign key validated again (new operator class)',
      history: SLOTS,
      sql: "SET TimeZone = 'UTC';\nALTER TABLE slots ALTER COLUMN starts_at TYPE timestamptz;",
      findings: [{ messageId: 'reread', line: 2, relation: 'slots' }],
      alternativeIncludes: [
        'ALTER TABLE slots ADD COLUMN starts_at_new timestamptz;',
        'ALTER TABLE slots RENAME COLUMN starts_at_new TO starts_at;',
        'foreign keys that reference it are re-created NOT VALID and validated afterwards',
      ],
    },
    {
      name: 'no rewrite, but a new collation rebuilds the index',
      history: KEYS,
      sql: 'ALTER TABLE coupons ALTER COLUMN label TYPE text COLLATE "C";',
      findings: [{ messageId: 'reread', line: 1, relation: 'coupons' }],
    },
    {
      name: 'partitioned table: every partition is rewritten',
      history: PARTITIONED,
      sql: 'ALTER TABLE measurements ALTER COLUMN sensor_id TYPE bigint;',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'measurements' }],
    },
  ],
});
