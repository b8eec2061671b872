import rule from '../../src/rules/truncate-table';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const LINKED = `${SHOP}CREATE TABLE payments (id bigserial PRIMARY KEY, order_id bigint REFERENCES orders (id), amount numeric);
CREATE TABLE refunds (id bigserial PRIMARY KEY, payment_id bigint REFERENCES payments (id));\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE staging_orders (id bigint);\nINSERT INTO staging_orders SELECT id FROM orders;\nTRUNCATE staging_orders;',
    },
    {
      name: 'batched DELETE',
      history: SHOP,
      sql: 'DELETE FROM orders WHERE id IN (SELECT id FROM orders LIMIT 10000);',
    },
  ],
  invalid: [
    {
      // The replayed schema says the TRUNCATE fails (unsupported-on-version, a warning): the schema
      // may differ, so it is judged as if it runs too.
      name: 'referenced table without CASCADE: the schema says the TRUNCATE fails, judged as if it runs',
      history: LINKED,
      sql: 'TRUNCATE orders;',
      findings: [{ messageId: 'truncate', line: 1 }],
    },
    {
      name: 'TRUNCATE of an existing table',
      history: SHOP,
      sql: 'TRUNCATE orders;',
      findings: [{ messageId: 'truncate', line: 1, column: 1, severity: 'warning', relation: 'orders' }],
      fix: null,
      alternativeIncludes: ['DELETE FROM orders WHERE id IN (SELECT id FROM orders LIMIT 10000);'],
    },
    {
      name: 'CASCADE empties the referencing tables, named from the effects',
      history: LINKED,
      sql: 'TRUNCATE TABLE orders CASCADE;',
      findings: [{ messageId: 'cascade', line: 1, relation: 'orders' }],
      alternativeIncludes: ['CASCADE empties payments, refunds as well'],
    },
    {
      name: 'partitioned table: its partitions are not reported as CASCADE, PostgreSQL 11',
      pg: 11,
      history: PARTITIONED,
      sql: 'TRUNCATE measurements;',
      findings: [{ messageId: 'truncate', line: 1, severity: 'warning', relation: 'measurements' }],
      alternativeIncludes: [
        'DELETE FROM measurements WHERE ctid IN (SELECT ctid FROM measurements LIMIT 10000);',
      ],
    },
    {
      name: 'a new table whose CASCADE reaches an existing one',
      history: SHOP,
      sql: 'CREATE TABLE order_batches (id bigint PRIMARY KEY);\nALTER TABLE orders ADD COLUMN batch_id bigint REFERENCES order_batches (id);\nTRUNCATE order_batches CASCADE;',
      findings: [{ messageId: 'cascade', line: 3, relation: 'orders' }],
    },
    {
      name: 'table unknown to the history is assumed to exist',
      sql: 'TRUNCATE sessions;',
      findings: [{ messageId: 'truncate', line: 1, relation: 'sessions' }],
    },
  ],
});
