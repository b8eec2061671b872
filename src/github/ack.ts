/**
 * Acknowledgements: `/migration-ack <reason>` on a pull request lets a trusted reviewer accept the
 * blocking findings of the head commit, turning the Migration Guard check run green.
 *
 * There is no local state. Everything is rebuilt from GitHub:
 *
 *   - the check run of a commit carries, in its `output.text`, the fingerprints of its blocking
 *     findings: `<!-- migration-guard:blocking ["fp1","fp2"] -->` (see `blockingMarker`);
 *   - an accepted acknowledgement is recorded by the app's reply on the pull request, whose first
 *     line is `<!-- migration-guard:ack {"by":…,"commentId":…,"reason":…,"fingerprints":[…],"sha":…} -->`;
 *   - `currentAck` lists the pull request's comments, keeps the app's unedited ack replies, checks
 *     that each one's original `/migration-ack` comment still exists unchanged, and returns the
 *     newest one whose fingerprints cover every blocking finding.
 *
 * User-facing description: docs/acknowledge.md.
 */
import type { Context } from 'probot';
import type { Finding } from '../check/finding';
import { ConfigError, type Config } from '../config';
import { CONFIG_PATH, loadRepoConfig } from './config';
import { findingFingerprint, findingFingerprints } from '../check/fingerprint';
import { RequestCounter, statusOf, type GitHubClient, type Log, type RepoRef } from './types';

/** `context.octokit`. */
export type Octokit = GitHubClient;
export type { RepoRef };

export interface Ack {
  /** Login of the person who acknowledged. */
  user: string;
  reason: string;
  /** The `/migration-ack` comment. */
  commentUrl: string;
  commentId: number;
  /** Fingerprints of the findings the acknowledgement covers (`findingFingerprints`). */
  acknowledged: string[];
}

/** The check run this module reads and updates (the pull-request flow creates it). */
export const CHECK_RUN_NAME = 'Migration Guard';
export const ACK_COMMAND = '/migration-ack';

const FINGERPRINT = /^[0-9a-f]{16,64}$/;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

// ---------------------------------------------------------------------------------------------
// Fingerprints

// The fingerprints acknowledgements bind to are the check engine's (one implementation for SARIF,
// review comments and acks).
export { findingFingerprint, findingFingerprints };

// ---------------------------------------------------------------------------------------------
// Markers (hidden HTML comments). JSON inside them has < > & escaped, so `-->` never occurs in it.

function markerJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const BLOCKING_MARKER = /<!-- migration-guard:blocking (\[[^\]\n]*\]) -->/g;
const LABELS_MARKER = /<!-- migration-guard:blocking-labels (\{[^\n]*?\}) -->/g;
const ACK_MARKER = /^<!-- migration-guard:ack (\{.*\}) -->$/;

/**
 * The block the pull-request flow writes into the check run's `output.text` (anywhere, once):
 *
 *   <!-- migration-guard:blocking ["fp1","fp2"] -->
 *   <!-- migration-guard:blocking-labels {"fp1":"rule-id at file:line",…} -->
 *
 * The first line is the contract; the second is optional and only makes replies readable.
 * All blocking findings are listed, acknowledged or not; `[]` when there are none.
 */
export function blockingMarker(blocking: readonly Finding[]): string {
  const fingerprints = findingFingerprints(blocking);
  const labels: Record<string, string> = {};
  fingerprints.forEach((fp, i) => (labels[fp] = findingLabel(blocking[i])));
  return (
    `<!-- migration-guard:blocking ${markerJson(fingerprints)} -->\n` +
    `<!-- migration-guard:blocking-labels ${markerJson(labels)} -->`
  );
}

function findingLabel(f: Finding): string {
  return `${f.ruleId} at ${f.file}:${f.line}`;
}

/**
 * The blocking fingerprints of a check run's text; undefined when the marker is absent, malformed
 * or present more than once (finding text quoted in the output must not be able to forge it).
 */
export function parseBlockingMarker(text: string | null | undefined): string[] | undefined {
  const matches = [...(text ?? '').matchAll(BLOCKING_MARKER)];
  if (matches.length !== 1) return undefined;
  const list = parseJson(matches[0][1]);
  if (!Array.isArray(list) || !list.every((fp) => typeof fp === 'string' && FINGERPRINT.test(fp))) {
    return undefined;
  }
  return [...new Set(list as string[])];
}

