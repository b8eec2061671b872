/**
 * ADD COLUMN is a catalog change on PostgreSQL 11+ unless every existing row needs a value of its
 * own: a volatile default, an identity or serial column (a sequence value per row), a STORED
 * generated column, or a domain with constraints (checked for every row). Then PostgreSQL rewrites
 * the whole table, and its indexes, under ACCESS EXCLUSIVE.
 *
 * This module also exports the DDL-writing helpers the table-rewrite rules share (batched
 * backfills, the NOT NULL-without-a-scan steps, SQL type names).
 */
import { displayName, keyOf, rangeVarName, typeRef, type AnyNode, type TypeRef } from '../analysis/ast';
import { expressionVolatility, isNullConstant } from '../analysis/effects/expressions';
import { describeBlocking, LOCK_MODE_SQL, type LockMode } from '../analysis/locks';
import { defineRule, type RuleContext } from './rule';
import { constraintExpression, reparse } from './prefer-identity';
import { alternative, ident, lockOn, qualified } from './support';

// ---------------------------------------------------------------------------------------------
// Shared helpers (used by alter-column-type, set-not-null, add-not-null-column-without-default,
// backfill-in-migration)

/** "ACCESS EXCLUSIVE: blocks reads and writes" */
export function under(mode: LockMode): string {
  return `${LOCK_MODE_SQL[mode]}: ${describeBlocking(mode)}`;
}

/** Display name (`orders`, `billing.orders`) of a RangeVar. */
export function relationName(rv: AnyNode): string {
  return displayName(rangeVarName(rv));
}

/** The table's name without its schema, for naming constraints, sequences and triggers. */
export function bareName(table: string): string {
  return table.split('.').pop() ?? table;
}

/** A name that lives in the table's schema (`billing.orders` + `_x_seq` → `billing.orders_x_seq`). */
export function siblingName(table: string, suffix: string): string {
  return `${table}${suffix}`;
}

const FRIENDLY: Record<string, string> = {
  int8: 'bigint',
  int4: 'integer',
  int2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  bpchar: 'char',
  varbit: 'bit varying',
  char: '"char"',
};

/** A TypeRef as SQL (serial types become their integer type). */
export function sqlType(t: TypeRef): string {
  const name = t.schema ? `${ident(t.schema)}.${ident(t.name)}` : (FRIENDLY[t.name] ?? ident(t.name));
  // interval's modifiers encode its fields: `interval` alone is always valid.
  const mods = t.typmods.length && t.name !== 'interval' ? `(${t.typmods.join(', ')})` : '';
  return name + mods + '[]'.repeat(t.arrayDims);
}

/** The table's single-column primary key, when the catalog knows it. */
export function primaryKeyColumn(ctx: RuleContext, table: string): string | undefined {
  const pk = ctx.relation(table).state?.constraints.find((c) => c.kind === 'primary key');
  return pk?.columns.length === 1 ? pk.columns[0] : undefined;
}

export interface BatchKey {
  column: string;
  /** An integer key batches by ranges; any other key by keyset pagination. */
  integer: boolean;
  /** Set when the key had to be guessed. */
  note?: string;
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'numeric']);

/** The key to batch a backfill by: the table's primary key, else a guessed `id`. */
export function batchKey(ctx: RuleContext, table: string): BatchKey {
  const pk = primaryKeyColumn(ctx, table);
  if (pk) {
    const type = ctx.relation(table).state?.columns.find((c) => c.name === pk)?.type;
    return { column: pk, integer: !type || INTEGER_TYPES.has(type.name) };
  }
  return {
    column: 'id',
    integer: true,
    note: `${table} has no single-column primary key in the migration history: batch by any indexed, unique, ordered column (shown as id).`,
  };
}

/** One batch of a backfill: a key range (integer keys) or the next page of keys (others). */
export function batchedUpdate(table: string, key: BatchKey, set: string, where?: string): string {
  const t = qualified(table);
  const k = ident(key.column);
  const extra = where ? ` AND ${where}` : '';
  if (key.integer) return `UPDATE ${t} SET ${set} WHERE ${k} BETWEEN 1 AND 10000${extra};`;
  return `UPDATE ${t} SET ${set} WHERE ${k} IN (SELECT ${k} FROM ${t} WHERE ${k} > $1 ORDER BY ${k} LIMIT 10000)${extra}; -- $1: the last key of the previous batch`;
}

export const BATCH_NOTE =
  'Run the backfill outside the schema migration, one batch per transaction (commit each), moving the key range on until it passes max(key); pause between batches if replicas lag.';

