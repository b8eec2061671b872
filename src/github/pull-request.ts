/**
 * The pull-request pipeline: one run per event, serialized per pull request.
 *
 *   create check run (in_progress)
 *   → configuration (.github/migration-guard.yml at the base commit, else the owner's .github repo)
 *   → the PR's files (all pages) → its migration files (config globs; removed files left out)
 *   → head and base trees (one recursive listing each: sizes, blob SHAs, the base's history)
 *   → blobs by SHA (LRU cache), with the sqitch plans that order them (sqitch repositories only)
 *   → check(PR files as one change, base history)
 *   → acknowledgement of blocking findings → review comments (idempotent)
 *   → complete check run (always: try/finally)
 *
 * The conclusion is `failure` when a finding at or above `failOn` is not acknowledged, and also
 * when the pull request could not be checked (invalid configuration, GitHub errors): a migration
 * that was not read is not known to be safe. Re-running the check retries.
 */
import type { SourceFile } from '../analysis/types';
import { decodeSource, formatBytes } from '../analysis/source';
import { check, compareFindings, type CheckResult } from '../check/engine';
import { atOrAbove, type Finding } from '../check/finding';
import { ConfigError, type Config } from '../config';
import { describeBasis, productionFrom, readStats, type LoadedStats } from '../context/load';
import { StatsFileError } from '../context/stats-file';
import { selectMigrationPaths } from '../migrations/discover';
import { ruleById } from '../rules';
import { blockingMarker, describeAck } from './ack';
import type { BlobCache } from './blob-cache';
import {
  annotationsFor,
  completeCheckRun,
  countsTitle,
  createCheckRun,
  summaryFor,
  title as checkTitle,
  type CheckOutput,
  type Conclusion,
} from './check-run';
import { CONFIG_PATH, loadRepoConfig } from './config';
import {
  MAX_FILE_BYTES,
  PULL_FILES_LIMIT,
  fetchSources,
  fetchSqitchPlans,
  fileEntry,
  getTree,
  listPullFiles,
  pullMigrationFiles,
  sortBySqitchPlans,
  type PullFile,
  type TreeEntry,
} from './files';
import { pullRequestKey, type KeyedQueue } from './queue';
import { listOurComments, planReview, publishReview, type ReviewPlan } from './review';
import {
  RequestCounter,
  describeError,
  type GitHubClient,
  type Log,
  type PullRequestRef,
  type RepoRef,
} from './types';

/** What `ack.ts` answers: who acknowledged the blocking findings, why, and where. */
export interface Ack {
  user: string;
  reason: string;
  commentUrl: string;
}

export type AckLookup = (
  octokit: GitHubClient,
  repo: RepoRef,
  pull: number,
  blocking: Finding[],
) => Promise<Ack | undefined>;

export interface PipelineDeps {
  blobCache: BlobCache;
  queue: KeyedQueue;
  currentAck: AckLookup;
  log: Log;
}

export interface PipelineResult {
  checkRunId: number;
  conclusion: Conclusion;
  title: string;
  findings: number;
  blocking: number;
  acknowledgedBy?: string;
  commentsPosted: number;
  commentsResolved: number;
  requests: number;
}

/** Runs the pipeline for one pull request, after any run for the same pull request has finished. */
export function checkPullRequest(
  octokit: GitHubClient,
  pr: PullRequestRef,
  deps: PipelineDeps,
): Promise<PipelineResult> {
  return deps.queue.run(pullRequestKey(pr.owner, pr.repo, pr.number), () => runPipeline(octokit, pr, deps));
}

/**
 * Checks an open pull request again by number (its current head and base), e.g. after an
 * acknowledgement comment. Returns undefined when it is closed.
 */
export async function recheckPullRequest(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
  deps: PipelineDeps,
): Promise<PipelineResult | undefined> {
  const { data } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: number });
  if (data.state !== 'open') return undefined;
  return checkPullRequest(octokit, { ...repo, number, headSha: data.head.sha, baseSha: data.base.sha }, deps);
}

interface RunState {
  notes: string[];
  /** `output.text`: the blocking marker, once findings are known. */
  text?: string;
  conclusion: Conclusion;
  title: string;
  result?: CheckResult;
  annotations: CheckOutput['annotations'];
}

