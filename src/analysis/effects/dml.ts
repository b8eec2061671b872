/**
 * Queries and data changes: SELECT, INSERT, UPDATE, DELETE, MERGE, and the data-modifying CTEs
 * inside them. Facts from PostgreSQL's executor and planner:
 *  - every relation a query reads is locked ACCESS SHARE (ROW SHARE with FOR UPDATE/SHARE); the
 *    target of UPDATE/DELETE/MERGE is locked ROW EXCLUSIVE, and INSERT's target too;
 *  - the planner opens every index of each table it plans a scan for, with the table's lock mode
 *    (get_relation_info); INSERT ... VALUES plans no scan of its target, so its indexes are not locked;
 *  - foreign keys are checked by queries of their own: ROW SHARE (SELECT ... FOR KEY SHARE) on the
 *    referenced table and its indexes; deleting a referenced row looks up the referencing table,
 *    which reads it in full unless an index leads with the foreign-key column.
 * Whether a table is read in full depends on the plan: we say it is unless the WHERE clause compares
 * the leading column of one of its indexes with a constant (the shape of a batched backfill).
 */
import { nodeKind, keyOf, someNode, stringList, walk, type AnyNode } from '../ast';
import type { Catalog, RelationState } from '../catalog';
import type { LockMode } from '../locks';
import type { EffectsBuilder } from './builder';
import type { EffectContext } from './context';

