/**
 * The GitHub REST API double: each operation the app uses, through @octokit/rest and through a real
 * Probot app, with responses validated against GitHub's OpenAPI description; git object ids and
 * patches compared with real git where git is installed.
 */
import { createHash, createHmac, createSign, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { Probot, createNodeMiddleware } from 'probot';
import { startGitHubDouble, type GitHubDouble } from './github-double';

const APP_ID = 31337;
const INSTALLATION_ID = 77;
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

function appJwt(o: { key?: string; iss?: number; exp?: number } = {}): string {
  const nowSec = Math.floor(Date.now() / 1000);
  const part = (x: object) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({
    iat: nowSec - 30,
    exp: o.exp ?? nowSec + 540,
    iss: o.iss ?? APP_ID,
  })}`;
  const sig = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(o.key ?? keys.privateKey)
    .toString('base64url');
  return `${unsigned}.${sig}`;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
/** An @octokit/rest client of the double that does not log the errors tests provoke. */
const client = (auth: string) => new Octokit({ baseUrl: double.apiBase, auth, log: quiet });

const gitBlobSha = (content: string) =>
  createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${Buffer.byteLength(content)}\0`), Buffer.from(content)]))
    .digest('hex');

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs git in a scratch directory holding `files`; returns stdout. */
function git(files: Record<string, string>, args: string[][], env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-double-'));
  try {
    const run = (a: string[]) =>
      execFileSync('git', a, {
        cwd: dir,
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir, ...env },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    run(['init', '-q']);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    run(['add', '-A']);
    return args.map(run).join('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `git diff` hunks of two texts (what GitHub shows as `patch`). */
function gitDiff(a: string, b: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-double-diff-'));
  try {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    execFileSync('git', ['diff', '--no-index', '--no-color', 'a', 'b'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return '';
  } catch (e) {
    const out = String((e as { stdout: string }).stdout);
    return out.slice(out.indexOf('@@')).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CONFIG = 'pgVersion: 16\nrules:\n  require-lock-timeout: error\n';
const BASE_FILES: Record<string, string> = {
  'README.md': '# shop\n',
  '.github/migration-guard.yml': CONFIG,
  'db/migrations/001_init.sql': 'CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  total numeric\n);\n',
  'db/migrations/002_users.sql': [
    'CREATE TABLE users (',
    '  id bigint PRIMARY KEY,',
    '  email text NOT NULL,',
    '  name text,',
    '  created_at timestamptz',
    ');',
    '',
    'CREATE INDEX users_email_idx ON users (email);',
    '',
    '-- end',
    '',
  ].join('\n'),
};
const NEW_USERS = BASE_FILES['db/migrations/002_users.sql']
  .replace('  name text,\n', '  display_name text,\n')
  .replace('CREATE INDEX users_email_idx', 'CREATE INDEX CONCURRENTLY users_email_idx');
const ADD_COLUMN = 'SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN note text DEFAULT random()::text;\n';

let double: GitHubDouble;
let octokit: Octokit;
let token: string;
let mainSha: string;
let pr: { number: number; headSha: string; baseSha: string };

/** Violations this test expects; anything else recorded fails it. */
function takeViolations(expected: number): void {
  expect(double.violations).toHaveLength(expected);
  double.violations.length = 0;
}

beforeAll(async () => {
  double = await startGitHubDouble({
    appId: APP_ID,
    publicKeyPem: keys.publicKey,
    installationId: INSTALLATION_ID,
    validateResponses: true,
  });
  double.createRepo('acme', 'shop', { org: true });
  mainSha = double.commit('acme', 'shop', 'main', BASE_FILES, 'Initial schema');
  double.commit(
    'acme',
    'shop',
    'feature',
    {
      'db/migrations/002_users.sql': NEW_USERS,
      'db/migrations/003_add_note.sql': ADD_COLUMN,
      'db/migrations/004_a.sql': 'SELECT 1;\n',
      'db/migrations/005_b.sql': 'SELECT 2;',
      'README.md': null,
    },
    'Migrations',
  );
  pr = double.openPullRequest('acme', 'shop', {
    head: 'feature',
    base: 'main',
    user: 'alice',
    title: 'Add note',
  });
  const r = await client(appJwt()).apps.createInstallationAccessToken({
    installation_id: INSTALLATION_ID,
  });
  token = r.data.token;
  octokit = client(token);
});

afterAll(async () => {
  await double?.close();
});

afterEach(() => {
  // Valid traffic leaves no violations; tests that provoke some take them out themselves.
  const left = double.violations.splice(0);
  expect(left).toEqual([]);
});

describe('app authentication', () => {
  test('JWT for /app endpoints, verified with the public key; tokens for repositories', async () => {
    const app = client(appJwt());
    expect((await app.apps.getAuthenticated()).data).toMatchObject({ id: APP_ID, slug: 'migration-guard' });
    expect((await app.apps.getRepoInstallation({ owner: 'acme', repo: 'shop' })).data).toMatchObject({
      id: INSTALLATION_ID,
      app_id: APP_ID,
      account: { login: 'acme', type: 'Organization' },
    });
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const forged = client(appJwt({ key: other.privateKey }));
    await expect(forged.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    const wrongIssuer = client(appJwt({ iss: 1 }));
    await expect(wrongIssuer.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    const tooLong = client(appJwt({ exp: Math.floor(Date.now() / 1000) + 3600 }));
    await expect(tooLong.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    await expect(app.apps.createInstallationAccessToken({ installation_id: 1 })).rejects.toMatchObject({
      status: 404,
    });
    // The installation token works on repositories, not on /app; the JWT is the other way round.
    await expect(octokit.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    await expect(app.repos.get({ owner: 'acme', repo: 'shop' })).rejects.toMatchObject({ status: 403 });
    await expect(client('ghs_unknown').repos.get({ owner: 'acme', repo: 'shop' })).rejects.toMatchObject({
      status: 401,
    });
    expect((await octokit.repos.get({ owner: 'acme', repo: 'shop' })).data.full_name).toBe('acme/shop');
    // `Bearer <token>` is accepted as well as `token <token>`.
    const bearer = await fetch(`${double.apiBase}/repos/acme/shop`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);
    // Without the /api/v3 prefix too.
    const bare = await fetch(`${double.url}/repos/acme/shop`, {
      headers: { authorization: `token ${token}` },
    });
    expect(bare.status).toBe(200);
  });

  test('a token scoped to some repositories sees only those', async () => {
    double.createRepo('acme', 'other', { org: true });
    const app = client(appJwt());
    const scoped = await app.apps.createInstallationAccessToken({
      installation_id: INSTALLATION_ID,
      repositories: ['other'],
    });
    expect(scoped.data.repository_selection).toBe('selected');
    const scopedClient = client(scoped.data.token);
    await expect(scopedClient.repos.get({ owner: 'acme', repo: 'shop' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      app.apps.createInstallationAccessToken({
        installation_id: INSTALLATION_ID,
        permissions: { administration: 'write' },
      }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe('repository contents and git data', () => {
  test('config file through the contents API, JSON and raw; 404 when absent', async () => {
    const json = await octokit.repos.getContent({
      owner: 'acme',
      repo: 'shop',
      path: '.github/migration-guard.yml',
    });
    const file = json.data as { type: string; content: string; encoding: string; sha: string };
    expect(file).toMatchObject({ type: 'file', encoding: 'base64', sha: gitBlobSha(CONFIG) });
    expect(Buffer.from(file.content, 'base64').toString()).toBe(CONFIG);
    const raw = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: 'acme',
      repo: 'shop',
      path: '.github/migration-guard.yml',
      ref: 'feature',
      mediaType: { format: 'raw' },
    });
    expect(raw.data).toBe(CONFIG);
    expect(raw.headers['content-type']).not.toBe('application/json; charset=utf-8');
    await expect(
      octokit.repos.getContent({ owner: 'acme', repo: 'shop', path: '.github/none.yml' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.repos.getContent({ owner: 'acme', repo: '.github', path: '.github/migration-guard.yml' }),
    ).rejects.toMatchObject({ status: 404 });
    const dir = await octokit.repos.getContent({ owner: 'acme', repo: 'shop', path: 'db/migrations' });
    expect((dir.data as { name: string }[]).map((e) => e.name)).toEqual(['001_init.sql', '002_users.sql']);
  });

  test('trees (recursive), blobs, commits and branches with real git object ids', async () => {
    const commit = await octokit.git.getCommit({ owner: 'acme', repo: 'shop', commit_sha: mainSha });
    expect(commit.data.message).toBe('Initial schema');
    const tree = await octokit.git.getTree({
      owner: 'acme',
      repo: 'shop',
      tree_sha: commit.data.tree.sha,
      recursive: '1',
    });
    expect(tree.data.truncated).toBe(false);
    expect(tree.data.tree.map((e) => `${e.type} ${e.path}`)).toEqual([
      'tree .github',
      'blob .github/migration-guard.yml',
      'blob README.md',
      'tree db',
      'tree db/migrations',
      'blob db/migrations/001_init.sql',
      'blob db/migrations/002_users.sql',
    ]);
    const flat = await octokit.git.getTree({ owner: 'acme', repo: 'shop', tree_sha: 'main' });
    expect(flat.data.tree.map((e) => e.path)).toEqual(['.github', 'README.md', 'db']);
    const entry = tree.data.tree.find((e) => e.path === 'db/migrations/001_init.sql');
    expect(entry?.sha).toBe(gitBlobSha(BASE_FILES['db/migrations/001_init.sql']));
    const blob = await octokit.git.getBlob({ owner: 'acme', repo: 'shop', file_sha: entry?.sha as string });
    expect(Buffer.from(blob.data.content, 'base64').toString()).toBe(
      BASE_FILES['db/migrations/001_init.sql'],
    );
    if (hasGit) {
      // Same tree and commit ids as git computes for the same files, author and dates.
      expect(git(BASE_FILES, [['write-tree']]).trim()).toBe(commit.data.tree.sha);
      const date = `${Date.parse(commit.data.author.date as string) / 1000} +0000`;
      const who = {
        GIT_AUTHOR_NAME: 'Test Author',
        GIT_AUTHOR_EMAIL: 'author@example.com',
        GIT_AUTHOR_DATE: date,
      };
      const env = {
        ...who,
        GIT_COMMITTER_NAME: who.GIT_AUTHOR_NAME,
        GIT_COMMITTER_EMAIL: who.GIT_AUTHOR_EMAIL,
        GIT_COMMITTER_DATE: date,
      };
      const sha = git(
        BASE_FILES,
        [
          ['commit', '-q', '--no-gpg-sign', '-m', 'Initial schema'],
          ['rev-parse', 'HEAD'],
        ],
        env,
      );
      expect(sha.trim()).toBe(mainSha);
    }
    const rest = await octokit.repos.getCommit({ owner: 'acme', repo: 'shop', ref: pr.headSha });
    expect(rest.data.parents.map((p) => p.sha)).toEqual([mainSha]);
    expect(rest.data.files?.map((f) => `${f.status} ${f.filename}`)).toEqual([
      'removed README.md',
      'modified db/migrations/002_users.sql',
      'added db/migrations/003_add_note.sql',
      'added db/migrations/004_a.sql',
      'added db/migrations/005_b.sql',
    ]);
    const branch = await octokit.repos.getBranch({ owner: 'acme', repo: 'shop', branch: 'feature' });
    expect(branch.data.commit.sha).toBe(pr.headSha);
    await expect(
      octokit.repos.getBranch({ owner: 'acme', repo: 'shop', branch: 'nope' }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('pull requests', () => {
  test('the pull request, its files with git patches, paginated with Link headers', async () => {
    const { data } = await octokit.pulls.get({ owner: 'acme', repo: 'shop', pull_number: pr.number });
    expect(data).toMatchObject({
      number: pr.number,
      state: 'open',
      user: { login: 'alice' },
      head: { ref: 'feature', sha: pr.headSha },
      base: { ref: 'main', sha: pr.baseSha },
      changed_files: 5,
      commits: 1,
    });
    const page1 = await octokit.pulls.listFiles({
      owner: 'acme',
      repo: 'shop',
      pull_number: pr.number,
      per_page: 2,
    });
    expect(page1.data.map((f) => f.filename)).toEqual(['README.md', 'db/migrations/002_users.sql']);
    expect(page1.headers.link).toMatch(/page=2>; rel="next"/);
    expect(page1.headers.link).toMatch(/page=3>; rel="last"/);
    const all = await octokit.paginate(octokit.pulls.listFiles, {
      owner: 'acme',
      repo: 'shop',
      pull_number: pr.number,
      per_page: 2,
    });
    expect(all.map((f) => f.filename)).toHaveLength(5);
    const users = all.find((f) => f.filename === 'db/migrations/002_users.sql');
    expect(users).toMatchObject({
      status: 'modified',
      additions: 2,
      deletions: 2,
      changes: 4,
      sha: gitBlobSha(NEW_USERS),
    });
    expect(users?.patch).toBe(
      [
        '@@ -1,10 +1,10 @@',
        ' CREATE TABLE users (',
        '   id bigint PRIMARY KEY,',
        '   email text NOT NULL,',
        '-  name text,',
        '+  display_name text,',
        '   created_at timestamptz',
        ' );',
        ' ',
        '-CREATE INDEX users_email_idx ON users (email);',
        '+CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
        ' ',
        ' -- end',
      ].join('\n'),
    );
    expect(all.find((f) => f.filename === 'db/migrations/005_b.sql')?.patch).toBe(
      '@@ -0,0 +1 @@\n+SELECT 2;\n\\ No newline at end of file',
    );
    expect(all.find((f) => f.filename === 'README.md')).toMatchObject({
      status: 'removed',
      patch: '@@ -1 +0,0 @@\n-# shop',
    });
    if (hasGit) {
      // The same hunks as `git diff`.
      expect(gitDiff(BASE_FILES['db/migrations/002_users.sql'], NEW_USERS)).toBe(users?.patch);
    }
    const diff = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'acme',
      repo: 'shop',
      pull_number: pr.number,
      mediaType: { format: 'diff' },
    });
    expect(String(diff.data)).toContain(
      'diff --git a/db/migrations/003_add_note.sql b/db/migrations/003_add_note.sql\nnew file mode 100644',
    );
  });

  test('a new push moves the head: files and head SHA follow', async () => {
    const sha = double.commit(
      'acme',
      'shop',
      'feature',
      { 'db/migrations/004_a.sql': 'SELECT 10;\n' },
      'Fix',
    );
    const { data } = await octokit.pulls.get({ owner: 'acme', repo: 'shop', pull_number: pr.number });
    expect(data.head.sha).toBe(sha);
    expect(data.commits).toBe(2);
    const payload = double.payloads.pullRequest('synchronize', 'acme', 'shop', pr.number);
    expect(payload).toMatchObject({ action: 'synchronize', before: pr.headSha, after: sha });
    pr = { ...pr, headSha: sha };
  });
});

describe('check runs', () => {
  test('create, append annotations 50 at a time, list; 51 is a 422', async () => {
    const created = await octokit.checks.create({
      owner: 'acme',
      repo: 'shop',
      name: 'Migration Guard',
      head_sha: pr.headSha,
      status: 'in_progress',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: 'in_progress', conclusion: null, head_sha: pr.headSha });
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([pr.number]);
    const id = created.data.id;
    const annotations = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({
        path: 'db/migrations/003_add_note.sql',
        start_line: 2,
        end_line: 2,
        annotation_level: 'warning' as const,
        message: `finding ${from + i}`,
      }));
    const output = (n: number, from = 0) => ({
      title: 'Findings',
      summary: 'Two problems',
      annotations: annotations(n, from),
    });
    await octokit.checks.update({ owner: 'acme', repo: 'shop', check_run_id: id, output: output(50) });
    const second = await octokit.checks.update({
      owner: 'acme',
      repo: 'shop',
      check_run_id: id,
      output: output(50, 50),
      conclusion: 'failure',
    });
    expect(second.data).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { annotations_count: 100 },
    });
    await expect(
      octokit.checks.update({ owner: 'acme', repo: 'shop', check_run_id: id, output: output(51) }),
    ).rejects.toMatchObject({ status: 422 });
    takeViolations(1);
    const listed = await octokit.paginate(octokit.checks.listAnnotations, {
      owner: 'acme',
      repo: 'shop',
      check_run_id: id,
      per_page: 100,
    });
    expect(listed).toHaveLength(100);
    expect(listed[99]).toMatchObject({ message: 'finding 99', start_line: 2, annotation_level: 'warning' });
    const forRef = await octokit.checks.listForRef({ owner: 'acme', repo: 'shop', ref: 'feature' });
    expect(forRef.data.total_count).toBe(1);
    expect(forRef.data.check_runs[0].id).toBe(id);
    expect(
      (await octokit.checks.get({ owner: 'acme', repo: 'shop', check_run_id: id })).data.output.summary,
    ).toBe('Two problems');
    expect(double.state.checkRuns.find((r) => r.id === id)?.annotations).toHaveLength(100);
  });

  test('GitHub rules beyond the schema: completed needs a conclusion, the head SHA must exist', async () => {
    await expect(
      octokit.checks.create({
        owner: 'acme',
        repo: 'shop',
        name: 'x',
        head_sha: pr.headSha,
        status: 'completed',
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.checks.create({ owner: 'acme', repo: 'shop', name: 'x', head_sha: 'f'.repeat(40) }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('No commit found') });
  });
});

describe('reviews', () => {
  test('review comments on diff lines (both sides, multi-line); outside the diff is a 422', async () => {
    const review = await octokit.pulls.createReview({
      owner: 'acme',
      repo: 'shop',
      pull_number: pr.number,
      commit_id: pr.headSha,
      event: 'COMMENT',
      body: 'Migration Guard found 2 problems',
      comments: [
        { path: 'db/migrations/003_add_note.sql', line: 2, side: 'RIGHT', body: 'rewrites orders' },
        { path: 'db/migrations/002_users.sql', line: 4, side: 'LEFT', body: 'old name' },
        {
          path: 'db/migrations/002_users.sql',
          start_line: 4,
          start_side: 'RIGHT',
          line: 8,
          side: 'RIGHT',
          body: 'range',
        },
      ],
    });
    expect(review.data).toMatchObject({
      state: 'COMMENTED',
      commit_id: pr.headSha,
      user: { login: 'migration-guard[bot]', type: 'Bot' },
    });
    const comments = await octokit.paginate(octokit.pulls.listReviewComments, {
      owner: 'acme',
      repo: 'shop',
      pull_number: pr.number,
      per_page: 1,
    });
    expect(comments.map((c) => [c.path, c.line, c.side, c.start_line ?? null])).toEqual([
      ['db/migrations/003_add_note.sql', 2, 'RIGHT', null],
      ['db/migrations/002_users.sql', 4, 'LEFT', null],
      ['db/migrations/002_users.sql', 8, 'RIGHT', 4],
    ]);
    expect(comments[0].diff_hunk).toBe(
      `@@ -0,0 +1,2 @@\n+SET lock_timeout = 0;\n+${ADD_COLUMN.split('\n')[1]}`,
    );
    expect(comments[1].diff_hunk.split('\n').pop()).toBe('-  name text,');
    const outside = [
      { path: 'db/migrations/002_users.sql', line: 40, body: 'beyond the hunks' },
      { path: 'db/migrations/001_init.sql', line: 1, body: 'a file the pull request does not change' },
      {
        path: 'db/migrations/003_add_note.sql',
        line: 2,
        side: 'LEFT',
        body: 'an added file has no left side',
      },
    ];
    for (const bad of outside) {
      await expect(
        octokit.pulls.createReview({
          owner: 'acme',
          repo: 'shop',
          pull_number: pr.number,
          event: 'COMMENT',
          body: 'x',
          comments: [{ path: 'db/migrations/003_add_note.sql', line: 1, body: 'fine' }, bad],
        }),
      ).rejects.toMatchObject({ status: 422 });
    }
    // A rejected review stores nothing.
    expect(double.state.reviews).toHaveLength(1);
    expect(double.state.reviewComments).toHaveLength(3);
    const edited = await octokit.pulls.updateReviewComment({
      owner: 'acme',
      repo: 'shop',
      comment_id: comments[0].id,
      body: 'edited',
    });
    expect(edited.data.body).toBe('edited');
    expect(
      (await octokit.pulls.getReviewComment({ owner: 'acme', repo: 'shop', comment_id: comments[0].id })).data
        .body,
    ).toBe('edited');
    expect(
      (await octokit.pulls.listReviews({ owner: 'acme', repo: 'shop', pull_number: pr.number })).data,
    ).toHaveLength(1);
  });
});

describe('more of the API an app may use', () => {
  test('single review comments and replies, pending reviews, commits, comparisons, suites', async () => {
    const base = { owner: 'acme', repo: 'shop' };
    const single = await octokit.pulls.createReviewComment({
      ...base,
      pull_number: pr.number,
      commit_id: pr.headSha,
      path: 'db/migrations/004_a.sql',
      line: 1,
      body: 'one',
    });
    expect(single.status).toBe(201);
    await expect(
      octokit.pulls.createReviewComment({
        ...base,
        pull_number: pr.number,
        commit_id: pr.headSha,
        path: 'db/migrations/004_a.sql',
        line: 9,
        body: 'outside',
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('Validation Failed') });
    const reply = await octokit.pulls.createReplyForReviewComment({
      ...base,
      pull_number: pr.number,
      comment_id: single.data.id,
      body: 'two',
    });
    expect(reply.data).toMatchObject({
      in_reply_to_id: single.data.id,
      path: 'db/migrations/004_a.sql',
      line: 1,
    });
    const pending = await octokit.pulls.createReview({
      ...base,
      pull_number: pr.number,
      comments: [{ path: 'db/migrations/004_a.sql', line: 1, body: 'draft' }],
    });
    expect(pending.data.state).toBe('PENDING');
    const inReview = await octokit.pulls.listCommentsForReview({
      ...base,
      pull_number: pr.number,
      review_id: pending.data.id,
    });
    expect(inReview.data.map((c) => c.body)).toEqual(['draft']);
    const submitted = await octokit.pulls.submitReview({
      ...base,
      pull_number: pr.number,
      review_id: pending.data.id,
      event: 'REQUEST_CHANGES',
      body: 'please fix',
    });
    expect(submitted.data.state).toBe('CHANGES_REQUESTED');
    await octokit.pulls.updateReview({
      ...base,
      pull_number: pr.number,
      review_id: pending.data.id,
      body: 'fixed?',
    });
    const dismissed = await octokit.pulls.dismissReview({
      ...base,
      pull_number: pr.number,
      review_id: pending.data.id,
      message: 'superseded',
    });
    expect(dismissed.data.state).toBe('DISMISSED');
    expect(
      (await octokit.pulls.getReview({ ...base, pull_number: pr.number, review_id: pending.data.id })).data
        .body,
    ).toBe('fixed?');
    expect((await octokit.pulls.deleteReviewComment({ ...base, comment_id: reply.data.id })).status).toBe(
      204,
    );

    const commits = await octokit.pulls.listCommits({ ...base, pull_number: pr.number });
    expect(commits.data.map((c) => c.commit.message)).toEqual(['Migrations', 'Fix']);
    const open = await octokit.pulls.list({ ...base, head: 'acme:feature' });
    expect(open.data.map((p) => p.number)).toEqual([pr.number]);
    const forCommit = await octokit.repos.listPullRequestsAssociatedWithCommit({
      ...base,
      commit_sha: pr.headSha,
    });
    expect(forCommit.data.map((p) => p.number)).toEqual([pr.number]);
    const compare = await octokit.repos.compareCommitsWithBasehead({ ...base, basehead: 'main...feature' });
    expect(compare.data).toMatchObject({
      status: 'ahead',
      ahead_by: 2,
      behind_by: 0,
      merge_base_commit: { sha: mainSha },
    });
    expect(compare.data.files?.map((f) => f.filename)).toHaveLength(5);
    const ref = await octokit.git.getRef({ ...base, ref: 'heads/feature' });
    expect(ref.data.object.sha).toBe(pr.headSha);
    expect((await octokit.issues.get({ ...base, issue_number: pr.number })).data.pull_request).toBeDefined();

    const suites = await octokit.checks.listSuitesForRef({ ...base, ref: pr.headSha });
    expect(suites.data.total_count).toBe(1);
    const suiteId = suites.data.check_suites[0].id;
    expect((await octokit.checks.getSuite({ ...base, check_suite_id: suiteId })).data.head_sha).toBe(
      pr.headSha,
    );
    expect(
      (await octokit.checks.listForSuite({ ...base, check_suite_id: suiteId })).data.total_count,
    ).toBeGreaterThan(0);
    expect((await octokit.checks.rerequestSuite({ ...base, check_suite_id: suiteId })).status).toBe(201);
    expect(double.state.checkSuites[0].rerequests).toBe(1);
    expect((await octokit.rateLimit.get()).data.rate.limit).toBe(5000);
  });
});

describe('issue comments, reactions, permissions, teams', () => {
  test('comments on the pull request: create, list, edit, react, delete', async () => {
    const base = { owner: 'acme', repo: 'shop' };
    const c = await octokit.issues.createComment({ ...base, issue_number: pr.number, body: 'Summary' });
    expect(c.status).toBe(201);
    expect(c.data).toMatchObject({ body: 'Summary', user: { login: 'migration-guard[bot]' } });
    await octokit.issues.updateComment({ ...base, comment_id: c.data.id, body: 'Summary v2' });
    expect((await octokit.issues.getComment({ ...base, comment_id: c.data.id })).data.body).toBe(
      'Summary v2',
    );
    const list = await octokit.issues.listComments({ ...base, issue_number: pr.number });
    expect(list.data.map((x) => x.id)).toEqual([c.data.id]);
    const r1 = await octokit.reactions.createForIssueComment({
      ...base,
      comment_id: c.data.id,
      content: 'eyes',
    });
    const r2 = await octokit.reactions.createForIssueComment({
      ...base,
      comment_id: c.data.id,
      content: 'eyes',
    });
    expect([r1.status, r2.status]).toEqual([201, 200]);
    await expect(
      octokit.issues.createComment({ ...base, issue_number: 999, body: 'x' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.issues.createComment({ ...base, issue_number: pr.number, body: 'x'.repeat(65537) }),
    ).rejects.toMatchObject({ status: 422 });
    expect((await octokit.issues.deleteComment({ ...base, comment_id: c.data.id })).status).toBe(204);
    await expect(octokit.issues.getComment({ ...base, comment_id: c.data.id })).rejects.toMatchObject({
      status: 404,
    });
  });

  test('collaborator permission levels and team membership', async () => {
    double.setPermission('acme', 'shop', 'bob', 'maintain');
    double.setPermission('acme', 'shop', 'carol', 'read');
    const perm = (username: string) =>
      octokit.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'shop', username });
    expect((await perm('bob')).data).toMatchObject({ permission: 'write', role_name: 'maintain' });
    expect((await perm('carol')).data).toMatchObject({ permission: 'read', role_name: 'read' });
    expect((await perm('alice')).data).toMatchObject({ permission: 'none' });
    await expect(perm('nobody-at-all')).rejects.toMatchObject({ status: 404 });
    double.addTeamMember('acme', 'dba', 'carol');
    expect((await octokit.orgs.checkMembershipForUser({ org: 'acme', username: 'carol' })).status).toBe(204);
    const member = await octokit.teams.getMembershipForUserInOrg({
      org: 'acme',
      team_slug: 'dba',
      username: 'carol',
    });
    expect(member.data).toMatchObject({ role: 'member', state: 'active' });
    await expect(
      octokit.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'dba', username: 'bob' }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('OpenAPI validation and failure injection', () => {
  test('requests that break GitHub’s description are rejected and recorded', async () => {
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        owner: 'acme',
        repo: 'shop',
        name: 'x',
        head_sha: pr.headSha,
        status: 'bogus' as 'queued', // deliberately outside the enum
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/no-such-thing', { owner: 'acme', repo: 'shop' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
        owner: 'acme',
        repo: 'shop',
        pull_number: pr.number,
        per_page: 'many' as unknown as number, // deliberately not an integer
      }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'shop',
        pull_number: pr.number,
        refs: 'typo',
      }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      octokit.request('PATCH /repos/{owner}/{repo}/check-runs', { owner: 'acme', repo: 'shop' }),
    ).rejects.toMatchObject({ status: 404 });
    const messages = double.violations.map((v) => `${v.kind}: ${v.message}`);
    expect(messages).toEqual([
      expect.stringMatching(
        /^body: checks\/create: Invalid request.*body\.status must be equal to one of the allowed values/s,
      ),
      expect.stringMatching(/^route: no operation .* GET \/repos\/acme\/shop\/no-such-thing/),
      expect.stringMatching(/^query: pulls\/list-files: .*per_page must be integer/),
      expect.stringMatching(/^query: .*unknown query parameter "refs"/),
      expect.stringMatching(/^route: PATCH is not an operation on \/repos\/acme\/shop\/check-runs/),
    ]);
    takeViolations(5);
  });

  test('failNext: a 502 once, secondary and primary rate limits', async () => {
    const created = await octokit.checks.create({
      owner: 'acme',
      repo: 'shop',
      name: 'retry',
      head_sha: pr.headSha,
    });
    double.failNext({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 502 });
    const update = () =>
      octokit.checks.update({
        owner: 'acme',
        repo: 'shop',
        check_run_id: created.data.id,
        conclusion: 'success',
      });
    await expect(update()).rejects.toMatchObject({ status: 502 });
    expect((await update()).data.conclusion).toBe('success');
    const patches = double.requests.filter(
      (r) => r.operationId === 'checks/update' && r.path.endsWith(`/${created.data.id}`),
    );
    expect(patches.map((r) => [r.status, r.injected ?? false])).toEqual([
      [502, true],
      [200, false],
    ]);
    double.failNext({ path: /\/pulls\/\d+\/files$/, status: 403, headers: { 'retry-after': '1' } });
    const secondary = await octokit.pulls
      .listFiles({ owner: 'acme', repo: 'shop', pull_number: pr.number })
      .catch((e) => e);
    expect(secondary).toMatchObject({ status: 403, response: { headers: { 'retry-after': '1' } } });
    expect(secondary.message).toMatch(/secondary rate limit/);
    double.failNext({
      path: /\/pulls\/\d+$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0' },
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const primary = await octokit.pulls
        .get({ owner: 'acme', repo: 'shop', pull_number: pr.number })
        .catch((e) => e);
      expect(primary).toMatchObject({ status: 403, response: { headers: { 'x-ratelimit-remaining': '0' } } });
      expect(Number(primary.response.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    expect((await octokit.pulls.get({ owner: 'acme', repo: 'shop', pull_number: pr.number })).status).toBe(
      200,
    );
  });
});

describe('webhooks', () => {
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        received.push({ headers: req.headers, body, url: req.url ?? '' });
        const expected = `sha256=${createHmac('sha256', 'hush').update(body).digest('hex')}`;
        const got = String(req.headers['x-hub-signature-256']);
        const ok = got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
        res.writeHead(ok ? 200 : 400).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  test('signed deliveries of payloads that agree with the double', async () => {
    const payload = double.payloads.pullRequest('opened', 'acme', 'shop', pr.number);
    expect(
      await double.sendWebhook(receiverUrl, 'pull_request', payload, { secret: 'hush', deliveryId: 'd-1' }),
    ).toBe(200);
    expect(
      await double.sendWebhook(receiverUrl, 'pull_request', payload, {
        secret: 'hush',
        forgeSignature: true,
      }),
    ).toBe(400);
    const first = received[0];
    expect(first.url).toBe('/api/github/webhooks');
    expect(first.headers).toMatchObject({ 'x-github-event': 'pull_request', 'x-github-delivery': 'd-1' });
    const body = JSON.parse(first.body);
    expect(body).toMatchObject({
      action: 'opened',
      number: pr.number,
      installation: { id: INSTALLATION_ID },
      repository: { full_name: 'acme/shop', owner: { login: 'acme' } },
      organization: { login: 'acme' },
      sender: { login: 'alice' },
      pull_request: {
        head: { sha: pr.headSha, ref: 'feature' },
        base: { ref: 'main' },
        user: { login: 'alice' },
      },
    });
    expect(JSON.stringify(body)).not.toContain('api.github.com/repos');

    const comment = double.payloads.issueComment(
      'acme',
      'shop',
      pr.number,
      'bob',
      '/migration-guard recheck',
    );
    expect(comment).toMatchObject({
      action: 'created',
      issue: { number: pr.number, pull_request: {} },
      sender: { login: 'bob' },
    });
    const commentId = (comment.comment as { id: number }).id;
    // The commented comment exists in the double: the app can react to it.
    expect(
      (
        await octokit.reactions.createForIssueComment({
          owner: 'acme',
          repo: 'shop',
          comment_id: commentId,
          content: '+1',
        })
      ).status,
    ).toBe(201);

    const run = double.state.checkRuns[0];
    const rerun = double.payloads.checkRunRerequested('acme', 'shop', run.id, 'bob');
    expect(rerun).toMatchObject({
      action: 'rerequested',
      check_run: {
        id: run.id,
        head_sha: run.headSha,
        check_suite: { id: run.checkSuiteId, head_sha: run.headSha },
      },
    });
    const suite = double.payloads.checkSuiteRerequested('acme', 'shop', run.headSha);
    expect(suite).toMatchObject({
      action: 'rerequested',
      check_suite: { id: run.checkSuiteId, head_branch: 'feature' },
    });
  });
});

describe('with a real Probot app (GitHub Enterprise URL layout)', () => {
  test('webhook → JWT → installation token → config (repo, then org .github) → files → check run', async () => {
    const probot = new Probot({
      appId: APP_ID,
      privateKey: keys.privateKey,
      secret: 'probot-secret',
      baseUrl: double.apiBase,
      logLevel: 'fatal',
    });
    const seen: { config: unknown; files: string[] }[] = [];
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on('pull_request.opened', async (context) => {
          const config = await context.config('migration-guard.yml');
          const files = await context.octokit.paginate(
            context.octokit.rest.pulls.listFiles,
            context.pullRequest({ per_page: 2 }),
          );
          seen.push({ config, files: files.map((f) => f.filename) });
          await context.octokit.rest.checks.create(
            context.repo({
              name: 'probot check',
              head_sha: context.payload.pull_request.head.sha,
              conclusion: 'neutral',
            }),
          );
        });
      },
      { probot },
    );
    const server = createServer((req, res) => middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      double.createRepo('acme', '.github', { org: true });
      double.commit('acme', '.github', 'main', { '.github/migration-guard.yml': 'pgVersion: 15\n' });
      double.createRepo('acme', 'plain', { org: true });
      double.commit('acme', 'plain', 'main', { 'x.sql': 'SELECT 1;\n' });
      double.commit('acme', 'plain', 'topic', { 'y.sql': 'SELECT 2;\n' });
      const plainPr = double.openPullRequest('acme', 'plain', { head: 'topic', base: 'main', user: 'alice' });
      const deliveries: [string, number][] = [
        ['shop', pr.number],
        ['plain', plainPr.number],
      ];
      for (const [repo, number] of deliveries) {
        const payload = double.payloads.pullRequest('opened', 'acme', repo, number);
        expect(await double.sendWebhook(appUrl, 'pull_request', payload, { secret: 'probot-secret' })).toBe(
          200,
        );
      }
      expect(
        await double.sendWebhook(
          appUrl,
          'pull_request',
          double.payloads.pullRequest('opened', 'acme', 'shop', pr.number),
          {
            secret: 'wrong',
          },
        ),
      ).toBe(400);
      expect(seen).toEqual([
        {
          config: { pgVersion: 16, rules: { 'require-lock-timeout': 'error' } },
          files: expect.arrayContaining(['db/migrations/003_add_note.sql']),
        },
        { config: { pgVersion: 15 }, files: ['y.sql'] },
      ]);
      expect(
        double.state.checkRuns.filter((r) => r.name === 'probot check').map((r) => r.conclusion),
      ).toEqual(['neutral', 'neutral']);
      // Probot used the Enterprise layout and exchanged its JWT for a token.
      const ops = double.requests.slice(-12).map((r) => r.operationId);
      expect(ops).toContain('apps/create-installation-access-token');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('timings', () => {
  test('start-up (with the OpenAPI load) and validation cost per request', async () => {
    const t0 = performance.now();
    const second = await startGitHubDouble({ appId: APP_ID, publicKeyPem: keys.publicKey });
    const warmStart = performance.now() - t0;
    await second.close();
    const n = 200;
    const before = { ...double.stats };
    const t1 = performance.now();
    for (let i = 0; i < n; i++)
      await octokit.pulls.get({ owner: 'acme', repo: 'shop', pull_number: pr.number });
    const perRequest = (performance.now() - t1) / n;
    const validation = (double.stats.validationMs - before.validationMs) / n;
    const responseValidation = (double.stats.responseValidationMs - before.responseValidationMs) / n;
    process.stdout.write(
      `github-double: first start ${double.stats.startMs.toFixed(0)} ms (OpenAPI load ${double.stats.openApiLoadMs.toFixed(0)} ms), ` +
        `second start ${warmStart.toFixed(1)} ms; validator compilation so far ${double.stats.validatorCompileMs().toFixed(0)} ms; ` +
        `pulls.get round trip ${perRequest.toFixed(2)} ms, request validation ${(validation * 1000).toFixed(0)} µs, ` +
        `response validation ${(responseValidation * 1000).toFixed(0)} µs per request\n`,
    );
    expect(validation).toBeLessThan(5);
  });
});
