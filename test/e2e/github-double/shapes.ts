/**
 * GitHub-shaped JSON for the double's records, following the response schemas of GitHub's OpenAPI
 * description (the e2e test validates every response against them). URLs use GitHub Enterprise
 * Server's layout: web pages at the root of the double, the REST API under `/api/v3`.
 */
import type {
  AnnotationRecord,
  ChangedFile,
  CheckRunRecord,
  CheckSuiteRecord,
  DoubleState,
  IssueCommentRecord,
  PullRecord,
  ReactionRecord,
  RepoRecord,
  ReviewCommentRecord,
  ReviewRecord,
  Role,
  UserRecord,
} from './state';

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  owner: string;
  installationId: number;
  permissions: Record<string, string>;
  events: string[];
  createdAt: string;
}

type Obj = Record<string, unknown>;

const enc = encodeURIComponent;
const encPath = (path: string) => path.split('/').map(enc).join('/');
const nodeId = (kind: string, id: number | string) => Buffer.from(`${kind}:${id}`).toString('base64url');
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Shapes {
  /** Web pages (GitHub Enterprise Server layout: at the root). Set once the server listens. */
  html = '';
  /** The REST API root, `html + '/api/v3'`. */
  api = '';

  constructor(
    private readonly state: DoubleState,
    readonly app: AppInfo,
  ) {}

  setBase(url: string): void {
    this.html = url;
    this.api = `${url}/api/v3`;
  }

  get botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  repoApi(repo: RepoRecord): string {
    return `${this.api}/repos/${enc(repo.owner)}/${enc(repo.name)}`;
  }

  repoHtml(repo: RepoRecord): string {
    return `${this.html}/${enc(repo.owner)}/${enc(repo.name)}`;
  }

  user(login: string): Obj {
    const u: UserRecord = this.state.user(login);
    const url = `${this.api}/users/${enc(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type, u.id),
      avatar_url: `${this.html}/avatars/u/${u.id}?`,
      gravatar_id: '',
      url,
      html_url: u.type === 'Bot' ? `${this.html}/apps/${enc(this.app.slug)}` : `${this.html}/${enc(u.login)}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: u.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  bot(): Obj {
    this.state.user(this.botLogin, 'Bot');
    return this.user(this.botLogin);
  }

  integration(): Obj {
    return {
      id: this.app.id,
      slug: this.app.slug,
      node_id: nodeId('App', this.app.id),
      client_id: `Iv1.${this.app.id.toString(16).padStart(16, '0')}`,
      owner: this.user(this.app.owner),
      name: this.app.name,
      description: 'GitHub API double',
      external_url: `${this.html}/apps/${enc(this.app.slug)}`,
      html_url: `${this.html}/apps/${enc(this.app.slug)}`,
      created_at: this.app.createdAt,
      updated_at: this.app.createdAt,
      permissions: this.app.permissions,
      events: this.app.events,
      installations_count: 1,
    };
  }

  installation(account: string): Obj {
    const u = this.state.user(account);
    return {
      id: this.app.installationId,
      account: this.user(account),
      repository_selection: 'all',
      access_tokens_url: `${this.api}/app/installations/${this.app.installationId}/access_tokens`,
      repositories_url: `${this.api}/installation/repositories`,
      html_url: `${this.html}/${u.type === 'Organization' ? `organizations/${enc(account)}/` : ''}settings/installations/${this.app.installationId}`,
      app_id: this.app.id,
      app_slug: this.app.slug,
      target_id: u.id,
      target_type: u.type === 'Organization' ? 'Organization' : 'User',
      permissions: this.app.permissions,
      events: this.app.events,
      created_at: this.app.createdAt,
      updated_at: this.app.createdAt,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  }

  repository(repo: RepoRecord, full = false): Obj {
    const url = this.repoApi(repo);
    const html = this.repoHtml(repo);
    const pushedAt = repo.branches.size
      ? iso(Math.max(...[...repo.branches.values()].map((s) => repo.git.commits.get(s)?.committer.time ?? 0)))
      : null;
    const shape: Obj = {
      id: repo.id,
      node_id: nodeId('Repository', repo.id),
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: true,
      owner: this.user(repo.owner),
      html_url: html,
      description: null,
      fork: false,
      url,
      forks_url: `${url}/forks`,
      keys_url: `${url}/keys{/key_id}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      teams_url: `${url}/teams`,
      hooks_url: `${url}/hooks`,
      issue_events_url: `${url}/issues/events{/number}`,
      events_url: `${url}/events`,
      assignees_url: `${url}/assignees{/user}`,
      branches_url: `${url}/branches{/branch}`,
      tags_url: `${url}/tags`,
      blobs_url: `${url}/git/blobs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      trees_url: `${url}/git/trees{/sha}`,
      statuses_url: `${url}/statuses/{sha}`,
      languages_url: `${url}/languages`,
      stargazers_url: `${url}/stargazers`,
      contributors_url: `${url}/contributors`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      commits_url: `${url}/commits{/sha}`,
      git_commits_url: `${url}/git/commits{/sha}`,
      comments_url: `${url}/comments{/number}`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      contents_url: `${url}/contents/{+path}`,
      compare_url: `${url}/compare/{base}...{head}`,
      merges_url: `${url}/merges`,
      archive_url: `${url}/{archive_format}{/ref}`,
      downloads_url: `${url}/downloads`,
      issues_url: `${url}/issues{/number}`,
      pulls_url: `${url}/pulls{/number}`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      labels_url: `${url}/labels{/name}`,
      releases_url: `${url}/releases{/id}`,
      deployments_url: `${url}/deployments`,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      pushed_at: pushedAt,
      git_url: `${this.html.replace(/^https?/, 'git')}/${repo.owner}/${repo.name}.git`,
      ssh_url: `git@${new URL(this.html).host}:${repo.owner}/${repo.name}.git`,
      clone_url: `${html}.git`,
      svn_url: html,
      homepage: null,
      size: 0,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: false,
      disabled: false,
      open_issues_count: this.state.pulls.filter((p) => p.owner === repo.owner && p.repo === repo.name)
        .length,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      visibility: 'private',
      forks: 0,
      open_issues: this.state.pulls.filter((p) => p.owner === repo.owner && p.repo === repo.name).length,
      watchers: 0,
      default_branch: repo.defaultBranch,
    };
    if (full) {
      shape.network_count = 0;
      shape.subscribers_count = 0;
      shape.permissions = { admin: false, maintain: false, push: false, triage: false, pull: true };
      if (repo.org) shape.organization = this.user(repo.owner);
    }
    return shape;
  }

  private repoMinimalRef(repo: RepoRecord, ref: string, sha: string): Obj {
    return { ref, sha, repo: { id: repo.id, url: this.repoApi(repo), name: repo.name } };
  }

  /** The `pull_requests` of a check run: open pull requests of the same repository whose head is `sha`. */
  pullRequestsForSha(repo: RepoRecord, sha: string): Obj[] {
    return this.state.pulls
      .filter((p) => p.owner === repo.owner && p.repo === repo.name && p.state === 'open')
      .filter((p) => this.state.headSha(p) === sha)
      .map((p) => ({
        id: p.id,
        number: p.number,
        url: `${this.repoApi(repo)}/pulls/${p.number}`,
        head: this.repoMinimalRef(repo, p.headRef, this.state.headSha(p)),
        base: this.repoMinimalRef(repo, p.baseRef, this.state.baseSha(repo, p)),
      }));
  }

  authorAssociation(repo: RepoRecord, login: string): string {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return 'OWNER';
    const role = repo.permissions.get(login);
    if (role && role !== 'none' && role !== 'read') return repo.org ? 'MEMBER' : 'COLLABORATOR';
    return login.endsWith('[bot]') ? 'NONE' : 'CONTRIBUTOR';
  }

  pullRequest(repo: RepoRecord, pr: PullRecord): Obj {
    const url = `${this.repoApi(repo)}/pulls/${pr.number}`;
    const issueUrl = `${this.repoApi(repo)}/issues/${pr.number}`;
    const html = `${this.repoHtml(repo)}/pull/${pr.number}`;
    const head = this.state.headSha(pr);
    const base = this.state.baseSha(repo, pr);
    const files = this.state.pullFiles(repo, pr);
    const mergeBase = repo.git.mergeBase(base, head);
    const commits = mergeBase
      ? [...repo.git.ancestors(head)].filter((s) => !repo.git.ancestors(mergeBase).has(s)).length
      : 0;
    const side = (ref: string, sha: string) => ({
      label: `${repo.owner}:${ref}`,
      ref,
      sha,
      user: this.user(repo.owner),
      repo: this.repository(repo),
    });
    return {
      url,
      id: pr.id,
      node_id: nodeId('PullRequest', pr.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.user(pr.user),
      body: pr.body,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      labels: [],
      milestone: null,
      draft: pr.draft,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${this.repoApi(repo)}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${this.repoApi(repo)}/statuses/${head}`,
      head: side(pr.headRef, head),
      base: side(pr.baseRef, base),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${this.repoApi(repo)}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${this.repoApi(repo)}/statuses/${head}` },
      },
      author_association: this.authorAssociation(repo, pr.user),
      auto_merge: null,
      active_lock_reason: null,
      merged: false,
      mergeable: true,
      rebaseable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: this.state.issueComments.filter(
        (c) => c.owner === repo.owner && c.repo === repo.name && c.issueNumber === pr.number,
      ).length,
      review_comments: this.state.reviewComments.filter(
        (c) => c.owner === repo.owner && c.repo === repo.name && c.pullNumber === pr.number,
      ).length,
      maintainer_can_modify: false,
      commits,
      additions: files.reduce((n, f) => n + f.diff.additions, 0),
      deletions: files.reduce((n, f) => n + f.diff.deletions, 0),
      changed_files: files.length,
    };
  }

  /** The issue side of a pull request (for issue_comment payloads). */
  issueForPull(repo: RepoRecord, pr: PullRecord): Obj {
    const url = `${this.repoApi(repo)}/issues/${pr.number}`;
    const html = `${this.repoHtml(repo)}/pull/${pr.number}`;
    return {
      url,
      repository_url: this.repoApi(repo),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: html,
      id: pr.id + 10_000_000,
      node_id: nodeId('Issue', pr.id),
      number: pr.number,
      title: pr.title,
      user: this.user(pr.user),
      labels: [],
      state: pr.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: this.state.issueComments.filter(
        (c) => c.owner === repo.owner && c.repo === repo.name && c.issueNumber === pr.number,
      ).length,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: null,
      author_association: this.authorAssociation(repo, pr.user),
      active_lock_reason: null,
      draft: pr.draft,
      pull_request: {
        url: `${this.repoApi(repo)}/pulls/${pr.number}`,
        html_url: html,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        merged_at: null,
      },
      body: pr.body,
      reactions: this.reactionRollup(`${url}/reactions`, []),
      timeline_url: `${url}/timeline`,
      performed_via_github_app: null,
      state_reason: null,
    };
  }

  diffEntry(repo: RepoRecord, headSha: string, f: ChangedFile): Obj {
    const path = encPath(f.path);
    const entry: Obj = {
      sha: f.newSha ?? f.oldSha ?? '0000000000000000000000000000000000000000',
      filename: f.path,
      status: f.status,
      additions: f.diff.additions,
      deletions: f.diff.deletions,
      changes: f.diff.additions + f.diff.deletions,
      blob_url: `${this.repoHtml(repo)}/blob/${headSha}/${path}`,
      raw_url: `${this.repoHtml(repo)}/raw/${headSha}/${path}`,
      contents_url: `${this.repoApi(repo)}/contents/${path}?ref=${headSha}`,
    };
    if (f.diff.patch !== undefined) entry.patch = f.diff.patch;
    if (f.previousPath) entry.previous_filename = f.previousPath;
    return entry;
  }

  gitCommit(repo: RepoRecord, sha: string): Obj {
    const c = repo.git.commits.get(sha);
    if (!c) throw new Error(`no commit ${sha}`);
    const person = (p: { name: string; email: string; time: number }) => ({
      name: p.name,
      email: p.email,
      date: iso(p.time),
    });
    return {
      sha,
      node_id: nodeId('Commit', sha),
      url: `${this.repoApi(repo)}/git/commits/${sha}`,
      html_url: `${this.repoHtml(repo)}/commit/${sha}`,
      author: person(c.author),
      committer: person(c.committer),
      tree: { sha: c.tree, url: `${this.repoApi(repo)}/git/trees/${c.tree}` },
      message: c.message.replace(/\n$/, ''),
      parents: c.parents.map((p) => ({
        sha: p,
        url: `${this.repoApi(repo)}/git/commits/${p}`,
        html_url: `${this.repoHtml(repo)}/commit/${p}`,
      })),
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    };
  }

  /** `GET /repos/{owner}/{repo}/commits/{ref}`: the commit with its stats and changed files. */
  commit(repo: RepoRecord, sha: string, files?: ChangedFile[]): Obj {
    const git = this.gitCommit(repo, sha);
    const c = repo.git.commits.get(sha);
    const changed = files ?? this.state.changedFiles(repo, c?.parents[0], sha);
    const additions = changed.reduce((n, f) => n + f.diff.additions, 0);
    const deletions = changed.reduce((n, f) => n + f.diff.deletions, 0);
    return {
      sha,
      node_id: git.node_id,
      url: `${this.repoApi(repo)}/commits/${sha}`,
      html_url: `${this.repoHtml(repo)}/commit/${sha}`,
      comments_url: `${this.repoApi(repo)}/commits/${sha}/comments`,
      commit: {
        url: git.url,
        author: git.author,
        committer: git.committer,
        message: git.message,
        tree: git.tree,
        comment_count: 0,
        verification: git.verification,
      },
      author: null,
      committer: null,
      parents: (git.parents as Obj[]).map((p) => ({
        sha: p.sha,
        url: `${this.repoApi(repo)}/commits/${String(p.sha)}`,
        html_url: p.html_url,
      })),
      stats: { total: additions + deletions, additions, deletions },
      files: changed.map((f) => this.diffEntry(repo, sha, f)),
    };
  }

  checkSuite(repo: RepoRecord, suite: CheckSuiteRecord): Obj {
    const runs = this.state.checkRuns.filter((r) => r.checkSuiteId === suite.id);
    const status =
      runs.length === 0
        ? 'queued'
        : runs.every((r) => r.status === 'completed')
          ? 'completed'
          : 'in_progress';
    const conclusions = runs.map((r) => r.conclusion);
    const order = ['action_required', 'cancelled', 'timed_out', 'failure', 'neutral', 'skipped', 'success'];
    const conclusion =
      status === 'completed' ? (order.find((c) => conclusions.includes(c)) ?? conclusions[0] ?? null) : null;
    const c = repo.git.commits.get(suite.headSha);
    return {
      id: suite.id,
      node_id: nodeId('CheckSuite', suite.id),
      head_branch: suite.headBranch,
      head_sha: suite.headSha,
      status,
      conclusion,
      url: `${this.repoApi(repo)}/check-suites/${suite.id}`,
      before: suite.before,
      after: suite.headSha,
      pull_requests: this.pullRequestsForSha(repo, suite.headSha),
      app: this.integration(),
      repository: this.repository(repo),
      created_at: suite.createdAt,
      updated_at: suite.updatedAt,
      head_commit: {
        id: suite.headSha,
        tree_id: c?.tree ?? '',
        message: c?.message.replace(/\n$/, '') ?? '',
        timestamp: c ? iso(c.committer.time) : suite.createdAt,
        author: c ? { name: c.author.name, email: c.author.email } : null,
        committer: c ? { name: c.committer.name, email: c.committer.email } : null,
      },
      latest_check_runs_count: runs.length,
      check_runs_url: `${this.repoApi(repo)}/check-suites/${suite.id}/check-runs`,
      rerequestable: true,
      runs_rerequestable: true,
    };
  }

  checkRun(repo: RepoRecord, run: CheckRunRecord): Obj {
    const url = `${this.repoApi(repo)}/check-runs/${run.id}`;
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: nodeId('CheckRun', run.id),
      external_id: run.externalId,
      url,
      html_url: `${this.repoHtml(repo)}/runs/${run.id}`,
      details_url: run.detailsUrl ?? `${this.repoHtml(repo)}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.checkSuiteId },
      app: this.integration(),
      pull_requests: this.pullRequestsForSha(repo, run.headSha),
    };
  }

  annotation(repo: RepoRecord, run: CheckRunRecord, a: AnnotationRecord): Obj {
    return {
      path: a.path,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column ?? null,
      end_column: a.end_column ?? null,
      annotation_level: a.annotation_level,
      title: a.title ?? null,
      message: a.message,
      raw_details: a.raw_details ?? null,
      blob_href: `${this.repoHtml(repo)}/blob/${run.headSha}/${encPath(a.path)}`,
    };
  }

  review(repo: RepoRecord, r: ReviewRecord): Obj {
    const pullUrl = `${this.repoApi(repo)}/pulls/${r.pullNumber}`;
    const html = `${this.repoHtml(repo)}/pull/${r.pullNumber}#pullrequestreview-${r.id}`;
    return {
      id: r.id,
      node_id: nodeId('PullRequestReview', r.id),
      user: this.user(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: this.authorAssociation(repo, r.user),
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      submitted_at: r.submittedAt ?? undefined,
      commit_id: r.commitId,
    };
  }

  reviewComment(repo: RepoRecord, c: ReviewCommentRecord): Obj {
    const url = `${this.repoApi(repo)}/pulls/comments/${c.id}`;
    const pullUrl = `${this.repoApi(repo)}/pulls/${c.pullNumber}`;
    const html = `${this.repoHtml(repo)}/pull/${c.pullNumber}#discussion_r${c.id}`;
    const shape: Obj = {
      url,
      pull_request_review_id: c.reviewId,
      id: c.id,
      node_id: nodeId('PullRequestReviewComment', c.id),
      diff_hunk: c.diffHunk,
      path: c.path,
      position: c.position,
      original_position: c.position,
      commit_id: c.commitId,
      original_commit_id: c.commitId,
      user: this.user(c.user),
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: this.authorAssociation(repo, c.user),
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
      reactions: this.reactionRollup(`${url}/reactions`, []),
      start_line: c.startLine,
      original_start_line: c.startLine,
      start_side: c.startSide,
      line: c.line,
      original_line: c.line,
      side: c.side,
      subject_type: 'line',
    };
    if (c.inReplyToId) shape.in_reply_to_id = c.inReplyToId;
    return shape;
  }

  issueComment(repo: RepoRecord, c: IssueCommentRecord): Obj {
    const url = `${this.repoApi(repo)}/issues/comments/${c.id}`;
    return {
      url,
      html_url: `${this.repoHtml(repo)}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${this.repoApi(repo)}/issues/${c.issueNumber}`,
      id: c.id,
      node_id: nodeId('IssueComment', c.id),
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: this.authorAssociation(repo, c.user),
      body: c.body,
      reactions: this.reactionRollup(
        `${url}/reactions`,
        this.state.reactions.filter((r) => r.commentId === c.id),
      ),
      performed_via_github_app: c.viaApp ? this.integration() : null,
    };
  }

  reaction(r: ReactionRecord): Obj {
    return {
      id: r.id,
      node_id: nodeId('Reaction', r.id),
      user: this.user(r.user),
      content: r.content,
      created_at: r.createdAt,
    };
  }

  reactionRollup(url: string, reactions: ReactionRecord[]): Obj {
    const count = (content: string) => reactions.filter((r) => r.content === content).length;
    return {
      url,
      total_count: reactions.length,
      '+1': count('+1'),
      '-1': count('-1'),
      laugh: count('laugh'),
      hooray: count('hooray'),
      confused: count('confused'),
      heart: count('heart'),
      rocket: count('rocket'),
      eyes: count('eyes'),
    };
  }

  collaboratorPermission(login: string, role: Role): Obj {
    // GitHub's `permission` is the legacy level: maintain → write, triage → read.
    const legacy: Record<Role, string> = {
      admin: 'admin',
      maintain: 'write',
      write: 'write',
      triage: 'read',
      read: 'read',
      none: 'none',
    };
    const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
    return {
      permission: legacy[role],
      role_name: role,
      user: {
        ...this.user(login),
        permissions: {
          pull: rank >= 1,
          triage: rank >= 2,
          push: rank >= 3,
          maintain: rank >= 4,
          admin: rank >= 5,
        },
        role_name: role,
      },
    };
  }
}