export function queryEffects(node: AnyNode, ctx: EffectContext, b: EffectsBuilder, planned = true): void {
  const ctes = ctx.mayContain('CommonTableExpr') ? cteNames(node) : NO_NAMES;
  const subLinks = ctx.mayContain('SubLink');
  const functionCalls = ctx.mayContain('FuncCall');
  visit(node);

  function visit(n: AnyNode): void {
    switch (nodeKind(n)) {
      case 'SelectStmt':
        return select(n.SelectStmt);
      case 'InsertStmt':
        return insert(n.InsertStmt);
      case 'UpdateStmt':
        return update(n.UpdateStmt);
      case 'DeleteStmt':
        return del(n.DeleteStmt);
      case 'MergeStmt':
        return merge(n.MergeStmt);
      default:
        someNode(n, (key, value) => {
          if (key !== 'SelectStmt' && key !== 'InsertStmt' && key !== 'UpdateStmt' && key !== 'DeleteStmt')
            return false;
          visit({ [key]: value });
          return true;
        });
    }
  }

  function subLink(key: string, value: AnyNode): void {
    if (key === 'SubLink') visit(value.subselect);
  }

  function children(stmt: AnyNode): void {
    for (const cte of stmt.withClause?.ctes ?? []) visit(cte.CommonTableExpr?.ctequery);
  }

  function select(stmt: AnyNode): void {
    children(stmt);
    if (stmt.larg) select(stmt.larg);
    if (stmt.rarg) select(stmt.rarg);
    const locking = (stmt.lockingClause ?? []).length > 0;
    const mode: LockMode = locking ? 'RowShareLock' : 'AccessShareLock';
    for (const item of stmt.fromClause ?? []) fromItem(item, mode, stmt);
    // Sub-selects in the target list and WHERE are separate queries.
    if (subLinks) {
      for (const part of [stmt.targetList, stmt.whereClause, stmt.havingClause]) {
        someNode(part, subLink);
      }
    }
    if (functionCalls) {
      for (const fn of sequenceCalls(stmt.targetList)) b.lock(ctx.byKey(fn.sequence, 'sequence'), fn.mode);
    }
  }

  function fromItem(item: AnyNode, mode: LockMode, select: AnyNode): void {
    const k = nodeKind(item);
    if (k === 'RangeVar') {
      const rv = item.RangeVar;
      if (!rv.schemaname && ctes.has(rv.relname)) return;
      const rel = ctx.resolveOrAssume(rv);
      read(rel, mode, planned && !isIndexedLookup(rel, select, ctx.catalog));
    } else if (k === 'JoinExpr') {
      fromItem(item.JoinExpr.larg, mode, {});
      fromItem(item.JoinExpr.rarg, mode, {});
    } else if (k === 'RangeSubselect') {
      visit(item.RangeSubselect.subquery);
    }
  }

  /** A table read by the query: its lock, its indexes (planner), and a full scan when unfiltered. */
  function read(rel: RelationState, mode: LockMode, fullScan: boolean, viewsSeen = new Set<string>()): void {
    b.lock(rel, mode);
    if (rel.kind === 'view') {
      // A recursive view reads itself: follow each view once.
      if (viewsSeen.has(rel.key)) return;
      viewsSeen.add(rel.key);
      for (const base of rel.dependsOn ?? []) read(ctx.byKey(base), mode, fullScan, viewsSeen);
      return;
    }
    if (!planned) return;
    for (const t of leaves(rel)) {
      b.lock(t, mode);
      b.lockIndexes(t, plannerIndexLock(mode));
      if (fullScan && t.kind !== 'partitioned table') b.scan(t);
    }
  }

  /**
   * The planner opens indexes with the table's lock mode since PG 12 (rellockmode); PG 11 opened
   * them with ACCESS SHARE. Result relations' indexes are opened for writing (ROW EXCLUSIVE) apart.
   */
  function plannerIndexLock(mode: LockMode): LockMode {
    return ctx.pg >= 12 ? mode : 'AccessShareLock';
  }

  function leaves(rel: RelationState): RelationState[] {
    return [rel, ...ctx.descendants(rel)];
  }

  function insert(stmt: AnyNode): void {
    children(stmt);
    const target = ctx.resolveOrAssume(stmt.relation);
    b.lock(target, 'RowExclusiveLock');
    const given = new Set((stmt.cols ?? []).map((c: AnyNode) => c.ResTarget?.name));
    for (const col of target.columns) {
      if ((col.identity || col.type.serial) && (given.size === 0 ? false : !given.has(col.name))) {
        const seq =
          target.ownedSequences.find((s) => s.endsWith(`_${col.name}_seq`)) ?? target.ownedSequences[0];
        if (seq) b.lock(seq, 'RowExclusiveLock', 'nextval() for the column default');
      }
    }
    foreignKeyChecks(target);
    if (stmt.selectStmt) visit(stmt.selectStmt);
    if (stmt.onConflictClause?.action === 'ONCONFLICT_UPDATE') {
      // DO UPDATE plans an update of the conflicting rows: the target's indexes are opened for it.
      b.lockIndexes(target, 'RowExclusiveLock');
    }
  }

  function update(stmt: AnyNode): void {
    children(stmt);
    const target = ctx.resolveOrAssume(stmt.relation);
    modify(target, stmt.whereClause, !!stmt.fromClause?.length);
    const setColumns = new Set((stmt.targetList ?? []).map((t: AnyNode) => t.ResTarget?.name));
    const fks = target.constraints.filter(
      (c) => c.kind === 'foreign key' && c.columns.some((x) => setColumns.has(x)),
    );
    for (const fk of fks) referencedCheck(fk.references);
    referencingChecks(target, [...setColumns] as string[]);
    for (const item of stmt.fromClause ?? []) fromItem(item, 'AccessShareLock', {});
    if (subLinks) someNode(stmt.whereClause, subLink);
  }

  function del(stmt: AnyNode): void {
    children(stmt);
    const target = ctx.resolveOrAssume(stmt.relation);
    modify(target, stmt.whereClause, !!stmt.usingClause?.length);
    referencingChecks(target, undefined);
    for (const item of stmt.usingClause ?? []) fromItem(item, 'AccessShareLock', {});
    if (subLinks) someNode(stmt.whereClause, subLink);
  }

  function merge(stmt: AnyNode): void {
    children(stmt);
    if (ctx.pg < 15) b.fails('MERGE needs PostgreSQL 15');
    const target = ctx.resolveOrAssume(stmt.relation);
    modify(target, undefined, true);
    foreignKeyChecks(target);
    fromItem(stmt.sourceRelation, 'AccessShareLock', {});
  }

  /** UPDATE/DELETE/MERGE target: ROW EXCLUSIVE on the table and, via the planner, its indexes. */
  function modify(target: RelationState, where: AnyNode, joined: boolean): void {
    b.lock(target, 'RowExclusiveLock');
    if (!planned) return;
    const indexed = !joined && isIndexedLookup(target, { whereClause: where }, ctx.catalog);
    const kept = prunedPartitions(target, where, ctx.catalog);
    for (const t of leaves(target)) {
      if (kept && t.kind !== 'partitioned table' && !kept.has(t.key)) {
        // Pruned by the partition key: locked by the planner, never read.
        b.lock(t, 'RowExclusiveLock');
        b.lockIndexes(t, 'RowExclusiveLock');
        continue;
      }
      b.lock(t, 'RowExclusiveLock');
      b.lockIndexes(t, 'RowExclusiveLock');
      if (!indexed && t.kind !== 'partitioned table') b.scan(t);
    }
  }

  function foreignKeyChecks(target: RelationState): void {
    for (const fk of target.constraints) if (fk.kind === 'foreign key') referencedCheck(fk.references);
  }

  /** RI_FKey_check: SELECT 1 FROM referenced WHERE key = $1 FOR KEY SHARE (through its index). */
  function referencedCheck(key: string | undefined): void {
    if (!key) return;
    const rel = ctx.byKey(key);
    b.lock(rel, 'RowShareLock', 'foreign-key check');
    b.lockIndexes(rel, plannerIndexLock('RowShareLock'));
  }

  /** Changing or deleting referenced rows looks them up in each referencing table. */
  function referencingChecks(target: RelationState, changed: string[] | undefined): void {
    for (const other of ctx.catalog.referencingTables(target.key)) {
      for (const fk of other.constraints) {
        if (fk.kind !== 'foreign key' || fk.references !== target.key) continue;
        const keyCols = referencedKeyColumns(target);
        if (changed && !changed.some((c) => keyCols.includes(c))) continue;
        b.lock(other, 'RowShareLock', 'foreign-key lookup of referencing rows');
        b.lockIndexes(other, plannerIndexLock('RowShareLock'));
        const lead = fk.columns[0];
        if (!ctx.catalog.indexesOf(other).some((i) => i.index?.columns[0] === lead)) b.scan(other);
      }
    }
  }
}

