/**
 * REFRESH MATERIALIZED VIEW without CONCURRENTLY runs the view's query into a new file under
 * ACCESS EXCLUSIVE: every query that reads the view waits for the whole refresh. CONCURRENTLY
 * takes EXCLUSIVE instead (reads continue) and needs a unique index on the view.
 */
import { defineRule } from './rule';
import { alternative, ident, lockOn, qualified } from './support';
import { relationName, under } from './add-column-rewrite';

export default defineRule({
  id: 'refresh-materialized-view',
  meta: {
    title: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY on an existing view',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'A plain REFRESH MATERIALIZED VIEW takes ACCESS EXCLUSIVE on the view, runs its whole query into a new file and rebuilds the view’s indexes: every SELECT on the view waits until the refresh ends, which is as long as the query takes. REFRESH MATERIALIZED VIEW CONCURRENTLY computes the new contents apart and applies the difference under EXCLUSIVE, which lets reads of the view continue; it needs a unique index on the view (plain column names, no WHERE clause) and a view that has been populated. WITH NO DATA empties the view: queries on it fail until the next refresh.',
      bad: 'REFRESH MATERIALIZED VIEW daily_sales;',
      good: 'CREATE UNIQUE INDEX CONCURRENTLY daily_sales_day_key ON daily_sales (day);\nREFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
      versions:
        'All supported versions support CONCURRENTLY. CONCURRENTLY is slower than a plain refresh (it diffs the old and new contents) and cannot be combined with WITH NO DATA.',
      reference: 'https://www.postgresql.org/docs/current/sql-refreshmaterializedview.html',
    },
    messages: {
      blocking:
        'REFRESH MATERIALIZED VIEW rewrites {view} under {lock} for the whole refresh: every query on {view} waits while the view’s query runs',
      noData:
        'REFRESH MATERIALIZED VIEW {view} WITH NO DATA empties it under {lock}: every query on {view} fails until the next refresh',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'RefreshMatViewStmt' || ctx.node.concurrent) return;
    const view = relationName(ctx.node.relation);
    if (!ctx.statement.rewrites.includes(view) || !ctx.isExisting(view)) return;
    const mode = lockOn(ctx, view) ?? 'AccessExclusiveLock';
    const v = qualified(view);
    const state = ctx.relation(view).state;
    if (ctx.node.skipData) {
      ctx.report({
        messageId: 'noData',
        data: { view, lock: under(mode) },
        relation: view,
        lock: mode,
        safeAlternative: alternative(
          `Refresh ${view} with data (CONCURRENTLY if it has a unique index), or drop it if nothing reads it any more.`,
          `REFRESH MATERIALIZED VIEW CONCURRENTLY ${v};`,
        ),
      });
      return;
    }
    const uniqueIndex =
      state && !state.assumed
        ? ctx.catalog.indexesOf(state).find((i) => i.index?.unique && i.index.valid)
        : undefined;
    const concurrent = ctx.statement.text.replace(
      /^(\s*REFRESH\s+MATERIALIZED\s+VIEW)\b/i,
      '$1 CONCURRENTLY',
    );
    const fix = uniqueIndex && concurrent !== ctx.statement.text ? concurrent : undefined;
    const indexName = ident(`${view.split('.').pop()}_key`);
    ctx.report({
      messageId: 'blocking',
      data: { view, lock: under(mode) },
      relation: view,
      lock: mode,
      ...(fix ? { fix } : {}),
      safeAlternative: alternative(
        uniqueIndex
          ? `Refresh CONCURRENTLY: ${view} has the unique index ${uniqueIndex.name}, and reads continue during the refresh (EXCLUSIVE).`
          : `Give ${view} a unique index (built CONCURRENTLY), then refresh it CONCURRENTLY: reads continue during the refresh (EXCLUSIVE).`,
        [
          ...(uniqueIndex
            ? []
            : [`CREATE UNIQUE INDEX CONCURRENTLY ${indexName} ON ${v} (<columns that identify a row>);`]),
          `REFRESH MATERIALIZED VIEW CONCURRENTLY ${v};`,
        ].join('\n'),
        [
          'CONCURRENTLY needs a unique index on plain columns of the view, without a WHERE clause, covering every row, and a view that is already populated.',
          ...(uniqueIndex
            ? []
            : [
                'CREATE INDEX CONCURRENTLY cannot run inside a transaction block: put it in a migration that runs outside one.',
              ]),
          'A concurrent refresh is slower (it compares old and new contents) and still holds EXCLUSIVE: only one refresh runs at a time, and reads are not blocked.',
        ],
      ),
    });
  },
});
