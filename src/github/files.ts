/**
 * Reading migration files through the GitHub API: the pull request's changed files, the Git
 * trees of its head and base commits (paths, blob SHAs and sizes in one request each), and blob
 * contents by SHA through the shared LRU cache; sqitch plans, which order a sqitch project's files.
 */
import type { SourceFile } from '../analysis/types';
import { compareMigrationPaths, migrationPathMatcher } from '../migrations/discover';
import { orderBySqitchPlans, sqitchPlanCandidates } from '../migrations/sqitch';
import type { BlobCache } from './blob-cache';
import type { GitHubClient, PullRequestRef, RepoRef, RequestCounter } from './types';

/** Files larger than this are not fetched (a finding says so instead). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** The pull-request files API lists at most this many files. */
export const PULL_FILES_LIMIT = 3000;
/** Parallel blob requests per run (the throttling plugin limits the process as a whole). */
const BLOB_CONCURRENCY = 8;

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface PullFile {
  filename: string;
  status: FileStatus;
  /** Blob SHA of the file at the head commit (absent for some removed files). */
  sha?: string;
  /** Unified diff of the file; absent when GitHub does not show one (binary, too large). */
  patch?: string;
  previousFilename?: string;
}

export interface TreeEntry {
  path: string;
  sha: string;
  size: number;
}

export interface Tree {
  /** Files (blobs) by path; directories, submodules and symbolic-link targets are left out. */
  files: Map<string, TreeEntry>;
  /** GitHub cut the recursive listing (over 100,000 entries or 7 MB): some files are missing. */
  truncated: boolean;
}

/** All changed files of a pull request, every page. */
export async function listPullFiles(
  octokit: GitHubClient,
  pr: Pick<PullRequestRef, 'owner' | 'repo' | 'number'>,
  requests: RequestCounter,
): Promise<PullFile[]> {
  const out: PullFile[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  for await (const page of pages) {
    requests.add('GET /repos/{owner}/{repo}/pulls/{pull_number}/files');
    for (const f of page.data) {
      out.push({
        filename: f.filename,
        status: f.status as FileStatus,
        ...(f.sha ? { sha: f.sha } : {}),
        ...(f.patch !== undefined ? { patch: f.patch } : {}),
        ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
      });
    }
  }
  return out;
}

/** The pull request's migration files that exist at its head (removed files are not analyzed). */
export function pullMigrationFiles(files: readonly PullFile[], globs: readonly string[]): PullFile[] {
  const matches = migrationPathMatcher(globs);
  return files
    .filter((f) => f.status !== 'removed' && matches(f.filename))
    .sort((a, b) => compareMigrationPaths(a.filename, b.filename));
}

/** One recursive tree listing of a commit (one request, whatever the repository's size). */
export async function getTree(
  octokit: GitHubClient,
  repo: RepoRef,
  commitSha: string,
  requests: RequestCounter,
): Promise<Tree> {
  const { data } = await requests.track('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', () =>
    octokit.rest.git.getTree({ owner: repo.owner, repo: repo.repo, tree_sha: commitSha, recursive: 'true' }),
  );
  const files = new Map<string, TreeEntry>();
  for (const e of data.tree) {
    // Mode 120000 is a symbolic link: its blob is the link target's path, not SQL.
    if (e.type !== 'blob' || !e.path || !e.sha || e.mode === '120000') continue;
    files.set(e.path, { path: e.path, sha: e.sha, size: e.size ?? 0 });
  }
  return { files, truncated: !!data.truncated };
}

/** A blob's bytes (base64 in the API's JSON), through the cache. */
export async function getBlob(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  cache: BlobCache,
  requests: RequestCounter,
): Promise<Uint8Array> {
  const { content } = await cache.fetch(sha, async () => {
    const { data } = await requests.track('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', () =>
      octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha }),
    );
    return new Uint8Array(
      data.encoding === 'base64' ? Buffer.from(data.content, 'base64') : Buffer.from(data.content, 'utf8'),
    );
  });
  return content;
}

/** Contents of `entries` as source files, in the given order, at most BLOB_CONCURRENCY at a time. */
export async function fetchSources(
  octokit: GitHubClient,
  repo: RepoRef,
  entries: readonly { path: string; sha: string }[],
  cache: BlobCache,
  requests: RequestCounter,
): Promise<SourceFile[]> {
  const out: SourceFile[] = new Array(entries.length);
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      out[i] = {
        path: entries[i].path,
        content: await getBlob(octokit, repo, entries[i].sha, cache, requests),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(BLOB_CONCURRENCY, entries.length) }, worker));
  return out;
}

/**
 * A file's size and blob SHA at `ref` when a truncated tree does not list it (one contents
 * request, metadata only for files over 1 MB).
 */
export async function fileEntry(
  octokit: GitHubClient,
  repo: RepoRef,
  path: string,
  ref: string,
  requests: RequestCounter,
): Promise<TreeEntry | undefined> {
  const { data } = await requests.track('GET /repos/{owner}/{repo}/contents/{path}', () =>
    octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.repo, path, ref }),
  );
  if (Array.isArray(data) || data.type !== 'file') return undefined;
  return { path, sha: data.sha, size: data.size };
}

/**
 * The sqitch plans of `tree` that order some of `files` (a `sqitch.plan` beside a `deploy/`
 * directory one of them lies under), fetched through the cache. A plan the tree does not list
 * (none in a repository without sqitch; or beyond a truncated listing) is not asked for: no request.
 */
export function fetchSqitchPlans(
  octokit: GitHubClient,
  repo: RepoRef,
  tree: Tree,
  files: readonly { path: string }[],
  cache: BlobCache,
  requests: RequestCounter,
): Promise<SourceFile[]> {
  const plans = sqitchPlanCandidates(files.map((f) => f.path))
    .map((p) => tree.files.get(p))
    .filter((e): e is TreeEntry => e !== undefined && e.size <= MAX_FILE_BYTES);
  return fetchSources(octokit, repo, plans, cache, requests);
}

/**
 * Sorts `files` in place into deploy order: each sqitch project's deploy scripts as its plan (one
 * of `plans`) lists them, every other file where it was (see orderBySqitchPlans).
 */
export function sortBySqitchPlans(files: SourceFile[], plans: readonly SourceFile[]): void {
  if (plans.length === 0) return;
  const texts = new Map(plans.map((p) => [p.path, textOf(p.content)]));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const ordered = orderBySqitchPlans(
    files.map((f) => f.path),
    (plan) => texts.get(plan),
  );
  ordered.forEach((p, i) => (files[i] = byPath.get(p)!));
}

function textOf(content: string | Uint8Array): string {
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
}
