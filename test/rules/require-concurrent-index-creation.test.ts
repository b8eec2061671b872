import rule from '../../src/rules/require-concurrent-index-creation';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'concurrent build',
      history: SHOP,
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
    },
    {
      name: 'table created in the same change is empty',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint, order_id bigint);\nCREATE INDEX refunds_order_id_idx ON refunds (order_id);',
    },
    {
      name: 'an earlier NOT NULL column without default proves the table empty',
      history: SHOP,
      sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN friendly_id text NOT NULL;\nCREATE UNIQUE INDEX orders_friendly_id_key ON orders (friendly_id);\nCOMMIT;',
    },
    {
      name: 'IF NOT EXISTS on an index that exists builds nothing',
      history: SHOP,
      sql: 'CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);',
    },
  ],
  invalid: [
    {
      name: 'a NOT NULL column with a default proves nothing about the rows',
      history: SHOP,
      sql: "ALTER TABLE orders ADD COLUMN friendly_id text NOT NULL DEFAULT '';\nCREATE INDEX orders_friendly_id_idx ON orders (friendly_id);",
      findings: [{ messageId: 'blocking', line: 2, severity: 'high', relation: 'orders' }],
      fix: 'CREATE INDEX CONCURRENTLY orders_friendly_id_idx ON orders (friendly_id)',
    },
    {
      name: 'plain CREATE INDEX on an existing table',
      history: SHOP,
      sql: 'CREATE INDEX orders_status_idx ON orders (status);',
      findings: [{ messageId: 'blocking', line: 1, column: 1, severity: 'high', relation: 'orders' }],
      fix: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)',
      alternativeIncludes: [
        'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
        'must not run inside a transaction',
      ],
    },
    {
      name: 'unique index, goose file: the note says how goose runs it outside a transaction',
      history: SHOP,
      sql: '-- +goose Up\nCREATE UNIQUE INDEX customers_email_key ON customers (email);',
      findings: [{ messageId: 'blocking', line: 2, relation: 'customers' }],
      fix: 'CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email)',
      alternativeIncludes: ['-- +goose NO TRANSACTION'],
    },
    {
      name: 'table unknown to the history is assumed to exist',
      sql: 'CREATE INDEX events_created_at_idx ON events (created_at);',
      findings: [{ messageId: 'blocking', line: 1, relation: 'events' }],
    },
    {
      name: 'partitioned table: per-partition concurrent builds, then ON ONLY and ATTACH',
      history: PARTITIONED,
      sql: 'CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);',
      findings: [{ messageId: 'partitioned', line: 1, relation: 'measurements' }],
      fix: null,
      alternativeIncludes: [
        'CREATE INDEX CONCURRENTLY measurements_2024_sensor_id_idx ON measurements_2024 (sensor_id);',
        'CREATE INDEX measurements_sensor_id_idx ON ONLY measurements (sensor_id);',
        'ALTER INDEX measurements_sensor_id_idx ATTACH PARTITION measurements_2025_sensor_id_idx;',
      ],
    },
  ],
});
