/**
 * From PostgreSQL 12 ALTER TYPE ... ADD VALUE may run inside a transaction block, but the new value
 * cannot be used until that transaction commits: a later statement of the same transaction that
 * casts the literal to the enum fails with "unsafe use of new value".
 *
 * The earlier statements of the transaction come from `ctx.tx.earlierStatements`.
 */
import {
  displayKey,
  keyOf,
  namesToQualified,
  rangeVarName,
  someNode,
  stringList,
  walk,
  type AnyNode,
  type TypeRef,
} from '../analysis/ast';
import { defineRule, type RuleContext } from './rule';
import { alternative, outsideTransactionNote } from './support';

export default defineRule({
  id: 'enum-value-used-in-same-transaction',
  meta: {
    title: 'New enum value used in the transaction that adds it',
    defaultSeverity: 'high',
    scalesWithTable: false,
    docs: {
      why: 'Since PostgreSQL 12 ALTER TYPE ... ADD VALUE may run inside a transaction block, but the new value cannot be used until the transaction has committed: casting the literal to the enum (an INSERT or UPDATE of an enum column, a comparison in a WHERE clause, a DEFAULT, a CHECK constraint) fails with "unsafe use of new value". Migration tools that run a whole file in one transaction make this easy to hit: the ADD VALUE and the backfill that uses it sit in the same file. Commit the ADD VALUE first: put it in a migration of its own, before the one that uses the value.',
      bad: "BEGIN;\nALTER TYPE order_status ADD VALUE 'refunded';\nUPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;\nCOMMIT;",
      good: "-- migration 1\nALTER TYPE order_status ADD VALUE 'refunded';\n-- migration 2 (after the first has committed)\nUPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;",
      versions:
        'Before PostgreSQL 12 ADD VALUE cannot run inside a transaction block at all unless the type was created in the same transaction (concurrently-in-transaction reports that). From 12 it can, but the value is unusable until COMMIT, even when the enum type itself was created earlier in the same transaction; from PostgreSQL 17 the values of a type created in the same transaction can be used at once.',
      reference: 'https://www.postgresql.org/docs/current/sql-altertype.html#SQL-ALTERTYPE-NOTES',
    },
    messages: {
      unsafeUse:
        "'{value}' is added to {type} at line {line} of this transaction and used here before COMMIT: PostgreSQL {pg} rejects it (unsafe use of new value)",
    },
  },
  check(ctx) {
    if (ctx.pg < 12 || !ctx.tx.inTransaction || ctx.kind === 'AlterEnumStmt') return;
    // A use is a string literal of this statement: without one, the earlier statements do not matter.
    if (!someNode(ctx.node, (key, v) => key === 'A_Const' && typeof v.sval?.sval === 'string')) return;
    const group = ctx.statement.transaction.group;
    const earlier = ctx.tx.earlierStatements.filter(
      (e) => e.statement.transaction.inTransaction && e.statement.transaction.group === group,
    );
    if (earlier.length === 0) return;
    // Values added in this transaction, per enum type; types created in it.
    const added = new Map<string, Map<string, number>>();
    const created = new Set<string>();
    for (const e of earlier) {
      if (e.statement.kind === 'CreateEnumStmt') created.add(typeKey(stringList(e.node.typeName)));
      if (e.statement.kind === 'AlterEnumStmt' && !e.node.oldVal && typeof e.node.newVal === 'string') {
        const key = typeKey(stringList(e.node.typeName));
        const values = added.get(key) ?? new Map<string, number>();
        if (!values.has(e.node.newVal)) values.set(e.node.newVal, e.statement.line);
        added.set(key, values);
      }
    }
    // PostgreSQL 17+: values of a type created in the same transaction are usable at once.
    if (ctx.pg >= 17) for (const key of created) added.delete(key);
    for (const [type, values] of added) {
      for (const [value, line] of values) {
        if (!usesValue(ctx, type, value)) continue;
        ctx.report({
          messageId: 'unsafeUse',
          data: { value, type: displayKey(type), line, pg: ctx.pg },
          safeAlternative: alternative(
            `Commit the ADD VALUE before using '${value}': move it to a migration of its own that runs before this one.`,
            `-- migration 1 (commits on its own)\nALTER TYPE ${displayKey(type)} ADD VALUE '${value.replace(/'/g, "''")}';\n-- migration 2\n${ctx.statement.text};`,
            [
              ctx.tx.wrappedByTool
                ? `${ctx.file.tool.name} runs the whole file in one transaction: a COMMIT in between is not enough, the ADD VALUE needs its own migration file.`
                : 'With an explicit BEGIN ... COMMIT, end the transaction right after the ADD VALUE and start a new one for the statements that use the value.',
              `An ADD VALUE alone can also run outside any transaction: ${outsideTransactionNote(ctx)}`,
            ],
          ),
        });
      }
    }
  },
});

