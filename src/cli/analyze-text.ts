/** Human-readable rendering of `analyze` results: one block per statement, facts only. */
import { describeBlocking, LOCK_MODE_SQL } from '../analysis/locks';
import type { AnalysisResult, AnalyzedStatement } from '../analysis/types';

export function formatAnalysisText(result: AnalysisResult): string {
  const lines: string[] = [`PostgreSQL ${result.pgVersion}`];
  for (const file of result.files) {
    lines.push('', file.path);
    const items: { line: number; column: number; render: () => string[] }[] = [
      ...file.statements.map((s) => ({ line: s.line, column: s.column, render: () => statementLines(s) })),
      ...file.diagnostics.map((d) => ({
        line: d.line,
        column: d.column,
        render: () => [`  ${d.line}:${d.column}  ${d.severity}: ${d.message} [${d.code}]`],
      })),
    ].sort((a, b) => a.line - b.line || a.column - b.column);
    if (items.length === 0) lines.push('  (no statements)');
    for (const item of items) lines.push(...item.render());
  }
  return lines.join('\n');
}

function statementLines(s: AnalyzedStatement): string[] {
  const out = [`  ${s.line}:${s.column}  ${s.summary}${s.section === 'down' ? '  (down)' : ''}`];
  const pad = '        ';
  if (s.failsOnVersion) out.push(`${pad}fails: ${s.failsOnVersion}`);
  for (const l of s.locks) {
    out.push(`${pad}lock ${LOCK_MODE_SQL[l.mode]} on ${l.relation} (${l.kind}): ${describeBlocking(l.mode)}`);
  }
  if (s.rewrites.length) out.push(`${pad}rewrites: ${s.rewrites.join(', ')}`);
  if (s.rebuildsIndexes.length) out.push(`${pad}rebuilds indexes: ${s.rebuildsIndexes.join(', ')}`);
  if (s.scans.length) out.push(`${pad}reads in full: ${s.scans.join(', ')}`);
  if (s.indexBuilds.length) out.push(`${pad}builds a new index on: ${s.indexBuilds.join(', ')}`);
  if (s.truncates.length) out.push(`${pad}empties: ${s.truncates.join(', ')}`);
  if (!s.transaction.allowedInTransactionBlock) out.push(`${pad}cannot run inside a transaction block`);
  if (s.transaction.inExplicitTransaction) out.push(`${pad}runs inside the file's BEGIN ... COMMIT`);
  if (s.transaction.note) out.push(`${pad}note: ${s.transaction.note}`);
  for (const n of s.notes) out.push(`${pad}note: ${n}`);
  return out;
}
