/**
 * ALTER TABLE: the lock comes from the sub-commands (lock-levels.ts, syntax only); what else is
 * touched, rewritten or scanned comes from the catalog, as in PostgreSQL's phase 2/3
 * (ATRewriteCatalogs, ATRewriteTables): a rewrite when a column's stored representation changes,
 * a scan when a new constraint must be checked against existing rows.
 */
import {
  keyOf,
  namesToQualified,
  rangeVarName,
  recurses,
  stringList,
  typeRef,
  walk,
  type AnyNode,
} from '../ast';
import type { ConstraintState, RelationState } from '../catalog';
import type { LockMode } from '../locks';
import { EffectsBuilder } from './builder';
import type { EffectContext } from './context';
import { expressionVolatility, isNullConstant, typeChangeRewrites } from './expressions';
import { alterTableCommandLock, strongest } from './lock-levels';

export function alterTableEffects(stmt: AnyNode, ctx: EffectContext, b: EffectsBuilder): void {
  const cmds: AnyNode[] = (stmt.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd).filter(Boolean);
  const objtype: string = stmt.objtype ?? 'OBJECT_TABLE';
  if (objtype === 'OBJECT_TYPE') {
    // A composite type has a pg_class entry of its own, altered under ACCESS EXCLUSIVE.
    const type = ctx.catalog.get(keyOf(rangeVarName(stmt.relation)));
    if (type) b.lock(type, 'AccessExclusiveLock');
    b.note('ALTER TYPE on a composite type: catalog-only unless a table column uses the type');
    return;
  }
  const rel = ctx.resolve(stmt.relation, { missingOk: stmt.missing_ok, kind: kindForObject(objtype) });
  if (!rel) {
    b.note(
      `${keyOf(rangeVarName(stmt.relation))} does not exist in the replayed schema: IF EXISTS makes this a no-op`,
    );
    return;
  }
  const mode = strongest(cmds.map((c) => alterTableCommandLock(c, ctx.pg))) ?? 'AccessExclusiveLock';
  // PostgreSQL drops columns and constraints in the first pass of ALTER TABLE, before any other
  // sub-command runs: later sub-commands see them gone, and so do the constraints on those columns.
  const droppedColumns = new Set<string>(
    cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => c.name),
  );
  ctx.droppedInStatement = new Set([
    ...cmds.filter((c) => c.subtype === 'AT_DropConstraint').map((c) => c.name as string),
    ...rel.constraints.filter((c) => c.columns.some((col) => droppedColumns.has(col))).map((c) => c.name),
  ]);
  if (rel.kind === 'index' || rel.kind === 'partitioned index') {
    alterIndexEffects(rel, cmds, mode, ctx, b);
    return;
  }
  const recurse = recurses(stmt.relation);
  b.lock(rel, mode);
  const children = recurse && cmds.some((c) => recursesToChildren(c, ctx.pg)) ? ctx.descendants(rel) : [];
  for (const child of children) b.lock(child, mode);
  if (!recurse && children.length === 0 && ctx.descendants(rel).length > 0) {
    const needsChildren = cmds.find(
      (c) =>
        c.subtype === 'AT_AddColumn' ||
        (c.subtype === 'AT_AddConstraint' &&
          rel.kind === 'partitioned table' &&
          !c.def?.Constraint?.is_no_inherit),
    );
    if (needsChildren)
      b.failsBySchema(
        `ALTER TABLE ONLY cannot add ${needsChildren.subtype === 'AT_AddColumn' ? 'a column' : 'a constraint'} to the parent alone: its ${rel.kind === 'partitioned table' ? 'partitions' : 'child tables'} must get it too`,
      );
  }

  let rewrite = false;
  const scans = new Set<RelationState>();
  const rebuildColumns = new Set<string>();
  for (const cmd of cmds) {
    const r = subCommand(cmd, rel, ctx, b, scans, rebuildColumns);
    rewrite ||= r;
  }
  if (rewrite && rel.kind === 'sequence') {
    b.note('the sequence gets a new file: it holds one row, so this is instant');
  } else if (rewrite) {
    const targets = [rel, ...children];
    for (const t of targets) {
      if (t.kind === 'partitioned table') continue;
      b.rewrite(t);
      for (const idx of ctx.catalog.indexesOf(t)) {
        // An index on a column this statement drops is dropped, not rebuilt.
        if (t === rel && idx.index?.columns.some((c) => droppedColumns.has(c))) continue;
        b.lock(idx, 'AccessExclusiveLock').rebuildIndex(idx);
      }
    }
    // Other tables read along the way (foreign keys validated again).
    for (const t of scans) if (!targets.includes(t) && t.kind !== 'partitioned table') b.scan(t);
  } else {
    for (const t of scans) if (t.kind !== 'partitioned table') b.scan(t);
    for (const col of rebuildColumns) {
      for (const idx of ctx.catalog.indexesOf(rel)) {
        if (idx.index?.columns.includes(col)) b.lock(idx, 'AccessExclusiveLock');
      }
    }
  }
}