function typeKey(names: string[]): string {
  return keyOf(namesToQualified(names));
}

function typeRefKey(t: TypeRef): string {
  return `${t.schema ?? 'public'}.${t.name}`;
}

function typeNameKey(typeName: AnyNode): string {
  return typeKey(stringList(typeName?.names));
}

function hasLiteral(expr: AnyNode, value: string): boolean {
  for (const [key, v] of walk({ root: expr })) if (key === 'A_Const' && v.sval?.sval === value) return true;
  return false;
}

function columnName(expr: AnyNode): string | undefined {
  const fields = stringList(expr?.ColumnRef?.fields);
  return fields.length ? fields[fields.length - 1] : undefined;
}

/**
 * Whether the statement converts the literal `value` to the enum `type`: an explicit cast, a
 * DEFAULT of a column of the type, an assignment or comparison to such a column, an INSERT value
 * for one. A literal that only meets text columns is not a use.
 */
function usesValue(ctx: RuleContext, type: string, value: string): boolean {
  if (!hasLiteral(ctx.node, value)) return false;
  const enumColumns = new Set<string>();
  for (const l of ctx.statement.locks) {
    for (const c of ctx.relation(l.relation).state?.columns ?? [])
      if (typeRefKey(c.type) === type) enumColumns.add(c.name);
  }
  for (const [key, v] of walk({ root: ctx.node })) {
    if (key === 'ColumnDef' && typeNameKey(v.typeName) === type) {
      enumColumns.add(v.colname);
      if (hasLiteral(v.constraints, value)) return true;
    }
  }
  for (const [key, v] of walk({ root: ctx.node })) {
    if (key === 'TypeCast' && typeNameKey(v.typeName) === type && hasLiteral(v.arg, value)) return true;
    if (key === 'A_Expr') {
      const left = columnName(v.lexpr);
      const right = columnName(v.rexpr);
      if (left && enumColumns.has(left) && hasLiteral(v.rexpr, value)) return true;
      if (right && enumColumns.has(right) && hasLiteral(v.lexpr, value)) return true;
    }
    // UPDATE ... SET col = 'x', ON CONFLICT DO UPDATE SET col = 'x'
    if (key === 'ResTarget' && v.name && v.val && enumColumns.has(v.name) && hasLiteral(v.val, value))
      return true;
    if (
      key === 'AlterTableCmd' &&
      v.subtype === 'AT_ColumnDefault' &&
      enumColumns.has(v.name) &&
      hasLiteral(v.def, value)
    )
      return true;
  }
  if (ctx.kind === 'InsertStmt') {
    const target = ctx.relation(displayKey(keyOf(rangeVarName(ctx.node.relation)))).state;
    const cols: string[] = ctx.node.cols?.length
      ? ctx.node.cols.map((c: AnyNode) => c.ResTarget?.name)
      : (target?.columns.map((c) => c.name) ?? []);
    const select = ctx.node.selectStmt?.SelectStmt;
    const rows: AnyNode[][] = select?.valuesLists
      ? select.valuesLists.map((l: AnyNode) => l.List?.items ?? [])
      : select?.targetList
        ? [select.targetList.map((t: AnyNode) => t.ResTarget?.val)]
        : [];
    for (const row of rows) {
      if (row.some((expr, i) => enumColumns.has(cols[i]) && hasLiteral(expr, value))) return true;
    }
  }
  return false;
}