/**
 * Making `column` NOT NULL without reading the table under ACCESS EXCLUSIVE, for this version:
 * PG 18 NOT NULL ... NOT VALID + VALIDATE; PG 12+ CHECK (col IS NOT NULL) NOT VALID + VALIDATE,
 * then SET NOT NULL (proved by the valid check, no scan) and DROP the check; PG 11 cannot skip the
 * scan, so the validated CHECK itself is the constraint.
 */
export function notNullSteps(
  ctx: RuleContext,
  table: string,
  column: string,
): { sql: string[]; notes: string[] } {
  const t = qualified(table);
  const c = ident(column);
  const name = ident(`${bareName(table)}_${column}_not_null`);
  const checkSteps = [
    `ALTER TABLE ${t} ADD CONSTRAINT ${name} CHECK (${c} IS NOT NULL) NOT VALID;`,
    '-- in a separate transaction (next migration): reads the table under SHARE UPDATE EXCLUSIVE, reads and writes continue',
    `ALTER TABLE ${t} VALIDATE CONSTRAINT ${name};`,
  ];
  if (ctx.pg >= 18) {
    return {
      sql: [
        `ALTER TABLE ${t} ADD CONSTRAINT ${name} NOT NULL ${c} NOT VALID;`,
        '-- in a separate transaction (next migration): reads the table under SHARE UPDATE EXCLUSIVE, reads and writes continue',
        `ALTER TABLE ${t} VALIDATE CONSTRAINT ${name};`,
      ],
      notes: [
        `PostgreSQL 18 adds NOT NULL constraints NOT VALID; once validated, ${column} is NOT NULL. The CHECK (${column} IS NOT NULL) NOT VALID + VALIDATE + SET NOT NULL + DROP CONSTRAINT sequence of PG 12–17 works too.`,
      ],
    };
  }
  if (ctx.pg >= 12) {
    return {
      sql: [
        ...checkSteps,
        `ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL; -- no scan: the valid CHECK proves it (PG 12+)`,
        `ALTER TABLE ${t} DROP CONSTRAINT ${name};`,
      ],
      notes: [],
    };
  }
  return {
    sql: checkSteps,
    notes: [
      `PostgreSQL 11 cannot use a CHECK constraint to skip SET NOT NULL's scan under ACCESS EXCLUSIVE: keep the validated CHECK (${column} IS NOT NULL) as the constraint (it rejects NULLs the same way) and switch to SET NOT NULL after upgrading to 12+, where it no longer scans.`,
    ],
  };
}

/** Whether a column definition declares NOT NULL (a primary key column is NOT NULL too). */
export function declaresNotNull(constraints: AnyNode[]): boolean {
  return constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
}