function parseLabels(text: string | null | undefined): Record<string, string> {
  const matches = [...(text ?? '').matchAll(LABELS_MARKER)];
  const labels = matches.length === 1 ? parseJson(matches[0][1]) : undefined;
  const out: Record<string, string> = {};
  if (labels && typeof labels === 'object' && !Array.isArray(labels)) {
    for (const [fp, label] of Object.entries(labels)) {
      if (FINGERPRINT.test(fp) && typeof label === 'string') out[fp] = label;
    }
  }
  return out;
}

/** What the app's ack reply records. `fingerprints` is null while the head's check had not completed. */
export interface AckRecord {
  by: string;
  commentId: number;
  reason: string;
  fingerprints: string[] | null;
  /** The pull request's head commit when the acknowledgement was made. */
  sha: string;
}

export function ackMarker(r: AckRecord): string {
  const { by, commentId, reason, fingerprints, sha } = r;
  return `<!-- migration-guard:ack ${markerJson({ by, commentId, reason, fingerprints, sha })} -->`;
}

/** The record in an ack reply: its first line, and only there. */
export function parseAckMarker(body: string | null | undefined): AckRecord | undefined {
  const first = (body ?? '').split('\n', 1)[0].replace(/\r$/, '');
  const m = ACK_MARKER.exec(first);
  const r = m ? parseJson(m[1]) : undefined;
  if (!r || typeof r !== 'object') return undefined;
  const { by, commentId, reason, fingerprints, sha } = r as Record<string, unknown>;
  if (typeof by !== 'string' || !by) return undefined;
  if (typeof commentId !== 'number' || !Number.isSafeInteger(commentId) || commentId <= 0) return undefined;
  if (typeof reason !== 'string' || !reason.trim()) return undefined;
  if (typeof sha !== 'string' || !SHA.test(sha)) return undefined;
  if (
    fingerprints !== null &&
    !(Array.isArray(fingerprints) && fingerprints.every((f) => typeof f === 'string' && FINGERPRINT.test(f)))
  ) {
    return undefined;
  }
  return { by, commentId, reason, fingerprints: fingerprints as string[] | null, sha };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The command

/**
 * `/migration-ack <reason>` on the comment's first line (case-insensitive command; leading blank
 * lines and spaces ignored). undefined: not a command; 'missing-reason': the command without one.
 */
export function parseAckCommand(
  body: string | null | undefined,
): { reason: string } | 'missing-reason' | undefined {
  const first = (body ?? '').trimStart().split(/\r?\n/, 1)[0].trim();
  const m = /^\/migration-ack(?:\s+(.*))?$/i.exec(first);
  if (!m) return undefined;
  const reason = (m[1] ?? '').trim();
  return reason ? { reason } : 'missing-reason';
}

/** "Acknowledged by @user: reason" — for the check run's summary. */
export function describeAck(ack: Pick<Ack, 'user' | 'reason'>): string {
  return `Acknowledged by @${ack.user}: ${inline(ack.reason, 1000)}`;
}

// ---------------------------------------------------------------------------------------------
// currentAck

type IssueComment = Awaited<ReturnType<Octokit['rest']['issues']['listComments']>>['data'][number];
type CheckRun = Awaited<ReturnType<Octokit['rest']['checks']['listForRef']>>['data']['check_runs'][number];

/**
 * The acknowledgement that covers these blocking findings on this pull request, rebuilt from
 * GitHub: the newest valid ack reply of the app whose fingerprints include every fingerprint of
 * `blocking` (`findingFingerprints`). undefined when there are no blocking findings or no such ack.
 *
 * An ack reply counts when it is by a bot, unedited, carries a well-formed record on its first line,
 * and its original comment still exists on this pull request, by the recorded user, with the same
 * `/migration-ack` reason (a deleted comment revokes the ack; an edit that changes it does too).
 * The permission decision recorded when the ack was made is kept, not re-checked.
 *
 * A record made before the head's check had completed (`fingerprints: null`) covers the findings of
 * its commit: `blocking` itself while that commit is still the pull request's head, afterwards the
 * blocking list of that commit's completed check run.
 */
export async function currentAck(
  octokit: Octokit,
  repo: RepoRef,
  pull: number,
  blocking: Finding[],
  log?: Log,
): Promise<Ack | undefined> {
  const wanted = findingFingerprints(blocking);
  if (wanted.length === 0) return undefined;
  const comments: IssueComment[] = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: pull,
    per_page: 100,
  });
  const candidates = comments
    .filter((c) => c.user?.type === 'Bot' && c.updated_at === c.created_at)
    .map((c) => ({ comment: c, record: parseAckMarker(c.body) }))
    .filter((c): c is { comment: IssueComment; record: AckRecord } => c.record !== undefined)
    .sort((a, b) => b.comment.created_at.localeCompare(a.comment.created_at) || b.comment.id - a.comment.id);

  let head: Promise<string> | undefined;
  const headSha = () =>
    (head ??= octokit.rest.pulls.get({ ...repo, pull_number: pull }).then((r) => r.data.head.sha));
  const commitBlocking = new Map<string, Promise<string[] | undefined>>();
  const blockingOf = (sha: string) => {
    let p = commitBlocking.get(sha);
    if (!p) {
      p = findCheckRun(octokit, repo, sha).then((s) => (s.kind === 'completed' ? s.blocking : undefined));
      commitBlocking.set(sha, p);
    }
    return p;
  };

  for (const { comment, record } of candidates) {
    const skip = (why: string) =>
      log?.debug({ ackReplyId: comment.id, commentId: record.commentId, by: record.by, why }, 'ack skipped');
    let fingerprints = record.fingerprints;
    if (fingerprints === null) {
      if ((await headSha()) === record.sha) fingerprints = wanted;
      else fingerprints = (await blockingOf(record.sha)) ?? null;
      if (fingerprints === null) {
        skip('made before its commit was checked, and that commit is neither the head nor checked');
        continue;
      }
    }
    const covered = new Set(fingerprints);
    if (!wanted.every((fp) => covered.has(fp))) {
      skip('does not cover every blocking finding');
      continue;
    }
    const original = await originalComment(octokit, repo, record.commentId);
    if (!original) {
      skip('original comment deleted');
      continue;
    }
    if (!original.issue_url.endsWith(`/issues/${pull}`)) {
      skip('original comment is on another issue');
      continue;
    }
    if (original.user?.login.toLowerCase() !== record.by.toLowerCase()) {
      skip('original comment is by someone else');
      continue;
    }
    const command = parseAckCommand(original.body);
    if (typeof command !== 'object' || command.reason !== record.reason) {
      skip('original comment edited');
      continue;
    }
    return {
      user: record.by,
      reason: record.reason,
      commentUrl: original.html_url,
      commentId: record.commentId,
      acknowledged: [...fingerprints],
    };
  }
  return undefined;
}

