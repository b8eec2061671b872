/**
 * `/migration-ack`: the issue_comment.created handler (through a Probot instance, GitHub doubled by
 * nock) and `currentAck`, the rebuild of the acknowledgement from the pull request's comments.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import examples from '@octokit/webhooks-examples';
import nock from 'nock';
import pino from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import type { Finding } from '../../src/check/finding';
import {
  ackMarker,
  blockingMarker,
  currentAck,
  findingFingerprint,
  findingFingerprints,
  handleAckComment,
  parseAckCommand,
  parseAckMarker,
  parseBlockingMarker,
  type AckRecord,
} from '../../src/github/ack';

const API = 'https://api.github.com';
const OWNER = 'acme';
const REPO = 'shop';
const PULL = 42;
const HEAD = '3f2a9c41d0b7e6f5a4c3b2a1908f7e6d5c4b3a21';
const OLD_HEAD = '0b7e6f5a4c3b2a1908f7e6d5c4b3a213f2a9c41d';
const BASE = '9d8c7b6a5f4e3d2c1b0a99887766554433221100';
const TOKEN = 'ghs_TestInstallationToken0123456789';
const CHECK_RUN_ID = 555;
const ACK_COMMENT_ID = 1001;

/**
 * No retries, no throttling. The function form, not `defaults({ retry, throttle })`: Probot layers its
 * own throttle options over object defaults, which re-enables the throttler (1 s between writes).
 */
const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'require-concurrent-index-creation',
    messageId: 'nonConcurrent',
    severity: 'high',
    defaultSeverity: 'high',
    file: 'db/migrations/0042_orders.sql',
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 48,
    message: 'CREATE INDEX blocks writes to orders (SHARE lock) while the index builds',
    statementText: 'CREATE INDEX orders_status_idx ON orders (status);',
    severityReasons: [],
    assumptions: [],
    ...over,
  };
}

const INDEX = finding();
const NOT_NULL = finding({
  ruleId: 'add-not-null-column-without-default',
  line: 5,
  endLine: 5,
  statementText: 'ALTER TABLE orders\n  ADD COLUMN region text NOT NULL;',
});
const DROP = finding({
  ruleId: 'dropping-column',
  line: 9,
  statementText: 'ALTER TABLE orders DROP COLUMN legacy;',
});
const BLOCKING = [INDEX, NOT_NULL];

// ---------------------------------------------------------------------------------------------
// Fixtures

type Example = Record<string, unknown> & {
  action: string;
  issue: Record<string, unknown>;
  comment: Record<string, unknown> & { user: Record<string, unknown> };
  repository: Record<string, unknown> & { owner: Record<string, unknown> };
  sender: Record<string, unknown>;
};

/** issue_comment.created from @octokit/webhooks-examples (the one with an installation), on PR 42. */
function commentPayload(
  body: string,
  opts: { login?: string; type?: 'User' | 'Bot'; pullRequest?: boolean; action?: string } = {},
): Example {
  const definition = examples.find((d) => d.name === 'issue_comment');
  const example = definition?.examples.find(
    (e) => (e as { action: string }).action === 'created' && 'installation' in (e as object),
  );
  if (!example) throw new Error('no issue_comment.created example with an installation');
  const p = structuredClone(example) as unknown as Example;
  const login = opts.login ?? 'alice';
  const user = { ...p.comment.user, login, type: opts.type ?? 'User' };
  p.action = opts.action ?? 'created';
  p.repository.name = REPO;
  p.repository.full_name = `${OWNER}/${REPO}`;
  p.repository.owner = { ...p.repository.owner, login: OWNER, type: 'Organization' };
  p.issue.number = PULL;
  p.issue.html_url = `https://github.com/${OWNER}/${REPO}/pull/${PULL}`;
  if (opts.pullRequest ?? true) {
    p.issue.pull_request = {
      url: `${API}/repos/${OWNER}/${REPO}/pulls/${PULL}`,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${PULL}`,
      diff_url: `https://github.com/${OWNER}/${REPO}/pull/${PULL}.diff`,
      patch_url: `https://github.com/${OWNER}/${REPO}/pull/${PULL}.patch`,
      merged_at: null,
    };
  } else {
    delete p.issue.pull_request;
  }
  p.comment = {
    ...p.comment,
    id: ACK_COMMENT_ID,
    body,
    user,
    html_url: commentUrl(ACK_COMMENT_ID),
    issue_url: `${API}/repos/${OWNER}/${REPO}/issues/${PULL}`,
  };
  p.sender = { ...p.sender, login, type: opts.type ?? 'User' };
  return p;
}

