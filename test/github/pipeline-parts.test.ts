/**
 * The pipeline's parts on their own: diff anchors, suggestions, the blob cache, the per-PR queue,
 * migration path selection, the check run's output limits, configuration loading rules, and the
 * Octokit settings (throttling and retries) against nock.
 */
import nock from 'nock';
import { Probot } from 'probot';
import { check, type CheckResult } from '../../src/check/engine';
import type { Finding } from '../../src/check/finding';
import { ConfigError, DEFAULT_CONFIG } from '../../src/config';
import { compareMigrationPaths, selectMigrationPaths } from '../../src/migrations/discover';
import { BlobCache } from '../../src/github/blob-cache';
import {
  ANNOTATIONS_PER_REQUEST,
  SUMMARY_MAX_LENGTH,
  annotationsFor,
  completeCheckRun,
  countsTitle,
  summaryFor,
} from '../../src/github/check-run';
import { parseConfig } from '../../src/github/config';
import { anchorFor, parsePatch } from '../../src/github/diff';
import { pullMigrationFiles, type PullFile } from '../../src/github/files';
import {
  RETRY_OPTIONS,
  onRateLimit,
  onSecondaryRateLimit,
  probotOptions,
  withMigrationGuardDefaults,
} from '../../src/github/options';
import { KeyedQueue, pullRequestKey } from '../../src/github/queue';
import { planReview, suggestionFor } from '../../src/github/review';
import { RequestCounter, describeError } from '../../src/github/types';
import { API, REPO_PATH, TestOctokit, TOKEN } from './pr-fixtures';

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'require-concurrent-index-creation',
    messageId: 'blocking',
    severity: 'high',
    defaultSeverity: 'high',
    file: 'db/migrations/1.sql',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    message: 'm',
    statementText: '',
    severityReasons: [],
    assumptions: [],
    ...over,
  };
}

describe('diff anchors', () => {
  const patch = [
    '@@ -1,3 +1,4 @@',
    ' a',
    '+b',
    ' c',
    ' d',
    '@@ -10,4 +11,6 @@ CREATE TABLE x',
    ' k',
    '+l',
    '+m',
    ' n',
    '-o',
    '+p',
    '+q',
    '\\ No newline at end of file',
    '@@ -30,2 +33,0 @@',
    '-gone',
    '-gone',
  ].join('\n');

  test('hunks are the new side’s line ranges; a deletion-only hunk has none', () => {
    expect(parsePatch(patch)).toEqual([
      { first: 1, last: 4 },
      { first: 11, last: 16 },
    ]);
    expect(parsePatch('@@ -1 +1 @@\n-a\n+b')).toEqual([{ first: 1, last: 1 }]);
    expect(parsePatch(undefined)).toEqual([]);
  });

  test('a span inside one hunk is commented as a range; a partial one on its last line in the diff', () => {
    const hunks = parsePatch(patch);
    expect(anchorFor(hunks, 2, 2)).toEqual({ kind: 'range', startLine: 2, line: 2 });
    expect(anchorFor(hunks, 12, 15)).toEqual({ kind: 'range', startLine: 12, line: 15 });
    // Starts before the hunk, ends inside it.
    expect(anchorFor(hunks, 8, 13)).toEqual({ kind: 'line', line: 13 });
    // Starts inside, ends after it: the hunk's last line.
    expect(anchorFor(hunks, 15, 20)).toEqual({ kind: 'line', line: 16 });
    // Spans two hunks: the last line in the diff.
    expect(anchorFor(hunks, 3, 12)).toEqual({ kind: 'line', line: 12 });
    expect(anchorFor(hunks, 5, 10)).toBeUndefined();
    expect(anchorFor(hunks, 40, 41)).toBeUndefined();
  });
});