/**
 * Sub-commands PostgreSQL applies to inheritance children and partitions too (ATSimpleRecursion and
 * the commands that recurse in their own code); the others touch the named table only.
 */
function recursesToChildren(cmd: AnyNode, pg: number): boolean {
  switch (cmd.subtype as string) {
    case 'AT_AddColumn':
    case 'AT_DropColumn':
    case 'AT_ColumnDefault':
    case 'AT_DropNotNull':
    case 'AT_SetNotNull':
    case 'AT_SetStatistics':
    case 'AT_SetStorage':
    case 'AT_SetCompression':
    case 'AT_AlterColumnType':
    case 'AT_ValidateConstraint':
    case 'AT_DropConstraint':
    case 'AT_AddIdentity':
    case 'AT_SetIdentity':
    case 'AT_DropIdentity':
    case 'AT_DropExpression':
    case 'AT_SetExpression':
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrig':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
    case 'AT_AlterConstraint':
      return true;
    case 'AT_AddConstraint':
      // PG 18 visits (and locks) the children even for NO INHERIT, without adding it to them.
      return pg >= 18 || !cmd.def?.Constraint?.is_no_inherit;
    default:
      return false;
  }
}

function kindForObject(objtype: string): RelationState['kind'] {
  switch (objtype) {
    case 'OBJECT_INDEX':
      return 'index';
    case 'OBJECT_SEQUENCE':
      return 'sequence';
    case 'OBJECT_VIEW':
      return 'view';
    case 'OBJECT_MATVIEW':
      return 'materialized view';
    default:
      return 'table';
  }
}

