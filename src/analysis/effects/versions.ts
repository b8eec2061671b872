/**
 * Syntax and features by PostgreSQL major version: a statement using one on an older server fails
 * before it does anything. Each entry names the release that introduced it. The parser is
 * PostgreSQL 18's, so it accepts all of these; this table is what tells the versions apart.
 */
import { builtinFunctionExists } from '../catalog-facts';
import { keyOf, nodeKind, rangeVarName, stringList, type AnyNode } from '../ast';
import type { Catalog } from '../catalog';
import type { StatementNodes } from './statement-nodes';

interface Feature {
  since: number;
  name: string;
  /** True when the statement uses the feature; `nodes` are the statement's, collected once. */
  used: (node: AnyNode, kind: string, catalog: Catalog, nodes: StatementNodes) => boolean;
}

const NO_COMMANDS: AnyNode[] = [];

const alterCmds = (node: AnyNode): AnyNode[] =>
  node.AlterTableStmt
    ? (node.AlterTableStmt.cmds ?? []).map((c: AnyNode) => c.AlterTableCmd).filter(Boolean)
    : NO_COMMANDS;

const FEATURES: Feature[] = [
  {
    since: 12,
    name: 'generated columns (GENERATED ALWAYS AS ... STORED)',
    used: (_n, _k, _c, nodes) => nodes.Constraint.some((v) => v.contype === 'CONSTR_GENERATED'),
  },
  { since: 12, name: 'REINDEX CONCURRENTLY', used: (n, k) => k === 'ReindexStmt' && reindexConcurrently(n) },
  {
    since: 13,
    name: 'ALTER COLUMN ... DROP EXPRESSION',
    used: (n) => alterCmds(n).some((c) => c.subtype === 'AT_DropExpression'),
  },
  {
    since: 14,
    name: 'ALTER COLUMN ... SET COMPRESSION',
    used: (n) => alterCmds(n).some((c) => c.subtype === 'AT_SetCompression'),
  },
  {
    since: 13,
    name: 'BEFORE ... FOR EACH ROW triggers on partitioned tables',
    used: (n, k, catalog) =>
      k === 'CreateTrigStmt' &&
      !!n.CreateTrigStmt.row &&
      (n.CreateTrigStmt.timing ?? 0) === 2 &&
      catalog.get(keyOf(rangeVarName(n.CreateTrigStmt.relation)))?.kind === 'partitioned table',
  },
  {
    since: 12,
    name: 'foreign keys that reference a partitioned table',
    used: (_n, _k, catalog, nodes) =>
      nodes.Constraint.some(
        (v) =>
          v.contype === 'CONSTR_FOREIGN' &&
          catalog.get(keyOf(rangeVarName(v.pktable)))?.kind === 'partitioned table',
      ),
  },
  {
    since: 14,
    name: 'CREATE OR REPLACE TRIGGER',
    used: (n, k) => k === 'CreateTrigStmt' && !!n.CreateTrigStmt.replace,
  },
  {
    since: 14,
    name: 'DETACH PARTITION ... CONCURRENTLY / FINALIZE',
    used: (n) =>
      alterCmds(n).some(
        (c) =>
          c.subtype === 'AT_DetachPartitionFinalize' ||
          (c.subtype === 'AT_DetachPartition' && c.def?.PartitionCmd?.concurrent),
      ),
  },
  {
    since: 15,
    name: 'UNIQUE NULLS NOT DISTINCT',
    used: (_n, _k, _c, nodes) =>
      nodes.Constraint.some((v) => v.nulls_not_distinct === true) ||
      nodes.IndexStmt.some((v) => v.nulls_not_distinct === true),
  },
  { since: 15, name: 'MERGE', used: (_n, k) => k === 'MergeStmt' },
  {
    since: 12,
    name: 'VACUUM/ANALYZE options with values, e.g. (FULL false)',
    used: (n, k) =>
      k === 'VacuumStmt' && (n.VacuumStmt.options ?? []).some((o: AnyNode) => o.DefElem?.arg !== undefined),
  },
  {
    since: 15,
    name: 'ALTER SEQUENCE ... SET LOGGED/UNLOGGED',
    used: (n) =>
      n.AlterTableStmt?.objtype === 'OBJECT_SEQUENCE' &&
      alterCmds(n).some((c) => c.subtype === 'AT_SetLogged' || c.subtype === 'AT_SetUnLogged'),
  },
  {
    since: 15,
    name: 'SET ACCESS METHOD',
    used: (n) => alterCmds(n).some((c) => c.subtype === 'AT_SetAccessMethod'),
  },
  {
    since: 15,
    name: 'the security_invoker view option',
    used: (_n, _k, _c, nodes) => nodes.DefElem.some((v) => v.defname === 'security_invoker'),
  },
  {
    since: 17,
    name: 'ALTER COLUMN ... SET EXPRESSION',
    used: (n) => alterCmds(n).some((c) => c.subtype === 'AT_SetExpression'),
  },
  {
    since: 18,
    name: 'virtual generated columns',
    used: (_n, _k, _c, nodes) =>
      nodes.Constraint.some((v) => v.contype === 'CONSTR_GENERATED' && v.generated_kind === 'v'),
  },
  {
    since: 18,
    name: 'NOT NULL table constraints (ADD CONSTRAINT ... NOT NULL)',
    used: (n) =>
      alterCmds(n).some(
        (c) => c.subtype === 'AT_AddConstraint' && c.def?.Constraint?.contype === 'CONSTR_NOTNULL',
      ),
  },
];

function reindexConcurrently(n: AnyNode): boolean {
  const params: AnyNode[] = n.ReindexStmt.params ?? [];
  return params.some((p) => String(p.DefElem?.defname).toLowerCase() === 'concurrently');
}

/**
 * Why the statement fails on this major, or undefined when the version has what it uses. `nodes`
 * are the statement's own (statementNodes).
 */
export function versionGate(
  node: AnyNode,
  nodes: StatementNodes,
  pg: number,
  catalog: Catalog,
): string | undefined {
  const kind = nodeKind(node);
  for (const f of FEATURES) {
    if (pg < f.since && f.used(node, kind, catalog, nodes)) return `${f.name} needs PostgreSQL ${f.since}`;
  }
  // Built-in functions that appeared in a later release (gen_random_uuid in 13, uuidv7 in 18, ...).
  for (const value of nodes.FuncCall) {
    const parts = stringList(value.funcname);
    if (parts.length > 1 && parts[0] !== 'pg_catalog') continue;
    const name = (parts[parts.length - 1] ?? '').toLowerCase();
    if (catalog.functions.has(name) || builtinFunctionExists(name, pg)) continue;
    const since = [pg + 1, 13, 14, 15, 16, 17, 18]
      .filter((v) => v > pg)
      .find((v) => v <= 18 && builtinFunctionExists(name, v));
    if (since) return `function ${name}() is built in only from PostgreSQL ${since}`;
  }
  return undefined;
}
