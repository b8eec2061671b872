/**
 * Schema replay: applies what a statement changes to the catalog, so that later statements see it.
 * Implicit object names follow PostgreSQL's own choices (ChooseRelationName, ChooseConstraintName):
 * `orders_pkey`, `orders_email_key`, `orders_customer_id_fkey`, `orders_total_check`,
 * `orders_id_seq`, `orders_email_idx`.
 */
import {
  keyOf,
  namesToQualified,
  nodeKind,
  rangeVarName,
  recurses,
  referencedColumns,
  stringList,
  typeRef,
  unwrap,
  type AnyNode,
} from './ast';
import {
  newRelation,
  usesKey,
  type Catalog,
  type ColumnState,
  type ConstraintState,
  type RelationState,
} from './catalog';
import { isNullConstant } from './effects/expressions';
import { viewOutputColumns } from './effects/statement';

export function applyStatement(node: AnyNode, catalog: Catalog): void {
  const apply = APPLY[nodeKind(node)];
  if (apply) apply(unwrap(node), catalog);
}

type Apply = (stmt: AnyNode, catalog: Catalog) => void;

const APPLY: Record<string, Apply> = {
  CreateStmt(stmt, catalog) {
    const q = rangeVarName(stmt.relation);
    const key = keyOf(q);
    // IF NOT EXISTS skips a table that exists; one only assumed (named earlier, never created) is created.
    if (catalog.has(key) && stmt.if_not_exists && !catalog.get(key)?.assumed) return;
    const partitioned = !!stmt.partspec;
    const rel = catalog.add({
      ...newRelation(key, partitioned ? 'partitioned table' : 'table'),
      unlogged: stmt.relation?.relpersistence === 'u',
      partitionKey: partitioned
        ? (stmt.partspec.partParams ?? []).map((p: AnyNode) => p.PartitionElem?.name).filter(Boolean)
        : undefined,
    });
    for (const parent of stmt.inhRelations ?? []) {
      const pkey = keyOf(rangeVarName(parent.RangeVar ?? parent));
      const p = catalog.get(pkey) ?? catalog.assume(pkey);
      if (stmt.partbound) {
        rel.partitionOf = pkey;
        catalog.parentAdded(rel, pkey);
        rel.isDefaultPartition = !!stmt.partbound.is_default;
        rel.bound = stmt.partbound;
        rel.columns = p.columns.map((c) => ({ ...c }));
        // Indexes of the parent are created on the new partition.
        for (const idx of catalog.indexesOf(p)) {
          addIndex(
            catalog,
            rel,
            undefined,
            idx.index?.columns ?? [],
            !!idx.index?.unique,
            !!idx.index?.primary,
            idx.key,
          );
        }
      } else {
        rel.inherits.push(pkey);
        catalog.parentAdded(rel, pkey);
        rel.columns.push(...p.columns.map((c) => ({ ...c })));
      }
    }
    for (const elt of stmt.tableElts ?? []) {
      const k = nodeKind(elt);
      if (k === 'ColumnDef') addColumn(catalog, rel, elt.ColumnDef);
      else if (k === 'Constraint') addConstraint(catalog, rel, elt.Constraint);
      else if (k === 'TableLikeClause') {
        const src = catalog.get(keyOf(rangeVarName(elt.TableLikeClause.relation)));
        if (src) rel.columns.push(...src.columns.map((c) => ({ ...c })));
      }
    }
  },

  CreateTableAsStmt(stmt, catalog) {
    const q = rangeVarName(stmt.into?.rel);
    const key = keyOf(q);
    if (catalog.has(key) && stmt.if_not_exists) return;
    if (stmt.objtype !== 'OBJECT_MATVIEW') {
      // CREATE TABLE AS / SELECT INTO copies the rows once: the new table keeps no dependency on
      // what its query read (its sources can be dropped or altered afterwards).
      catalog.add(newRelation(key, 'table'));
      return;
    }
    // A materialized view keeps its query (REFRESH runs it again): it depends on its sources.
    const { dependsOn, readsColumns } = queryReads(stmt.query);
    catalog.add({ ...newRelation(key, 'materialized view'), dependsOn, readsColumns });
  },

  CreateDomainStmt(stmt, catalog) {
    const key = keyOf(namesToQualified(stringList(stmt.domainname)));
    const constraints = (stmt.constraints ?? []).map((c: AnyNode) => c.Constraint?.contype);
    catalog.domains.set(key, {
      key,
      base: typeRef(stmt.typeName),
      hasConstraints: constraints.some((c: string) => c === 'CONSTR_CHECK' || c === 'CONSTR_NOTNULL'),
      hasDefault: constraints.includes('CONSTR_DEFAULT'),
    });
  },

  AlterDomainStmt(stmt, catalog) {
    const d = catalog.domains.get(keyOf(namesToQualified(stringList(stmt.typeName))));
    if (d && (stmt.subtype === 'C' || stmt.subtype === 'O')) d.hasConstraints = true;
    // SET DEFAULT carries the expression, DROP DEFAULT none.
    if (d && stmt.subtype === 'T') d.hasDefault = !!stmt.def;
  },

  ClusterStmt(stmt, catalog) {
    const rel = stmt.relation ? catalog.get(keyOf(rangeVarName(stmt.relation))) : undefined;
    if (rel && stmt.indexname) rel.clusterIndex = keyOf({ schema: rel.schema, name: stmt.indexname });
  },

  ViewStmt(stmt, catalog) {
    const q = rangeVarName(stmt.view);
    const key = keyOf(q);
    const existing = catalog.get(key);
    const { dependsOn, readsColumns } = queryReads(stmt.query);
    const outputColumns = viewOutputColumns(stmt.query);
    if (existing) {
      existing.dependsOn = dependsOn;
      catalog.viewsRead(dependsOn);
      existing.readsColumns = readsColumns;
      existing.outputColumns = outputColumns;
      return;
    }
    catalog.add({
      ...newRelation(key, 'view'),
      dependsOn,
      readsColumns,
      outputColumns,
    });
  },

  IndexStmt(stmt, catalog) {
    const table = catalog.get(keyOf(rangeVarName(stmt.relation)));
    if (!table) return;
    const columns = (stmt.indexParams ?? []).map((p: AnyNode) => indexColumnName(p.IndexElem));
    if (
      stmt.idxname &&
      catalog.has(keyOf({ schema: table.schema, name: stmt.idxname })) &&
      stmt.if_not_exists
    )
      return;
    const idx = addIndex(catalog, table, stmt.idxname, columns, !!stmt.unique, !!stmt.primary);
    if (table.kind === 'partitioned table' && !recurses(stmt.relation)) idx.index!.valid = false;
    if (table.kind === 'partitioned table' && recurses(stmt.relation)) {
      for (const part of catalog.partitionsOf(table.key)) {
        addIndex(catalog, part, undefined, columns, !!stmt.unique, false, idx.key);
      }
    }
  },

  AlterTableStmt(stmt, catalog) {
    const rel = catalog.get(keyOf(rangeVarName(stmt.relation)));
    if (!rel) return;
    if (rel.index) {
      for (const c of stmt.cmds ?? []) {
        const child =
          c.AlterTableCmd?.subtype === 'AT_AttachPartition' &&
          catalog.get(keyOf(rangeVarName(c.AlterTableCmd.def?.PartitionCmd?.name)));
        if (child && child.index) child.index.parent = rel.key;
      }
      return;
    }
    // PostgreSQL runs the sub-commands in passes (ATRewriteCatalogs), dropped columns and constraints
    // first, whatever their place in the statement: `ADD PRIMARY KEY (b), DROP COLUMN a` replaces a
    // primary key on `a`, and the new one takes the freed name `t_pkey`.
    const cmds: AnyNode[] = (stmt.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd).filter(Boolean);
    // ADD COLUMN IF NOT EXISTS proves nothing: the column may exist already (perhaps created outside
    // the migration files), and then the statement adds nothing and succeeds on a full table.
    const provesEmpty =
      catalog.inChange &&
      !rel.createdInChange &&
      cmds.some(
        (c) =>
          c.subtype === 'AT_AddColumn' && !c.missing_ok && notNullWithoutDefault(catalog, c.def?.ColumnDef),
      );
    const dropsFirst = (c: AnyNode) =>
      c.subtype === 'AT_DropColumn' || c.subtype === 'AT_DropConstraint' ? 0 : 1;
    for (const cmd of [...cmds].sort((a, b) => dropsFirst(a) - dropsFirst(b)))
      alterTableCommand(catalog, rel, cmd);
    // A NOT NULL column without a default can only be added to a table with no row (every existing
    // row would hold NULL): once the statement succeeded, the table and its partitions are empty, so
    // later statements of the change that index, validate or rewrite them read nothing. The
    // statement itself is judged before this (it fails if there are rows).
    if (provesEmpty) {
      const empty = (r: RelationState) => {
        catalog.markEmpty(r);
        for (const child of catalog.childrenOf(r.key)) if (!child.createdInChange) empty(child);
      };
      empty(rel);
    }
  },

  DropStmt(stmt, catalog) {
    for (const o of stmt.objects ?? []) {
      const parts = stringList(o?.List?.items);
      switch (stmt.removeType as string) {
        case 'OBJECT_TABLE':
        case 'OBJECT_VIEW':
        case 'OBJECT_MATVIEW':
        case 'OBJECT_SEQUENCE':
        case 'OBJECT_INDEX': {
          const key = keyOf(namesToQualified(parts));
          const rel = catalog.get(key);
          if (!rel) break;
          for (const part of catalog.partitionsOf(key)) catalog.remove(part.key);
          // Constraints that die with it: foreign keys to it (only tables that have some are visited)
          // and the constraint an index backs (on the index's own table).
          const owners = rel.index ? [catalog.get(rel.index.table)] : catalog.referencingTables(key);
          for (const other of owners) {
            if (other)
              other.constraints = other.constraints.filter((c) => c.references !== key && c.index !== key);
          }
          catalog.remove(key);
          break;
        }
        case 'OBJECT_TYPE':
          catalog.enums.delete(keyOf(namesToQualified(parts)));
          break;
        default:
          break;
      }
    }
  },

  RenameStmt(stmt, catalog) {
    const type = stmt.renameType as string;
    if (type === 'OBJECT_TYPE') {
      const from = keyOf(namesToQualified(stringList(stmt.object?.List?.items)));
      const e = catalog.enums.get(from);
      if (e) {
        catalog.enums.delete(from);
        e.key = `${from.split('.')[0]}.${stmt.newname}`;
        catalog.enums.set(e.key, e);
      }
      return;
    }
    const rel = catalog.get(keyOf(rangeVarName(stmt.relation)));
    if (!rel) return;
    if (type === 'OBJECT_COLUMN') {
      const col = catalog.column(rel, stmt.subname);
      if (col) col.name = stmt.newname;
      for (const c of rel.constraints)
        c.columns = c.columns.map((x) => (x === stmt.subname ? stmt.newname : x));
      for (const idx of catalog.indexesOf(rel)) {
        if (idx.index)
          idx.index.columns = idx.index.columns.map((x) => (x === stmt.subname ? stmt.newname : x));
      }
    } else if (type === 'OBJECT_TABCONSTRAINT') {
      const con = rel.constraints.find((c) => c.name === stmt.subname);
      if (con) con.name = stmt.newname;
    } else if (
      ['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE'].includes(type)
    ) {
      catalog.rename(rel.key, keyOf({ schema: rel.schema, name: stmt.newname }));
    }
  },

  AlterObjectSchemaStmt(stmt, catalog) {
    if (!stmt.relation) return;
    const rel = catalog.get(keyOf(rangeVarName(stmt.relation)));
    if (!rel) return;
    const moved = [rel.key, ...rel.indexes, ...rel.ownedSequences];
    for (const key of moved) {
      const r = catalog.get(key);
      if (r) catalog.rename(key, keyOf({ schema: stmt.newschema, name: r.name }));
    }
  },

  CompositeTypeStmt(stmt, catalog) {
    const q = rangeVarName(stmt.typevar);
    if (!catalog.has(keyOf(q))) catalog.add(newRelation(keyOf(q), 'composite type'));
  },

  CreateSeqStmt(stmt, catalog) {
    const q = rangeVarName(stmt.sequence);
    if (catalog.has(keyOf(q))) return;
    catalog.add(newRelation(keyOf(q), 'sequence'));
  },

  CreateEnumStmt(stmt, catalog) {
    const key = keyOf(namesToQualified(stringList(stmt.typeName)));
    catalog.enums.set(key, {
      key,
      values: stringList(stmt.vals),
      createdInChange: catalog.inChange,
    });
  },

  AlterEnumStmt(stmt, catalog) {
    const e = catalog.enums.get(keyOf(namesToQualified(stringList(stmt.typeName))));
    if (!e) return;
    if (stmt.oldVal) e.values = e.values.map((v) => (v === stmt.oldVal ? stmt.newVal : v));
    else if (stmt.newVal && !e.values.includes(stmt.newVal)) e.values.push(stmt.newVal);
  },

  CreateFunctionStmt(stmt, catalog) {
    const name = stringList(stmt.funcname).pop()?.toLowerCase();
    if (!name) return;
    // Kept as parsed; its body is read only if a later CALL runs it.
    catalog.routines.set(name, stmt);
    let volatility: 'immutable' | 'stable' | 'volatile' = 'volatile';
    for (const o of stmt.options ?? []) {
      if (o.DefElem?.defname === 'volatility') volatility = o.DefElem.arg?.String?.sval ?? volatility;
    }
    catalog.functions.set(name, volatility);
  },

  CreateStatsStmt(stmt, catalog) {
    const table = stmt.relations?.[0]?.RangeVar;
    const name = stringList(stmt.defnames);
    if (table && name.length)
      catalog.statistics.set(keyOf(namesToQualified(name)), keyOf(rangeVarName(table)));
  },

  TruncateStmt(stmt, catalog) {
    const seen = new Set<string>();
    const empty = (rel: RelationState | undefined) => {
      if (!rel || seen.has(rel.key)) return;
      seen.add(rel.key);
      catalog.markEmpty(rel);
      for (const child of catalog.childrenOf(rel.key)) empty(child);
      if (stmt.behavior === 'DROP_CASCADE') for (const ref of catalog.referencingTables(rel.key)) empty(ref);
    };
    for (const r of stmt.relations ?? []) empty(catalog.get(keyOf(rangeVarName(r.RangeVar))));
  },

  CreateTrigStmt(stmt, catalog) {
    catalog.get(keyOf(rangeVarName(stmt.relation)))?.triggers.push(stmt.trigname);
  },
};

