/**
 * The schema state before a statement: what the effect model needs to know that the statement
 * itself does not say (which indexes a table has, a column's current type, whether a CHECK
 * constraint is valid, which tables reference this one, whether a table was created in this change
 * and is therefore empty).
 *
 * Relations, indexes and sequences share one namespace per schema, as in pg_class. Keys are
 * `schema.name`. The catalog is mutated in place by `replay.ts` as statements are applied.
 */
import { displayKey, type TypeRef } from './ast';
import type { RelationKind } from './types';

export interface ColumnState {
  name: string;
  type: TypeRef;
  notNull: boolean;
  hasDefault: boolean;
  generated?: 'stored' | 'virtual';
  identity?: boolean;
}

export type ConstraintKind = 'check' | 'foreign key' | 'unique' | 'primary key' | 'exclusion' | 'not null';

export interface ConstraintState {
  name: string;
  kind: ConstraintKind;
  columns: string[];
  valid: boolean;
  /** Foreign keys: the referenced table's key. */
  references?: string;
  /** Foreign keys: the referenced columns (empty: the referenced table's primary key). */
  referencedColumns?: string[];
  /** Unique, primary key and exclusion constraints: their index's key. */
  index?: string;
  /** CHECK constraints of the form `col IS NOT NULL`: that column (PG 12+ uses it for SET NOT NULL). */
  provesNotNull?: string;
}

export interface IndexInfo {
  table: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  /** Built ON ONLY a partitioned table, or left invalid by a failed concurrent build. */
  valid: boolean;
  /** A partition's index attached to its parent's partitioned index. */
  parent?: string;
}

export interface RelationState {
  key: string;
  schema: string;
  name: string;
  kind: RelationKind;
  columns: ColumnState[];
  constraints: ConstraintState[];
  /** Keys of this table's indexes (including those backing constraints). */
  indexes: string[];
  /** Set on indexes. */
  index?: IndexInfo;
  /** Partitions: the parent's key. */
  partitionOf?: string;
  /** Partitions: created or attached as the DEFAULT partition. */
  isDefaultPartition?: boolean;
  /** Partitions: the bound (PartitionBoundSpec) as parsed, for pruning. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  bound?: any;
  /** Partitioned tables: the partition key's columns. */
  partitionKey?: string[];
  /** Keys of tables this one inherits from (INHERITS). */
  inherits: string[];
  /** Sequences owned by columns of this table (serial, identity). */
  ownedSequences: string[];
  /** Created by a statement of this change (not in history): empty, so rewrites and locks are harmless. */
  createdInChange: boolean;
  /** Not known from history: assumed to exist (and possibly be large). */
  assumed?: boolean;
  unlogged?: boolean;
  /** Views and materialized views: the relations they read. */
  dependsOn?: string[];
  triggers: string[];
  /** Views: their output column names, when known. */
  outputColumns?: string[];
  /** Views: the column names their query reads (`*` when it selects all). */
  readsColumns?: string[];
  /** CLUSTER ON / CLUSTER ... USING: the index CLUSTER without USING follows. */
  clusterIndex?: string;
  accessMethod?: string;
  /** A DETACH PARTITION CONCURRENTLY was interrupted: only FINALIZE can complete it. */
  detachPending?: boolean;
}

export interface DomainState {
  key: string;
  base: TypeRef;
  hasConstraints: boolean;
  /** CREATE DOMAIN ... DEFAULT / ALTER DOMAIN SET DEFAULT: what a column of the type gets by default. */
  hasDefault?: boolean;
}

/** A relation with nothing in it yet: what every creation starts from. */
export function newRelation(key: string, kind: RelationKind): Omit<RelationState, 'createdInChange'> {
  const dot = key.indexOf('.');
  return {
    key,
    schema: key.slice(0, dot),
    name: key.slice(dot + 1),
    kind,
    columns: [],
    constraints: [],
    indexes: [],
    inherits: [],
    ownedSequences: [],
    triggers: [],
  };
}

export interface EnumState {
  key: string;
  values: string[];
  createdInChange: boolean;
}

