import rule from '../../src/rules/set-not-null';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const NULLABLE = `${SHOP}\nALTER TABLE orders ADD COLUMN shipped_at timestamptz;`;
const WITH_CHECK = `${NULLABLE}\nALTER TABLE orders ADD CONSTRAINT orders_shipped_at_not_null CHECK (shipped_at IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_shipped_at_not_null;`;
const PARTS = `${PARTITIONED}\nALTER TABLE measurements ADD COLUMN unit text;`;

runRuleTests(rule, {
  valid: [
    {
      name: 'PG 12+: a valid CHECK (col IS NOT NULL) proves it, no scan',
      history: WITH_CHECK,
      sql: 'ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
    },
    {
      name: 'the check added and validated earlier in the same file',
      history: NULLABLE,
      pg: 12,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_shipped_at_not_null CHECK (shipped_at IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_shipped_at_not_null;\nALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
    },
    {
      name: 'column already NOT NULL',
      history: SHOP,
      sql: 'ALTER TABLE orders ALTER COLUMN status SET NOT NULL;',
    },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint, reason text);\nALTER TABLE refunds ALTER COLUMN reason SET NOT NULL;',
    },
    {
      name: 'DROP NOT NULL reads nothing',
      history: SHOP,
      sql: 'ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;',
    },
  ],
  invalid: [
    {
      name: 'PG 17: CHECK NOT VALID, VALIDATE, SET NOT NULL, DROP CONSTRAINT',
      history: NULLABLE,
      sql: 'ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
      findings: [{ messageId: 'scan', line: 1, column: 1, severity: 'high', relation: 'orders' }],
      fix: null,
      alternativeIncludes: [
        'ALTER TABLE orders ADD CONSTRAINT orders_shipped_at_not_null CHECK (shipped_at IS NOT NULL) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_shipped_at_not_null;',
        'ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
        'ALTER TABLE orders DROP CONSTRAINT orders_shipped_at_not_null;',
      ],
    },
    {
      name: 'PG 18: NOT NULL ... NOT VALID, then VALIDATE',
      history: NULLABLE,
      pg: 18,
      sql: 'ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
      findings: [{ messageId: 'scan', line: 1, relation: 'orders' }],
      alternativeIncludes: [
        'ALTER TABLE orders ADD CONSTRAINT orders_shipped_at_not_null NOT NULL shipped_at NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_shipped_at_not_null;',
        'CHECK (shipped_at IS NOT NULL) NOT VALID + VALIDATE + SET NOT NULL',
      ],
    },
    {
      name: 'PG 11: a valid check does not help SET NOT NULL',
      history: WITH_CHECK,
      pg: 11,
      sql: 'ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
      findings: [{ messageId: 'scan', line: 1, relation: 'orders' }],
      alternativeIncludes: [
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_shipped_at_not_null;',
        'PostgreSQL 11 cannot use a CHECK constraint to skip',
      ],
    },
    {
      name: 'the check added NOT VALID but never validated does not prove it',
      history: NULLABLE,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_shipped_at_not_null CHECK (shipped_at IS NOT NULL) NOT VALID;\nALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
      findings: [{ messageId: 'scan', line: 2, relation: 'orders' }],
    },
    {
      name: 'table unknown to the history',
      sql: 'ALTER TABLE events ALTER COLUMN kind SET NOT NULL;',
      findings: [{ messageId: 'scan', line: 1, relation: 'events' }],
      alternativeIncludes: [
        'ALTER TABLE events ADD CONSTRAINT events_kind_not_null CHECK (kind IS NOT NULL) NOT VALID;',
      ],
    },
    {
      name: 'partitioned table: every partition is read',
      history: PARTS,
      sql: 'ALTER TABLE measurements ALTER COLUMN unit SET NOT NULL;',
      findings: [{ messageId: 'scan', line: 1, relation: 'measurements' }],
    },
    {
      name: 'two columns in one statement: one finding each',
      history: `${NULLABLE}\nALTER TABLE orders ADD COLUMN carrier text;`,
      sql: 'ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL, ALTER COLUMN carrier SET NOT NULL;',
      findings: [
        { messageId: 'scan', line: 1, relation: 'orders' },
        { messageId: 'scan', line: 1, relation: 'orders' },
      ],
    },
  ],
});
