/**
 * One walk over a statement's parse tree, done once per statement, that collects the nodes several
 * parts of the effect model ask about: the version gates (constraints, index definitions, options,
 * function calls) and the query model (common table expressions, sub-selects). Before, each of them
 * walked the whole tree again, which for an INSERT of many rows is most of its analysis.
 *
 * The lists hold the nodes in the order a depth-first walk meets them (the order of `someNode`), so
 * that a consumer finding "the first" node of a kind finds the same one as a walk of its own would.
 * A consumer that looks at a part of the tree uses an empty list as proof that its part has none of
 * that kind either, and otherwise still searches its part.
 */
import type { AnyNode } from '../ast';

export interface StatementNodes {
  Constraint: AnyNode[];
  IndexStmt: AnyNode[];
  DefElem: AnyNode[];
  FuncCall: AnyNode[];
  CommonTableExpr: AnyNode[];
  SubLink: AnyNode[];
}

export type IndexedKind = keyof StatementNodes;

export function statementNodes(node: AnyNode): StatementNodes {
  const found: StatementNodes = {
    Constraint: [],
    IndexStmt: [],
    DefElem: [],
    FuncCall: [],
    CommonTableExpr: [],
    SubLink: [],
  };
  collect(node, found);
  return found;
}

/* The loop of `someNode` without its callback: this walk is on every statement's path. */
function collect(node: AnyNode, found: StatementNodes): void {
  if (Array.isArray(node)) {
    for (const item of node) if (item !== null && typeof item === 'object') collect(item, found);
    return;
  }
  for (const key in node) {
    const value = node[key];
    if (value === null || typeof value !== 'object') continue;
    if (!Array.isArray(value)) {
      switch (key) {
        case 'Constraint':
        case 'IndexStmt':
        case 'DefElem':
        case 'FuncCall':
        case 'CommonTableExpr':
        case 'SubLink':
          found[key].push(value);
      }
    }
    collect(value, found);
  }
}
