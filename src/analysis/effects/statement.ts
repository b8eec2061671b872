/**
 * Effects of one statement, by statement kind. Each branch names the lock PostgreSQL takes and
 * where it decides it (the function in PostgreSQL's source), so that a reader can check it; the
 * truth tests check it against real servers.
 */
import {
  keyOf,
  namesToQualified,
  nodeKind,
  rangeVarName,
  recurses,
  stringList,
  unwrap,
  type AnyNode,
} from '../ast';
import type { Catalog, RelationState } from '../catalog';
import { LOCK_MODES, type LockMode } from '../locks';
import type { StatementEffects } from '../types';
import { alterTableEffects } from './alter-table';
import { queryEffects } from './dml';
import { versionGate } from './versions';
import { doBlockStatements, routineBodyStatements, sqlFunctionBody } from './routines';
import { EffectsBuilder } from './builder';
import { EffectContext } from './context';
import { statementNodes } from './statement-nodes';

export interface EffectOptions {
  pg: number;
  utcSession?: boolean;
}

export function statementEffects(node: AnyNode, catalog: Catalog, options: EffectOptions): StatementEffects {
  const nodes = statementNodes(node);
  const ctx = new EffectContext(catalog, options.pg, options.utcSession, nodes);
  const b = new EffectsBuilder(catalog);
  const kind = nodeKind(node);
  const stmt = unwrap(node);
  const handler = HANDLERS[kind];
  const gate = versionGate(node, nodes, options.pg, catalog);
  if (gate) return b.fails(gate).build();
  if (handler) handler(stmt, ctx, b);
  else b.notModelled(`${kind}: not modelled; no relation locks are known for it`);
  for (const key of ctx.missing) b.failsBySchema(`relation ${key} does not exist`);
  return b.build();
}

type Handler = (stmt: AnyNode, ctx: EffectContext, b: EffectsBuilder) => void;

const AEL: LockMode = 'AccessExclusiveLock';

