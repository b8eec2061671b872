/**
 * `check --format github`: GitHub Actions workflow commands, one annotation per active finding.
 *
 *   ::error file=db/migrations/0042.sql,line=3,col=1,endLine=3,endColumn=49,title=rule-id::message
 *
 * high → error, warning → warning, info → notice. Escaping follows the runner's workflow-command
 * rules (actions/toolkit `command.ts`): in the message, % CR LF become %25 %0D %0A; in property
 * values also : and , (%3A %2C). Columns are only sent for one-line spans: the runner ignores
 * col/endColumn when line and endLine differ.
 */
import path from 'node:path';
import type { CheckResult } from '../check/engine';
import type { Finding } from '../check/finding';
import type { Severity } from '../rules/rule';
import { summaryLine } from './text';
import { productionLine } from '../context/severity';

export interface GithubOptions {
  /** Directory paths are made relative to (the repository root; default: current directory). */
  baseDir?: string;
}

const COMMAND: Record<Severity, string> = { high: 'error', warning: 'warning', info: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `file` relative to `baseDir` with forward slashes, or undefined when it lies outside it. */
export function relativeToBase(file: string, baseDir: string = process.cwd()): string | undefined {
  const base = path.resolve(baseDir);
  const relative = path.relative(base, path.resolve(base, file));
  if (
    relative === '' ||
    relative === '..' ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  ) {
    return undefined;
  }
  return relative.split(path.sep).join('/');
}

/** A finding's path as the repository sees it: relative to `baseDir`, else absolute (forward slashes). */
export function repoRelativePath(file: string, baseDir: string = process.cwd()): string {
  return relativeToBase(file, baseDir) ?? path.resolve(baseDir, file).split(path.sep).join('/');
}

export function renderGithub(result: CheckResult, options: GithubOptions = {}): string {
  const lines = result.findings.map((f) => annotation(f, options.baseDir));
  // A plain line for the log; not a command (the runner prints it as is).
  lines.push(summaryLine(result));
  return lines.join('\n');
}

function annotation(f: Finding, baseDir: string | undefined): string {
  const oneLine = f.line === f.endLine;
  const props: [string, string | number][] = [
    ['file', repoRelativePath(f.file, baseDir)],
    ['line', f.line],
  ];
  if (oneLine) props.push(['col', f.column]);
  props.push(['endLine', f.endLine]);
  if (oneLine) props.push(['endColumn', Math.max(f.column, f.endColumn)]);
  props.push(['title', f.ruleId]);
  const body = [f.message];
  const alt = f.safeAlternative;
  if (alt) {
    body.push(`Instead: ${alt.summary}`);
    if (alt.sql) body.push(alt.sql);
  }
  const production = productionLine(f);
  if (production) body.push(`Production: ${production}`);
  if (f.note) body.push(`Team note: ${f.note}`);
  const properties = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${COMMAND[f.severity]} ${properties}::${escapeData(body.join('\n'))}`;
}
