/**
 * DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index and on its table. The drop
 * itself is instant, but the lock must wait for every running query on the table, and every query
 * that arrives meanwhile queues behind it: reads and writes stop until the longest query ends.
 */
import { displayKey, keyOf, namesToQualified, stringList, type AnyNode } from '../analysis/ast';
import { defineRule } from './rule';
import {
  alternative,
  lockOn,
  lockPhrase,
  outsideTransactionNote,
  qualified,
  certainlyFails,
} from './support';

export default defineRule({
  id: 'require-concurrent-index-deletion',
  meta: {
    title: 'Index dropped without CONCURRENTLY on an existing table',
    defaultSeverity: 'warning',
    scalesWithTable: true,
    docs: {
      why: 'DROP INDEX takes ACCESS EXCLUSIVE on the index and on its table (index_drop). Removing the index is quick, but the lock is granted only after every running query on the table has finished, and every query that arrives after it, reads included, waits behind it: a long report or an idle transaction turns an instant DROP INDEX into an outage of the table. DROP INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE instead: it marks the index invalid, waits for the transactions that might use it, then drops it, while reads and writes continue. It drops one index per statement, does not support CASCADE, cannot run inside a transaction block, and cannot drop an index that backs a PRIMARY KEY, UNIQUE or EXCLUDE constraint (drop the constraint instead).',
      bad: 'DROP INDEX orders_status_idx;',
      good: '-- in a migration that runs outside a transaction\nDROP INDEX CONCURRENTLY orders_status_idx;',
      versions:
        'All supported versions have DROP INDEX CONCURRENTLY. Partitioned indexes (PostgreSQL 11+) cannot be dropped concurrently: dropping one locks the parent and every partition.',
      reference: 'https://www.postgresql.org/docs/current/sql-dropindex.html',
    },
    messages: {
      blocking:
        'DROP INDEX {index} takes {lock}; the lock waits for every running query on {table} and every new query queues behind it',
      partitioned:
        'DROP INDEX {index} takes {lock}, on every partition too; partitioned indexes cannot be dropped CONCURRENTLY',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'DropStmt' || ctx.node.removeType !== 'OBJECT_INDEX' || ctx.node.concurrent) return;
    // An index backing a constraint cannot be dropped at all: unsupported-on-version reports that.
    if (certainlyFails(ctx.statement)) return;
    const named = ((ctx.node.objects ?? []) as AnyNode[]).map((o) =>
      displayKey(keyOf(namesToQualified(stringList(o?.List?.items)))),
    );
    // IF EXISTS on an index the history does not have: nothing is locked, nothing to report.
    const dropped = named.filter((n) => ctx.statement.locks.some((l) => l.relation === n));
    const targets = dropped.map((index) => {
      const state = ctx.relation(index).state;
      const table = state?.index ? displayKey(state.index.table) : undefined;
      return { index, table, partitioned: state?.kind === 'partitioned index' };
    });
    const existing = targets.filter((t) => ctx.isExisting(t.table ?? t.index));
    if (existing.length === 0) return;
    const first = existing[0];
    const relation = first.table ?? first.index;
    const mode = lockOn(ctx, relation) ?? 'AccessExclusiveLock';
    const cascade = ctx.node.behavior === 'DROP_CASCADE';
    const ifExists = ctx.node.missing_ok ? 'IF EXISTS ' : '';
    const data = {
      index: existing.map((t) => t.index).join(', '),
      table: relation,
      lock: lockPhrase(relation, mode),
    };
    if (existing.some((t) => t.partitioned)) {
      ctx.report({
        messageId: 'partitioned',
        data,
        relation,
        lock: mode,
        safeAlternative: alternative(
          'There is no concurrent way to drop a partitioned index: set a short lock_timeout so the drop gives up instead of queueing every query on the partitions, and retry at a quiet time.',
          `SET lock_timeout = '2s';\n${ctx.statement.text};`,
          ['Retry the migration if it times out; each attempt blocks the tables for at most the timeout.'],
        ),
      });
      return;
    }
    const concurrent = dropped.map((i) => `DROP INDEX CONCURRENTLY ${ifExists}${qualified(i)};`).join('\n');
    // The statement's own text becomes correct only for one index, without CASCADE, outside a transaction.
    const single = dropped.length === 1 && !cascade && !ctx.tx.inTransaction;
    const fix = single ? ctx.statement.text.replace(/^(\s*DROP\s+INDEX)\b/i, '$1 CONCURRENTLY') : undefined;
    const notes = [outsideTransactionNote(ctx)];
    if (dropped.length > 1) notes.push('DROP INDEX CONCURRENTLY drops one index per statement.');
    if (cascade)
      notes.push(
        'DROP INDEX CONCURRENTLY does not support CASCADE: drop the objects that depend on the index first.',
      );
    notes.push(
      'If it is interrupted, the index is left INVALID but still present: run the DROP INDEX CONCURRENTLY again.',
    );
    ctx.report({
      messageId: 'blocking',
      data,
      relation,
      lock: mode,
      ...(fix ? { fix } : {}),
      safeAlternative: alternative(
        'Drop the index with CONCURRENTLY: it waits for queries using the index without blocking reads or writes.',
        concurrent,
        notes,
      ),
    });
  },
});
