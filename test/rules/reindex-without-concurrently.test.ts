import rule from '../../src/rules/reindex-without-concurrently';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const EXCLUSION = `${SHOP}ALTER TABLE orders ADD CONSTRAINT orders_customer_excl EXCLUDE USING gist (customer_id WITH =);\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'REINDEX INDEX CONCURRENTLY',
      history: SHOP,
      sql: 'REINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
    },
    {
      name: 'option-list spelling on PostgreSQL 14',
      pg: 14,
      history: SHOP,
      sql: 'REINDEX (CONCURRENTLY) TABLE orders;',
    },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);\nREINDEX TABLE refunds;',
    },
    {
      name: 'partitioned table before PostgreSQL 14: REINDEX TABLE rebuilds nothing',
      pg: 13,
      history: `${PARTITIONED}CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);\n`,
      sql: 'REINDEX TABLE measurements;',
    },
    {
      name: 'CONCURRENTLY on PostgreSQL 11 fails: unsupported-on-version reports it',
      pg: 11,
      history: SHOP,
      sql: 'REINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
    },
  ],
  invalid: [
    {
      name: 'REINDEX INDEX: fix inserts CONCURRENTLY',
      history: SHOP,
      sql: 'REINDEX INDEX orders_customer_id_idx;',
      findings: [{ messageId: 'blocking', line: 1, column: 1, severity: 'high', relation: 'orders' }],
      fix: 'REINDEX INDEX CONCURRENTLY orders_customer_id_idx',
      alternativeIncludes: ['REINDEX INDEX CONCURRENTLY orders_customer_id_idx;', 'must not run inside'],
    },
    {
      name: 'REINDEX TABLE with options on PostgreSQL 12: the spelling 12 accepts',
      pg: 12,
      history: SHOP,
      sql: 'REINDEX (VERBOSE) TABLE orders;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'orders' }],
      fix: 'REINDEX (VERBOSE) TABLE CONCURRENTLY orders',
    },
    {
      name: 'in a goose transaction: no fix, the note says how to leave the transaction',
      history: SHOP,
      sql: '-- +goose Up\nREINDEX TABLE orders;',
      findings: [{ messageId: 'blocking', line: 2, relation: 'orders' }],
      fix: null,
      alternativeIncludes: ['REINDEX TABLE CONCURRENTLY orders;', '-- +goose NO TRANSACTION'],
    },
    {
      name: 'PostgreSQL 11: build, drop and rename with the real names',
      pg: 11,
      history: SHOP,
      sql: 'REINDEX INDEX orders_customer_id_idx;',
      findings: [{ messageId: 'blocking', line: 1, severity: 'high', relation: 'orders' }],
      fix: null,
      alternativeIncludes: [
        'CREATE INDEX CONCURRENTLY orders_customer_id_idx_new ON orders (customer_id);\nDROP INDEX CONCURRENTLY orders_customer_id_idx;\nALTER INDEX orders_customer_id_idx_new RENAME TO orders_customer_id_idx;',
      ],
    },
    {
      name: 'PostgreSQL 11, REINDEX TABLE: the primary key is swapped onto a new unique index',
      pg: 11,
      history: SHOP,
      sql: 'REINDEX TABLE customers;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'customers' }],
      alternativeIncludes: [
        'CREATE UNIQUE INDEX CONCURRENTLY customers_pkey_new ON customers (id);',
        'ALTER TABLE customers DROP CONSTRAINT customers_pkey, ADD CONSTRAINT customers_pkey PRIMARY KEY USING INDEX customers_pkey_new;',
        'foreign keys reference',
      ],
    },
    {
      name: 'index of an EXCLUDE constraint cannot be rebuilt concurrently: no fix',
      history: EXCLUSION,
      sql: 'REINDEX INDEX orders_customer_excl;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'orders' }],
      fix: null,
      alternativeIncludes: ['backs an EXCLUDE constraint'],
    },
    {
      name: 'index unknown to the history is assumed to exist',
      sql: 'REINDEX INDEX events_created_at_idx;',
      findings: [{ messageId: 'blockingIndex', line: 1, relation: 'events_created_at_idx' }],
      fix: 'REINDEX INDEX CONCURRENTLY events_created_at_idx',
    },
  ],
});
