/**
 * The rule contract. A rule reads facts (the statement's effects), context (the catalog before
 * the statement, the transaction it runs in, the team's configuration) and reports findings with
 * a severity, a one-line message naming the relation and lock, and the safe alternative for this
 * statement. A rule never decides a lock level, a rewrite or a scan itself: those are effects.
 *
 * Shape borrowed from ESLint: `meta` (docs, default severity, messages keyed by id) and `check`.
 */
import type { AnyNode } from '../analysis/ast';
import type { Catalog, RelationState } from '../analysis/catalog';
import type { LockMode } from '../analysis/locks';
import type { AnalyzedStatement } from '../analysis/types';
import type { ToolPreset } from '../migrations/tools';

export type Severity = 'high' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['high', 'warning', 'info'];

export function severityRank(s: Severity): number {
  return s === 'high' ? 2 : s === 'warning' ? 1 : 0;
}

export interface SafeAlternative {
  /** One sentence: what to do instead. */
  summary: string;
  /** The SQL to run instead, with this statement's real names. */
  sql?: string;
  /** Extra steps or cautions, e.g. how to run it outside a transaction in this tool. */
  notes?: string[];
}

export interface RuleDocs {
  /** Why it matters, with the PostgreSQL facts. */
  why: string;
  /** An example that this rule reports. */
  bad: string;
  /** The safe way to write it. */
  good: string;
  /** What differs between PostgreSQL versions, if anything. */
  versions?: string;
  /** PostgreSQL documentation page. */
  reference?: string;
}

export interface RuleMeta<M extends string> {
  title: string;
  defaultSeverity: Severity;
  /**
   * The harm grows with the table (a blocking lock, a rewrite, a scan, an index build): production
   * statistics and table settings raise or lower the severity. False where a table's size changes
   * nothing (a certain failure, a breaking change, a style choice).
   */
  scalesWithTable: boolean;
  docs: RuleDocs;
  /** Message templates with {placeholders}; one line each. */
  messages: Record<M, string>;
}

export interface Rule<M extends string = string> {
  id: string;
  meta: RuleMeta<M>;
  check(ctx: RuleContext<M>): void;
}

export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

export interface RuleReport<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** Overrides the rule's default severity for this finding (e.g. fails on this version). */
  severity?: Severity;
  /** The relation the finding is about (display name): configuration of tables applies to it. */
  relation?: string;
  lock?: LockMode;
  safeAlternative?: SafeAlternative;
  /** Replacement text for the statement's own source (becomes a suggestion block on GitHub). */
  fix?: string;
}

/** What a rule knows about a relation the statement touches. */
export interface RelationContext {
  name: string;
  state: RelationState | undefined;
  /** Created by an earlier statement of this change (same PR / same check run): empty. */
  createdInChange: boolean;
  /** Not in the migration history: assumed to exist and possibly large. */
  assumed: boolean;
}

/** Locks held by earlier statements of the same transaction, still held now. */
export interface HeldLock {
  relation: string;
  mode: LockMode;
  /** 1-based line of the statement that took it. */
  line: number;
  summary: string;
}

export interface TransactionContext {
  inTransaction: boolean;
  wrappedByTool: boolean;
  /** The tool is known (detected or configured), so its transaction behaviour is known too. */
  toolKnown: boolean;
  lockTimeout: boolean;
  /** Locks on existing relations taken earlier in this transaction: held until it ends. */
  heldBefore: HeldLock[];
  /** The statements before this one in the same transaction, with their parse trees (unwrapped). */
  earlierStatements: { statement: AnalyzedStatement; node: AnyNode }[];
}

export interface RuleContext<M extends string = string> {
  statement: AnalyzedStatement;
  /** The statement's parse tree, unwrapped (e.g. the IndexStmt object). */
  node: AnyNode;
  kind: string;
  pg: number;
  catalog: Catalog;
  file: {
    path: string;
    tool: ToolPreset;
    isDown: boolean;
    /** The statements before this one in the file (same up/down section), with their effects. */
    earlier: AnalyzedStatement[];
  };
  tx: TransactionContext;
  /** Whether lock_timeout must be set before locking existing tables (config). */
  requireLockTimeout: boolean;
  relation(name: string): RelationContext;
  /** A relation that existed before this change (history or assumed): locking it can hurt. */
  isExisting(name: string): boolean;
  report(report: RuleReport<M>): void;
}
