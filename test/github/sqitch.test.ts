/**
 * The GitHub app on a sqitch repository: the base branch's history and the pull request's own
 * deploy scripts are replayed and judged in the order of sqitch.plan (read from the base and head
 * trees through the blob cache), and a repository without sqitch.plan costs no extra request.
 * GitHub is doubled by nock; `scope.isDone()` and nock's refusal of unexpected requests make a
 * missing or extra request fail the test.
 */
import nock from 'nock';
import type { Probot } from 'probot';
import * as engine from '../../src/check/engine';
import { BlobCache } from '../../src/github/blob-cache';
import type { AckLookup } from '../../src/github/pull-request';
import {
  API,
  OWNER,
  REPO_PATH,
  blobResponse,
  pullFile,
  pullRequestPayload,
  recorder,
  testApp,
  treeResponse,
  type PullSpec,
  type TestApp,
} from './pr-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const BASE = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const HEAD = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';
const HEAD2 = 'c3d4e5f60718293a4b5c6d7e8f90123456789012';
const PR: PullSpec = { number: 12, head: HEAD, base: BASE };
const CHECK_RUN_ID = 5151;
const BLOBS = 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}';
const noAck: AckLookup = async () => undefined;

const at = (date: string) => `${date}T10:00:00Z Ann <ann@example.com>`;
const BASE_PLAN = [
  '%syntax-version=1.0.0',
  '%project=shop',
  `zz_users ${at('2013-01-02')} # users, status as an integer`,
  `@v1 ${at('2013-01-03')}`,
  `aa_status [zz_users] ${at('2014-02-01')} # status becomes varchar(10)`,
  '',
].join('\n');
const HEAD_PLAN =
  BASE_PLAN +
  [
    `mm_orders ${at('2014-03-01')}`,
    `bb_orders_status [mm_orders] ${at('2014-03-02')}`,
    `cc_widen [aa_status] ${at('2014-03-03')}`,
    '',
  ].join('\n');

// The history: by name aa_status would run first, on no table, and leave status an integer.
const HISTORY: Record<string, string> = {
  'db/deploy/zz_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, status integer);\n',
  'db/deploy/aa_status.sql': 'ALTER TABLE users ALTER COLUMN status TYPE varchar(10);\n',
  'db/revert/zz_users.sql': 'DROP TABLE users;\n',
  'db/revert/aa_status.sql': 'ALTER TABLE users ALTER COLUMN status TYPE integer USING status::integer;\n',
  'db/verify/zz_users.sql': 'SELECT id, status FROM users WHERE false;\n',
};
// The change: by name the index (bb) comes before its table (mm), and the widening (cc) would be
// judged on an integer column (a rewrite) instead of varchar(10) (none).
const CHANGE: Record<string, string> = {
  'db/deploy/mm_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n',
  'db/deploy/bb_orders_status.sql': 'CREATE INDEX orders_status_idx ON orders (status);\n',
  'db/deploy/cc_widen.sql':
    "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN status TYPE varchar(20);\n",
};
const MIGRATIONS = Object.keys(HISTORY).filter((p) => !p.includes('/verify/'));

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  jest.restoreAllMocks();
});
afterAll(() => nock.enableNetConnect());

interface Spec {
  pr: PullSpec;
  head: Record<string, string>;
  base: Record<string, string>;
  blobs: string[];
  review: boolean;
}

/** Intercepts one run of the pipeline (no configuration: the defaults). */
function flow(spec: Spec): { scope: nock.Scope; updates: Body[] } {
  const updates = recorder();
  const scope = nock(API);
  scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_RUN_ID, status: 'in_progress' });
  scope
    .get(`${REPO_PATH}/contents/.github%2Fmigration-guard.yml`)
    .query({ ref: spec.pr.base })
    .reply(404, { message: 'Not Found' });
  scope
    .get(`/repos/${OWNER}/.github/contents/.github%2Fmigration-guard.yml`)
    .reply(404, { message: 'Not Found' });
  scope
    .get(`${REPO_PATH}/pulls/${spec.pr.number}/files`)
    .query({ per_page: '100' })
    .reply(
      200,
      Object.entries(CHANGE).map(([p, sql]) => pullFile(p, sql)),
    );
  for (const [sha, files] of [
    [spec.pr.head, spec.head],
    [spec.pr.base, spec.base],
  ] as const) {
    scope
      .get(`${REPO_PATH}/git/trees/${sha}`)
      .query({ recursive: 'true' })
      .reply(200, treeResponse(sha, files));
  }
  for (const content of spec.blobs) {
    const blob = blobResponse(content);
    scope.get(`${REPO_PATH}/git/blobs/${blob.sha}`).reply(200, blob);
  }
  scope.get(`${REPO_PATH}/pulls/${spec.pr.number}/comments`).query({ per_page: '100' }).reply(200, []);
  if (spec.review) scope.post(`${REPO_PATH}/pulls/${spec.pr.number}/reviews`).reply(200, { id: 1 });
  scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).reply(updates.reply(200, { id: CHECK_RUN_ID }));
  return { scope, updates: updates.bodies };
}

