/**
 * A local GitHub REST API double for end-to-end tests and the demo: a real HTTP server on 127.0.0.1
 * that answers the operations Migration Guard (through Probot) uses, keeps state, and validates every
 * request against GitHub's official OpenAPI description. Point Probot at it with
 * `GHE_HOST=<double.host> GHE_PROTOCOL=http`.
 *
 * Modules: openapi.ts (router and validators), server.ts (request pipeline, failure injection, logs),
 * auth.ts (JWT and installation tokens), git-store.ts and diff.ts (git objects, patches), state.ts
 * (records), shapes.ts (GitHub-shaped JSON), handlers/* (operations by area), webhooks.ts.
 */
import { Authenticator } from './auth';
import type { Handler } from './context';
import { accessHandlers } from './handlers/access';
import { appHandlers } from './handlers/app';
import { checkHandlers } from './handlers/checks';
import { gitHandlers } from './handlers/git';
import { issueHandlers } from './handlers/issues';
import { pullHandlers } from './handlers/pulls';
import { loadOpenApi } from './openapi';
import {
  DoubleServer,
  type FailureRule,
  type RequestLogEntry,
  type ServerStats,
  type Violation,
} from './server';
import { Shapes } from './shapes';
import { DoubleState, now, type Role } from './state';
import { payloadBuilders, sendWebhook, type WebhookPayloads } from './webhooks';

export type { FailureRule, RequestLogEntry, ServerStats, Violation } from './server';
export type { DoubleState, Role } from './state';
export { signature as webhookSignature } from './webhooks';

export interface DoubleOptions {
  appId: number;
  /** The public half of the app's PRIVATE_KEY; app JWTs are verified with it. */
  publicKeyPem: string;
  installationId?: number;
  /** Default `migration-guard`; the bot user is `<slug>[bot]`. */
  appSlug?: string;
  appName?: string;
  /** The account that owns the app. Default `migration-guard-dev`. */
  appOwner?: string;
  /** Permissions the installation grants. Default: what Migration Guard asks for. */
  permissions?: Record<string, string>;
  /**
   * Also validate every JSON response against the description (a check of the double itself).
   * Default: on when GITHUB_DOUBLE_VALIDATE_RESPONSES=1.
   */
  validateResponses?: boolean;
}

export interface GitHubDouble {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/api/v3' */
  apiBase: string;
  /** 127.0.0.1:PORT, for GHE_HOST */
  host: string;
  appId: number;
  installationId: number;
  createRepo(owner: string, repo: string, opts?: { defaultBranch?: string; org?: boolean }): void;
  /** Commits `files` (null deletes) on `branch` (created from the default branch if new); returns the SHA. */
  commit(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    message?: string,
  ): string;
  openPullRequest(
    owner: string,
    repo: string,
    o: {
      head: string;
      base: string;
      number?: number;
      title?: string;
      body?: string;
      user?: string;
      draft?: boolean;
    },
  ): { number: number; headSha: string; baseSha: string };
  setPermission(owner: string, repo: string, user: string, permission: Role): void;
  addTeamMember(org: string, team: string, user: string): void;
  /** Answers the next `times` (default 1) requests matching method and path (without `/api/v3`) with `status`. */
  failNext(rule: FailureRule): void;
  requests: RequestLogEntry[];
  violations: Violation[];
  state: DoubleState;
  stats: ServerStats & { startMs: number; openApiLoadMs: number; validatorCompileMs: () => number };
  payloads: WebhookPayloads;
  sendWebhook(
    appUrl: string,
    event: string,
    payload: unknown,
    o: { secret: string; deliveryId?: string; forgeSignature?: boolean },
  ): Promise<number>;
  close(): Promise<void>;
}

const DEFAULT_PERMISSIONS = {
  checks: 'write',
  contents: 'read',
  issues: 'write',
  metadata: 'read',
  members: 'read',
  pull_requests: 'write',
};