const EXTRA_CONSTRAINTS = new Set(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_FOREIGN', 'CONSTR_CHECK']);

// ---------------------------------------------------------------------------------------------

type Cause =
  | { kind: 'volatile'; expr: string }
  | { kind: 'serial'; written: string }
  | { kind: 'identity' }
  | { kind: 'generated'; expr: string | undefined }
  | { kind: 'domain'; name: string; base: TypeRef };

export default defineRule({
  id: 'add-column-rewrite',
  meta: {
    title: 'ADD COLUMN that rewrites an existing table',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'Since PostgreSQL 11, ADD COLUMN with no default or a non-volatile default only changes the catalog: the default is evaluated once and stored as the value of every existing row. When each existing row needs a value of its own, PostgreSQL instead rewrites the whole table and rebuilds all its indexes (ATRewriteTables), holding ACCESS EXCLUSIVE for the whole time: a volatile default (random(), clock_timestamp(), gen_random_uuid(), nextval()), a serial or identity column (a sequence value per row), a GENERATED ... STORED column (computed per row), or a domain with constraints (checked per row). On a large table that is minutes of blocked reads and writes. Adding the column without a default and filling it in batches avoids the rewrite.',
      bad: 'ALTER TABLE orders ADD COLUMN tracking_id uuid NOT NULL DEFAULT gen_random_uuid();',
      good: 'ALTER TABLE orders ADD COLUMN tracking_id uuid;\nALTER TABLE orders ALTER COLUMN tracking_id SET DEFAULT gen_random_uuid();\n-- backfill in batches, one transaction each, outside the migration:\nUPDATE orders SET tracking_id = gen_random_uuid() WHERE id BETWEEN 1 AND 10000 AND tracking_id IS NULL;\n-- then NOT NULL without a scan under ACCESS EXCLUSIVE:\nALTER TABLE orders ADD CONSTRAINT orders_tracking_id_not_null CHECK (tracking_id IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_tracking_id_not_null;\nALTER TABLE orders ALTER COLUMN tracking_id SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT orders_tracking_id_not_null;',
      versions:
        'PostgreSQL 11+: non-volatile defaults no longer rewrite (this rule never reports them). PostgreSQL 12+: SET NOT NULL skips its scan when a valid CHECK (col IS NOT NULL) exists. PostgreSQL 18: NOT NULL constraints can be added NOT VALID and validated later, and VIRTUAL generated columns (computed on read) add without a rewrite.',
      reference: 'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES',
    },
    messages: {
      rewrite: 'ADD COLUMN {column} {cause} rewrites {table} under {lock} for the whole rewrite',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt') return;
    const rewritten = ctx.statement.rewrites.filter((r) => ctx.isExisting(r));
    if (rewritten.length === 0) return;
    const table = relationName(ctx.node.relation);
    const where = rewritten.includes(table)
      ? rewritten.join(', ')
      : `${rewritten.join(', ')} (partitions of ${table})`;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    const reparsed = reparse(ctx.statement.text);
    const cmds: AnyNode[] = (ctx.node.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd);
    const reparsedCmds: AnyNode[] = (reparsed?.node?.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd);
    cmds.forEach((cmd, i) => {
      if (cmd?.subtype !== 'AT_AddColumn') return;
      const def = cmd.def?.ColumnDef;
      if (!def) return;
      // IF NOT EXISTS on a column the table already has: nothing is added.
      if (cmd.missing_ok && ctx.relation(table).state?.columns.some((c) => c.name === def.colname)) return;
      const cause = rewriteCause(ctx, def, reparsedCmds[i]?.def?.ColumnDef);
      if (!cause) return;
      ctx.report({
        messageId: 'rewrite',
        data: { column: def.colname, cause: describeCause(cause), table: where, lock: under(mode) },
        relation: table,
        lock: mode,
        ...(cause.kind === 'generated' && ctx.pg >= 18 ? virtualFix(ctx) : {}),
        safeAlternative: safeSteps(ctx, table, def, cause),
      });
    });
  },
});

function rewriteCause(ctx: RuleContext, def: AnyNode, reparsed: AnyNode): Cause | undefined {
  const type = typeRef(def.typeName);
  if (type.serial)
    return { kind: 'serial', written: String(def.typeName?.names?.at(-1)?.String?.sval ?? 'serial') };
  const constraints: AnyNode[] = (def.constraints ?? []).map((c: AnyNode) => c.Constraint).filter(Boolean);
  const again: AnyNode[] = (reparsed?.constraints ?? []).map((c: AnyNode) => c.Constraint).filter(Boolean);
  for (const [i, c] of constraints.entries()) {
    const expr = () => (again[i] ? constraintExpression(ctx.statement.text, again[i]) : undefined);
    if (c.contype === 'CONSTR_IDENTITY') return { kind: 'identity' };
    if (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v')
      return { kind: 'generated', expr: expr() };
    if (c.contype === 'CONSTR_DEFAULT' && !isNullConstant(c.raw_expr)) {
      // The effect model's own volatility verdict says which sub-command caused the rewrite.
      if (expressionVolatility(c.raw_expr, ctx.catalog, ctx.pg).volatility === 'volatile')
        return { kind: 'volatile', expr: expr() ?? '<the default expression>' };
    }
  }
  const domain = ctx.catalog.domains.get(keyOf({ schema: type.schema ?? 'public', name: type.name }));
  if (domain?.hasConstraints) return { kind: 'domain', name: type.name, base: domain.base };
  return undefined;
}

function describeCause(cause: Cause): string {
  switch (cause.kind) {
    case 'volatile':
      return 'with a volatile default';
    case 'serial':
      return `as ${cause.written} (a sequence value for every existing row)`;
    case 'identity':
      return 'as an identity column (a sequence value for every existing row)';
    case 'generated':
      return 'as a STORED generated column (computed for every existing row)';
    case 'domain':
      return `of domain ${cause.name}, whose constraints are checked for every existing row,`;
  }
}

/** PG 18: the same column VIRTUAL (computed on read) adds without a rewrite. */
function virtualFix(ctx: RuleContext): { fix?: string } {
  const text = ctx.statement.text;
  const stored = text.match(/\bSTORED\b/gi) ?? [];
  return stored.length === 1 && (ctx.node.cmds ?? []).length === 1
    ? { fix: text.replace(/\bSTORED\b/i, 'VIRTUAL') }
    : {};
}

function safeSteps(ctx: RuleContext, table: string, def: AnyNode, cause: Cause) {
  const t = qualified(table);
  const column: string = def.colname;
  const c = ident(column);
  const constraints: AnyNode[] = (def.constraints ?? []).map((x: AnyNode) => x.Constraint).filter(Boolean);
  const key = batchKey(ctx, table);
  const notes: string[] = [BATCH_NOTE];
  if (key.note) notes.push(key.note);
  if (constraints.some((x) => EXTRA_CONSTRAINTS.has(x.contype)))
    notes.push(
      `Add ${column}'s other constraints after the backfill without long locks: unique indexes with CREATE UNIQUE INDEX CONCURRENTLY (then ADD CONSTRAINT ... USING INDEX), foreign keys and checks NOT VALID, then VALIDATE CONSTRAINT.`,
    );
  const type = sqlType(typeRef(def.typeName));
  const notNull = () => {
    const steps = notNullSteps(ctx, table, column);
    notes.push(...steps.notes);
    return steps.sql;
  };

  switch (cause.kind) {
    case 'volatile': {
      const sql = [
        `ALTER TABLE ${t} ADD COLUMN ${c} ${type};`,
        `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${cause.expr}; -- new rows only: no rewrite`,
        '-- backfill existing rows in batches, one transaction each:',
        batchedUpdate(table, key, `${c} = ${cause.expr}`, `${c} IS NULL`),
        ...(declaresNotNull(constraints) ? notNull() : []),
      ];
      return alternative(
        `Add ${column} without a default (a catalog change), set the default for new rows, backfill existing rows in batches${declaresNotNull(constraints) ? ', then add NOT NULL without a long scan' : ''}.`,
        sql.join('\n'),
        notes,
      );
    }
    case 'serial':
    case 'identity': {
      const integer = type;
      const seq = siblingName(table, `_${column}_seq`);
      const sql = [
        `ALTER TABLE ${t} ADD COLUMN ${c} ${integer};`,
        `CREATE SEQUENCE ${qualified(seq)} AS ${integer} OWNED BY ${t}.${c};`,
        `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT nextval('${qualified(seq)}'); -- new rows only: no rewrite`,
        '-- backfill existing rows in batches, one transaction each:',
        batchedUpdate(table, key, `${c} = nextval('${qualified(seq)}')`, `${c} IS NULL`),
        ...notNull(),
      ];
      if (cause.kind === 'identity')
        notes.push(
          `To make it an identity column afterwards (catalog changes, once NOT NULL): ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT; DROP SEQUENCE ${qualified(seq)}; ALTER TABLE ${t} ALTER COLUMN ${c} ADD GENERATED BY DEFAULT AS IDENTITY; SELECT setval(pg_get_serial_sequence('${t}', '${column}'), max(${c})) FROM ${t};`,
        );
      return alternative(
        `Add ${column} as a plain nullable ${integer} with its own sequence as the default for new rows, number existing rows in batches, then add NOT NULL without a long scan.`,
        sql.join('\n'),
        notes,
      );
    }
    case 'generated': {
      const expr = cause.expr ?? '<generation expression>';
      const fn = qualified(siblingName(table, `_${column}_fill`));
      const trigger = ident(`${bareName(table)}_${column}_fill`);
      const sql = [
        `ALTER TABLE ${t} ADD COLUMN ${c} ${type};`,
        `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$`,
        'BEGIN',
        `  NEW.${c} := (SELECT ${expr} FROM (SELECT (NEW).*) AS row_values);`,
        '  RETURN NEW;',
        'END $$;',
        `CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
        '-- backfill existing rows in batches, one transaction each:',
        batchedUpdate(table, key, `${c} = ${expr}`, `${c} IS NULL`),
      ];
      notes.push(
        'A STORED generated column cannot be added without computing it for every row under ACCESS EXCLUSIVE: there is no rewrite-free form. A regular column kept up to date by a trigger and backfilled in batches gives the same values (it can be written directly, unlike a generated column).',
      );
      if (ctx.pg >= 18)
        notes.push(
          `PostgreSQL 18: GENERATED ALWAYS AS (...) VIRTUAL adds ${column} without a rewrite; it is computed when read and cannot be indexed.`,
        );
      return alternative(
        `Add ${column} as a regular column filled by a trigger and backfilled in batches${ctx.pg >= 18 ? ', or make it VIRTUAL (PostgreSQL 18)' : ''}.`,
        sql.join('\n'),
        notes,
      );
    }
    case 'domain': {
      const base = sqlType(cause.base);
      notes.splice(0, notes.length);
      notes.push(
        `Changing ${column} to the domain later (ALTER COLUMN ... TYPE ${cause.name}) rewrites the table as well: enforce the domain's rule with the CHECK constraint instead.`,
      );
      const check = ident(`${bareName(table)}_${column}_check`);
      return alternative(
        `Add ${column} with the domain's base type ${base} (a catalog change) and enforce the domain's constraint with a CHECK added NOT VALID and validated separately.`,
        [
          `ALTER TABLE ${t} ADD COLUMN ${c} ${base};`,
          `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (<the domain's condition, with VALUE replaced by ${c}>) NOT VALID;`,
          '-- in a separate transaction (next migration):',
          `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`,
        ].join('\n'),
        notes,
      );
    }
  }
}
