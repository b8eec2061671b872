/**
 * The pull-request flow end to end: a Probot instance receives realistic webhook payloads, GitHub
 * is doubled by nock (no network), and every test checks `scope.isDone()`, so a missing API call
 * fails as surely as an unexpected one (nock answers those with an error, which turns the check run
 * into a failure that the assertions see).
 */
import nock from 'nock';
import type { Probot } from 'probot';
import { check } from '../../src/check/engine';
import type { Finding } from '../../src/check/finding';
import { DEFAULT_CONFIG } from '../../src/config';
import { countsTitle } from '../../src/github/check-run';
import * as ack from '../../src/github/ack';
import { findingFingerprint, findingFingerprints, parseBlockingMarker } from '../../src/github/ack';
import { BlobCache } from '../../src/github/blob-cache';
import { KeyedQueue } from '../../src/github/queue';
import type { AckLookup } from '../../src/github/pull-request';
import {
  API,
  OWNER,
  REPO,
  REPO_PATH,
  TOKEN,
  blobResponse,
  checkRunRerequestedPayload,
  checkSuiteRerequestedPayload,
  issueCommentPayload,
  pullFile,
  pullRequestPayload,
  pullResponse,
  recorder,
  reviewComment,
  testApp,
  treeResponse,
  type PullSpec,
  type TestApp,
} from './pr-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const PULL = 7;
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const HEAD2 = '5d1c3e0b2a9f8e7d6c5b4a39281706f5e4d3c2b1';
const PR: PullSpec = { number: PULL, head: HEAD, base: BASE };
const CHECK_RUN_ID = 4242;
const CONFIG = '/contents/.github%2Fmigration-guard.yml';

const INIT = 'db/migrations/001_init.sql';
const INIT_SQL =
  'CREATE TABLE customers (id bigint PRIMARY KEY);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text);\n';
const RISKY = 'db/migrations/002_orders_status.sql';
const RISKY_SQL = [
  '-- Orders: status index and customer FK',
  'BEGIN;',
  "SET LOCAL lock_timeout = '5s';",
  'CREATE INDEX orders_status_idx ON orders (status);',
  'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk',
  '  FOREIGN KEY (customer_id) REFERENCES customers (id);  -- checked nightly',
  'ALTER TABLE orders',
  '  ALTER COLUMN status SET NOT NULL;',
  'COMMIT;',
  '',
].join('\n');

/**
 * What the engine reports for RISKY (the rules evolve; the app must carry whatever they say to the
 * exact lines): computed with the same inputs the app gives it.
 */
let expected: Finding[];
let riskyTitle: string;
beforeAll(async () => {
  const result = await check([{ path: RISKY, content: RISKY_SQL }], {
    config: DEFAULT_CONFIG,
    history: [{ path: INIT, content: INIT_SQL }],
  });
  expected = result.findings;
  riskyTitle = countsTitle(expected, 1);
  // The statements the assertions below rely on.
  expect(expected.map((f) => [f.ruleId, f.line, f.endLine])).toEqual(
    expect.arrayContaining([
      ['require-concurrent-index-creation', 4, 4],
      ['constraint-missing-not-valid', 5, 6],
      ['set-not-null', 7, 8],
    ]),
  );
  expect(expected.every((f) => f.severity === 'high')).toBe(true);
});
const LEGACY = 'db/migrations/legacy.sql/000_legacy.sql';
const LEGACY_SQL = 'CREATE TABLE legacy (id int);\n';
const README = pullFile('README.md', '# Hello\n', {
  status: 'modified',
  patch: '@@ -1 +1 @@\n-# Hi\n+# Hello',
});

const noAck: AckLookup = async () => undefined;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

interface Flow {
  scope: nock.Scope;
  created: Body[];
  updates: Body[];
  reviews: Body[];
  edits: Body[];
}