async function runPipeline(
  octokit: GitHubClient,
  pr: PullRequestRef,
  deps: PipelineDeps,
): Promise<PipelineResult> {
  const { log } = deps;
  const requests = new RequestCounter();
  const started = Date.now();
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      timings[phase] = (timings[phase] ?? 0) + Date.now() - t0;
    }
  };
  const repo: RepoRef = { owner: pr.owner, repo: pr.repo };

  const checkRunId = await timed('createCheckRun', () => createCheckRun(octokit, repo, pr.headSha, requests));
  const state: RunState = { notes: [], conclusion: 'failure', title: '', annotations: [] };
  const outcome = { blocking: 0, acknowledgedBy: undefined as string | undefined, posted: 0, resolved: 0 };

  try {
    const loaded = await timed('config', async () => {
      try {
        return await loadRepoConfig(octokit, repo, pr.baseSha, requests);
      } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
      }
    });
    if (loaded instanceof ConfigError) {
      state.title = `Invalid configuration in ${loaded.file}`;
      state.notes.push(configProblem(loaded));
      return finish();
    }
    const config = loaded.config;

    const files = await timed('listFiles', () => listPullFiles(octokit, pr, requests));
    if (files.length >= PULL_FILES_LIMIT) {
      state.notes.push(
        `⚠️ This pull request changes ${files.length} or more files: GitHub lists only the first ${PULL_FILES_LIMIT}, so migration files beyond them were not checked.`,
      );
    }
    const migrations = pullMigrationFiles(files, config.migrations.paths);
    if (migrations.length === 0) {
      state.conclusion = 'success';
      state.title = 'No migration files changed';
      state.text = blockingMarker([]);
      state.notes.unshift(
        `No file changed by this pull request matches \`migrations.paths\` (${config.migrations.paths
          .map((p) => `\`${p}\``)
          .join(', ')}).`,
      );
      return finish();
    }

    const [headTree, baseTree] = await timed('trees', () =>
      Promise.all([
        getTree(octokit, repo, pr.headSha, requests),
        getTree(octokit, repo, pr.baseSha, requests),
      ]),
    );

    // The PR's migration files: sizes from the head tree; too large → a finding, not fetched.
    const wanted: TreeEntry[] = [];
    const tooLarge: Finding[] = [];
    for (const f of migrations) {
      let entry = headTree.files.get(f.filename);
      if (!entry && headTree.truncated)
        entry = await fileEntry(octokit, repo, f.filename, pr.headSha, requests);
      if (!entry) {
        state.notes.push(
          `\`${f.filename}\` is not a regular file at the head commit (symbolic link or submodule): not checked.`,
        );
        continue;
      }
      if (entry.size > MAX_FILE_BYTES) {
        const finding = tooLargeFinding(entry, config);
        if (finding) tooLarge.push(finding);
        continue;
      }
      wanted.push(entry);
    }

    // The base branch's migrations, minus those this PR adds, changes or renames: the history. A
    // file the PR deletes stays in it: it already ran wherever the base branch is deployed.
    const changed = new Set(
      files
        .filter((f) => f.status !== 'removed')
        .flatMap((f) => [f.filename, ...(f.previousFilename ? [f.previousFilename] : [])]),
    );
    const historyEntries: TreeEntry[] = [];
    let historyTooLarge = 0;
    for (const path of selectMigrationPaths(baseTree.files.keys(), config.migrations.paths)) {
      if (changed.has(path)) continue;
      const entry = baseTree.files.get(path)!;
      if (entry.size > MAX_FILE_BYTES) historyTooLarge++;
      else historyEntries.push(entry);
    }
    if (baseTree.truncated) {
      state.notes.push(
        '⚠️ The base branch’s file tree is too large for one listing: part of the migration history may be missing (tables it creates are then assumed to exist and to be possibly large).',
      );
    }
    if (historyTooLarge) {
      state.notes.push(
        `${historyTooLarge} migration ${historyTooLarge === 1 ? 'file' : 'files'} of the history larger than ${formatBytes(MAX_FILE_BYTES)} left out of the history.`,
      );
    }

    // The statistics snapshot, from the base branch like the configuration.
    const statsPath = config.stats.file.replace(/^\.?\//, '');
    let whyNoStats = `no \`${statsPath}\` on the base branch`;
    let statsEntry = baseTree.files.get(statsPath);
    if (!statsEntry && baseTree.truncated)
      statsEntry = await fileEntry(octokit, repo, statsPath, pr.baseSha, requests);
    if (statsEntry && statsEntry.size > MAX_STATS_BYTES) {
      state.notes.push(
        `⚠️ The statistics snapshot \`${statsPath}\` is ${formatBytes(statsEntry.size)}, more than the ${formatBytes(MAX_STATS_BYTES)} the app reads: checked without it.`,
      );
      statsEntry = undefined;
      whyNoStats = `\`${statsPath}\` is too large`;
    }

    const [sources, history, statsBlob, [headPlans, basePlans]] = await timed('blobs', () =>
      Promise.all([
        fetchSources(octokit, repo, wanted, deps.blobCache, requests),
        fetchSources(octokit, repo, historyEntries, deps.blobCache, requests),
        statsEntry ? fetchSources(octokit, repo, [statsEntry], deps.blobCache, requests) : [],
        Promise.all([
          fetchSqitchPlans(octokit, repo, headTree, wanted, deps.blobCache, requests),
          fetchSqitchPlans(octokit, repo, baseTree, historyEntries, deps.blobCache, requests),
        ]),
      ]),
    );
    // sqitch deploys in the order of sqitch.plan, not by name: the pull request's files as the
    // head's plan lists them, the history as the base's does.
    sortBySqitchPlans(sources, headPlans);
    sortBySqitchPlans(history, basePlans);
    let stats: LoadedStats | undefined;
    if (statsBlob.length) {
      try {
        stats = readStats(textOfBytes(statsBlob[0].content), statsPath, config, new Date());
        for (const w of stats.warnings) state.notes.push(`⚠️ ${w}`);
      } catch (error) {
        if (!(error instanceof StatsFileError)) throw error;
        whyNoStats = `\`${statsPath}\` is invalid`;
        state.notes.push(
          `⚠️ **The statistics snapshot cannot be used** (read from the base branch: fix it there): ${error.message.replace(/\r?\n\s*/g, ' ')}. Checked without it: table sizes are unknown.`,
        );
      }
    }
    state.notes.push(describeBasis(stats, config, whyNoStats));

    const result = await timed('check', () =>
      check(sources, {
        config,
        pgVersion: config.postgresVersion,
        history,
        production: productionFrom(stats, config),
      }),
    );
    if (tooLarge.length) {
      result.findings.push(...tooLarge);
      result.findings.sort(compareFindings);
    }
    state.result = result;
    state.annotations = annotationsFor(result.findings);

    const blocking = atOrAbove(result.findings, config.failOn);
    outcome.blocking = blocking.length;
    state.text = blockingMarker(blocking);
    let ack: Ack | undefined;
    if (blocking.length) {
      try {
        ack = await timed('ack', () => deps.currentAck(octokit, repo, pr.number, blocking));
      } catch (error) {
        log.warn({ error: describeError(error) }, 'acknowledgement lookup failed');
        state.notes.push(`⚠️ Acknowledgements could not be read: ${describeError(error)}.`);
      }
    }
    const counts = countsTitle(result.findings, migrations.length);
    if (blocking.length && ack) {
      outcome.acknowledgedBy = ack.user;
      state.conclusion = 'success';
      // The same title ack.ts gives a run it marks acknowledged.
      state.title = `${counts} (acknowledged by @${ack.user})`;
      state.notes.unshift(ackNote(ack, blocking));
    } else {
      state.conclusion = blocking.length ? 'failure' : 'success';
      state.title = counts;
      if (blocking.length) {
        state.notes.unshift(
          `**${blocking.length} ${blocking.length === 1 ? 'finding' : 'findings'} at or above \`${config.failOn}\`** (\`failOn\`) block this pull request: change the migration as suggested, suppress a finding with a \`migration-guard:ignore\` comment giving the reason, or acknowledge the risk.`,
        );
      }
    }

    // Inline comments: a failure here is reported, it does not change the conclusion.
    try {
      const plan = await timed('review', async () => {
        const existing = await listOurComments(octokit, pr, requests);
        const texts = new Map(sources.map((s) => [s.path, textOf(s)]));
        const p = planReview(
          result,
          migrations.map((f: PullFile) => ({
            path: f.filename,
            patch: f.patch,
            text: texts.get(f.filename),
          })),
          existing,
          pr.headSha,
        );
        await publishReview(octokit, pr, p, requests);
        return p;
      });
      outcome.posted = plan.comments.length;
      outcome.resolved = plan.resolve.length;
      const outside = outsideNote(plan);
      if (outside) state.notes.push(outside);
    } catch (error) {
      log.warn({ error: describeError(error) }, 'review comments failed');
      state.notes.push(
        `⚠️ Inline review comments could not be posted (${describeError(error)}). Every finding is listed below; re-run the check to post them.`,
      );
    }
    return finish();
  } catch (error) {
    log.error({ error: describeError(error) }, 'pull request check failed');
    state.conclusion = 'failure';
    state.title = 'Migration Guard could not check this pull request';
    state.notes.unshift(
      `**Could not check this pull request:** ${describeError(error)}\n\nNothing was concluded about its migrations. Re-run the check to try again.`,
    );
    return finish();
  } finally {
    let checkRunCompleted = false;
    try {
      await timed('completeCheckRun', () => complete());
      checkRunCompleted = true;
    } finally {
      log.info(
        {
          headSha: pr.headSha,
          checkRunId,
          conclusion: state.conclusion,
          findings: state.result?.findings.length ?? 0,
          blocking: outcome.blocking,
          commentsPosted: outcome.posted,
          commentsResolved: outcome.resolved,
          requests: requests.total,
          requestsByRoute: requests.byRoute,
          blobCache: deps.blobCache.stats(),
          durationMs: Date.now() - started,
          timings,
        },
        checkRunCompleted ? 'check run completed' : 'check run NOT completed',
      );
    }
  }

  function finish(): PipelineResult {
    return {
      checkRunId,
      conclusion: state.conclusion,
      title: state.title,
      findings: state.result?.findings.length ?? 0,
      blocking: outcome.blocking,
      ...(outcome.acknowledgedBy ? { acknowledgedBy: outcome.acknowledgedBy } : {}),
      commentsPosted: outcome.posted,
      commentsResolved: outcome.resolved,
      requests: requests.total,
    };
  }

  /** Completes the check run; if GitHub refuses the full output, completes it with a short one. */
  async function complete(): Promise<void> {
    const output: CheckOutput = {
      title: checkTitle(state.title || 'Migration Guard'),
      summary: summaryFor(state.notes, state.result),
      ...(state.text ? { text: state.text } : {}),
      annotations: state.annotations,
    };
    try {
      const appendError = await completeCheckRun(
        octokit,
        repo,
        checkRunId,
        state.conclusion,
        output,
        requests,
      );
      if (appendError) log.warn({ error: describeError(appendError) }, 'some annotations could not be added');
    } catch (error) {
      log.error(
        { error: describeError(error) },
        'completing the check run failed; retrying with a short output',
      );
      await completeCheckRun(
        octokit,
        repo,
        checkRunId,
        state.conclusion,
        {
          title: output.title,
          summary: `The full report could not be attached (${describeError(error)}). Re-run the check for details.`,
          ...(state.text ? { text: state.text } : {}),
          annotations: [],
        },
        requests,
      );
    }
  }
}

