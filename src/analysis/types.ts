/**
 * The public shapes of the analysis: what goes in (files, options) and what comes out (per-file
 * diagnostics and per-statement effects). These are facts about PostgreSQL; risk lives elsewhere.
 * The JSON output of `migration-guard analyze` is exactly `AnalysisResult` (see docs/analysis-json.md).
 */
import type { LockMode } from './locks';
import type { WrapMode } from './transactions';
import type { ParsedFile } from './parse';

export interface SourceFile {
  path: string;
  /** Text, or raw bytes (decoded here: BOM, UTF-8 validity and binary junk are handled). */
  content: string | Uint8Array;
}

export type MigrationTool =
  | 'plain'
  | 'golang-migrate'
  | 'goose'
  | 'flyway'
  | 'dbmate'
  | 'sqlx'
  | 'diesel'
  | 'prisma'
  | 'atlas'
  | 'sqitch'
  | 'drizzle';

export interface AnalyzeOptions {
  /** PostgreSQL major version of the target server, 11–18. */
  pgVersion: number;
  /** Already-applied migrations, replayed into the schema state but not reported. */
  history?: SourceFile[];
  /**
   * The history is the whole schema: a relation it does not create does not exist (a statement
   * naming it fails; IF EXISTS makes it a no-op). Off by default, since real schemas often have
   * objects created outside the migration files: unknown relations are then assumed to exist.
   */
  historyIsComplete?: boolean;
  /**
   * Each file is its own change: tables created by earlier files count as existing (as if those
   * files had run long ago), only those created in the file itself as new and empty.
   */
  eachFileIsAChange?: boolean;
  /** Largest file accepted, in bytes. */
  maxFileBytes?: number;
  /**
   * How the migration runner wraps each file (from the migration tool), given which statements may
   * run in a transaction block. Undefined: files are judged as written (explicit BEGIN/COMMIT).
   */
  transactionMode?: (file: ParsedFile, allowedInTransaction: boolean[]) => WrapMode;
  /**
   * Down (revert) migration files, by path: analyzed like the others, but they do not change the
   * schema that later files see (they undo a migration; they do not run in sequence with ups).
   */
  isDownFile?: (path: string) => boolean;
  /**
   * The migration session's TimeZone setting, when known. It decides whether timestamp ↔
   * timestamptz conversions rewrite (PG 12+: not when it is UTC). Unknown: assume they rewrite.
   */
  timeZone?: string;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** Stable machine-readable code, e.g. `syntax-error`, `psql-meta-command`, `binary-file`. */
  code: string;
  message: string;
  /** 1-based line and column, in characters as an editor shows them. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export type RelationKind =
  | 'table'
  | 'partitioned table'
  | 'index'
  | 'partitioned index'
  | 'sequence'
  | 'view'
  | 'materialized view'
  | 'composite type'
  | 'unknown';

export interface RelationLock {
  /** Name as written in the schema: `orders`, or `billing.orders` outside `public`. */
  relation: string;
  /** PostgreSQL's own name for the mode, as in pg_locks. */
  mode: LockMode;
  kind: RelationKind;
  /** Why this relation is locked (e.g. "referenced by the new foreign key"). */
  reason?: string;
}

export interface TransactionBehaviour {
  /** False for statements PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM, ...). */
  allowedInTransactionBlock: boolean;
  /** True for statements PostgreSQL rejects outside one (LOCK TABLE: RequireTransactionBlock). */
  requiresTransactionBlock?: boolean;
  /** Whether, as the file is written, the statement runs inside an explicit BEGIN ... COMMIT. */
  inExplicitTransaction: boolean;
  /** Whether it runs inside a transaction at all: the file's own, or one the migration tool opens. */
  inTransaction?: boolean;
  /** Statements of a file with the same group run in one transaction: locks are held until its end. */
  group?: number;
  /** The transaction is the migration tool's (not written in the file). */
  wrappedByTool?: boolean;
  /** A non-zero lock_timeout is set earlier in the session or transaction. */
  lockTimeout?: boolean;
  /** A non-zero statement_timeout is set earlier in the session or transaction. */
  statementTimeout?: boolean;
  /** A transaction-control statement: BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET ... */
  control?: 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to';
  /** How the statement behaves differently inside a transaction block, when it does. */
  note?: string;
}

export interface StatementEffects {
  locks: RelationLock[];
  /** Tables (or materialized views) whose heap is rewritten: a new relfilenode. */
  rewrites: string[];
  /** Existing indexes rebuilt (new relfilenode); a new index's build shows as a scan of its table. */
  rebuildsIndexes: string[];
  /** Tables read in full: rewrite, validation scan, index build, NOT NULL check, backfill. */
  scans: string[];
  /** Tables on which a new index is built (its table is read, sorted and the index written). */
  indexBuilds: string[];
  /** Tables and their indexes emptied (TRUNCATE: new, empty relfilenodes; no rows are read). */
  truncates: string[];
  transaction: TransactionBehaviour;
  /**
   * Set when PostgreSQL of this major version rejects the statement (syntax or feature it lacks,
   * or an error the schema state makes certain).
   */
  failsOnVersion?: string;
  /**
   * Set (with failsOnVersion) when the failure follows from the schema as the migration history
   * describes it (a view still uses the column, the table already has a primary key, the relation
   * does not exist, ...), not from the version: only as sure as the replayed schema, which misses
   * objects created outside the migrations, DO-block guards and templates.
   */
  failureFromSchema?: true;
  /** Facts worth saying that are not locks or rewrites, and assumptions made. */
  notes: string[];
  /** The statement kind is not modelled: the effects are a conservative guess. */
  unmodelled?: boolean;
}

export interface AnalyzedStatement extends StatementEffects {
  /** 1-based start line/column and end line/column (inclusive end column), in characters. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The statement's source text, without the terminating semicolon. */
  text: string;
  /** The parse tree's node name, e.g. `AlterTableStmt`. */
  kind: string;
  /** A short human-readable label, e.g. `ALTER TABLE orders ADD COLUMN`. */
  summary: string;
  /** Section of the file (goose/dbmate `down`), when the tool marks one. */
  section?: 'up' | 'down';
}

export interface AnalyzedFile {
  path: string;
  diagnostics: Diagnostic[];
  statements: AnalyzedStatement[];
}

export interface AnalysisResult {
  pgVersion: number;
  files: AnalyzedFile[];
}
