/**
 * How long a statement's size-dependent work takes, and how much WAL it writes, from the production
 * table statistics and the server's throughput. Pure: no I/O, no clock.
 *
 * The model (measured against a real server by bench/estimate-vs-measured.ts; docs/production-context.md):
 *
 * - rewrite of T: T's heap and TOAST are read and written again at `rewriteBytesPerSecond`, then every
 *   index of T is built again from the new heap, each at `indexBuildBytesPerSecond` of heap.
 * - index rebuild (REINDEX) of an existing index on T: one index build over T's heap.
 * - new index on T: one index build over T's heap.
 * - validation scan (CHECK or NOT NULL validation, a backfill's read, a partition bound check): T's heap
 *   read at `scanBytesPerSecond`.
 * - foreign-key validation: one query joins the referencing table to the referenced one; the referenced
 *   side is read once (hashed), the referencing side read and each row looked up:
 *   FOREIGN_KEY_PROBE_FACTOR times a plain scan.
 *
 * Index builds are priced by heap bytes, not index bytes, because building a B-tree is dominated by
 * reading the heap and sorting one entry per row: the index's own size follows the row count, which
 * the heap size tracks for a given table.
 *
 * WAL: a rewrite writes about its new heap, TOAST and indexes (≈ the old sizes); an index build about
 * the new index's size; a scan writes none. Each times `walBytesPerWrittenByte`. With
 * wal_level = minimal a relation created in the same transaction skips WAL entirely; production
 * servers with replicas run `replica` or `logical`, which this assumes.
 */
import type { StatementEffects } from '../analysis/types';
import type { DurationEstimate, TableLookup, TableStats, Throughput } from './types';
import { formatBytes, formatSeconds } from './units';

/**
 * The range shown around the best guess: measured/estimated ratios of bench/estimate-vs-measured.ts
 * after calibration fell within these factors (see bench/RESULTS.md); wider than the spread seen,
 * because production servers are busier and less cached than a benchmark.
 */
export const ESTIMATE_RANGE: Readonly<{ low: number; high: number }> = Object.freeze({ low: 0.5, high: 2 });

/**
 * WAL at or above this is "large": 1 GB is PostgreSQL's default max_wal_size, so one statement
 * writing this much forces at least one extra checkpoint, and every replica must receive and replay
 * it (single-threaded) before it catches up: replication lag of roughly this much WAL.
 */
export const LARGE_WAL_BYTES = 1024 ** 3;

export function isLargeWal(bytes: number, threshold: number = LARGE_WAL_BYTES): boolean {
  return bytes >= threshold;
}

/**
 * Size of a new B-tree index per table row, when the table's rows are known: one leaf entry for an
 * 8-byte key (bigint, timestamp) is an 8-byte index tuple header, the 8-byte key and a 4-byte line
 * pointer, 20 bytes, at the default 90 % leaf fill ≈ 22 bytes; rounded up to 24 for inner pages.
 * PostgreSQL 17 indexes on one integer column measured 20–22.5 bytes a row (PG 13+ deduplicates repeats).
 * Wider keys (text, several columns) make bigger indexes: then the WAL is underestimated.
 */
export const NEW_INDEX_BYTES_PER_ROW = 24;

/**
 * A foreign-key validation reads the referencing table and looks every row up in the referenced one (a
 * hash join): measured at 1.9–2.1 times the duration of a CHECK validation of the same table
 * (bench/estimate-vs-measured.ts, 2 M rows, PostgreSQL 17).
 */
export const FOREIGN_KEY_PROBE_FACTOR = 2;

/** One part of a statement's work. */
interface Work {
  seconds: number;
  walBytes: number;
  basis: string;
}

/**
 * The estimated lock-holding work of one statement, or undefined when it does no size-dependent work
 * (no rewrite, index build or scan of an existing table).
 */
