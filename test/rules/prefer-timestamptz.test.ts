import rule from '../../src/rules/prefer-timestamptz';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    { name: 'timestamptz', sql: 'CREATE TABLE events (id bigint, happened_at timestamptz NOT NULL);' },
    {
      name: 'timestamp with time zone spelled out',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN shipped_at timestamp(3) with time zone;',
    },
    { name: 'date and time columns', sql: 'CREATE TABLE shifts (day date, starts time);' },
  ],
  invalid: [
    {
      name: 'CREATE TABLE with timestamp: the fix uses timestamptz',
      sql: 'CREATE TABLE events (id bigint, happened_at timestamp NOT NULL DEFAULT now());',
      findings: [{ messageId: 'timestamp', line: 1, column: 1, severity: 'info', relation: 'events' }],
      fix: 'CREATE TABLE events (id bigint, happened_at timestamptz NOT NULL DEFAULT now())',
    },
    {
      name: 'timestamp(3) without time zone in ADD COLUMN keeps the precision',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN shipped_at timestamp(3) without time zone;',
      findings: [{ messageId: 'timestamp', line: 1, relation: 'orders' }],
      fix: 'ALTER TABLE orders ADD COLUMN shipped_at timestamptz(3)',
    },
    {
      name: 'ALTER COLUMN TYPE timestamp: reported without a fix',
      history: SHOP,
      sql: 'ALTER TABLE orders ALTER COLUMN created_at TYPE timestamp;',
      findings: [{ messageId: 'timestamp', line: 1, relation: 'orders' }],
      fix: null,
    },
    {
      name: 'array of timestamps',
      sql: 'CREATE TABLE reminders (id bigint, due timestamp[]);',
      findings: [{ messageId: 'timestamp', line: 1, relation: 'reminders' }],
      fix: 'CREATE TABLE reminders (id bigint, due timestamptz[])',
    },
  ],
});
