/**
 * A statement that needs a lock conflicting with reads or writes waits behind every running query
 * on the table, and every query that arrives after it waits behind it: a lock queue outage.
 * lock_timeout makes the migration give up (and retry) instead.
 */
import { LOCK_MODE_SQL } from '../analysis/locks';
import type { AnalyzedStatement, RelationLock } from '../analysis/types';
import { defineRule, type RuleContext } from './rule';
import { alternative, blocksReadsOrWrites } from './support';

export default defineRule({
  id: 'require-lock-timeout',
  meta: {
    title: 'Blocking lock on an existing table without lock_timeout',
    defaultSeverity: 'warning',
    scalesWithTable: true,
    docs: {
      why: 'Even an instant ALTER TABLE needs its lock first. If a long query or an idle transaction holds a conflicting lock, the ALTER waits in the lock queue, and every new query on that table queues behind the ALTER: reads and writes stop until the long query ends. `SET lock_timeout` bounds the wait: the migration fails fast and can be retried, instead of taking the application down.',
      bad: 'ALTER TABLE orders ADD COLUMN note text;',
      good: "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
      reference: 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-LOCK-TIMEOUT',
    },
    messages: {
      missing:
        '{lock} on {table} without lock_timeout: while it waits for running queries, every new query on {table} queues behind it (first such statement of this migration)',
    },
  },
  check(ctx) {
    if (!ctx.requireLockTimeout || ctx.tx.lockTimeout) return;
    const lock = blockingLock(ctx, ctx.statement);
    if (!lock) return;
    // One SET lock_timeout at the top protects the whole migration: report its first statement only.
    if (ctx.file.earlier.some((s) => !s.transaction.lockTimeout && blockingLock(ctx, s))) return;
    ctx.report({
      messageId: 'missing',
      data: { lock: LOCK_MODE_SQL[lock.mode], table: lock.relation },
      relation: lock.relation,
      lock: lock.mode,
      safeAlternative: alternative(
        'Set a lock_timeout at the top of the migration (session, or SET LOCAL inside its transaction) and retry the migration when it times out.',
        `SET lock_timeout = '5s';\n${ctx.statement.text};`,
      ),
    });
  },
});

/** A lock on a table that existed before this change, conflicting with reads or writes. */
function blockingLock(ctx: RuleContext, s: AnalyzedStatement): RelationLock | undefined {
  return s.locks.find(
    (l) =>
      ['table', 'partitioned table', 'materialized view'].includes(l.kind) &&
      ctx.isExisting(l.relation) &&
      blocksReadsOrWrites(l.mode),
  );
}
