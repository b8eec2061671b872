/**
 * A statement PostgreSQL of the target version rejects: a feature it lacks, or an error the
 * schema state makes certain (a column a view uses, a table still referenced, ...). The
 * migration fails at deploy time, after whatever ran before it in the same transaction.
 */
import { defineRule } from './rule';

export default defineRule({
  id: 'unsupported-on-version',
  meta: {
    title: 'Statement fails on the target PostgreSQL version',
    defaultSeverity: 'high',
    scalesWithTable: false,
    docs: {
      why: 'The effect model knows which features each PostgreSQL major version has (REINDEX CONCURRENTLY from 12, DETACH PARTITION CONCURRENTLY from 14, MERGE from 15, virtual generated columns from 18, gen_random_uuid() built in from 13, ...) and which errors the schema before the statement makes certain. Such a migration fails when it is deployed.',
      bad: '-- on PostgreSQL 11\nREINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
      good: '-- on PostgreSQL 11: build a new index concurrently and swap\nCREATE INDEX CONCURRENTLY orders_customer_id_idx_new ON orders (customer_id);\nDROP INDEX CONCURRENTLY orders_customer_id_idx;\nALTER INDEX orders_customer_id_idx_new RENAME TO orders_customer_id_idx;',
      versions: 'Depends on the statement: the message names the version that introduced the feature.',
      reference: 'https://www.postgresql.org/docs/release/',
    },
    messages: {
      fails: 'fails on PostgreSQL {pg}: {reason}',
    },
  },
  check(ctx) {
    const reason = ctx.statement.failsOnVersion;
    if (!reason) return;
    ctx.report({ messageId: 'fails', data: { pg: ctx.pg, reason } });
  },
});
