/**
 * ALTER TABLE ... ADD UNIQUE / PRIMARY KEY / EXCLUDE builds the constraint's index inside the
 * ALTER TABLE, under its ACCESS EXCLUSIVE lock: reads and writes wait for the whole index build.
 * A unique index built CONCURRENTLY and attached with ADD CONSTRAINT ... USING INDEX avoids that.
 */
import { displayKey, keyOf, rangeVarName, stringList, type AnyNode } from '../analysis/ast';
import type { RelationState } from '../analysis/catalog';
import { defineRule, type RuleContext } from './rule';
import {
  alternative,
  ident,
  lockOn,
  lockPhrase,
  outsideTransactionNote,
  qualified,
  certainlyFails,
} from './support';

type Kind = 'UNIQUE' | 'PRIMARY KEY' | 'EXCLUDE';

interface NewConstraint {
  kind: Kind;
  name: string;
  columns: string[];
  con: AnyNode;
  /** Added with a new column (ADD COLUMN ... UNIQUE): the column must be added first. */
  column?: string;
}

export default defineRule({
  id: 'unique-constraint-without-index',
  meta: {
    title: 'UNIQUE, PRIMARY KEY or EXCLUDE constraint built under ACCESS EXCLUSIVE',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'ALTER TABLE ... ADD UNIQUE, ADD PRIMARY KEY and ADD EXCLUDE take ACCESS EXCLUSIVE on the table and, in the same statement, build the constraint’s index by reading and sorting every row: reads and writes wait for the whole build. Instead, build a unique index with CREATE UNIQUE INDEX CONCURRENTLY (SHARE UPDATE EXCLUSIVE: reads and writes continue), then attach it with ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX or PRIMARY KEY USING INDEX, which only updates the catalog. A primary key also makes its columns NOT NULL, which reads the table unless a valid CHECK (col IS NOT NULL) proves it (PostgreSQL 12+). EXCLUDE constraints have no USING INDEX form.',
      bad: 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);',
      good: "-- outside a transaction\nCREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);\n-- then (brief ACCESS EXCLUSIVE, no build)\nSET lock_timeout = '5s';\nALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key;",
      versions:
        'PostgreSQL 12+ lets SET NOT NULL use a valid CHECK (col IS NOT NULL) instead of reading the table, which makes PRIMARY KEY ... USING INDEX on nullable columns online; before 12 SET NOT NULL always reads the table under ACCESS EXCLUSIVE. NULLS NOT DISTINCT needs PostgreSQL 15. ADD CONSTRAINT ... USING INDEX is not supported on partitioned tables: there a unique index built per partition and attached to an index created ON ONLY the parent enforces the same.',
      reference: 'https://www.postgresql.org/docs/current/sql-altertable.html',
    },
    messages: {
      building: 'ADD {kind} {constraint} builds its index by reading all of {table} while holding {lock}',
      exclusion:
        'ADD EXCLUDE {constraint} builds its index by reading all of {table} while holding {lock}; EXCLUDE has no USING INDEX form',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt' || (ctx.node.objtype ?? 'OBJECT_TABLE') !== 'OBJECT_TABLE') return;
    // A statement that fails does none of this: unsupported-on-version reports it.
    if (certainlyFails(ctx.statement)) return;
    const table = displayKey(keyOf(rangeVarName(ctx.node.relation)));
    const rel = ctx.relation(table).state;
    if (!rel || !ctx.isExisting(table) || !ctx.statement.locks.some((l) => l.relation === table)) return;
    // No index is built when nothing is read (e.g. IF NOT EXISTS on a column that exists).
    if (ctx.statement.scans.length === 0) return;
    const cmds: AnyNode[] = (ctx.node.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd).filter(Boolean);
    const found = cmds.flatMap((cmd) => newConstraints(ctx, rel, cmd));
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    for (const c of found) {
      const data = { kind: c.kind, constraint: c.name, table, lock: lockPhrase(table, mode) };
      if (c.kind === 'EXCLUDE') {
        ctx.report({
          messageId: 'exclusion',
          data,
          relation: table,
          lock: mode,
          safeAlternative: alternative(
            'There is no online way to add an EXCLUDE constraint to a table with rows: add it at a quiet time with a lock_timeout, or build a new table with the constraint, copy the rows in batches and swap the tables.',
            `SET lock_timeout = '5s';\n${ctx.statement.text};`,
            [
              'The lock is held for the whole index build: measure it on a copy of production data before choosing a window.',
            ],
          ),
        });
        continue;
      }
      ctx.report({
        messageId: 'building',
        data,
        relation: table,
        lock: mode,
        safeAlternative:
          rel.kind === 'partitioned table'
            ? partitioned(ctx, rel, c, cmds.length)
            : online(ctx, rel, c, cmds.length),
      });
    }
  },
});