export class Catalog {
  readonly relations = new Map<string, RelationState>();
  readonly enums = new Map<string, EnumState>();
  readonly domains = new Map<string, DomainState>();
  /** Extended statistics objects: key → table key. */
  readonly statistics = new Map<string, string>();
  /** CREATE FUNCTION/PROCEDURE statements by name, for CALL (the body is read when called). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly routines = new Map<string, any[]>();
  /** Volatility of user-defined functions seen in CREATE FUNCTION (name → volatility). */
  readonly functions = new Map<string, 'immutable' | 'stable' | 'volatile'>();
  /** Set while replaying the change under analysis, not its history. */
  inChange = false;
  /** History was replayed: a relation it does not know, named with IF EXISTS, really is absent. */
  complete = false;

  /** Relations created by this change, so that forgetting it does not visit every relation. */
  private readonly created = new Set<RelationState>();
  /** Parent key → partitions and inheritance children; rebuilt only after the hierarchy changed. */
  private children?: Map<string, RelationState[]>;
  /** The relation added last under a new key: the last one in `relations`' order. */
  private newest?: RelationState;
  /**
   * Each key's place in `relations`' iteration order, a number that grows with every key newly
   * set there (a replaced relation keeps its key's place, as Map.set does): sorting what an index
   * finds by it gives the order a scan of `relations` would have given.
   */
  private readonly place = new Map<string, number>();
  private placed = 0;

  /**
   * Emptied in this change (TRUNCATE): from here on it holds no rows, like a table created in the
   * change, so rewriting, scanning or indexing it costs nothing.
   */
  markEmpty(rel: RelationState): void {
    rel.createdInChange = true;
    this.created.add(rel);
  }

  /** What this change created now counts as existing (each file judged as its own change). */
  forgetChange(): void {
    for (const r of this.created) r.createdInChange = false;
    this.created.clear();
    for (const e of this.enums.values()) e.createdInChange = false;
  }

  /** Call after changing a relation's partitionOf or inherits. */
  hierarchyChanged(): void {
    this.children = undefined;
    this.newest = undefined;
  }

  /**
   * Call after giving `rel` the parent `parent` (its partitionOf, or one more of its inherits).
   * When `rel` is the relation added last (CREATE TABLE ... PARTITION OF / INHERITS), it goes at
   * the end of the parent's children, where a rebuild of the index would put it: the index is
   * kept instead of rebuilt, which matters when a migration creates many partitions one by one.
   */
  parentAdded(rel: RelationState, parent: string): void {
    if (this.children && this.newest === rel) this.link(this.children, parent, rel);
    else this.hierarchyChanged();
  }

  /** Direct partitions and inheritance children of `key`, in the order the relations were added. */
  childrenOf(key: string): RelationState[] {
    if (!this.children) {
      const map = new Map<string, RelationState[]>();
      for (const r of this.relations.values()) {
        if (r.partitionOf) this.link(map, r.partitionOf, r);
        for (const p of r.inherits) this.link(map, p, r);
      }
      this.children = map;
    }
    return this.children.get(key) ?? [];
  }

  /**
   * Takes a relation leaving the catalog out of its parents' children, as a rebuild would leave it
   * out; the others keep their order. (Its own children still name it as their parent.)
   */
  private unlink(rel: RelationState | undefined): void {
    if (!rel) return;
    if (rel === this.newest) this.newest = undefined;
    const map = this.children;
    if (!map) return;
    for (const parent of rel.partitionOf ? [rel.partitionOf, ...rel.inherits] : rel.inherits) {
      const list = map.get(parent);
      if (list?.includes(rel))
        map.set(
          parent,
          list.filter((r) => r !== rel),
        );
    }
  }

  /** Appends a child; a list already handed out by childrenOf is replaced, never changed. */
  private link(map: Map<string, RelationState[]>, parent: string, child: RelationState): void {
    const list = map.get(parent);
    map.set(parent, list ? [...list, child] : [child]);
  }

  get(key: string): RelationState | undefined {
    return this.relations.get(key);
  }

  add(rel: Omit<RelationState, 'createdInChange'> & { createdInChange?: boolean }): RelationState {
    // A copy, not `rel` itself: the copy gets a compact object layout, and the loops over every
    // relation (children index, renames) run measurably faster on it than on the caller's object.
    const state: RelationState = { ...rel, createdInChange: rel.createdInChange ?? this.inChange };
    if (state.dependsOn) this.viewsRead(state.dependsOn);
    const replaced = this.relations.get(state.key);
    if (replaced) this.created.delete(replaced);
    else this.place.set(state.key, this.placed++);
    this.relations.set(state.key, state);
    for (const c of state.constraints)
      if (c.kind === 'foreign key' && c.references) this.foreignKeyAdded(state, c.references);
    if (state.createdInChange) this.created.add(state);
    // A new relation goes last in the index, as a rebuild would put it; a replaced one moves.
    this.newest = replaced ? undefined : state;
    if (replaced) this.hierarchyChanged();
    else if (this.children) {
      if (state.partitionOf) this.link(this.children, state.partitionOf, state);
      for (const p of state.inherits) this.link(this.children, p, state);
    }
    return state;
  }

