/**
 * RENAME COLUMN is instant, but application code that is running when it commits still uses the
 * old name: every query that names it fails until the new code is deployed everywhere.
 */
import { displayKey, keyOf, rangeVarName, typeDisplay } from '../analysis/ast';
import { defineRule } from './rule';
import { alternative, ident, lockOn, lockPhrase, qualified, certainlyFails } from './support';

export default defineRule({
  id: 'renaming-column',
  meta: {
    title: 'Column renamed on an existing table',
    defaultSeverity: 'warning',
    scalesWithTable: false,
    docs: {
      why: 'ALTER TABLE ... RENAME COLUMN only changes the catalog, under a brief ACCESS EXCLUSIVE lock. But application servers that are running when it commits keep sending the old name: every query that names the column fails with "column does not exist" until the new code is deployed everywhere, and code deployed before the migration fails the other way. Expand and contract instead: add the new column, write both, backfill, switch reads, and drop the old column once nothing uses it.',
      bad: 'ALTER TABLE orders RENAME COLUMN status TO state;',
      good: 'ALTER TABLE orders ADD COLUMN state text;\n-- deploy code that writes both columns, backfill in batches:\nUPDATE orders SET state = status WHERE id IN (SELECT id FROM orders WHERE state IS NULL AND status IS NOT NULL LIMIT 10000);\n-- deploy code that reads state; later:\nALTER TABLE orders DROP COLUMN status;',
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/sql-altertable.html',
    },
    messages: {
      rename:
        'RENAME COLUMN {column} of {table} to {newName}: running code that still uses {column} fails from the moment it commits ({lock}, briefly)',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'RenameStmt' || ctx.node.renameType !== 'OBJECT_COLUMN') return;
    // A statement that fails does none of this: unsupported-on-version reports it.
    if (certainlyFails(ctx.statement)) return;
    if (ctx.node.relationType !== 'OBJECT_TABLE') return;
    const table = displayKey(keyOf(rangeVarName(ctx.node.relation)));
    const state = ctx.relation(table).state;
    // IF EXISTS on a table the history does not have: nothing is locked.
    if (!ctx.statement.locks.some((l) => l.relation === table) || !ctx.isExisting(table)) return;
    if (state && state.kind !== 'table' && state.kind !== 'partitioned table') return;
    const column: string = ctx.node.subname;
    const newName: string = ctx.node.newname;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    const col = state ? ctx.catalog.column(state, column) : undefined;
    const t = qualified(table);
    const type = col ? typeDisplay(col.type) : `<type of ${column}>`;
    const pk = state?.constraints.find((c) => c.kind === 'primary key');
    const key = pk?.columns.length === 1 ? ident(pk.columns[0]) : 'ctid';
    const sql = [
      `ALTER TABLE ${t} ADD COLUMN ${ident(newName)} ${type};`,
      `-- deploy code that writes both ${column} and ${newName} (or a trigger that copies ${column}), then backfill in batches, each committed:`,
      `UPDATE ${t} SET ${ident(newName)} = ${ident(column)} WHERE ${key} IN (SELECT ${key} FROM ${t} WHERE ${ident(newName)} IS NULL AND ${ident(column)} IS NOT NULL LIMIT 10000);`,
      `-- deploy code that reads ${newName}; once nothing uses ${column}:`,
      `ALTER TABLE ${t} DROP COLUMN ${ident(column)};`,
    ].join('\n');
    ctx.report({
      messageId: 'rename',
      data: { column, table, newName, lock: lockPhrase(table, mode) },
      relation: table,
      lock: mode,
      safeAlternative: alternative(
        `Expand and contract: add ${newName} next to ${column}, write both, backfill, switch reads, then drop ${column}.`,
        sql,
        [
          `Give ${newName} the NOT NULL, DEFAULT, constraints and indexes that ${column} has, with the safe forms (NOT VALID then VALIDATE, CREATE INDEX CONCURRENTLY).`,
          `If the code reads the table through a view, the view can keep exposing the old name (… ${ident(newName)} AS ${ident(column)} …) until every server runs the new code.`,
          'If a short error window is acceptable, deploy the code that uses the new name right after the migration, and set a lock_timeout for the rename.',
        ],
      ),
    });
  },
});
