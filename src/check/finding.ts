/** A finding: what `check` reports, the GitHub app comments on, and SARIF carries. */
import type { LockMode } from '../analysis/locks';
import type { FailOn } from '../config';
import type { FindingContext } from '../context/production';
import { severityRank, type SafeAlternative, type Severity } from '../rules/rule';

export interface Finding {
  ruleId: string;
  /** The rule's message id (stable, for tests and tools). */
  messageId: string;
  severity: Severity;
  /** The rule's default before configuration, table context and down-file capping. */
  defaultSeverity: Severity;
  file: string;
  /** The statement's span, 1-based, end column inclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** One line: table, lock and consequence. */
  message: string;
  relation?: string;
  lock?: LockMode;
  safeAlternative?: SafeAlternative;
  /** Replacement for the statement's source text (lines line..endLine, columns as given). */
  fix?: string;
  /** The statement's source, for renderers that show it. */
  statementText: string;
  /** Why the severity is what it is, when context changed it (table size, down file, config). */
  severityReasons: string[];
  /** Assumptions made (unknown table assumed to exist and possibly large, ...). */
  assumptions: string[];
  /** Team note about the table from configuration. */
  note?: string;
  /** Production context of the table, for rules whose harm grows with it: sizes, activity, estimates. */
  context?: FindingContext;
  /** Set when an inline `migration-guard:ignore` comment suppressed it (kept for reports). */
  suppressed?: { reason: string; line: number };
}

/** The findings at or above `failOn`: what fails the CLI's exit status and the check run. */
export function atOrAbove(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'never') return [];
  const threshold = severityRank(failOn);
  return findings.filter((f) => severityRank(f.severity) >= threshold);
}