function alterTableCommand(catalog: Catalog, rel: RelationState, cmd: AnyNode): void {
  if (!cmd) return;
  switch (cmd.subtype as string) {
    case 'AT_AddColumn':
      if (cmd.missing_ok && catalog.column(rel, cmd.def?.ColumnDef?.colname)) return;
      addColumn(catalog, rel, cmd.def?.ColumnDef);
      for (const child of descendants(catalog, rel))
        child.columns.push({ ...rel.columns[rel.columns.length - 1] });
      return;
    case 'AT_DropColumn': {
      const col = cmd.name as string;
      // What depends on the column goes with it: every constraint whose key includes it (primary
      // key, unique, check, its own foreign keys) and every index on it. With CASCADE the foreign
      // keys of other tables that used such a unique or primary key, and the views that read the
      // column, go too (without CASCADE the statement fails and changes nothing).
      const gone = rel.constraints.filter((c) => c.columns.includes(col));
      if (cmd.behavior === 'DROP_CASCADE') {
        for (const key of gone) {
          if (key.kind !== 'primary key' && key.kind !== 'unique') continue;
          for (const other of catalog.foreignKeysUsing(rel, key))
            other.constraints = other.constraints.filter(
              (fk) => !(fk.references === rel.key && usesKey(fk, key)),
            );
        }
        for (const view of catalog.dependentViews(rel.key))
          if (view.readsColumns?.includes(col) || view.readsColumns?.includes('*')) catalog.remove(view.key);
      }
      const seq = catalog.columnSequence(rel, col);
      if (seq) {
        rel.ownedSequences = rel.ownedSequences.filter((k) => k !== seq);
        catalog.remove(seq);
      }
      rel.columns = rel.columns.filter((c) => c.name !== col);
      rel.constraints = rel.constraints.filter((c) => !gone.includes(c));
      for (const idx of catalog.indexesOf(rel)) if (idx.index?.columns.includes(col)) catalog.remove(idx.key);
      return;
    }
    case 'AT_AlterColumnType': {
      const col = catalog.column(rel, cmd.name);
      if (col) col.type = typeRef(cmd.def?.ColumnDef?.typeName);
      return;
    }
    case 'AT_SetNotNull': {
      const col = catalog.column(rel, cmd.name);
      if (col) col.notNull = true;
      return;
    }
    case 'AT_DropNotNull': {
      const col = catalog.column(rel, cmd.name);
      if (col) col.notNull = false;
      return;
    }
    case 'AT_ColumnDefault': {
      const col = catalog.column(rel, cmd.name);
      if (col) col.hasDefault = !!cmd.def;
      return;
    }
    case 'AT_AddIdentity': {
      const col = catalog.column(rel, cmd.name);
      if (col) {
        col.identity = true;
        col.notNull = true;
        ownSequence(catalog, rel, col.name);
      }
      return;
    }
    case 'AT_DropIdentity': {
      const col = catalog.column(rel, cmd.name);
      if (col) col.identity = false;
      return;
    }
    case 'AT_AddConstraint':
      addConstraint(catalog, rel, cmd.def?.Constraint);
      return;
    case 'AT_AddIndex':
      return;
    case 'AT_ValidateConstraint': {
      const con = rel.constraints.find((c) => c.name === cmd.name);
      if (con) con.valid = true;
      if (con?.kind === 'not null') {
        const col = catalog.column(rel, con.columns[0] ?? '');
        if (col) col.notNull = true;
      }
      return;
    }
    case 'AT_DropConstraint': {
      const con = rel.constraints.find((c) => c.name === cmd.name);
      if (con?.index) catalog.remove(con.index);
      rel.constraints = rel.constraints.filter((c) => c.name !== cmd.name);
      return;
    }
    case 'AT_ClusterOn':
      rel.clusterIndex = keyOf({ schema: rel.schema, name: cmd.name });
      return;
    case 'AT_DropCluster':
      rel.clusterIndex = undefined;
      return;
    case 'AT_SetAccessMethod':
      rel.accessMethod = cmd.name ?? 'heap';
      return;
    case 'AT_SetLogged':
      rel.unlogged = false;
      return;
    case 'AT_SetUnLogged':
      rel.unlogged = true;
      return;
    case 'AT_AttachPartition': {
      const part = catalog.get(keyOf(rangeVarName(cmd.def?.PartitionCmd?.name)));
      // PostgreSQL rejects attaching a table to itself or to its own partition tree.
      if (part && part.key !== rel.key && !isAncestor(catalog, part.key, rel.key)) {
        part.partitionOf = rel.key;
        catalog.hierarchyChanged();
        part.isDefaultPartition = !!cmd.def?.PartitionCmd?.bound?.is_default;
        part.bound = cmd.def?.PartitionCmd?.bound;
      }
      return;
    }
    case 'AT_DetachPartition': {
      const part = catalog.get(keyOf(rangeVarName(cmd.def?.PartitionCmd?.name)));
      if (part) part.partitionOf = undefined;
      catalog.hierarchyChanged();
      return;
    }
    case 'AT_AddInherit': {
      rel.inherits.push(keyOf(rangeVarName(cmd.def?.RangeVar)));
      catalog.hierarchyChanged();
      return;
    }
    case 'AT_DropInherit': {
      const parent = keyOf(rangeVarName(cmd.def?.RangeVar));
      rel.inherits = rel.inherits.filter((k) => k !== parent);
      catalog.hierarchyChanged();
      return;
    }
    default:
      return;
  }
}

