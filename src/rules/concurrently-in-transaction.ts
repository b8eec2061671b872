/**
 * Statements PostgreSQL refuses inside a transaction block (CREATE/DROP INDEX CONCURRENTLY,
 * REINDEX CONCURRENTLY, VACUUM, DETACH PARTITION CONCURRENTLY, ADD VALUE before PG 12) fail the
 * deploy when the file or the migration tool wraps them in one.
 */
import { defineRule } from './rule';
import { alternative, outsideTransactionNote, certainlyFails } from './support';

export default defineRule({
  id: 'concurrently-in-transaction',
  meta: {
    title: 'Statement that cannot run inside a transaction block',
    defaultSeverity: 'high',
    scalesWithTable: false,
    docs: {
      why: 'PostgreSQL refuses some statements inside a transaction block (PreventInTransactionBlock): CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX ... CONCURRENTLY, VACUUM, ALTER TABLE ... DETACH PARTITION CONCURRENTLY, and before PostgreSQL 12 ALTER TYPE ... ADD VALUE. Most migration tools run each migration in a transaction, and a multi-statement script sent in one query is one implicit transaction: the deploy fails with "cannot run inside a transaction block".',
      bad: '-- +goose Up\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      good: '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      versions:
        'ALTER TYPE ... ADD VALUE may run in a transaction block from PostgreSQL 12 (the new value cannot be used before COMMIT).',
      reference: 'https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
    },
    messages: {
      fails:
        '{what} cannot run inside a transaction block and this one runs in one ({why}): the migration fails',
      runnerDependent:
        '{what} cannot run inside a transaction block: it deploys only if the migration runner does not wrap this file in one',
    },
  },
  check(ctx) {
    const t = ctx.statement.transaction;
    if (t.allowedInTransactionBlock || certainlyFails(ctx.statement)) return;
    const what = ctx.statement.summary;
    if (ctx.tx.inTransaction) {
      const why = t.inExplicitTransaction
        ? 'the file’s own BEGIN'
        : `${ctx.file.tool.name} runs this migration in a transaction`;
      ctx.report({
        messageId: 'fails',
        data: { what, why },
        safeAlternative: alternative(
          'Run this statement outside any transaction, in a migration of its own.',
          undefined,
          [outsideTransactionNote(ctx)],
        ),
      });
    } else if (!ctx.tx.toolKnown) {
      ctx.report({
        messageId: 'runnerDependent',
        data: { what },
        severity: 'warning',
        safeAlternative: alternative(
          'Keep this statement in a migration that your runner executes outside a transaction.',
          undefined,
          [outsideTransactionNote(ctx)],
        ),
      });
    }
  },
});
