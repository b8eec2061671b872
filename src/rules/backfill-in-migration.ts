/**
 * An UPDATE or DELETE that reads a whole existing table inside a schema migration: one long
 * statement in one transaction, holding a row lock on every row it changes until it commits,
 * writing WAL for every row at once, and keeping the migration (and whatever locks the migration
 * holds) open for the whole time.
 */
import { defineRule, type RuleContext } from './rule';
import { LOCK_MODE_SQL } from '../analysis/locks';
import { alternative, ident, lockOn, qualified } from './support';
import { replaceBytes, topLevelTokens, sliceBytes } from './prefer-identity';
import { bareName, batchKey, BATCH_NOTE, relationName, type BatchKey } from './add-column-rewrite';

export default defineRule({
  id: 'backfill-in-migration',
  meta: {
    title: 'UPDATE or DELETE of a whole existing table in a migration',
    defaultSeverity: 'warning',
    scalesWithTable: true,
    docs: {
      why: 'An UPDATE or DELETE without a selective condition reads every row of the table and changes many of them in one statement and one transaction. Every changed row stays locked until COMMIT, so application writes to those rows wait (and may deadlock with it); the old row versions cannot be vacuumed until it ends; the WAL for every row is written at once, which replicas and backups must absorb; and a failure near the end rolls all of it back. In a migration it also keeps the migration’s other locks held for its whole duration. Batches by primary-key range, each committed on its own, keep each of these small.',
      bad: "UPDATE orders SET status = 'archived' WHERE created_at < '2020-01-01';",
      good: "-- outside the schema migration, one transaction per batch, moving the range on:\nUPDATE orders SET status = 'archived' WHERE id BETWEEN 1 AND 10000 AND (created_at < '2020-01-01');",
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-ROWS',
    },
    messages: {
      backfill:
        '{command} reads all of {table} under {lock} and holds a row lock on every row it changes until it commits: one long transaction, concurrent writes to those rows wait, and its WAL is written all at once',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'UpdateStmt' && ctx.kind !== 'DeleteStmt') return;
    const target = relationName(ctx.node.relation);
    const state = ctx.relation(target).state;
    const family = new Set([target, ...(state ? descendants(ctx, state.key) : [])]);
    const scanned = ctx.statement.scans.filter((r) => family.has(r) && ctx.isExisting(r));
    if (scanned.length === 0) return;
    const command = ctx.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE';
    const key = batchKey(ctx, target);
    const batched = batchedStatement(ctx, target, key);
    const mode = lockOn(ctx, target) ?? 'RowExclusiveLock';
    ctx.report({
      messageId: 'backfill',
      lock: mode,
      data: {
        command,
        lock: LOCK_MODE_SQL[mode],
        table: scanned.includes(target) ? target : `${scanned.join(', ')} (partitions of ${target})`,
      },
      relation: target,
      safeAlternative: alternative(
        `Run the ${command} outside the schema migration, in batches by ${key.column} range, committing each batch.`,
        batched ? `-- one transaction per batch, moving the range on:\n${batched}` : undefined,
        [
          BATCH_NOTE,
          ...(key.note ? [key.note] : []),
          'Keep data changes in their own migration (or a job) that runs without the schema change’s transaction, so no DDL lock is held while it runs.',
        ],
      ),
    });
  },
});

/** Partitions and inheritance children of a table, as display names. */
function descendants(ctx: RuleContext, key: string): string[] {
  const out: string[] = [];
  let previous: unknown;
  for (const r of ctx.catalog.childrenOf(key)) {
    // A relation that is both a partition and an inheritance child of `key` is listed twice in a row.
    if (r === previous) continue;
    previous = r;
    const name = r.schema === 'public' ? r.name : `${r.schema}.${r.name}`;
    out.push(name, ...descendants(ctx, r.key));
  }
  return out;
}

/** The statement with a batch condition added to its WHERE clause (or a WHERE clause added). */
function batchedStatement(ctx: RuleContext, table: string, key: BatchKey): string | undefined {
  const text = ctx.statement.text;
  const found = topLevelTokens(text, ['where', 'returning', 'current']);
  if (!found || found.has('current')) return undefined;
  const alias: string | undefined = ctx.node.relation?.alias?.aliasname;
  const joined = (ctx.node.fromClause ?? ctx.node.usingClause ?? []).length > 0;
  const k = `${alias ? `${ident(alias)}.` : joined ? `${ident(bareName(table))}.` : ''}${ident(key.column)}`;
  const t = qualified(table);
  const range = key.integer
    ? `${k} BETWEEN 1 AND 10000`
    : `${k} IN (SELECT ${ident(key.column)} FROM ${t} WHERE ${ident(key.column)} > $1 ORDER BY ${ident(key.column)} LIMIT 10000)`;
  const end = Buffer.byteLength(text);
  const returning = found.get('returning')?.[0] ?? end;
  const where = found.get('where');
  let out: string;
  if (where && where[0] < returning) {
    const cond = sliceBytes(text, [where[1], returning]).trim();
    out = replaceBytes(text, [where[1], returning], ` ${range} AND (${cond})${returning < end ? ' ' : ''}`);
  } else {
    const before = sliceBytes(text, [0, returning]).trimEnd();
    out = `${before} WHERE ${range}${returning < end ? ` ${sliceBytes(text, [returning, end])}` : ''}`;
  }
  return `${out};${key.integer ? '' : ' -- $1: the last key of the previous batch'}`;
}