interface FlowSpec {
  pr?: PullSpec;
  files: Body[];
  /** More pages of files (each linked from the one before). */
  morePages?: Body[][];
  /** The head commit's tree (only fetched when the PR has migration files). */
  head?: Record<string, string | { size: number; sha: string }>;
  /** The base commit's tree. */
  base?: Record<string, string>;
  /** Blobs the run must fetch (not in the cache yet). */
  blobs?: string[];
  config?: { repo?: string; org?: string };
  comments?: Body[];
  reviewStatus?: number;
  /** Intercept `issues.listComments` for ack.ts's real `currentAck`. */
  ackComments?: boolean;
  /** The run posts a review (default: when it has comments to post, decided by the test). */
  review?: boolean;
  patches?: number;
}

/** Intercepts one run of the pipeline, in the order it makes its requests. */
function flow(spec: FlowSpec, scope: nock.Scope = nock(API)): Flow {
  const pr = spec.pr ?? PR;
  const created = recorder();
  const updates = recorder();
  const reviews = recorder();
  const edits = recorder();
  scope
    .post(`${REPO_PATH}/check-runs`)
    .reply(created.reply(201, { id: CHECK_RUN_ID, status: 'in_progress' }));
  const repoConfig = scope.get(`${REPO_PATH}${CONFIG}`).query({ ref: pr.base });
  if (spec.config?.repo !== undefined) {
    repoConfig.reply(200, spec.config.repo, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
  } else {
    repoConfig.reply(404, { message: 'Not Found' });
    const org = scope.get(`/repos/${OWNER}/.github${CONFIG}`);
    if (spec.config?.org !== undefined) {
      org.reply(200, spec.config.org, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    } else org.reply(404, { message: 'Not Found' });
  }
  const pages = [spec.files, ...(spec.morePages ?? [])];
  pages.forEach((page, i) => {
    const url = (n: number) => `${API}${REPO_PATH}/pulls/${pr.number}/files?per_page=100&page=${n}`;
    const link =
      i + 1 < pages.length
        ? { link: `<${url(i + 2)}>; rel="next", <${url(pages.length)}>; rel="last"` }
        : undefined;
    scope
      .get(`${REPO_PATH}/pulls/${pr.number}/files`)
      .query(i === 0 ? { per_page: '100' } : { per_page: '100', page: String(i + 1) })
      .reply(200, page, link);
  });
  if (spec.head) {
    scope
      .get(`${REPO_PATH}/git/trees/${pr.head}`)
      .query({ recursive: 'true' })
      .reply(200, treeResponse(pr.head, spec.head));
  }
  if (spec.base) {
    scope
      .get(`${REPO_PATH}/git/trees/${pr.base}`)
      .query({ recursive: 'true' })
      .reply(200, treeResponse(pr.base, spec.base));
  }
  for (const content of spec.blobs ?? []) {
    const blob = blobResponse(content);
    scope.get(`${REPO_PATH}/git/blobs/${blob.sha}`).reply(200, blob);
  }
  if (spec.ackComments) {
    scope.get(`${REPO_PATH}/issues/${pr.number}/comments`).query({ per_page: '100' }).reply(200, []);
  }
  if (spec.head) {
    scope
      .get(`${REPO_PATH}/pulls/${pr.number}/comments`)
      .query({ per_page: '100' })
      .reply(200, spec.comments ?? []);
  }
  if (spec.review) {
    scope
      .post(`${REPO_PATH}/pulls/${pr.number}/reviews`)
      .reply(
        reviews.reply(
          spec.reviewStatus ?? 200,
          spec.reviewStatus && spec.reviewStatus >= 400
            ? { message: 'Server Error' }
            : { id: 80, state: 'COMMENTED' },
        ),
      );
  }
  for (let i = 0; i < (spec.patches ?? 1); i++) {
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).reply(updates.reply(200, { id: CHECK_RUN_ID }));
  }
  return {
    scope,
    created: created.bodies,
    updates: updates.bodies,
    reviews: reviews.bodies,
    edits: edits.bodies,
  };
}

function receive(app: TestApp, name: string, payload: Body, id = 'delivery-1'): Promise<void> {
  return app.probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);
}

