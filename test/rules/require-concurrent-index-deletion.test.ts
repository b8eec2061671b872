import rule from '../../src/rules/require-concurrent-index-deletion';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const SHOP_INDEXED = `${SHOP}CREATE INDEX orders_status_idx ON orders (status);\n`;
const PARTITIONED_INDEXED = `${PARTITIONED}CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'DROP INDEX CONCURRENTLY',
      history: SHOP_INDEXED,
      sql: 'DROP INDEX CONCURRENTLY orders_status_idx;',
    },
    {
      name: 'index of a table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint, order_id bigint);\nCREATE INDEX refunds_order_id_idx ON refunds (order_id);\nDROP INDEX refunds_order_id_idx;',
    },
    {
      name: 'DROP TABLE is not this rule',
      history: SHOP_INDEXED,
      sql: 'DROP TABLE orders;',
    },
  ],
  invalid: [
    {
      // The replayed schema says the drop fails (unsupported-on-version, a warning): the schema may
      // differ, so the drop is judged as if it runs too.
      name: 'index backing a primary key: the schema says the drop fails, judged as if it runs',
      history: SHOP,
      sql: 'DROP INDEX orders_pkey;',
      findings: [{ messageId: 'blocking', line: 1 }],
    },
    {
      name: 'plain DROP INDEX outside a transaction: fix inserts CONCURRENTLY',
      history: SHOP_INDEXED,
      sql: 'DROP INDEX orders_status_idx;',
      findings: [{ messageId: 'blocking', line: 1, column: 1, severity: 'warning', relation: 'orders' }],
      fix: 'DROP INDEX CONCURRENTLY orders_status_idx',
      alternativeIncludes: [
        'DROP INDEX CONCURRENTLY orders_status_idx;',
        'must not run inside a transaction',
      ],
    },
    {
      name: 'IF EXISTS is kept',
      history: SHOP_INDEXED,
      sql: 'DROP INDEX IF EXISTS orders_status_idx;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'orders' }],
      fix: 'DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx',
    },
    {
      name: 'goose wraps the migration in a transaction: no fix, the note says how to opt out',
      history: SHOP_INDEXED,
      sql: '-- +goose Up\nDROP INDEX orders_status_idx;',
      findings: [{ messageId: 'blocking', line: 2, relation: 'orders' }],
      fix: null,
      alternativeIncludes: ['DROP INDEX CONCURRENTLY orders_status_idx;', '-- +goose NO TRANSACTION'],
    },
    {
      name: 'two indexes in one statement: one concurrent drop each',
      history: `${SHOP_INDEXED}CREATE INDEX orders_created_at_idx ON orders (created_at);\n`,
      sql: 'DROP INDEX orders_status_idx, orders_created_at_idx;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'orders' }],
      fix: null,
      alternativeIncludes: [
        'DROP INDEX CONCURRENTLY orders_status_idx;\nDROP INDEX CONCURRENTLY orders_created_at_idx;',
        'one index per statement',
      ],
    },
    {
      name: 'CASCADE: no fix, CONCURRENTLY does not support it',
      history: SHOP_INDEXED,
      sql: 'DROP INDEX orders_status_idx CASCADE;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'orders' }],
      fix: null,
      alternativeIncludes: ['does not support CASCADE'],
    },
    {
      name: 'index of an existing table, created earlier in the same change',
      history: SHOP,
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\nDROP INDEX orders_status_idx;',
      findings: [{ messageId: 'blocking', line: 2, relation: 'orders' }],
    },
    {
      name: 'index unknown to the history is assumed to exist',
      sql: 'DROP INDEX events_created_at_idx;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'events_created_at_idx' }],
    },
    {
      name: 'partitioned index: no concurrent drop exists',
      history: PARTITIONED_INDEXED,
      sql: 'DROP INDEX measurements_sensor_id_idx;',
      findings: [{ messageId: 'partitioned', line: 1, relation: 'measurements' }],
      fix: null,
      alternativeIncludes: ["SET lock_timeout = '2s';"],
    },
    {
      name: 'partitioned index on PostgreSQL 11',
      pg: 11,
      history: PARTITIONED_INDEXED,
      sql: 'DROP INDEX measurements_sensor_id_idx;',
      findings: [{ messageId: 'partitioned', line: 1, severity: 'warning', relation: 'measurements' }],
    },
  ],
});
