/**
 * Options for the Probot instance that runs the app (the entry point passes them to
 * `new Probot({ ...probotOptions(), appId, privateKey, secret })` or `createProbot`'s overrides).
 *
 * Probot's Octokit already has the retry and throttling plugins; what is chosen here:
 *
 * Throttling (@octokit/plugin-throttling)
 *  - Write spacing: mutating requests (POST, PATCH, PUT, DELETE) run one at a time per
 *    installation, at least WRITE_MIN_TIME_MS = 400 ms apart (the plugin's default is 1 s);
 *    those that notify people (review, issue comment) at least NOTIFICATION_MIN_TIME_MS = 1 s
 *    apart (default 3 s). Why: a pull-request event makes 3 writes (create the check run, post
 *    the review, complete the run), an acknowledgement 3 (reply, reaction, check run); with 1 s
 *    (and 3 s between reviews of consecutive events) a one-file pull request took ~3 s from
 *    webhook to completed check run, ~0.5 s of it work. The spacing still keeps a sustained burst
 *    inside GitHub's documented secondary limits, which are per installation: 900 points per
 *    minute with a write costing 5 points (400 ms → at most 150 writes = 750 points a minute,
 *    leaving room for reads), and 80 content-creating requests per minute (1 s → at most 60).
 *    Whatever still hits a secondary limit is retried after its `retry-after` (below). The
 *    limiters are process-wide (one per installation key, like the plugin's own), passed through
 *    the plugin's `write` and `notifications` options. With REDIS_URL (Probot's clustering) the
 *    plugin's own Redis-backed limiters and their defaults (1 s, 3 s) are kept, so that several
 *    instances share one budget. Reads are not spaced (at most 10 at a time per installation).
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
// The limiter library the throttling plugin itself uses (a dependency of probot and of the plugin).
import Bottleneck from 'bottleneck';
import { ProbotOctokit, type Options } from 'probot';

export const THROTTLE_LIMITS = {
  secondaryRetries: 3,
  secondaryMaxWaitSeconds: 300,
  primaryRetries: 1,
  primaryMaxWaitSeconds: 60,
};

/** Minimum time between the starts of two mutating requests of one installation (see above). */
export const WRITE_MIN_TIME_MS = 400;
/** Minimum time between two requests of one installation that notify people (see above). */
export const NOTIFICATION_MIN_TIME_MS = 1000;

let spacing: { write: Bottleneck.Group; notifications: Bottleneck.Group } | undefined;

/**
 * The process-wide write and notification limiters (created once: every Octokit instance, one per
 * event, must share them for the spacing to hold across events). Keyed by the throttle `id` (the
 * installation); a key idle for 2 minutes is dropped, as in the plugin's own groups.
 */
export function writeSpacing(): { write: Bottleneck.Group; notifications: Bottleneck.Group } {
  spacing ??= {
    write: new Bottleneck.Group({
      id: 'migration-guard-write',
      maxConcurrent: 1,
      minTime: WRITE_MIN_TIME_MS,
      timeout: 120_000,
    }),
    notifications: new Bottleneck.Group({
      id: 'migration-guard-notifications',
      maxConcurrent: 1,
      minTime: NOTIFICATION_MIN_TIME_MS,
      timeout: 120_000,
    }),
  };
  return spacing;
}

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
      // In-process spacing unless Probot set up Redis clustering (then the plugin's shared limiters).
      ...(throttle.enabled !== false && throttle.connection === undefined ? writeSpacing() : {}),
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