async function originalComment(octokit: Octokit, repo: RepoRef, id: number) {
  try {
    return (await octokit.rest.issues.getComment({ ...repo, comment_id: id })).data;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return undefined;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The check run of a commit

type CheckRunState =
  | { kind: 'none' }
  | { kind: 'pending'; run: CheckRun }
  | { kind: 'unreadable'; run: CheckRun }
  | { kind: 'completed'; run: CheckRun; blocking: string[]; labels: Record<string, string> };

/**
 * The newest `Migration Guard` check run of a commit that is still running or carries the blocking
 * marker (a completed run without it, e.g. a CI job of the same name, is only reported when there
 * is nothing else).
 */
async function findCheckRun(octokit: Octokit, repo: RepoRef, sha: string): Promise<CheckRunState> {
  const runs: CheckRun[] = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...repo,
    ref: sha,
    check_name: CHECK_RUN_NAME,
    per_page: 100,
  });
  const relevant = runs
    .filter((r) => r.name === CHECK_RUN_NAME && r.head_sha === sha)
    .sort((a, b) => b.id - a.id);
  for (const run of relevant) {
    if (run.status !== 'completed') return { kind: 'pending', run };
    const blocking = parseBlockingMarker(run.output.text);
    if (blocking) return { kind: 'completed', run, blocking, labels: parseLabels(run.output.text) };
  }
  return relevant.length ? { kind: 'unreadable', run: relevant[0] } : { kind: 'none' };
}

const ACK_SUMMARY_SEPARATOR = '<!-- migration-guard:ack-summary -->';
const ACK_TITLE_SUFFIX = / \(acknowledged by @[^)]*\)$/;