function descendants(catalog: Catalog, rel: RelationState): RelationState[] {
  return catalog.childrenOf(rel.key);
}

function addColumn(catalog: Catalog, rel: RelationState, def: AnyNode): void {
  if (!def) return;
  const type = typeRef(def.typeName);
  const col: ColumnState = { name: def.colname, type, notNull: false, hasDefault: !!type.serial };
  rel.columns.push(col);
  if (type.serial) {
    col.notNull = true;
    ownSequence(catalog, rel, col.name);
  }
  for (const c of def.constraints ?? []) {
    const con = c.Constraint;
    if (!con) continue;
    switch (con.contype as string) {
      case 'CONSTR_NOTNULL':
        col.notNull = true;
        break;
      case 'CONSTR_DEFAULT':
        col.hasDefault = true;
        break;
      case 'CONSTR_IDENTITY':
        col.identity = true;
        col.notNull = true;
        col.hasDefault = true;
        ownSequence(catalog, rel, col.name);
        break;
      case 'CONSTR_GENERATED':
        col.generated = con.generated_kind === 'v' ? 'virtual' : 'stored';
        break;
      default:
        addConstraint(catalog, rel, con, col.name);
    }
  }
}

/**
 * A column definition that PostgreSQL can only add to an empty table: NOT NULL (or PRIMARY KEY)
 * and nothing that fills existing rows — no non-NULL DEFAULT, no identity, no generated expression,
 * not serial, and not of a domain with a DEFAULT of its own (which fills them).
 */