function completed(f: Flow): Body {
  expect(f.updates.length).toBeGreaterThan(0);
  return f.updates[0];
}

function risky(extra: Partial<FlowSpec> = {}): FlowSpec {
  return {
    files: [README, pullFile(RISKY, RISKY_SQL)],
    head: { [INIT]: INIT_SQL, [RISKY]: RISKY_SQL, 'README.md': '# Hello\n' },
    base: { [INIT]: INIT_SQL, 'README.md': '# Hi\n' },
    blobs: [RISKY_SQL, INIT_SQL],
    review: true,
    ...extra,
  };
}

describe('a risky pull request', () => {
  test('check run in_progress, then failure with annotations; one review with comments and suggestions', async () => {
    const app = await testApp({ blobCache: new BlobCache() });
    const f = flow(risky({ ackComments: true }));
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);

    expect(f.created).toEqual([
      expect.objectContaining({ name: 'Migration Guard', head_sha: HEAD, status: 'in_progress' }),
    ]);
    expect(f.updates).toHaveLength(1);
    const done = completed(f);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(done.output.title).toBe(riskyTitle);
    const annotations = done.output.annotations;
    expect(
      annotations.map((a: Body) => [a.title, a.path, a.start_line, a.end_line, a.annotation_level]),
    ).toEqual(expected.map((e) => [e.ruleId, RISKY, e.line, e.endLine, 'failure']));
    const byRule = (rule: string) => annotations.find((a: Body) => a.title === rule);
    expect(byRule('require-concurrent-index-creation')).toMatchObject({ start_column: 1, end_column: 49 });
    expect(byRule('require-concurrent-index-creation').raw_details).toContain(
      'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)',
    );
    expect(byRule('constraint-missing-not-valid').start_column).toBeUndefined();
    // The summary: the markdown report, the statements and locks, why it fails.
    expect(done.output.summary).toContain('<!-- migration-guard -->');
    expect(done.output.summary).toContain('#### Statements and locks');
    expect(done.output.summary).toContain('SHARE on orders');
    expect(done.output.summary).toContain('block this pull request');
    expect(done.output.summary.length).toBeLessThan(65_535);
    // What ack.ts reads: the blocking findings' fingerprints.
    expect(parseBlockingMarker(done.output.text)).toEqual(findingFingerprints(expected));

    expect(f.reviews).toHaveLength(1);
    const review = f.reviews[0];
    expect(review).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    expect(review.comments.map((c: Body) => [c.path, c.start_line, c.line, c.side])).toEqual(
      expected.map((e) => [RISKY, e.line < e.endLine ? e.line : undefined, e.endLine, 'RIGHT']),
    );
    const bodyOf = (rule: string) =>
      review.comments.find((c: Body) => c.body.includes(`\`${rule}\``))?.body as string;
    const index = bodyOf('require-concurrent-index-creation');
    const fk = bodyOf('constraint-missing-not-valid');
    const notNull = bodyOf('set-not-null');
    expect(index).toMatch(/^<!-- migration-guard:finding [0-9a-f]{32} -->\n/);
    expect(index).toContain('`SHARE` on `orders` (table): blocks writes (reads continue)');
    expect(index).toContain('**held until COMMIT**');
    expect(index).toContain('**Why it matters:**');
    expect(index).toContain(
      '```suggestion\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n```',
    );
    // Text before the start column and after the end column (`;`, a comment) is kept.
    expect(fk).toContain(
      '```suggestion\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk\n' +
        '  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;  -- checked nightly\n```',
    );
    expect(notNull).toMatch(/`ACCESS EXCLUSIVE` on `orders` \(table\): blocks reads and writes/);
    expect(notNull).not.toContain('```suggestion');
    expect(new Set(review.comments.map((c: Body) => c.body.split('\n')[0])).size).toBe(expected.length);

    // One structured line per run with the delivery, the PR and the number of API requests (the
    // pipeline's 11; ack.ts's comment listing, the 12th, is its own).
    const line = app.logs.find((l) => l.msg === 'check run completed');
    expect(line).toMatchObject({
      deliveryId: 'delivery-1',
      repo: `${OWNER}/${REPO}`,
      pull: PULL,
      requests: 11,
    });
    expect(line?.timings).toEqual(
      expect.objectContaining({ check: expect.any(Number), review: expect.any(Number) }),
    );
    expect(app.raw.join('')).not.toContain(TOKEN);
  });

  test('more than 50 annotations: the completing PATCH carries 50, a second one the rest; all file pages read', async () => {
    const statements = Array.from(
      { length: 55 },
      (_, i) => `CREATE INDEX orders_c${i}_idx ON orders (status);`,
    );
    const sql = `SET lock_timeout = '5s';\n${statements.join('\n')}\n`;
    const file = 'db/migrations/002_many.sql';
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    // Page 1 (a non-migration file) links to page 2.
    const f = flow({
      files: [README],
      morePages: [[pullFile(file, sql)]],
      head: { [INIT]: INIT_SQL, [file]: sql },
      base: { [INIT]: INIT_SQL },
      blobs: [sql, INIT_SQL],
      review: true,
      patches: 2,
    });
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);
    expect(f.updates).toHaveLength(2);
    expect(f.updates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(f.updates[0].output.annotations).toHaveLength(50);
    expect(f.updates[1].status).toBeUndefined();
    expect(f.updates[1].output.annotations).toHaveLength(5);
    expect(f.updates[1].output.annotations[4]).toMatchObject({
      start_line: 56,
      title: 'require-concurrent-index-creation',
    });
    expect(f.updates[1].output.title).toBe('55 high in 1 migration file');
    expect(f.reviews[0].comments).toHaveLength(55);
  });
});

