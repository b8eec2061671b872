import rule from '../../src/rules/set-logged-or-unlogged';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

const STAGING = `${SHOP}\nCREATE UNLOGGED TABLE import_rows (id bigint PRIMARY KEY, payload text);`;

runRuleTests(rule, {
  valid: [
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE UNLOGGED TABLE scratch (id bigint);\nALTER TABLE scratch SET LOGGED;',
    },
    {
      name: 'already logged: nothing to do',
      history: SHOP,
      sql: 'ALTER TABLE orders SET LOGGED;',
    },
    {
      name: 'already unlogged: nothing to do',
      history: STAGING,
      sql: 'ALTER TABLE import_rows SET UNLOGGED;',
    },
  ],
  invalid: [
    {
      name: 'SET LOGGED rewrites and fills the WAL',
      history: STAGING,
      sql: 'ALTER TABLE import_rows SET LOGGED;',
      findings: [{ messageId: 'logged', line: 1, column: 1, severity: 'high', relation: 'import_rows' }],
      fix: null,
      alternativeIncludes: [
        'CREATE TABLE import_rows_logged (LIKE import_rows INCLUDING ALL);',
        'ALTER TABLE import_rows RENAME TO import_rows_old;',
        'ALTER TABLE import_rows_logged RENAME TO import_rows;',
        'writes the whole table to the WAL',
      ],
    },
    {
      name: 'SET UNLOGGED rewrites and loses data on crash',
      history: SHOP,
      pg: 11,
      sql: 'ALTER TABLE orders SET UNLOGGED;',
      findings: [{ messageId: 'unlogged', line: 1, relation: 'orders' }],
      alternativeIncludes: ['truncated by crash recovery', 'CREATE UNLOGGED TABLE orders_unlogged'],
    },
    {
      name: 'table unknown to the history is assumed logged',
      pg: 16,
      sql: 'ALTER TABLE events SET UNLOGGED;',
      findings: [{ messageId: 'unlogged', line: 1, relation: 'events' }],
    },
  ],
});
