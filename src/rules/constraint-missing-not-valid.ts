/**
 * ADD CONSTRAINT CHECK / FOREIGN KEY validates every existing row while holding the lock the
 * ALTER TABLE took: ACCESS EXCLUSIVE for CHECK (reads and writes blocked), SHARE ROW EXCLUSIVE on
 * both tables for a foreign key (writes blocked on both). NOT VALID skips the scan; VALIDATE
 * CONSTRAINT later scans under SHARE UPDATE EXCLUSIVE, which blocks neither.
 */
import { keyOf, rangeVarName, referencedColumns, stringList, type AnyNode } from '../analysis/ast';
import { defineRule } from './rule';
import { alternative, lockOn, lockPhrase, qualified } from './support';

export default defineRule({
  id: 'constraint-missing-not-valid',
  meta: {
    title: 'CHECK or FOREIGN KEY added without NOT VALID on an existing table',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'Adding a CHECK constraint takes ACCESS EXCLUSIVE on the table and, in the same statement, reads every row to validate it: reads and writes wait for the whole scan. Adding a FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables (it creates triggers on both) and validates with a query over both: writes to both wait. With NOT VALID the constraint is added without reading existing rows (new rows are checked at once); a later ALTER TABLE ... VALIDATE CONSTRAINT reads the rows under SHARE UPDATE EXCLUSIVE (ROW SHARE on the referenced table), which lets reads and writes continue. Run VALIDATE in a separate transaction, or the first lock is held during the scan anyway.',
      bad: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);',
      good: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n-- next migration (another transaction)\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;',
      versions: 'All versions. PostgreSQL 18 adds NOT NULL constraints with NOT VALID as well.',
      reference: 'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES',
    },
    messages: {
      check: 'ADD CONSTRAINT {constraint} reads every row of {table} under {lock}',
      foreignKey:
        'ADD FOREIGN KEY {constraint} reads {table} and {referenced} under {lock}; {referencedLock}',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt') return;
    const cmds: AnyNode[] = (ctx.node.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd);
    for (const cmd of cmds) {
      const con = cmd?.subtype === 'AT_AddConstraint' ? cmd.def?.Constraint : undefined;
      if (!con || con.skip_validation) continue;
      if (
        con.contype !== 'CONSTR_CHECK' &&
        con.contype !== 'CONSTR_FOREIGN' &&
        con.contype !== 'CONSTR_NOTNULL'
      )
        continue;
      const table = ctx.statement.locks[0]?.relation;
      if (!table || !ctx.isExisting(table) || !ctx.statement.scans.includes(table)) continue;
      const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
      const name = con.conname ?? impliedName(table, con);
      const single = cmds.length === 1;
      const fix = single ? `${ctx.statement.text} NOT VALID` : undefined;
      const validate = `ALTER TABLE ${qualified(table)} VALIDATE CONSTRAINT ${qualified(name)};`;
      const steps = alternative(
        'Add the constraint NOT VALID (no scan, brief lock), then VALIDATE it in a separate transaction (scan without blocking reads or writes).',
        `${fix ?? ctx.statement.text.replace(/;?\s*$/, '') + ' -- add NOT VALID to the constraint'};\n-- in a separate transaction (next migration):\n${validate}`,
        [
          'Existing rows that violate the constraint make VALIDATE fail: fix them first; new rows are checked from the moment the constraint exists.',
        ],
      );
      if (con.contype === 'CONSTR_FOREIGN') {
        const referenced = keyOfDisplay(rangeVarName(con.pktable));
        const refMode = lockOn(ctx, referenced) ?? 'ShareRowExclusiveLock';
        ctx.report({
          messageId: 'foreignKey',
          data: {
            constraint: name,
            table,
            referenced,
            lock: lockPhrase(table, mode),
            referencedLock: lockPhrase(referenced, refMode),
          },
          relation: table,
          lock: mode,
          ...(fix ? { fix } : {}),
          safeAlternative: steps,
        });
      } else {
        ctx.report({
          messageId: 'check',
          data: { constraint: name, table, lock: lockPhrase(table, mode) },
          relation: table,
          lock: mode,
          ...(fix ? { fix } : {}),
          safeAlternative: steps,
        });
      }
    }
  },
});

function keyOfDisplay(q: { schema: string; name: string }): string {
  return q.schema === 'public' ? q.name : keyOf(q);
}

/** The name PostgreSQL will give an unnamed constraint (ChooseConstraintName). */
function impliedName(table: string, con: AnyNode): string {
  const bare = table.split('.').pop() ?? table;
  if (con.contype === 'CONSTR_FOREIGN') return `${bare}_${stringList(con.fk_attrs).join('_')}_fkey`;
  if (con.contype === 'CONSTR_NOTNULL') return `${bare}_${stringList(con.keys)[0] ?? ''}_not_null`;
  const cols = referencedColumns(con.raw_expr);
  return cols.length === 1 ? `${bare}_${cols[0]}_check` : `${bare}_check`;
}
