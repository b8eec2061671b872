import rule from '../../src/rules/dropping-column';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const LINKED = `${SHOP}CREATE TABLE payments (id bigserial PRIMARY KEY, order_id bigint REFERENCES orders (id), amount numeric);\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'column of a table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint, note text);\nALTER TABLE refunds DROP COLUMN note;',
    },
    {
      name: 'IF EXISTS on a column the table does not have',
      history: SHOP,
      sql: 'ALTER TABLE orders DROP COLUMN IF EXISTS legacy_status;',
    },
    {
      name: 'adding a column',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN note text;',
    },
  ],
  invalid: [
    {
      name: 'DROP COLUMN on an existing table',
      history: SHOP,
      sql: 'ALTER TABLE orders DROP COLUMN status;',
      findings: [{ messageId: 'drop', line: 1, column: 1, severity: 'warning', relation: 'orders' }],
      fix: null,
      alternativeIncludes: [
        "SET lock_timeout = '5s';\nALTER TABLE orders DROP COLUMN status;",
        'self.ignored_columns += ["status"]',
        'CREATE TABLE orders_status_backup AS SELECT id, status FROM orders;',
      ],
    },
    {
      name: 'two columns in one statement: one finding naming both',
      history: SHOP,
      sql: 'ALTER TABLE orders DROP COLUMN status, DROP COLUMN IF EXISTS total;',
      findings: [{ messageId: 'drop', line: 1, relation: 'orders' }],
      alternativeIncludes: ['ALTER TABLE orders DROP COLUMN status, DROP COLUMN IF EXISTS total;'],
    },
    {
      name: 'the dropped column has a foreign key: the referenced table is locked too',
      history: LINKED,
      sql: 'ALTER TABLE payments DROP COLUMN order_id;',
      findings: [{ messageId: 'dropWithOthers', line: 1, relation: 'payments' }],
    },
    {
      name: 'CASCADE drops a referencing foreign key: kept in the alternative',
      history: LINKED,
      sql: 'ALTER TABLE orders DROP COLUMN id CASCADE;',
      findings: [{ messageId: 'dropWithOthers', line: 1, relation: 'orders' }],
      alternativeIncludes: ['ALTER TABLE orders DROP COLUMN id CASCADE;', 'AS SELECT * FROM orders;'],
    },
    {
      name: 'partitioned table: the partitions are part of the same drop',
      history: PARTITIONED,
      pg: 11,
      sql: 'ALTER TABLE measurements DROP COLUMN sensor_id;',
      findings: [{ messageId: 'drop', line: 1, severity: 'warning', relation: 'measurements' }],
    },
    {
      name: 'table unknown to the history is assumed to exist',
      sql: 'ALTER TABLE accounts DROP COLUMN legacy_flag;',
      findings: [{ messageId: 'drop', line: 1, relation: 'accounts' }],
    },
  ],
});
