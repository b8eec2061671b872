/**
 * ATTACH PARTITION proves that every row of the table being attached fits the partition bound by
 * reading it, under ACCESS EXCLUSIVE on that table (and, before PostgreSQL 12, on the parent too).
 * With a DEFAULT partition, that partition is read as well, to prove none of its rows belongs to
 * the new bound. A valid CHECK constraint that implies the bound (or, on the default partition,
 * excludes it) lets PostgreSQL skip each scan.
 */
import { displayKey, typeRef, type AnyNode } from '../analysis/ast';
import type { RelationState } from '../analysis/catalog';
import { defineRule, type RuleContext } from './rule';
import { alternative, blocksReadsOrWrites, ident, lockOn, qualified } from './support';
import { bareName, notNullSteps, relationName, sqlType, under } from './add-column-rewrite';

export default defineRule({
  id: 'attach-partition-scan',
  meta: {
    title: 'ATTACH PARTITION that reads an existing partition under ACCESS EXCLUSIVE',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'ALTER TABLE ... ATTACH PARTITION takes ACCESS EXCLUSIVE on the table being attached and reads all of it to check that every row fits the partition bound; if the parent has a DEFAULT partition, that partition is locked ACCESS EXCLUSIVE and read too, to check that none of its rows belongs to the new bound. Before PostgreSQL 12 the parent itself is locked ACCESS EXCLUSIVE for the whole time (SHARE UPDATE EXCLUSIVE from 12). PostgreSQL skips the scan of the attached table when its valid CHECK constraints imply the bound, and the scan of the default partition when its valid CHECK constraints exclude the new bound: add such a CHECK NOT VALID, VALIDATE it (SHARE UPDATE EXCLUSIVE: reads and writes continue), attach, then drop the CHECK. Indexes of the parent missing on the table are built during the ATTACH as well: create them CONCURRENTLY beforehand.',
      bad: "ALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
      good: "ALTER TABLE measurements_2026 ADD CONSTRAINT measurements_2026_partition_bound CHECK (recorded_on >= '2026-01-01' AND recorded_on < '2027-01-01') NOT VALID;\n-- next migration:\nALTER TABLE measurements_2026 VALIDATE CONSTRAINT measurements_2026_partition_bound;\nALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nALTER TABLE measurements_2026 DROP CONSTRAINT measurements_2026_partition_bound;",
      versions:
        'PostgreSQL 11: ATTACH PARTITION also holds ACCESS EXCLUSIVE on the parent (all partitions unreadable) for the whole scan; PostgreSQL 12+ takes SHARE UPDATE EXCLUSIVE on the parent. The partition and the default partition are locked ACCESS EXCLUSIVE on every version.',
      reference:
        'https://www.postgresql.org/docs/current/ddl-partitioning.html#DDL-PARTITIONING-DECLARATIVE-MAINTENANCE',
    },
    messages: {
      partition:
        'ATTACH PARTITION reads every row of {partition} {why} under {lock} for the whole scan{parent}',
      defaultPartition:
        '{command} reads every row of the default partition {default} under {lock} for the whole scan, to check that none belongs to the new bound{parent}',
    },
  },
  check(ctx) {
    if (ctx.kind === 'CreateStmt') return createPartition(ctx);
    if (ctx.kind !== 'AlterTableStmt' || ctx.node.objtype === 'OBJECT_INDEX') return;
    const parentName = relationName(ctx.node.relation);
    const parent = ctx.relation(parentName).state;
    if (!parent || parent.kind === 'index' || parent.kind === 'partitioned index') return;
    for (const c of ctx.node.cmds ?? []) {
      const cmd: AnyNode = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_AttachPartition') continue;
      const partName = relationName(cmd.def?.PartitionCmd?.name);
      const bound = cmd.def?.PartitionCmd?.bound;
      const part = ctx.relation(partName).state;
      const parentSuffix = parentLock(ctx, parentName);
      if (ctx.statement.scans.includes(partName) && ctx.isExisting(partName)) {
        const boundScan = ctx.statement.notes.some((n) => n.startsWith(`${bareName(partName)} is scanned`));
        const missing = part ? missingIndexes(ctx, parent, part) : [];
        const mode = lockOn(ctx, partName) ?? 'AccessExclusiveLock';
        const why = [
          ...(boundScan ? ['to check it against the partition bound'] : []),
          ...(missing.length
            ? [`to build the parent's ${missing.length === 1 ? 'index' : 'indexes'} on it`]
            : []),
        ].join(' and ');
        ctx.report({
          messageId: 'partition',
          data: { partition: partName, why: why || 'to check it', lock: under(mode), parent: parentSuffix },
          relation: partName,
          lock: mode,
          safeAlternative: partitionSteps(ctx, parent, partName, part, bound, boundScan, missing),
        });
      }
      const def = ctx.catalog
        .partitionsOf(parent.key)
        .find((p) => p.isDefaultPartition && displayKey(p.key) !== partName);
      if (def) reportDefault(ctx, 'ATTACH PARTITION', parent, def, bound, parentSuffix);
    }
  },
});

