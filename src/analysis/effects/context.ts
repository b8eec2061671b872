/**
 * What an effect function may ask about the world: the catalog before the statement, the target
 * major version, and how names resolve (unknown relations are assumed to exist).
 */
import { keyOf, rangeVarName, type AnyNode } from '../ast';
import type { Catalog, RelationState } from '../catalog';
import type { RelationKind } from '../types';
import type { IndexedKind, StatementNodes } from './statement-nodes';

export class EffectContext {
  /** Relations named but absent from a complete history: the statement will fail. */
  readonly missing: string[] = [];
  /** Constraints a multi-command ALTER TABLE drops (later sub-commands see them gone). */
  droppedInStatement = new Set<string>();

  constructor(
    readonly catalog: Catalog,
    readonly pg: number,
    /** True/false when the session's TimeZone is known to be (not) UTC; undefined when unknown. */
    readonly utcSession: boolean | undefined,
    /**
     * Nodes of the statement whose effects are computed (statementNodes); undefined while the
     * effects of SQL from elsewhere are followed (DO blocks, function bodies), whose nodes these
     * lists do not cover.
     */
    public treeNodes: StatementNodes | undefined,
  ) {}

  /**
   * False when no node of `kind` occurs anywhere in the statement, so that no part of it needs to
   * be searched for one; true means "search".
   */
  mayContain(kind: IndexedKind): boolean {
    return this.treeNodes === undefined || this.treeNodes[kind].length > 0;
  }

  /** Runs `follow` on SQL that is not part of the statement's tree (a body), where treeNodes is void. */
  outsideTree(follow: () => void): void {
    const saved = this.treeNodes;
    this.treeNodes = undefined;
    try {
      follow();
    } finally {
      this.treeNodes = saved;
    }
  }

  /**
   * The relation a RangeVar names. Unknown relations are assumed to exist (a migration that names
   * them would fail otherwise), except with IF EXISTS when history was replayed: then the
   * statement is a no-op and undefined is returned.
   */
  resolve(rv: AnyNode, opts: { missingOk?: boolean; kind?: RelationKind } = {}): RelationState | undefined {
    const key = keyOf(rangeVarName(rv));
    const found = this.catalog.get(key);
    if (found) return found;
    if (opts.missingOk && this.catalog.complete) return undefined;
    if (this.catalog.complete) this.missing.push(key);
    return this.catalog.assume(key, opts.kind ?? 'table');
  }

  resolveOrAssume(rv: AnyNode): RelationState {
    return this.resolve(rv) as RelationState;
  }

  byKey(key: string, kind: RelationKind = 'table'): RelationState {
    return this.catalog.get(key) ?? this.catalog.assume(key, kind);
  }

  /** Partitions and inheritance children, recursively (what find_all_inheritors returns). */
  descendants(rel: RelationState): RelationState[] {
    // Most relations have no children: answered without the search's closure and bookkeeping.
    if (this.catalog.childrenOf(rel.key).length === 0) return [];
    const out: RelationState[] = [];
    const visit = (key: string) => {
      for (const r of this.catalog.childrenOf(key)) {
        if (r !== rel && !out.includes(r)) {
          out.push(r);
          visit(r.key);
        }
      }
    };
    visit(rel.key);
    return out;
  }
}
