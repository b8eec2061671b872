/**
 * CREATE TABLE with a foreign key to an existing table adds RI triggers to the referenced table,
 * under SHARE ROW EXCLUSIVE: writes to it wait while the CREATE waits for the lock, and until the
 * transaction commits. Usually brief; worth knowing on a busy table.
 */
import { displayKey, keyOf, nodeKind, rangeVarName, type AnyNode } from '../analysis/ast';
import { defineRule } from './rule';
import { alternative, lockOn, lockPhrase, certainlyFails } from './support';

export default defineRule({
  id: 'create-table-with-foreign-key',
  meta: {
    title: 'New table with a foreign key to an existing table',
    defaultSeverity: 'info',
    scalesWithTable: true,
    docs: {
      why: 'A foreign key adds triggers to the referenced table, so CREATE TABLE ... REFERENCES takes SHARE ROW EXCLUSIVE on it (the new table is empty: nothing is validated). That lock blocks INSERT, UPDATE and DELETE on the referenced table but not reads. It is granted only after running writes to that table have finished, new writes queue behind it meanwhile, and it is held until the transaction commits. In a short transaction with a lock_timeout that is harmless; followed by slow work in the same transaction (see long-lock-in-transaction) it blocks writes for all of it.',
      bad: 'BEGIN;\nCREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\nUPDATE orders SET status = lower(status);\nCOMMIT;',
      good: "SET lock_timeout = '5s';\nCREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));",
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/sql-createtable.html',
    },
    messages: {
      references:
        'CREATE TABLE {table} references {referenced} and takes {lock}, from when it queues for the lock until COMMIT',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'CreateStmt') return;
    // A statement that fails does none of this: unsupported-on-version reports it.
    if (certainlyFails(ctx.statement)) return;
    const referenced = new Set<string>();
    const addFk = (con: AnyNode) => {
      if (con?.contype === 'CONSTR_FOREIGN') referenced.add(displayKey(keyOf(rangeVarName(con.pktable))));
    };
    for (const elt of ctx.node.tableElts ?? []) {
      if (nodeKind(elt) === 'ColumnDef') for (const c of elt.ColumnDef.constraints ?? []) addFk(c.Constraint);
      else if (nodeKind(elt) === 'Constraint') addFk(elt.Constraint);
    }
    const table = displayKey(keyOf(rangeVarName(ctx.node.relation)));
    for (const ref of referenced) {
      // A self-reference, or a table created in this change, is empty and unused.
      if (ref === table || !ctx.isExisting(ref)) continue;
      const mode = lockOn(ctx, ref);
      if (!mode) continue;
      ctx.report({
        messageId: 'references',
        data: { table, referenced: ref, lock: lockPhrase(ref, mode) },
        relation: ref,
        lock: mode,
        safeAlternative: alternative(
          `Keep the CREATE TABLE in a short transaction with a lock_timeout, so writes to ${ref} wait at most that long.`,
          `SET lock_timeout = '5s';\n${ctx.statement.text};`,
          [
            `Do not follow it with slow work (backfills, index builds) in the same transaction: ${ref} stays write-locked until COMMIT.`,
          ],
        ),
      });
    }
  },
});
