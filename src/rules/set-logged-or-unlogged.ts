/**
 * ALTER TABLE ... SET LOGGED / SET UNLOGGED changes the table's persistence by copying it into a
 * new file (and rebuilding its indexes) under ACCESS EXCLUSIVE. SET LOGGED also writes the whole
 * table to the WAL; SET UNLOGGED makes the table's contents disappear after a crash and on replicas.
 */
import type { AnyNode } from '../analysis/ast';
import { defineRule } from './rule';
import { alternative, ident, lockOn, qualified } from './support';
import { bareName, relationName, under } from './add-column-rewrite';

export default defineRule({
  id: 'set-logged-or-unlogged',
  meta: {
    title: 'SET LOGGED or SET UNLOGGED that rewrites an existing table',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'ALTER TABLE ... SET LOGGED and SET UNLOGGED rewrite the table into a new file and rebuild its indexes, holding ACCESS EXCLUSIVE for the whole copy: reads and writes wait. SET LOGGED also writes every row to the WAL, a burst that replicas and WAL archiving must absorb. SET UNLOGGED changes what the table is: an unlogged table is emptied by crash recovery, is not replicated (it is empty on standbys and after a failover) and is not in physical backups; its sequences become unlogged too (PostgreSQL 15+).',
      bad: 'ALTER TABLE events SET LOGGED;',
      good: '-- create staging tables as the kind they will stay; when a copy must change persistence,\n-- build the new table and copy it in batches, then swap the names in a short transaction:\nCREATE TABLE events_logged (LIKE events INCLUDING ALL);\nINSERT INTO events_logged SELECT * FROM events WHERE id BETWEEN 1 AND 10000; -- in batches\nBEGIN;\nALTER TABLE events RENAME TO events_unlogged;\nALTER TABLE events_logged RENAME TO events;\nCOMMIT;',
      versions:
        'PostgreSQL 15+: the table’s owned sequences (serial, identity) change persistence with it. SET LOGGED/UNLOGGED has always rewritten the table.',
      reference: 'https://www.postgresql.org/docs/current/sql-altertable.html',
    },
    messages: {
      logged:
        'SET LOGGED rewrites {table} under {lock} for the whole rewrite, and writes all of it to the WAL',
      unlogged:
        'SET UNLOGGED rewrites {table} under {lock} for the whole rewrite; afterwards its rows are lost on a crash and absent from replicas',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt') return;
    const table = relationName(ctx.node.relation);
    if (!ctx.statement.rewrites.some((r) => r === table && ctx.isExisting(r))) return;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    const t = qualified(table);
    for (const c of ctx.node.cmds ?? []) {
      const cmd: AnyNode = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_SetLogged' && cmd?.subtype !== 'AT_SetUnLogged') continue;
      const logged = cmd.subtype === 'AT_SetLogged';
      // Persistence a no-op (already logged/unlogged) is not a rewrite: the effect model notes it.
      if (
        ctx.statement.notes.some((n) =>
          n.startsWith(`the table is already ${logged ? 'logged' : 'unlogged'}`),
        )
      )
        continue;
      const copy = `${table}_${logged ? 'logged' : 'unlogged'}`;
      ctx.report({
        messageId: logged ? 'logged' : 'unlogged',
        data: { table, lock: under(mode) },
        relation: table,
        lock: mode,
        safeAlternative: alternative(
          logged
            ? `Build a logged copy of ${table} and fill it in batches while the old one stays readable, then swap the names in a short transaction; or run the rewrite in a maintenance window.`
            : `Keep ${table} logged unless losing its contents on a crash and on replicas is acceptable; for disposable data, create a new UNLOGGED table and move the writes there instead of rewriting this one.`,
          [
            `CREATE ${logged ? '' : 'UNLOGGED '}TABLE ${qualified(copy)} (LIKE ${t} INCLUDING ALL);`,
            `-- copy in batches, one transaction each; writes made meanwhile must reach the copy too (a trigger, or pause them):`,
            `INSERT INTO ${qualified(copy)} SELECT * FROM ${t} WHERE <key> BETWEEN 1 AND 10000;`,
            'BEGIN;',
            `ALTER TABLE ${t} RENAME TO ${ident(`${bareName(table)}_old`)};`,
            `ALTER TABLE ${qualified(copy)} RENAME TO ${ident(bareName(table))};`,
            'COMMIT;',
          ].join('\n'),
          [
            ...(logged
              ? [
                  'SET LOGGED writes the whole table to the WAL: replicas and WAL archiving receive a burst as large as the table.',
                ]
              : [
                  'An unlogged table is truncated by crash recovery, is empty on streaming replicas (so after a failover), and is skipped by physical backups.',
                ]),
            'Foreign keys, views and grants that point at the old table follow it through the rename: re-create them on the copy.',
          ],
        ),
      });
    }
  },
});