/** Conclusion success; title and summary say who acknowledged and why; the original text is kept. */
async function markAcknowledged(
  octokit: Octokit,
  repo: RepoRef,
  run: CheckRun,
  ack: { user: string; reason: string; commentUrl: string; count: number },
): Promise<void> {
  const title = (run.output.title || CHECK_RUN_NAME).replace(ACK_TITLE_SUFFIX, '');
  const summary = (run.output.summary ?? '').split(`\n\n${ACK_SUMMARY_SEPARATOR}`)[0];
  const covers = `${ack.count} blocking finding${ack.count === 1 ? '' : 's'}`;
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: run.id,
    status: 'completed',
    conclusion: 'success',
    output: {
      title: `${title} (acknowledged by @${ack.user})`,
      summary: truncate(
        `${summary}\n\n${ACK_SUMMARY_SEPARATOR}\n**✓ ${describeAck(ack)}** ([comment](${ack.commentUrl}); covers ${covers}).`,
        65535,
      ),
      ...(run.output.text ? { text: run.output.text } : {}),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Who may acknowledge

type Level = 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin';
const RANK: Record<Level, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** The user's repository permission, from `permission` (admin/write/read/none) and `role_name`. */
async function repositoryPermission(octokit: Octokit, repo: RepoRef, username: string): Promise<Level> {
  let data;
  try {
    data = (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username })).data;
  } catch (error) {
    if (statusOf(error) === 404) return 'none';
    throw error;
  }
  const role = data.role_name;
  const perms = data.user?.permissions;
  if (data.permission === 'admin' || role === 'admin' || perms?.admin) return 'admin';
  if (role === 'maintain' || perms?.maintain) return 'maintain';
  if (data.permission === 'write' || role === 'write' || perms?.push) return 'write';
  if (role === 'triage' || perms?.triage) return 'triage';
  if (data.permission === 'read' || role === 'read' || perms?.pull) return 'read';
  return 'none';
}

/** `slug` (in the repository owner's organization) or `org/slug`. */
function teamRef(team: string, owner: string): { org: string; slug: string } {
  const t = team.replace(/^@/, '');
  const slash = t.indexOf('/');
  return slash > 0 ? { org: t.slice(0, slash), slug: t.slice(slash + 1) } : { org: owner, slug: t };
}

/** The first configured team the user is an active member of. */
async function memberTeam(
  octokit: Octokit,
  owner: string,
  teams: readonly string[],
  username: string,
  log: Log,
): Promise<string | undefined> {
  for (const team of teams) {
    const { org, slug } = teamRef(team, owner);
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username });
      if (data.state === 'active') return `${org}/${slug}`;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) continue;
      if (status === 403) {
        log.warn(
          { org, team: slug, status },
          'cannot read team membership (does the app have members:read?)',
        );
        continue;
      }
      throw error;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The webhook handler

/**
 * `issue_comment.created`: parses `/migration-ack <reason>` on a pull request and acts. Issues,
 * bots and other comments are ignored; edits and deletions never grant anything (only `created`
 * is handled, and `currentAck` re-verifies the original comment).
 */