describe('outcomes without findings', () => {
  test('a safe pull request: success, no review', async () => {
    const file = 'db/migrations/002_items.sql';
    const sql =
      'CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text NOT NULL);\n' +
      'CREATE INDEX items_sku_idx ON items (sku);\n';
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const f = flow({
      files: [pullFile(file, sql)],
      head: { [INIT]: INIT_SQL, [file]: sql },
      base: { [INIT]: INIT_SQL },
      blobs: [sql, INIT_SQL],
    });
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);
    expect(completed(f)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(completed(f).output.title).toBe('No findings in 1 migration file');
    expect(completed(f).output.annotations).toBeUndefined();
    expect(parseBlockingMarker(completed(f).output.text)).toEqual([]);
    expect(f.reviews).toHaveLength(0);
  });

  test('a pull request without migration files: success (a removed migration is not analyzed)', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const f = flow({
      files: [README, pullFile('db/migrations/000_old.sql', 'DROP TABLE orders;\n', { status: 'removed' })],
    });
    await receive(app, 'pull_request', pullRequestPayload('synchronize', PR));
    expect(f.scope.isDone()).toBe(true);
    expect(completed(f)).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      output: { title: 'No migration files changed' },
    });
    expect(completed(f).output.summary).toContain('matches `migrations.paths`');
    const line = app.logs.find((l) => l.msg === 'check run completed');
    expect(line?.requests).toBe(5);
  });
});

