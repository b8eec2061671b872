import rule from '../../src/rules/create-table-with-foreign-key';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'no foreign key',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);',
    },
    {
      name: 'referenced table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refund_reasons (id int PRIMARY KEY);\nCREATE TABLE refunds (id bigint, reason_id int REFERENCES refund_reasons (id));',
    },
    {
      name: 'self-reference',
      history: SHOP,
      sql: 'CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories (id));',
    },
  ],
  invalid: [
    {
      name: 'column REFERENCES an existing table',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));',
      findings: [{ messageId: 'references', line: 1, column: 1, severity: 'info', relation: 'orders' }],
      fix: null,
      alternativeIncludes: ["SET lock_timeout = '5s';\nCREATE TABLE refunds"],
    },
    {
      name: 'table constraints to two existing tables, PostgreSQL 11',
      pg: 11,
      history: SHOP,
      sql: 'CREATE TABLE order_notes (\n  order_id bigint,\n  customer_id bigint,\n  FOREIGN KEY (order_id) REFERENCES orders (id),\n  FOREIGN KEY (customer_id) REFERENCES customers (id)\n);',
      findings: [
        { messageId: 'references', line: 1, severity: 'info', relation: 'orders' },
        { messageId: 'references', line: 1, severity: 'info', relation: 'customers' },
      ],
    },
    {
      name: 'in a transaction: still info (long-lock-in-transaction judges later work)',
      history: SHOP,
      sql: 'BEGIN;\nCREATE TABLE refunds (id bigint, order_id bigint REFERENCES orders);\nCOMMIT;',
      findings: [{ messageId: 'references', line: 2, severity: 'info', relation: 'orders' }],
    },
    {
      name: 'referenced table unknown to the history is assumed to exist',
      sql: 'CREATE TABLE audit_entries (id bigint, account_id bigint REFERENCES accounts (id));',
      findings: [{ messageId: 'references', line: 1, relation: 'accounts' }],
    },
  ],
});