function referencedKeyColumns(rel: RelationState): string[] {
  return rel.constraints
    .filter((c) => c.kind === 'primary key' || c.kind === 'unique')
    .flatMap((c) => c.columns);
}

const NO_NAMES: ReadonlySet<string> = new Set();

function cteNames(node: AnyNode): Set<string> {
  const names = new Set<string>();
  someNode(node, (key, value) => {
    if (key === 'CommonTableExpr') names.add(value.ctename);
  });
  return names;
}

const COMPARISON = new Set(['=', '<', '>', '<=', '>=']);

/**
 * Whether the planner can find the rows through an index instead of reading the table: the WHERE
 * clause compares the leading column of an index with constants, or the query takes min()/max() of
 * an indexed column.
 */
function isIndexedLookup(rel: RelationState, select: AnyNode, catalog: Catalog): boolean {
  const leading = new Set(catalog.indexesOf(rel).map((i) => i.index?.columns[0]));
  if (leading.size === 0) return false;
  for (const col of constantComparedColumns(select.whereClause)) if (leading.has(col)) return true;
  const targets: AnyNode[] = select.targetList ?? [];
  if (!select.whereClause && targets.length > 0) {
    return targets.every((t) => {
      const call = t.ResTarget?.val?.FuncCall;
      const name = call && stringList(call.funcname).pop();
      const arg = call?.args?.[0]?.ColumnRef;
      return (name === 'min' || name === 'max') && arg && leading.has(stringList(arg.fields).pop());
    });
  }
  return false;
}

function constantComparedColumns(where: AnyNode): string[] {
  const out: string[] = [];
  for (const [key, value] of walk(where)) {
    if (key !== 'A_Expr') continue;
    const op = stringList(value.name).pop() ?? '';
    const kind = value.kind as string;
    const sides = [value.lexpr, value.rexpr];
    const column = sides.find((s) => nodeKind(s) === 'ColumnRef');
    const other = sides.find((s) => s !== column);
    if (!column || !isConstant(other)) continue;
    if ((kind === 'AEXPR_OP' && COMPARISON.has(op)) || kind === 'AEXPR_IN' || kind === 'AEXPR_BETWEEN') {
      out.push(stringList(column.ColumnRef.fields).pop() ?? '');
    }
  }
  return out;
}

