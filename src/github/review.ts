/**
 * Inline review comments: one per finding at or above `warning` that lies in the pull request's
 * diff, posted together as one review (`event: COMMENT`), idempotently.
 *
 * Each comment starts with a hidden marker `<!-- migration-guard:finding <fingerprint> -->`. The
 * fingerprint (ack.ts `findingFingerprints`) hashes the rule id, the file and the statement's
 * normalized text (not its line), so it survives edits that move the statement. On every run the existing review comments are read:
 *  - a finding whose fingerprint already has a comment is not commented again (redelivery,
 *    synchronize and re-runs add nothing twice);
 *  - a comment whose finding is gone is edited, once, to say it was resolved in the head commit
 *    (a second marker `<!-- migration-guard:resolved <sha> -->` records that);
 *  - a finding that comes back after its comment was marked resolved gets a new comment.
 */
import { LOCK_MODE_SQL, blockedBy, describeBlocking, effectiveModes, type LockMode } from '../analysis/locks';
import type { AnalyzedStatement } from '../analysis/types';
import type { CheckResult } from '../check/engine';
import type { Finding } from '../check/finding';
import { ruleById } from '../rules';
import { severityRank } from '../rules/rule';
import { findingFingerprints } from '../check/fingerprint';
import { inline } from '../report/markdown';
import { anchorFor, parsePatch, type CommentAnchor } from './diff';
import type { GitHubClient, PullRequestRef, RequestCounter } from './types';
import { productionLine } from '../context/severity';

export const FINDING_MARKER_PREFIX = '<!-- migration-guard:finding ';
const FINDING_MARKER = /^<!-- migration-guard:finding ([0-9a-f]{16,64}) -->/;
const RESOLVED_MARKER = /<!-- migration-guard:resolved ([0-9a-f]+) -->/;
/** Comments per review; more findings in the diff are left to the check run (and said so). */
export const MAX_REVIEW_COMMENTS = 100;
/** GitHub refuses comment bodies over 65,536 characters; stay well below. */
const MAX_BODY = 60_000;

/** Findings that get an inline comment when they lie in the diff. */
export function isCommentable(f: Finding): boolean {
  return severityRank(f.severity) >= severityRank('warning');
}

/**
 * A stable id per finding: `findingFingerprints` of src/check/fingerprint.ts (sha256 of rule id, file and the
 * statement's whitespace-collapsed text; identical repeats numbered), so that a comment, the
 * check run's blocking list and an acknowledgement name a finding the same way.
 */
export function fingerprints(findings: readonly Finding[]): Map<Finding, string> {
  const ids = findingFingerprints(findings);
  return new Map(findings.map((f, i) => [f, ids[i]]));
}

export interface ExistingComment {
  id: number;
  body: string;
  fingerprint: string;
  /** Commit in which it was marked resolved, when it was. */
  resolvedIn?: string;
}

