/**
 * ALTER TABLE ... RENAME TO is instant, but application code that is running when it commits
 * still uses the old name: every query on the table fails until the new code is deployed.
 */
import { displayKey, keyOf, rangeVarName } from '../analysis/ast';
import { defineRule } from './rule';
import { alternative, lockOn, lockPhrase, qualified, certainlyFails } from './support';

export default defineRule({
  id: 'renaming-table',
  meta: {
    title: 'Table renamed while code may still use the old name',
    defaultSeverity: 'warning',
    scalesWithTable: false,
    docs: {
      why: 'ALTER TABLE ... RENAME TO only changes the catalog, under a brief ACCESS EXCLUSIVE lock. But application servers that are running when it commits keep querying the old name: every query fails with "relation does not exist" until the new code is deployed everywhere. Rename the table and, in the same transaction, create a view with the old name: a view that selects all columns of one table is automatically updatable, so reads and writes through the old name keep working until the view is dropped after the deploy.',
      bad: 'ALTER TABLE orders RENAME TO purchases;',
      good: 'BEGIN;\nALTER TABLE orders RENAME TO purchases;\nCREATE VIEW orders AS SELECT * FROM purchases;\nCOMMIT;\n-- after the code that uses purchases is deployed everywhere:\nDROP VIEW orders;',
      versions: 'All supported versions have automatically updatable views (PostgreSQL 9.3+).',
      reference: 'https://www.postgresql.org/docs/current/sql-createview.html#SQL-CREATEVIEW-UPDATABLE-VIEWS',
    },
    messages: {
      rename:
        'RENAME {table} TO {newName}: running code that still uses {table} fails from the moment it commits ({lock}, briefly)',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'RenameStmt' || ctx.node.renameType !== 'OBJECT_TABLE') return;
    // A statement that fails does none of this: unsupported-on-version reports it.
    if (certainlyFails(ctx.statement)) return;
    const table = displayKey(keyOf(rangeVarName(ctx.node.relation)));
    const lock = ctx.statement.locks.find((l) => l.relation === table);
    // Views, indexes and sequences renamed with ALTER TABLE are not tables; IF EXISTS may find nothing.
    if (!lock || (lock.kind !== 'table' && lock.kind !== 'partitioned table')) return;
    if (!ctx.isExisting(table)) return;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    const newName: string = ctx.node.newname;
    const schema = ctx.node.relation?.schemaname as string | undefined;
    const renamed = qualified(schema ? `${schema}.${newName}` : newName);
    const steps = [
      `ALTER TABLE ${qualified(table)} RENAME TO ${qualified(newName)};`,
      `CREATE VIEW ${qualified(table)} AS SELECT * FROM ${renamed};`,
    ];
    const sql = [
      ...(ctx.tx.inTransaction ? steps : ['BEGIN;', ...steps, 'COMMIT;']),
      `-- after the code that uses ${newName} is deployed everywhere:`,
      `DROP VIEW ${qualified(table)};`,
    ].join('\n');
    ctx.report({
      messageId: 'rename',
      data: { table, newName, lock: lockPhrase(table, mode) },
      relation: table,
      lock: mode,
      safeAlternative: alternative(
        `Rename the table and leave a view named ${table} over it in the same transaction, so that code using the old name keeps working during the deploy.`,
        sql,
        [
          'A view that selects * from one table is automatically updatable: INSERT, UPDATE and DELETE through it reach the table.',
          'SELECT * is expanded when the view is created: columns added to the table later do not appear in the view.',
          "Set a lock_timeout (e.g. SET lock_timeout = '5s') so the rename gives up instead of queueing queries behind it.",
        ],
      ),
    });
  },
});
