/**
 * Facts about expressions and type changes that decide rewrites:
 *  - volatility of a DEFAULT expression (PG 11+ adds a column with a non-volatile default without
 *    rewriting: the value is computed once and stored as the column's "missing" value);
 *  - whether ALTER COLUMN ... TYPE needs a rewrite (ATColumnChangeRequiresRewrite in tablecmds.c:
 *    none when the cast is binary-coercible and any length coercion is a no-op).
 * Built-in volatility and casts come from the servers' own catalogs (see catalog-facts.ts).
 */
import { calledFunctions, nodeKind, walk, type AnyNode, type TypeRef } from '../ast';
import type { Catalog } from '../catalog';
import {
  builtinFunctionVolatility,
  hasNoopLengthCoercion,
  isBinaryCoercible,
  type Volatility,
} from '../catalog-facts';

const RANK: Record<Volatility, number> = { immutable: 0, stable: 1, volatile: 2 };

export interface VolatilityVerdict {
  volatility: Volatility;
  /** Functions whose volatility had to be assumed (not built in, not created earlier). */
  assumed: string[];
}

export function expressionVolatility(expr: AnyNode, catalog: Catalog, pg: number): VolatilityVerdict {
  let worst: Volatility = 'immutable';
  const assumed: string[] = [];
  const raise = (v: Volatility) => {
    if (RANK[v] > RANK[worst]) worst = v;
  };
  for (const name of calledFunctions(expr)) {
    const v = catalog.functions.get(name) ?? builtinFunctionVolatility(name, pg);
    if (v) raise(v);
    else {
      assumed.push(name);
      raise('volatile');
    }
  }
  // CURRENT_TIMESTAMP, CURRENT_USER and friends are SQLValueFunctions: stable within a statement.
  for (const [key] of walk(expr)) if (key === 'SQLValueFunction') raise('stable');
  // A sub-select in a default is not allowed; NextValueExpr does not appear in raw trees.
  return { volatility: worst, assumed };
}

/** `DEFAULT NULL` is no default at all. */
export function isNullConstant(expr: AnyNode): boolean {
  return nodeKind(expr) === 'A_Const' && expr.A_Const.isnull === true;
}

export interface TypeChangeVerdict {
  rewrite: boolean;
  /** Why there is or is not a rewrite, for the notes. */
  reason: string;
}

/**
 * Does changing a column from `from` to `to` rewrite the table? `using` is the USING expression.
 * `utcSession` says whether the migration's session runs with TimeZone = UTC (timestamp ↔
 * timestamptz is then binary-compatible from PG 12).
 */
export function typeChangeRewrites(
  from: TypeRef | undefined,
  to: TypeRef,
  pg: number,
  using: AnyNode | undefined,
  utcSession: boolean | undefined,
): TypeChangeVerdict {
  if (!from)
    return { rewrite: true, reason: 'the column’s current type is unknown, so a rewrite is assumed' };
  if (using && !isPlainColumnRef(using)) {
    return { rewrite: true, reason: 'a USING expression computes every row again' };
  }
  if (from.arrayDims !== to.arrayDims) return { rewrite: true, reason: 'array dimensions change' };
  if (from.name === to.name && (from.schema ?? '') === (to.schema ?? '')) {
    return typmodChange(from, to, pg);
  }
  const tz = new Set(['timestamp', 'timestamptz']);
  if (tz.has(from.name) && tz.has(to.name) && pg >= 12 && to.typmods.length === 0) {
    if (utcSession === true) {
      return {
        rewrite: false,
        reason: `${from.name} → ${to.name} needs no rewrite when the session TimeZone is UTC`,
      };
    }
    return {
      rewrite: true,
      reason: `${from.name} → ${to.name} rewrites unless the session TimeZone is UTC (PG 12+)`,
    };
  }
  if (from.schema || to.schema || !isBinaryCoercible(from.name, to.name, pg)) {
    return {
      rewrite: true,
      reason: `${from.name} → ${to.name} is not binary-coercible: every row is converted`,
    };
  }
  if (to.typmods.length > 0) {
    return { rewrite: true, reason: `the new type modifier of ${to.name} must be checked on every row` };
  }
  return { rewrite: false, reason: `${from.name} → ${to.name} is binary-coercible: no rewrite` };
}

function isPlainColumnRef(expr: AnyNode): boolean {
  return nodeKind(expr) === 'ColumnRef';
}

function typmodChange(from: TypeRef, to: TypeRef, pg: number): TypeChangeVerdict {
  const same = from.typmods.join(',') === to.typmods.join(',');
  if (same) return { rewrite: false, reason: 'the type does not change' };
  if (!hasNoopLengthCoercion(from.name, pg)) {
    return { rewrite: true, reason: `changing the modifier of ${from.name} converts every row` };
  }
  if (to.typmods.length === 0) {
    return { rewrite: false, reason: `removing the limit of ${from.name} needs no rewrite` };
  }
  if (from.typmods.length === 0) {
    return { rewrite: true, reason: `adding a limit to ${from.name} checks every row` };
  }
  if (from.name === 'numeric') {
    const [p1, s1 = 0] = from.typmods;
    const [p2, s2 = 0] = to.typmods;
    return s1 === s2 && p2 >= p1
      ? { rewrite: false, reason: 'numeric precision grows with the same scale: no rewrite' }
      : { rewrite: true, reason: 'numeric scale changes or precision shrinks: every row is converted' };
  }
  return to.typmods[0] >= from.typmods[0]
    ? { rewrite: false, reason: `${from.name} grows: no rewrite` }
    : { rewrite: true, reason: `${from.name} shrinks: every row is checked and rewritten` };
}
