import rule from '../../src/rules/renaming-table';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint);\nALTER TABLE refunds RENAME TO order_refunds;',
    },
    {
      name: 'renaming a view',
      history: `${SHOP}CREATE VIEW open_orders AS SELECT id, status FROM orders;\n`,
      sql: 'ALTER VIEW open_orders RENAME TO pending_orders;',
    },
    {
      name: 'renaming an index with ALTER TABLE',
      history: SHOP,
      sql: 'ALTER TABLE orders_customer_id_idx RENAME TO orders_customer_idx;',
    },
    {
      name: 'renaming a column is another rule',
      history: SHOP,
      sql: 'ALTER TABLE orders RENAME COLUMN status TO state;',
    },
  ],
  invalid: [
    {
      name: 'rename outside a transaction: rename and view in one transaction',
      history: SHOP,
      sql: 'ALTER TABLE orders RENAME TO purchases;',
      findings: [{ messageId: 'rename', line: 1, column: 1, severity: 'warning', relation: 'orders' }],
      fix: null,
      alternativeIncludes: [
        'BEGIN;\nALTER TABLE orders RENAME TO purchases;\nCREATE VIEW orders AS SELECT * FROM purchases;\nCOMMIT;',
        'DROP VIEW orders;',
      ],
    },
    {
      name: 'in a goose transaction: no BEGIN/COMMIT in the alternative',
      history: SHOP,
      sql: '-- +goose Up\nALTER TABLE orders RENAME TO purchases;',
      findings: [{ messageId: 'rename', line: 2, relation: 'orders' }],
      alternativeIncludes: [
        'ALTER TABLE orders RENAME TO purchases;\nCREATE VIEW orders AS SELECT * FROM purchases;\n--',
      ],
    },
    {
      name: 'table outside public, unknown to the history, on PostgreSQL 11',
      pg: 11,
      sql: 'ALTER TABLE billing.invoices RENAME TO bills;',
      findings: [{ messageId: 'rename', line: 1, severity: 'warning', relation: 'billing.invoices' }],
      alternativeIncludes: ['CREATE VIEW billing.invoices AS SELECT * FROM billing.bills;'],
    },
  ],
});