function commentUrl(id: number): string {
  return `https://github.com/${OWNER}/${REPO}/pull/${PULL}#issuecomment-${id}`;
}

function checkRun(over: { status?: string; conclusion?: string | null; text?: string; id?: number } = {}) {
  return {
    id: over.id ?? CHECK_RUN_ID,
    name: 'Migration Guard',
    head_sha: HEAD,
    status: over.status ?? 'completed',
    conclusion: over.conclusion === undefined ? 'failure' : over.conclusion,
    output: {
      title: '2 blocking findings',
      summary: 'Migration Guard found 2 blocking findings in 1 migration.',
      text: over.text ?? `### Findings\n\n(details)\n\n${blockingMarker(BLOCKING)}`,
      annotations_count: 0,
      annotations_url: `${API}/repos/${OWNER}/${REPO}/check-runs/${CHECK_RUN_ID}/annotations`,
    },
    app: { id: 1, slug: 'migration-guard' },
  };
}

const ISO = '2026-11-20T10:00:00Z';

function userComment(id: number, login: string, body: string, created = ISO, updated = created) {
  return {
    id,
    body,
    user: { login, type: 'User' },
    html_url: commentUrl(id),
    issue_url: `${API}/repos/${OWNER}/${REPO}/issues/${PULL}`,
    created_at: created,
    updated_at: updated,
    performed_via_github_app: null,
  };
}

function ackReply(id: number, record: AckRecord, created: string, updated = created) {
  return {
    id,
    body: `${ackMarker(record)}\n✓ Acknowledged by @${record.by}: ${record.reason}`,
    user: { login: 'migration-guard[bot]', type: 'Bot' },
    html_url: commentUrl(id),
    issue_url: `${API}/repos/${OWNER}/${REPO}/issues/${PULL}`,
    created_at: created,
    updated_at: updated,
    performed_via_github_app: { id: 1, slug: 'migration-guard' },
  };
}

function record(over: Partial<AckRecord> = {}): AckRecord {
  return {
    by: 'alice',
    commentId: ACK_COMMENT_ID,
    reason: 'orders has 2,000 rows; the lock lasts milliseconds',
    fingerprints: findingFingerprints(BLOCKING),
    sha: HEAD,
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------
// Harness

let privateKey: string;
let logs: string[];

beforeAll(() => {
  nock.disableNetConnect();
  privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  }) as string;
});

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

beforeEach(() => {
  logs = [];
});

afterEach(() => {
  // Nothing the handler did may have been unexpected, and nothing expected may be left undone.
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  for (const line of logs) expect(line).not.toContain(TOKEN);
});

function probot(): Probot {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const instance = new Probot({
    appId: 1,
    privateKey,
    Octokit: TestOctokit,
    log: pino({ level: 'debug' }, stream),
  });
  void instance.load((app) => {
    app.on('issue_comment.created', handleAckComment);
  });
  return instance;
}

async function deliver(payload: Example): Promise<void> {
  await probot().receive({
    id: 'delivery-1',
    name: 'issue_comment',
    payload: payload as never,
  });
}

const base = `/repos/${OWNER}/${REPO}`;

function installationToken(): nock.Scope {
  return nock(API)
    .post('/app/installations/1/access_tokens')
    .reply(201, {
      token: TOKEN,
      expires_at: '2099-01-01T00:00:00Z',
      permissions: {
        checks: 'write',
        issues: 'write',
        pull_requests: 'read',
        contents: 'read',
        members: 'read',
      },
      repository_selection: 'all',
    });
}

