/**
 * TRUNCATE empties a table at once under ACCESS EXCLUSIVE: every row is gone, and reads and
 * writes wait for the lock. With CASCADE it empties every table whose foreign keys reference it.
 */
import { displayKey, keyOf, rangeVarName, type AnyNode } from '../analysis/ast';
import { defineRule } from './rule';
import { alternative, descendsFrom, ident, lockOn, lockPhrase, qualified, certainlyFails } from './support';

export default defineRule({
  id: 'truncate-table',
  meta: {
    title: 'Existing table truncated',
    defaultSeverity: 'warning',
    scalesWithTable: false,
    docs: {
      why: 'TRUNCATE replaces the table’s files with empty ones: every row is gone, without reading them, and without firing ON DELETE triggers. It takes ACCESS EXCLUSIVE on the table and its indexes, so reads and writes wait while it waits for running queries and until the transaction commits. With CASCADE it also empties, under the same lock, every table whose foreign keys reference it, and their referencing tables in turn. In a migration that is rarely intended on a table in use; to delete rows, delete them in batches.',
      bad: 'TRUNCATE sessions CASCADE;',
      good: '-- delete in batches, each committed (repeat until it deletes nothing)\nDELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() LIMIT 10000);',
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/sql-truncate.html',
    },
    messages: {
      truncate: 'TRUNCATE deletes every row of {tables} under {lock} until COMMIT',
      cascade:
        'TRUNCATE deletes every row of {tables} under {lock} until COMMIT; CASCADE also empties {others}',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'TruncateStmt') return;
    // A statement that fails does none of this: unsupported-on-version reports it.
    if (certainlyFails(ctx.statement)) return;
    const named = ((ctx.node.relations ?? []) as AnyNode[]).map((r) =>
      displayKey(keyOf(rangeVarName(r.RangeVar))),
    );
    const emptied = ctx.statement.truncates.filter((r) => {
      const kind = ctx.relation(r).state?.kind;
      return kind !== 'index' && kind !== 'partitioned index' && ctx.isExisting(r);
    });
    const tables = named.filter(
      (n) =>
        ctx.isExisting(n) && (emptied.includes(n) || ctx.relation(n).state?.kind === 'partitioned table'),
    );
    // Emptied by CASCADE: neither named nor a partition or child of a named table.
    const others = emptied.filter(
      (r) => !named.includes(r) && !named.some((n) => descendsFrom(ctx, r, ctx.relation(n).state?.key)),
    );
    if (tables.length === 0 && others.length === 0) return;
    const first = tables[0] ?? others[0];
    const mode = lockOn(ctx, first) ?? 'AccessExclusiveLock';
    const pk = ctx.relation(first).state?.constraints.find((c) => c.kind === 'primary key');
    const key = pk?.columns.length === 1 ? ident(pk.columns[0]) : 'ctid';
    const data = {
      tables: (tables.length ? tables : named).join(', '),
      lock: lockPhrase(first, mode),
      others: others.join(', '),
    };
    ctx.report({
      messageId: others.length ? 'cascade' : 'truncate',
      data,
      relation: first,
      lock: mode,
      safeAlternative: alternative(
        'If rows must go from a table in use, delete them in batches that each commit; truncate only tables nothing reads or writes any more.',
        `-- repeat until it deletes nothing:\nDELETE FROM ${qualified(first)} WHERE ${key} IN (SELECT ${key} FROM ${qualified(first)} LIMIT 10000);`,
        [
          'The data cannot be recovered after COMMIT: back it up first if it may be needed.',
          ...(others.length
            ? [
                `CASCADE empties ${others.join(', ')} as well, because their foreign keys reference the truncated tables: name every table explicitly to see what you empty.`,
              ]
            : []),
          "If TRUNCATE is intended, set a lock_timeout (SET lock_timeout = '5s') so it gives up instead of queueing queries behind it.",
        ],
      ),
    });
  },
});
