/**
 * The effect model could not follow the statement (an unknown statement kind, a DO block running
 * dynamic SQL, a procedure whose body is not in the history): its locks, rewrites and scans are
 * unknown, so no other rule can judge it. Say so instead of staying silent.
 */
import { displayKey, keyOf, rangeVarName, walk, type AnyNode } from '../analysis/ast';
import { defineRule } from './rule';
import { alternative } from './support';

export default defineRule({
  id: 'unmodelled-statement',
  meta: {
    title: 'Statement whose locks are unknown to the effect model',
    defaultSeverity: 'info',
    scalesWithTable: false,
    docs: {
      why: 'Every other rule judges a statement by its effects: the locks PostgreSQL takes, the tables it rewrites or reads in full. When the effect model cannot work those out (a statement kind it does not model, a DO block that builds SQL at run time with EXECUTE, a CALL of a procedure whose body is not in the migration history), nothing is reported about it, which is not the same as it being safe. This rule says so, so that someone reviews the statement by hand: which tables it touches, in which lock mode, and for how long.',
      bad: "DO $$\nBEGIN\n  EXECUTE 'ALTER TABLE ' || quote_ident(current_setting('app.table')) || ' ADD COLUMN note text';\nEND $$;",
      good: 'ALTER TABLE orders ADD COLUMN note text;',
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/explicit-locking.html',
    },
    messages: {
      unmodelled: 'locks unknown: {reason}; review this statement by hand',
      unmodelledTables: 'locks unknown for {tables}: {reason}; review this statement by hand',
    },
  },
  check(ctx) {
    if (!ctx.statement.unmodelled) return;
    const reason = ctx.statement.notes.join('; ') || `${ctx.kind} is not modelled`;
    const tables = namedRelations(ctx.node);
    const safeAlternative = alternative(
      'Check by hand which tables this statement locks, in which mode and for how long (pg_locks in a test transaction shows it); where possible, write the SQL out as plain statements so that it can be analysed.',
      undefined,
      [
        'To see the locks: run the statement inside BEGIN on a copy of the database, then SELECT relation::regclass, mode FROM pg_locks WHERE pid = pg_backend_pid(); and ROLLBACK.',
      ],
    );
    if (tables.length) {
      ctx.report({
        messageId: 'unmodelledTables',
        data: { tables: tables.join(', '), reason },
        relation: tables[0],
        safeAlternative,
      });
    } else {
      ctx.report({ messageId: 'unmodelled', data: { reason }, safeAlternative });
    }
  },
});

/** Relations the statement names: RangeVar nodes, wrapped in lists or inline as typed fields. */
function namedRelations(node: AnyNode): string[] {
  const out = new Set<string>();
  for (const [key, value] of walk({ root: node })) {
    if ((key === 'RangeVar' || typeof value.relname === 'string') && value.relname)
      out.add(displayKey(keyOf(rangeVarName(value))));
  }
  return [...out];
}