  /**
   * A relation the statement names but history never created: it exists on the server (or the
   * statement would fail), so it is assumed to be an ordinary, possibly large, table.
   */
  assume(key: string, kind: RelationKind = 'table'): RelationState {
    const existing = this.relations.get(key);
    if (existing) return existing;
    const rel = newRelation(key, kind) as RelationState;
    rel.assumed = true;
    rel.createdInChange = false;
    return this.add(rel);
  }

  remove(key: string): void {
    const rel = this.relations.get(key);
    if (!rel) return;
    this.relations.delete(key);
    this.created.delete(rel);
    this.unlink(rel);
    for (const other of [...rel.indexes, ...rel.ownedSequences]) {
      this.unlink(this.relations.get(other));
      this.relations.delete(other);
    }
    if (rel.index) {
      const table = this.relations.get(rel.index.table);
      if (table) table.indexes = table.indexes.filter((i) => i !== key);
    }
  }

  rename(key: string, newKey: string): void {
    const rel = this.relations.get(key);
    if (!rel || key === newKey) return;
    if (this.everReadByView.has(key)) this.everReadByView.add(newKey);
    if (this.referencers.has(key)) this.mergeReferencers(key, newKey);
    this.relations.delete(key);
    if (!this.relations.has(newKey)) this.place.set(newKey, this.placed++);
    const [schema, ...rest] = newKey.split('.');
    rel.key = newKey;
    rel.schema = schema;
    rel.name = rest.join('.');
    this.relations.set(newKey, rel);
    this.hierarchyChanged();
    // Every relation is visited, but a list is copied only when it names `key`: copying all of them
    // on every rename made most of its cost (allocation and garbage collection). No two relations
    // share a list, so leaving the others in place is indistinguishable from copying them.
    const renamed = (keys: string[]) =>
      keys.includes(key) ? keys.map((k) => (k === key ? newKey : k)) : keys;
    for (const other of this.relations.values()) {
      if (other.index?.table === key) other.index.table = newKey;
      if (other.partitionOf === key) other.partitionOf = newKey;
      other.inherits = renamed(other.inherits);
      other.indexes = renamed(other.indexes);
      other.ownedSequences = renamed(other.ownedSequences);
      for (const c of other.constraints) {
        if (c.references === key) c.references = newKey;
        if (c.index === key) c.index = newKey;
      }
      if (other.dependsOn) other.dependsOn = renamed(other.dependsOn);
    }
  }

  indexesOf(rel: RelationState): RelationState[] {
    return rel.indexes.map((k) => this.relations.get(k)).filter((r): r is RelationState => !!r);
  }

  partitionsOf(key: string): RelationState[] {
    return this.childrenOf(key).filter((r) => r.partitionOf === key);
  }

  /**
   * Referenced key → every relation that was ever given a foreign key to it. A superset, never
   * shrunk (dropped constraints, dropped or replaced relations stay in it): referencingTables checks
   * each candidate as its former scan of every relation did, so stale entries only cost a test.
   * Renaming a referenced relation moves its candidates under the new key, as it rewrites their
   * constraints' `references`; renaming a referencing one changes nothing (the sets hold objects).
   */
  private readonly referencers = new Map<string, Set<RelationState>>();

  /** Call when `rel` gets a foreign key to `references` (ALTER TABLE ADD, CREATE TABLE). */
  foreignKeyAdded(rel: RelationState, references: string): void {
    const set = this.referencers.get(references);
    if (set) set.add(rel);
    else this.referencers.set(references, new Set([rel]));
  }

  private mergeReferencers(key: string, newKey: string): void {
    const from = this.referencers.get(key) ?? [];
    const into = this.referencers.get(newKey);
    if (into) for (const r of from) into.add(r);
    else this.referencers.set(newKey, new Set(from));
  }