export function estimateStatement(
  effects: StatementEffects,
  lookup: TableLookup,
  throughput: Throughput,
): DurationEstimate | undefined {
  const tables = new TableResolver(lookup);
  const work: Work[] = [];
  const unknown = new Set<string>();
  // TRUNCATE gives tables new, empty files: nothing is read, and their "scans" are of empty heaps.
  const truncated = new Set(effects.truncates.map(normalName));
  const leavesOf = (names: string[]) => {
    const out: Leaf[] = [];
    for (const name of names) {
      if (truncated.has(normalName(name))) continue;
      const leaves = tables.leaves(name);
      if (leaves) out.push(...leaves);
      else unknown.add(name);
    }
    return dedupe(out);
  };

  const rewritten = leavesOf(effects.rewrites);
  const rewrittenNames = new Set(rewritten.map((t) => t.name));
  /** Indexes rebuilt as part of a rewrite: already counted with it. */
  const coveredIndexes = new Set<string>();
  for (const t of rewritten) {
    for (const idx of t.stats.indexes) coveredIndexes.add(indexKey(t.name, idx.name));
    work.push(rewriteWork(t, throughput));
  }

  for (const index of effects.rebuildsIndexes) {
    const owner = tables.ownerOf(index, ownerCandidates(effects));
    if (!owner) {
      if (!truncated.has(normalName(index))) unknown.add(index);
      continue;
    }
    if (coveredIndexes.has(indexKey(owner.table.name, owner.index.name))) continue;
    if (truncated.has(normalName(owner.table.name))) continue;
    work.push(reindexWork(owner.table, owner.index.name, owner.index.bytes, throughput));
  }

  const built = leavesOf(effects.indexBuilds);
  const builtNames = new Set(built.map((t) => t.name));
  for (const t of built) work.push(newIndexWork(t, throughput));

  // What is left of the scans are validation scans. A table that is also rewritten or gets a new index
  // is counted there: its extra check (e.g. the NOT NULL check of a new primary key) reads the same
  // heap and is small next to the sort.
  const scanned = leavesOf(effects.scans).filter(
    (t) => !rewrittenNames.has(t.name) && !builtNames.has(t.name),
  );
  const referenced = referencedTables(effects);
  const validatesForeignKey = scanned.some((t) => referenced.has(t.name));
  for (const t of scanned) {
    const probes = validatesForeignKey && !referenced.has(t.name);
    work.push(scanWork(t, throughput, probes ? FOREIGN_KEY_PROBE_FACTOR : 1));
  }

  if (work.length === 0 && unknown.size === 0) return undefined;
  const seconds = sum(work.map((w) => w.seconds));
  return {
    seconds,
    low: seconds * ESTIMATE_RANGE.low,
    high: seconds * ESTIMATE_RANGE.high,
    walBytes: sum(work.map((w) => w.walBytes)),
    basis: work.map((w) => w.basis),
    unknown: [...unknown].sort(),
  };
}

/**
 * Statements of one transaction hold their locks until COMMIT: the lock taken by the first is held
 * through the work of all of them. Sums their estimates (undefined entries do no work).
 */
export function combineEstimates(estimates: (DurationEstimate | undefined)[]): DurationEstimate | undefined {
  const present = estimates.filter((e): e is DurationEstimate => e !== undefined);
  if (present.length === 0) return undefined;
  return {
    seconds: sum(present.map((e) => e.seconds)),
    low: sum(present.map((e) => e.low)),
    high: sum(present.map((e) => e.high)),
    walBytes: sum(present.map((e) => e.walBytes)),
    basis: present.flatMap((e) => e.basis),
    unknown: [...new Set(present.flatMap((e) => e.unknown))].sort(),
  };
}

// ---------------------------------------------------------------------------------------------------
// The kinds of work

function rewriteWork(t: Leaf, tp: Throughput): Work {
  const { heapBytes, toastBytes, indexBytes, indexes } = t.stats;
  const data = heapBytes + toastBytes;
  const rewrite = data / tp.rewriteBytesPerSecond;
  const rebuild = (indexes.length * heapBytes) / tp.indexBuildBytesPerSecond;
  const seconds = rewrite + rebuild;
  const walBytes = (data + indexBytes) * tp.walBytesPerWrittenByte;
  const what =
    toastBytes > 0 ? `${formatBytes(heapBytes)} + ${formatBytes(toastBytes)} TOAST` : formatBytes(data);
  const rebuilt =
    indexes.length === 0
      ? ''
      : ` + ${plural(indexes.length, 'index', 'indexes')} rebuilt at ${rate(tp.indexBuildBytesPerSecond)} of heap`;
  return {
    seconds,
    walBytes,
    basis:
      `${t.name}: rewrite of ${what} at ${rate(tp.rewriteBytesPerSecond)}${rebuilt} ≈ ${formatSeconds(seconds)}; ` +
      `${formatBytes(walBytes)} of WAL`,
  };
}

function reindexWork(t: Leaf, index: string, indexBytes: number, tp: Throughput): Work {
  const seconds = t.stats.heapBytes / tp.indexBuildBytesPerSecond;
  const walBytes = indexBytes * tp.walBytesPerWrittenByte;
  return {
    seconds,
    walBytes,
    basis:
      `${index}: rebuilt from ${t.name}'s ${formatBytes(t.stats.heapBytes)} heap at ${rate(tp.indexBuildBytesPerSecond)} ` +
      `≈ ${formatSeconds(seconds)}; ${formatBytes(walBytes)} of WAL`,
  };
}

