import rule from '../../src/rules/dropping-table';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const LINKED = `${SHOP}CREATE TABLE payments (id bigserial PRIMARY KEY, order_id bigint REFERENCES orders (id), amount numeric);\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE scratch (id bigint);\nDROP TABLE scratch;',
    },
    {
      name: 'dropping a view is not dropping data',
      history: `${SHOP}CREATE VIEW open_orders AS SELECT id FROM orders;\n`,
      sql: 'DROP VIEW open_orders;',
    },
    {
      name: 'dropping an index is another rule',
      history: SHOP,
      sql: 'DROP INDEX CONCURRENTLY orders_customer_id_idx;',
    },
  ],
  invalid: [
    {
      // The replayed schema says the DROP fails (unsupported-on-version, a warning): the schema may
      // differ, so the drop is judged as if it runs too.
      name: 'still referenced by a foreign key: the schema says the DROP fails, judged as if it runs',
      history: LINKED,
      sql: 'DROP TABLE orders;',
      findings: [{ messageId: 'drop', line: 1 }],
    },
    {
      name: 'DROP TABLE of an existing table',
      history: SHOP,
      sql: 'DROP TABLE customers;',
      findings: [{ messageId: 'drop', line: 1, column: 1, severity: 'warning', relation: 'customers' }],
      fix: null,
      alternativeIncludes: ["SET lock_timeout = '5s';\nDROP TABLE customers;", 'pg_dump -t customers'],
    },
    {
      name: 'table with a foreign key: the referenced table is locked ACCESS EXCLUSIVE too',
      history: LINKED,
      sql: 'DROP TABLE payments;',
      findings: [{ messageId: 'dropWithOthers', line: 1, relation: 'payments' }],
      alternativeIncludes: ['orders is locked as well'],
    },
    {
      name: 'CASCADE: referencing tables lose their foreign key under ACCESS EXCLUSIVE',
      history: LINKED,
      sql: 'DROP TABLE IF EXISTS orders CASCADE;',
      findings: [{ messageId: 'dropWithOthers', line: 1, relation: 'orders' }],
    },
    {
      name: 'a partition: the parent is locked too, PostgreSQL 11',
      pg: 11,
      history: PARTITIONED,
      sql: 'DROP TABLE measurements_2024;',
      findings: [
        { messageId: 'dropWithOthers', line: 1, severity: 'warning', relation: 'measurements_2024' },
      ],
    },
    {
      name: 'one finding for several tables, new ones left out',
      history: SHOP,
      sql: 'CREATE TABLE scratch (id bigint);\nDROP TABLE scratch, customers;',
      findings: [{ messageId: 'drop', line: 2, relation: 'customers' }],
    },
    {
      name: 'table unknown to the history is assumed to exist',
      sql: 'DROP TABLE legacy_events;',
      findings: [{ messageId: 'drop', line: 1, relation: 'legacy_events' }],
    },
  ],
});
