/**
 * DROP TABLE loses the data, and running code that uses the table fails from the moment it
 * commits. Its foreign keys' triggers are removed from the tables they reference, which locks
 * those tables ACCESS EXCLUSIVE too.
 */
import { displayKey, keyOf, namesToQualified, stringList, type AnyNode } from '../analysis/ast';
import { LOCK_MODE_SQL } from '../analysis/locks';
import { defineRule } from './rule';
import { alternative, lockOn, lockPhrase, qualified, certainlyFails } from './support';

export default defineRule({
  id: 'dropping-table',
  meta: {
    title: 'Existing table dropped',
    defaultSeverity: 'warning',
    scalesWithTable: false,
    docs: {
      why: 'DROP TABLE deletes the table and its data for good, and application code that is running when it commits fails on every query that uses it. It takes ACCESS EXCLUSIVE on the table, and also on every table its foreign keys reference (their RI triggers are removed) and, for a partition, on the parent: those tables stop serving reads and writes while the DROP waits for its locks and until the transaction commits. Stop using the table in code first, deploy, and drop it in a later migration with a lock_timeout.',
      bad: 'DROP TABLE legacy_orders;',
      good: "-- after a deploy in which no code uses legacy_orders, and a backup (pg_dump -t legacy_orders)\nSET lock_timeout = '5s';\nDROP TABLE legacy_orders;",
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/sql-droptable.html',
    },
    messages: {
      drop: 'DROP TABLE {tables}: the data is gone and running code that uses it fails once this commits ({lock})',
      dropWithOthers:
        'DROP TABLE {tables}: the data is gone and running code that uses it fails once this commits ({lock}); it also takes {others} until COMMIT',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'DropStmt' || ctx.node.removeType !== 'OBJECT_TABLE') return;
    // A statement that fails does none of this: unsupported-on-version reports it.
    if (certainlyFails(ctx.statement)) return;
    const named = ((ctx.node.objects ?? []) as AnyNode[]).map((o) =>
      displayKey(keyOf(namesToQualified(stringList(o?.List?.items)))),
    );
    // IF EXISTS on a table a complete history does not have: nothing is locked.
    const dropped = named.filter(
      (n) => ctx.statement.locks.some((l) => l.relation === n) && ctx.isExisting(n),
    );
    if (dropped.length === 0) return;
    const first = dropped[0];
    const mode = lockOn(ctx, first) ?? 'AccessExclusiveLock';
    // Other existing tables locked for a reason (foreign-key triggers, parent of a partition, CASCADE).
    const others = ctx.statement.locks.filter(
      (l) => l.reason && !named.includes(l.relation) && ctx.isExisting(l.relation),
    );
    const data = {
      tables: dropped.join(', '),
      lock: lockPhrase(first, mode),
      others: others
        .map(
          (l) =>
            `${LOCK_MODE_SQL[l.mode]} on ${l.relation} (${(l.reason ?? '').replace(/\s*\(([^)]*)\)/g, ', $1')})`,
        )
        .join(', '),
    };
    ctx.report({
      messageId: others.length ? 'dropWithOthers' : 'drop',
      data,
      relation: first,
      lock: mode,
      safeAlternative: alternative(
        `Stop using ${dropped.join(', ')} in the code and deploy that first; keep a backup, then drop in a later migration with a lock_timeout.`,
        [
          `-- only after a deploy in which no code uses ${dropped.join(', ')}:`,
          `SET lock_timeout = '5s';`,
          `${ctx.statement.text};`,
        ].join('\n'),
        [
          `Back up the data first if it may be needed again (pg_dump ${dropped.map((t) => `-t ${qualified(t)}`).join(' ')}).`,
          `To find code that still uses it before the data is gone, rename it first (ALTER TABLE ${qualified(first)} RENAME TO ${qualified(`${first.split('.').pop()}_deprecated`)}) or revoke access, and drop it a release later.`,
          ...(others.length
            ? [
                `${others.map((l) => l.relation).join(', ')} ${others.length > 1 ? 'are' : 'is'} locked as well: with a lock_timeout the DROP gives up instead of queueing queries on ${others.length > 1 ? 'them' : 'it'}.`,
              ]
            : []),
        ],
      ),
    });
  },
});
