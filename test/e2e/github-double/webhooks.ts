/**
 * Webhook deliveries to the app: real example payloads from @octokit/webhooks-examples, with the
 * repository, pull request, installation, SHAs, users and ids replaced by the double's own so that
 * what the app fetches afterwards agrees with what the event said; signed like GitHub signs them.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Shapes } from './shapes';
import { now, type DoubleState, type RepoRecord } from './state';

type Obj = Record<string, unknown>;

interface WebhookDefinition {
  name: string;
  examples: Obj[];
}

let examples: WebhookDefinition[] | undefined;

/** A deep copy of the first example of `event` with `action` (or of any `fallback` action). */
export function example(event: string, action: string, fallback?: string): Obj {
  examples ??= JSON.parse(
    readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8'),
  ) as WebhookDefinition[];
  const def = examples.find((d) => d.name === event);
  const found =
    def?.examples.find((e) => e.action === action) ??
    (fallback ? def?.examples.find((e) => e.action === fallback) : undefined);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example`);
  return structuredClone(found);
}

/** Our fields over the example's: the example only contributes fields the double does not model. */
function over(exampleValue: unknown, ours: Obj): Obj {
  const base = exampleValue && typeof exampleValue === 'object' ? (exampleValue as Obj) : {};
  return { ...base, ...ours };
}

export interface WebhookPayloads {
  pullRequest(action: string, owner: string, repo: string, number: number, sender?: string): Obj;
  issueComment(
    owner: string,
    repo: string,
    number: number,
    user: string,
    body: string,
    commentId?: number,
  ): Obj;
  checkRunRerequested(owner: string, repo: string, checkRunId: number, sender?: string): Obj;
  checkSuiteRerequested(owner: string, repo: string, headShaOrSuiteId: string | number, sender?: string): Obj;
}

export function payloadBuilders(state: DoubleState, shapes: Shapes): WebhookPayloads {
  const repoOf = (owner: string, name: string): RepoRecord => {
    const repo = state.repo(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name} in the double`);
    return repo;
  };
  const common = (ex: Obj, repo: RepoRecord, sender: string): Obj => {
    const out: Obj = {
      ...ex,
      repository: over(ex.repository, shapes.repository(repo)),
      installation: {
        id: shapes.app.installationId,
        node_id: Buffer.from(`Installation:${shapes.app.installationId}`).toString('base64url'),
      },
      sender: shapes.user(sender),
    };
    if (repo.org) {
      const org = shapes.user(repo.owner);
      out.organization = {
        login: org.login,
        id: org.id,
        node_id: org.node_id,
        url: `${shapes.api}/orgs/${repo.owner}`,
        repos_url: `${shapes.api}/orgs/${repo.owner}/repos`,
        events_url: `${shapes.api}/orgs/${repo.owner}/events`,
        hooks_url: `${shapes.api}/orgs/${repo.owner}/hooks`,
        issues_url: `${shapes.api}/orgs/${repo.owner}/issues`,
        members_url: `${shapes.api}/orgs/${repo.owner}/members{/member}`,
        public_members_url: `${shapes.api}/orgs/${repo.owner}/public_members{/member}`,
        avatar_url: org.avatar_url,
        description: null,
      };
    } else {
      delete out.organization;
    }
    delete out.enterprise;
    return out;
  };
  const suitePayload = (repo: RepoRecord, suiteId: number, exampleSuite: unknown): Obj => {
    const suite = state.checkSuites.find((s) => s.id === suiteId);
    if (!suite) throw new Error(`no check suite ${suiteId}`);
    const shape = shapes.checkSuite(repo, suite);
    delete shape.repository;
    return over(exampleSuite, shape);
  };

  return {
    pullRequest(action, owner, name, number, sender) {
      const repo = repoOf(owner, name);
      const pr = state.pull(repo, number);
      if (!pr) throw new Error(`no pull request ${owner}/${name}#${number}`);
      const ex = example('pull_request', action, 'opened');
      const out = common(ex, repo, sender ?? pr.user);
      out.action = action;
      out.number = number;
      out.pull_request = over(ex.pull_request, shapes.pullRequest(repo, pr));
      if (action === 'synchronize') {
        out.before = pr.headHistory[pr.headHistory.length - 2] ?? state.headSha(pr);
        out.after = state.headSha(pr);
      } else {
        delete out.before;
        delete out.after;
      }
      return out;
    },

    issueComment(owner, name, number, user, body, commentId) {
      const repo = repoOf(owner, name);
      const pr = state.pull(repo, number);
      if (!pr) throw new Error(`no pull request ${owner}/${name}#${number}`);
      state.user(user);
      let comment = state.issueComments.find((c) => c.id === commentId);
      if (!comment) {
        // The comment exists on "GitHub" too, so the app can fetch it, edit it or react to it.
        comment = {
          id: commentId ?? state.nextId('issueComment'),
          owner: repo.owner,
          repo: repo.name,
          issueNumber: number,
          user,
          body,
          viaApp: false,
          createdAt: now(),
          updatedAt: now(),
        };
        state.issueComments.push(comment);
      }
      const ex = example('issue_comment', 'created');
      const out = common(ex, repo, user);
      out.action = 'created';
      out.issue = over(ex.issue, shapes.issueForPull(repo, pr));
      out.comment = over(ex.comment, shapes.issueComment(repo, comment));
      return out;
    },

    checkRunRerequested(owner, name, checkRunId, sender) {
      const repo = repoOf(owner, name);
      const run = state.checkRuns.find((r) => r.id === checkRunId);
      if (!run) throw new Error(`no check run ${checkRunId}`);
      const ex = example('check_run', 'rerequested');
      const out = common(ex, repo, sender ?? repo.owner);
      const exRun = (ex.check_run ?? {}) as Obj;
      out.check_run = over(exRun, {
        ...shapes.checkRun(repo, run),
        check_suite: suitePayload(repo, run.checkSuiteId, exRun.check_suite),
      });
      return out;
    },

    checkSuiteRerequested(owner, name, headShaOrSuiteId, sender) {
      const repo = repoOf(owner, name);
      const suite =
        typeof headShaOrSuiteId === 'number'
          ? state.checkSuites.find((s) => s.id === headShaOrSuiteId)
          : state.ensureCheckSuite(repo, headShaOrSuiteId);
      if (!suite) throw new Error(`no check suite ${headShaOrSuiteId}`);
      const ex = example('check_suite', 'rerequested');
      const out = common(ex, repo, sender ?? repo.owner);
      out.check_suite = suitePayload(repo, suite.id, ex.check_suite);
      return out;
    },
  };
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs a delivery to `${appUrl}/api/github/webhooks` as GitHub does; resolves to the HTTP status. */
export function sendWebhook(
  appUrl: string,
  event: string,
  payload: unknown,
  o: { secret: string; deliveryId?: string; forgeSignature?: boolean; appId?: number },
): Promise<number> {
  const body = JSON.stringify(payload);
  const url = new URL(
    /\/api\/github\/webhooks\/?$/.test(appUrl) ? appUrl : `${appUrl.replace(/\/$/, '')}/api/github/webhooks`,
  );
  const sig = signature(o.forgeSignature ? `${o.secret}-forged` : o.secret, body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'GitHub-Hookshot/double',
          'x-github-event': event,
          'x-github-delivery': o.deliveryId ?? randomUUID(),
          'x-github-hook-id': '1',
          'x-github-hook-installation-target-type': 'integration',
          'x-github-hook-installation-target-id': String(o.appId ?? 0),
          'x-hub-signature-256': sig,
          'x-hub-signature': `sha1=${createHmac('sha1', o.forgeSignature ? `${o.secret}-forged` : o.secret)
            .update(body)
            .digest('hex')}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
