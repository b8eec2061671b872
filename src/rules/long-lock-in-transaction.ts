/**
 * Locks are held until the transaction ends. A statement that does slow work (rewrites a table,
 * reads one in full, builds an index, backfills rows) after an earlier statement of the same
 * transaction took a blocking lock on an existing table keeps that table blocked for the whole
 * slow work, even when the earlier statement itself was instant.
 */
import { LOCK_MODE_SQL } from '../analysis/locks';
import { defineRule } from './rule';
import { alternative, blocksReadsOrWrites } from './support';
import { describeBlocking } from '../analysis/locks';

export default defineRule({
  id: 'long-lock-in-transaction',
  meta: {
    title: 'Blocking lock held while later slow work runs in the same transaction',
    defaultSeverity: 'high',
    docs: {
      why: 'PostgreSQL releases table locks only at COMMIT or ROLLBACK. When a migration runs several statements in one transaction (the tool’s or its own BEGIN), a quick `ALTER TABLE users ADD COLUMN ...` takes ACCESS EXCLUSIVE on users and keeps it while a later `UPDATE events ...` backfill or `CREATE INDEX` on another table runs for minutes: users is unreadable for all that time.',
      bad: 'BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nUPDATE events SET kind = lower(kind);\nCOMMIT;',
      good: '-- migration 1\nALTER TABLE users ADD COLUMN plan text;\n-- migration 2 (its own transaction, or batched outside one)\nUPDATE events SET kind = lower(kind) WHERE id BETWEEN 1 AND 10000;',
      reference: 'https://www.postgresql.org/docs/current/explicit-locking.html',
    },
    messages: {
      held: '{lock} on {held} (taken at line {line}) stays held while this statement {work}: {held} {blocked} until COMMIT',
    },
  },
  check(ctx) {
    if (!ctx.tx.inTransaction || ctx.tx.heldBefore.length === 0) return;
    const s = ctx.statement;
    const slow = [...new Set([...s.rewrites, ...s.scans, ...s.rebuildsIndexes])].filter((r) =>
      ctx.isExisting(r),
    );
    if (slow.length === 0) return;
    const work = s.rewrites.some((r) => ctx.isExisting(r))
      ? `rewrites ${s.rewrites.join(', ')}`
      : s.rebuildsIndexes.length
        ? `rebuilds indexes of ${slow.join(', ')}`
        : `reads all of ${slow.join(', ')}`;
    const reported = new Set<string>();
    for (const h of ctx.tx.heldBefore) {
      if (reported.has(h.relation) || !blocksReadsOrWrites(h.mode)) continue;
      // The same table locked as strongly by this statement is that statement's own finding.
      if (s.locks.some((l) => l.relation === h.relation && l.mode === h.mode)) continue;
      reported.add(h.relation);
      ctx.report({
        messageId: 'held',
        data: {
          lock: LOCK_MODE_SQL[h.mode],
          held: h.relation,
          line: h.line,
          work,
          blocked: describeBlocking(h.mode).replace(/^blocks/, 'blocks'),
        },
        relation: h.relation,
        lock: h.mode,
        safeAlternative: alternative(
          `Commit the statement that locks ${h.relation} before this one: put them in separate migrations (or separate transactions).`,
          undefined,
          ['Backfills belong outside the schema change’s transaction, in batches that each commit.'],
        ),
      });
    }
  },
});