/** Our previous comments on the pull request (all pages): bot comments that start with the marker. */
export async function listOurComments(
  octokit: GitHubClient,
  pr: Pick<PullRequestRef, 'owner' | 'repo' | 'number'>,
  requests: RequestCounter,
): Promise<ExistingComment[]> {
  const out: ExistingComment[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  for await (const page of pages) {
    requests.add('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments');
    for (const c of page.data) {
      const m = FINDING_MARKER.exec(c.body ?? '');
      // Only the app's own comments (a person quoting the marker is not us).
      if (!m || c.user?.type !== 'Bot') continue;
      const resolved = RESOLVED_MARKER.exec(c.body);
      out.push({
        id: c.id,
        body: c.body,
        fingerprint: m[1],
        ...(resolved ? { resolvedIn: resolved[1] } : {}),
      });
    }
  }
  return out;
}

export interface NewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

export interface ReviewPlan {
  comments: NewComment[];
  /** Findings in the diff that already have a comment. */
  alreadyCommented: number;
  /** Commentable findings outside the diff: in the check run only. */
  outsideDiff: number;
  /** Findings in the diff beyond MAX_REVIEW_COMMENTS. */
  overflow: number;
  /** Previous comments whose finding is gone, with their new body. */
  resolve: { id: number; body: string }[];
}

export interface ReviewFile {
  path: string;
  patch?: string;
  /** The file's decoded text at the head commit (for suggestions). */
  text?: string;
}

export function planReview(
  result: CheckResult,
  files: readonly ReviewFile[],
  existing: readonly ExistingComment[],
  headSha: string,
): ReviewPlan {
  const byPath = new Map(files.map((f) => [f.path, { ...f, hunks: parsePatch(f.patch) }]));
  const ids = fingerprints(result.findings);
  const current = new Set<string>();
  const open = new Set(existing.filter((c) => !c.resolvedIn).map((c) => c.fingerprint));
  const plan: ReviewPlan = { comments: [], alreadyCommented: 0, outsideDiff: 0, overflow: 0, resolve: [] };

  for (const f of result.findings) {
    if (!isCommentable(f)) continue;
    const id = ids.get(f)!;
    current.add(id);
    const file = byPath.get(f.file);
    const anchor = file ? anchorFor(file.hunks, f.line, f.endLine) : undefined;
    if (!anchor) {
      plan.outsideDiff++;
      continue;
    }
    if (open.has(id)) {
      plan.alreadyCommented++;
      continue;
    }
    if (plan.comments.length >= MAX_REVIEW_COMMENTS) {
      plan.overflow++;
      continue;
    }
    const statement = statementOf(result, f);
    const suggestion = file?.text !== undefined ? suggestionFor(f, file.text, anchor) : undefined;
    const body = commentBody(f, id, statement, suggestion);
    plan.comments.push(
      anchor.kind === 'range' && anchor.startLine < anchor.line
        ? {
            path: f.file,
            start_line: anchor.startLine,
            start_side: 'RIGHT',
            line: anchor.line,
            side: 'RIGHT',
            body,
          }
        : { path: f.file, line: anchor.line, side: 'RIGHT', body },
    );
  }

  const short = headSha.slice(0, 7);
  for (const c of existing) {
    if (c.resolvedIn || current.has(c.fingerprint)) continue;
    plan.resolve.push({ id: c.id, body: resolvedBody(c, headSha, short) });
  }
  return plan;
}

/** Posts the plan: one review with the new comments, then the edits of resolved ones. */
export async function publishReview(
  octokit: GitHubClient,
  pr: PullRequestRef,
  plan: ReviewPlan,
  requests: RequestCounter,
): Promise<void> {
  if (plan.comments.length) {
    const n = plan.comments.length;
    const extra: string[] = [];
    if (plan.overflow) extra.push(`${plan.overflow} more in the diff`);
    if (plan.outsideDiff) extra.push(`${plan.outsideDiff} outside the diff`);
    const body =
      `**Migration Guard** found ${n} ${n === 1 ? 'problem' : 'problems'} on lines of this change.` +
      (extra.length ? ` See the **Migration Guard** check run for the others (${extra.join(', ')}).` : '');
    await requests.track('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', () =>
      octokit.rest.pulls.createReview({
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
        commit_id: pr.headSha,
        event: 'COMMENT',
        body,
        comments: plan.comments,
        // Not idempotent: a retried POST after a lost response would post the review twice. The
        // markers make the next run post whatever is missing instead.
        request: { retries: 0 },
      }),
    );
  }
  for (const r of plan.resolve) {
    await requests.track('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', () =>
      octokit.rest.pulls.updateReviewComment({
        owner: pr.owner,
        repo: pr.repo,
        comment_id: r.id,
        body: r.body,
      }),
    );
  }
}

/** The analyzed statement a finding is about (same file and start), when there is one. */
export function statementOf(result: CheckResult, f: Finding): AnalyzedStatement | undefined {
  const file = result.analysis.files.find((x) => x.path === f.file);
  return file?.statements.find((s) => s.line === f.line && s.column === f.column);
}

/**
 * The statement's lines rewritten with `finding.fix`, when the comment covers exactly those
 * lines and the file's text at the finding's span is the statement's: the text before the
 * statement's start column on its first line and after its end column on its last line (the
 * terminating `;`, a trailing comment) is kept.
 */
export function suggestionFor(f: Finding, text: string, anchor: CommentAnchor): string | undefined {
  if (f.fix === undefined || !f.statementText) return undefined;
  // A comment on only part of the statement cannot replace it.
  if (anchor.kind !== 'range' || anchor.startLine !== f.line || anchor.line !== f.endLine) return undefined;
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (f.endLine > lines.length) return undefined;
  const first = [...lines[f.line - 1]];
  const last = [...lines[f.endLine - 1]];
  const prefix = first.slice(0, f.column - 1).join('');
  const suffix = last.slice(f.endColumn).join('');
  // What lies between is the statement: check it, so a stale position never rewrites other code.
  const covered =
    f.line === f.endLine
      ? first.slice(f.column - 1, f.endColumn).join('')
      : [
          first.slice(f.column - 1).join(''),
          ...lines.slice(f.line, f.endLine - 1),
          last.slice(0, f.endColumn).join(''),
        ].join('\n');
  if (covered !== f.statementText.replace(/\r\n/g, '\n')) return undefined;
  return `${prefix}${f.fix.replace(/\r\n/g, '\n')}${suffix}`;
}

export function commentBody(
  f: Finding,
  fingerprint: string,
  statement: AnalyzedStatement | undefined,
  suggestion: string | undefined,
): string {
  const parts: string[] = [`${FINDING_MARKER_PREFIX}${fingerprint} -->`, headline(f)];
  const happens = whatHappens(f, statement);
  if (happens) parts.push(`**What happens:** ${happens}`);
  // How big it is in production comes right after what happens: it is what decides the risk.
  const production = productionLine(f);
  if (production) parts.push(`**In production:** ${inline(production)}`);
  const why = ruleById(f.ruleId)?.meta.docs.why;
  if (why) parts.push(`**Why it matters:** ${why}`);
  const alt = f.safeAlternative;
  if (alt) {
    parts.push(`**Instead:** ${inline(alt.summary)}`);
    if (alt.sql) parts.push(fence(alt.sql, 'sql'));
  }
  const bullets = [
    ...(alt?.notes ?? []).map(inline),
    ...f.severityReasons.map((r) => `Severity: ${inline(r)}`),
    ...f.assumptions.map((a) => `Assumed: ${inline(a)}`),
    ...(f.note ? [`**Team note:** ${inline(f.note)}`] : []),
  ];
  if (bullets.length) parts.push(bullets.map((b) => `- ${b}`).join('\n'));
  const tail =
    suggestion !== undefined
      ? `**Suggested change** (this statement, rewritten):\n\n${fence(suggestion, 'suggestion')}`
      : '';
  let body = parts.join('\n\n');
  const room = MAX_BODY - tail.length - 40;
  if (body.length > room) body = `${body.slice(0, Math.max(0, room))}\n\n_(cut)_`;
  return tail ? `${body}\n\n${tail}` : body;
}

function headline(f: Finding): string {
  return `**${f.severity}** · \`${f.ruleId}\` · ${inline(f.message)}`;
}

/** Locks (what they block, how long), rewrites and scans of the statement, in a few sentences. */
export function whatHappens(f: Finding, s: AnalyzedStatement | undefined): string {
  const sentences: string[] = [];
  const byRelation = new Map<string, { modes: LockMode[]; kind: string }>();
  for (const l of s?.locks ?? []) {
    const entry = byRelation.get(l.relation) ?? { modes: [], kind: l.kind };
    entry.modes.push(l.mode);
    byRelation.set(l.relation, entry);
  }
  if (f.lock && f.relation && !byRelation.has(f.relation)) {
    byRelation.set(f.relation, { modes: [f.lock], kind: 'table' });
  }
  // The locks that hold up traffic (writes, or reads too) are named; weaker ones only counted.
  const locks: string[] = [];
  let weak = 0;
  let unnamed = 0;
  const relations = [...byRelation.keys()].sort((a, b) => (a === f.relation ? -1 : b === f.relation ? 1 : 0));
  for (const r of relations) {
    const { modes, kind } = byRelation.get(r)!;
    for (const m of effectiveModes(modes)) {
      if (!blockedBy(m).writes && r !== f.relation) weak++;
      else if (locks.length >= 4) unnamed++;
      else locks.push(`\`${LOCK_MODE_SQL[m]}\` on \`${r}\` (${kind}): ${describeBlocking(m)}`);
    }
  }
  if (locks.length) {
    const more = [
      ...(unnamed ? [`${unnamed} more that block writes`] : []),
      ...(weak
        ? [`${weak} weaker ${weak === 1 ? 'lock' : 'locks'} that block neither reads nor writes`]
        : []),
    ];
    sentences.push(`takes ${locks.join('; ')}${more.length ? ` (and ${more.join(', ')})` : ''}.`);
  }
  if (s?.rewrites.length) {
    sentences.push(
      `Rewrites ${names(s.rewrites)} (every row copied, every index rebuilt): the locks last as long as that takes, which grows with the table.`,
    );
  } else if (s?.scans.length) {
    sentences.push(`Reads every row of ${names(s.scans)} while holding the locks.`);
  }
  if (locks.length && s) {
    const t = s.transaction;
    if (t.inTransaction) {
      sentences.push(
        t.wrappedByTool
          ? 'The locks are **held until COMMIT** of the transaction the migration tool runs this file in, behind every later statement of it.'
          : 'The locks are **held until COMMIT**: the statement runs inside the file’s transaction, behind every later statement of it.',
      );
    } else {
      sentences.push('The locks are held until the statement finishes (it runs outside a transaction).');
    }
  }
  if (!sentences.length) return '';
  const subject = s ? `\`${oneLine(s.summary)}\`` : 'This statement';
  return `${subject} ${sentences.join(' ')}`;
}

function resolvedBody(c: ExistingComment, headSha: string, short: string): string {
  const rest = c.body.replace(FINDING_MARKER, '').trim();
  const first = rest.split('\n')[0] ?? '';
  return [
    `${FINDING_MARKER_PREFIX}${c.fingerprint} -->`,
    `<!-- migration-guard:resolved ${headSha} -->`,
    `~~${first.replace(/~~/g, '')}~~`,
    '',
    `✅ Resolved in commit ${short}: Migration Guard no longer reports this.`,
  ].join('\n');
}

function names(list: readonly string[]): string {
  return list.map((n) => `\`${n}\``).join(', ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/`/g, "'").trim();
}

/** A fenced block with a fence longer than any backtick run inside. */
function fence(text: string, info: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${info}\n${text.replace(/\n$/, '')}\n${f}`;
}