/** `.github/migration-guard.yml` at the base commit (raw), else in the organization's `.github` repository. */
function config(yaml?: string): nock.Scope {
  const file = `${base}/contents/.github%2Fmigration-guard.yml`;
  if (yaml !== undefined) {
    return nock(API)
      .get(file)
      .query({ ref: BASE })
      .reply(200, yaml, { 'content-type': 'text/plain; charset=utf-8' });
  }
  return nock(API)
    .get(file)
    .query({ ref: BASE })
    .reply(404, { message: 'Not Found' })
    .get(`/repos/${OWNER}/.github/contents/.github%2Fmigration-guard.yml`)
    .reply(404, { message: 'Not Found' });
}

function permission(username: string, perm: string, role = perm): nock.Scope {
  return nock(API)
    .get(`${base}/collaborators/${username}/permission`)
    .reply(200, { permission: perm, role_name: role, user: { login: username, type: 'User' } });
}

function pullHead(sha = HEAD, state = 'open'): nock.Scope {
  return nock(API)
    .get(`${base}/pulls/${PULL}`)
    .reply(200, { number: PULL, state, head: { sha, ref: 'add-index' }, base: { sha: BASE, ref: 'main' } });
}

function checkRuns(runs: unknown[], times = 1): nock.Scope {
  return nock(API)
    .get(`${base}/commits/${HEAD}/check-runs`)
    .query({ check_name: 'Migration Guard', per_page: '100' })
    .times(times)
    .reply(200, { total_count: runs.length, check_runs: runs });
}

function expectDone(...scopes: nock.Scope[]): void {
  for (const s of scopes) expect(s.isDone()).toBe(true);
}

