/**
 * What an effect function may ask about the world: the catalog before the statement, the target
 * major version, and how names resolve (unknown relations are assumed to exist).
 */
import { keyOf, rangeVarName, type AnyNode } from '../ast';
import type { Catalog, RelationState } from '../catalog';
import type { RelationKind } from '../types';

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
  ) {}

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
