/**
 * REINDEX without CONCURRENTLY rebuilds each index under SHARE on the table (writes blocked) and
 * ACCESS EXCLUSIVE on the index. The planner opens every index of a table it plans a query on, so
 * in practice most reads of the table wait too, for the whole rebuild.
 */
import { displayKey, type AnyNode } from '../analysis/ast';
import { LOCK_MODE_SQL } from '../analysis/locks';
import { defineRule, type RuleContext } from './rule';
import { alternative, ident, lockOn, outsideTransactionNote, qualified, certainlyFails } from './support';

export default defineRule({
  id: 'reindex-without-concurrently',
  meta: {
    title: 'REINDEX without CONCURRENTLY on an existing table',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'REINDEX INDEX and REINDEX TABLE rebuild each index from a full read of the table while holding SHARE on the table, which blocks INSERT, UPDATE and DELETE, and ACCESS EXCLUSIVE on the index being rebuilt. The planner takes ACCESS SHARE on every index of a table when it plans a query on it, so nearly every query on the table, reads included, waits until the rebuild ends. REINDEX ... CONCURRENTLY (PostgreSQL 12+) builds a replacement index under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes, then swaps it in; it cannot run inside a transaction block, and cannot rebuild the index of an EXCLUDE constraint.',
      bad: 'REINDEX INDEX orders_customer_id_idx;',
      good: '-- PostgreSQL 12+, in a migration that runs outside a transaction\nREINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
      versions:
        'REINDEX ... CONCURRENTLY needs PostgreSQL 12; the option-list spelling REINDEX (CONCURRENTLY) needs 14, so the fix writes REINDEX INDEX CONCURRENTLY / REINDEX TABLE CONCURRENTLY, which 12+ accept. On PostgreSQL 11 build a new index with CREATE INDEX CONCURRENTLY, drop the old one with DROP INDEX CONCURRENTLY and rename the new one. Before PostgreSQL 14 REINDEX TABLE does not rebuild the indexes of a partitioned table; from 14 it rebuilds each partition’s indexes, one partition per transaction.',
      reference: 'https://www.postgresql.org/docs/current/sql-reindex.html',
    },
    messages: {
      blocking:
        'REINDEX holds {tableLock} on {table} (writes blocked) and ACCESS EXCLUSIVE on {indexes} (queries planned on {table} block too) for the whole rebuild',
      blockingIndex:
        'REINDEX holds ACCESS EXCLUSIVE on {indexes} and SHARE on its table for the whole rebuild: writes and queries planned on the table block',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'ReindexStmt' || certainlyFails(ctx.statement)) return;
    const params = ((ctx.node.params ?? []) as AnyNode[]).map((p) =>
      String(p.DefElem?.defname).toLowerCase(),
    );
    if (params.includes('concurrently') || ctx.node.concurrent) return;

    // Rebuilt indexes, grouped by their table (by themselves when the table is unknown).
    const groups = new Map<string, { table?: string; indexes: string[] }>();
    for (const index of ctx.statement.rebuildsIndexes) {
      const info = ctx.relation(index).state?.index;
      const table = info ? displayKey(info.table) : undefined;
      const owner = table ?? index;
      if (!ctx.isExisting(owner)) continue;
      const group = groups.get(owner) ?? { table, indexes: [] };
      group.indexes.push(index);
      groups.set(owner, group);
    }
    if (groups.size === 0) return;

    const exclusionIndexes = ctx.statement.rebuildsIndexes.filter(
      (i) => constraintOf(ctx, i)?.kind === 'exclusion',
    );
    const namedExclusion = ctx.node.kind === 'REINDEX_OBJECT_INDEX' && exclusionIndexes.length > 0;
    const fixable = ctx.pg >= 12 && !ctx.tx.inTransaction && !namedExclusion;
    const concurrentText = ctx.statement.text.replace(
      /^(\s*REINDEX\s*(?:\([^)]*\)\s*)?(?:INDEX|TABLE|SCHEMA|DATABASE))\b/i,
      '$1 CONCURRENTLY',
    );
    const fix = fixable && concurrentText !== ctx.statement.text ? concurrentText : undefined;

    for (const [owner, group] of groups) {
      const safeAlternative =
        ctx.pg >= 12 ? concurrently(ctx, concurrentText, exclusionIndexes) : swap(ctx, group.indexes);
      if (group.table) {
        const mode = lockOn(ctx, group.table) ?? 'ShareLock';
        ctx.report({
          messageId: 'blocking',
          data: { tableLock: LOCK_MODE_SQL[mode], table: group.table, indexes: group.indexes.join(', ') },
          relation: group.table,
          lock: mode,
          ...(fix ? { fix } : {}),
          safeAlternative,
        });
      } else {
        ctx.report({
          messageId: 'blockingIndex',
          data: { indexes: group.indexes.join(', ') },
          relation: owner,
          lock: 'AccessExclusiveLock',
          ...(fix ? { fix } : {}),
          safeAlternative,
        });
      }
    }
  },
});

