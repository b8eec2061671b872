/**
 * DROP COLUMN is instant (the column is only marked dropped), but running code that selects,
 * inserts or updates the column fails from the moment it commits, ORMs that cache the table's
 * columns fail on every write, and the data is gone.
 */
import { displayKey, keyOf, rangeVarName, type AnyNode } from '../analysis/ast';
import { LOCK_MODE_SQL } from '../analysis/locks';
import { defineRule } from './rule';
import { alternative, descendsFrom, ident, lockOn, lockPhrase, qualified, certainlyFails } from './support';

export default defineRule({
  id: 'dropping-column',
  meta: {
    title: 'Column dropped from an existing table',
    defaultSeverity: 'warning',
    scalesWithTable: false,
    docs: {
      why: 'ALTER TABLE ... DROP COLUMN takes ACCESS EXCLUSIVE on the table, briefly: the column is only marked as dropped, nothing is rewritten. But application code that is running when it commits fails on every query that names the column, and ORMs that cache a table’s columns (Rails, Django, Hibernate, ...) name it in every INSERT and UPDATE even when the code no longer uses it. The data is gone once it commits. Stop using the column first (in Rails: ignored_columns), deploy, and drop it in a later migration, with a lock_timeout. CASCADE also drops the views, indexes and foreign keys that depend on the column.',
      bad: 'ALTER TABLE orders DROP COLUMN legacy_status;',
      good: '-- after a deploy in which no code uses legacy_status (Rails: self.ignored_columns += ["legacy_status"])\nSET lock_timeout = \'5s\';\nALTER TABLE orders DROP COLUMN legacy_status;',
      versions: 'All versions.',
      reference:
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-DROP-COLUMN',
    },
    messages: {
      drop: 'DROP COLUMN {columns} of {table}: running code that reads or writes it fails once this commits, and the data is gone ({lock})',
      dropWithOthers:
        'DROP COLUMN {columns} of {table}: running code that reads or writes it fails once this commits, and the data is gone ({lock}); it also takes {others}',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt' || (ctx.node.objtype ?? 'OBJECT_TABLE') !== 'OBJECT_TABLE') return;
    // A statement that fails does none of this: unsupported-on-version reports it.
    if (certainlyFails(ctx.statement)) return;
    const table = displayKey(keyOf(rangeVarName(ctx.node.relation)));
    const state = ctx.relation(table).state;
    if (!ctx.statement.locks.some((l) => l.relation === table) || !ctx.isExisting(table)) return;
    const cmds: AnyNode[] = (ctx.node.cmds ?? [])
      .map((c: AnyNode) => c.AlterTableCmd)
      .filter((c: AnyNode) => c?.subtype === 'AT_DropColumn');
    // DROP COLUMN IF EXISTS of a column a known table does not have: nothing is dropped.
    const dropped = cmds.filter(
      (c) => !(c.missing_ok && state && !state.assumed && !ctx.catalog.column(state, c.name)),
    );
    const columns: string[] = dropped.map((c) => c.name);
    if (columns.length === 0) return;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    const others = ctx.statement.locks.filter(
      (l) =>
        l.relation !== table &&
        ['table', 'partitioned table', 'view', 'materialized view'].includes(l.kind) &&
        ctx.isExisting(l.relation) &&
        !descendsFrom(ctx, l.relation, state?.key),
    );
    const t = qualified(table);
    const pk = state?.constraints.find((c) => c.kind === 'primary key');
    // A copy keyed by the primary key; the whole table when there is none (or it is being dropped).
    const keyed = pk?.columns.length && !pk.columns.some((c) => columns.includes(c));
    const copied = keyed ? [...pk.columns, ...columns].map(ident).join(', ') : '*';
    const backupName = ident(
      `${state?.name ?? table.split('.').pop()}_${columns.join('_')}_backup`.slice(0, 63),
    );
    const data = {
      columns: columns.join(', '),
      table,
      lock: lockPhrase(table, mode),
      others: others
        .map((l) => `${LOCK_MODE_SQL[l.mode]} on ${l.relation}${l.reason ? ` (${flat(l.reason)})` : ''}`)
        .join(', '),
    };
    ctx.report({
      messageId: others.length ? 'dropWithOthers' : 'drop',
      data,
      relation: table,
      lock: mode,
      safeAlternative: alternative(
        `Stop using ${columns.join(', ')} in the code first and deploy that; drop ${columns.length > 1 ? 'them' : 'it'} in a later migration, with a lock_timeout.`,
        [
          `-- only after a deploy in which no code reads or writes ${columns.join(', ')}:`,
          `SET lock_timeout = '5s';`,
          `ALTER TABLE ${t} ${dropped
            .map(
              (c) =>
                `DROP COLUMN ${c.missing_ok ? 'IF EXISTS ' : ''}${ident(c.name)}${c.behavior === 'DROP_CASCADE' ? ' CASCADE' : ''}`,
            )
            .join(', ')};`,
        ].join('\n'),
        [
          `ORMs cache the table’s columns and name them in INSERT and UPDATE: tell yours to ignore the column first (Rails: self.ignored_columns += [${columns.map((c) => `"${c}"`).join(', ')}]) and deploy before the drop.`,
          'The drop itself rewrites nothing, but it needs ACCESS EXCLUSIVE: without a lock_timeout it waits behind running queries while every new query on the table waits behind it.',
          `The data cannot be recovered after the drop; keep a copy if it may be needed: CREATE TABLE ${backupName} AS SELECT ${copied} FROM ${t};`,
        ],
      ),
    });
  },
});

/** A lock reason inside parentheses, without nested ones: "dropped (CASCADE)" → "dropped, CASCADE". */
function flat(reason: string): string {
  return reason.replace(/\s*\(([^)]*)\)/g, ', $1');
}
