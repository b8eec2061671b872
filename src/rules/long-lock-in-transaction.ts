/**
 * Locks are held until the transaction ends. A statement that does slow work (rewrites a table,
 * reads one in full, builds an index, backfills rows) after an earlier statement of the same
 * transaction took a blocking lock on an existing table keeps that table blocked for the whole
 * slow work, even when the earlier statement itself was instant.
 */
import { defineRule } from './rule';
import { alternative, blocksReadsOrWrites } from './support';
import { blockedBy, describeBlocking, isCoveredBy, LOCK_MODE_SQL, type LockMode } from '../analysis/locks';

export default defineRule({
  id: 'long-lock-in-transaction',
  meta: {
    title: 'Blocking lock held while later slow work runs in the same transaction',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'PostgreSQL releases table locks only at COMMIT or ROLLBACK. When a migration runs several statements in one transaction (the tool’s or its own BEGIN), a quick `ALTER TABLE users ADD COLUMN ...` takes ACCESS EXCLUSIVE on users and keeps it while a later `UPDATE events ...` backfill or `CREATE INDEX` on another table runs for minutes: users is unreadable for all that time.',
      bad: 'BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nUPDATE events SET kind = lower(kind);\nCOMMIT;',
      good: '-- migration 1\nALTER TABLE users ADD COLUMN plan text;\n-- migration 2 (its own transaction, or batched outside one)\nUPDATE events SET kind = lower(kind) WHERE id BETWEEN 1 AND 10000;',
      reference: 'https://www.postgresql.org/docs/current/explicit-locking.html',
    },
    messages: {
      held: '{lock} on {held} (taken at line {line}) stays held while this statement {work}: {held} {blocked} until COMMIT',
      heldMany:
        '{lock} on {held} (taken at line {line}) and locks on {more} more tables stay held while this statement {work}: {held} {blocked} until COMMIT',
    },
  },
  check(ctx) {
    if (!ctx.tx.inTransaction) return;
    const s = ctx.statement;
    // Slow work first: it is rare, and the locks held before cost a pass over the transaction.
    const slow = [...new Set([...s.rewrites, ...s.scans, ...s.rebuildsIndexes])].filter((r) =>
      ctx.isExisting(r),
    );
    if (slow.length === 0 || ctx.tx.heldBefore.length === 0) return;
    // Locks this statement takes as strongly itself are its own finding, not a held one.
    // Tables only (an index's lock goes with its table), still existing, and not locked at least as
    // strongly by this statement itself (that is its own finding).
    const held = ctx.tx.heldBefore.filter((h) => {
      const state = ctx.relation(h.relation).state;
      return (
        !!state &&
        ['table', 'partitioned table', 'materialized view'].includes(state.kind) &&
        blocksReadsOrWrites(h.mode) &&
        !s.locks.some((l) => l.relation === h.relation && isCoveredBy(h.mode, l.mode))
      );
    });
    const relations = [...new Set(held.map((h) => h.relation))];
    if (relations.length === 0) return;
    // One finding per slow statement, naming the lock that blocks the most.
    const first = held.sort((a, b) => blockingRank(b.mode) - blockingRank(a.mode) || a.line - b.line)[0];
    const work = s.rewrites.some((r) => ctx.isExisting(r))
      ? `rewrites ${s.rewrites.join(', ')}`
      : s.rebuildsIndexes.length
        ? `rebuilds indexes of ${slow.join(', ')}`
        : `reads all of ${slow.join(', ')}`;
    ctx.report({
      messageId: relations.length > 1 ? 'heldMany' : 'held',
      data: {
        lock: LOCK_MODE_SQL[first.mode],
        held: first.relation,
        line: first.line,
        more: relations.length - 1,
        work,
        blocked: describeBlocking(first.mode),
      },
      relation: first.relation,
      lock: first.mode,
      safeAlternative: alternative(
        `Commit what locks ${relations.join(', ')} before this statement: put them in separate migrations (or separate transactions).`,
        undefined,
        ['Backfills belong outside the schema change’s transaction, in batches that each commit.'],
      ),
    });
  },
});

function blockingRank(mode: LockMode): number {
  const b = blockedBy(mode);
  return Number(b.reads) * 2 + Number(b.writes);
}
