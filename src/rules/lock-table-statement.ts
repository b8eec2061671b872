/**
 * An explicit LOCK TABLE holds its lock until the transaction ends: everything the rest of the
 * migration does happens while the table is blocked. Outside a transaction block it fails.
 */
import { displayKey, keyOf, rangeVarName, type AnyNode } from '../analysis/ast';
import { describeBlocking, LOCK_MODE_SQL, LOCK_MODES, type LockMode } from '../analysis/locks';
import { defineRule } from './rule';
import { alternative, blocksReadsOrWrites } from './support';

export default defineRule({
  id: 'lock-table-statement',
  meta: {
    title: 'Explicit LOCK TABLE on an existing table',
    defaultSeverity: 'warning',
    scalesWithTable: true,
    docs: {
      why: 'LOCK TABLE takes the named lock on the table (and, unless ONLY, on its partitions and children; for a view, on the tables it reads) and holds it until the transaction commits or rolls back: everything the migration does after it runs while the table is blocked. ACCESS EXCLUSIVE (the default mode) blocks reads and writes; EXCLUSIVE, SHARE ROW EXCLUSIVE and SHARE block writes. The statement first waits for every running transaction that holds a conflicting lock, and new queries queue behind it meanwhile. DDL takes the locks it needs by itself: an explicit LOCK is only needed to take locks in a fixed order (avoiding deadlocks) or to freeze a table while the migration reads it. LOCK TABLE outside a transaction block is an error.',
      bad: 'BEGIN;\nLOCK TABLE orders;\nUPDATE orders SET status = lower(status);\nCOMMIT;',
      good: "BEGIN;\nSET LOCAL lock_timeout = '5s';\n-- SHARE blocks writes but lets reads continue\nLOCK TABLE orders IN SHARE MODE;\n-- only quick statements here\nCOMMIT;",
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/sql-lock.html',
    },
    messages: {
      held: 'LOCK TABLE {tables} IN {mode} MODE holds {mode} on {tables} until the transaction ends: {blocking}',
      outsideTransaction:
        'LOCK TABLE can only be used in transaction blocks and this one runs outside one ({why}): the migration fails',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'LockStmt') return;
    const mode: LockMode = LOCK_MODES[(ctx.node.mode ?? 8) - 1] ?? 'AccessExclusiveLock';
    const named = ((ctx.node.relations ?? []) as AnyNode[]).map((r) =>
      displayKey(keyOf(rangeVarName(r.RangeVar))),
    );
    // Outside any transaction block PostgreSQL refuses LOCK TABLE (RequireTransactionBlock).
    if (!ctx.tx.inTransaction && ctx.tx.toolKnown) {
      ctx.report({
        messageId: 'outsideTransaction',
        data: { why: `${ctx.file.tool.name} runs this file outside a transaction` },
        severity: 'high',
        safeAlternative: alternative(
          'Put the LOCK TABLE and the statements it protects in one transaction, or drop it: DDL takes the locks it needs.',
          `BEGIN;\n${ctx.statement.text};\n-- the statements that need the lock\nCOMMIT;`,
        ),
      });
      return;
    }
    if (!blocksReadsOrWrites(mode)) return;
    const tables = named.filter(
      (n) => ctx.isExisting(n) && ctx.statement.locks.some((l) => l.relation === n),
    );
    if (tables.length === 0) return;
    const weaker =
      mode === 'AccessExclusiveLock' || mode === 'ExclusiveLock'
        ? [
            'If the point is to stop writes while the migration reads the table, IN SHARE MODE does that and lets reads continue.',
          ]
        : [];
    const notes = [
      "Set a lock_timeout first (SET LOCAL lock_timeout = '5s'): while LOCK TABLE waits for running transactions, every new query on the table queues behind it.",
      'Keep only quick statements between the LOCK and COMMIT: backfills and index builds there keep the table blocked for their whole duration.',
      ...weaker,
    ];
    if (!ctx.tx.inTransaction)
      notes.unshift(
        'LOCK TABLE fails outside a transaction block: this file has no BEGIN, so it deploys only if your migration runner wraps it in a transaction.',
      );
    ctx.report({
      messageId: 'held',
      data: {
        tables: tables.join(', '),
        mode: LOCK_MODE_SQL[mode],
        blocking: describeBlocking(mode),
      },
      relation: tables[0],
      lock: mode,
      safeAlternative: alternative(
        'Lock as late and as briefly as possible, in the weakest mode that protects what the migration does, with a lock_timeout.',
        `SET LOCAL lock_timeout = '5s';\n${ctx.statement.text};`,
        notes,
      ),
    });
  },
});
