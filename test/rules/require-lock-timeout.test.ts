import rule from '../../src/rules/require-lock-timeout';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'lock_timeout set first',
      history: SHOP,
      sql: "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
    },
    {
      name: 'SET LOCAL inside the transaction',
      history: SHOP,
      sql: "BEGIN;\nSET LOCAL lock_timeout = '3s';\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;",
    },
    {
      name: 'new table only',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint);\nALTER TABLE refunds ADD COLUMN note text;',
    },
    {
      name: 'concurrent index does not block reads or writes',
      history: SHOP,
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
    },
    {
      name: 'disabled in config',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN note text;',
      config: { requireLockTimeout: false },
    },
  ],
  invalid: [
    {
      name: 'instant ALTER still queues',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN note text;',
      findings: [{ messageId: 'missing', line: 1, severity: 'warning', relation: 'orders' }],
      alternativeIncludes: ["SET lock_timeout = '5s';"],
    },
    {
      name: 'lock_timeout reset to 0 does not count',
      history: SHOP,
      sql: "SET lock_timeout = '5s';\nSET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN note text;",
      findings: [{ messageId: 'missing', line: 3 }],
    },
    {
      name: 'reported once per migration: the first statement that needs it',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint);\nALTER TABLE orders ADD COLUMN note text;\nALTER TABLE customers ADD COLUMN plan text;',
      findings: [{ messageId: 'missing', line: 2, relation: 'orders' }],
    },
    {
      name: 'SET LOCAL ends with its transaction',
      history: SHOP,
      sql: "BEGIN;\nSET LOCAL lock_timeout = '3s';\nCOMMIT;\nALTER TABLE orders ADD COLUMN note text;",
      findings: [{ messageId: 'missing', line: 4 }],
    },
  ],
});