export async function handleAckComment(context: Context<'issue_comment.created'>): Promise<void> {
  const { payload } = context;
  if (payload.action !== 'created' || !payload.issue.pull_request) return;
  const author = payload.comment.user;
  if (!author || author.type === 'Bot' || payload.sender.type === 'Bot' || author.login.endsWith('[bot]')) {
    return;
  }
  const command = parseAckCommand(payload.comment.body);
  if (command === undefined) return;

  const octokit = context.octokit;
  const repo: RepoRef = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const pull = payload.issue.number;
  const commentId = payload.comment.id;
  const user = author.login;
  const log = context.log.child({ repository: `${repo.owner}/${repo.repo}`, pull, commentId, user });
  const reply = (body: string) => octokit.rest.issues.createComment({ ...repo, issue_number: pull, body });
  const react = async (content: '+1' | '-1' | 'confused') => {
    try {
      await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
    } catch (error) {
      log.warn({ status: statusOf(error), content }, 'could not react to the ack comment');
    }
  };

  if (command === 'missing-reason') {
    log.info({ outcome: 'missing-reason' }, 'migration-ack without a reason');
    await reply(
      `@${user}: an acknowledgement needs a reason. Write \`${ACK_COMMAND} <why this migration is safe>\` ` +
        `on the first line of a new comment, for example:\n\n` +
        `    ${ACK_COMMAND} orders has 2,000 rows; the lock lasts milliseconds\n\n` +
        `The reason is recorded in the check run.`,
    );
    await react('confused');
    return;
  }
  const reason = command.reason;

  const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: pull });
  if (pr.state !== 'open') {
    log.info({ outcome: 'closed', state: pr.state }, 'migration-ack on a closed pull request');
    await reply(`@${user}: this pull request is closed; there is nothing to acknowledge.`);
    return;
  }
  const sha = pr.head.sha;

  // The same configuration the check uses: the base commit's (a pull request cannot widen who may
  // acknowledge it), else the organization's `.github` repository, else the defaults.
  let config: Config;
  try {
    config = (await loadRepoConfig(octokit, repo, pr.base.sha, new RequestCounter())).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.warn({ outcome: 'config-error', problems: error.problems.length }, 'invalid configuration');
    await reply(
      `@${user}: the acknowledgement cannot be checked because the configuration (\`${CONFIG_PATH}\`, ` +
        `read from the base branch) is invalid:\n\n\`\`\`\n${error.message}\n\`\`\`\n\nFix it there, then comment again.`,
    );
    await react('confused');
    return;
  }

  const required = config.acknowledge.permission;
  const level = await repositoryPermission(octokit, repo, user);
  let grantedBy: string = level;
  if (RANK[level] < RANK[required]) {
    const team = await memberTeam(octokit, repo.owner, config.acknowledge.teams, user, log);
    if (!team) {
      log.info({ outcome: 'refused', permission: level, required }, 'migration-ack refused');
      const teams = config.acknowledge.teams.map((t) => `\`${t}\``).join(', ');
      await reply(
        `@${user}: only people with **${required}** permission or higher on this repository` +
          (teams ? ` or members of the team${config.acknowledge.teams.length > 1 ? 's' : ''} ${teams}` : '') +
          ` can acknowledge Migration Guard findings (your permission: ${level}). ` +
          `The check stays failed; ask one of them to review the migration.`,
      );
      await react('-1');
      return;
    }
    grantedBy = `team ${team}`;
  }

  const state = await findCheckRun(octokit, repo, sha);
  const commentUrl = payload.comment.html_url;
  const short = sha.slice(0, 7);

  if (state.kind === 'unreadable') {
    log.warn({ outcome: 'unreadable-check', sha, checkRunId: state.run.id }, 'no blocking list in check run');
    await reply(
      `@${user}: the ${CHECK_RUN_NAME} check run of ${short} does not list its blocking findings ` +
        `(did it fail with an error?), so there is nothing to acknowledge yet. ` +
        `Re-run the check, then comment again.`,
    );
    await react('confused');
    return;
  }
  if (state.kind === 'completed' && state.blocking.length === 0) {
    log.info({ outcome: 'nothing-blocking', sha }, 'nothing to acknowledge');
    await reply(
      `@${user}: the ${CHECK_RUN_NAME} check of ${short} has no blocking findings; nothing to acknowledge.`,
    );
    return;
  }

  const fingerprints = state.kind === 'completed' ? state.blocking : null;
  const record: AckRecord = { by: user, commentId, reason, fingerprints, sha };
  const lines = [ackMarker(record), `✓ Acknowledged by @${user}: ${inline(reason, 5000)}`, ''];
  if (state.kind === 'completed') {
    lines.push(`Covers ${count(state.blocking.length, 'blocking finding')} of ${short}:`);
    for (const fp of state.blocking) lines.push(`- ${inline(state.labels[fp] ?? `finding ${fp}`, 300)}`);
  } else {
    lines.push(
      `The ${CHECK_RUN_NAME} check of ${short} has not completed yet: the acknowledgement is recorded ` +
        `and will apply to its blocking findings when it completes.`,
    );
  }
  lines.push(
    '',
    `It stays valid while the blocking findings stay the same; a push that adds one needs a new ` +
      `acknowledgement. To revoke it, delete [the ${ACK_COMMAND} comment](${commentUrl}) and re-run the check.`,
  );
  await reply(lines.join('\n'));
  await react('+1');
  log.info(
    {
      outcome: 'accepted',
      sha,
      grantedBy,
      fingerprints: fingerprints?.length ?? null,
      pending: !fingerprints,
    },
    'migration-ack accepted',
  );

  // A run that was in progress may have finished while we replied, without seeing the reply.
  const final = state.kind === 'completed' ? state : await findCheckRun(octokit, repo, sha);
  if (final.kind !== 'completed' || final.blocking.length === 0) return;
  if (fingerprints && !final.blocking.every((fp) => fingerprints.includes(fp))) return;
  if (final.run.conclusion === 'success' && state.kind !== 'completed') return;
  try {
    await markAcknowledged(octokit, repo, final.run, {
      user,
      reason,
      commentUrl,
      count: final.blocking.length,
    });
    log.info({ checkRunId: final.run.id, sha }, 'check run marked acknowledged');
  } catch (error) {
    log.warn({ checkRunId: final.run.id, status: statusOf(error) }, 'could not update the check run');
  }
}

// ---------------------------------------------------------------------------------------------

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** User text on one line, HTML-neutralized (no `<!--` can enter our replies), capped. */
function inline(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim().replace(/</g, '&lt;'), max);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