describe('idempotent comments', () => {
  test('redelivery: the second run posts nothing new, and fetches no blob again', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const first = flow(risky());
    await receive(app, 'pull_request', pullRequestPayload('opened', PR), 'delivery-1');
    expect(first.scope.isDone()).toBe(true);
    const posted = first.reviews[0].comments.map((c: Body, i: number) =>
      reviewComment(100 + i, c.body, c.path, c.line),
    );

    // Same delivery again: comments exist, blobs are cached (no blob interceptor this time).
    const second = flow(risky({ blobs: [], comments: posted, review: false }));
    await receive(app, 'pull_request', pullRequestPayload('opened', PR), 'delivery-1');
    expect(second.scope.isDone()).toBe(true);
    expect(second.reviews).toHaveLength(0);
    expect(completed(second)).toMatchObject({ conclusion: 'failure', output: { title: riskyTitle } });
  });

  test('a finding that disappears: its comment is edited as resolved, once; people’s comments are left alone', async () => {
    const fixed = RISKY_SQL.replace(
      'CREATE INDEX orders_status_idx',
      'CREATE INDEX CONCURRENTLY orders_status_idx',
    )
      .replace('BEGIN;\n', '')
      .replace('COMMIT;\n', '')
      .replace('SET LOCAL', 'SET');
    const gone: Finding = {
      ruleId: 'require-concurrent-index-creation',
      messageId: 'blocking',
      severity: 'high',
      defaultSeverity: 'high',
      file: RISKY,
      line: 4,
      column: 1,
      endLine: 4,
      endColumn: 49,
      message: 'CREATE INDEX holds SHARE on orders while it reads every row of orders',
      statementText: 'CREATE INDEX orders_status_idx ON orders (status)',
      severityReasons: [],
      assumptions: [],
    };
    const marker = `<!-- migration-guard:finding ${findingFingerprint(gone)} -->`;
    const old = reviewComment(
      301,
      `${marker}\n**high** · \`require-concurrent-index-creation\` · CREATE INDEX holds SHARE`,
      RISKY,
      4,
    );
    const alreadyResolved = reviewComment(
      302,
      `<!-- migration-guard:finding ${'a'.repeat(32)} -->\n<!-- migration-guard:resolved ${BASE} -->\n~~old~~`,
      RISKY,
      2,
    );
    const quoted = reviewComment(303, `${marker}\nquoting the bot`, RISKY, 4, false);
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const f = flow({
      pr: { ...PR, head: HEAD2 },
      files: [pullFile(RISKY, fixed)],
      head: { [INIT]: INIT_SQL, [RISKY]: fixed },
      base: { [INIT]: INIT_SQL },
      blobs: [fixed, INIT_SQL],
      comments: [old, alreadyResolved, quoted],
      review: true,
    });
    const edits = recorder();
    f.scope.patch(`${REPO_PATH}/pulls/comments/301`).reply(edits.reply(200, { id: 301 }));
    await receive(app, 'pull_request', pullRequestPayload('synchronize', { ...PR, head: HEAD2 }));
    expect(f.scope.isDone()).toBe(true);
    expect(edits.bodies).toHaveLength(1);
    expect(edits.bodies[0].body).toContain(marker);
    expect(edits.bodies[0].body).toContain(`<!-- migration-guard:resolved ${HEAD2} -->`);
    expect(edits.bodies[0].body).toContain(`Resolved in commit ${HEAD2.slice(0, 7)}`);
    // The findings of the new version: commented (no comment of theirs exists yet).
    const comments = f.reviews[0].comments;
    expect(
      comments.some((c: Body) => c.line === 5 && c.body.includes('`constraint-missing-not-valid`')),
    ).toBe(true);
    expect(comments.some((c: Body) => c.body.startsWith(marker))).toBe(false);
  });

  test('concurrent deliveries for one pull request are serialized: one review, not two', async () => {
    const app = await testApp({ blobCache: new BlobCache(), queue: new KeyedQueue(), currentAck: noAck });
    const store: Body[] = [];
    const scope = nock(API);
    const reviews: Body[] = [];
    for (let run = 0; run < 2; run++) {
      scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_RUN_ID });
      scope.get(`${REPO_PATH}${CONFIG}`).query({ ref: BASE }).reply(404, { message: 'Not Found' });
      scope.get(`/repos/${OWNER}/.github${CONFIG}`).reply(404, { message: 'Not Found' });
      scope
        .get(`${REPO_PATH}/pulls/${PULL}/files`)
        .query({ per_page: '100' })
        .reply(200, [pullFile(RISKY, RISKY_SQL)]);
      scope
        .get(`${REPO_PATH}/git/trees/${HEAD}`)
        .query({ recursive: 'true' })
        .reply(200, treeResponse(HEAD, { [INIT]: INIT_SQL, [RISKY]: RISKY_SQL }));
      scope
        .get(`${REPO_PATH}/git/trees/${BASE}`)
        .query({ recursive: 'true' })
        .reply(200, treeResponse(BASE, { [INIT]: INIT_SQL }));
      scope
        .get(`${REPO_PATH}/pulls/${PULL}/comments`)
        .query({ per_page: '100' })
        .reply(() => [200, [...store]]);
      scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).reply(200, {});
    }
    for (const content of [RISKY_SQL, INIT_SQL]) {
      const blob = blobResponse(content);
      scope.get(`${REPO_PATH}/git/blobs/${blob.sha}`).reply(200, blob);
    }
    scope
      .post(`${REPO_PATH}/pulls/${PULL}/reviews`)
      .delay(50)
      .reply((_uri, body: Body) => {
        reviews.push(body);
        body.comments.forEach((c: Body, i: number) =>
          store.push(reviewComment(500 + i, c.body, c.path, c.line)),
        );
        return [200, { id: 81 }];
      });
    await Promise.all([
      receive(app, 'pull_request', pullRequestPayload('opened', PR), 'delivery-a'),
      receive(app, 'pull_request', pullRequestPayload('synchronize', PR), 'delivery-b'),
    ]);
    expect(scope.isDone()).toBe(true);
    expect(reviews).toHaveLength(1);
  });
});

