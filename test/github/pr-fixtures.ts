/**
 * Fixtures for the pull-request flow tests: webhook payloads built from @octokit/webhooks-examples,
 * GitHub API response bodies (Git trees, blobs, pull-request files with patches), a Probot instance
 * whose Octokit neither retries nor throttles, and a log sink.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import examples from '@octokit/webhooks-examples';
import nock from 'nock';
import pino from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createMigrationGuard, type AppDeps } from '../../src/github/app';

export const API = 'https://api.github.com';
export const TOKEN = 'ghs_TestInstallationToken0123456789';

// Payloads, response bodies and log lines are loose JSON in tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = any;

function example(name: string, action: string): Payload {
  const def = (examples as unknown as { name: string; examples: Payload[] }[]).find((e) => e.name === name);
  const found = def?.examples.find((x) => x.action === action);
  if (!found) throw new Error(`no ${name}.${action} example`);
  return structuredClone(found);
}

const base = example('pull_request', 'opened');
export const OWNER: string = base.repository.owner.login; // Codertocat
export const REPO: string = base.repository.name; // Hello-World
export const REPO_ID: number = base.repository.id;
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const INSTALLATION = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };

export interface PullSpec {
  number: number;
  head: string;
  base: string;
}

export function pullRequestPayload(action: 'opened' | 'reopened' | 'synchronize', pr: PullSpec): Payload {
  const p =
    action === 'synchronize' ? example('pull_request', 'synchronize') : example('pull_request', action);
  p.number = pr.number;
  p.pull_request.number = pr.number;
  p.pull_request.head.sha = pr.head;
  p.pull_request.base.sha = pr.base;
  p.repository = structuredClone(base.repository);
  p.installation = INSTALLATION;
  if (action === 'synchronize') {
    p.before = 'f'.repeat(40);
    p.after = pr.head;
  }
  return p;
}

export function checkRunRerequestedPayload(name: string, pr: PullSpec): Payload {
  const p = example('check_run', 'rerequested');
  p.repository = structuredClone(base.repository);
  p.installation = INSTALLATION;
  p.check_run.name = name;
  p.check_run.head_sha = pr.head;
  p.check_run.pull_requests = [pullRef(pr)];
  return p;
}

export function checkSuiteRerequestedPayload(pr: PullSpec): Payload {
  const p = example('check_suite', 'rerequested');
  p.repository = structuredClone(base.repository);
  p.installation = INSTALLATION;
  p.check_suite.head_sha = pr.head;
  p.check_suite.pull_requests = [pullRef(pr)];
  return p;
}

export function issueCommentPayload(number: number, body: string): Payload {
  const p = example('issue_comment', 'created');
  p.repository = structuredClone(base.repository);
  p.installation = INSTALLATION;
  p.issue.number = number;
  p.issue.pull_request = { url: `${API}${REPO_PATH}/pulls/${number}` };
  p.comment.body = body;
  return p;
}

function pullRef(pr: PullSpec): Json {
  const repo = { id: REPO_ID, url: `${API}${REPO_PATH}`, name: REPO };
  return {
    url: `${API}${REPO_PATH}/pulls/${pr.number}`,
    id: 279147437,
    number: pr.number,
    head: { ref: 'changes', sha: pr.head, repo },
    base: { ref: 'main', sha: pr.base, repo },
  };
}

/** `pulls.get` response for an open pull request. */
export function pullResponse(pr: PullSpec, state: 'open' | 'closed' = 'open'): Json {
  const p = structuredClone(base.pull_request);
  p.number = pr.number;
  p.state = state;
  p.head.sha = pr.head;
  p.base.sha = pr.base;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Git objects

/** The Git blob SHA of `content` (what GitHub returns for it). */
export function blobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A recursive tree listing: the files and every directory above them. */
export function treeResponse(
  commit: string,
  files: Record<string, string | { size: number; sha: string }>,
  truncated = false,
): Json {
  const dirs = new Set<string>();
  const tree: Json[] = [];
  for (const [path, content] of Object.entries(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    const sha = typeof content === 'string' ? blobSha(content) : content.sha;
    const size = typeof content === 'string' ? Buffer.byteLength(content) : content.size;
    tree.push({ path, mode: '100644', type: 'blob', sha, size, url: `${API}${REPO_PATH}/git/blobs/${sha}` });
  }
  for (const d of dirs) {
    const sha = createHash('sha1').update(`tree ${d}`).digest('hex');
    tree.push({ path: d, mode: '040000', type: 'tree', sha, url: `${API}${REPO_PATH}/git/trees/${sha}` });
  }
  tree.sort((a, b) => String(a.path).localeCompare(String(b.path)));
  return { sha: commit, url: `${API}${REPO_PATH}/git/trees/${commit}`, tree, truncated };
}

/** A blob response: base64 with a line break every 60 characters, as GitHub sends it. */
export function blobResponse(content: string): Json {
  const sha = blobSha(content);
  return {
    sha,
    node_id: `B_${sha.slice(0, 10)}`,
    size: Buffer.byteLength(content),
    url: `${API}${REPO_PATH}/git/blobs/${sha}`,
    content: Buffer.from(content, 'utf8')
      .toString('base64')
      .replace(/(.{60})/g, '$1\n'),
    encoding: 'base64',
  };
}

/** The patch of a new file: one hunk adding every line. */
export function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

/** One `pulls.listFiles` entry. */
export function pullFile(
  filename: string,
  content: string | undefined,
  options: { status?: string; patch?: string; previous_filename?: string } = {},
): Json {
  const status = options.status ?? 'added';
  const sha = content === undefined ? '0'.repeat(40) : blobSha(content);
  const patch =
    options.patch ?? (content !== undefined && status === 'added' ? addedPatch(content) : undefined);
  const lines = content?.split('\n').length ?? 0;
  return {
    sha,
    filename,
    status,
    additions: status === 'removed' ? 0 : lines,
    deletions: status === 'removed' ? lines : 0,
    changes: lines,
    blob_url: `https://github.com/${OWNER}/${REPO}/blob/${sha}/${filename}`,
    raw_url: `https://github.com/${OWNER}/${REPO}/raw/${sha}/${filename}`,
    contents_url: `${API}${REPO_PATH}/contents/${encodeURIComponent(filename)}?ref=${sha}`,
    ...(patch !== undefined ? { patch } : {}),
    ...(options.previous_filename ? { previous_filename: options.previous_filename } : {}),
  };
}

/** A review comment as `pulls.listReviewComments` returns it. */
export function reviewComment(id: number, body: string, path: string, line: number, bot = true): Json {
  return {
    id,
    node_id: `PRRC_${id}`,
    pull_request_review_id: 9000 + id,
    path,
    line,
    side: 'RIGHT',
    body,
    user: bot
      ? { login: 'migration-guard[bot]', id: 41898282, type: 'Bot' }
      : { login: 'octocat', id: 583231, type: 'User' },
    html_url: `https://github.com/${OWNER}/${REPO}/pull/1#discussion_r${id}`,
    created_at: '2026-01-05T10:00:00Z',
    updated_at: '2026-01-05T10:00:00Z',
  };
}

// ---------------------------------------------------------------------------------------------
// Probot

/**
 * No retries, no throttling. The function form: with object defaults, Probot's own throttle
 * options replace ours (a shallow merge) and re-enable the throttler.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface TestApp {
  probot: Probot;
  /** Every log line, parsed. */
  logs: Json[];
  /** Every log line as written (to check that no secret appears). */
  raw: string[];
}

export async function testApp(deps: Partial<AppDeps>): Promise<TestApp> {
  const logs: Json[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      const text = chunk.toString();
      raw.push(text);
      for (const line of text.split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const probot = new Probot({
    githubToken: TOKEN,
    Octokit: TestOctokit,
    log: pino({ level: 'debug' }, sink),
  });
  await probot.load(createMigrationGuard(deps));
  return { probot, logs, raw };
}

export function githubScope(): nock.Scope {
  return nock(API);
}

/** Records JSON bodies sent to an interceptor, and replies. */
export function recorder<T = Json>(): {
  bodies: T[];
  reply: (
    status: number,
    response: Json | Json[],
  ) => (uri: string, body: nock.Body) => [number, Json | Json[]];
} {
  const bodies: T[] = [];
  return {
    bodies,
    reply: (status, response) => (_uri, body) => {
      bodies.push(body as T);
      return [status, response];
    },
  };
}
