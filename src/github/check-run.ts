/**
 * The `Migration Guard` check run: created `in_progress` on the head commit when work starts,
 * completed with a conclusion, a title with counts, a Markdown summary (the `markdown` report
 * plus each file's statements and locks) and one annotation per finding at its exact lines.
 *
 * GitHub accepts at most 50 annotations per request: the completing PATCH carries the first 50,
 * further PATCHes append the rest (the run is completed first, so a failure while appending never
 * leaves it in progress). The summary stays under GitHub's 65,535-character limit.
 */
import { LOCK_MODE_SQL, effectiveModes, type LockMode } from '../analysis/locks';
import type { AnalyzedFile } from '../analysis/types';
import type { CheckResult } from '../check/engine';
import type { Finding } from '../check/finding';
import { countBySeverity } from '../report/json';
import { renderMarkdown } from '../report/markdown';
import type { Severity } from '../rules/rule';
import type { GitHubClient, RepoRef, RequestCounter } from './types';
import { productionLine } from '../context/severity';

export const CHECK_NAME = 'Migration Guard';
/** GitHub's limit on annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on `output.summary` is 65,535 characters; this leaves a margin. */
export const SUMMARY_MAX_LENGTH = 65_000;
const TITLE_MAX_LENGTH = 255;
const ANNOTATION_TEXT_MAX = 60_000;

export type Conclusion = 'success' | 'failure' | 'neutral';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  /**
   * `output.text`: the blocking findings' marker that ack.ts reads (`blockingMarker`), sent with
   * every PATCH. Absent when nothing was concluded (error runs), so nothing can be acknowledged.
   */
  text?: string;
  annotations: Annotation[];
}

const LEVEL: Record<Severity, Annotation['annotation_level']> = {
  high: 'failure',
  warning: 'warning',
  info: 'notice',
};

export async function createCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
  requests: RequestCounter,
): Promise<number> {
  const { data } = await requests.track('POST /repos/{owner}/{repo}/check-runs', () =>
    octokit.rest.checks.create({
      owner: repo.owner,
      repo: repo.repo,
      name: CHECK_NAME,
      head_sha: headSha,
      status: 'in_progress',
      started_at: new Date().toISOString(),
    }),
  );
  return data.id;
}

/**
 * Completes the run (first PATCH: conclusion and the first 50 annotations), then appends the
 * other annotations 50 at a time. Returns the error of an appending PATCH, if one failed (the run
 * is complete by then); a failure of the completing PATCH itself is thrown.
 */
