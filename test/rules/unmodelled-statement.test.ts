import rule from '../../src/rules/unmodelled-statement';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'a modelled statement',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN note text;',
    },
    {
      name: 'DO block whose EXECUTE is a literal format(): followed',
      history: SHOP,
      sql: "DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN note text', 'orders'); END $$;",
    },
    {
      name: 'CALL of a procedure defined in the history',
      history: `${SHOP}CREATE PROCEDURE archive_orders() LANGUAGE sql AS $$ DELETE FROM orders WHERE status = 'archived' $$;\n`,
      sql: 'CALL archive_orders();',
    },
  ],
  invalid: [
    {
      name: 'DO block with dynamic SQL',
      history: SHOP,
      sql: "DO $$ BEGIN EXECUTE 'ALTER TABLE ' || quote_ident('orders') || ' ADD COLUMN note text'; END $$;",
      findings: [{ messageId: 'unmodelled', line: 1, column: 1, severity: 'info' }],
      fix: null,
      alternativeIncludes: ['pg_locks'],
    },
    {
      name: 'CALL of a procedure not in the history, on PostgreSQL 11',
      pg: 11,
      sql: 'CALL refresh_totals();',
      findings: [{ messageId: 'unmodelled', line: 1, severity: 'info' }],
    },
    {
      name: 'a statement kind the model does not know, naming a table',
      history: SHOP,
      sql: 'CREATE PUBLICATION orders_pub FOR TABLE orders;',
      findings: [{ messageId: 'unmodelledTables', line: 1, severity: 'info', relation: 'orders' }],
    },
    {
      name: 'COPY into an existing table',
      history: SHOP,
      sql: "ALTER TABLE orders ADD COLUMN note text;\nCOPY orders (id, note) FROM '/tmp/notes.csv' WITH (FORMAT csv);",
      findings: [{ messageId: 'unmodelledTables', line: 2, relation: 'orders' }],
    },
  ],
});