function newConstraints(ctx: RuleContext, rel: RelationState, cmd: AnyNode): NewConstraint[] {
  const out: NewConstraint[] = [];
  const add = (con: AnyNode, column?: string) => {
    if (!con || con.indexname) return;
    const kind: Kind | undefined =
      con.contype === 'CONSTR_UNIQUE'
        ? 'UNIQUE'
        : con.contype === 'CONSTR_PRIMARY'
          ? 'PRIMARY KEY'
          : con.contype === 'CONSTR_EXCLUSION'
            ? 'EXCLUDE'
            : undefined;
    if (!kind) return;
    const columns =
      kind === 'EXCLUDE'
        ? ((con.exclusions ?? []) as AnyNode[]).map((e) => elementName(e?.List?.items?.[0]?.IndexElem))
        : stringList(con.keys).length
          ? stringList(con.keys)
          : column
            ? [column]
            : [];
    out.push({ kind, name: con.conname ?? impliedName(ctx, rel, kind, columns), columns, con, column });
  };
  if (cmd.subtype === 'AT_AddConstraint') add(cmd.def?.Constraint);
  if (cmd.subtype === 'AT_AddColumn') {
    const def = cmd.def?.ColumnDef;
    for (const c of def?.constraints ?? []) add(c.Constraint, def.colname);
  }
  return out;
}

/** An index element's name as PostgreSQL derives it (FigureIndexColname): column, function, or "expr". */
function elementName(elem: AnyNode): string {
  if (elem?.name) return elem.name;
  const figure = (expr: AnyNode): string | undefined => {
    if (expr?.ColumnRef) return stringList(expr.ColumnRef.fields).pop();
    if (expr?.FuncCall) return stringList(expr.FuncCall.funcname).pop();
    if (expr?.TypeCast) return figure(expr.TypeCast.arg) ?? stringList(expr.TypeCast.typeName?.names).pop();
    return undefined;
  };
  return figure(elem?.expr) ?? 'expr';
}

/** The name PostgreSQL gives an unnamed constraint and its index (ChooseConstraintName). */
function impliedName(ctx: RuleContext, rel: RelationState, kind: Kind, columns: string[]): string {
  const taken = takenIn(ctx, rel);
  if (kind === 'PRIMARY KEY') return ctx.catalog.chooseName(rel.schema, [rel.name], 'pkey', taken);
  return ctx.catalog.chooseName(
    rel.schema,
    [rel.name, columns.join('_')],
    kind === 'UNIQUE' ? 'key' : 'excl',
    taken,
  );
}

/**
 * Names are taken by relations of the schema and by the table's constraints, except those this
 * ALTER TABLE drops: PostgreSQL drops first (DROP CONSTRAINT, and DROP COLUMN with the column's
 * constraints and indexes), so `DROP COLUMN id, ADD PRIMARY KEY (uuid)` reuses the name `t_pkey`.
 */
function takenIn(ctx: RuleContext, rel: RelationState): (key: string) => boolean {
  const freed = droppedNames(ctx, rel);
  return (key) =>
    !freed.has(key) &&
    (ctx.catalog.has(key) || rel.constraints.some((c) => `${rel.schema}.${c.name}` === key));
}

function droppedNames(ctx: RuleContext, rel: RelationState): Set<string> {
  const freed = new Set<string>();
  if (ctx.kind !== 'AlterTableStmt') return freed;
  const qualified = (name: string) => `${rel.schema}.${name}`;
  for (const item of (ctx.node.cmds ?? []) as AnyNode[]) {
    const cmd = item.AlterTableCmd;
    if (cmd?.subtype === 'AT_DropConstraint' && cmd.name) {
      freed.add(qualified(cmd.name));
      const con = rel.constraints.find((c) => c.name === cmd.name);
      if (con?.index) freed.add(con.index);
    } else if (cmd?.subtype === 'AT_DropColumn' && cmd.name) {
      for (const c of rel.constraints) {
        if (!c.columns.includes(cmd.name)) continue;
        freed.add(qualified(c.name));
        if (c.index) freed.add(c.index);
      }
      for (const idx of ctx.catalog.indexesOf(rel))
        if (idx.index?.columns.includes(cmd.name)) freed.add(idx.key);
    }
  }
  return freed;
}

function indexColumns(c: NewConstraint): string {
  const including = stringList(c.con.including);
  return (
    `(${c.columns.map(ident).join(', ')})` +
    (including.length ? ` INCLUDE (${including.map(ident).join(', ')})` : '') +
    (c.con.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '')
  );
}

