/**
 * ALTER COLUMN ... SET NOT NULL reads every row to prove there is no NULL, holding the ACCESS
 * EXCLUSIVE lock the ALTER TABLE took. PG 12+ skips the scan when a valid CHECK (col IS NOT NULL)
 * constraint already proves it, and PG 18 can add the NOT NULL constraint NOT VALID and validate it
 * under a lock that lets reads and writes continue.
 */
import type { AnyNode } from '../analysis/ast';
import { alternative, lockOn } from './support';
import { defineRule } from './rule';
import { notNullSteps, relationName, under } from './add-column-rewrite';

export default defineRule({
  id: 'set-not-null',
  meta: {
    title: 'SET NOT NULL that reads an existing table under ACCESS EXCLUSIVE',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'ALTER TABLE ... ALTER COLUMN ... SET NOT NULL takes ACCESS EXCLUSIVE on the table and, in the same statement, reads every row to check that the column holds no NULL: reads and writes wait for the whole scan. From PostgreSQL 12 the scan is skipped when a valid CHECK (col IS NOT NULL) constraint proves the same thing; that CHECK can be added NOT VALID (no scan) and validated by VALIDATE CONSTRAINT, which reads the table under SHARE UPDATE EXCLUSIVE and lets reads and writes continue. PostgreSQL 18 accepts NOT NULL constraints NOT VALID directly.',
      bad: 'ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;',
      good: 'ALTER TABLE orders ADD CONSTRAINT orders_shipped_at_not_null CHECK (shipped_at IS NOT NULL) NOT VALID;\n-- next migration (another transaction):\nALTER TABLE orders VALIDATE CONSTRAINT orders_shipped_at_not_null;\nALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL; -- no scan on PG 12+\nALTER TABLE orders DROP CONSTRAINT orders_shipped_at_not_null;',
      versions:
        'PostgreSQL 11: SET NOT NULL always scans under ACCESS EXCLUSIVE; a validated CHECK (col IS NOT NULL) is the non-blocking substitute. PostgreSQL 12+: a valid CHECK (col IS NOT NULL) lets SET NOT NULL skip the scan. PostgreSQL 18: ALTER TABLE ... ADD CONSTRAINT name NOT NULL col NOT VALID, then VALIDATE CONSTRAINT.',
      reference:
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-NOT-NULL',
    },
    messages: {
      scan: 'SET NOT NULL on {table}.{column} reads every row of {scanned} under {lock} for the whole scan',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt') return;
    const table = relationName(ctx.node.relation);
    const scanned = ctx.statement.scans.filter((r) => ctx.isExisting(r));
    if (scanned.length === 0) return;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    for (const c of ctx.node.cmds ?? []) {
      const cmd: AnyNode = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_SetNotNull') continue;
      const column: string = cmd.name;
      // The effect model says when this column needs no scan (already NOT NULL, or proved by a check).
      const proved = ctx.statement.notes.some(
        (n) => n.startsWith(`${column} is already NOT NULL`) || n.includes(`CHECK (${column} IS NOT NULL)`),
      );
      if (proved) continue;
      const steps = notNullSteps(ctx, table, column);
      ctx.report({
        messageId: 'scan',
        data: { table, column, scanned: scanned.join(', '), lock: under(mode) },
        relation: table,
        lock: mode,
        safeAlternative: alternative(
          ctx.pg >= 18
            ? `Add the NOT NULL constraint NOT VALID (no scan), then VALIDATE it in a separate transaction: the scan runs without blocking reads or writes.`
            : ctx.pg >= 12
              ? `Prove ${column} has no NULLs with a CHECK added NOT VALID and validated in a separate transaction (no blocking scan); SET NOT NULL then uses it and skips its own scan.`
              : `PostgreSQL 11 cannot skip SET NOT NULL's scan under ACCESS EXCLUSIVE: enforce the rule with a CHECK (${column} IS NOT NULL) constraint added NOT VALID and validated in a separate transaction instead.`,
          steps.sql.join('\n'),
          [
            ...steps.notes,
            'VALIDATE fails if a NULL is left: backfill the column first; rows written after the constraint is added are checked at once.',
          ],
        ),
      });
    }
  },
});
