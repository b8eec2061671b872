/**
 * ALTER COLUMN ... TYPE rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE unless
 * the old and new types are binary-coercible with no new check (varchar(10) → varchar(20),
 * varchar → text, numeric precision increase, timestamp ↔ timestamptz in a UTC session on PG 12+).
 * Even without a rewrite, indexes whose collation changes are rebuilt and foreign keys on the
 * column are validated again, reading tables under the same lock.
 */
import { displayKey, stringList, typeDisplay, typeRef, type AnyNode, type TypeRef } from '../analysis/ast';
import type { ColumnState } from '../analysis/catalog';
import { typeChangeRewrites, type TypeChangeVerdict } from '../analysis/effects/expressions';
import { defineRule, type RuleContext, type SafeAlternative } from './rule';
import { alternative, ident, lockOn, qualified } from './support';
import { reparse, textAfterKeyword } from './prefer-identity';
import {
  bareName,
  batchKey,
  batchedUpdate,
  BATCH_NOTE,
  notNullSteps,
  relationName,
  siblingName,
  sqlType,
  under,
} from './add-column-rewrite';

const TIMESTAMPS = new Set(['timestamp', 'timestamptz']);

export default defineRule({
  id: 'alter-column-type',
  meta: {
    title: 'ALTER COLUMN TYPE that rewrites or re-reads an existing table',
    defaultSeverity: 'high',
    scalesWithTable: true,
    docs: {
      why: 'ALTER TABLE ... ALTER COLUMN ... TYPE takes ACCESS EXCLUSIVE. Unless the old type converts to the new one without changing the stored bytes (binary-coercible, with no new length or precision to check), PostgreSQL rewrites the whole table and rebuilds every index on it, with reads and writes blocked for the whole rewrite. int → bigint, json → jsonb, text → integer, any USING expression, shrinking varchar(n) and changing numeric scale all rewrite. timestamp ↔ timestamptz rewrites unless the session TimeZone is UTC (PG 12+). Without a rewrite, an index whose collation changes is still rebuilt, and foreign keys involving the column are validated again, reading the other table under ACCESS EXCLUSIVE. The non-blocking way is expand/contract: a new column, kept in sync by a trigger and backfilled in batches, swapped in by renames in a short transaction.',
      bad: 'ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;',
      good: 'ALTER TABLE orders ADD COLUMN quantity_new bigint;\n-- a trigger copies quantity into quantity_new on INSERT and UPDATE\nUPDATE orders SET quantity_new = quantity::bigint WHERE id BETWEEN 1 AND 10000 AND quantity_new IS NULL; -- in batches\nBEGIN;\nDROP TRIGGER orders_quantity_new_sync ON orders;\nALTER TABLE orders RENAME COLUMN quantity TO quantity_old;\nALTER TABLE orders RENAME COLUMN quantity_new TO quantity;\nCOMMIT;\nALTER TABLE orders DROP COLUMN quantity_old;\n-- or, when the change is binary-coercible, nothing to do:\nALTER TABLE orders ALTER COLUMN note TYPE varchar(500); -- was varchar(200): no rewrite',
      versions:
        'PostgreSQL 12+: timestamp ↔ timestamptz needs no rewrite when the session TimeZone is UTC (earlier versions always rewrite). Binary-coercible changes (varchar growth, varchar → text, numeric precision growth with the same scale) never rewrite on any supported version.',
      reference: 'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES',
    },
    messages: {
      rewrite:
        'changing {table}.{column} from {from} to {to} rewrites {rewritten}{indexes} under {lock} for the whole rewrite',
      rewriteTimeZone:
        'changing {table}.{column} from {from} to {to} rewrites {rewritten}{indexes} under {lock} for the whole rewrite; PG 12+ skips the rewrite only when the session TimeZone is UTC',
      rewriteUnknownType:
        'changing {table}.{column} to {to} rewrites {rewritten}{indexes} under {lock} for the whole rewrite (its current type is not in the migration history, so a rewrite is assumed)',
      reread: 'changing {table}.{column} from {from} to {to} does not rewrite {table}, but {work}',
    },
  },
  check(ctx) {
    if (ctx.kind !== 'AlterTableStmt') return;
    const table = relationName(ctx.node.relation);
    const s = ctx.statement;
    const rewritten = s.rewrites.filter((r) => ctx.isExisting(r));
    // An index's own createdInChange is not reliable (see the report): judge it by its table.
    const rebuilt = s.rebuildsIndexes.filter((r) => {
      const owner = ctx.relation(r).state?.index?.table;
      return ctx.isExisting(r) && (!owner || ctx.isExisting(displayKey(owner)));
    });
    const scanned = s.scans.filter((r) => ctx.isExisting(r));
    if (rewritten.length === 0 && rebuilt.length === 0 && scanned.length === 0) return;
    const cmds: AnyNode[] = (ctx.node.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd);
    const typeCmds = cmds.filter((c) => c?.subtype === 'AT_AlterColumnType');
    if (typeCmds.length === 0) return;
    const mode = lockOn(ctx, table) ?? 'AccessExclusiveLock';
    const state = ctx.relation(table).state;
    const rewrittenText = rewritten.includes(table)
      ? rewritten.join(', ')
      : `${rewritten.join(', ')} (partitions of ${table})`;

    typeCmds.forEach((cmd) => {
      const column: string = cmd.name;
      const def = cmd.def?.ColumnDef;
      const current = state?.columns.find((c) => c.name === column);
      const from = current?.type;
      const to = typeRef(def?.typeName);
      const collation = stringList(def?.collClause?.collname);
      const verdict = attributedVerdict(ctx, from, to, def?.raw_default);
      const data = {
        table,
        column,
        from: from ? typeDisplay(from) : '',
        to:
          typeDisplay(to) + (collation.length ? ` COLLATE ${collation.map((c) => `"${c}"`).join('.')}` : ''),
        rewritten: rewrittenText,
        indexes: rebuilt.length ? ' and rebuilds its indexes' : '',
        lock: under(mode),
      };
      const report = (
        messageId: 'rewrite' | 'rewriteTimeZone' | 'rewriteUnknownType' | 'reread',
        safeAlternative: SafeAlternative,
        work?: string,
      ) =>
        ctx.report({
          messageId,
          data: { ...data, ...(work ? { work } : {}) },
          relation: table,
          lock: mode,
          safeAlternative,
        });

      if (rewritten.length > 0) {
        // Several sub-commands: only those the effect model found rewriting are reported.
        if (verdict && !verdict.rewrite) return;
        const steps = expandContract(ctx, table, column, current, to, def);
        if (!from) return report('rewriteUnknownType', steps);
        if (TIMESTAMPS.has(from.name) && TIMESTAMPS.has(to.name) && from.name !== to.name && ctx.pg >= 12)
          return report('rewriteTimeZone', utcFirst(ctx, steps));
        return report('rewrite', steps);
      }
      // No rewrite: indexes rebuilt or tables read for this column (collation, foreign keys).
      if (s.rewrites.length > 0 || !from) return;
      if (cmds.some((c) => c?.subtype !== 'AT_AlterColumnType' && !QUIET.has(c?.subtype))) return;
      const own: string[] = [];
      const others: string[] = [];
      if (rebuilt.length)
        own.push(`rebuilds ${rebuilt.length === 1 ? 'index' : 'indexes'} ${rebuilt.join(', ')}`);
      for (const r of scanned) {
        if (r === table) {
          own.push(`reads all of ${r}`);
          continue;
        }
        const lock = lockOn(ctx, r);
        const reason = s.locks.find((l) => l.relation === r && l.reason)?.reason;
        others.push(`reads all of ${r}${lock ? ` under ${under(lock)}` : ''}${reason ? ` (${reason})` : ''}`);
      }
      const work = [...(own.length ? [`${own.join(' and ')} under ${under(mode)}`] : []), ...others].join(
        '; ',
      );
      const fks = others.length && !own.length ? foreignKeySteps(ctx, table, column) : undefined;
      report('reread', fks ?? expandContract(ctx, table, column, current, to, def), work);
    });
  },
});