/** CREATE TABLE ... PARTITION OF also reads the default partition for rows of the new bound. */
function createPartition(ctx: RuleContext): void {
  const bound = ctx.node.partbound;
  const parentRv = ctx.node.inhRelations?.[0]?.RangeVar;
  if (!bound || bound.is_default || !parentRv) return;
  const parent = ctx.relation(relationName(parentRv)).state;
  if (!parent) return;
  const def = ctx.catalog.partitionsOf(parent.key).find((p) => p.isDefaultPartition);
  if (def)
    reportDefault(
      ctx,
      'CREATE TABLE ... PARTITION OF',
      parent,
      def,
      bound,
      parentLock(ctx, relationName(parentRv)),
    );
}

function reportDefault(
  ctx: RuleContext,
  command: string,
  parent: RelationState,
  def: RelationState,
  bound: AnyNode,
  parentSuffix: string,
): void {
  const name = displayKey(def.key);
  if (!ctx.statement.scans.includes(name) || !ctx.isExisting(name)) return;
  const mode = lockOn(ctx, name) ?? 'AccessExclusiveLock';
  const exclusion = boundCondition(parent, def, bound, 'exclude');
  const check = ident(`${def.name}_excludes_new_bound`);
  const d = qualified(name);
  ctx.report({
    messageId: 'defaultPartition',
    data: { command, default: name, lock: under(mode), parent: parentSuffix },
    relation: name,
    lock: mode,
    safeAlternative: alternative(
      `Give the default partition ${name} a valid CHECK constraint that excludes the new bound (added NOT VALID, validated without blocking): PostgreSQL then skips reading it.`,
      exclusion
        ? [
            `ALTER TABLE ${d} ADD CONSTRAINT ${check} CHECK (${exclusion}) NOT VALID;`,
            '-- in a separate transaction (next migration): reads it under SHARE UPDATE EXCLUSIVE, reads and writes continue',
            `ALTER TABLE ${d} VALIDATE CONSTRAINT ${check};`,
            `${ctx.statement.text}; -- no scan of ${name}: its valid CHECK excludes the new bound`,
            `ALTER TABLE ${d} DROP CONSTRAINT ${check};`,
          ].join('\n')
        : undefined,
      [
        ...(exclusion
          ? []
          : [
              'Write the CHECK as the negation of the new partition’s bound (for a range: key IS NULL OR key < lower OR key >= upper).',
            ]),
        'VALIDATE fails if the default partition holds rows of the new bound: move them out first.',
      ],
    ),
  });
}

/** "; measurements is locked ACCESS EXCLUSIVE: blocks reads and writes meanwhile" on PG 11. */
function parentLock(ctx: RuleContext, parent: string): string {
  const mode = lockOn(ctx, parent);
  return mode && blocksReadsOrWrites(mode) ? `; ${parent} is held under ${under(mode)} meanwhile` : '';
}

/** Indexes of the parent the partition lacks: ATTACH builds them, reading the partition. */
function missingIndexes(ctx: RuleContext, parent: RelationState, part: RelationState): RelationState[] {
  const same = (a: RelationState, b: RelationState) =>
    (a.index?.columns ?? []).join(',') === (b.index?.columns ?? []).join(',');
  const own = ctx.catalog.indexesOf(part);
  return ctx.catalog.indexesOf(parent).filter((idx) => !own.some((p) => same(p, idx)));
}

