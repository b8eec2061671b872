/**
 * Inline suppressions, squawk/ESLint style but with a required reason:
 *   -- migration-guard:ignore <rule-id>[,<rule-id>...] <reason>       (on or just above a statement)
 *   -- migration-guard:ignore-file <rule-id>[,<rule-id>...] <reason>  (anywhere: the whole file)
 * A suppression without a reason still suppresses but is reported; one that suppresses nothing is
 * reported as unused; an unknown rule id is reported too.
 */
import type { Directive } from '../analysis/parse';
import type { AnalyzedStatement } from '../analysis/types';

export interface Suppression {
  line: number;
  column: number;
  fileLevel: boolean;
  rules: string[];
  reason: string;
  /** For statement-level ones: the statement it covers (index in the file), if any. */
  statementIndex?: number;
  used: boolean;
}

export function readSuppressions(directives: Directive[], statements: AnalyzedStatement[]): Suppression[] {
  const out: Suppression[] = [];
  for (const d of directives) {
    if (d.tool !== 'migration-guard') continue;
    const m = /^(ignore-file|ignore)\s+([\w*,-]+)\s*(.*)$/i.exec(d.value);
    if (!m) continue;
    const fileLevel = m[1].toLowerCase() === 'ignore-file';
    const s: Suppression = {
      line: d.line,
      column: 1,
      fileLevel,
      rules: m[2].split(',').filter(Boolean),
      reason: m[3].replace(/^[-–—:\s]+/, '').trim(),
      used: false,
    };
    if (!fileLevel) s.statementIndex = coveredStatement(d.line, statements);
    out.push(s);
  }
  return out;
}

/** The statement on the comment's line, or else the first statement starting after it. */
function coveredStatement(line: number, statements: AnalyzedStatement[]): number | undefined {
  const onLine = statements.findIndex((s) => s.line <= line && line <= s.endLine);
  if (onLine !== -1) return onLine;
  const next = statements.findIndex((s) => s.line > line);
  return next === -1 ? undefined : next;
}