/** The ADD COLUMN without its inline UNIQUE / PRIMARY KEY, when the statement adds only that column. */
function columnFirst(ctx: RuleContext, c: NewConstraint, cmdCount: number): string | undefined {
  if (!c.column) return undefined;
  const stripped = ctx.statement.text.replace(
    /\s+(?:CONSTRAINT\s+(?:"[^"]+"|\S+)\s+)?(?:UNIQUE|PRIMARY\s+KEY)(?:\s+NULLS\s+(?:NOT\s+)?DISTINCT)?/i,
    '',
  );
  return cmdCount === 1 && stripped !== ctx.statement.text
    ? `${stripped};`
    : `-- first add ${c.column} without the ${c.kind} constraint`;
}

function online(ctx: RuleContext, rel: RelationState, c: NewConstraint, cmdCount: number) {
  const table = qualified(displayKey(rel.key));
  const name = ident(c.name);
  const index = qualified(displayKey(`${rel.schema}.${c.name}`));
  const deferrable = c.con.deferrable
    ? c.con.initdeferred
      ? ' DEFERRABLE INITIALLY DEFERRED'
      : ' DEFERRABLE'
    : '';
  const steps: string[] = [];
  const notes = [outsideTransactionNote(ctx)];
  const first = columnFirst(ctx, c, cmdCount);
  if (first) steps.push(first);
  if (c.kind === 'PRIMARY KEY') {
    const nullable = c.columns.filter((col) => !ctx.catalog.column(rel, col)?.notNull);
    if (nullable.length && !c.column) {
      if (ctx.pg >= 12) {
        steps.push(
          '-- make the columns NOT NULL without reading the table under ACCESS EXCLUSIVE (PostgreSQL 12+)',
        );
        for (const col of nullable) {
          const check = ident(
            ctx.catalog.chooseName(rel.schema, [rel.name, col], 'check', takenIn(ctx, rel)),
          );
          steps.push(
            `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${ident(col)} IS NOT NULL) NOT VALID;`,
            `-- in a separate transaction: reads the table without blocking reads or writes`,
            `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`,
            `ALTER TABLE ${table} ALTER COLUMN ${ident(col)} SET NOT NULL;`,
            `ALTER TABLE ${table} DROP CONSTRAINT ${check};`,
          );
        }
      } else {
        steps.push(
          ...nullable.map(
            (col) =>
              `ALTER TABLE ${table} ALTER COLUMN ${ident(col)} SET NOT NULL; -- PostgreSQL 11: reads the table under ACCESS EXCLUSIVE`,
          ),
        );
        notes.push(
          `Before PostgreSQL 12 SET NOT NULL always reads the whole table under ACCESS EXCLUSIVE: run it at a quiet time (from 12 a valid CHECK (col IS NOT NULL) avoids the read).`,
        );
      }
    }
  }
  steps.push(
    `CREATE UNIQUE INDEX CONCURRENTLY ${index} ON ${table} ${indexColumns(c)};`,
    `SET lock_timeout = '5s';`,
    `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${c.kind} USING INDEX ${name}${deferrable};`,
  );
  notes.push(
    'ADD CONSTRAINT ... USING INDEX still takes ACCESS EXCLUSIVE, but only to update the catalog: the lock_timeout makes it give up instead of queueing queries behind it.',
    'If the concurrent build fails (duplicates, or it was cancelled) it leaves an INVALID index: drop it, fix the data and build it again.',
  );
  return alternative(
    `Build the unique index with CREATE UNIQUE INDEX CONCURRENTLY, then attach it with ADD CONSTRAINT ... ${c.kind} USING INDEX (no build under the lock).`,
    steps.join('\n'),
    notes,
  );
}

/** Partitioned tables: no USING INDEX; a unique index per partition attached to an ON ONLY parent index. */
function partitioned(ctx: RuleContext, rel: RelationState, c: NewConstraint, cmdCount: number) {
  if (c.kind === 'PRIMARY KEY') {
    return alternative(
      'A partitioned table’s primary key cannot be attached from an existing index: add it at a quiet time with a lock_timeout, or add a unique index instead (per partition concurrently, attached to an ON ONLY parent index).',
      `SET lock_timeout = '5s';\n${ctx.statement.text};`,
    );
  }
  const parts = ctx.catalog.partitionsOf(rel.key);
  const index = qualified(displayKey(`${rel.schema}.${c.name}`));
  const partIndex = (p: RelationState) =>
    ctx.catalog.chooseName(p.schema, [p.name, c.columns.join('_')], 'key', (k) => ctx.catalog.has(k));
  const steps = [
    ...(columnFirst(ctx, c, cmdCount) ? [columnFirst(ctx, c, cmdCount) as string] : []),
    ...parts.map(
      (p) =>
        `CREATE UNIQUE INDEX CONCURRENTLY ${qualified(displayKey(`${p.schema}.${partIndex(p)}`))} ON ${qualified(displayKey(p.key))} ${indexColumns(c)};`,
    ),
    `CREATE UNIQUE INDEX ${index} ON ONLY ${qualified(displayKey(rel.key))} ${indexColumns(c)};`,
    ...parts.map(
      (p) => `ALTER INDEX ${index} ATTACH PARTITION ${qualified(displayKey(`${p.schema}.${partIndex(p)}`))};`,
    ),
  ];
  return alternative(
    'ADD CONSTRAINT ... USING INDEX is not supported on partitioned tables: build the unique index on each partition concurrently, create the parent index ON ONLY the parent and attach them; the unique index enforces the same rule and foreign keys can reference it.',
    steps.join('\n'),
    [
      outsideTransactionNote(ctx),
      'A unique index on a partitioned table must include the partition key columns.',
      'The parent index becomes valid once every partition’s index is attached.',
    ],
  );
}
