/** Shapes shared by the GitHub app's modules. */
import type { ProbotOctokit } from 'probot';

/** The authenticated client Probot gives each event (`context.octokit`), or one built alike. */
export type GitHubClient = ProbotOctokit;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The pull request as one run of the pipeline sees it. */
export interface PullRequestRef extends RepoRef {
  number: number;
  headSha: string;
  baseSha: string;
}

/** Minimal structured logger (pino's signature); Probot's `context.log` is one. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLog: Log = { info() {}, warn() {}, error() {}, debug() {} };

/** Counts the GitHub API requests a run makes (each page of a paginated listing is one). */
export class RequestCounter {
  total = 0;
  readonly byRoute: Record<string, number> = {};

  add(route: string, n = 1): void {
    this.total += n;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + n;
  }

  /** Runs one request, counted under `route` (counted also when it fails). */
  async track<T>(route: string, request: () => Promise<T>): Promise<T> {
    this.add(route);
    return request();
  }
}

/** HTTP status of an Octokit RequestError, else undefined. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** One line naming a failed GitHub request or another error, safe to show and log (no headers). */
export function describeError(error: unknown): string {
  const status = statusOf(error);
  const e = error as { message?: string; request?: { method?: string; url?: string } } | null;
  const message = (e?.message ?? String(error)).split('\n')[0];
  if (status !== undefined && e?.request?.method && e.request.url) {
    const url = e.request.url.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '');
    return `GitHub API ${e.request.method} ${url} failed with ${status}: ${message}`;
  }
  return message;
}
