/**
 * Options for the Probot instance that runs the app (the entry point passes them to
 * `new Probot({ ...probotOptions(), appId, privateKey, secret })` or `createProbot`'s overrides).
 *
 * Probot's Octokit already has the retry and throttling plugins; what is chosen here:
 *
 * Throttling (@octokit/plugin-throttling)
 *  - Write spacing: the plugin's own `write` limiter is kept: one mutating request (POST, PATCH,
 *    PUT, DELETE) at a time with at least 1 s between them, as GitHub asks of integrations to
 *    avoid secondary rate limits. It is keyed per installation (`id`), so one busy repository
 *    does not slow the others; reads are not spaced (at most 10 at a time per installation).
 *    A one-file pull request makes about 3 writes (create check run, review, complete).
 *  - Secondary rate limit (403/429 "secondary rate limit"): retried up to 3 times, each after the
 *    `retry-after` GitHub sends (60 s when it sends none), as long as that is at most 5 minutes.
 *    Probot's default only logs and gives up, which would leave the check run unfinished.
 *  - Primary rate limit (quota exhausted): retried once when the quota resets within 60 s;
 *    otherwise the request fails at once and the check run says so (a webhook handler must not
 *    sleep for up to an hour holding the per-pull-request queue).
 *
 * Retries (@octokit/plugin-retry) for server errors (5xx and network failures): 2 retries, 1 s
 * then 4 s later; 400, 401, 403, 404, 410, 422 and 451 are never retried (the request is wrong,
 * retrying cannot help). The review POST opts out of retries (`request.retries: 0`): it is not
 * idempotent, and the comment markers let the next run post whatever is missing.
 *
 * With REDIS_URL set, Probot gives the throttling plugin a Redis connection so that several
 * instances share the limits; the per-pull-request queue (queue.ts) is still per process.
 */
import { ProbotOctokit, type Options } from 'probot';

export const THROTTLE_LIMITS = {
  secondaryRetries: 3,
  secondaryMaxWaitSeconds: 300,
  primaryRetries: 1,
  primaryMaxWaitSeconds: 60,
};

export const RETRY_OPTIONS = {
  retries: 2,
  doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
};

interface LimitLog {
  warn(msg: string): void;
}

type LimitHandler = (
  retryAfter: number,
  options: { method?: string; url?: string },
  octokit: { log: LimitLog },
  retryCount: number,
) => boolean;

export const onSecondaryRateLimit: LimitHandler = (retryAfter, options, octokit, retryCount) => {
  const retry =
    retryCount < THROTTLE_LIMITS.secondaryRetries && retryAfter <= THROTTLE_LIMITS.secondaryMaxWaitSeconds;
  octokit.log.warn(
    `secondary rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter} s (retry ${retryCount + 1})` : 'giving up'}`,
  );
  return retry;
};

export const onRateLimit: LimitHandler = (retryAfter, options, octokit, retryCount) => {
  const retry =
    retryCount < THROTTLE_LIMITS.primaryRetries && retryAfter <= THROTTLE_LIMITS.primaryMaxWaitSeconds;
  octokit.log.warn(
    `rate limit exhausted on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter} s` : `giving up (resets in ${retryAfter} s)`}`,
  );
  return retry;
};

export type OctokitOptions = Record<string, unknown> & {
  throttle?: Record<string, unknown>;
  retry?: Record<string, unknown>;
  auth?: unknown;
};

/**
 * The options every instance is built with: Probot's (which it passes down to every instance,
 * with its own throttle handlers) plus these. The handlers here take precedence; what Probot adds
 * (a Redis connection, `enabled: false`) is kept; the limiter key is the installation.
 */
export function withMigrationGuardDefaults(instance: OctokitOptions): OctokitOptions {
  const throttle = instance.throttle ?? {};
  const installationId = (instance.auth as { installationId?: number | string } | undefined)?.installationId;
  return {
    ...instance,
    throttle: {
      ...throttle,
      onSecondaryRateLimit,
      onRateLimit,
      ...(throttle.id === undefined && installationId !== undefined ? { id: String(installationId) } : {}),
    },
    retry: { ...RETRY_OPTIONS, ...instance.retry },
  };
}

/** Probot's Octokit class with the settings above. */
export function migrationGuardOctokit(): typeof ProbotOctokit {
  return ProbotOctokit.defaults(withMigrationGuardDefaults) as typeof ProbotOctokit;
}

/** The Probot options of the app: its Octokit class (throttling and retries as documented above). */
export function probotOptions(): Pick<Options, 'Octokit'> {
  return { Octokit: migrationGuardOctokit() };
}
