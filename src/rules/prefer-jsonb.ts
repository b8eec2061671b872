/**
 * json stores the input text and parses it on every access; jsonb stores a parsed binary form
 * that can be indexed and compared.
 */
import { defineRule } from './rule';
import { alternative } from './support';
import { declarationsOf, typeFix } from './prefer-identity';

export default defineRule({
  id: 'prefer-jsonb',
  meta: {
    title: 'json column instead of jsonb',
    defaultSeverity: 'info',
    scalesWithTable: false,
    docs: {
      why: 'json keeps the input text verbatim and re-parses it for every operator or function applied to it. jsonb stores a decomposed binary form: operators are faster, it supports GIN indexes (containment @>, key existence ?, jsonpath @@ and @?), and it has equality, so it can be compared, grouped, made DISTINCT and used in unique constraints (json has no equality operator). json is only preferable when the exact text must be kept: key order, duplicate keys and whitespace. Converting a json column to jsonb later rewrites the whole table under ACCESS EXCLUSIVE.',
      bad: 'CREATE TABLE events (id bigint PRIMARY KEY, payload json NOT NULL);',
      good: 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb NOT NULL);',
      versions: 'All supported versions have jsonb (9.4+); jsonpath operators exist from PostgreSQL 12.',
      reference: 'https://www.postgresql.org/docs/current/datatype-json.html',
    },
    messages: {
      json: '{table}.{column} is json: re-parsed on every access, not indexable and without equality; jsonb is, and converting later rewrites {table}',
    },
  },
  check(ctx) {
    for (const decl of declarationsOf(ctx)) {
      if (decl.type.name !== 'json' || decl.type.schema) continue;
      const replacement = 'jsonb' + '[]'.repeat(decl.type.arrayDims);
      const fix = typeFix(ctx, decl, /^(pg_catalog\.)?json\b/i, replacement);
      ctx.report({
        messageId: 'json',
        data: { table: decl.table, column: decl.column },
        relation: decl.table,
        ...(fix ? { fix } : {}),
        safeAlternative: alternative(
          `Declare ${decl.column} as ${replacement}, unless the exact input text (key order, duplicate keys, whitespace) must be kept.`,
          fix ? `${fix};` : undefined,
        ),
      });
    }
  },
});