function notNullWithoutDefault(catalog: Catalog, def: AnyNode): boolean {
  if (!def) return false;
  const type = typeRef(def.typeName);
  if (
    type.serial ||
    catalog.domains.get(keyOf({ schema: type.schema ?? 'public', name: type.name }))?.hasDefault
  )
    return false;
  let notNull = false;
  for (const c of def.constraints ?? []) {
    const con = c.Constraint;
    switch (con?.contype as string) {
      case 'CONSTR_NOTNULL':
      case 'CONSTR_PRIMARY':
        if (!con.skip_validation) notNull = true;
        break;
      case 'CONSTR_DEFAULT':
        if (!isNullConstant(con.raw_expr)) return false;
        break;
      case 'CONSTR_IDENTITY':
      case 'CONSTR_GENERATED':
        return false;
      default:
        break;
    }
  }
  return notNull;
}

function ownSequence(catalog: Catalog, rel: RelationState, column: string): void {
  const name = catalog.chooseName(rel.schema, [rel.name, column], 'seq', (k) => catalog.has(k));
  const key = keyOf({ schema: rel.schema, name });
  catalog.add(newRelation(key, 'sequence'));
  rel.ownedSequences.push(key);
}

function addConstraint(catalog: Catalog, rel: RelationState, con: AnyNode, column?: string): void {
  if (!con) return;
  // A table-level FOREIGN KEY (a, b) lists its columns in fk_attrs; the others in keys.
  const keys: string[] = stringList(con.contype === 'CONSTR_FOREIGN' ? con.fk_attrs : con.keys);
  const columns = keys.length ? keys : column ? [column] : [];
  const taken = (name: string) =>
    catalog.has(keyOf({ schema: rel.schema, name })) || rel.constraints.some((c) => c.name === name);
  const choose = (parts: string[], suffix: string) =>
    catalog.chooseName(rel.schema, parts, suffix, (k) => taken(k.slice(rel.schema.length + 1)));
  const add = (state: ConstraintState) => rel.constraints.push(state);
  switch (con.contype as string) {
    case 'CONSTR_CHECK': {
      const refs = referencedColumns(con.raw_expr);
      const name = con.conname ?? choose(refs.length === 1 ? [rel.name, refs[0]] : [rel.name], 'check');
      add({
        name,
        kind: 'check',
        columns: refs,
        valid: !con.skip_validation,
        provesNotNull: notNullTest(con.raw_expr),
      });
      return;
    }
    case 'CONSTR_NOTNULL': {
      const col = catalog.column(rel, columns[0] ?? '');
      if (col && !con.skip_validation) col.notNull = true;
      // PG 18 catalogs NOT NULL constraints; a NOT VALID one becomes NOT NULL when validated.
      if (con.conname || con.skip_validation) {
        add({
          name: con.conname ?? `${rel.name}_${columns[0]}_not_null`,
          kind: 'not null',
          columns,
          valid: !con.skip_validation,
        });
      }
      return;
    }
    case 'CONSTR_FOREIGN': {
      const name = con.conname ?? choose([rel.name, columns.join('_')], 'fkey');
      const references = keyOf(rangeVarName(con.pktable));
      catalog.foreignKeyAdded(rel, references);
      add({
        name,
        kind: 'foreign key',
        columns,
        valid: !con.skip_validation,
        references,
        referencedColumns: stringList(con.pk_attrs),
      });
      return;
    }
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
    case 'CONSTR_EXCLUSION': {
      const primary = con.contype === 'CONSTR_PRIMARY';
      const exclusion = con.contype === 'CONSTR_EXCLUSION';
      const cols = exclusion
        ? (con.exclusions ?? []).map((e: AnyNode) => indexColumnName(e?.List?.items?.[0]?.IndexElem))
        : columns;
      let indexKey: string;
      if (con.indexname) {
        const existing = keyOf({ schema: rel.schema, name: con.indexname });
        const name = con.conname ?? con.indexname;
        if (name !== con.indexname) catalog.rename(existing, keyOf({ schema: rel.schema, name }));
        indexKey = keyOf({ schema: rel.schema, name });
        const idx = catalog.get(indexKey);
        if (idx?.index) idx.index.primary = primary;
      } else {
        const name =
          con.conname ??
          (primary
            ? choose([rel.name], 'pkey')
            : choose([rel.name, cols.join('_')], exclusion ? 'excl' : 'key'));
        indexKey = addIndex(catalog, rel, name, cols, !exclusion, primary).key;
      }
      const conName = indexKey.slice(rel.schema.length + 1);
      add({
        name: conName,
        kind: primary ? 'primary key' : exclusion ? 'exclusion' : 'unique',
        columns: cols,
        valid: true,
        index: indexKey,
      });
      if (primary)
        for (const c of cols) {
          const col = catalog.column(rel, c);
          if (col) col.notNull = true;
        }
      return;
    }
    default:
      return;
  }
}