/** A stats file larger than this is not read (a snapshot of ~20,000 tables). */
const MAX_STATS_BYTES = 20 * 1024 * 1024;

function textOfBytes(content: string | Uint8Array): string {
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
}

function textOf(source: SourceFile): string | undefined {
  const decoded = decodeSource(source.content);
  return decoded.rejected ? undefined : decoded.text;
}

/** A file the app does not fetch, reported like the engine reports a file too large to analyze. */
function tooLargeFinding(entry: TreeEntry, config: Config): Finding | undefined {
  const rule = ruleById('invalid-migration-file');
  const configured = config.rules['invalid-migration-file'];
  if (!rule || configured === 'off') return undefined;
  return {
    ruleId: rule.id,
    messageId: 'file-too-large',
    severity: configured ?? 'high',
    defaultSeverity: rule.meta.defaultSeverity,
    file: entry.path,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    message: `file is ${formatBytes(entry.size)}, larger than the ${formatBytes(MAX_FILE_BYTES)} the GitHub app reads: not analyzed [file-too-large]`,
    statementText: '',
    severityReasons: configured ? [`configured as ${configured}`] : [],
    assumptions: [],
  };
}

function configProblem(e: ConfigError): string {
  const lines = e.problems.map(
    (p) => `- ${p.line ? `line ${p.line}: ` : ''}\`${p.path}\`: ${p.message.replace(/\r?\n/g, ' ')}`,
  );
  return [
    `**Invalid configuration** in \`${e.file}\` (read from the base branch: fix it there):`,
    '',
    ...lines,
    '',
    `Nothing was checked. See \`${CONFIG_PATH}\` in the documentation for the keys and values.`,
  ].join('\n');
}

function ackNote(ack: Ack, blocking: readonly Finding[]): string {
  const shown = blocking
    .slice(0, 20)
    .map((f) => `- \`${f.file}:${f.line}\` \`${f.ruleId}\` (${f.severity}): ${oneLine(f.message)}`);
  if (blocking.length > shown.length) shown.push(`- …and ${blocking.length - shown.length} more`);
  return [
    `**✓ ${describeAck(ack)}** ([comment](${ack.commentUrl}))`,
    '',
    `The ${blocking.length === 1 ? 'finding' : `${blocking.length} findings`} that would block this pull request:`,
    ...shown,
  ].join('\n');
}

function outsideNote(plan: ReviewPlan): string | undefined {
  const parts: string[] = [];
  if (plan.outsideDiff) {
    parts.push(
      `${plan.outsideDiff} ${plan.outsideDiff === 1 ? 'finding lies' : 'findings lie'} outside the lines of the diff: listed here only`,
    );
  }
  if (plan.overflow) parts.push(`${plan.overflow} more not commented inline (too many for one review)`);
  return parts.length ? `${parts.join('; ')}.` : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