function concurrently(ctx: RuleContext, concurrentText: string, exclusionIndexes: string[]) {
  const notes = [
    outsideTransactionNote(ctx),
    'If a concurrent rebuild fails or is cancelled it leaves an INVALID index named <index>_ccnew: drop it (DROP INDEX CONCURRENTLY) and run the REINDEX again.',
  ];
  if (exclusionIndexes.length) {
    notes.push(
      `${exclusionIndexes.join(', ')} ${exclusionIndexes.length > 1 ? 'back EXCLUDE constraints' : 'backs an EXCLUDE constraint'}: such indexes cannot be rebuilt concurrently (REINDEX TABLE CONCURRENTLY skips them with a warning); rebuild them at a quiet time.`,
    );
  }
  return alternative(
    'Rebuild with REINDEX ... CONCURRENTLY: a new index is built next to the old one and swapped in, while reads and writes continue.',
    ctx.node.kind === 'REINDEX_OBJECT_INDEX' && exclusionIndexes.length ? undefined : `${concurrentText};`,
    notes,
  );
}

/** PostgreSQL 11: build a replacement concurrently, drop the old index concurrently, rename. */
function swap(ctx: RuleContext, indexes: string[]) {
  const steps: string[] = [];
  let incomplete = false;
  for (const index of indexes) {
    const state = ctx.relation(index).state;
    const info = state?.index;
    const bare = state?.name ?? index.split('.').pop() ?? index;
    const schema = state?.schema ?? 'public';
    const con = constraintOf(ctx, index);
    if (!info || info.columns.length === 0 || info.columns.some((c) => !c)) {
      steps.push(
        `-- ${index}: rebuild it the same way from its definition (SELECT indexdef FROM pg_indexes)`,
      );
      incomplete = true;
      continue;
    }
    if (con?.kind === 'exclusion') {
      steps.push(
        `-- ${index} backs the EXCLUDE constraint ${con.name}: it cannot be rebuilt without blocking; do it at a quiet time`,
      );
      continue;
    }
    const table = qualified(displayKey(info.table));
    const newBare = `${bare.slice(0, 59)}_new`;
    const newName = qualified(displayKey(`${schema}.${newBare}`));
    steps.push(
      `CREATE ${info.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${newName} ON ${table} (${info.columns.map(ident).join(', ')});`,
    );
    if (con) {
      // An index that backs a constraint cannot be dropped: swap the constraint onto the new index.
      const kind = con.kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE';
      steps.push(
        `ALTER TABLE ${table} DROP CONSTRAINT ${ident(con.name)}, ADD CONSTRAINT ${ident(con.name)} ${kind} USING INDEX ${ident(newBare)};`,
      );
    } else {
      steps.push(
        `DROP INDEX CONCURRENTLY ${qualified(index)};`,
        `ALTER INDEX ${newName} RENAME TO ${ident(bare)};`,
      );
    }
  }
  const notes = [
    outsideTransactionNote(ctx),
    'The catalog knows only the indexed columns: copy the access method, WHERE clause, INCLUDE columns and operator classes from SELECT indexdef FROM pg_indexes WHERE indexname = ...',
  ];
  if (steps.some((s) => s.includes('USING INDEX')))
    notes.push(
      'Swapping a constraint onto the new index takes ACCESS EXCLUSIVE briefly; dropping a primary key or unique constraint that foreign keys reference fails: recreate those foreign keys (NOT VALID, then VALIDATE) around it.',
    );
  if (incomplete)
    notes.push('Some index definitions are not in the migration history: write those steps by hand.');
  return alternative(
    'PostgreSQL 11 has no REINDEX CONCURRENTLY: build a replacement with CREATE INDEX CONCURRENTLY, drop the old index with DROP INDEX CONCURRENTLY and rename the new one.',
    steps.join('\n'),
    notes,
  );
}

function constraintOf(ctx: RuleContext, index: string) {
  const state = ctx.relation(index).state;
  const table = state?.index ? ctx.catalog.get(state.index.table) : undefined;
  return table?.constraints.find((c) => c.index === state?.key);
}
