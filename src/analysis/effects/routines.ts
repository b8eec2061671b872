/**
 * SQL that runs inside other statements: the body of a DO block, of a LANGUAGE sql function
 * (analyzed at CREATE time), and of a procedure run by CALL. The statements are found with
 * PostgreSQL's own PL/pgSQL parser (libpg-query); dynamic SQL is followed when it is a literal or a
 * format() of literals, which is how migrations usually write it.
 */
import { parsePlPgSQLSync, parseSync } from 'libpg-query';
import { stringList, walk, type AnyNode } from '../ast';

/** The statements a DO block runs, or undefined when its code cannot be followed. */
export function doBlockStatements(stmt: AnyNode): AnyNode[] | undefined {
  const args: AnyNode[] = stmt.args ?? [];
  const language =
    args.find((a) => a.DefElem?.defname === 'language')?.DefElem?.arg?.String?.sval ?? 'plpgsql';
  const body = args.find((a) => a.DefElem?.defname === 'as')?.DefElem?.arg?.String?.sval;
  if (typeof body !== 'string' || language.toLowerCase() !== 'plpgsql') return undefined;
  return plpgsqlStatements(body);
}

/** The statements of a LANGUAGE sql function or procedure body (quoted or BEGIN ATOMIC). */
export function sqlFunctionBody(stmt: AnyNode): AnyNode[] {
  const options: AnyNode[] = stmt.options ?? [];
  const language = options.find((o) => o.DefElem?.defname === 'language')?.DefElem?.arg?.String?.sval;
  if (stmt.sql_body) return (stmt.sql_body.List?.items?.[0]?.List?.items ?? []).filter(Boolean);
  if (String(language).toLowerCase() !== 'sql') return [];
  const as = options.find((o) => o.DefElem?.defname === 'as')?.DefElem?.arg;
  const source = as?.List ? stringList(as.List.items)[0] : as?.String?.sval;
  return typeof source === 'string' ? (parseStatements(source) ?? []) : [];
}

/** PL/pgSQL body of a function or procedure, for CALL. */
export function routineBodyStatements(stmt: AnyNode): AnyNode[] | undefined {
  const options: AnyNode[] = stmt.options ?? [];
  const language = String(
    options.find((o) => o.DefElem?.defname === 'language')?.DefElem?.arg?.String?.sval ?? '',
  );
  if (language.toLowerCase() === 'sql' || stmt.sql_body) return sqlFunctionBody(stmt);
  if (language.toLowerCase() !== 'plpgsql') return undefined;
  const as = options.find((o) => o.DefElem?.defname === 'as')?.DefElem?.arg;
  const source = as?.List ? stringList(as.List.items)[0] : as?.String?.sval;
  return typeof source === 'string' ? plpgsqlStatements(source) : undefined;
}

function plpgsqlStatements(body: string): AnyNode[] | undefined {
  let tree: AnyNode;
  try {
    const tag = body.includes('$mg$') ? '$mg_body$' : '$mg$';
    tree = parsePlPgSQLSync(
      `CREATE FUNCTION mg_inline() RETURNS void AS ${tag}${body}${tag} LANGUAGE plpgsql`,
    );
  } catch {
    return undefined;
  }
  const out: AnyNode[] = [];
  for (const [key, value] of walk(tree)) {
    if (key === 'PLpgSQL_stmt_execsql') {
      const stmts = parseStatements(value.sqlstmt?.PLpgSQL_expr?.query ?? '');
      if (stmts) out.push(...stmts);
    } else if (key === 'PLpgSQL_stmt_dynexecute') {
      const sql = evaluateLiteralSql(value.query?.PLpgSQL_expr?.query ?? '');
      const stmts = sql === undefined ? undefined : parseStatements(sql);
      if (!stmts) return undefined;
      out.push(...stmts);
    }
  }
  return out;
}

function parseStatements(sql: string): AnyNode[] | undefined {
  try {
    return ((parseSync(sql) as AnyNode).stmts ?? []).map((s: AnyNode) => s.stmt).filter(Boolean);
  } catch {
    return undefined;
  }
}

/** `'ALTER ...'` or `format('... %I ...', 'x', ...)` with literal arguments → the SQL it builds. */
export function evaluateLiteralSql(expr: string): string | undefined {
  let tree: AnyNode;
  try {
    tree = (parseSync(`SELECT ${expr}`) as AnyNode).stmts?.[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget
      ?.val;
  } catch {
    return undefined;
  }
  const literal = (n: AnyNode): string | undefined =>
    n?.A_Const?.sval?.sval ?? n?.TypeCast?.arg?.A_Const?.sval?.sval;
  const direct = literal(tree);
  if (direct !== undefined) return direct;
  const call = tree?.FuncCall;
  if (!call || stringList(call.funcname).pop()?.toLowerCase() !== 'format') return undefined;
  const [template, ...args] = (call.args ?? []).map(literal);
  if (template === undefined || args.some((a: string | undefined) => a === undefined)) return undefined;
  let i = 0;
  return template.replace(/%([%ILs])/g, (_m: string, f: string) => {
    if (f === '%') return '%';
    const v = args[i++] as string;
    if (f === 'I') return /^[a-z_][a-z0-9_$]*$/.test(v) ? v : `"${v.replace(/"/g, '""')}"`;
    if (f === 'L') return `'${v.replace(/'/g, "''")}'`;
    return v;
  });
}
