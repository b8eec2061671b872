/**
 * A statement PostgreSQL rejects. Two kinds, told apart by the effects: the target version lacks a
 * feature (certain: `high`), or the schema before the statement, as the migration history describes
 * it, makes it fail (a column a view uses, a table still referenced, a second primary key, ...).
 * The second is only as sure as the replayed schema — objects created outside the migrations,
 * DO-block guards and templates are not in it, and real reviews found such failures mostly wrong —
 * so it is a `warning` that says what the history implies. Either way a real failure stops the
 * deploy, after whatever ran before it in the same transaction.
 */
import { defineRule } from './rule';

export default defineRule({
  id: 'unsupported-on-version',
  meta: {
    title: 'Statement fails on the target PostgreSQL version',
    defaultSeverity: 'high',
    scalesWithTable: false,
    docs: {
      why: 'The effect model knows which features each PostgreSQL major version has (REINDEX CONCURRENTLY from 12, DETACH PARTITION CONCURRENTLY from 14, MERGE from 15, virtual generated columns from 18, gen_random_uuid() built in from 13, ...): a statement using one on an older server fails when the migration is deployed (`high`). It also knows errors the schema before the statement makes certain — a view still uses the column, a foreign key still references the table, the table already has a primary key, the relation does not exist. Those follow from the schema as the migration history describes it, which can differ from the real database (objects created outside the migrations, DO-block guards, templates), so they are reported as a `warning` to check rather than a certain failure.',
      bad: '-- on PostgreSQL 11\nREINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
      good: '-- on PostgreSQL 11: build a new index concurrently and swap\nCREATE INDEX CONCURRENTLY orders_customer_id_idx_new ON orders (customer_id);\nDROP INDEX CONCURRENTLY orders_customer_id_idx;\nALTER INDEX orders_customer_id_idx_new RENAME TO orders_customer_id_idx;',
      versions:
        'Depends on the statement: the message names the version that introduced the feature. Failures that follow from the schema are the same on every version.',
      reference: 'https://www.postgresql.org/docs/release/',
    },
    messages: {
      fails: 'fails on PostgreSQL {pg}: {reason}',
      failsOnSchema:
        'fails if the schema is as the migration history describes it: {reason} (check the real database: objects created outside the migrations are not seen)',
    },
  },
  check(ctx) {
    const reason = ctx.statement.failsOnVersion;
    if (!reason) return;
    if (ctx.statement.failureFromSchema) {
      ctx.report({ messageId: 'failsOnSchema', data: { reason }, severity: 'warning' });
      return;
    }
    ctx.report({ messageId: 'fails', data: { pg: ctx.pg, reason } });
  },
});