/** Sub-commands that never read the table: they leave the reads to the type change. */
const QUIET = new Set(['AT_ColumnDefault', 'AT_DropNotNull', 'AT_SetStatistics', 'AT_SetStorage']);

/**
 * The effect model's verdict for this sub-command, recognised by the reason it wrote into the
 * statement's notes (the session's TimeZone is only known to the effect model).
 */
function attributedVerdict(
  ctx: RuleContext,
  from: TypeRef | undefined,
  to: TypeRef,
  using: AnyNode,
): TypeChangeVerdict | undefined {
  const candidates = [undefined, true, false].map((utc) => typeChangeRewrites(from, to, ctx.pg, using, utc));
  return candidates.find((v) => ctx.statement.notes.includes(v.reason));
}

/** The USING expression as written, when there is one. */
function usingSource(ctx: RuleContext, column: string): string | undefined {
  const text = ctx.statement.text;
  const cmd = (reparse(text)?.node?.cmds ?? [])
    .map((c: AnyNode) => c.AlterTableCmd)
    .find((c: AnyNode) => c?.subtype === 'AT_AlterColumnType' && c.name === column);
  const loc = cmd?.def?.ColumnDef?.typeName?.location;
  return typeof loc === 'number' ? textAfterKeyword(text, loc, 'using') : undefined;
}