describe('problems', () => {
  test('an invalid configuration: the check run completes as failure naming each key and line', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const scope = nock(API);
    const created = recorder();
    const updates = recorder();
    scope.post(`${REPO_PATH}/check-runs`).reply(created.reply(201, { id: CHECK_RUN_ID }));
    scope
      .get(`${REPO_PATH}${CONFIG}`)
      .query({ ref: BASE })
      // The raw text (for line numbers), not Probot's parsed object.
      .matchHeader('accept', /^application\/vnd\.github\.(v3\.)?raw/)
      .reply(200, 'postgresVersion: 17\nfailOn: hihg\nrules:\n  require-concurent-index-creation: high\n', {
        'content-type': 'application/vnd.github.raw; charset=utf-8',
      });
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).reply(updates.reply(200, {}));
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(scope.isDone()).toBe(true);
    const done: Body = updates.bodies[0];
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(done.output.title).toBe(`Invalid configuration in ${OWNER}/${REPO}:.github/migration-guard.yml`);
    expect(done.output.summary).toContain(
      'line 2: `failOn`: must be one of high, warning, never; did you mean "high"?',
    );
    expect(done.output.summary).toContain(
      'line 4: `rules.require-concurent-index-creation`: unknown rule; did you mean "require-concurrent-index-creation"?',
    );
    // Nothing concluded, nothing to acknowledge.
    expect(done.output.text).toBeUndefined();
  });

  test('the organization’s .github repository supplies the configuration when the repository has none', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const f = flow(risky({ config: { org: 'failOn: never\n' } }));
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);
    expect(completed(f)).toMatchObject({ conclusion: 'success', output: { title: riskyTitle } });
  });

  test('a GitHub 500 on the review: the check run still completes, saying so', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const f = flow(risky({ reviewStatus: 500 }));
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);
    expect(f.reviews).toHaveLength(1);
    const done = completed(f);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(done.output.annotations).toHaveLength(expected.length);
    expect(done.output.summary).toContain('Inline review comments could not be posted');
    expect(done.output.summary).toContain('failed with 500');
  });

  test('a GitHub error while reading: the check run completes as failure naming the request', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const scope = nock(API);
    const updates = recorder();
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_RUN_ID });
    scope.get(`${REPO_PATH}${CONFIG}`).query({ ref: BASE }).reply(404, { message: 'Not Found' });
    scope.get(`/repos/${OWNER}/.github${CONFIG}`).reply(404, { message: 'Not Found' });
    scope
      .get(`${REPO_PATH}/pulls/${PULL}/files`)
      .query({ per_page: '100' })
      .reply(502, { message: 'Bad Gateway' });
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).reply(updates.reply(200, {}));
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(scope.isDone()).toBe(true);
    expect(updates.bodies[0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Migration Guard could not check this pull request' },
    });
    expect(updates.bodies[0].output.summary).toContain(
      `GitHub API GET ${REPO_PATH}/pulls/${PULL}/files failed with 502`,
    );
  });

  test('a migration file over 5 MB is not fetched: a finding says so', async () => {
    const big = 'db/migrations/003_seed.sql';
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    // The head tree lists the big file with its size; no blob request for it.
    const f = flow({
      files: [pullFile(big, 'INSERT INTO orders VALUES (1);\n')],
      head: { [INIT]: INIT_SQL, [big]: { size: 6 * 1024 * 1024, sha: 'b'.repeat(40) } },
      base: { [INIT]: INIT_SQL },
      blobs: [INIT_SQL],
      review: true,
    });
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);
    const done = completed(f);
    expect(done.conclusion).toBe('failure');
    expect(done.output.annotations[0]).toMatchObject({
      path: big,
      title: 'invalid-migration-file',
      start_line: 1,
    });
    expect(done.output.annotations[0].message).toContain('6.0 MiB, larger than the 5.0 MiB');
  });
});

