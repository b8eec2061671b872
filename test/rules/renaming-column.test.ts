import rule from '../../src/rules/renaming-column';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'column of a table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint, amount numeric);\nALTER TABLE refunds RENAME COLUMN amount TO total;',
    },
    {
      name: 'renaming a view column is not a table rename',
      history: `${SHOP}CREATE VIEW open_orders AS SELECT id, status FROM orders;\n`,
      sql: 'ALTER VIEW open_orders RENAME COLUMN status TO state;',
    },
    {
      name: 'renaming a constraint',
      history: SHOP,
      sql: 'ALTER TABLE orders RENAME CONSTRAINT orders_pkey TO orders_id_pkey;',
    },
  ],
  invalid: [
    {
      name: 'rename of a column of an existing table: expand and contract with the real type and key',
      history: SHOP,
      sql: 'ALTER TABLE orders RENAME COLUMN status TO state;',
      findings: [{ messageId: 'rename', line: 1, column: 1, severity: 'warning', relation: 'orders' }],
      fix: null,
      alternativeIncludes: [
        'ALTER TABLE orders ADD COLUMN state text;',
        'UPDATE orders SET state = status WHERE id IN (SELECT id FROM orders WHERE state IS NULL AND status IS NOT NULL LIMIT 10000);',
        'ALTER TABLE orders DROP COLUMN status;',
      ],
    },
    {
      name: 'RENAME without COLUMN, on PostgreSQL 11',
      pg: 11,
      history: SHOP,
      sql: 'ALTER TABLE orders RENAME total TO amount;',
      findings: [{ messageId: 'rename', line: 1, severity: 'warning', relation: 'orders' }],
      alternativeIncludes: ['ALTER TABLE orders ADD COLUMN amount numeric(10,2);'],
    },
    {
      name: 'table unknown to the history: type unknown, batches by ctid',
      sql: 'ALTER TABLE accounts RENAME COLUMN mail TO email;',
      findings: [{ messageId: 'rename', line: 1, relation: 'accounts' }],
      alternativeIncludes: [
        'ALTER TABLE accounts ADD COLUMN email <type of mail>;',
        'WHERE ctid IN (SELECT ctid FROM accounts',
      ],
    },
    {
      name: 'inside a goose migration',
      history: SHOP,
      sql: '-- +goose Up\nALTER TABLE customers RENAME COLUMN email TO email_address;',
      findings: [{ messageId: 'rename', line: 2, relation: 'customers' }],
    },
  ],
});
