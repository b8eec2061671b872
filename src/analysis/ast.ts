/**
 * Small readers over libpg-query's JSON parse tree, so the effect model and the catalog speak of
 * names and types rather than of nested `{ String: { sval } }` objects.
 */

/* The parse tree is plain JSON; these aliases document intent without re-declaring every node. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNode = any;

export function nodeKind(node: AnyNode): string {
  if (!node || typeof node !== 'object') return '';
  for (const key in node) return key;
  return '';
}

export function unwrap(node: AnyNode): AnyNode {
  return node && typeof node === 'object' ? node[nodeKind(node)] : undefined;
}

/** `[{String:{sval:'a'}}, {String:{sval:'b'}}]` → `['a','b']`. */
export function stringList(list: AnyNode[] | undefined): string[] {
  return (list ?? []).map((n) => n?.String?.sval ?? (n?.A_Star ? '*' : ''));
}

export interface QualifiedName {
  schema: string;
  name: string;
}

export const DEFAULT_SCHEMA = 'public';

/** Catalog key of a relation or type: `schema.name`. */
export function keyOf(q: QualifiedName): string {
  return `${q.schema}.${q.name}`;
}

/** How a relation is named in output: bare in `public`, schema-qualified elsewhere. */
export function displayName(q: QualifiedName): string {
  return q.schema === DEFAULT_SCHEMA ? q.name : `${q.schema}.${q.name}`;
}

export function displayKey(key: string): string {
  const dot = key.indexOf('.');
  return key.slice(0, dot) === DEFAULT_SCHEMA ? key.slice(dot + 1) : key;
}

/** False for `ONLY t`: libpg-query omits `inh` when it is false, so only `true` means recurse. */
export function recurses(rv: AnyNode): boolean {
  return rv?.inh === true;
}

export function rangeVarName(rv: AnyNode, schema = DEFAULT_SCHEMA): QualifiedName {
  return { schema: rv?.schemaname ?? schema, name: rv?.relname ?? '' };
}

/** A list of name parts (`['app','orders']`, `['orders']`) as a qualified name. */
export function namesToQualified(parts: string[], schema = DEFAULT_SCHEMA): QualifiedName {
  if (parts.length >= 2) return { schema: parts[parts.length - 2], name: parts[parts.length - 1] };
  return { schema, name: parts[0] ?? '' };
}

export interface TypeRef {
  /** Canonical type name as in pg_type.typname (int4, varchar, timestamptz, ...), or a user type. */
  name: string;
  schema?: string;
  /** Type modifiers as written: varchar(20) → [20], numeric(10,2) → [10,2]. */
  typmods: number[];
  /** Array dimensions: int[] → 1. */
  arrayDims: number;
  /** serial/bigserial/smallserial: an integer column with a sequence default. */
  serial?: 'int2' | 'int4' | 'int8';
}

/** Plain (unqualified) spellings that name built-in types under another typname. */
const TYPE_ALIASES: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  boolean: 'bool',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  decimal: 'numeric',
  dec: 'numeric',
  character: 'bpchar',
  'character varying': 'varchar',
  'bit varying': 'varbit',
};

const SERIALS: Record<string, TypeRef['serial']> = {
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
};

export function typeRef(typeName: AnyNode): TypeRef {
  const parts = stringList(typeName?.names);
  const last = (parts[parts.length - 1] ?? '').toLowerCase();
  const schema = parts.length > 1 && parts[0] !== 'pg_catalog' ? parts[0] : undefined;
  const typmods: number[] = (typeName?.typmods ?? []).map((m: AnyNode) => m?.A_Const?.ival?.ival ?? 0);
  const arrayDims = (typeName?.arrayBounds ?? []).length;
  const serial = schema ? undefined : SERIALS[last];
  if (serial) return { name: serial, typmods: [], arrayDims, serial };
  return { name: schema ? last : (TYPE_ALIASES[last] ?? last), schema, typmods, arrayDims };
}

export function typeDisplay(t: TypeRef): string {
  const base = (t.schema ? `${t.schema}.` : '') + t.name;
  return base + (t.typmods.length ? `(${t.typmods.join(',')})` : '') + '[]'.repeat(t.arrayDims);
}

/**
 * Every object below `node` (depth first) with the property name it hangs from, e.g.
 * `['FuncCall', {...}]`. Collected into an array: far cheaper than a generator on hot paths.
 */
export function walk(node: AnyNode): [string, AnyNode][] {
  const out: [string, AnyNode][] = [];
  collect(node, out);
  return out;
}

/**
 * Calls `visit(key, value)` for every object below `node`, in `walk`'s order, until it returns true;
 * returns whether it did. Allocates nothing: the way to search a tree on a hot path.
 */
export function someNode(node: AnyNode, visit: (key: string, value: AnyNode) => boolean | void): boolean {
  if (Array.isArray(node)) {
    for (const item of node) if (item && typeof item === 'object' && someNode(item, visit)) return true;
    return false;
  }
  if (!node || typeof node !== 'object') return false;
  for (const key in node) {
    const value = node[key];
    if (value && typeof value === 'object') {
      if (!Array.isArray(value) && visit(key, value)) return true;
      if (someNode(value, visit)) return true;
    }
  }
  return false;
}

function collect(node: AnyNode, out: [string, AnyNode][]): void {
  if (Array.isArray(node)) {
    for (const item of node) if (item && typeof item === 'object') collect(item, out);
    return;
  }
  for (const key in node) {
    const value = node[key];
    if (value && typeof value === 'object') {
      if (!Array.isArray(value)) out.push([key, value]);
      collect(value, out);
    }
  }
}

/** Names of functions called anywhere in an expression (last name part, lower case). */
export function calledFunctions(expr: AnyNode): string[] {
  const out: string[] = [];
  for (const [key, value] of walk(expr)) {
    if (key === 'FuncCall') {
      const parts = stringList(value.funcname);
      out.push((parts[parts.length - 1] ?? '').toLowerCase());
    }
  }
  return out;
}

/** Column names referenced by an expression (last field of each ColumnRef). */
export function referencedColumns(expr: AnyNode): string[] {
  const out = new Set<string>();
  for (const [key, value] of walk(expr)) {
    if (key === 'ColumnRef') {
      const fields = stringList(value.fields);
      const last = fields[fields.length - 1];
      if (last && last !== '*') out.add(last);
    }
  }
  return [...out];
}

/** Relations read by a query (every RangeVar under it), e.g. INSERT ... SELECT sources. */
export function rangeVars(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [key, value] of walk(node)) if (key === 'RangeVar') out.push(value);
  return out;
}