/** ALTER INDEX: SET/RESET storage parameters, ATTACH PARTITION, SET STATISTICS, RENAME (elsewhere). */
function alterIndexEffects(
  index: RelationState,
  cmds: AnyNode[],
  mode: LockMode,
  ctx: EffectContext,
  b: EffectsBuilder,
): void {
  for (const cmd of cmds) {
    if (cmd.subtype === 'AT_AttachPartition') {
      // ALTER INDEX parent ATTACH PARTITION child: both indexes and both tables are locked.
      const childKey = keyOf(rangeVarName(cmd.def?.PartitionCmd?.name));
      const child = ctx.catalog.get(childKey) ?? ctx.catalog.assume(childKey, 'index');
      b.lock(index, ctx.pg >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      b.lock(child, 'AccessExclusiveLock', 'partition index being attached');
      for (const t of [index.index?.table, child.index?.table]) if (t) b.lock(t, 'AccessShareLock');
      continue;
    }
    b.lock(index, mode);
  }
}

/** Applies one sub-command's effects; returns true when it forces a table rewrite. */
function subCommand(
  cmd: AnyNode,
  rel: RelationState,
  ctx: EffectContext,
  b: EffectsBuilder,
  scans: Set<RelationState>,
  rebuildColumns: Set<string>,
): boolean {
  const pg = ctx.pg;
  switch (cmd.subtype as string) {
    case 'AT_AddColumn':
      return addColumn(cmd.def?.ColumnDef, rel, ctx, b, scans, !!cmd.missing_ok);

    case 'AT_AlterColumnType': {
      const def = cmd.def?.ColumnDef;
      const col = ctx.catalog.column(rel, cmd.name);
      const target = typeRef(def?.typeName);
      const views = viewsReading(ctx, rel, cmd.name);
      if (views.length)
        b.failsBySchema(
          `view ${views[0].name} uses ${cmd.name}: PostgreSQL cannot change the type of a column a view uses`,
        );
      if (col && !def?.raw_default && needsExplicitCast(col.type.name, target.name, ctx)) {
        b.failsBySchema(
          `${col.type.name} cannot be cast automatically to ${target.name}: a USING clause is needed`,
        );
      }
      if (
        col?.hasDefault &&
        ctx.catalog.enums.has(keyOf({ schema: target.schema ?? 'public', name: target.name }))
      ) {
        b.failsBySchema(
          `the default of ${cmd.name} cannot be cast automatically to the enum ${target.name}: drop the default first`,
        );
      }
      const verdict = typeChangeRewrites(
        col?.type,
        typeRef(def?.typeName),
        pg,
        def?.raw_default,
        ctx.utcSession,
      );
      b.note(verdict.reason);
      // Constraints and foreign keys on the column are re-checked against the new type.
      // Foreign keys on the column, either way, are dropped and re-created and so validated again:
      // the other table is locked ACCESS EXCLUSIVE and read by the validation query.
      const others = new Set<RelationState>();
      for (const c of rel.constraints) {
        if (c.kind === 'foreign key' && c.references && c.columns.includes(cmd.name))
          others.add(ctx.byKey(c.references));
      }
      const isKey = rel.constraints.some(
        (c) => (c.kind === 'primary key' || c.kind === 'unique') && c.columns.includes(cmd.name),
      );
      if (isKey) for (const other of ctx.catalog.referencingTables(rel.key)) others.add(other);
      for (const other of others) {
        b.lock(other, 'AccessExclusiveLock', 'its foreign key on this column is re-created');
        // Re-validated unless the equality operator stays the same (a binary-coercible change
        // within one operator family): then PostgreSQL re-creates the constraint without reading rows.
        if (!verdict.rewrite && sameIndexOperatorClass(col?.type.name, target.name)) continue;
        b.lockIndexes(other, 'AccessShareLock').lockIndexes(rel, 'AccessShareLock');
        scans.add(other);
      }
      const collationChanges = !!def?.collClause;
      if (!verdict.rewrite) {
        rebuildColumns.add(cmd.name);
        if (collationChanges || !sameIndexOperatorClass(col?.type.name, typeRef(def?.typeName).name)) {
          // A new collation or operator class cannot reuse the index: it is built again, reading the table.
          for (const idx of ctx.catalog.indexesOf(rel)) {
            if (idx.index?.columns.includes(cmd.name)) {
              b.rebuildIndex(idx);
              scans.add(rel);
            }
          }
        }
      }
      return verdict.rewrite;
    }

    case 'AT_SetNotNull': {
      const col = cmd.name as string;
      if (pg >= 12 && rel.constraints.some((c) => c.kind === 'check' && c.valid && c.provesNotNull === col)) {
        b.note(
          `a valid CHECK (${col} IS NOT NULL) constraint proves the column has no NULLs: no scan (PG 12+)`,
        );
      } else if (ctx.catalog.column(rel, col)?.notNull) {
        b.note(`${col} is already NOT NULL: nothing to check`);
      } else {
        scans.add(rel);
        for (const child of ctx.descendants(rel)) scans.add(child);
      }
      return false;
    }

    case 'AT_AddConstraint':
      return addConstraint(cmd.def?.Constraint, rel, ctx, b, scans);

    case 'AT_ValidateConstraint': {
      const con = rel.constraints.find((c) => c.name === cmd.name);
      if (con && !con.valid) {
        scans.add(rel);
        for (const child of ctx.descendants(rel)) scans.add(child);
        if (con.kind === 'foreign key' && con.references) {
          const target = ctx.catalog.get(con.references);
          if (target) {
            b.lock(target, 'RowShareLock', 'referenced by the foreign key being validated');
            // The validation query (RI_Initial_Check) is planned: both tables' indexes are opened.
            b.lockIndexes(target, 'AccessShareLock').lockIndexes(rel, 'AccessShareLock');
            scans.add(target);
          }
        }
      } else if (con) {
        b.note(`constraint ${cmd.name} is already valid: nothing to check`);
      } else {
        // Unknown constraint: assume it is a NOT VALID check that needs the scan.
        scans.add(rel);
        b.note(
          `constraint ${cmd.name} is not in the replayed schema: assumed NOT VALID, so the table is scanned`,
        );
      }
      return false;
    }

    case 'AT_DropConstraint': {
      const con = rel.constraints.find((c) => c.name === cmd.name);
      if (
        (con?.kind === 'primary key' || con?.kind === 'unique') &&
        cmd.behavior !== 'DROP_CASCADE' &&
        dependentForeignKeys(ctx, rel, con).length > 0
      ) {
        b.failsBySchema(`foreign keys depend on ${cmd.name}: DROP CONSTRAINT fails without CASCADE`);
      }
      if (con?.kind === 'foreign key' && con.references && con.references !== rel.key) {
        const target = ctx.catalog.get(con.references);
        if (target)
          b.lock(target, 'AccessExclusiveLock', 'its trigger for the dropped foreign key is removed');
      }
      if (con?.index) {
        const idx = ctx.catalog.get(con.index);
        if (idx) b.lock(idx, 'AccessExclusiveLock', 'index of the dropped constraint');
        // Dropping a primary key or unique constraint drops foreign keys that depend on it (CASCADE).
        if (cmd.behavior === 'DROP_CASCADE') {
          for (const other of ctx.catalog.referencingTables(rel.key)) b.lock(other, 'AccessExclusiveLock');
        }
      }
      return false;
    }

    case 'AT_DropColumn': {
      const col = cmd.name as string;
      const cascade = cmd.behavior === 'DROP_CASCADE';
      if (rel.partitionKey?.includes(col))
        b.failsBySchema(`${col} is part of the partition key of ${rel.name}: it cannot be dropped`);
      const views = viewsReading(ctx, rel, col);
      if (views.length && !cascade)
        b.failsBySchema(`view ${views[0].name} uses ${col}: DROP COLUMN fails without CASCADE`);
      const keyConstraints = rel.constraints.filter(
        (c) => (c.kind === 'primary key' || c.kind === 'unique') && c.columns.includes(col),
      );
      const referencing = [...new Set(keyConstraints.flatMap((c) => dependentForeignKeys(ctx, rel, c)))];
      if (referencing.length && !cascade)
        b.failsBySchema(
          `foreign keys of ${referencing[0].name} depend on ${col}: DROP COLUMN fails without CASCADE`,
        );
      for (const other of referencing)
        b.lock(other, 'AccessExclusiveLock', 'its foreign key is dropped (CASCADE)');
      for (const idx of ctx.catalog.indexesOf(rel)) {
        if (idx.index?.columns.includes(cmd.name))
          b.lock(idx, 'AccessExclusiveLock', 'index on the dropped column');
      }
      const seq = ctx.catalog.columnSequence(rel, col);
      if (seq) b.lock(seq, 'AccessExclusiveLock', 'sequence owned by the dropped column');
      for (const c of rel.constraints) {
        if (
          c.columns.includes(cmd.name) &&
          c.kind === 'foreign key' &&
          c.references &&
          c.references !== rel.key
        ) {
          b.lock(c.references, 'AccessExclusiveLock', 'foreign key on the dropped column is removed');
        }
      }
      if (cmd.behavior === 'DROP_CASCADE') {
        for (const view of ctx.catalog.dependentViews(rel.key))
          b.lock(view, 'AccessExclusiveLock', 'dependent view dropped');
      }
      return false;
    }

    case 'AT_DropNotNull':
      if (rel.constraints.some((c) => c.kind === 'primary key' && c.columns.includes(cmd.name))) {
        b.failsBySchema(`${cmd.name} is in the primary key: its NOT NULL cannot be dropped`);
      }
      return false;

    case 'AT_SetIdentity':
    case 'AT_DropIdentity': {
      if (
        cmd.subtype === 'AT_DropIdentity' &&
        cmd.missing_ok &&
        !ctx.catalog.column(rel, cmd.name)?.identity &&
        !rel.assumed
      ) {
        b.note(`${cmd.name} is not an identity column: IF EXISTS makes this a no-op`);
        return false;
      }
      // The identity's sequence is altered (SHARE ROW EXCLUSIVE) or dropped (ACCESS EXCLUSIVE).
      const seq = identitySequence(rel, cmd.name);
      if (seq)
        b.lock(seq, cmd.subtype === 'AT_DropIdentity' ? 'AccessExclusiveLock' : 'ShareRowExclusiveLock');
      return false;
    }

    case 'AT_ColumnDefault':
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_SetStorage':
    case 'AT_SetCompression':
    case 'AT_AddIdentity':
    case 'AT_DropExpression':
    case 'AT_DropCluster':
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrig':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
    case 'AT_EnableRowSecurity':
    case 'AT_DisableRowSecurity':
    case 'AT_ForceRowSecurity':
    case 'AT_NoForceRowSecurity':
    case 'AT_ChangeOwner':
      return false;

    case 'AT_AlterConstraint': {
      const name = cmd.def?.ATAlterConstraint?.conname ?? cmd.def?.Constraint?.conname;
      const con = rel.constraints.find((c) => c.name === name);
      const deferrability = ctx.pg < 18 || cmd.def?.ATAlterConstraint?.alterDeferrability;
      if (con && con.kind !== 'foreign key' && deferrability) {
        b.failsBySchema(
          `only foreign keys can be made DEFERRABLE or NOT DEFERRABLE: ${name} is a ${con.kind} constraint`,
        );
      }
      return false;
    }

    case 'AT_ReplicaIdentity': {
      const ident = cmd.def?.ReplicaIdentityStmt;
      if (ident?.identity_type === 'i' && ident.name) {
        const idx = ctx.catalog.get(keyOf({ schema: rel.schema, name: ident.name }));
        if (idx) b.lock(idx, 'ShareLock');
      }
      return false;
    }

    case 'AT_ClusterOn': {
      const idx = ctx.catalog.get(keyOf({ schema: rel.schema, name: cmd.name }));
      if (idx) b.lock(idx, 'ShareUpdateExclusiveLock');
      return false;
    }

    case 'AT_DropInherit': {
      const parentKey = keyOf(rangeVarName(cmd.def?.RangeVar));
      b.lock(ctx.byKey(parentKey), 'AccessShareLock', 'inheritance parent being detached');
      return false;
    }

    case 'AT_AddInherit': {
      const parentKey = keyOf(rangeVarName(cmd.def?.RangeVar));
      const parent = ctx.catalog.get(parentKey) ?? ctx.catalog.assume(parentKey);
      b.lock(parent, 'ShareUpdateExclusiveLock', 'new inheritance parent');
      return false;
    }

    case 'AT_SetLogged':
    case 'AT_SetUnLogged': {
      const toLogged = cmd.subtype === 'AT_SetLogged';
      if (!!rel.unlogged === !toLogged) {
        b.note(`the table is already ${toLogged ? 'logged' : 'unlogged'}: nothing to do`);
        return false;
      }
      // The table's sequences change persistence with it (PG 15+), each under ACCESS EXCLUSIVE.
      if (ctx.pg >= 15) for (const seq of rel.ownedSequences) b.lock(seq, 'AccessExclusiveLock');
      if (toLogged) {
        // SET LOGGED checks that no foreign key points to an unlogged table.
        for (const c of rel.constraints)
          if (c.kind === 'foreign key' && c.references) b.lock(c.references, 'AccessShareLock');
      }
      return true;
    }

    case 'AT_SetAccessMethod': {
      const method = String(cmd.name ?? 'heap');
      if (method === (rel.accessMethod ?? 'heap')) {
        b.note(`the table already uses ${method}: nothing to rewrite`);
        return false;
      }
      return true;
    }

    case 'AT_SetTableSpace':
      b.note('SET TABLESPACE copies the table and its indexes file by file under ACCESS EXCLUSIVE');
      return true;

    case 'AT_SetExpression':
      return true;

    case 'AT_AttachPartition':
      attachPartition(cmd.def?.PartitionCmd, rel, ctx, b, scans);
      return false;

    case 'AT_DetachPartition':
    case 'AT_DetachPartitionFinalize': {
      const partKey = keyOf(rangeVarName(cmd.def?.PartitionCmd?.name));
      const part = ctx.catalog.get(partKey) ?? ctx.catalog.assume(partKey);
      const concurrent = !!cmd.def?.PartitionCmd?.concurrent;
      // Before PG 14 a plain DETACH took only SHARE UPDATE EXCLUSIVE on the partition itself.
      const partMode: LockMode =
        concurrent || cmd.subtype === 'AT_DetachPartitionFinalize' || pg < 14
          ? 'ShareUpdateExclusiveLock'
          : 'AccessExclusiveLock';
      b.lock(part, partMode, 'partition being detached');
      if (cmd.subtype === 'AT_DetachPartitionFinalize' && !part.detachPending) {
        b.failsBySchema(`${part.name} has no interrupted DETACH CONCURRENTLY to finalize`);
      }
      if (concurrent) {
        b.cannotRunInTransaction('DETACH PARTITION CONCURRENTLY cannot run inside a transaction block');
      }
      return false;
    }

    default:
      b.note(
        `ALTER TABLE ${String(cmd.subtype).replace(/^AT_/, '')}: lock from PostgreSQL's table, effects not modelled`,
      );
      return false;
  }
}

function addColumn(
  def: AnyNode,
  rel: RelationState,
  ctx: EffectContext,
  b: EffectsBuilder,
  tableScans: Set<RelationState>,
  ifNotExists: boolean,
): boolean {
  if (!def) return false;
  if (ifNotExists && ctx.catalog.column(rel, def.colname)) {
    b.note(`column ${def.colname} exists: IF NOT EXISTS makes this a no-op`);
    return false;
  }
  // ADD COLUMN always recurses: checks of existing rows run on every partition and child.
  const scans = {
    add: (r: RelationState) => {
      tableScans.add(r);
      for (const child of ctx.descendants(r)) tableScans.add(child);
    },
  };
  const pg = ctx.pg;
  const type = typeRef(def.typeName);
  const constraints: AnyNode[] = (def.constraints ?? []).map((c: AnyNode) => c.Constraint).filter(Boolean);
  let rewrite = false;
  let hasDefault = false;
  let notNull = false;
  if (type.serial) {
    b.note(
      'serial: the default nextval() is volatile, so every row gets its own value: the table is rewritten',
    );
    rewrite = true;
    hasDefault = true;
  }
  for (const c of constraints) {
    switch (c.contype) {
      case 'CONSTR_DEFAULT': {
        if (isNullConstant(c.raw_expr)) break;
        hasDefault = true;
        const v = expressionVolatility(c.raw_expr, ctx.catalog, pg);
        if (v.assumed.length) b.note(`volatility of ${v.assumed.join(', ')}() unknown: assumed volatile`);
        if (v.volatility === 'volatile') {
          b.note('the default is volatile: every existing row gets its own value, so the table is rewritten');
          rewrite = true;
          for (const seq of sequencesCalled(c.raw_expr))
            b.lock(ctx.byKey(seq, 'sequence'), 'RowExclusiveLock', 'nextval() fills existing rows');
        } else {
          b.note(`the default is ${v.volatility}: stored once in the catalog, no rewrite (PG 11+)`);
        }
        break;
      }
      case 'CONSTR_IDENTITY':
        b.note('an identity column fills every existing row from its sequence: the table is rewritten');
        rewrite = true;
        hasDefault = true;
        break;
      case 'CONSTR_GENERATED':
        if (c.generated_kind === 'v') {
          b.note('a virtual generated column is computed on read: no rewrite');
        } else {
          b.note('a stored generated column is computed for every existing row: the table is rewritten');
          rewrite = true;
        }
        break;
      case 'CONSTR_NOTNULL':
        notNull = true;
        break;
      case 'CONSTR_CHECK':
        if (!c.skip_validation) scans.add(rel);
        break;
      case 'CONSTR_FOREIGN': {
        const target = ctx.resolveOrAssume(c.pktable);
        b.lock(target, 'ShareRowExclusiveLock', 'referenced by the new foreign key');
        if (hasDefault && !c.skip_validation) {
          // Existing rows get the default, so the new foreign key is validated by a planned query.
          scans.add(rel);
          scans.add(target);
          b.lockIndexes(rel, 'AccessShareLock').lockIndexes(target, 'AccessShareLock');
        }
        break;
      }
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE':
        // A new unique index is built on the new column: it reads the whole table.
        scans.add(rel);
        b.buildIndexOn(rel);
        break;
      default:
        break;
    }
  }
  const domain = ctx.catalog.domains.get(keyOf({ schema: type.schema ?? 'public', name: type.name }));
  if (domain?.hasConstraints) {
    b.note(`domain ${type.name} has constraints: PostgreSQL rewrites the table to check every row`);
    rewrite = true;
  }
  if (notNull && !hasDefault && domain?.hasDefault && pg >= 13) {
    // The domain's default fills the existing rows; since PG 13 a NOT NULL column with a default
    // (the column's or its type's) needs no check of the rows. PG 11 and 12 still read them.
    b.note(`existing rows get the default of domain ${type.name}: no NULL to look for`);
  } else if (notNull && !hasDefault) {
    // Every existing row would hold NULL: PostgreSQL scans to prove the table is empty.
    scans.add(rel);
  }
  return rewrite;
}

function addConstraint(
  con: AnyNode,
  rel: RelationState,
  ctx: EffectContext,
  b: EffectsBuilder,
  scans: Set<RelationState>,
): boolean {
  if (!con) return false;
  const withChildren = (s: Set<RelationState>) => {
    s.add(rel);
    if (!con.is_no_inherit) for (const child of ctx.descendants(rel)) s.add(child);
  };
  switch (con.contype as string) {
    case 'CONSTR_CHECK':
      if (con.skip_validation) b.note('NOT VALID: existing rows are not checked, no scan');
      else withChildren(scans);
      return false;
    case 'CONSTR_NOTNULL':
      // PG 18: ALTER TABLE ... ADD CONSTRAINT name NOT NULL col [NOT VALID]
      if (!con.skip_validation) withChildren(scans);
      return false;
    case 'CONSTR_FOREIGN': {
      const target = ctx.resolveOrAssume(con.pktable);
      const targets = [target, ...ctx.descendants(target)];
      for (const t of targets) b.lock(t, 'ShareRowExclusiveLock', 'referenced by the new foreign key');
      if (con.skip_validation) b.note('NOT VALID: existing rows are not checked, no scan');
      else {
        // RI_Initial_Check: one planned anti-join over both tables (their leaf partitions). When the
        // referencing table is empty (created or truncated in this change) the join stops before it
        // reads the referenced table.
        const empty = rel.createdInChange;
        for (const t of [rel, ...ctx.descendants(rel), ...(empty ? [] : targets)]) {
          // Before PG 16 the planner did not open a partitioned table's own (partitioned) indexes.
          if (t.kind !== 'partitioned table' || ctx.pg >= 16) b.lockIndexes(t, 'AccessShareLock');
          if (t.kind !== 'partitioned table') scans.add(t);
        }
      }
      return false;
    }
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
    case 'CONSTR_EXCLUSION': {
      if (con.indexname) {
        // ADD ... USING INDEX: the index exists; a primary key may still need NOT NULL checks.
        const idx = ctx.catalog.get(keyOf({ schema: rel.schema, name: con.indexname }));
        // PG 12 lowered the index's lock to that of ALTER INDEX ... RENAME.
        if (idx)
          b.lock(
            idx,
            ctx.pg >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock',
            'index turned into a constraint',
          );
        if (con.contype === 'CONSTR_PRIMARY') {
          const cols = idx?.index?.columns ?? [];
          if (cols.some((c) => !ctx.catalog.column(rel, c)?.notNull)) scans.add(rel);
        }
        return false;
      }
      withChildren(scans);
      b.buildIndexOn(rel);
      if (!con.is_no_inherit) for (const child of ctx.descendants(rel)) b.buildIndexOn(child);
      if (con.contype === 'CONSTR_PRIMARY') {
        // A primary key dropped by an earlier sub-command of the same ALTER TABLE is gone already.
        if (rel.constraints.some((c) => c.kind === 'primary key' && !ctx.droppedInStatement.has(c.name)))
          b.failsBySchema(`${rel.name} already has a primary key`);
        b.note('the primary key’s columns become NOT NULL');
      }
      return false;
    }
    default:
      return false;
  }
}

function attachPartition(
  cmd: AnyNode,
  parent: RelationState,
  ctx: EffectContext,
  b: EffectsBuilder,
  scans: Set<RelationState>,
): void {
  const partKey = keyOf(rangeVarName(cmd?.name));
  const part = ctx.catalog.get(partKey) ?? ctx.catalog.assume(partKey);
  b.lock(part, 'AccessExclusiveLock', 'partition being attached');
  if (!hasImplyingCheck(part, parent)) {
    scans.add(part);
    b.note(
      `${part.name} is scanned to prove its rows fit the partition bound (a matching valid CHECK avoids it)`,
    );
  }
  const defaultPartition = ctx.catalog
    .partitionsOf(parent.key)
    .find((p) => p.key !== part.key && p.isDefaultPartition);
  if (defaultPartition) {
    b.lock(defaultPartition, 'AccessExclusiveLock', 'default partition checked for rows of the new bound');
    scans.add(defaultPartition);
  }
  // Indexes of the parent are created (or matched) on the partition.
  for (const idx of ctx.catalog.indexesOf(parent)) {
    if (ctx.pg >= 12) b.lock(idx, 'ShareUpdateExclusiveLock', 'partitioned index attached to the partition');
    if (!ctx.catalog.indexesOf(part).some((p) => sameColumns(p, idx))) {
      scans.add(part);
      b.buildIndexOn(part);
    }
  }
}

function sameColumns(a: RelationState, b: RelationState): boolean {
  return (a.index?.columns ?? []).join(',') === (b.index?.columns ?? []).join(',');
}

/**
 * PostgreSQL skips the validation scan when the partition's valid CHECK constraints imply the
 * partition bound (predicate_implied_by). We accept a valid CHECK on exactly the partition key
 * columns as such a proof, and say so in a note, rather than re-implement the prover.
 */
function hasImplyingCheck(part: RelationState, parent: RelationState): boolean {
  const key = parent.partitionKey ?? [];
  return part.constraints.some(
    (c: ConstraintState) =>
      c.kind === 'check' && c.valid && c.columns.length > 0 && c.columns.every((col) => key.includes(col)),
  );
}

/** Sequences named in nextval('...') calls of an expression. */
function sequencesCalled(expr: AnyNode): string[] {
  const out: string[] = [];
  for (const [key, value] of walk(expr)) {
    if (key !== 'FuncCall') continue;
    const name = stringList(value.funcname).pop()?.toLowerCase();
    const arg = value.args?.[0];
    const literal = arg?.A_Const?.sval?.sval ?? arg?.TypeCast?.arg?.A_Const?.sval?.sval;
    if (name === 'nextval' && typeof literal === 'string') {
      out.push(keyOf(namesToQualified(literal.split('.').map((p: string) => p.replace(/^"|"$/g, '')))));
    }
  }
  return out;
}

/** Views (and materialized views) over `rel` whose query reads `column`. */
function viewsReading(ctx: EffectContext, rel: RelationState, column: string): RelationState[] {
  return ctx.catalog
    .dependentViews(rel.key)
    .filter((v) => v.readsColumns?.includes(column) || v.readsColumns?.includes('*'));
}

const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'name']);