export async function startGitHubDouble(o: DoubleOptions): Promise<GitHubDouble> {
  const started = performance.now();
  const openapi = loadOpenApi();
  const state = new DoubleState();
  const auth = new Authenticator(state, o.appId, o.publicKeyPem);
  const installationId = o.installationId ?? 4242;
  const handlers: Record<string, Handler> = {
    ...appHandlers(auth),
    ...gitHandlers,
    ...pullHandlers,
    ...checkHandlers,
    ...issueHandlers,
    ...accessHandlers,
  };
  const app = {
    id: o.appId,
    slug: o.appSlug ?? 'migration-guard',
    name: o.appName ?? 'Migration Guard',
    owner: o.appOwner ?? 'migration-guard-dev',
    installationId,
    permissions: o.permissions ?? DEFAULT_PERMISSIONS,
    events: ['check_run', 'check_suite', 'issue_comment', 'pull_request'],
    createdAt: now(),
  };
  const shapes = new Shapes(state, app);
  const server = new DoubleServer(
    openapi,
    state,
    shapes,
    auth,
    handlers,
    o.validateResponses ?? process.env.GITHUB_DOUBLE_VALIDATE_RESPONSES === '1',
  );
  const port = await server.listen();
  shapes.setBase(`http://127.0.0.1:${port}`);
  const payloads = payloadBuilders(state, shapes);

  const repoOf = (owner: string, repo: string) => {
    const r = state.repo(owner, repo);
    if (!r) throw new Error(`no repository ${owner}/${repo} in the double (createRepo first)`);
    return r;
  };

  return {
    url: shapes.html,
    apiBase: shapes.api,
    host: `127.0.0.1:${port}`,
    appId: o.appId,
    installationId,
    requests: server.requests,
    violations: server.violations,
    state,
    stats: Object.assign(server.stats, {
      startMs: performance.now() - started,
      openApiLoadMs: openapi.loadMs,
      validatorCompileMs: () => openapi.compileMs,
    }),
    payloads,

    createRepo(owner, repo, opts) {
      state.createRepo(owner, repo, opts);
    },

    commit(owner, repo, branch, files, message) {
      return state.commit(repoOf(owner, repo), branch, files, message);
    },

    openPullRequest(owner, repo, p) {
      const r = repoOf(owner, repo);
      const headSha = r.branches.get(p.head);
      const baseSha = r.branches.get(p.base);
      if (!headSha) throw new Error(`no branch ${p.head} in ${owner}/${repo}`);
      if (!baseSha) throw new Error(`no branch ${p.base} in ${owner}/${repo}`);
      const number = p.number ?? r.nextNumber;
      if (state.pull(r, number)) throw new Error(`#${number} exists in ${owner}/${repo}`);
      r.nextNumber = Math.max(r.nextNumber, number + 1);
      const user = p.user ?? 'contributor';
      state.user(user);
      state.pulls.push({
        id: state.nextId('pull'),
        owner: r.owner,
        repo: r.name,
        number,
        title: p.title ?? `Change ${p.head}`,
        body: p.body ?? null,
        user,
        headRef: p.head,
        baseRef: p.base,
        state: 'open',
        draft: p.draft ?? false,
        createdAt: now(),
        updatedAt: now(),
        headHistory: [headSha],
      });
      return { number, headSha, baseSha };
    },

    setPermission(owner, repo, user, permission) {
      state.user(user);
      repoOf(owner, repo).permissions.set(user, permission);
    },

    addTeamMember(org, team, user) {
      state.user(org, 'Organization');
      state.user(user);
      const key = `${org}/${team}`.toLowerCase();
      let record = state.teams.get(key);
      if (!record)
        state.teams.set(key, (record = { id: state.nextId('team'), org, slug: team, members: new Set() }));
      record.members.add(user);
    },

    failNext(rule) {
      server.rules.push({ ...rule, remaining: rule.times ?? 1 });
    },

    sendWebhook(appUrl, event, payload, w) {
      return sendWebhook(appUrl, event, payload, { ...w, appId: o.appId });
    },

    close() {
      return server.close();
    },
  };
}
