/**
 * The GitHub App: event registrations only; the work is in plain modules (pull-request.ts and the
 * modules it uses) that take an Octokit instance and plain data.
 *
 *   pull_request.opened / reopened / synchronize → check the pull request at its head
 *   check_run.rerequested (our check run only)   → check its pull requests again
 *   check_suite.rerequested                       → check its pull requests again
 *   issue_comment.created                         → acknowledgements (ack.ts)
 *
 * Every handler logs one structured line when it starts and one when it ends, with the delivery
 * id, event, repository, pull request and duration (the pipeline adds its request count and
 * phase timings). Payloads, tokens and request headers are never logged.
 */
import type { Context, Probot } from 'probot';
import { currentAck, handleAckComment } from './ack';
import { sharedBlobCache } from './blob-cache';
import { CHECK_NAME } from './check-run';
import { checkPullRequest, type PipelineDeps } from './pull-request';
import { KeyedQueue } from './queue';
import { describeError, type GitHubClient, type Log, type PullRequestRef } from './types';

export type AppDeps = Omit<PipelineDeps, 'log'>;

/** One queue per process: runs for the same pull request never interleave. */
const sharedQueue = new KeyedQueue();

export function defaultDeps(): AppDeps {
  return { blobCache: sharedBlobCache, queue: sharedQueue, currentAck };
}

export default function migrationGuard(app: Probot): void {
  registerMigrationGuard(app, defaultDeps());
}

/** The same app with other dependencies (tests: a fresh cache, a stub acknowledgement lookup). */
export function createMigrationGuard(overrides: Partial<AppDeps> = {}): (app: Probot) => void {
  return (app) => registerMigrationGuard(app, { ...defaultDeps(), ...overrides });
}

type PullRequestEvent = 'pull_request.opened' | 'pull_request.reopened' | 'pull_request.synchronize';

export function registerMigrationGuard(app: Probot, deps: AppDeps): void {
  app.on(
    ['pull_request.opened', 'pull_request.reopened', 'pull_request.synchronize'],
    async (context: Context<PullRequestEvent>) => {
      const pull = context.payload.pull_request;
      const ref: PullRequestRef = {
        ...context.repo(),
        number: pull.number,
        headSha: pull.head.sha,
        baseSha: pull.base.sha,
      };
      await handled(context, pull.number, async (log) => {
        await checkPullRequest(context.octokit, ref, { ...deps, log });
      });
    },
  );

  app.on('check_run.rerequested', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    const repositoryId = context.payload.repository.id;
    if (run.pull_requests.length === 0) noPullRequests(context);
    for (const p of run.pull_requests) {
      if (p.base.repo.id !== repositoryId) continue;
      await handled(context, p.number, (log) =>
        recheck(context.octokit, context.repo(), p.number, run.head_sha, deps, log),
      );
    }
  });

  app.on('check_suite.rerequested', async (context) => {
    const suite = context.payload.check_suite;
    const repositoryId = context.payload.repository.id;
    if (suite.pull_requests.length === 0) noPullRequests(context);
    for (const p of suite.pull_requests) {
      if (p.base.repo.id !== repositoryId) continue;
      await handled(context, p.number, (log) =>
        recheck(context.octokit, context.repo(), p.number, suite.head_sha, deps, log),
      );
    }
  });

  app.on('issue_comment.created', async (context) => {
    await handled(context, context.payload.issue.number, () => handleAckComment(context));
  });
}

/**
 * A re-run of the check for `headSha`: runs on the pull request's current base, only when that
 * commit is still its head (a re-run of an older commit's check has nothing left to decide: the
 * newer commit was checked by its own `synchronize` event).
 */
async function recheck(
  octokit: GitHubClient,
  repo: { owner: string; repo: string },
  number: number,
  headSha: string,
  deps: AppDeps,
  log: Log,
): Promise<void> {
  const { data } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: number });
  if (data.state !== 'open') {
    log.info({ state: data.state }, 'pull request not open: re-run skipped');
    return;
  }
  if (data.head.sha !== headSha) {
    log.info({ headSha, currentHeadSha: data.head.sha }, 'pull request moved on: re-run skipped');
    return;
  }
  await checkPullRequest(
    octokit,
    { ...repo, number, headSha: data.head.sha, baseSha: data.base.sha },
    { ...deps, log },
  );
}

/**
 * GitHub leaves pull requests from forks out of `pull_requests` in check events: such a re-run
 * is not possible from the payload (push a commit, or close and reopen the pull request).
 */
function noPullRequests(context: Context<'check_run.rerequested' | 'check_suite.rerequested'>): void {
  context.log.info(
    {
      deliveryId: context.id,
      event: `${context.name}.rerequested`,
      repo: context.payload.repository.full_name,
    },
    're-run requested for a commit without pull requests (a fork?): nothing to do',
  );
}

/** Runs a handler with a child logger carrying the delivery id, event, repository and pull request. */
async function handled(
  context: Context,
  pull: number,
  work: (log: Context['log']) => Promise<void>,
): Promise<void> {
  const payload = context.payload as { action?: string; repository?: { full_name?: string } };
  const log = context.log.child({
    deliveryId: context.id,
    event: payload.action ? `${context.name}.${payload.action}` : context.name,
    repo: payload.repository?.full_name,
    pull,
  });
  const started = Date.now();
  log.info({}, 'event received');
  try {
    await work(log);
    log.info({ durationMs: Date.now() - started }, 'event handled');
  } catch (error) {
    log.error({ durationMs: Date.now() - started, error: describeError(error) }, 'event failed');
    throw error;
  }
}