describe('suggestions', () => {
  test('keeps the text before the start column and after the end column; multi-byte columns', () => {
    const text =
      'BEGIN;\r\n  /* é😀 */ ALTER TABLE t ADD CONSTRAINT c\r\n    CHECK (x > 0); -- note\r\nCOMMIT;\r\n';
    const f = finding({
      line: 2,
      column: 12,
      endLine: 3,
      endColumn: 17,
      statementText: 'ALTER TABLE t ADD CONSTRAINT c\r\n    CHECK (x > 0)',
      fix: 'ALTER TABLE t ADD CONSTRAINT c\n    CHECK (x > 0) NOT VALID',
    });
    expect(suggestionFor(f, text, { kind: 'range', startLine: 2, line: 3 })).toBe(
      '  /* é😀 */ ALTER TABLE t ADD CONSTRAINT c\n    CHECK (x > 0) NOT VALID; -- note',
    );
  });

  test('none when the comment covers only part of the statement, or the text moved', () => {
    const text = 'SELECT 1;\nCREATE INDEX i ON t (a);\n';
    const f = finding({
      line: 2,
      column: 1,
      endLine: 2,
      endColumn: 23,
      statementText: 'CREATE INDEX i ON t (a)',
      fix: 'X',
    });
    expect(suggestionFor(f, text, { kind: 'range', startLine: 2, line: 2 })).toBe('X;');
    expect(suggestionFor(f, text, { kind: 'line', line: 2 })).toBeUndefined();
    expect(
      suggestionFor({ ...f, line: 1, endLine: 1 }, text, { kind: 'range', startLine: 1, line: 1 }),
    ).toBeUndefined();
    expect(
      suggestionFor({ ...f, fix: undefined }, text, { kind: 'range', startLine: 2, line: 2 }),
    ).toBeUndefined();
  });
});

describe('review plan', () => {
  test('only warning and above, only in the diff; comments on a multi-line statement in one hunk are ranges', async () => {
    const sql = 'CREATE INDEX a_idx ON orders (a);\nCREATE INDEX b_idx\n  ON orders (b);\n';
    const result = await check([{ path: 'db/migrations/2.sql', content: sql }], { config: DEFAULT_CONFIG });
    const plan = planReview(
      result,
      [
        {
          path: 'db/migrations/2.sql',
          patch: '@@ -1,0 +2,2 @@\n+CREATE INDEX b_idx\n+  ON orders (b);',
          text: sql,
        },
      ],
      [],
      'c'.repeat(40),
    );
    expect(plan.outsideDiff).toBeGreaterThan(0);
    expect(plan.comments.every((c) => c.start_line === 2 && c.line === 3)).toBe(true);
    expect(plan.comments.length).toBeGreaterThan(0);
  });
});

describe('blob cache', () => {
  test('LRU bounded in bytes; concurrent fetches of one SHA share a request', async () => {
    const cache = new BlobCache(10);
    const bytes = (n: number) => new Uint8Array(n);
    cache.set('a', bytes(4));
    cache.set('b', bytes(4));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', bytes(4)); // evicts b
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a') && cache.has('c')).toBe(true);
    cache.set('huge', bytes(11)); // larger than the whole cache: not kept
    expect(cache.has('huge')).toBe(false);
    expect(cache.stats().bytes).toBe(8);

    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return bytes(2);
    };
    const [x, y] = await Promise.all([cache.fetch('d', load), cache.fetch('d', load)]);
    expect(loads).toBe(1);
    expect([x.fetched, y.fetched].sort()).toEqual([false, true]);
    expect((await cache.fetch('d', load)).fetched).toBe(false);
    expect(loads).toBe(1);
  });

  test('a failed fetch is not cached', async () => {
    const cache = new BlobCache();
    await expect(cache.fetch('e', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.fetch('e', async () => new Uint8Array(1))).fetched).toBe(true);
  });
});

describe('per pull request queue', () => {
  test('same key: one after another, even after a failure; other keys: concurrently', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const key = pullRequestKey('Acme', 'Shop', 1);
    const a = queue.run(key, task('a', 20, true));
    const b = queue.run(key, task('b', 1));
    const c = queue.run(pullRequestKey('acme', 'shop', 2), task('c', 1));
    await expect(a).rejects.toThrow('a');
    await expect(b).resolves.toBe('b');
    await expect(c).resolves.toBe('c');
    expect(events.indexOf('end a')).toBeLessThan(events.indexOf('start b'));
    expect(events.indexOf('start c')).toBeLessThan(events.indexOf('end a'));
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.size).toBe(0);
  });
});

