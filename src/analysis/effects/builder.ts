/**
 * Accumulates the effects of one statement: locks per relation (reduced to the modes that matter),
 * rewrites, scans, and notes. Effect functions call it; nothing else builds StatementEffects.
 */
import { displayKey } from '../ast';
import type { Catalog, RelationState } from '../catalog';
import { effectiveModes, type LockMode } from '../locks';
import type { RelationKind, RelationLock, StatementEffects, TransactionBehaviour } from '../types';

interface LockEntry {
  kind: RelationKind;
  modes: Set<LockMode>;
  reason?: string;
}

export class EffectsBuilder {
  private readonly locks = new Map<string, LockEntry>();
  private readonly rewrites = new Set<string>();
  private readonly rebuilt = new Set<string>();
  private readonly scans = new Set<string>();
  private readonly builds = new Set<string>();
  private readonly truncated = new Set<string>();
  private readonly notes: string[] = [];
  private failure?: string;
  private unmodelled = false;
  transaction: TransactionBehaviour = { allowedInTransactionBlock: true, inExplicitTransaction: false };

  constructor(readonly catalog: Catalog) {}

  lock(rel: RelationState | string, mode: LockMode, reason?: string): this {
    const key = typeof rel === 'string' ? rel : rel.key;
    const kind = typeof rel === 'string' ? (this.catalog.get(rel)?.kind ?? 'table') : rel.kind;
    const entry = this.locks.get(key) ?? { kind, modes: new Set<LockMode>(), reason };
    entry.modes.add(mode);
    entry.reason ??= reason;
    this.locks.set(key, entry);
    return this;
  }

  /** Lock every index of a table (planner opens them; DML maintains them; rewrites rebuild them). */
  lockIndexes(rel: RelationState, mode: LockMode, reason?: string): this {
    for (const idx of this.catalog.indexesOf(rel)) this.lock(idx, mode, reason);
    return this;
  }

  rewrite(rel: RelationState): this {
    this.rewrites.add(rel.key);
    this.scans.add(rel.key);
    return this;
  }

  rebuildIndex(index: RelationState | string): this {
    this.rebuilt.add(typeof index === 'string' ? index : index.key);
    return this;
  }

  scan(rel: RelationState | string): this {
    this.scans.add(typeof rel === 'string' ? rel : rel.key);
    return this;
  }

  /** A new index is built on the table (read, sorted, written); the scan is recorded by the caller. */
  buildIndexOn(rel: RelationState): this {
    if (rel.kind !== 'partitioned table') this.builds.add(rel.key);
    return this;
  }

  truncate(rel: RelationState): this {
    this.truncated.add(rel.key);
    return this;
  }

  note(text: string): this {
    if (!this.notes.includes(text)) this.notes.push(text);
    return this;
  }

  fails(reason: string): this {
    this.failure ??= reason;
    return this;
  }

  /**
   * A failure found in code that may not run (a DO block's branches): kept as a note, not as a
   * certain failure.
   */
  softenFailure(context: string): this {
    if (this.failure) this.note(`${context} may fail if it runs: ${this.failure}`);
    this.failure = undefined;
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
    return this.locks.has(key);
  }

  build(): StatementEffects {
    const locks: RelationLock[] = [];
    for (const [key, entry] of this.locks) {
      for (const mode of effectiveModes(entry.modes)) {
        locks.push({
          relation: displayKey(key),
          mode,
          kind: entry.kind,
          ...(entry.reason ? { reason: entry.reason } : {}),
        });
      }
    }
    const names = (set: Set<string>) => [...set].map(displayKey);
    return {
      locks,
      rewrites: names(this.rewrites),
      rebuildsIndexes: names(this.rebuilt),
      scans: names(this.scans),
      indexBuilds: names(this.builds),
      truncates: names(this.truncated),
      transaction: this.transaction,
      ...(this.failure ? { failsOnVersion: this.failure } : {}),
      notes: this.notes,
      ...(this.unmodelled ? { unmodelled: true } : {}),
    };
  }
}
