/**
 * `check --format json`: a stable, versioned document (docs/check-json.md). `version` changes only
 * on an incompatible change; new optional fields may appear without one.
 */
import type { CheckedFile, CheckResult } from '../check/engine';
import type { Finding } from '../check/finding';
import type { AnalyzedFile } from '../analysis/types';
import type { Severity } from '../rules/rule';
import type { ProductionBasis } from '../context/production';

export type SeverityCounts = Record<Severity, number>;

export interface CheckJson {
  version: 1;
  pgVersion: number;
  files: CheckedFile[];
  /** Active findings, in file, line and column order. */
  findings: Finding[];
  /** Findings silenced by `migration-guard:ignore`, each with `suppressed: { reason, line }`. */
  suppressed: Finding[];
  /** Active findings per severity (suppressed ones are not counted). */
  summary: SeverityCounts;
  /** The analysis facts per file: `AnalysisResult.files` (docs/analysis-json.md). */
  statements: AnalyzedFile[];
  /** What sizes and estimates are based on: the statistics snapshot and throughput, and warnings. */
  basis?: ProductionBasis;
}

/** Active findings per severity. */
export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { high: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function toCheckJson(result: CheckResult): CheckJson {
  return {
    version: 1,
    pgVersion: result.pgVersion,
    files: result.files.map((f) => ({ path: f.path, tool: f.tool, isDown: f.isDown })),
    findings: result.findings,
    suppressed: result.suppressed,
    summary: countBySeverity(result.findings),
    statements: result.analysis.files,
    ...(result.basis ? { basis: result.basis } : {}),
  };
}

export function renderJson(result: CheckResult): string {
  return JSON.stringify(toCheckJson(result), null, 2);
}
