/**
 * Production context for one check: what the statistics snapshot and the team's configuration say
 * about a table, and how long a finding's lock is estimated to be held. The check engine asks; the
 * severity policy (./severity.ts) decides what it means.
 */
import type { StatementEffects } from '../analysis/types';
import { tableSettings, type Config } from '../config';
import { combineEstimates } from './estimate';
import type { DurationEstimate, TableLookup, TableStats, Throughput } from './types';

export interface ProductionContext {
  /** The snapshot's statistics by relation name; undefined without a snapshot. */
  lookup?: TableLookup;
  /** When the snapshot was taken (ISO 8601). */
  takenAt?: string;
  /** Estimated duration and WAL of one statement's size-dependent work (undefined: none). */
  estimate(effects: StatementEffects): DurationEstimate | undefined;
}

/** What a check's sizes and estimates rest on, for reports. */
export interface ProductionBasis {
  /** One line: the snapshot (database, version, date, tables) and the throughput's source. */
  statistics: string;
  /** A snapshot was used. */
  snapshot: boolean;
  /** Stale snapshot, and the like. */
  warnings: string[];
}

export type Estimator = (
  effects: StatementEffects,
  lookup: TableLookup,
  throughput: Throughput,
) => DurationEstimate | undefined;

/** Binds a snapshot (or none) and the configured throughput to the estimator. */
export function productionContext(
  snapshot: { lookup: TableLookup; takenAt: string } | undefined,
  throughput: Throughput,
  estimator: Estimator,
): ProductionContext {
  const lookup = snapshot?.lookup;
  return {
    lookup,
    takenAt: snapshot?.takenAt,
    estimate: (effects) => (lookup ? estimator(effects, lookup, throughput) : undefined),
  };
}

/** What a finding says about its table: sizes, activity, the team's settings and the estimate. */
export interface FindingContext {
  relation: string;
  /** From the snapshot, when it has the table. */
  rows?: number;
  totalBytes?: number;
  writesPerSecond?: number;
  /** small | medium | large from the snapshot and the thresholds, or configured; unknown without either. */
  size: 'small' | 'medium' | 'large' | 'unknown';
  /** Configured `size:` rather than measured. */
  sizeConfigured: boolean;
  hot: boolean;
  /** Configured `hot: true` rather than measured writes/s. */
  hotConfigured: boolean;
  /** This statement's own work (rewrite, scan, index build). */
  statement?: DurationEstimate;
  /** The lock is held from this statement until its transaction ends: this and every later statement's work. */
  lockHeld?: { seconds: number; low: number; high: number; untilCommit: boolean };
  /** Why the size is unknown, when it is. */
  sizeUnknown?: string;
  statsTakenAt?: string;
}

/** Classifies a table from the snapshot and the configuration (configuration wins). */
export function describeTable(
  relation: string,
  production: ProductionContext | undefined,
  config: Config,
): FindingContext {
  const settings = tableSettings(config, relation);
  const stats: TableStats | undefined = production?.lookup?.(relation);
  const t = config.stats;
  const measuredSize = stats
    ? stats.totalBytes < t.smallTableBytes
      ? 'small'
      : stats.totalBytes >= t.largeTableBytes
        ? 'large'
        : 'medium'
    : 'unknown';
  const writes = stats?.rates?.writesPerSecond;
  const ctx: FindingContext = {
    relation,
    size: settings?.size ?? measuredSize,
    sizeConfigured: !!settings?.size,
    hot: settings?.hot ?? (writes !== undefined && writes >= t.hotWritesPerSecond),
    hotConfigured: settings?.hot !== undefined,
  };
  if (stats) {
    if (stats.rows !== null) ctx.rows = stats.rows;
    ctx.totalBytes = stats.totalBytes;
    if (writes !== undefined) ctx.writesPerSecond = writes;
  }
  if (production?.takenAt) ctx.statsTakenAt = production.takenAt;
  if (ctx.size === 'unknown') {
    ctx.sizeUnknown = production?.lookup
      ? `${relation} is not in the statistics snapshot: size unknown`
      : `size of ${relation} unknown: no statistics snapshot (see migration-guard stats)`;
  }
  return ctx;
}

/**
 * How long the lock on `relation` that statement `index` holds is held: locks are released at
 * COMMIT, so from the first statement of its transaction that locked the relation (this one, or
 * an earlier one) through the last statement of the transaction, every statement's work counts.
 * Outside a transaction, the statement's own work.
 */
export function lockHeldFrom(
  index: number,
  statements: readonly {
    transaction: { inTransaction?: boolean; group?: number };
    locks: readonly { relation: string }[];
  }[],
  estimates: readonly (DurationEstimate | undefined)[],
  relation: string,
): FindingContext['lockHeld'] {
  const t = statements[index].transaction;
  const inTx = !!t.inTransaction && t.group !== undefined;
  const same = (i: number) => statements[i].transaction.group === t.group;
  let start = index;
  let end = index + 1;
  if (inTx) {
    for (let i = index - 1; i >= 0 && same(i); i--) {
      if (statements[i].locks.some((l) => l.relation === relation)) start = i;
    }
    while (end < statements.length && same(end)) end++;
  }
  const held = combineEstimates(estimates.slice(start, end));
  const others = [...estimates.slice(start, index), ...estimates.slice(index + 1, end)];
  return {
    seconds: held?.seconds ?? 0,
    low: held?.low ?? 0,
    high: held?.high ?? 0,
    untilCommit: others.some((e) => e !== undefined),
  };
}