function isConstant(n: AnyNode): boolean {
  if (Array.isArray(n)) return n.every(isConstant);
  const k = nodeKind(n);
  if (k === 'A_Const' || k === 'ParamRef') return true;
  if (k === 'TypeCast') return isConstant(n.TypeCast.arg);
  if (k === 'List') return (n.List.items ?? []).every(isConstant);
  return false;
}

/** nextval/setval/currval('name') calls: the sequence and the lock they take. */
function sequenceCalls(targets: AnyNode): { sequence: string; mode: LockMode }[] {
  const out: { sequence: string; mode: LockMode }[] = [];
  for (const [key, call] of walk(targets)) {
    if (key !== 'FuncCall') continue;
    const name = stringList(call.funcname).pop()?.toLowerCase();
    if (name !== 'nextval' && name !== 'setval' && name !== 'currval') continue;
    const arg = call.args?.[0];
    const literal = arg?.A_Const?.sval?.sval ?? arg?.TypeCast?.arg?.A_Const?.sval?.sval;
    if (typeof literal !== 'string') continue;
    const parts = literal.split('.').map((p: string) => p.replace(/^"|"$/g, ''));
    const q = parts.length > 1 ? { schema: parts[0], name: parts[1] } : { schema: 'public', name: parts[0] };
    out.push({ sequence: keyOf(q), mode: name === 'currval' ? 'AccessShareLock' : 'RowExclusiveLock' });
  }
  return out;
}

/**
 * Partition pruning for the common shape `partition_key = constant`: the partitions whose bound
 * contains the constant (or the default partition when none does). Undefined when the WHERE clause
 * does not pin the key, so every partition is assumed read.
 */
function prunedPartitions(rel: RelationState, where: AnyNode, catalog: Catalog): Set<string> | undefined {
  const key = rel.partitionKey;
  if (rel.kind !== 'partitioned table' || key?.length !== 1) return undefined;
  const value = equalityConstant(where, key[0]);
  if (value === undefined) return undefined;
  const parts = catalog.partitionsOf(rel.key);
  const hits = parts.filter((p) => !p.isDefaultPartition && boundContains(p.bound, value));
  const chosen = hits.length ? hits : parts.filter((p) => p.isDefaultPartition);
  return new Set(chosen.map((p) => p.key));
}

function equalityConstant(where: AnyNode, column: string): string | number | undefined {
  for (const [key, value] of walk(where)) {
    if (key !== 'A_Expr' || value.kind !== 'AEXPR_OP' || stringList(value.name).pop() !== '=') continue;
    const [col, other] =
      nodeKind(value.lexpr) === 'ColumnRef' ? [value.lexpr, value.rexpr] : [value.rexpr, value.lexpr];
    if (nodeKind(col) !== 'ColumnRef' || stringList(col.ColumnRef.fields).pop() !== column) continue;
    const c = constantValue(other);
    if (c !== undefined) return c;
  }
  return undefined;
}

function constantValue(n: AnyNode): string | number | undefined {
  if (nodeKind(n) === 'TypeCast') return constantValue(n.TypeCast.arg);
  const c = n?.A_Const;
  if (!c) return undefined;
  if (c.ival) return c.ival.ival ?? 0;
  if (c.fval) return Number(c.fval.fval);
  return c.sval?.sval;
}

function boundContains(bound: AnyNode, v: string | number): boolean {
  if (!bound) return true;
  if (bound.strategy === 'l')
    return (bound.listdatums ?? []).some((d: AnyNode) => compare(constantValue(d), v) === 0);
  if (bound.strategy !== 'r') return true;
  const lower = bound.lowerdatums?.[0];
  const upper = bound.upperdatums?.[0];
  const lo = constantValue(lower);
  const hi = constantValue(upper);
  const aboveLower = lo === undefined || compare(lo, v) <= 0;
  const belowUpper = hi === undefined || compare(v, hi) < 0;
  return aboveLower && belowUpper;
}

function compare(a: string | number | undefined, b: string | number): number {
  if (a === undefined) return NaN;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
