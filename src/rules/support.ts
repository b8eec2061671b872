/**
 * Helpers rules share: reading effects in the terms rules need, writing SQL with real names,
 * and saying how to run a statement outside a transaction in this file's migration tool.
 * Facts come from the statement's effects; nothing here decides a lock or a rewrite.
 */
import { blockedBy, describeBlocking, LOCK_MODE_SQL, type LockMode } from '../analysis/locks';
import type { RelationLock } from '../analysis/types';
import type { RuleContext, SafeAlternative } from './rule';

/** Locks the statement takes on relations that existed before this change. */
export function locksOnExisting(ctx: RuleContext, kinds?: RelationLock['kind'][]): RelationLock[] {
  return ctx.statement.locks.filter((l) => ctx.isExisting(l.relation) && (!kinds || kinds.includes(l.kind)));
}

/** The lock the statement takes on `relation` that blocks the most, if any. */
export function lockOn(ctx: RuleContext, relation: string): LockMode | undefined {
  const modes = ctx.statement.locks.filter((l) => l.relation === relation).map((l) => l.mode);
  return modes.sort((a, b) => conflictCount(b) - conflictCount(a))[0];
}

function conflictCount(mode: LockMode): number {
  const b = blockedBy(mode);
  return Number(b.reads) * 4 + Number(b.writes) * 2 + Number(b.maintenance);
}

export function blocksReadsOrWrites(mode: LockMode): boolean {
  const b = blockedBy(mode);
  return b.reads || b.writes;
}

/** "ACCESS EXCLUSIVE on orders: blocks reads and writes" */
export function lockPhrase(relation: string, mode: LockMode): string {
  return `${LOCK_MODE_SQL[mode]} on ${relation}: ${describeBlocking(mode)}`;
}

/** Double-quote an identifier when PostgreSQL would need it. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A display name (`orders`, `app.orders`) as SQL. */
export function qualified(name: string): string {
  return name.split('.').map(ident).join('.');
}

const RESERVED = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'constraint',
  'create',
  'current_date',
  'current_role',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'grant',
  'group',
  'having',
  'in',
  'initially',
  'intersect',
  'into',
  'lateral',
  'leading',
  'limit',
  'localtime',
  'localtimestamp',
  'not',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'placing',
  'primary',
  'references',
  'returning',
  'select',
  'session_user',
  'some',
  'symmetric',
  'table',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'when',
  'where',
  'window',
  'with',
]);

/**
 * How to run a statement outside a transaction, in this file's tool. When the tool is not known,
 * the runner's behaviour is stated as a requirement instead of assumed.
 */
export function outsideTransactionNote(ctx: RuleContext): string {
  if (ctx.tx.toolKnown) return `${ctx.file.tool.name}: ${ctx.file.tool.outsideTransaction}.`;
  return 'It must not run inside a transaction: keep it out of BEGIN ... COMMIT and make sure your migration runner does not wrap the file in one.';
}

/** The statement's text with the first match of `re` replaced: for machine-applicable fixes. */
export function rewriteStatement(ctx: RuleContext, re: RegExp, replacement: string): string | undefined {
  const text = ctx.statement.text;
  return re.test(text) ? text.replace(re, replacement) : undefined;
}

export function withLockTimeout(sql: string): string {
  return `SET lock_timeout = '5s';\n${sql}`;
}

export function alternative(summary: string, sql?: string, notes?: string[]): SafeAlternative {
  return { summary, ...(sql ? { sql } : {}), ...(notes && notes.length ? { notes } : {}) };
}

/** Whether `relation` is a partition or inheritance child, at any depth, of the relation with key `ancestorKey`. */
export function descendsFrom(ctx: RuleContext, relation: string, ancestorKey: string | undefined): boolean {
  const seen = new Set<string>();
  const queue = [ctx.relation(relation).state];
  while (ancestorKey && queue.length) {
    const r = queue.pop();
    if (!r || seen.has(r.key)) continue;
    seen.add(r.key);
    const parents = [...(r.partitionOf ? [r.partitionOf] : []), ...r.inherits];
    if (parents.includes(ancestorKey)) return true;
    queue.push(...parents.map((p) => ctx.catalog.get(p)));
  }
  return false;
}

/**
 * The statement certainly fails on the target version (a feature it lacks): other rules have
 * nothing to add. A failure that follows only from the replayed schema is not certain (the schema
 * may differ from what the migration files say), so the statement is still judged as if it runs.
 */
export function certainlyFails(statement: { failsOnVersion?: string; failureFromSchema?: boolean }): boolean {
  return !!statement.failsOnVersion && !statement.failureFromSchema;
}