  /** Tables with a foreign key that references `key` (other than `key` itself), in `relations`' order. */
  referencingTables(key: string): RelationState[] {
    const candidates = this.referencers.get(key);
    if (!candidates) return [];
    const found: RelationState[] = [];
    for (const r of candidates) {
      if (this.relations.get(r.key) !== r) continue; // no longer in the catalog
      if (r.key !== key && r.constraints.some((c) => c.kind === 'foreign key' && c.references === key))
        found.push(r);
    }
    return found.length > 1 ? found.sort((a, b) => this.place.get(a.key)! - this.place.get(b.key)!) : found;
  }

  /**
   * Tables whose foreign keys depend on the unique or primary-key constraint `key` of `rel`: those
   * whose referenced columns are the constraint's (no columns named means the primary key).
   */
  foreignKeysUsing(rel: RelationState, key: ConstraintState): RelationState[] {
    return this.referencingTables(rel.key).filter((other) =>
      other.constraints.some((fk) => fk.references === rel.key && usesKey(fk, key)),
    );
  }

  /**
   * Keys that a view (or materialized view) has ever read, as `referencers` is for foreign keys.
   * Whoever sets a relation's dependsOn other than through `add` reports it with `viewsRead`.
   */
  private readonly everReadByView = new Set<string>();

  viewsRead(keys: string[]): void {
    for (const k of keys) this.everReadByView.add(k);
  }

  /** Views and materialized views that read `key`. */
  dependentViews(key: string): RelationState[] {
    if (!this.everReadByView.has(key)) return [];
    // Only views and materialized views keep their query; a table (CREATE TABLE AS) never depends
    // on what it was filled from, whatever its dependsOn says.
    return [...this.relations.values()].filter((r) => r.kind !== 'table' && r.dependsOn?.includes(key));
  }

  /**
   * The sequence a serial or identity column owns, found by the name PostgreSQL gave it
   * (`table_column_seq`): dropping the column drops it.
   */
  columnSequence(rel: RelationState, column: string): string | undefined {
    const name = this.chooseName(rel.schema, [rel.name, column], 'seq', () => false);
    const key = `${rel.schema}.${name}`;
    return rel.ownedSequences.find((s) => s === key);
  }

  column(rel: RelationState, name: string): ColumnState | undefined {
    return rel.columns.find((c) => c.name === name);
  }

  /** Is a relation name taken in its schema (relations, indexes, sequences, views share it)? */
  has(key: string): boolean {
    return this.relations.has(key);
  }

  /**
   * A name PostgreSQL would choose for an implicit object (ChooseRelationName / ChooseConstraintName
   * in indexcmds.c and pg_constraint.c): `table_col1_col2_suffix`, shortened to fit NAMEDATALEN-1
   * (63 bytes) and made unique with a number when taken.
   */
  chooseName(schema: string, parts: string[], suffix: string, taken: (key: string) => boolean): string {
    for (let pass = 0; ; pass++) {
      const tail = pass === 0 ? suffix : `${suffix}${pass}`;
      const name = fitName(parts, tail);
      if (!taken(`${schema}.${name}`)) return name;
    }
  }
}

/** Shorten name parts the way makeObjectName does: trim the longer part first until it fits. */
function fitName(parts: string[], suffix: string): string {
  const names = parts.filter((p) => p.length > 0).map((p) => p);
  const budget = 63 - utf8Length(suffix) - 1;
  const total = () => names.reduce((n, p) => n + utf8Length(p), 0) + Math.max(names.length - 1, 0);
  while (total() > budget) {
    let longest = 0;
    for (let i = 1; i < names.length; i++) if (names[i].length > names[longest].length) longest = i;
    names[longest] = names[longest].slice(0, -1);
  }
  return `${names.join('_')}_${suffix}`;
}

/** Buffer.byteLength(s) without leaving JavaScript: names are short and almost always ASCII. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    const next = s.charCodeAt(i + 1);
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      // A surrogate pair: two units, four bytes.
      n += 2;
      i++;
    } else n += 2; // three bytes (a lone surrogate is written as U+FFFD)
  }
  return n;
}

/** Is `fk` a foreign key that relies on the unique or primary-key constraint `key` of its target? */
export function usesKey(fk: ConstraintState, key: ConstraintState): boolean {
  if (fk.kind !== 'foreign key') return false;
  const cols = fk.referencedColumns ?? [];
  if (cols.length === 0) return key.kind === 'primary key';
  return cols.length === key.columns.length && cols.every((c) => key.columns.includes(c));
}

export function describeRelation(rel: RelationState): string {
  return displayKey(rel.key);
}