/**
 * ALTER COLUMN TYPE without USING needs an implicit or assignment cast. From the string types
 * PostgreSQL has only explicit I/O conversions to other types (numbers, dates, booleans, enums).
 */
function needsExplicitCast(from: string, to: string, ctx: EffectContext): boolean {
  if (!TEXT_TYPES.has(from) || TEXT_TYPES.has(to)) return false;
  return !['json', 'jsonb', 'xml'].includes(to) || ctx.pg < 0;
}

function identitySequence(rel: RelationState, column: string): string | undefined {
  return rel.ownedSequences.find((s) => s.endsWith(`_${column}_seq`)) ?? rel.ownedSequences[0];
}

/**
 * Whether an index on a column can be kept when its type changes without a rewrite: the old and
 * new types must share the btree operator class (varchar has none of its own and uses text_ops;
 * cidr uses inet_ops). Otherwise PostgreSQL builds the index again.
 */
function sameIndexOperatorClass(from: string | undefined, to: string): boolean {
  if (!from || from === to) return true;
  const family = (t: string) => (t === 'varchar' ? 'text' : t === 'cidr' ? 'inet' : t);
  return family(from) === family(to);
}

/** Tables whose foreign keys depend on a unique or primary-key constraint of `rel`. */
function dependentForeignKeys(ctx: EffectContext, rel: RelationState, key: ConstraintState): RelationState[] {
  return ctx.catalog.foreignKeysUsing(rel, key);
}
