/**
 * ADD COLUMN ... NOT NULL without a default gives every existing row a NULL in a NOT NULL column:
 * PostgreSQL reads the table to check, and the migration fails with "column ... contains null
 * values" as soon as the table has one row. It passes in development (empty tables) and fails in
 * production.
 */
import { typeRef, type AnyNode, type TypeRef } from '../analysis/ast';
import { isNullConstant } from '../analysis/effects/expressions';
import { defineRule, type RuleContext } from './rule';
import { alternative, ident, lockOn, qualified } from './support';
import {
  batchKey,
  batchedUpdate,
  BATCH_NOTE,
  notNullSteps,
  relationName,
  sqlType,
  under,
} from './add-column-rewrite';

export default defineRule({
  id: 'add-not-null-column-without-default',
  meta: {
    title: 'NOT NULL column added without a default to an existing table',
    defaultSeverity: 'high',
    scalesWithTable: false,
    docs: {
      why: 'A column added without a default is NULL in every existing row. With NOT NULL (or PRIMARY KEY) PostgreSQL reads the whole table under the ACCESS EXCLUSIVE lock of the ALTER TABLE to check it, and fails with `column "..." of relation "..." contains null values` if the table has any row. Such a migration passes on an empty development database and fails in production. A non-volatile default fills existing rows without a rewrite (PostgreSQL 11+); otherwise add the column nullable, backfill it and add NOT NULL afterwards.',
      bad: 'ALTER TABLE orders ADD COLUMN currency text NOT NULL;',
      good: "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';",
      versions:
        'All versions fail on a non-empty table. PostgreSQL 11+: a constant (non-volatile) default adds the column without rewriting the table. PostgreSQL 12+ / 18: NOT NULL can be added later without a blocking scan (a valid CHECK, or NOT NULL ... NOT VALID on 18).',
      reference: 'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-ADD-COLUMN',
    },
    messages: {
      fails:
        'ADD COLUMN {column} NOT NULL without a default fails if {table} has any row ("contains null values"), after reading {table} under {lock}',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt') return;
    const table = relationName(ctx.node.relation);
    const state = ctx.relation(table).state;
    // A table created in this change is empty; so is a partitioned table whose partitions all are.
    const partitions = state ? ctx.catalog.partitionsOf(state.key) : [];
    const existing =
      state?.kind === 'partitioned table' && !state.assumed
        ? partitions.some((p) => !p.createdInChange)
        : ctx.isExisting(table);
    if (!existing || emptiedByDelete(ctx, state?.key)) return;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    for (const c of ctx.node.cmds ?? []) {
      const cmd: AnyNode = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_AddColumn' || !cmd.def?.ColumnDef) continue;
      const def = cmd.def.ColumnDef;
      if (cmd.missing_ok && state?.columns.some((col) => col.name === def.colname)) continue;
      const type = typeRef(def.typeName);
      const constraints: AnyNode[] = (def.constraints ?? [])
        .map((x: AnyNode) => x.Constraint)
        .filter(Boolean);
      const notNull = constraints.some(
        (x) => x.contype === 'CONSTR_NOTNULL' || x.contype === 'CONSTR_PRIMARY',
      );
      const filled =
        !!type.serial ||
        constraints.some(
          (x) =>
            x.contype === 'CONSTR_IDENTITY' ||
            x.contype === 'CONSTR_GENERATED' ||
            (x.contype === 'CONSTR_DEFAULT' && !isNullConstant(x.raw_expr)),
        );
      if (!notNull || filled) continue;
      const column: string = def.colname;
      const t = qualified(table);
      const col = ident(column);
      const sqlT = sqlType(type);
      const key = batchKey(ctx, table);
      const steps = notNullSteps(ctx, table, column);
      const sql = [
        '-- either: a constant default fills existing rows without a rewrite (PostgreSQL 11+)',
        `ALTER TABLE ${t} ADD COLUMN ${col} ${sqlT} NOT NULL DEFAULT ${exampleValue(type)};`,
        '-- or: nullable, backfilled in batches, then NOT NULL without a blocking scan',
        `ALTER TABLE ${t} ADD COLUMN ${col} ${sqlT};`,
        batchedUpdate(table, key, `${col} = <value>`, `${col} IS NULL`),
        ...steps.sql,
      ];
      ctx.report({
        messageId: 'fails',
        data: { column, table, lock: under(mode) },
        relation: table,
        lock: mode,
        safeAlternative: alternative(
          `Give ${column} a constant default (no rewrite on PostgreSQL 11+), or add it nullable, backfill it, and add NOT NULL afterwards.`,
          sql.join('\n'),
          [
            ...(constraints.some((x) => x.contype === 'CONSTR_PRIMARY')
              ? [
                  `A primary key needs unique values in every row: add ${column} nullable, backfill it, build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX.`,
                ]
              : []),
            BATCH_NOTE,
            ...(key.note ? [key.note] : []),
            ...steps.notes,
          ],
        ),
      });
    }
  },
});

/** A plausible constant for the default in the example: the author replaces it. */
function exampleValue(type: TypeRef): string {
  if (type.arrayDims > 0) return "'{}'";
  if (['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(type.name)) return '0';
  if (['text', 'varchar', 'bpchar'].includes(type.name)) return "''";
  if (type.name === 'bool') return 'false';
  if (type.name === 'jsonb' || type.name === 'json') return "'{}'";
  return '<constant>';
}

/** Statements that may add rows to a table (directly, or through functions and triggers). */
const MAY_ADD_ROWS = new Set([
  'InsertStmt',
  'CopyStmt',
  'MergeStmt',
  'UpdateStmt',
  'SelectStmt',
  'CreateTableAsStmt',
  'DoStmt',
  'CallStmt',
  'ExecuteStmt',
]);

/**
 * `DELETE FROM t` (no WHERE, no USING, not ONLY) earlier in the same transaction leaves no row the
 * ALTER can see: the NOT NULL check only reads rows visible to the transaction, so it cannot fail
 * (PostgreSQL 16: DELETE of 1,000 rows, then ADD COLUMN ... NOT NULL in the same transaction
 * succeeds). Unless a later statement of the transaction may have added rows again. Unlike
 * TRUNCATE this does not make the table cheap: the deleted rows are still read, so it only
 * answers "can it fail", not "how long does it take".
 */
function emptiedByDelete(ctx: RuleContext, key: string | undefined): boolean {
  if (!key || !ctx.tx.inTransaction) return false;
  const group = ctx.statement.transaction.group;
  const earlier = ctx.tx.earlierStatements.filter(
    (e) => e.statement.transaction.inTransaction && e.statement.transaction.group === group,
  );
  let emptied = false;
  for (const e of earlier) {
    const kind = e.statement.kind;
    if (
      kind === 'DeleteStmt' &&
      !e.node.whereClause &&
      !e.node.usingClause?.length &&
      e.node.relation?.inh !== false &&
      ctx.relation(relationName(e.node.relation)).state?.key === key
    ) {
      emptied = true;
    } else if (MAY_ADD_ROWS.has(kind)) {
      emptied = false;
    }
  }
  return emptied;
}