/**
 * `col IS NOT NULL`, alone or as one conjunct of an AND → col: what PG 12+ accepts as proof for
 * SET NOT NULL (the constraint implies the column is not null).
 */
function notNullTest(expr: AnyNode): string | undefined {
  const and = expr?.BoolExpr?.boolop === 'AND_EXPR' ? expr.BoolExpr.args : undefined;
  if (and) {
    for (const arg of and) {
      const col = notNullTest(arg);
      if (col) return col;
    }
    return undefined;
  }
  const t = expr?.NullTest;
  if (!t || t.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = stringList(t.arg?.ColumnRef?.fields);
  return fields.length === 1 ? fields[0] : undefined;
}

function addIndex(
  catalog: Catalog,
  table: RelationState,
  name: string | undefined,
  columns: string[],
  unique: boolean,
  primary: boolean,
  parent?: string,
): RelationState {
  const taken = (k: string) => catalog.has(k);
  const chosen =
    name ??
    (primary
      ? catalog.chooseName(table.schema, [table.name], 'pkey', taken)
      : catalog.chooseName(
          table.schema,
          [table.name, columns.map((c) => c || 'expr').join('_')],
          unique ? 'key' : 'idx',
          taken,
        ));
  const key = keyOf({ schema: table.schema, name: chosen });
  const idx = catalog.add({
    ...newRelation(key, table.kind === 'partitioned table' ? 'partitioned index' : 'index'),
    index: { table: table.key, columns, unique, primary, valid: true, ...(parent ? { parent } : {}) },
  });
  table.indexes.push(key);
  return idx;
}

/**
 * What a view's (or CREATE TABLE AS's) query reads, in one walk: the relations it names (every
 * RangeVar, in order) and the column names it uses, `*` last when it selects every column.
 */
function queryReads(query: AnyNode): { dependsOn: string[]; readsColumns: string[] } {
  const dependsOn: string[] = [];
  const columns = new Set<string>();
  let star = false;
  const visit = (node: AnyNode): void => {
    if (Array.isArray(node)) {
      for (const item of node) {
        if (item === 'A_Star') star = true;
        else if (item !== null && typeof item === 'object') visit(item);
      }
      return;
    }
    for (const key in node) {
      const value = node[key];
      // `*` is an A_Star node. A string that is exactly "A_Star" counts too: this used to be a
      // search of the tree's JSON text, and the output must not change (the view then merely reads
      // every column).
      if (key === 'A_Star' || value === 'A_Star') star = true;
      if (value === null || typeof value !== 'object') continue;
      if (key === 'RangeVar') dependsOn.push(keyOf(rangeVarName(value)));
      else if (key === 'ColumnRef') {
        const fields = stringList(value.fields);
        const last = fields[fields.length - 1];
        if (last && last !== '*') columns.add(last);
      }
      visit(value);
    }
  };
  if (query !== null && typeof query === 'object') visit(query);
  else if (query === 'A_Star') star = true;
  if (star) columns.add('*');
  return { dependsOn, readsColumns: [...columns] };
}

/** Is `ancestor` above `key` in the partition tree? */
function isAncestor(catalog: Catalog, ancestor: string, key: string): boolean {
  const seen = new Set<string>();
  for (let k: string | undefined = key; k && !seen.has(k); k = catalog.get(k)?.partitionOf) {
    if (k === ancestor) return true;
    seen.add(k);
  }
  return false;
}

/**
 * The name an index column gets in implicit index names (FigureIndexColname): the column, else
 * the function an expression calls (`lower(email)` → lower), else `expr`.
 */
function indexColumnName(elem: AnyNode): string {
  if (elem?.name) return elem.name;
  const fn = elem?.expr?.FuncCall?.funcname;
  return fn ? (stringList(fn).pop() ?? 'expr') : '';
}