describe('migration paths', () => {
  test('config globs, natural order, removed files left out', () => {
    const globs = DEFAULT_CONFIG.migrations.paths;
    expect(
      selectMigrationPaths(
        [
          'db/migrations/10_b.sql',
          'db/migrations/2_a.sql',
          'README.md',
          'src/x.sql',
          '.hidden/migrations/1.sql',
        ],
        globs,
      ),
    ).toEqual(['db/migrations/2_a.sql', 'db/migrations/10_b.sql']);
    expect(compareMigrationPaths('V2__a.sql', 'V10__a.sql')).toBeLessThan(0);
    const files: PullFile[] = [
      { filename: 'db/migrations/3.sql', status: 'removed' },
      { filename: 'db/migrations/10.sql', status: 'added', sha: 'x' },
      {
        filename: 'db/migrations/9.sql',
        status: 'renamed',
        sha: 'y',
        previousFilename: 'db/migrations/8.sql',
      },
      { filename: 'db/migrations.sql/readme.md', status: 'added', sha: 'z' },
      { filename: 'schema/history.sql/0001.sql', status: 'added', sha: 'w' },
    ];
    expect(pullMigrationFiles(files, [...globs, 'schema/**/*.sql']).map((f) => f.filename)).toEqual([
      'db/migrations/9.sql',
      'db/migrations/10.sql',
      'schema/history.sql/0001.sql',
    ]);
  });
});

describe('check run output', () => {
  let result: CheckResult;
  beforeAll(async () => {
    // 400 findings with long statements: more than the summary can hold.
    const sql = Array.from(
      { length: 400 },
      (_, i) => `CREATE INDEX orders_${'x'.repeat(80)}_${i}_idx ON orders (${'c'.repeat(60)}${i});`,
    ).join('\n');
    result = await check([{ path: 'db/migrations/9.sql', content: sql }], { config: DEFAULT_CONFIG });
  });

  test('the summary stays under GitHub’s limit and says what it left out', () => {
    const summary = summaryFor(['a note'], result);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(summary.length).toBeGreaterThan(40_000);
    expect(summary).toMatch(/more findings not shown|more details not shown/);
    expect(summary).toMatch(/more statements not shown/);
  });

  test('annotations: levels, columns only on one line, safe alternative SQL as raw details', () => {
    const [a] = annotationsFor([
      finding({
        severity: 'warning',
        line: 3,
        endLine: 3,
        column: 5,
        endColumn: 9,
        safeAlternative: { summary: 's', sql: 'SELECT 1;' },
      }),
    ]);
    expect(a).toMatchObject({
      annotation_level: 'warning',
      start_column: 5,
      end_column: 9,
      raw_details: 'SELECT 1;',
    });
    const [b] = annotationsFor([finding({ severity: 'info', line: 3, endLine: 4, column: 5, endColumn: 2 })]);
    expect(b).toMatchObject({ annotation_level: 'notice', start_line: 3, end_line: 4 });
    expect(b).not.toHaveProperty('start_column');
    expect(
      countsTitle([finding({}), finding({ severity: 'warning' }), finding({ severity: 'high' })], 3),
    ).toBe('2 high, 1 warning in 3 migration files');
  });

  test('completion: the run is completed first, then the rest appended 50 at a time', async () => {
    nock.disableNetConnect();
    const octokit = new TestOctokit({ auth: TOKEN });
    const bodies: unknown[] = [];
    const scope = nock(API)
      .patch(`${REPO_PATH}/check-runs/9`)
      .times(3)
      .reply((_u, body) => {
        bodies.push(body);
        return [200, {}];
      });
    const annotations = annotationsFor(result.findings).slice(0, 120);
    const error = await completeCheckRun(
      octokit,
      { owner: 'Codertocat', repo: 'Hello-World' },
      9,
      'failure',
      { title: 't', summary: 's', text: 'x', annotations },
      new RequestCounter(),
    );
    expect(error).toBeUndefined();
    expect(scope.isDone()).toBe(true);
    expect(
      bodies.map((b) => (b as { output: { annotations: unknown[] } }).output.annotations.length),
    ).toEqual([ANNOTATIONS_PER_REQUEST, ANNOTATIONS_PER_REQUEST, 20]);
    expect(bodies[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { text: 'x' } });
    nock.cleanAll();
    nock.enableNetConnect();
  });
});