describe('history and cache', () => {
  test('history from the base tree: an existing table gets a finding, a table created in the PR does not', async () => {
    const items = 'db/migrations/003_items.sql';
    const oldItems = 'CREATE TABLE items (id bigint PRIMARY KEY, sku text);\n';
    const newItems =
      'CREATE TABLE items (id bigint PRIMARY KEY, sku text);\n' +
      'CREATE INDEX items_sku_idx ON items (sku);\n' +
      'CREATE INDEX orders_status_idx ON orders (status);\n';
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const f = flow({
      // Modified in the PR: taken out of the history (else items would already exist).
      files: [
        pullFile(items, newItems, {
          status: 'modified',
          patch:
            '@@ -1,1 +1,3 @@\n CREATE TABLE items (id bigint PRIMARY KEY, sku text);\n+CREATE INDEX items_sku_idx ON items (sku);\n+CREATE INDEX orders_status_idx ON orders (status);',
        }),
      ],
      head: { [INIT]: INIT_SQL, [items]: newItems, 'docs/schema.sql': 'x' },
      // Not in the history: a file outside the globs; the directory `legacy.sql` (only its file is).
      base: { [INIT]: INIT_SQL, [items]: oldItems, 'docs/schema.sql': 'x', [LEGACY]: LEGACY_SQL },
      blobs: [newItems, INIT_SQL, LEGACY_SQL],
      review: true,
    });
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);
    const annotations = completed(f).output.annotations;
    // Only the index on orders (line 3), not the one on items (line 2).
    expect(annotations.map((a: Body) => a.start_line)).toEqual(annotations.map(() => 3));
    const index = annotations.find((a: Body) => a.title === 'require-concurrent-index-creation');
    // orders comes from the history: known, not assumed.
    expect(index.message).not.toContain('Assumed');
    expect(f.reviews[0].comments.map((c: Body) => c.line)).toEqual(annotations.map(() => 3));
  });

  test('the blob cache: a second event does not fetch the same blobs again', async () => {
    const cache = new BlobCache();
    const app = await testApp({ blobCache: cache, currentAck: noAck });
    const first = flow(risky());
    await receive(app, 'pull_request', pullRequestPayload('opened', PR), 'd1');
    expect(first.scope.isDone()).toBe(true);

    // A push that adds a file: only the new blob is fetched; the history and the old file are cached.
    const extra = 'db/migrations/003_more.sql';
    const extraSql = 'ALTER TABLE orders DROP COLUMN status;\n';
    const posted = first.reviews[0].comments.map((c: Body, i: number) =>
      reviewComment(100 + i, c.body, c.path, c.line),
    );
    const second = flow({
      pr: { ...PR, head: HEAD2 },
      files: [pullFile(RISKY, RISKY_SQL), pullFile(extra, extraSql)],
      head: { [INIT]: INIT_SQL, [RISKY]: RISKY_SQL, [extra]: extraSql },
      base: { [INIT]: INIT_SQL },
      blobs: [extraSql],
      comments: posted,
      review: true,
    });
    await receive(app, 'pull_request', pullRequestPayload('synchronize', { ...PR, head: HEAD2 }), 'd2');
    expect(second.scope.isDone()).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 3, misses: 3, hits: 2 });
    expect(new Set(second.reviews[0].comments.map((c: Body) => c.path))).toEqual(new Set([extra]));
    const line = app.logs.filter((l) => l.msg === 'check run completed')[1];
    expect(line?.requestsByRoute['GET /repos/{owner}/{repo}/git/blobs/{file_sha}']).toBe(1);
  });
});

