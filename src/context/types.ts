/**
 * Production context: the shapes shared by the statistics snapshot (`migration-guard stats`), the
 * calibration (`migration-guard calibrate`), the duration/WAL estimates and the check engine.
 *
 * Facts about a team's production database (sizes, activity) and about its server's speed
 * (throughput) live here; what they mean for risk is decided by the check engine.
 */

/** The stats file's identity: a file with another `format` or `version` is refused with a clear error. */
export const STATS_FORMAT = 'migration-guard-stats';
export const STATS_FORMAT_VERSION = 1;
export const DEFAULT_STATS_FILE = '.github/migration-guard-stats.json';

/** One snapshot of a database's table statistics. Statistics only: never row data. */
export interface StatsSnapshot {
  format: typeof STATS_FORMAT;
  version: typeof STATS_FORMAT_VERSION;
  /** When the snapshot was taken (server clock, ISO 8601). */
  takenAt: string;
  server: { version: string; major: number };
  database: string;
  /** pg_stat_database.stats_reset: activity counters count from here (null: unknown). */
  statsResetAt: string | null;
  /** Keyed by schema-qualified name, always qualified: `public.orders`, `billing.invoices`. */
  tables: Record<string, TableStats>;
  /** What could not be read (missing privileges, ...), said once each. */
  notes: string[];
}

export interface IndexStats {
  name: string;
  bytes: number;
  unique: boolean;
  primary: boolean;
  /** False for an invalid index (a failed CREATE INDEX CONCURRENTLY). */
  valid: boolean;
  /** A partition's index: the partitioned table's index it is attached to (that index's name). */
  parent?: string;
}

/** Cumulative counters from pg_stat_user_tables, since `statsResetAt`. */
export interface TableActivity {
  inserts: number;
  updates: number;
  deletes: number;
  seqScans: number;
  seqRowsRead: number;
  indexScans: number;
  liveRows: number;
  deadRows: number;
}

/** Rates derived from counters over a time window. */
export interface TableRates {
  /** Rows inserted, updated or deleted per second. */
  writesPerSecond: number;
  /** Sequential plus index scans per second. */
  scansPerSecond: number;
  windowSeconds: number;
  /** Counter difference between two snapshots, or counters divided by the time since the reset. */
  source: 'between-snapshots' | 'since-reset';
}

export interface TableStats {
  kind: 'table' | 'partitioned table' | 'materialized view';
  /** pg_class.reltuples; null when the table was never vacuumed or analyzed. */
  rows: number | null;
  /** Main fork of the heap (pg_relation_size). */
  heapBytes: number;
  /** The TOAST table and its index. */
  toastBytes: number;
  /** All indexes (pg_indexes_size). */
  indexBytes: number;
  /** pg_total_relation_size. */
  totalBytes: number;
  indexes: IndexStats[];
  activity?: TableActivity;
  rates?: TableRates;
  /** Partitioned tables: their partitions (qualified names); a partition: its parent. */
  partitions?: string[];
  parent?: string;
  /**
   * True when the sizes come from pg_class.relpages (as of the table's last VACUUM or ANALYZE) rather
   * than from the size functions: the table was locked by another session during the snapshot, or
   * the role may not call the size functions.
   */
  estimatedSizes?: boolean;
}

/**
 * Throughput figures of the target server, in bytes of table heap per second: what turns a table's
 * size into an estimated duration. Defaults, or measured by `migration-guard calibrate` and stored
 * in the configuration under `calibration:`.
 */
export interface Throughput {
  /** A sequential scan that checks every row (CHECK / NOT NULL validation, one side of a foreign key). */
  scanBytesPerSecond: number;
  /** A table rewrite: the heap read and written again (its indexes are counted as index builds). */
  rewriteBytesPerSecond: number;
  /** One B-tree index build: the heap read, sorted and the index written, per index. */
  indexBuildBytesPerSecond: number;
  /** WAL written per byte of heap or index written by a rewrite or an index build. */
  walBytesPerWrittenByte: number;
}

export interface Calibration extends Throughput {
  /** Where the figures come from. */
  source: 'default' | 'calibrated';
  /** When and on what server `calibrate` measured them. */
  measuredAt?: string;
  serverVersion?: string;
}

/** An estimated duration (seconds) with its range, and the WAL it writes. */
export interface DurationEstimate {
  /** Best guess, seconds. */
  seconds: number;
  /** Range shown to people ("40–90 s"): the uncertainty of the model. */
  low: number;
  high: number;
  /** WAL bytes written (rewrites and index builds; 0 for scans). */
  walBytes: number;
  /** How it was computed, one line per part ("orders: rewrite of 3.1 GB at 120 MB/s"). */
  basis: string[];
  /** Relations the statement works on that have no statistics: not counted. */
  unknown: string[];
}

/** Looks up a relation's statistics by the name the analysis uses (`orders`, `billing.orders`). */
export type TableLookup = (relation: string) => TableStats | undefined;