function logEntries(): Record<string, unknown>[] {
  return logs.map((l) => JSON.parse(l) as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------

describe('handleAckComment', () => {
  test('a writer acknowledges: reply with the record, +1, check run success with who and why', async () => {
    const reason = 'orders has 2,000 rows; the lock lasts milliseconds';
    let replyBody = '';
    let update: Record<string, unknown> = {};
    const scopes = [
      installationToken(),
      config(),
      permission('alice', 'write'),
      pullHead(),
      checkRuns([checkRun()]),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => {
          replyBody = b.body;
          return true;
        })
        .reply(201, { id: 2001 }),
      nock(API)
        .post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: '+1' })
        .reply(201, { id: 1, content: '+1' }),
      nock(API)
        .patch(`${base}/check-runs/${CHECK_RUN_ID}`, (b: Record<string, unknown>) => {
          update = b;
          return true;
        })
        .reply(200, { id: CHECK_RUN_ID }),
    ];

    await deliver(commentPayload(`/migration-ack ${reason}\n\nReviewed with the DBA team.`));
    expectDone(...scopes);

    const rec = parseAckMarker(replyBody);
    expect(rec).toEqual({
      by: 'alice',
      commentId: ACK_COMMENT_ID,
      reason,
      fingerprints: findingFingerprints(BLOCKING),
      sha: HEAD,
    });
    expect(replyBody).toContain(`✓ Acknowledged by @alice: ${reason}`);
    expect(replyBody).toContain('Covers 2 blocking findings of 3f2a9c4:');
    expect(replyBody).toContain('- require-concurrent-index-creation at db/migrations/0042_orders.sql:3');
    expect(replyBody).toContain('- add-not-null-column-without-default at db/migrations/0042_orders.sql:5');

    expect(update.status).toBe('completed');
    expect(update.conclusion).toBe('success');
    const output = update.output as { title: string; summary: string; text: string };
    expect(output.title).toBe('2 blocking findings (acknowledged by @alice)');
    expect(output.summary).toContain('Migration Guard found 2 blocking findings in 1 migration.');
    expect(output.summary).toContain(`Acknowledged by @alice: ${reason}`);
    expect(output.summary).toContain(commentUrl(ACK_COMMENT_ID));
    expect(output.text).toBe(checkRun().output.text);

    const accepted = logEntries().find((e) => e.outcome === 'accepted');
    expect(accepted).toMatchObject({
      user: 'alice',
      pull: PULL,
      sha: HEAD,
      fingerprints: 2,
      grantedBy: 'write',
    });
  });

  test('the recorded reply is what currentAck finds afterwards', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      config(),
      permission('alice', 'admin'),
      pullHead(),
      checkRuns([checkRun()]),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, { id: 2001 }),
      nock(API).post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`).reply(201, {}),
      nock(API).patch(`${base}/check-runs/${CHECK_RUN_ID}`).reply(200, {}),
    ];
    await deliver(commentPayload('/MIGRATION-ACK   verified on a production copy  '));
    expectDone(...scopes);

    const reply = { ...ackReply(2001, record(), ISO), body: replyBody };
    const more = [
      nock(API).get(`${base}/issues/${PULL}/comments`).query(true).reply(200, [reply]),
      nock(API)
        .get(`${base}/issues/comments/${ACK_COMMENT_ID}`)
        .reply(200, userComment(ACK_COMMENT_ID, 'alice', '/MIGRATION-ACK   verified on a production copy  ')),
    ];
    const ack = await currentAck(octokit(), { owner: OWNER, repo: REPO }, PULL, BLOCKING);
    expectDone(...more);
    expect(ack).toEqual({
      user: 'alice',
      reason: 'verified on a production copy',
      commentUrl: commentUrl(ACK_COMMENT_ID),
      commentId: ACK_COMMENT_ID,
      acknowledged: findingFingerprints(BLOCKING),
    });
  });

  test('a reader is refused, with -1, and the check run is not touched', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      pullHead(),
      config(),
      permission('mallory', 'read'),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, { id: 2001 }),
      nock(API).post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: '-1' }).reply(201, {}),
    ];
    await deliver(commentPayload('/migration-ack trust me', { login: 'mallory' }));
    expectDone(...scopes);
    expect(replyBody).toContain('@mallory');
    expect(replyBody).toContain('**write** permission or higher');
    expect(replyBody).toContain('your permission: read');
    expect(replyBody).toContain('The check stays failed');
    expect(parseAckMarker(replyBody)).toBeUndefined();
    expect(logEntries().find((e) => e.outcome === 'refused')).toMatchObject({
      permission: 'read',
      required: 'write',
    });
  });

  test('the configured minimum applies (maintain): a writer is refused and told which teams may', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      pullHead(),
      config('acknowledge:\n  permission: maintain\n  teams: [dba, platform/db-owners]\n'),
      permission('bob', 'write'),
      nock(API).get('/orgs/acme/teams/dba/memberships/bob').reply(404, { message: 'Not Found' }),
      nock(API)
        .get('/orgs/platform/teams/db-owners/memberships/bob')
        .reply(200, { state: 'pending', role: 'member' }),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
      nock(API).post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: '-1' }).reply(201, {}),
    ];
    await deliver(commentPayload('/migration-ack fine', { login: 'bob' }));
    expectDone(...scopes);
    expect(replyBody).toContain('**maintain** permission or higher');
    expect(replyBody).toContain('members of the teams `dba`, `platform/db-owners`');
  });

  test('a member of a configured team is accepted even with read permission', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      config('acknowledge:\n  teams: [dba]\n'),
      permission('carol', 'read'),
      nock(API).get('/orgs/acme/teams/dba/memberships/carol').reply(200, { state: 'active', role: 'member' }),
      pullHead(),
      checkRuns([checkRun()]),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
      nock(API).post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: '+1' }).reply(201, {}),
      nock(API)
        .patch(
          `${base}/check-runs/${CHECK_RUN_ID}`,
          (b: { conclusion: string; output: { summary: string } }) =>
            b.conclusion === 'success' && b.output.summary.includes('Acknowledged by @carol: DBA reviewed'),
        )
        .reply(200, {}),
    ];
    await deliver(commentPayload('/migration-ack DBA reviewed', { login: 'carol' }));
    expectDone(...scopes);
    expect(parseAckMarker(replyBody)).toMatchObject({ by: 'carol', reason: 'DBA reviewed' });
    expect(logEntries().find((e) => e.outcome === 'accepted')).toMatchObject({ grantedBy: 'team acme/dba' });
  });

  test('a missing reason gets the syntax, and a confused reaction', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
      nock(API)
        .post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: 'confused' })
        .reply(201, {}),
    ];
    await deliver(commentPayload('/Migration-Ack   \nthe reason on the next line does not count'));
    expectDone(...scopes);
    expect(replyBody).toContain('needs a reason');
    expect(replyBody).toContain('/migration-ack <why this migration is safe>');
  });

  test('an invalid configuration refuses to decide, naming the problem', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      pullHead(),
      config('acknowledge:\n  permision: write\n'),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
      nock(API)
        .post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: 'confused' })
        .reply(201, {}),
    ];
    await deliver(commentPayload('/migration-ack fine'));
    expectDone(...scopes);
    expect(replyBody).toContain('is invalid');
    expect(replyBody).toContain('acknowledge.permision: unknown key; did you mean "permission"?');
    expect(parseAckMarker(replyBody)).toBeUndefined();
  });

  test('a closed pull request: nothing to acknowledge', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      pullHead(HEAD, 'closed'),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
    ];
    await deliver(commentPayload('/migration-ack fine'));
    expectDone(...scopes);
    expect(replyBody).toContain('closed');
  });

  test('while the check is still running the ack is recorded for the commit, to apply when it completes', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      config(),
      permission('alice', 'maintain', 'maintain'),
      pullHead(),
      // Looked at before replying and once more after (still running: nothing to update).
      checkRuns([checkRun({ status: 'in_progress', conclusion: null })], 2),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
      nock(API).post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: '+1' }).reply(201, {}),
    ];
    await deliver(commentPayload('/migration-ack backfill runs off-peak'));
    expectDone(...scopes);
    expect(parseAckMarker(replyBody)).toEqual({
      by: 'alice',
      commentId: ACK_COMMENT_ID,
      reason: 'backfill runs off-peak',
      fingerprints: null,
      sha: HEAD,
    });
    expect(replyBody).toContain('has not completed yet');
    expect(replyBody).toContain('will apply to its blocking findings when it completes');
  });

  test('the check finished while the reply was written: that run is marked acknowledged', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      pullHead(),
      config(),
      permission('alice', 'write'),
      nock(API)
        .get(`${base}/commits/${HEAD}/check-runs`)
        .query(true)
        .reply(200, { total_count: 1, check_runs: [checkRun({ status: 'in_progress', conclusion: null })] })
        .get(`${base}/commits/${HEAD}/check-runs`)
        .query(true)
        .reply(200, { total_count: 1, check_runs: [checkRun()] }),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
      nock(API).post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: '+1' }).reply(201, {}),
      nock(API)
        .patch(
          `${base}/check-runs/${CHECK_RUN_ID}`,
          (b: { conclusion: string }) => b.conclusion === 'success',
        )
        .reply(200, {}),
    ];
    await deliver(commentPayload('/migration-ack reviewed'));
    expectDone(...scopes);
    expect(parseAckMarker(replyBody)?.fingerprints).toBeNull();
  });

  test('a completed run without the blocking list (an error run): nothing recorded, asked to re-run', async () => {
    let replyBody = '';
    const scopes = [
      installationToken(),
      pullHead(),
      config(),
      permission('alice', 'admin'),
      checkRuns([checkRun({ text: 'Analysis failed: could not read db/migrations/0042_orders.sql' })]),
      nock(API)
        .post(`${base}/issues/${PULL}/comments`, (b: { body: string }) => ((replyBody = b.body), true))
        .reply(201, {}),
      nock(API)
        .post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`, { content: 'confused' })
        .reply(201, {}),
    ];
    await deliver(commentPayload('/migration-ack reviewed'));
    expectDone(...scopes);
    expect(parseAckMarker(replyBody)).toBeUndefined();
    expect(replyBody).toContain('Re-run the check');
  });

  test('a check run the app may not update: the ack stands, the failure is logged', async () => {
    const scopes = [
      installationToken(),
      pullHead(),
      config(),
      permission('alice', 'write'),
      checkRuns([checkRun()]),
      nock(API).post(`${base}/issues/${PULL}/comments`).reply(201, {}),
      nock(API).post(`${base}/issues/comments/${ACK_COMMENT_ID}/reactions`).reply(201, {}),
      nock(API).patch(`${base}/check-runs/${CHECK_RUN_ID}`).reply(403, {
        message: 'Invalid app_id `2` - check run can only be modified by the GitHub App that created it.',
      }),
    ];
    await deliver(commentPayload('/migration-ack reviewed'));
    expectDone(...scopes);
    expect(logEntries().find((e) => e.msg === 'could not update the check run')).toMatchObject({
      checkRunId: CHECK_RUN_ID,
      status: 403,
    });
  });

  test('comments on issues, by bots, other comments and edits are ignored', async () => {
    // No HTTP at all: nock refuses every request, and no scope is defined.
    await deliver(commentPayload('/migration-ack looks fine', { pullRequest: false }));
    await deliver(
      commentPayload('/migration-ack looks fine', { login: 'migration-guard[bot]', type: 'Bot' }),
    );
    await deliver(commentPayload('/migration-ack looks fine', { login: 'dependabot[bot]', type: 'Bot' }));
    await deliver(commentPayload('LGTM, but see /migration-ack docs'));
    await deliver(commentPayload('/migration-acknowledge everything'));
    await probot().receive({
      id: 'delivery-2',
      name: 'issue_comment',
      payload: commentPayload('/migration-ack edited in', { action: 'edited' }) as never,
    });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

function octokit() {
  return new TestOctokit({ auth: { token: TOKEN } });
}

const REPO_REF = { owner: OWNER, repo: REPO };

function comments(list: unknown[]): nock.Scope {
  return nock(API).get(`${base}/issues/${PULL}/comments`).query({ per_page: '100' }).reply(200, list);
}

function original(id: number, login: string, body: string, updated?: string): nock.Scope {
  return nock(API)
    .get(`${base}/issues/comments/${id}`)
    .reply(200, userComment(id, login, body, ISO, updated));
}

describe('currentAck', () => {
  const REASON = record().reason;

  test('a valid ack covering the blocking findings is returned', async () => {
    const scopes = [
      comments([
        userComment(ACK_COMMENT_ID, 'alice', `/migration-ack ${REASON}`),
        ackReply(2001, record(), '2026-11-20T10:00:05Z'),
      ]),
      original(ACK_COMMENT_ID, 'alice', `/migration-ack ${REASON}`),
    ];
    const ack = await currentAck(octokit(), REPO_REF, PULL, BLOCKING);
    expectDone(...scopes);
    expect(ack).toEqual({
      user: 'alice',
      reason: REASON,
      commentUrl: commentUrl(ACK_COMMENT_ID),
      commentId: ACK_COMMENT_ID,
      acknowledged: findingFingerprints(BLOCKING),
    });
  });

  test('the same findings after a push (moved lines, reformatted SQL) keep the ack', async () => {
    const moved = [
      finding({ line: 10, endLine: 10 }),
      { ...NOT_NULL, line: 12, statementText: 'ALTER TABLE orders ADD COLUMN region text NOT NULL;' },
    ];
    const scopes = [
      comments([ackReply(2001, record(), ISO)]),
      original(ACK_COMMENT_ID, 'alice', `/migration-ack ${REASON}`),
    ];
    expect((await currentAck(octokit(), REPO_REF, PULL, moved))?.user).toBe('alice');
    expectDone(...scopes);
  });

  test('a new blocking finding is not covered', async () => {
    const scopes = [comments([ackReply(2001, record(), ISO)])];
    expect(await currentAck(octokit(), REPO_REF, PULL, [...BLOCKING, DROP])).toBeUndefined();
    expectDone(...scopes);
  });

  test('a deleted original comment revokes the ack', async () => {
    const scopes = [
      comments([ackReply(2001, record(), ISO)]),
      nock(API).get(`${base}/issues/comments/${ACK_COMMENT_ID}`).reply(404, { message: 'Not Found' }),
    ];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toBeUndefined();
    expectDone(...scopes);
  });

  test('an edited original comment revokes the ack', async () => {
    const scopes = [
      comments([ackReply(2001, record(), ISO)]),
      original(ACK_COMMENT_ID, 'alice', 'Actually, let us not ship this yet.', '2026-11-20T11:00:00Z'),
    ];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toBeUndefined();
    expectDone(...scopes);
  });

  test('an edit that changes the reason revokes it; one that keeps command and reason does not', async () => {
    const changed = [
      comments([ackReply(2001, record(), ISO)]),
      original(ACK_COMMENT_ID, 'alice', '/migration-ack something else entirely', '2026-11-20T11:00:00Z'),
    ];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toBeUndefined();
    expectDone(...changed);
    const kept = [
      comments([ackReply(2001, record(), ISO)]),
      original(
        ACK_COMMENT_ID,
        'alice',
        `/migration-ack ${REASON}\n\n(typo fixed below)`,
        '2026-11-20T11:00:00Z',
      ),
    ];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toBeDefined();
    expectDone(...kept);
  });

  test('multiple acks: the latest valid one', async () => {
    const scopes = [
      comments([
        ackReply(2001, record({ by: 'alice', commentId: 1001 }), '2026-11-20T10:00:00Z'),
        ackReply(2002, record({ by: 'bob', commentId: 1002, reason: 'second look' }), '2026-11-20T11:00:00Z'),
        ackReply(2003, record({ by: 'carol', commentId: 1003, reason: 'gone' }), '2026-11-20T12:00:00Z'),
        ackReply(
          2004,
          record({ by: 'dave', commentId: 1004, fingerprints: [findingFingerprint(INDEX)] }),
          '2026-11-20T13:00:00Z',
        ),
      ]),
      // 2004 covers one finding only (not fetched); 2003's comment was deleted; 2002 is valid.
      nock(API).get(`${base}/issues/comments/1003`).reply(404, { message: 'Not Found' }),
      original(1002, 'bob', '/migration-ack second look'),
    ];
    const ack = await currentAck(octokit(), REPO_REF, PULL, BLOCKING);
    expectDone(...scopes);
    expect(ack).toMatchObject({ user: 'bob', reason: 'second look', commentId: 1002 });
  });

  test('every page of comments is read', async () => {
    const page2 = `${API}/repositories/9/issues/${PULL}/comments?per_page=100&page=2`;
    const scopes = [
      nock(API)
        .get(`${base}/issues/${PULL}/comments`)
        .query({ per_page: '100' })
        .reply(200, [userComment(900, 'someone', 'first!')], {
          link: `<${page2}>; rel="next", <${page2}>; rel="last"`,
        }),
      nock(API)
        .get(`/repositories/9/issues/${PULL}/comments`)
        .query({ per_page: '100', page: '2' })
        .reply(200, [ackReply(2001, record(), ISO)]),
      original(ACK_COMMENT_ID, 'alice', `/migration-ack ${REASON}`),
    ];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toBeDefined();
    expectDone(...scopes);
  });

  test('forgeries are ignored: markers in human comments, edited app replies, acks from other PRs or users', async () => {
    const fake = ackReply(2001, record(), ISO);
    const scopes = [
      comments([
        { ...fake, id: 2001, user: { login: 'mallory', type: 'User' } },
        ackReply(2002, record({ commentId: 1002 }), ISO, '2026-11-21T00:00:00Z'),
        ackReply(2003, record({ commentId: 1003 }), ISO),
        ackReply(2004, record({ commentId: 1004, by: 'alice' }), ISO),
      ]),
      nock(API)
        .get(`${base}/issues/comments/1004`)
        .reply(200, userComment(1004, 'mallory', `/migration-ack ${REASON}`)),
      nock(API)
        .get(`${base}/issues/comments/1003`)
        .reply(200, {
          ...userComment(1003, 'alice', `/migration-ack ${REASON}`),
          issue_url: `${API}/repos/${OWNER}/${REPO}/issues/7`,
        }),
    ];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toBeUndefined();
    expectDone(...scopes);
  });

  test('an ack made while the check was running covers the findings of that commit', async () => {
    const pending = record({ fingerprints: null });
    const onHead = [
      comments([ackReply(2001, pending, ISO)]),
      pullHead(HEAD),
      original(ACK_COMMENT_ID, 'alice', `/migration-ack ${REASON}`),
    ];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toMatchObject({
      user: 'alice',
      acknowledged: findingFingerprints(BLOCKING),
    });
    expectDone(...onHead);

    // After a push: what that commit's completed check run listed, and nothing more.
    const afterPush = () => [
      comments([ackReply(2001, { ...pending, sha: OLD_HEAD }, ISO)]),
      pullHead(HEAD),
      nock(API)
        .get(`${base}/commits/${OLD_HEAD}/check-runs`)
        .query(true)
        .reply(200, { total_count: 1, check_runs: [{ ...checkRun(), head_sha: OLD_HEAD }] }),
    ];
    const covered = [...afterPush(), original(ACK_COMMENT_ID, 'alice', `/migration-ack ${REASON}`)];
    expect(await currentAck(octokit(), REPO_REF, PULL, BLOCKING)).toBeDefined();
    expectDone(...covered);
    const notCovered = afterPush();
    expect(await currentAck(octokit(), REPO_REF, PULL, [...BLOCKING, DROP])).toBeUndefined();
    expectDone(...notCovered);
  });

  test('no blocking findings: no ack, no requests', async () => {
    expect(await currentAck(octokit(), REPO_REF, PULL, [])).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

describe('fingerprints and markers', () => {
  test('fingerprints: 32 hex, stable under whitespace, sensitive to rule, file and statement', () => {
    const fp = findingFingerprint(INDEX);
    expect(fp).toMatch(/^[0-9a-f]{32}$/);
    expect(
      findingFingerprint({
        ...INDEX,
        line: 99,
        statementText: '  CREATE INDEX orders_status_idx\n\tON orders (status);',
      }),
    ).toBe(fp);
    expect(findingFingerprint({ ...INDEX, ruleId: 'other' })).not.toBe(fp);
    expect(findingFingerprint({ ...INDEX, file: 'db/migrations/0043.sql' })).not.toBe(fp);
    expect(
      findingFingerprint({ ...INDEX, statementText: 'CREATE INDEX orders_status_idx ON orders (state);' }),
    ).not.toBe(fp);
  });

  test('identical repeats get distinct fingerprints, the first one unchanged', () => {
    const fps = findingFingerprints([INDEX, DROP, { ...INDEX, line: 20 }, { ...INDEX, line: 30 }]);
    expect(fps[0]).toBe(findingFingerprint(INDEX));
    expect(fps[1]).toBe(findingFingerprint(DROP));
    expect(new Set(fps).size).toBe(4);
  });

  test('blocking marker: exact format, parsed back, refused when ambiguous', () => {
    const marker = blockingMarker(BLOCKING);
    const [fp1, fp2] = findingFingerprints(BLOCKING);
    expect(marker.split('\n')[0]).toBe(`<!-- migration-guard:blocking ["${fp1}","${fp2}"] -->`);
    expect(parseBlockingMarker(`intro\n${marker}\noutro`)).toEqual([fp1, fp2]);
    expect(parseBlockingMarker('<!-- migration-guard:blocking [] -->')).toEqual([]);
    expect(parseBlockingMarker('no marker')).toBeUndefined();
    expect(parseBlockingMarker(`${marker}\n<!-- migration-guard:blocking [] -->`)).toBeUndefined();
    expect(parseBlockingMarker('<!-- migration-guard:blocking ["not-hex"] -->')).toBeUndefined();
  });

  test('ack marker: JSON that cannot close the HTML comment, first line only', () => {
    const r = record({ reason: 'safe --> <!-- migration-guard:ack {} --> & done' });
    const marker = ackMarker(r);
    expect(marker).toMatch(
      /^<!-- migration-guard:ack \{"by":"alice","commentId":1001,"reason":".*","fingerprints":\[.*\],"sha":"[0-9a-f]{40}"\} -->$/,
    );
    expect(marker.slice(4, -4)).not.toContain('-->');
    expect(parseAckMarker(`${marker}\nhuman text`)).toEqual(r);
    expect(parseAckMarker(`hello\n${marker}`)).toBeUndefined();
  });

  test('command parsing', () => {
    expect(parseAckCommand('/migration-ack  reason here ')).toEqual({ reason: 'reason here' });
    expect(parseAckCommand('\n  /MIGRATION-ACK reason\nmore')).toEqual({ reason: 'reason' });
    expect(parseAckCommand('/migration-ack')).toBe('missing-reason');
    expect(parseAckCommand('/migration-ack   \nreason below')).toBe('missing-reason');
    expect(parseAckCommand('/migration-acked yes')).toBeUndefined();
    expect(parseAckCommand('please /migration-ack this')).toBeUndefined();
  });
});