function newIndexWork(t: Leaf, tp: Throughput): Work {
  const seconds = t.stats.heapBytes / tp.indexBuildBytesPerSecond;
  const size = newIndexBytes(t.stats);
  const walBytes = size * tp.walBytesPerWrittenByte;
  return {
    seconds,
    walBytes,
    basis:
      `${t.name}: new index built from ${formatBytes(t.stats.heapBytes)} of heap at ${rate(tp.indexBuildBytesPerSecond)} ` +
      `≈ ${formatSeconds(seconds)}; ~${formatBytes(size)} index, ${formatBytes(walBytes)} of WAL`,
  };
}

function scanWork(t: Leaf, tp: Throughput, factor: number): Work {
  const seconds = (factor * t.stats.heapBytes) / tp.scanBytesPerSecond;
  const probe = factor === 1 ? '' : `, each row looked up for the foreign key (×${factor})`;
  return {
    seconds,
    walBytes: 0,
    basis: `${t.name}: full scan of ${formatBytes(t.stats.heapBytes)} at ${rate(tp.scanBytesPerSecond)}${probe} ≈ ${formatSeconds(seconds)}`,
  };
}

/**
 * Tables a statement reads as the referenced side of a foreign key. The effect model says so only in
 * the lock's reason ("referenced by the new foreign key", "... by the foreign key being validated").
 */
function referencedTables(effects: StatementEffects): Set<string> {
  return new Set(
    effects.locks
      .filter((l) => /referenced by .*foreign key/i.test(l.reason ?? ''))
      .map((l) => normalName(l.relation)),
  );
}

/**
 * The new index's size: from the row count (NEW_INDEX_BYTES_PER_ROW); without one, the table's
 * smallest valid index (a single-column key such as the primary key is the usual new index); without
 * either, a fifth of the heap (a narrow key on rows of ~100 bytes).
 */
export function newIndexBytes(stats: TableStats): number {
  if (stats.rows !== null && stats.rows >= 0) return stats.rows * NEW_INDEX_BYTES_PER_ROW;
  const sizes = stats.indexes.filter((i) => i.valid).map((i) => i.bytes);
  if (sizes.length > 0) return Math.min(...sizes);
  return stats.heapBytes / 5;
}

// ---------------------------------------------------------------------------------------------------
// Names and statistics

/** A table with storage (not a partitioned parent) and its statistics. */
interface Leaf {
  /** As the analysis names it: `orders`, `billing.orders`. */
  name: string;
  stats: TableStats;
}

class TableResolver {
  constructor(private readonly lookup: TableLookup) {}

  stats(name: string): TableStats | undefined {
    // Snapshot names are qualified (`public.orders_2024`); the analysis drops `public.`.
    return this.lookup(normalName(name)) ?? this.lookup(name);
  }

  /**
   * The tables with storage behind a name: itself, or a partitioned table's leaf partitions (their
   * sizes add up). Undefined when a statistic needed is missing.
   */
  leaves(name: string, depth = 0): Leaf[] | undefined {
    const stats = this.stats(name);
    if (!stats) return undefined;
    if (stats.kind !== 'partitioned table') return [{ name: normalName(name), stats }];
    if (!stats.partitions || depth > 32) return undefined;
    const out: Leaf[] = [];
    for (const part of stats.partitions) {
      const leaves = this.leaves(part, depth + 1);
      if (!leaves) return undefined;
      out.push(...leaves);
    }
    return out;
  }

  /** The table an index belongs to, among the tables the statement touches. */
  ownerOf(
    index: string,
    candidates: string[],
  ): { table: Leaf; index: { name: string; bytes: number } } | undefined {
    const { schema, name } = splitName(index);
    for (const candidate of candidates) {
      if (splitName(candidate).schema !== schema) continue;
      const stats = this.stats(candidate);
      const found = stats?.indexes.find((i) => splitName(i.name).name === name);
      if (stats && found) return { table: { name: normalName(candidate), stats }, index: found };
    }
    return undefined;
  }
}

/** Tables whose indexes a statement may rebuild: REINDEX locks the index's table, rewrites name it. */
function ownerCandidates(effects: StatementEffects): string[] {
  const locked = effects.locks
    .filter((l) => l.kind !== 'index' && l.kind !== 'partitioned index')
    .map((l) => l.relation);
  return [...new Set([...effects.rewrites, ...locked, ...effects.scans])];
}

function normalName(name: string): string {
  return name.startsWith('public.') ? name.slice('public.'.length) : name;
}

function splitName(qualified: string): { schema: string; name: string } {
  const n = normalName(qualified);
  const dot = n.indexOf('.');
  return dot === -1 ? { schema: 'public', name: n } : { schema: n.slice(0, dot), name: n.slice(dot + 1) };
}

function indexKey(table: string, index: string): string {
  return `${splitName(table).schema}.${splitName(index).name}`;
}

function dedupe(leaves: Leaf[]): Leaf[] {
  const seen = new Set<string>();
  return leaves.filter((l) => !seen.has(l.name) && seen.add(l.name));
}

function rate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