function receive(app: TestApp, payload: Body, id: string): Promise<void> {
  return app.probot.receive({ id, name: 'pull_request', payload } as Parameters<Probot['receive']>[0]);
}

/** The files and history the pipeline gave the engine, by path. */
function checkedOrder(spy: jest.SpyInstance): { files: string[]; history: string[] }[] {
  return spy.mock.calls.map(([files, options]) => ({
    files: files.map((f: { path: string }) => f.path),
    history: (options.history ?? []).map((f: { path: string }) => f.path),
  }));
}

const runLog = (app: TestApp) => app.logs.filter((l) => l.msg === 'check run completed');

test('a sqitch repository: history and change in plan order; the plans cost one blob request each, once', async () => {
  const spy = jest.spyOn(engine, 'check');
  const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
  const base = { ...HISTORY, 'db/sqitch.plan': BASE_PLAN, 'README.md': '# shop\n' };
  const head = { ...base, ...CHANGE, 'db/sqitch.plan': HEAD_PLAN };
  const first = flow({
    pr: PR,
    head,
    base,
    blobs: [...Object.values(CHANGE), ...MIGRATIONS.map((p) => HISTORY[p]), BASE_PLAN, HEAD_PLAN],
    review: false,
  });
  await receive(app, pullRequestPayload('opened', PR), 'd1');
  expect(first.scope.isDone()).toBe(true);

  expect(checkedOrder(spy)).toEqual([
    {
      files: ['db/deploy/mm_orders.sql', 'db/deploy/bb_orders_status.sql', 'db/deploy/cc_widen.sql'],
      history: [
        'db/deploy/zz_users.sql',
        'db/deploy/aa_status.sql',
        'db/revert/aa_status.sql',
        'db/revert/zz_users.sql',
      ],
    },
  ]);
  // In this order nothing is risky: the index is on a table the change creates, and
  // varchar(10) → varchar(20) does not rewrite users.
  expect(first.updates[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  expect(first.updates[0].output.annotations ?? []).toEqual([]);
  // 3 files + 4 history files + the base's and the head's plan.
  expect(runLog(app)[0].requestsByRoute[BLOBS]).toBe(9);

  // The next push: everything (plans included) comes from the cache.
  const second = flow({ pr: { ...PR, head: HEAD2 }, head, base, blobs: [], review: false });
  await receive(app, pullRequestPayload('synchronize', { ...PR, head: HEAD2 }), 'd2');
  expect(second.scope.isDone()).toBe(true);
  expect(second.updates[0]).toMatchObject({ conclusion: 'success' });
  expect(runLog(app)[1].requestsByRoute[BLOBS]).toBeUndefined();
  expect(checkedOrder(spy)[1]).toEqual(checkedOrder(spy)[0]);
});

test('the same repository without sqitch.plan: natural order, no extra request', async () => {
  const spy = jest.spyOn(engine, 'check');
  const app = await testApp({ blobCache: new BlobCache(), currentAck: noAck });
  const base = { ...HISTORY, 'README.md': '# shop\n' };
  const f = flow({
    pr: PR,
    head: { ...base, ...CHANGE },
    base,
    blobs: [...Object.values(CHANGE), ...MIGRATIONS.map((p) => HISTORY[p])],
    review: true,
  });
  await receive(app, pullRequestPayload('opened', PR), 'd1');
  expect(f.scope.isDone()).toBe(true);
  expect(checkedOrder(spy)[0]).toEqual({
    files: ['db/deploy/bb_orders_status.sql', 'db/deploy/cc_widen.sql', 'db/deploy/mm_orders.sql'],
    history: [
      'db/deploy/aa_status.sql',
      'db/deploy/zz_users.sql',
      'db/revert/aa_status.sql',
      'db/revert/zz_users.sql',
    ],
  });
  // By name, the index is on a table not created yet and the widening looks like a rewrite.
  expect(f.updates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(f.updates[0].output.annotations.map((a: Body) => [a.path, a.title])).toEqual(
    expect.arrayContaining([
      ['db/deploy/bb_orders_status.sql', 'require-concurrent-index-creation'],
      ['db/deploy/cc_widen.sql', 'alter-column-type'],
    ]),
  );
  const line = runLog(app)[0];
  expect(line.requestsByRoute[BLOBS]).toBe(7);
  // The pipeline's requests for any repository: check run ×2, configuration ×2, files, trees ×2,
  // comments, review, and the blobs.
  expect(line.requests).toBe(9 + 7);
});
