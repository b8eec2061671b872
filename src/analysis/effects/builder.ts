/**
 * Accumulates the effects of one statement: locks per relation (reduced to the modes that matter),
 * rewrites, scans, and notes. Effect functions call it; nothing else builds StatementEffects.
 */
import { displayKey } from '../ast';
import type { Catalog, RelationState } from '../catalog';
import { effectiveModesOfBits, lockModeBit, type LockMode, type LockModeBits } from '../locks';
import type { RelationKind, RelationLock, StatementEffects, TransactionBehaviour } from '../types';

interface LockEntry {
  kind: RelationKind;
  modes: LockModeBits;
  reason?: string;
}

/*
 * One builder is made per statement, and most statements lock one or two relations and rewrite,
 * scan or truncate nothing: the collections are created on first use, not up front.
 */
export class EffectsBuilder {
  private locks?: Map<string, LockEntry>;
  private rewrites?: Set<string>;
  private rebuilt?: Set<string>;
  private scans?: Set<string>;
  private builds?: Set<string>;
  private truncated?: Set<string>;
  private readonly notes: string[] = [];
  private failure?: string;
  /** The failure kept comes from the replayed schema, not from the version (failsBySchema). */
  private failureFromSchema = false;
  private unmodelled = false;
  transaction: TransactionBehaviour = { allowedInTransactionBlock: true, inExplicitTransaction: false };

  constructor(readonly catalog: Catalog) {}

  lock(rel: RelationState | string, mode: LockMode, reason?: string): this {
    const key = typeof rel === 'string' ? rel : rel.key;
    const kind = typeof rel === 'string' ? (this.catalog.get(rel)?.kind ?? 'table') : rel.kind;
    const locks = (this.locks ??= new Map());
    const entry = locks.get(key);
    if (entry) {
      entry.modes |= lockModeBit(mode);
      entry.reason ??= reason;
    } else locks.set(key, { kind, modes: lockModeBit(mode), reason });
    return this;
  }

  /** Lock every index of a table (planner opens them; DML maintains them; rewrites rebuild them). */
  lockIndexes(rel: RelationState, mode: LockMode, reason?: string): this {
    for (const idx of this.catalog.indexesOf(rel)) this.lock(idx, mode, reason);
    return this;
  }

  rewrite(rel: RelationState): this {
    (this.rewrites ??= new Set()).add(rel.key);
    (this.scans ??= new Set()).add(rel.key);
    return this;
  }

  rebuildIndex(index: RelationState | string): this {
    (this.rebuilt ??= new Set()).add(typeof index === 'string' ? index : index.key);
    return this;
  }

  scan(rel: RelationState | string): this {
    (this.scans ??= new Set()).add(typeof rel === 'string' ? rel : rel.key);
    return this;
  }

  /** A new index is built on the table (read, sorted, written); the scan is recorded by the caller. */
  buildIndexOn(rel: RelationState): this {
    if (rel.kind !== 'partitioned table') (this.builds ??= new Set()).add(rel.key);
    return this;
  }

  truncate(rel: RelationState): this {
    (this.truncated ??= new Set()).add(rel.key);
    return this;
  }

  note(text: string): this {
    if (!this.notes.includes(text)) this.notes.push(text);
    return this;
  }

  /**
   * The statement fails on this major version: a feature or syntax it lacks. Certain, whatever the
   * schema: it replaces a failure found in the schema before it.
   */
  fails(reason: string): this {
    if (this.failure === undefined || this.failureFromSchema) {
      this.failure = reason;
      this.failureFromSchema = false;
    }
    return this;
  }

  /**
   * The statement fails because of the schema state before it, as replayed from the migration
   * history (a view uses the column, the table already has a primary key, ...). Only as sure as
   * that schema: objects made outside the migrations or under DO-block guards are not in it.
   */
  failsBySchema(reason: string): this {
    if (this.failure === undefined) {
      this.failure = reason;
      this.failureFromSchema = true;
    }
    return this;
  }

  /**
   * A failure found in code that may not run (a DO block's branches): kept as a note, not as a
   * certain failure.
   */
  softenFailure(context: string): this {
    if (this.failure) this.note(`${context} may fail if it runs: ${this.failure}`);
    this.failure = undefined;
    this.failureFromSchema = false;
    return this;
  }

  notModelled(reason: string): this {
    this.unmodelled = true;
    return this.note(reason);
  }

  cannotRunInTransaction(note?: string): this {
    this.transaction = {
      ...this.transaction,
      allowedInTransactionBlock: false,
      note: note ?? this.transaction.note,
    };
    return this;
  }

  hasLock(key: string): boolean {
    return this.locks?.has(key) ?? false;
  }

  build(): StatementEffects {
    const locks: RelationLock[] = [];
    if (this.locks) {
      for (const [key, entry] of this.locks) {
        const relation = displayKey(key);
        for (const mode of effectiveModesOfBits(entry.modes)) {
          locks.push(
            entry.reason
              ? { relation, mode, kind: entry.kind, reason: entry.reason }
              : { relation, mode, kind: entry.kind },
          );
        }
      }
    }
    const rewrites = displayKeys(this.rewrites);
    const rebuildsIndexes = displayKeys(this.rebuilt);
    const scans = displayKeys(this.scans);
    const indexBuilds = displayKeys(this.builds);
    const truncates = displayKeys(this.truncated);
    const { transaction, notes, failure } = this;
    // Assigned in the documented key order (no spreads on this hot path): failsOnVersion and
    // failureFromSchema before notes.
    const effects = {
      locks,
      rewrites,
      rebuildsIndexes,
      scans,
      indexBuilds,
      truncates,
      transaction,
    } as StatementEffects;
    if (failure !== undefined) {
      effects.failsOnVersion = failure;
      if (this.failureFromSchema) effects.failureFromSchema = true;
    }
    effects.notes = notes;
    if (this.unmodelled) effects.unmodelled = true;
    return effects;
  }
}

function displayKeys(keys: Set<string> | undefined): string[] {
  const out: string[] = [];
  if (keys) for (const key of keys) out.push(displayKey(key));
  return out;
}