export async function completeCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  conclusion: Conclusion,
  output: CheckOutput,
  requests: RequestCounter,
): Promise<unknown> {
  const batches: Annotation[][] = [];
  for (let i = 0; i < output.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(output.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const text = {
    title: output.title,
    summary: output.summary,
    ...(output.text ? { text: output.text } : {}),
  };
  const route = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}';
  await requests.track(route, () =>
    octokit.rest.checks.update({
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: checkRunId,
      status: 'completed',
      conclusion,
      completed_at: new Date().toISOString(),
      output: { ...text, ...(batches.length ? { annotations: batches[0] } : {}) },
    }),
  );
  for (const batch of batches.slice(1)) {
    try {
      await requests.track(route, () =>
        octokit.rest.checks.update({
          owner: repo.owner,
          repo: repo.repo,
          check_run_id: checkRunId,
          output: { ...text, annotations: batch },
        }),
      );
    } catch (error) {
      return error;
    }
  }
  return undefined;
}

/** One annotation per finding, at its lines (columns only for one-line spans, as GitHub wants). */
export function annotationsFor(findings: readonly Finding[]): Annotation[] {
  return findings.map((f) => {
    const oneLine = f.line === f.endLine;
    const alt = f.safeAlternative;
    const production = productionLine(f);
    const message = [
      f.message,
      ...(alt ? [`Instead: ${alt.summary}`, ...(alt.notes ?? [])] : []),
      ...f.severityReasons.map((r) => `Severity: ${r}`),
      ...f.assumptions.map((a) => `Assumed: ${a}`),
      ...(production ? [`Production: ${production}`] : []),
      ...(f.note ? [`Team note: ${f.note}`] : []),
    ].join('\n');
    return {
      path: f.file,
      start_line: f.line,
      end_line: Math.max(f.line, f.endLine),
      ...(oneLine ? { start_column: f.column, end_column: Math.max(f.column, f.endColumn) } : {}),
      annotation_level: LEVEL[f.severity],
      title: f.ruleId,
      message: cut(message, ANNOTATION_TEXT_MAX),
      ...(alt?.sql ? { raw_details: cut(alt.sql, ANNOTATION_TEXT_MAX) } : {}),
    };
  });
}

/** "2 high, 1 warning in 3 migration files"; "No findings in 1 migration file". */
export function countsTitle(findings: readonly Finding[], fileCount: number): string {
  const c = countBySeverity(findings);
  const parts = (['high', 'warning', 'info'] as const).filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  const files = `${fileCount} migration ${fileCount === 1 ? 'file' : 'files'}`;
  return parts.length ? `${parts.join(', ')} in ${files}` : `No findings in ${files}`;
}

export function title(text: string): string {
  return cut(text.replace(/\s+/g, ' '), TITLE_MAX_LENGTH);
}

/**
 * The summary: `notes` (problems, acknowledgement) first, then the `markdown` report of the
 * result (findings table and safe alternatives), then each file's statements and locks, as much
 * as fits in SUMMARY_MAX_LENGTH.
 */
export function summaryFor(notes: readonly string[], result: CheckResult | undefined): string {
  const head = notes.map((n) => cut(n, 4_000)).join('\n\n');
  if (!result) return cut(head, SUMMARY_MAX_LENGTH);
  let budget = SUMMARY_MAX_LENGTH - head.length - 4;
  // The report gets most of the room; the statements at least a little when there is some.
  const report = renderMarkdown(result, { maxLength: Math.max(1_000, Math.min(50_000, budget - 2_000)) });
  budget -= report.length + 2;
  const statements = statementsSection(result.analysis.files, budget);
  return cut([head, report.trimEnd(), statements].filter(Boolean).join('\n\n'), SUMMARY_MAX_LENGTH);
}

/** Per file, a collapsible table of statements: line, statement, locks, rewrites and scans. */
export function statementsSection(files: readonly AnalyzedFile[], maxLength: number): string {
  // Room kept for the closing "…more statements" line.
  const reserve = 120;
  if (maxLength < 400 || files.length === 0) return '';
  let out = '#### Statements and locks';
  let omitted = 0;
  for (const file of files) {
    const n = file.statements.length;
    const header = `<details>\n<summary><code>${html(file.path)}</code>: ${n} ${n === 1 ? 'statement' : 'statements'}</summary>\n\n| line | statement | locks | also |\n| --- | --- | --- | --- |`;
    const closing = '\n\n</details>';
    if (omitted || out.length + 2 + header.length + closing.length + reserve > maxLength) {
      omitted += n;
      continue;
    }
    let block = header;
    let rows = 0;
    for (const s of file.statements) {
      const row = `\n| ${s.line} | ${cell(s.summary)} | ${cell(locksOf(s.locks) || '—')} | ${cell(alsoOf(s) || '—')} |`;
      if (out.length + 2 + block.length + row.length + closing.length + reserve > maxLength) break;
      block += row;
      rows++;
    }
    omitted += n - rows;
    out += `\n\n${block}${closing}`;
  }
  if (omitted) out += `\n\n_…${omitted} more statements not shown: run \`migration-guard analyze\` for all._`;
  return out;
}

function locksOf(locks: AnalyzedFile['statements'][number]['locks']): string {
  const byRelation = new Map<string, LockMode[]>();
  for (const l of locks) byRelation.set(l.relation, [...(byRelation.get(l.relation) ?? []), l.mode]);
  return [...byRelation]
    .map(
      ([r, modes]) =>
        `${effectiveModes(modes)
          .map((m) => LOCK_MODE_SQL[m])
          .join(' + ')} on ${r}`,
    )
    .join('; ');
}

function alsoOf(s: AnalyzedFile['statements'][number]): string {
  return [
    ...(s.rewrites.length ? [`rewrites ${s.rewrites.join(', ')}`] : []),
    ...(s.scans.length ? [`reads ${s.scans.join(', ')} in full`] : []),
    ...(s.transaction.inTransaction && s.locks.length ? ['held until COMMIT'] : []),
  ].join('; ');
}

function cell(text: string): string {
  const t = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'");
  return t.length > 120 ? `\`${t.slice(0, 117)}…\`` : `\`${t}\``;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