const HANDLERS: Record<string, Handler> = {
  AlterTableStmt: alterTableEffects,

  // DefineIndex(): SHARE on the table (blocks writes), SHARE UPDATE EXCLUSIVE when CONCURRENTLY.
  IndexStmt(stmt, ctx, b) {
    const table = ctx.resolveOrAssume(stmt.relation);
    const existing = stmt.idxname
      ? ctx.catalog.get(keyOf({ schema: table.schema, name: stmt.idxname }))
      : undefined;
    if (stmt.concurrent) {
      b.cannotRunInTransaction('CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
      b.lock(table, 'ShareUpdateExclusiveLock');
      if (table.kind === 'partitioned table') {
        b.failsBySchema(
          'CREATE INDEX CONCURRENTLY is not supported on partitioned tables: build each partition’s index concurrently, then CREATE INDEX ON ONLY the parent and ATTACH them',
        );
      }
    } else b.lock(table, 'ShareLock');
    if (existing && stmt.if_not_exists) {
      b.note(`index ${stmt.idxname} already exists: IF NOT EXISTS skips the build`);
      return;
    }
    if (table.kind === 'partitioned table') {
      const recurse = recurses(stmt.relation);
      if (!recurse) {
        b.note('ON ONLY: the index is created invalid on the parent alone; partitions are not touched');
        return;
      }
      for (const part of ctx.descendants(table)) {
        b.lock(part, stmt.concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
        if (part.kind !== 'partitioned table') b.scan(part).buildIndexOn(part);
      }
      return;
    }
    b.scan(table).buildIndexOn(table);
    if (stmt.concurrent)
      b.note('CONCURRENTLY: two table scans and a wait for older transactions, writes continue');
  },

  DropStmt(stmt, ctx, b) {
    const objects: AnyNode[] = stmt.objects ?? [];
    switch (stmt.removeType as string) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE':
      case 'OBJECT_FOREIGN_TABLE':
        {
          const keys = objects.map((o) => keyOf(namesToQualified(stringList(o?.List?.items))));
          for (const key of keys) {
            const rel = ctx.catalog.get(key);
            const target = rel ?? (stmt.missing_ok && ctx.catalog.complete ? undefined : ctx.byKey(key));
            if (target) dropRelation(target, stmt.behavior === 'DROP_CASCADE', ctx, b, new Set(keys));
          }
        }
        return;
      case 'OBJECT_INDEX':
        for (const o of objects) {
          const key = keyOf(namesToQualified(stringList(o?.List?.items)));
          const idx =
            ctx.catalog.get(key) ??
            (stmt.missing_ok && ctx.catalog.complete ? undefined : ctx.byKey(key, 'index'));
          if (!idx) continue;
          // index_drop(): the table and the index, SHARE UPDATE EXCLUSIVE when CONCURRENTLY.
          const mode: LockMode = stmt.concurrent ? 'ShareUpdateExclusiveLock' : AEL;
          const table = idx.index ? ctx.catalog.get(idx.index.table) : undefined;
          if (table) b.lock(table, mode);
          b.lock(idx, mode);
          const owner = table?.constraints.find((c) => c.index === idx.key);
          if (owner)
            b.failsBySchema(
              `constraint ${owner.name} requires index ${idx.name}: drop the constraint instead`,
            );
          // Dropping a partitioned index drops its partitions' indexes, locking each partition.
          const children =
            idx.kind === 'partitioned index'
              ? [...ctx.catalog.relations.values()].filter((r) => r.index?.parent === idx.key)
              : [];
          for (const child of children) {
            const t = child.index ? ctx.catalog.get(child.index.table) : undefined;
            if (t) b.lock(t, mode);
            b.lock(child, mode);
          }
        }
        if (stmt.concurrent)
          b.cannotRunInTransaction('DROP INDEX CONCURRENTLY cannot run inside a transaction block');
        return;
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY':
      case 'OBJECT_RULE':
        for (const o of objects) {
          const parts = stringList(o?.List?.items);
          const table = ctx.catalog.get(keyOf(namesToQualified(parts.slice(0, -1))));
          const target =
            table ??
            (stmt.missing_ok && ctx.catalog.complete
              ? undefined
              : ctx.byKey(keyOf(namesToQualified(parts.slice(0, -1)))));
          const name = parts[parts.length - 1];
          // IF EXISTS on a trigger the table does not have: nothing is locked.
          const absent =
            stmt.removeType === 'OBJECT_TRIGGER' &&
            stmt.missing_ok &&
            ctx.catalog.complete &&
            !target?.triggers.includes(name);
          if (target && !absent) b.lock(target, AEL);
        }
        return;
      case 'OBJECT_STATISTIC_EXT':
        for (const o of objects) {
          const key = keyOf(namesToQualified(stringList(o?.List?.items)));
          const table = ctx.catalog.statistics.get(key);
          // PG 12 started locking the table when its statistics object is dropped.
          if (table && ctx.pg >= 12) b.lock(ctx.byKey(table), 'ShareUpdateExclusiveLock');
        }
        return;
      case 'OBJECT_SCHEMA':
        if (stmt.behavior === 'DROP_CASCADE') {
          const schemas = new Set(
            objects.map((o) => stringList(o?.List?.items ?? [o])[0] ?? o?.String?.sval),
          );
          for (const rel of ctx.catalog.relations.values()) if (schemas.has(rel.schema)) b.lock(rel, AEL);
        }
        return;
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        for (const o of objects) {
          const names = stringList(o?.TypeName?.names ?? o?.List?.items);
          const key = keyOf(namesToQualified(names));
          // Only types the schema defines can be used by its columns (built-in types cannot be dropped).
          const known = ctx.catalog.enums.has(key) || ctx.catalog.domains.has(key) || ctx.catalog.has(key);
          const users = (known ? [...ctx.catalog.relations.values()] : []).filter((r) =>
            r.columns.some((c) => keyOf({ schema: c.type.schema ?? 'public', name: c.type.name }) === key),
          );
          if (users.length && stmt.behavior !== 'DROP_CASCADE') {
            b.failsBySchema(
              `column of ${users[0].name} uses type ${names.join('.')}: DROP TYPE fails without CASCADE`,
            );
          }
          for (const u of users) b.lock(u, AEL, 'its column of the dropped type is dropped (CASCADE)');
        }
        return;
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
      case 'OBJECT_EXTENSION':
        return;
      default:
        b.note(`DROP ${String(stmt.removeType).replace(/^OBJECT_/, '')}: no relation locks modelled`);
    }
  },

  // heap_create_with_catalog(): a new relation is invisible to others; what it references is locked.
  CreateStmt(stmt, ctx, b) {
    const self = keyOf(rangeVarName(stmt.relation));
    // A foreign key to the table being created references nothing that exists yet.
    const referenced = (pktable: AnyNode) => {
      if (keyOf(rangeVarName(pktable)) !== self) {
        b.lock(ctx.resolveOrAssume(pktable), 'ShareRowExclusiveLock', 'referenced by a new foreign key');
      }
    };
    for (const elt of stmt.tableElts ?? []) {
      const k = nodeKind(elt);
      if (k === 'ColumnDef') {
        for (const c of elt.ColumnDef.constraints ?? []) {
          if (c.Constraint?.contype === 'CONSTR_FOREIGN') referenced(c.Constraint.pktable);
        }
      } else if (k === 'Constraint' && elt.Constraint.contype === 'CONSTR_FOREIGN') {
        referenced(elt.Constraint.pktable);
      } else if (k === 'TableLikeClause') {
        const src = ctx.resolveOrAssume(elt.TableLikeClause.relation);
        b.lock(src, 'AccessShareLock', 'copied by LIKE');
      }
    }
    for (const parent of stmt.inhRelations ?? []) {
      const p = ctx.resolveOrAssume(parent.RangeVar ?? parent);
      if (stmt.partbound) {
        // PARTITION OF: the parent is locked ACCESS EXCLUSIVE (the partition descriptor changes).
        b.lock(p, AEL, 'parent of the new partition');
        const def = ctx.catalog.partitionsOf(p.key).find((x) => x.isDefaultPartition);
        if (def && !stmt.partbound.is_default) {
          b.lock(def, AEL, 'default partition checked for rows of the new bound');
          b.scan(def);
        }
      } else b.lock(p, 'ShareUpdateExclusiveLock', 'new inheritance parent');
    }
  },

  CreateTableAsStmt(stmt, ctx, b) {
    // WITH NO DATA: the query is analyzed (its tables locked) but neither planned nor run.
    const skip = !!stmt.into?.skipData;
    queryEffects(stmt.query, ctx, b, !skip);
    if (skip) b.note('WITH NO DATA: the query is not run');
  },

  // ExecuteTruncate(): ACCESS EXCLUSIVE; new empty files, nothing is read.
  TruncateStmt(stmt, ctx, b) {
    const tables: RelationState[] = (stmt.relations ?? []).map((r: AnyNode) =>
      ctx.resolveOrAssume(r.RangeVar),
    );
    const cascade = stmt.behavior === 'DROP_CASCADE';
    const seen = new Set<string>();
    const visit = (t: RelationState) => {
      if (seen.has(t.key)) return;
      seen.add(t.key);
      b.lock(t, AEL);
      if (t.kind !== 'partitioned table') b.truncate(t);
      for (const idx of ctx.catalog.indexesOf(t)) b.lock(idx, AEL).truncate(idx);
      for (const child of ctx.descendants(t)) visit(child);
      if (cascade) for (const ref of ctx.catalog.referencingTables(t.key)) visit(ref);
      if (stmt.restart_seqs) for (const seq of t.ownedSequences) b.lock(seq, AEL);
    };
    for (const r of stmt.relations ?? []) {
      const t = ctx.resolveOrAssume(r.RangeVar);
      if (t.kind === 'partitioned table' && !recurses(r.RangeVar))
        b.failsBySchema('TRUNCATE ONLY cannot truncate a partitioned table alone');
    }
    tables.forEach(visit);
    for (const t of seen) {
      for (const ref of ctx.catalog.referencingTables(t)) {
        if (!seen.has(ref.key))
          b.failsBySchema(
            `${ref.name} has a foreign key to ${t.split('.').pop()}: TRUNCATE it too, or use CASCADE`,
          );
      }
    }
  },

  // vacuum(): SHARE UPDATE EXCLUSIVE; FULL rewrites under ACCESS EXCLUSIVE.
  VacuumStmt(stmt, ctx, b) {
    // `VACUUM (FULL false)`: an option with an explicit false value is off.
    const opts = new Set(
      (stmt.options ?? [])
        .filter((o: AnyNode) => !isFalse(o.DefElem?.arg))
        .map((o: AnyNode) => String(o.DefElem?.defname).toLowerCase()),
    );
    const full = opts.has('full');
    const vacuum = stmt.is_vacuumcmd === true;
    if (vacuum) b.cannotRunInTransaction('VACUUM cannot run inside a transaction block');
    const rels: RelationState[] = (stmt.rels ?? []).map((r: AnyNode) =>
      ctx.resolveOrAssume(r.VacuumRelation?.relation),
    );
    if (rels.length === 0) b.note('every table in the database is processed');
    for (const rel of rels) {
      if (vacuum && full) {
        b.lock(rel, AEL).rewrite(rel);
        for (const idx of ctx.catalog.indexesOf(rel)) b.lock(idx, AEL).rebuildIndex(idx);
      } else {
        for (const t of [rel, ...ctx.descendants(rel)]) {
          b.lock(t, 'ShareUpdateExclusiveLock');
          b.lockIndexes(t, vacuum ? 'RowExclusiveLock' : 'AccessShareLock');
        }
      }
    }
  },

  // cluster(): ACCESS EXCLUSIVE, the table is rewritten in index order and its indexes rebuilt.
  ClusterStmt(stmt, ctx, b) {
    if (!stmt.relation) {
      b.cannotRunInTransaction('CLUSTER without a table cannot run inside a transaction block');
      return;
    }
    const rel = ctx.resolveOrAssume(stmt.relation);
    if (!stmt.indexname && !rel.clusterIndex && !rel.assumed) {
      b.failsBySchema(`${rel.name} has no clustered index: name one with CLUSTER ${rel.name} USING <index>`);
    }
    b.lock(rel, AEL).rewrite(rel);
    for (const idx of ctx.catalog.indexesOf(rel)) b.lock(idx, AEL).rebuildIndex(idx);
  },

  // ReindexIndex()/ReindexTable(): SHARE on the table, ACCESS EXCLUSIVE on each index rebuilt.
  ReindexStmt(stmt, ctx, b) {
    const params = new Set((stmt.params ?? []).map((p: AnyNode) => String(p.DefElem?.defname).toLowerCase()));
    const concurrent = params.has('concurrently') || !!stmt.concurrent;
    if (concurrent) {
      if (ctx.pg < 12) b.fails('REINDEX CONCURRENTLY needs PostgreSQL 12');
      b.cannotRunInTransaction('REINDEX CONCURRENTLY cannot run inside a transaction block');
    }
    const kind = stmt.kind as string;
    if (kind === 'REINDEX_OBJECT_INDEX') {
      const idx = ctx.byKey(keyOf(rangeVarName(stmt.relation)), 'index');
      if (idx.kind === 'partitioned index') {
        // PG 14 reindexes each partition's index in its own transaction; before, it is an error.
        if (ctx.pg < 14) b.fails('REINDEX of a partitioned index needs PostgreSQL 14');
        b.cannotRunInTransaction('REINDEX of a partitioned index cannot run inside a transaction block');
        const parent = idx.index ? ctx.catalog.get(idx.index.table) : undefined;
        if (parent) b.lock(parent, concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
        for (const child of [...ctx.catalog.relations.values()].filter((r) => r.index?.parent === idx.key)) {
          const t = child.index ? ctx.catalog.get(child.index.table) : undefined;
          if (t) b.lock(t, concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock').scan(t);
          b.lock(child, concurrent ? 'ShareUpdateExclusiveLock' : AEL).rebuildIndex(child);
        }
        return;
      }
      const table = idx.index ? ctx.catalog.get(idx.index.table) : undefined;
      if (table) b.lock(table, concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
      b.lock(idx, concurrent ? 'ShareUpdateExclusiveLock' : AEL).rebuildIndex(idx);
      if (table) b.scan(table);
      return;
    }
    if (kind === 'REINDEX_OBJECT_TABLE') {
      const rel = ctx.resolveOrAssume(stmt.relation);
      if (rel.kind === 'partitioned table') {
        // PG 14+: each partition is reindexed in its own transaction; before, nothing is rebuilt.
        if (ctx.pg < 14) {
          b.lock(rel, 'ShareLock').note(
            'before PG 14 REINDEX TABLE skips partitioned tables: nothing is rebuilt',
          );
          return;
        }
        b.cannotRunInTransaction('REINDEX of a partitioned table cannot run inside a transaction block');
        b.lock(rel, concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
        for (const part of ctx.descendants(rel))
          if (part.kind !== 'partitioned table') reindexTable(part, concurrent, b, ctx);
        return;
      }
      reindexTable(rel, concurrent, b, ctx);
      return;
    }
    b.cannotRunInTransaction('REINDEX SCHEMA/DATABASE/SYSTEM cannot run inside a transaction block');
    b.note('every index of the schema or database is rebuilt, one table at a time');
    if (kind === 'REINDEX_OBJECT_SCHEMA') {
      for (const rel of ctx.catalog.relations.values()) {
        if (rel.schema === stmt.name && (rel.kind === 'table' || rel.kind === 'materialized view'))
          reindexTable(rel, concurrent, b, ctx);
      }
    }
  },

  // LockTableCommand(): the mode as written, on the tables and (unless ONLY) their children.
  LockStmt(stmt, ctx, b) {
    const mode = LOCK_MODES[(stmt.mode ?? 8) - 1];
    for (const r of stmt.relations ?? []) {
      const rel = ctx.resolveOrAssume(r.RangeVar);
      b.lock(rel, mode);
      if (recurses(r.RangeVar)) for (const child of ctx.descendants(rel)) b.lock(child, mode);
      // Locking a view locks the tables its query reads, in the same mode.
      for (const base of rel.kind === 'view' ? (rel.dependsOn ?? []) : []) b.lock(ctx.byKey(base), mode);
    }
    if (stmt.nowait) b.note('NOWAIT: fails at once instead of queueing when the lock is taken');
    b.transaction = { ...b.transaction, requiresTransactionBlock: true };
  },

  // CreateTrigger(): SHARE ROW EXCLUSIVE (blocks writes, not reads).
  CreateTrigStmt(stmt, ctx, b) {
    const rel = ctx.resolveOrAssume(stmt.relation);
    b.lock(rel, 'ShareRowExclusiveLock');
    // A row-level trigger on a partitioned table is cloned onto every partition.
    if (stmt.row) for (const part of ctx.descendants(rel)) b.lock(part, 'ShareRowExclusiveLock');
  },

  // CreateStatistics()/RemoveStatisticsById(): SHARE UPDATE EXCLUSIVE on the table.
  CreateStatsStmt(stmt, ctx, b) {
    for (const r of stmt.relations ?? []) b.lock(ctx.resolveOrAssume(r.RangeVar), 'ShareUpdateExclusiveLock');
  },

  // CreatePolicy()/AlterPolicy(): ACCESS EXCLUSIVE on the table.
  CreatePolicyStmt(stmt, ctx, b) {
    b.lock(ctx.resolveOrAssume(stmt.table), AEL);
  },
  AlterPolicyStmt(stmt, ctx, b) {
    b.lock(ctx.resolveOrAssume(stmt.table), AEL);
  },

  RuleStmt(stmt, ctx, b) {
    b.lock(ctx.resolveOrAssume(stmt.relation), AEL);
  },

  // CommentObject(): get_object_address() with SHARE UPDATE EXCLUSIVE on the relation.
  CommentStmt(stmt, ctx, b) {
    const objtype = stmt.objtype as string;
    const items = (parts: AnyNode) => stringList(parts?.List?.items);
    if (
      ['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE'].includes(objtype)
    ) {
      b.lock(ctx.byKey(keyOf(namesToQualified(items(stmt.object)))), 'ShareUpdateExclusiveLock');
    } else if (objtype === 'OBJECT_COLUMN') {
      const parts = items(stmt.object);
      b.lock(ctx.byKey(keyOf(namesToQualified(parts.slice(0, -1)))), 'ShareUpdateExclusiveLock');
    } else if (['OBJECT_TABCONSTRAINT', 'OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE'].includes(objtype)) {
      // Objects that live on a table are looked up under ACCESS SHARE on that table.
      const parts = items(stmt.object);
      b.lock(ctx.byKey(keyOf(namesToQualified(parts.slice(0, -1)))), 'AccessShareLock');
    }
  },

  // ExecGrant_Relation(): before PG 18 privileges are updated in place without a relation lock;
  // PG 18 takes ACCESS SHARE on each table while it does so.
  GrantStmt(stmt, ctx, b) {
    if (ctx.pg < 18 || stmt.targtype !== 'ACL_TARGET_OBJECT' || stmt.objtype !== 'OBJECT_TABLE') return;
    for (const o of stmt.objects ?? []) b.lock(ctx.resolveOrAssume(o.RangeVar), 'AccessShareLock');
  },

  ViewStmt(stmt, ctx, b) {
    const key = keyOf(rangeVarName(stmt.view));
    const existing = ctx.catalog.get(key);
    if (existing && stmt.replace) {
      b.lock(existing, AEL, 'view being replaced');
      const before = existing.outputColumns ?? [];
      const after = viewOutputColumns(stmt.query);
      if (before.length && after && (after.length < before.length || before.some((c, i) => after[i] !== c))) {
        b.failsBySchema(
          'CREATE OR REPLACE VIEW can only add columns at the end: dropping or renaming columns fails',
        );
      }
    }
    // A view's query is analyzed, not planned: its tables are locked, their indexes are not.
    queryEffects(stmt.query, ctx, b, false);
  },

  // ExecRefreshMatView(): ACCESS EXCLUSIVE and a new heap; CONCURRENTLY: EXCLUSIVE (reads continue).
  RefreshMatViewStmt(stmt, ctx, b) {
    const mv = ctx.resolveOrAssume(stmt.relation);
    if (stmt.concurrent) {
      if (!mv.assumed && !ctx.catalog.indexesOf(mv).some((i) => i.index?.unique)) {
        b.failsBySchema(`REFRESH ... CONCURRENTLY needs a unique index on ${mv.name}`);
      }
      b.lock(mv, 'ExclusiveLock');
      b.scan(mv);
      b.lockIndexes(mv, 'RowExclusiveLock');
      b.note('CONCURRENTLY: the new contents are computed and diffed against the old; reads continue');
    } else {
      b.lock(mv, AEL).rewrite(mv);
      for (const idx of ctx.catalog.indexesOf(mv)) b.lock(idx, AEL).rebuildIndex(idx);
    }
    if (stmt.skipData) return;
    for (const src of mv.dependsOn ?? []) {
      const rel = ctx.catalog.get(src);
      if (rel) {
        b.lock(rel, 'AccessShareLock');
        b.lockIndexes(rel, 'AccessShareLock');
        if (rel.kind !== 'view') b.scan(rel);
      }
    }
  },

  CreateSeqStmt(stmt, ctx, b) {
    sequenceOwner(stmt.options, ctx, b);
  },

  // AlterSequence(): SHARE ROW EXCLUSIVE on the sequence; OWNED BY also reads the table.
  AlterSeqStmt(stmt, ctx, b) {
    const seq = ctx.resolve(stmt.sequence, { missingOk: stmt.missing_ok, kind: 'sequence' });
    if (!seq) return;
    b.lock(seq, 'ShareRowExclusiveLock');
    sequenceOwner(stmt.options, ctx, b);
  },

  // AlterDomainAddConstraint/validateDomainConstraint: SHARE on every table using the domain, and a scan.
  AlterDomainStmt(stmt, ctx, b) {
    const key = keyOf(namesToQualified(stringList(stmt.typeName)));
    const checks =
      stmt.subtype === 'C'
        ? !stmt.def?.Constraint?.skip_validation
        : stmt.subtype === 'V' || stmt.subtype === 'O';
    if (!checks) return;
    for (const rel of ctx.catalog.relations.values()) {
      if (rel.columns.some((c) => keyOf({ schema: c.type.schema ?? 'public', name: c.type.name }) === key)) {
        b.lock(rel, 'ShareLock', 'has a column of the domain').scan(rel);
      }
    }
  },

  CreateEnumStmt() {},

  // AlterEnum(): no relation lock; before PG 12 ADD VALUE cannot run in a transaction block.
  AlterEnumStmt(stmt, ctx, b) {
    if (stmt.oldVal) {
      b.note('RENAME VALUE: catalog-only change');
      return;
    }
    if (ctx.pg < 12)
      b.cannotRunInTransaction('ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PG 12');
    else
      b.transaction = {
        ...b.transaction,
        note: 'inside a transaction block the new value cannot be used until COMMIT',
      };
  },

  InsertStmt: (stmt, ctx, b) => queryEffects({ InsertStmt: stmt }, ctx, b),
  UpdateStmt: (stmt, ctx, b) => queryEffects({ UpdateStmt: stmt }, ctx, b),
  DeleteStmt: (stmt, ctx, b) => queryEffects({ DeleteStmt: stmt }, ctx, b),
  MergeStmt: (stmt, ctx, b) => queryEffects({ MergeStmt: stmt }, ctx, b),
  SelectStmt: (stmt, ctx, b) => queryEffects({ SelectStmt: stmt }, ctx, b),

  // RenameRelation(): ACCESS EXCLUSIVE; ALTER INDEX ... RENAME takes SHARE UPDATE EXCLUSIVE since PG 12.
  RenameStmt(stmt, ctx, b) {
    const type = stmt.renameType as string;
    if (
      type === 'OBJECT_TYPE' ||
      type === 'OBJECT_SCHEMA' ||
      type === 'OBJECT_FUNCTION' ||
      type === 'OBJECT_DOMAIN'
    )
      return;
    if (type === 'OBJECT_TRIGGER' || type === 'OBJECT_POLICY' || type === 'OBJECT_RULE') {
      b.lock(ctx.resolveOrAssume(stmt.relation), AEL);
      return;
    }
    const rel = ctx.resolve(stmt.relation, { missingOk: stmt.missing_ok });
    if (!rel) return;
    if (type === 'OBJECT_INDEX' || rel.kind === 'index') {
      b.lock(rel, ctx.pg >= 12 ? 'ShareUpdateExclusiveLock' : AEL);
      return;
    }
    b.lock(rel, AEL);
    if (type === 'OBJECT_TABCONSTRAINT') {
      // Renaming a constraint with an index renames the index too (ALTER INDEX ... RENAME's lock).
      const con = rel.constraints.find((c) => c.name === stmt.subname);
      if (con?.index) b.lock(con.index, ctx.pg >= 12 ? 'ShareUpdateExclusiveLock' : AEL);
    }
    if (type === 'OBJECT_COLUMN' || type === 'OBJECT_TABCONSTRAINT') {
      for (const child of ctx.descendants(rel)) b.lock(child, AEL);
    }
  },

  // AlterTableNamespace(): ACCESS EXCLUSIVE; owned sequences and indexes move along.
  AlterObjectSchemaStmt(stmt, ctx, b) {
    if (!stmt.relation) return;
    const rel = ctx.resolve(stmt.relation, { missingOk: stmt.missing_ok });
    if (!rel) return;
    b.lock(rel, AEL);
    for (const seq of rel.ownedSequences) b.lock(seq, AEL);
  },

  AlterOwnerStmt() {},
  CreateSchemaStmt() {},
  CreateExtensionStmt() {},
  CompositeTypeStmt() {},
  CreateDomainStmt() {},
  DefineStmt() {},
  VariableSetStmt() {},
  VariableShowStmt() {},
  TransactionStmt() {},
  DoStmt(stmt, ctx, b) {
    const args: AnyNode[] = stmt.args ?? [];
    const language = args.find((a) => a.DefElem?.defname === 'language')?.DefElem?.arg?.String?.sval;
    if (language && String(language).toLowerCase() !== 'plpgsql') {
      b.notModelled(`DO block in LANGUAGE ${language}: its SQL cannot be read statically; locks unknown`);
      return;
    }
    routineBodyEffects(doBlockStatements(stmt), ctx, b, 'DO block');
    // Its statements may sit in branches that do not run (IF NOT EXISTS guards): no certain failure.
    b.softenFailure('a statement of this DO block');
  },
  CreateFunctionStmt(stmt, ctx, b) {
    // check_function_bodies: a LANGUAGE sql body is parsed and analyzed, locking what it names.
    ctx.outsideTree(() => {
      for (const s of sqlFunctionBody(stmt)) queryEffects(s, ctx, b, false);
    });
  },
  CallStmt(stmt, ctx, b) {
    const name = stringList(stmt.funccall?.funcname).pop()?.toLowerCase() ?? '';
    const definition = ctx.catalog.routines.get(name);
    if (definition) routineBodyEffects(routineBodyStatements(definition), ctx, b, `procedure ${name}`);
    else b.notModelled(`CALL ${name}: the procedure's body is not in the replayed schema`);
  },
};

function dropRelation(
  rel: RelationState,
  cascade: boolean,
  ctx: EffectContext,
  b: EffectsBuilder,
  dropped: Set<string> = new Set(),
  visited: Set<string> = new Set(),
): void {
  if (visited.has(rel.key)) return;
  visited.add(rel.key);
  b.lock(rel, AEL);
  // A partition is removed from its parent's partition descriptor: the parent is locked too.
  if (rel.partitionOf) b.lock(ctx.byKey(rel.partitionOf), AEL, 'parent of the dropped partition');
  if (!cascade) {
    const referencing = ctx.catalog.referencingTables(rel.key).filter((r) => !dropped.has(r.key));
    if (referencing.length)
      b.failsBySchema(`${referencing[0].name} has a foreign key to ${rel.name}: DROP fails without CASCADE`);
    const views = ctx.catalog.dependentViews(rel.key);
    if (views.length)
      b.failsBySchema(`view ${views[0].name} depends on ${rel.name}: DROP fails without CASCADE`);
    if (rel.kind === 'sequence') {
      const user = [...ctx.catalog.relations.values()].find((r) => r.ownedSequences.includes(rel.key));
      // Only a column default (or identity) that still uses the sequence blocks the DROP.
      const column = user?.columns.find((c) => rel.key === `${user.schema}.${user.name}_${c.name}_seq`);
      if (user && (!column || column.hasDefault || column.identity))
        b.failsBySchema(
          `a column default of ${user.name} uses ${rel.name}: DROP SEQUENCE fails without CASCADE`,
        );
    }
  }
  for (const idx of ctx.catalog.indexesOf(rel)) b.lock(idx, AEL);
  for (const seq of rel.ownedSequences) b.lock(seq, AEL);
  for (const child of ctx.descendants(rel)) {
    if (child.partitionOf === rel.key) dropRelation(child, cascade, ctx, b, dropped, visited);
  }
  // Dropping a foreign key removes its triggers on the referenced table: ACCESS EXCLUSIVE there too.
  for (const c of rel.constraints) {
    if (c.kind === 'foreign key' && c.references && c.references !== rel.key) {
      b.lock(ctx.byKey(c.references), AEL, 'its foreign-key triggers are removed');
    }
  }
  if (cascade) {
    for (const ref of ctx.catalog.referencingTables(rel.key))
      b.lock(ref, AEL, 'its foreign key is dropped (CASCADE)');
    for (const view of ctx.catalog.dependentViews(rel.key))
      b.lock(view, AEL, 'dependent view dropped (CASCADE)');
  }
}

function reindexTable(rel: RelationState, concurrent: boolean, b: EffectsBuilder, ctx: EffectContext): void {
  const indexes = ctx.catalog.indexesOf(rel);
  b.lock(rel, concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
  for (const idx of indexes) b.lock(idx, concurrent ? 'ShareUpdateExclusiveLock' : AEL).rebuildIndex(idx);
  if (indexes.length > 0) b.scan(rel);
}

/** OWNED BY table.column: the table is looked up under ACCESS SHARE. */
function sequenceOwner(options: AnyNode[] | undefined, ctx: EffectContext, b: EffectsBuilder): void {
  for (const o of options ?? []) {
    if (o.DefElem?.defname !== 'owned_by') continue;
    const parts = stringList(o.DefElem.arg?.List?.items);
    if (parts.length >= 2 && parts[parts.length - 1] !== 'none') {
      b.lock(
        ctx.byKey(keyOf(namesToQualified(parts.slice(0, -1)))),
        'AccessShareLock',
        'owner of the sequence',
      );
    }
  }
}

/** Statements run inside a DO block or procedure: their effects are the outer statement's. */
function routineBodyEffects(
  body: AnyNode[] | undefined,
  ctx: EffectContext,
  b: EffectsBuilder,
  label: string,
): void {
  if (!body) {
    b.notModelled(
      `${label}: its code runs SQL that cannot be followed statically (dynamic SQL); locks unknown`,
    );
    return;
  }
  ctx.outsideTree(() => {
    for (const node of body) {
      const handler = HANDLERS[nodeKind(node)];
      if (handler) handler(unwrap(node), ctx, b);
      else b.notModelled(`${label} runs ${nodeKind(node)}, which is not modelled: its locks are unknown`);
    }
  });
}

/** Output column names of a view's query, or undefined when `*` hides them. */
export function viewOutputColumns(query: AnyNode): string[] | undefined {
  const out: string[] = [];
  for (const t of query?.SelectStmt?.targetList ?? []) {
    const rt = t.ResTarget;
    if (rt?.name) out.push(rt.name);
    else if (rt?.val?.ColumnRef) {
      const last = stringList(rt.val.ColumnRef.fields).pop();
      if (!last || last === '*') return undefined;
      out.push(last);
    } else return undefined;
  }
  return out;
}

/**
 * Whether PostgreSQL refuses the statement inside a transaction block, from its syntax alone
 * (PreventInTransactionBlock callers). The effect handlers above say the same with the catalog at
 * hand; test/transactions.test.ts checks the two agree on every truth case.
 */
export function refusesTransactionBlock(node: AnyNode, pg: number): boolean {
  const stmt = unwrap(node);
  switch (nodeKind(node)) {
    case 'IndexStmt':
    case 'DropStmt':
      return !!stmt.concurrent;
    case 'VacuumStmt':
      return stmt.is_vacuumcmd === true;
    case 'ReindexStmt': {
      const params = (stmt.params ?? []).map((p: AnyNode) => String(p.DefElem?.defname).toLowerCase());
      return (
        params.includes('concurrently') ||
        !['REINDEX_OBJECT_INDEX', 'REINDEX_OBJECT_TABLE'].includes(stmt.kind)
      );
    }
    case 'ClusterStmt':
      return !stmt.relation;
    case 'AlterEnumStmt':
      return !stmt.oldVal && pg < 12;
    case 'AlterTableStmt':
      return (stmt.cmds ?? []).some(
        (c: AnyNode) =>
          c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def?.PartitionCmd?.concurrent,
      );
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'AlterSystemStmt':
      return true;
    default:
      return false;
  }
}

function isFalse(arg: AnyNode): boolean {
  const v = arg?.String?.sval ?? arg?.Integer?.ival;
  return typeof v === 'string' ? /^(false|off|no|0)$/i.test(v) : v === 0;
}
