import rule from '../../src/rules/backfill-in-migration';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const CODES = `${SHOP}\nCREATE TABLE coupons (code text PRIMARY KEY, used boolean NOT NULL DEFAULT false);`;

runRuleTests(rule, {
  valid: [
    {
      name: 'a batch by primary key range',
      history: SHOP,
      sql: "UPDATE orders SET status = 'archived' WHERE id BETWEEN 1 AND 10000;",
    },
    {
      name: 'a single row',
      history: SHOP,
      sql: 'DELETE FROM customers WHERE id = 42;',
    },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: "CREATE TABLE refunds (id bigint PRIMARY KEY, status text);\nINSERT INTO refunds VALUES (1, 'new');\nUPDATE refunds SET status = 'open';",
    },
    {
      name: 'INSERT ... SELECT is not a backfill of its target',
      history: SHOP,
      sql: "INSERT INTO customers (email) VALUES ('a@example.com');",
    },
  ],
  invalid: [
    {
      name: 'UPDATE of every row: batched by the primary key',
      history: SHOP,
      sql: 'UPDATE orders SET status = lower(status);',
      findings: [{ messageId: 'backfill', line: 1, column: 1, severity: 'warning', relation: 'orders' }],
      fix: null,
      alternativeIncludes: ['UPDATE orders SET status = lower(status) WHERE id BETWEEN 1 AND 10000;'],
    },
    {
      name: 'UPDATE with a non-indexed condition and RETURNING: the batch range goes first',
      history: SHOP,
      sql: "UPDATE orders SET status = 'archived' WHERE created_at < '2020-01-01' OR total = 0 RETURNING id;",
      findings: [{ messageId: 'backfill', line: 1, relation: 'orders' }],
      alternativeIncludes: [
        "UPDATE orders SET status = 'archived' WHERE id BETWEEN 1 AND 10000 AND (created_at < '2020-01-01' OR total = 0) RETURNING id;",
      ],
    },
    {
      name: 'DELETE with a sub-select in its condition',
      history: SHOP,
      sql: "DELETE FROM orders o WHERE o.customer_id NOT IN (SELECT id FROM customers WHERE email LIKE '%@test%');",
      findings: [{ messageId: 'backfill', line: 1, relation: 'orders' }],
      alternativeIncludes: [
        "DELETE FROM orders o WHERE o.id BETWEEN 1 AND 10000 AND (o.customer_id NOT IN (SELECT id FROM customers WHERE email LIKE '%@test%'));",
      ],
    },
    {
      name: 'UPDATE ... FROM: the key is qualified with the table',
      history: SHOP,
      sql: 'UPDATE orders SET status = c.email FROM customers c WHERE c.id = orders.customer_id;',
      findings: [{ messageId: 'backfill', line: 1, relation: 'orders' }],
      alternativeIncludes: ['WHERE orders.id BETWEEN 1 AND 10000 AND (c.id = orders.customer_id);'],
    },
    {
      name: 'text primary key: keyset batches',
      history: CODES,
      sql: 'UPDATE coupons SET used = true;',
      findings: [{ messageId: 'backfill', line: 1, relation: 'coupons' }],
      alternativeIncludes: [
        'UPDATE coupons SET used = true WHERE code IN (SELECT code FROM coupons WHERE code > $1 ORDER BY code LIMIT 10000);',
      ],
    },
    {
      name: 'partitioned table: every partition is read',
      history: PARTITIONED,
      sql: 'DELETE FROM measurements WHERE sensor_id = 7;',
      findings: [{ messageId: 'backfill', line: 1, relation: 'measurements' }],
      alternativeIncludes: ['measurements has no single-column primary key'],
    },
    {
      name: 'table unknown to the history',
      sql: 'UPDATE events SET kind = upper(kind);',
      findings: [{ messageId: 'backfill', line: 1, relation: 'events' }],
    },
  ],
});
