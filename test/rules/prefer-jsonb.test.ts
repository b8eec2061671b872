import rule from '../../src/rules/prefer-jsonb';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    { name: 'jsonb', sql: 'CREATE TABLE events (id bigint, payload jsonb NOT NULL);' },
    { name: 'json only in an expression', history: SHOP, sql: "SELECT '{}'::json;" },
    {
      name: 'CREATE TABLE IF NOT EXISTS of a table the history has: nothing is created',
      history: `${SHOP}\nCREATE TABLE audit (id bigint, payload json);`,
      sql: 'CREATE TABLE IF NOT EXISTS audit (id bigint, payload json);',
    },
    {
      name: 'ADD COLUMN IF NOT EXISTS of a column the table has',
      history: `${SHOP}\nCREATE TABLE audit (id bigint, payload json);`,
      sql: 'ALTER TABLE audit ADD COLUMN IF NOT EXISTS payload json;',
    },
  ],
  invalid: [
    {
      name: 'CREATE TABLE with json',
      sql: "CREATE TABLE events (id bigint, payload json NOT NULL DEFAULT '{}');",
      findings: [{ messageId: 'json', line: 1, column: 1, severity: 'info', relation: 'events' }],
      fix: "CREATE TABLE events (id bigint, payload jsonb NOT NULL DEFAULT '{}')",
    },
    {
      name: 'ADD COLUMN json on an existing table',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN metadata JSON;',
      findings: [{ messageId: 'json', line: 1, relation: 'orders' }],
      fix: 'ALTER TABLE orders ADD COLUMN metadata jsonb',
    },
    {
      name: 'ALTER COLUMN TYPE json: reported without a fix',
      history: `${SHOP}\nALTER TABLE orders ADD COLUMN metadata text;`,
      sql: 'ALTER TABLE orders ALTER COLUMN metadata TYPE json USING metadata::json;',
      findings: [{ messageId: 'json', line: 1, relation: 'orders' }],
      fix: null,
    },
  ],
});