describe('re-runs and acknowledgements', () => {
  test('check_run.rerequested for our check run checks the pull request again', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const scope = nock(API).get(`${REPO_PATH}/pulls/${PULL}`).reply(200, pullResponse(PR));
    const f = flow(risky(), scope);
    await receive(app, 'check_run', checkRunRerequestedPayload('Migration Guard', PR));
    expect(f.scope.isDone()).toBe(true);
    expect(completed(f).conclusion).toBe('failure');
  });

  test('check_run.rerequested for another check run does nothing', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    await receive(app, 'check_run', checkRunRerequestedPayload('build', PR));
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('check_suite.rerequested checks its pull requests again, unless the head moved on', async () => {
    const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
    const scope = nock(API).get(`${REPO_PATH}/pulls/${PULL}`).reply(200, pullResponse(PR));
    const f = flow(risky(), scope);
    await receive(app, 'check_suite', checkSuiteRerequestedPayload(PR));
    expect(f.scope.isDone()).toBe(true);
    expect(completed(f).conclusion).toBe('failure');

    const stale = nock(API)
      .get(`${REPO_PATH}/pulls/${PULL}`)
      .reply(200, pullResponse({ ...PR, head: HEAD2 }));
    await receive(app, 'check_suite', checkSuiteRerequestedPayload(PR));
    expect(stale.isDone()).toBe(true);
    expect(app.logs.some((l) => l.msg === 'pull request moved on: re-run skipped')).toBe(true);
  });

  test('an acknowledgement turns the conclusion into success and says who, what and why', async () => {
    const lookup = jest.fn<ReturnType<AckLookup>, Parameters<AckLookup>>(async () => ({
      user: 'alice',
      reason: 'orders has 2,000 rows; the lock lasts milliseconds',
      commentUrl: `https://github.com/${OWNER}/${REPO}/pull/${PULL}#issuecomment-1`,
    }));
    const app = await testApp({ blobCache: new BlobCache(), currentAck: lookup });
    const f = flow(risky());
    await receive(app, 'pull_request', pullRequestPayload('opened', PR));
    expect(f.scope.isDone()).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(1);
    const [, repo, pull, blocking] = lookup.mock.calls[0];
    expect(repo).toEqual({ owner: OWNER, repo: REPO });
    expect(pull).toBe(PULL);
    expect(blocking.map((b) => [b.ruleId, b.line])).toEqual(expected.map((e) => [e.ruleId, e.line]));
    const done = completed(f);
    expect(done.conclusion).toBe('success');
    expect(done.output.title).toBe(`${riskyTitle} (acknowledged by @alice)`);
    expect(done.output.summary).toContain(
      'Acknowledged by @alice: orders has 2,000 rows; the lock lasts milliseconds',
    );
    expect(done.output.summary).toContain(`\`${RISKY}:4\` \`require-concurrent-index-creation\``);
    expect(parseBlockingMarker(done.output.text)).toHaveLength(expected.length);
  });

  test('issue_comment.created is handed to ack.ts', async () => {
    const spy = jest.spyOn(ack, 'handleAckComment').mockResolvedValue(undefined);
    try {
      const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
      await receive(app, 'issue_comment', issueCommentPayload(PULL, '/migration-ack small table'));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0].payload.comment.body).toBe('/migration-ack small table');
    } finally {
      spy.mockRestore();
    }
  });
});
