/**
 * timestamp (without time zone) stores a wall-clock reading with no zone: the same value means
 * different instants to writers in different zones, and local times repeat or vanish at DST
 * changes. timestamptz stores an instant (UTC internally) and converts on input and output.
 */
import { defineRule } from './rule';
import { alternative } from './support';
import { declarationsOf, typeFix } from './prefer-identity';

export default defineRule({
  id: 'prefer-timestamptz',
  meta: {
    title: 'timestamp without time zone column',
    defaultSeverity: 'info',
    scalesWithTable: false,
    docs: {
      why: 'timestamp (without time zone) stores the date and time as written and ignores any zone given with it: it does not record an instant. Values written by sessions or services with different TimeZone settings silently disagree, local times repeat or do not exist around DST changes, and comparing with now() (a timestamptz) converts through the session’s zone. timestamptz takes the same 8 bytes, stores an instant in UTC, and converts to the session’s zone on output, so it compares and sorts correctly whatever the writers’ zones. Changing the type later rewrites the table unless the session TimeZone is UTC (PostgreSQL 12+).',
      bad: 'CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL);',
      good: 'CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL);',
      versions:
        'All versions. PostgreSQL 12+: ALTER COLUMN ... TYPE timestamptz needs no table rewrite when the session TimeZone is UTC (earlier versions always rewrite).',
      reference: 'https://www.postgresql.org/docs/current/datatype-datetime.html',
    },
    messages: {
      timestamp:
        '{table}.{column} is timestamp without time zone: it stores no zone, so values from writers in different time zones or across DST changes are ambiguous; use timestamptz',
    },
  },
  check(ctx) {
    for (const decl of declarationsOf(ctx)) {
      if (decl.type.name !== 'timestamp' || decl.type.schema) continue;
      const replacement =
        'timestamptz' +
        (decl.type.typmods.length ? `(${decl.type.typmods.join(', ')})` : '') +
        '[]'.repeat(decl.type.arrayDims);
      const fix = typeFix(ctx, decl, /^(pg_catalog\.)?timestamp\b(?! with time zone)/i, replacement);
      ctx.report({
        messageId: 'timestamp',
        data: { table: decl.table, column: decl.column },
        relation: decl.table,
        ...(fix ? { fix } : {}),
        safeAlternative: alternative(
          `Declare ${decl.column} as ${replacement}: it stores an instant and converts to each session’s time zone.`,
          fix ? `${fix};` : undefined,
          [
            'Applications keep sending and receiving local times; set the session TimeZone (or send offsets, e.g. ISO 8601 with Z) so that the conversion is the intended one.',
          ],
        ),
      });
    }
  },
});
