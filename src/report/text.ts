/**
 * `check --format text`: compiler-style findings for a terminal or a CI log.
 *
 *   db/migrations/0042.sql:3:1: high [require-concurrent-index-creation] CREATE INDEX holds ...
 *       3 | CREATE INDEX orders_status_idx ON orders (status)
 *         | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *     instead: Build the index with CONCURRENTLY: reads and writes continue during the build.
 *         CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
 *     note: ...
 *
 * ANSI colour only when `color` is set (the CLI sets it for a TTY without NO_COLOR).
 */
import type { CheckResult } from '../check/engine';
import type { Finding } from '../check/finding';
import { productionLine } from '../context/severity';
import type { Severity } from '../rules/rule';
import { countBySeverity } from './json';

export interface TextOptions {
  color?: boolean;
}

/** Lines of a multi-line statement shown under a finding (the rest is elided). */
const SOURCE_LINES = 3;

const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;
type Style = keyof typeof SGR;

export function renderText(result: CheckResult, options: TextOptions = {}): string {
  const paint = (text: string, ...styles: Style[]) =>
    options.color && text ? `\x1b[${styles.map((s) => SGR[s]).join(';')}m${text}\x1b[0m` : text;
  const severityStyle: Record<Severity, Style[]> = {
    high: ['bold', 'red'],
    warning: ['bold', 'yellow'],
    info: ['bold', 'cyan'],
  };
  const out: string[] = [];

  for (const f of result.findings) {
    out.push(
      `${paint(`${f.file}:${f.line}:${f.column}:`, 'bold')} ${paint(f.severity, ...severityStyle[f.severity])} ` +
        `${paint(`[${f.ruleId}]`, 'dim')} ${clean(f.message)}`,
    );
    out.push(...sourceLines(f, paint));
    out.push(...explanation(f, paint));
    out.push('');
  }

  if (result.suppressed.length) {
    out.push(paint(`suppressed (${result.suppressed.length}):`, 'dim'));
    for (const f of result.suppressed) {
      out.push(
        paint(
          `  ${f.file}:${f.line}:${f.column}: ${f.severity} [${f.ruleId}] ${clean(f.message)}` +
            ` (migration-guard:ignore on line ${f.suppressed?.line}: ${clean(f.suppressed?.reason || 'no reason given')})`,
          'dim',
        ),
      );
    }
    out.push('');
  }

  out.push(summaryLine(result, paint));
  // Only when a snapshot is in use: without one, each affected finding already says the size is unknown.
  if (result.basis?.snapshot) {
    out.push(paint(clean(result.basis.statistics), 'dim'));
  }
  return out.join('\n');
}

/** "2 high, 3 warning, 0 info (1 suppressed) in 4 files checked" */
export function summaryLine(
  result: CheckResult,
  paint: (text: string, ...styles: Style[]) => string = (t) => t,
): string {
  const c = countBySeverity(result.findings);
  const n = result.files.length;
  const parts = [
    paint(`${c.high} high`, ...(c.high ? (['bold', 'red'] as Style[]) : [])),
    paint(`${c.warning} warning`, ...(c.warning ? (['bold', 'yellow'] as Style[]) : [])),
    `${c.info} info`,
  ];
  const suppressed = result.suppressed.length ? ` (${result.suppressed.length} suppressed)` : '';
  return `${parts.join(', ')}${suppressed} in ${n} ${n === 1 ? 'file' : 'files'} checked`;
}

function sourceLines(f: Finding, paint: (text: string, ...styles: Style[]) => string): string[] {
  if (!f.statementText) return [];
  const lines = f.statementText.split(/\r?\n/).map(clean);
  const shown = lines.slice(0, SOURCE_LINES);
  const width = String(f.line + shown.length - 1).length;
  const gutter = (n?: number) =>
    paint(`    ${n === undefined ? ''.padStart(width) : String(n).padStart(width)} |`, 'dim');
  // The statement starts at f.column; what precedes it on its line is not in the finding.
  const first = ' '.repeat(Math.max(0, f.column - 1)) + shown[0];
  const underline = Math.max(1, [...shown[0].trimEnd()].length);
  const out = [
    `${gutter(f.line)} ${first}`,
    `${gutter()} ${' '.repeat(Math.max(0, f.column - 1))}${paint('^' + '~'.repeat(underline - 1), 'green')}`,
  ];
  shown.slice(1).forEach((l, i) => out.push(`${gutter(f.line + i + 1)} ${l}`));
  if (lines.length > shown.length) {
    const more = lines.length - shown.length;
    out.push(`${gutter()} ${paint(`... (${more} more ${more === 1 ? 'line' : 'lines'})`, 'dim')}`);
  }
  return out;
}

function explanation(f: Finding, paint: (text: string, ...styles: Style[]) => string): string[] {
  const out: string[] = [];
  const label = (name: string) => paint(`${name}:`, 'bold');
  const alt = f.safeAlternative;
  if (alt) {
    out.push(`  ${paint('instead:', 'bold', 'green')} ${clean(alt.summary)}`);
    if (alt.sql) for (const l of alt.sql.split(/\r?\n/)) out.push(`      ${clean(l)}`);
    for (const n of alt.notes ?? []) out.push(`  ${label('note')} ${clean(n)}`);
  }
  if (f.severityReasons.length) out.push(`  ${label('severity')} ${clean(f.severityReasons.join('; '))}`);
  for (const a of f.assumptions) out.push(`  ${label('assumed')} ${clean(a)}`);
  const production = productionLine(f);
  if (production) out.push(`  ${label('production')} ${clean(production)}`);
  if (f.note) out.push(`  ${label('team note')} ${clean(f.note)}`);
  return out;
}

/** Control characters from a migration file must not reach the terminal (escape sequences). */
function clean(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\x00-\x08\x0b-\x1f\x7f\x9b]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
