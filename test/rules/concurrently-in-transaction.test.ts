import rule from '../../src/rules/concurrently-in-transaction';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'goose NO TRANSACTION',
      history: SHOP,
      sql: '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
    },
    {
      name: 'golang-migrate file with the statement alone runs outside a transaction',
      history: SHOP,
      path: 'db/migrations/000012_orders_status_idx.up.sql',
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
    },
    {
      name: 'ADD VALUE in a transaction is allowed from PG 12',
      pg: 12,
      sql: "BEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;",
    },
    {
      name: 'plain CREATE INDEX inside BEGIN',
      history: SHOP,
      sql: 'BEGIN;\nCREATE INDEX orders_status_idx ON orders (status);\nCOMMIT;',
    },
  ],
  invalid: [
    {
      name: 'explicit BEGIN around CONCURRENTLY',
      history: SHOP,
      sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\nCOMMIT;',
      findings: [{ messageId: 'fails', line: 2, severity: 'high' }],
    },
    {
      name: 'goose wraps the migration',
      history: SHOP,
      sql: '-- +goose Up\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      findings: [{ messageId: 'fails', line: 2 }],
      alternativeIncludes: ['-- +goose NO TRANSACTION'],
    },
    {
      name: 'golang-migrate multi-statement file is one implicit transaction',
      history: SHOP,
      path: 'db/migrations/000012_orders.up.sql',
      sql: 'ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      findings: [{ messageId: 'fails', line: 2 }],
    },
    {
      name: 'Drizzle: the migrator runs every migration in one transaction (marker in the file)',
      history: SHOP,
      path: 'src/db/migrations/0007_orders_status.sql',
      sql: 'ALTER TABLE orders ADD COLUMN note text;--> statement-breakpoint\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      findings: [{ messageId: 'fails', line: 2, severity: 'high' }],
      alternativeIncludes: ['its migrator always uses a transaction'],
    },
    {
      name: 'Drizzle: even a migration of one statement (found by its drizzle/ path)',
      history: SHOP,
      path: 'drizzle/0003_status_index.sql',
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      findings: [{ messageId: 'fails', line: 1, severity: 'high' }],
    },
    {
      name: 'VACUUM in a Prisma migration with other statements',
      history: SHOP,
      path: 'prisma/migrations/20240101000000_vacuum/migration.sql',
      sql: 'ALTER TABLE orders ADD COLUMN note text;\nVACUUM orders;',
      findings: [{ messageId: 'fails', line: 2 }],
    },
    {
      name: 'ADD VALUE inside a transaction fails before PG 12',
      pg: 11,
      sql: "CREATE TYPE mood AS ENUM ('ok');\nBEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;",
      findings: [{ messageId: 'fails', line: 3 }],
    },
    {
      name: 'unknown runner: a warning saying what the runner must do',
      history: SHOP,
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      findings: [{ messageId: 'runnerDependent', line: 1, severity: 'warning' }],
      alternativeIncludes: ['does not wrap the file'],
    },
  ],
});