function partitionSteps(
  ctx: RuleContext,
  parent: RelationState,
  partName: string,
  part: RelationState | undefined,
  bound: AnyNode,
  boundScan: boolean,
  missing: RelationState[],
) {
  const p = qualified(partName);
  const check = ident(`${bareName(partName)}_partition_bound`);
  // ATTACH fails unless the partition's columns are NOT NULL wherever the parent's are.
  const nullable = parent.columns
    .filter((c) => c.notNull && part?.columns.some((pc) => pc.name === c.name && !pc.notNull))
    .map((c) => c.name);
  const notNull = nullable.map((col) => notNullSteps(ctx, partName, col));
  const condition = boundScan ? boundCondition(parent, part, bound, 'include', nullable) : undefined;
  const indexes = missing.map((idx) => {
    const cols = idx.index?.columns ?? [];
    const name = ident(`${bareName(partName)}_${cols.join('_')}_${idx.index?.unique ? 'key' : 'idx'}`);
    return `CREATE ${idx.index?.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${name} ON ${p} (${cols.map(ident).join(', ')}); -- matches ${idx.name}`;
  });
  const sql: string[] = notNull.flatMap((n) => n.sql);
  if (boundScan && condition)
    sql.push(
      `ALTER TABLE ${p} ADD CONSTRAINT ${check} CHECK (${condition}) NOT VALID;`,
      '-- in a separate transaction (next migration): reads it under SHARE UPDATE EXCLUSIVE, reads and writes continue',
      `ALTER TABLE ${p} VALIDATE CONSTRAINT ${check};`,
    );
  if (indexes.length) sql.push('-- outside a transaction block:', ...indexes);
  sql.push(`${ctx.statement.text}; -- no scan of ${partName}`);
  if (boundScan && condition) sql.push(`ALTER TABLE ${p} DROP CONSTRAINT ${check};`);
  const notes: string[] = notNull.flatMap((n) => n.notes);
  if (nullable.length)
    notes.unshift(
      `ATTACH fails unless ${nullable.join(', ')} ${nullable.length === 1 ? 'is' : 'are'} NOT NULL on ${partName} as on ${displayKey(parent.key)}: the steps above add NOT NULL without a blocking scan.`,
    );
  if (boundScan && !condition)
    notes.push(
      `Add a CHECK on ${partName} that matches the partition bound (for a range: key IS NOT NULL AND key >= lower AND key < upper; for a list: key IN (...)), NOT VALID, then VALIDATE it before attaching; hash bounds have no such CHECK.`,
    );
  notes.push('VALIDATE fails if a row does not fit the bound: fix or move such rows first.');
  return alternative(
    `Prove the rows fit before attaching: a CHECK constraint matching the bound, added NOT VALID and validated without blocking${missing.length ? ', and the parent’s indexes built CONCURRENTLY on the partition' : ''}; ATTACH then reads nothing.`,
    sql.join('\n'),
    notes,
  );
}

/**
 * The partition bound as a CHECK condition on the partition key (`include`), or its negation for
 * the default partition (`exclude`), in the form PostgreSQL's implication test recognises.
 * Undefined for hash and multi-column bounds, expression keys, and values it cannot write back.
 */
function boundCondition(
  parent: RelationState,
  table: RelationState | undefined,
  bound: AnyNode,
  mode: 'include' | 'exclude',
  madeNotNull: string[] = [],
): string | undefined {
  const key = parent.partitionKey ?? [];
  if (!bound || bound.is_default || key.length !== 1) return undefined;
  const k = ident(key[0]);
  const notNull = madeNotNull.includes(key[0]) || !!table?.columns.find((c) => c.name === key[0])?.notNull;
  if (bound.strategy === 'r') {
    const lower = bound.lowerdatums ?? [];
    const upper = bound.upperdatums ?? [];
    if (lower.length !== 1 || upper.length !== 1) return undefined;
    const lo = isInfinite(lower[0]) ? null : literal(lower[0]);
    const hi = isInfinite(upper[0]) ? null : literal(upper[0]);
    if (lo === undefined || hi === undefined) return undefined;
    if (mode === 'include')
      return [
        ...(notNull ? [] : [`${k} IS NOT NULL`]),
        ...(lo !== null ? [`${k} >= ${lo}`] : []),
        ...(hi !== null ? [`${k} < ${hi}`] : []),
      ].join(' AND ');
    return [
      `${k} IS NULL`,
      ...(lo !== null ? [`${k} < ${lo}`] : []),
      ...(hi !== null ? [`${k} >= ${hi}`] : []),
    ].join(' OR ');
  }
  if (bound.strategy === 'l') {
    const datums: AnyNode[] = bound.listdatums ?? [];
    const hasNull = datums.some((d) => d?.A_Const?.isnull);
    const values = datums.filter((d) => !d?.A_Const?.isnull).map(literal);
    if (values.some((v) => v === undefined)) return undefined;
    const list = `(${values.join(', ')})`;
    if (mode === 'include') {
      if (values.length === 0) return `${k} IS NULL`;
      return hasNull
        ? `${k} IS NULL OR ${k} IN ${list}`
        : `${notNull ? '' : `${k} IS NOT NULL AND `}${k} IN ${list}`;
    }
    if (values.length === 0) return `${k} IS NOT NULL`;
    return hasNull ? `${k} IS NOT NULL AND ${k} NOT IN ${list}` : `${k} IS NULL OR ${k} NOT IN ${list}`;
  }
  return undefined;
}

function isInfinite(d: AnyNode): boolean {
  const f = d?.ColumnRef?.fields?.[0]?.String?.sval;
  return f === 'minvalue' || f === 'maxvalue';
}

/** A bound value as SQL, or undefined when it is not a plain constant. */
function literal(d: AnyNode): string | undefined {
  if (d?.TypeCast) {
    const inner = literal(d.TypeCast.arg);
    return inner === undefined ? undefined : `${inner}::${sqlType(typeRef(d.TypeCast.typeName))}`;
  }
  const c = d?.A_Const;
  if (!c) return undefined;
  if (c.isnull) return 'NULL';
  if (c.sval) return `'${String(c.sval.sval ?? '').replace(/'/g, "''")}'`;
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval);
  if (c.boolval) return c.boolval.boolval ? 'true' : 'false';
  return undefined;
}