describe('configuration', () => {
  test('_extends is reported with its line rather than ignored', () => {
    expect(() =>
      parseConfig('failOn: high\n_extends: other-repo\n', 'o/r:.github/migration-guard.yml'),
    ).toThrow(ConfigError);
    try {
      parseConfig('failOn: high\n_extends: other-repo\n', 'x');
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        { path: '_extends', line: 2, message: expect.stringContaining('not supported') },
      ]);
    }
    expect(parseConfig('failOn: warning\n', 'x').failOn).toBe('warning');
  });
});

describe('GitHub client settings', () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  test('our throttle handlers replace Probot’s; its Redis connection and the installation key are kept', () => {
    const probotHandler = () => false;
    const merged = withMigrationGuardDefaults({
      throttle: { onSecondaryRateLimit: probotHandler, onRateLimit: probotHandler, connection: 'redis' },
      auth: { installationId: 77 },
    });
    expect(merged.throttle).toMatchObject({
      onSecondaryRateLimit,
      onRateLimit,
      connection: 'redis',
      id: '77',
    });
    expect(merged.retry).toEqual(RETRY_OPTIONS);
    expect(
      withMigrationGuardDefaults({ throttle: { enabled: false }, retry: { enabled: false } }),
    ).toMatchObject({
      throttle: { enabled: false },
      retry: { enabled: false },
    });
  });

  test('limit handlers: secondary limits retried 3 times within 5 minutes; primary once within a minute', () => {
    const octokit = { log: { warn: jest.fn() } };
    const req = { method: 'POST', url: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews' };
    expect(onSecondaryRateLimit(60, req, octokit, 0)).toBe(true);
    expect(onSecondaryRateLimit(60, req, octokit, 2)).toBe(true);
    expect(onSecondaryRateLimit(60, req, octokit, 3)).toBe(false);
    expect(onSecondaryRateLimit(600, req, octokit, 0)).toBe(false);
    expect(onRateLimit(30, req, octokit, 0)).toBe(true);
    expect(onRateLimit(30, req, octokit, 1)).toBe(false);
    expect(onRateLimit(3000, req, octokit, 0)).toBe(false);
  });

  // About 2 s: the Retry-After second, then the retry plugin's first backoff (1 s).
  test('a Probot built with probotOptions() retries a secondary rate limit and a 502', async () => {
    nock.disableNetConnect();
    const scope = nock(API)
      .get(`${REPO_PATH}`)
      .reply(
        403,
        { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' },
        { 'retry-after': '1' },
      )
      .get(`${REPO_PATH}`)
      .reply(502, { message: 'Bad Gateway' })
      .get(`${REPO_PATH}`)
      .reply(200, { id: 1 });
    const probot = new Probot({ ...probotOptions(), githubToken: TOKEN, logLevel: 'fatal' });
    const octokit = await probot.auth();
    const { data } = await octokit.rest.repos.get({ owner: 'Codertocat', repo: 'Hello-World' });
    expect(data.id).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  test('errors are described without headers or tokens', async () => {
    nock.disableNetConnect();
    nock(API).get(`${REPO_PATH}/pulls/1/files`).query(true).reply(500, { message: 'Server Error' });
    const octokit = new TestOctokit({ auth: TOKEN });
    const error = await octokit.rest.pulls
      .listFiles({ owner: 'Codertocat', repo: 'Hello-World', pull_number: 1 })
      .catch((e) => e);
    const text = describeError(error);
    expect(text).toBe(`GitHub API GET ${REPO_PATH}/pulls/1/files failed with 500: Server Error`);
    expect(text).not.toContain(TOKEN);
  });
});