function expandContract(
  ctx: RuleContext,
  table: string,
  column: string,
  current: ColumnState | undefined,
  to: TypeRef,
  def: AnyNode,
) {
  const t = qualified(table);
  const c = ident(column);
  const fresh = `${column}_new`;
  const n = ident(fresh);
  const old = ident(`${column}_old`);
  const type = sqlType(to);
  const collation = stringList(def?.collClause?.collname);
  const columnType = collation.length ? `${type} COLLATE ${collation.map((c) => `"${c}"`).join('.')}` : type;
  const using = def?.raw_default ? usingSource(ctx, column) : undefined;
  const convert = using ?? `${c}::${type}`;
  const fn = qualified(siblingName(table, `_${fresh}_sync`));
  const trigger = ident(`${bareName(table)}_${fresh}_sync`);
  const key = batchKey(ctx, table);
  const notes: string[] = [];
  const from = current?.type;
  if (from && TIMESTAMPS.has(from.name) && TIMESTAMPS.has(to.name) && from.name !== to.name && ctx.pg < 12) {
    notes.push(
      'PostgreSQL 11 rewrites every timestamp ↔ timestamptz conversion, whatever the session TimeZone (PG 12+ skips it in a UTC session).',
    );
  }
  if (from?.name === 'json' && to.name === 'jsonb')
    notes.push(
      'json → jsonb always rewrites: every value is parsed again and stored in binary form (duplicate keys and key order are dropped).',
    );
  const sql = [
    `ALTER TABLE ${t} ADD COLUMN ${n} ${columnType};`,
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    using
      ? `  NEW.${n} := (SELECT ${using} FROM (SELECT (NEW).*) AS row_values);`
      : `  NEW.${n} := NEW.${c}::${type};`,
    '  RETURN NEW;',
    'END $$;',
    `CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
    '-- backfill existing rows in batches, one transaction each:',
    batchedUpdate(table, key, `${n} = ${convert}`, `${n} IS NULL`),
  ];
  if (current?.notNull) {
    const steps = notNullSteps(ctx, table, fresh);
    sql.push(...steps.sql);
    notes.push(...steps.notes);
  }
  sql.push(
    '-- swap in one short transaction (brief ACCESS EXCLUSIVE, no rewrite):',
    'BEGIN;',
    `DROP TRIGGER ${trigger} ON ${t};`,
    `ALTER TABLE ${t} RENAME COLUMN ${c} TO ${old};`,
    `ALTER TABLE ${t} RENAME COLUMN ${n} TO ${c};`,
    'COMMIT;',
    '-- later, once nothing reads the old column:',
    `ALTER TABLE ${t} DROP COLUMN ${old};`,
    `DROP FUNCTION ${fn}();`,
  );
  notes.push(BATCH_NOTE);
  if (key.note) notes.push(key.note);
  const state = ctx.relation(table).state;
  const inKey = state?.constraints.some(
    (k) => (k.kind === 'primary key' || k.kind === 'unique') && k.columns.includes(column),
  );
  if (inKey)
    notes.push(
      `${column} is in a primary key or unique constraint: before the swap, build the same index on ${fresh} with CREATE UNIQUE INDEX CONCURRENTLY and attach it with ADD CONSTRAINT ... USING INDEX in the swap transaction; foreign keys that reference it are re-created NOT VALID and validated afterwards.`,
    );
  notes.push(
    `Move what depends on ${column} to the new column before the swap: its default (ALTER COLUMN ... SET DEFAULT), indexes (CREATE INDEX CONCURRENTLY), CHECK and foreign-key constraints (NOT VALID, then VALIDATE), and views that select it.`,
  );
  return alternative(
    `Expand and contract: add ${fresh} as ${type}, keep it in sync with a trigger, backfill it in batches, then swap the names in a short transaction.`,
    sql.join('\n'),
    notes,
  );
}

/** timestamp ↔ timestamptz on PG 12+: a UTC session converts without a rewrite. */
function utcFirst(ctx: RuleContext, steps: SafeAlternative): SafeAlternative {
  return alternative(
    `If the stored values are in UTC, run the ALTER in a session with TimeZone = 'UTC': PostgreSQL 12+ then converts without a rewrite. Otherwise expand and contract.`,
    [
      '-- if the stored values are UTC: no rewrite on PostgreSQL 12+',
      "SET TimeZone = 'UTC';",
      `${ctx.statement.text};`,
      'RESET TimeZone;',
      '-- otherwise, expand and contract:',
      steps.sql ?? '',
    ].join('\n'),
    [
      'In a UTC session PostgreSQL reads the existing values as UTC: check that this is what they mean before relying on it (the conversion keeps the same instants only then).',
      ...(steps.notes ?? []),
    ],
  );
}

/**
 * No rewrite, but foreign keys on the column are validated again (reading the other table under
 * ACCESS EXCLUSIVE): drop them first, change the type, re-add them NOT VALID and VALIDATE later.
 */
function foreignKeySteps(ctx: RuleContext, table: string, column: string): SafeAlternative | undefined {
  const rel = ctx.relation(table).state;
  if (!rel) return undefined;
  const keys = rel.constraints.filter(
    (k) => (k.kind === 'primary key' || k.kind === 'unique') && k.columns.includes(column),
  );
  const fks: { owner: string; name: string; columns: string[]; target: string; targetColumns: string }[] = [];
  const singleKeyOf = (key: string, width: number) => {
    const target = ctx.catalog.get(key);
    const unique = (target?.constraints ?? []).filter((k) => k.kind === 'primary key' || k.kind === 'unique');
    return unique.length === 1 && unique[0].columns.length === width
      ? unique[0].columns.map(ident).join(', ')
      : '<referenced columns>';
  };
  // This table's foreign keys on the column.
  for (const k of rel.constraints) {
    if (k.kind !== 'foreign key' || !k.references || !k.columns.includes(column)) continue;
    fks.push({
      owner: table,
      name: k.name,
      columns: k.columns,
      target: displayKey(k.references),
      targetColumns: singleKeyOf(k.references, k.columns.length),
    });
  }
  // Other tables' foreign keys that reference the column's key.
  if (keys.length) {
    for (const other of ctx.catalog.referencingTables(rel.key)) {
      for (const k of other.constraints) {
        if (k.kind !== 'foreign key' || k.references !== rel.key) continue;
        fks.push({
          owner: displayKey(other.key),
          name: k.name,
          columns: k.columns,
          target: table,
          targetColumns: singleKeyOf(rel.key, k.columns.length),
        });
      }
    }
  }
  if (fks.length === 0) return undefined;
  const sql = [
    'BEGIN;',
    ...fks.map((f) => `ALTER TABLE ${qualified(f.owner)} DROP CONSTRAINT ${ident(f.name)};`),
    `${ctx.statement.text}; -- no foreign key left to validate: catalog change only`,
    ...fks.map(
      (f) =>
        `ALTER TABLE ${qualified(f.owner)} ADD CONSTRAINT ${ident(f.name)} FOREIGN KEY (${f.columns.map(ident).join(', ')}) REFERENCES ${qualified(f.target)} (${f.targetColumns}) NOT VALID;`,
    ),
    'COMMIT;',
    '-- in a separate transaction (next migration): reads without blocking reads or writes',
    ...fks.map((f) => `ALTER TABLE ${qualified(f.owner)} VALIDATE CONSTRAINT ${ident(f.name)};`),
  ];
  return alternative(
    'Drop the foreign keys involving the column, change the type, and re-add them NOT VALID in the same short transaction; VALIDATE them later without blocking.',
    sql.join('\n'),
    [
      'Repeat the original constraints’ ON DELETE / ON UPDATE actions and DEFERRABLE settings when re-adding them: the migration history summary does not carry them.',
      'Rows written between COMMIT and VALIDATE are checked at once; VALIDATE checks the older rows.',
    ],
  );
}
