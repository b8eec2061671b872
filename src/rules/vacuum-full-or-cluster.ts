/**
 * VACUUM FULL and CLUSTER copy the whole table into a new file and rebuild every index, holding
 * ACCESS EXCLUSIVE throughout: the table can be neither read nor written until they finish.
 */
import type { AnyNode } from '../analysis/ast';
import { defineRule, type RuleContext } from './rule';
import { alternative, ident, lockOn, qualified } from './support';
import { under } from './add-column-rewrite';

export default defineRule({
  id: 'vacuum-full-or-cluster',
  meta: {
    title: 'VACUUM FULL or CLUSTER on an existing table',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'VACUUM FULL and CLUSTER write a complete new copy of the table (CLUSTER in index order) and rebuild all its indexes, holding ACCESS EXCLUSIVE on the table from start to end: every SELECT, INSERT, UPDATE and DELETE waits, for minutes to hours on a large table, and the copy needs as much free disk again as the table and its indexes. Plain VACUUM reclaims dead rows for reuse under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes; pg_repack and pg_squeeze rebuild a table (in index order too) while it stays online, holding ACCESS EXCLUSIVE only briefly at the start and end.',
      bad: 'VACUUM FULL orders;',
      good: "VACUUM (ANALYZE) orders;\n-- to give space back to the operating system, or to reorder rows, outside the migration:\n-- pg_repack --table=orders --dbname=app\n-- SELECT squeeze.squeeze_table('public', 'orders');",
      versions:
        'All versions. VACUUM cannot run inside a transaction block; CLUSTER of a single table can. CLUSTER or VACUUM FULL without a table processes every table of the database (CLUSTER: every table clustered before).',
      reference: 'https://www.postgresql.org/docs/current/sql-vacuum.html',
    },
    messages: {
      rewrite: '{command} rewrites {table} and rebuilds its indexes under {lock} for the whole rewrite',
      database:
        '{command} without a table rewrites {which} of the database, each under ACCESS EXCLUSIVE for its whole rewrite',
    },
  },
  check(ctx) {
    const command = commandOf(ctx);
    if (!command) return;
    const named = ctx.kind === 'ClusterStmt' ? !!ctx.node.relation : (ctx.node.rels ?? []).length > 0;
    if (!named) {
      ctx.report({
        messageId: 'database',
        data: { command, which: command === 'CLUSTER' ? 'every previously clustered table' : 'every table' },
        safeAlternative: alternative(
          command === 'CLUSTER'
            ? 'Do not re-cluster tables in a migration: rebuild the ones that need it online with pg_repack --order-by, outside the migration.'
            : 'Run plain VACUUM (or rely on autovacuum): it does not block reads or writes.',
          command === 'CLUSTER' ? undefined : 'VACUUM (ANALYZE);',
          [REPACK_NOTE],
        ),
      });
      return;
    }
    for (const table of ctx.statement.rewrites.filter((r) => ctx.isExisting(r))) {
      const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
      const t = qualified(table);
      const index = ctx.kind === 'ClusterStmt' ? clusterIndex(ctx, table) : undefined;
      const repack =
        ctx.kind === 'ClusterStmt'
          ? `pg_repack --table=${t}${index ? ` --order-by=${orderBy(ctx, index)}` : ''} --dbname=<database>`
          : `pg_repack --table=${t} --dbname=<database>`;
      ctx.report({
        messageId: 'rewrite',
        data: { command, table, lock: under(mode) },
        relation: table,
        lock: mode,
        safeAlternative: alternative(
          ctx.kind === 'ClusterStmt'
            ? `Reorder ${table} online with pg_repack (or pg_squeeze), outside the migration: reads and writes continue during the copy.`
            : `Use plain VACUUM, which does not block reads or writes; to return space to the operating system, rebuild ${table} online with pg_repack or pg_squeeze outside the migration.`,
          [
            ...(ctx.kind === 'ClusterStmt' ? [] : [`VACUUM (ANALYZE) ${t};`]),
            `-- online rebuild, run outside the migration:`,
            `-- ${repack}`,
            `-- or, with pg_squeeze: SELECT squeeze.squeeze_table('${schemaOf(table)}', '${bareOf(table)}');`,
          ].join('\n'),
          [
            REPACK_NOTE,
            ...(ctx.kind === 'VacuumStmt'
              ? [
                  'VACUUM cannot run inside a transaction block: keep it out of BEGIN ... COMMIT and out of migrations that the runner wraps in one.',
                ]
              : []),
          ],
        ),
      });
    }
  },
});

const REPACK_NOTE =
  'pg_repack and pg_squeeze are extensions (CREATE EXTENSION) that copy the table in the background and swap it in with a brief ACCESS EXCLUSIVE at the end; the table needs a primary key or a unique index on NOT NULL columns.';

function commandOf(ctx: RuleContext): string | undefined {
  if (ctx.kind === 'ClusterStmt') return 'CLUSTER';
  if (ctx.kind !== 'VacuumStmt' || ctx.node.is_vacuumcmd !== true) return undefined;
  const full = (ctx.node.options ?? []).some(
    (o: AnyNode) =>
      String(o.DefElem?.defname).toLowerCase() === 'full' &&
      !['false', 'off', '0'].includes(
        String(o.DefElem?.arg?.String?.sval ?? o.DefElem?.arg?.Integer?.ival ?? '').toLowerCase(),
      ),
  );
  return full ? 'VACUUM FULL' : undefined;
}

/** The index CLUSTER orders by: named in the statement, or the table's clustered index. */
function clusterIndex(ctx: RuleContext, table: string): string | undefined {
  if (ctx.node.indexname) return ctx.node.indexname;
  const key = ctx.relation(table).state?.clusterIndex;
  return key ? key.split('.').pop() : undefined;
}

function orderBy(ctx: RuleContext, index: string): string {
  const schema = schemaOf(relationOf(ctx));
  const cols = ctx.catalog.get(`${schema}.${index}`)?.index?.columns ?? [];
  return cols.length ? `"${cols.map(ident).join(', ')}"` : `"<columns of ${index}>"`;
}

function relationOf(ctx: RuleContext): string {
  const rv = ctx.node.relation;
  return rv?.schemaname ? `${rv.schemaname}.${rv.relname}` : (rv?.relname ?? '');
}

function schemaOf(table: string): string {
  return table.includes('.') ? table.split('.')[0] : 'public';
}

function bareOf(table: string): string {
  return table.split('.').pop() ?? table;
}
