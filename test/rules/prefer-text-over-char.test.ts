import rule from '../../src/rules/prefer-text-over-char';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    { name: 'varchar(n) is fine', sql: 'CREATE TABLE countries (code varchar(2) PRIMARY KEY, name text);' },
    {
      name: 'character varying is fine',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN ref character varying(20);',
    },
    { name: 'the internal "char" type is not char(n)', sql: 'CREATE TABLE flags (id bigint, kind "char");' },
  ],
  invalid: [
    {
      name: 'char(2) in CREATE TABLE: the fix keeps the limit without padding',
      sql: 'CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);',
      findings: [{ messageId: 'char', line: 1, column: 1, severity: 'warning', relation: 'countries' }],
      fix: 'CREATE TABLE countries (code varchar(2) PRIMARY KEY, name text NOT NULL)',
    },
    {
      name: 'character without a length is char(1)',
      history: SHOP,
      sql: "ALTER TABLE orders ADD COLUMN flag character NOT NULL DEFAULT 'N';",
      findings: [{ messageId: 'char', line: 1, relation: 'orders' }],
      fix: "ALTER TABLE orders ADD COLUMN flag varchar(1) NOT NULL DEFAULT 'N'",
    },
    {
      name: 'ALTER COLUMN TYPE char(n): reported without a fix',
      history: SHOP,
      sql: 'ALTER TABLE orders ALTER COLUMN status TYPE char(10);',
      findings: [{ messageId: 'char', line: 1, relation: 'orders' }],
      fix: null,
    },
  ],
});
