/**
 * The double's world: users, repositories (each with its own git object store and branches), pull
 * requests, check suites and runs, reviews, review comments, issue comments, reactions, permissions,
 * teams and installation tokens. Records are plain objects that tests may read directly
 * (`double.state`); handlers turn them into GitHub-shaped JSON (shapes.ts).
 */
import { GitStore } from './git-store';
import { CommentableLines, diffText, type FileDiff } from './diff';

export type Role = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Organization' | 'Bot';
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  org: boolean;
  defaultBranch: string;
  branches: Map<string, string>;
  git: GitStore;
  createdAt: string;
  /** Issues and pull requests share one number sequence per repository. */
  nextNumber: number;
  permissions: Map<string, Role>;
}

export interface PullRecord {
  id: number;
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  user: string;
  headRef: string;
  baseRef: string;
  state: 'open' | 'closed';
  draft: boolean;
  createdAt: string;
  updatedAt: string;
  /** Head SHAs in the order the head branch moved (the last one is current). */
  headHistory: string[];
}

export interface CheckSuiteRecord {
  id: number;
  owner: string;
  repo: string;
  headSha: string;
  headBranch: string | null;
  before: string | null;
  createdAt: string;
  updatedAt: string;
  rerequests: number;
}

export interface AnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationRecord[];
  actions: { label: string; description: string; identifier: string }[];
  checkSuiteId: number;
  /** Number of PATCH requests applied. */
  updates: number;
  rerequests: number;
}

export interface ReviewRecord {
  id: number;
  owner: string;
  repo: string;
  pullNumber: number;
  user: string;
  body: string;
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING' | 'DISMISSED';
  commitId: string;
  submittedAt: string | null;
}

export interface ReviewCommentRecord {
  id: number;
  reviewId: number;
  owner: string;
  repo: string;
  pullNumber: number;
  path: string;
  body: string;
  user: string;
  commitId: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT';
  startLine: number | null;
  startSide: 'LEFT' | 'RIGHT' | null;
  position: number | null;
  diffHunk: string;
  inReplyToId?: number;
  createdAt: string;
  updatedAt: string;
}

export interface IssueCommentRecord {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  user: string;
  body: string;
  /** Created through the API with an installation token (so by the app's bot). */
  viaApp: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ReactionRecord {
  id: number;
  commentId: number;
  user: string;
  content: string;
  createdAt: string;
}

export interface TokenRecord {
  token: string;
  installationId: number;
  expiresAt: number;
  repositories?: string[];
  permissions: Record<string, string>;
}

export interface TeamRecord {
  id: number;
  org: string;
  slug: string;
  members: Set<string>;
}

export const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class DoubleState {
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly pulls: PullRecord[] = [];
  readonly checkSuites: CheckSuiteRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly reviewComments: ReviewCommentRecord[] = [];
  readonly issueComments: IssueCommentRecord[] = [];
  readonly reactions: ReactionRecord[] = [];
  readonly tokens = new Map<string, TokenRecord>();
  readonly teams = new Map<string, TeamRecord>();

  /** Separate id ranges per kind, so an id used on the wrong endpoint is a 404, not another object. */
  private readonly ids = new Map<string, number>();
  /** A logical clock for commit times, so commit SHAs are reproducible. */
  private commitClock = Date.UTC(2024, 0, 1) / 1000;

  nextId(kind: string): number {
    const bases: Record<string, number> = {
      user: 1_000,
      repo: 100_000,
      pull: 2_000_000,
      suite: 3_000_000,
      run: 4_000_000,
      review: 5_000_000,
      reviewComment: 6_000_000,
      issueComment: 7_000_000,
      reaction: 8_000_000,
      team: 9_000,
    };
    const next = (this.ids.get(kind) ?? bases[kind] ?? 1) + 1;
    this.ids.set(kind, next);
    return next;
  }

  user(login: string, type: UserRecord['type'] = login.endsWith('[bot]') ? 'Bot' : 'User'): UserRecord {
    let u = this.users.get(login.toLowerCase());
    if (!u) {
      u = { login, id: this.nextId('user'), type };
      this.users.set(login.toLowerCase(), u);
    } else if (type !== 'User' && u.type === 'User') {
      u.type = type;
    }
    return u;
  }

  findUser(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  createRepo(owner: string, name: string, opts: { defaultBranch?: string; org?: boolean } = {}): RepoRecord {
    if (this.repo(owner, name)) throw new Error(`repository ${owner}/${name} exists`);
    const org = opts.org ?? false;
    this.user(owner, org ? 'Organization' : 'User');
    const record: RepoRecord = {
      id: this.nextId('repo'),
      owner,
      name,
      org,
      defaultBranch: opts.defaultBranch ?? 'main',
      branches: new Map(),
      git: new GitStore(),
      createdAt: now(),
      nextNumber: 1,
      permissions: new Map(org ? [] : [[owner, 'admin']]),
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), record);
    return record;
  }

  commit(repo: RepoRecord, branch: string, files: Record<string, string | null>, message?: string): string {
    const parent = repo.branches.get(branch) ?? repo.branches.get(repo.defaultBranch);
    const snapshot = repo.git.filesAt(parent);
    for (const [path, content] of Object.entries(files)) {
      const clean = path.replace(/^\/+/, '');
      if (content === null) snapshot.delete(clean);
      else snapshot.set(clean, repo.git.putBlob(content));
    }
    const tree = repo.git.writeTree(snapshot);
    this.commitClock += 60;
    const person = { name: 'Test Author', email: 'author@example.com', time: this.commitClock };
    const sha = repo.git.putCommit({
      tree,
      parents: parent ? [parent] : [],
      author: person,
      committer: person,
      message: message ?? `Update ${Object.keys(files).join(', ')}`,
    });
    repo.branches.set(branch, sha);
    for (const pr of this.pulls) {
      if (pr.owner === repo.owner && pr.repo === repo.name && pr.headRef === branch && pr.state === 'open') {
        pr.headHistory.push(sha);
        pr.updatedAt = now();
      }
    }
    return sha;
  }

  /** A branch name, `refs/heads/…`/`heads/…`, or a full or abbreviated commit SHA. */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const name = ref.replace(/^refs\//, '').replace(/^heads\//, '');
    return repo.branches.get(name) ?? repo.git.findCommit(ref);
  }

  pull(repo: RepoRecord, number: number): PullRecord | undefined {
    return this.pulls.find((p) => p.owner === repo.owner && p.repo === repo.name && p.number === number);
  }

  headSha(pr: PullRecord): string {
    return pr.headHistory[pr.headHistory.length - 1];
  }

  baseSha(repo: RepoRecord, pr: PullRecord): string {
    return repo.branches.get(pr.baseRef) as string;
  }

  /** The files a pull request changes: merge base of base and head against head, as GitHub shows them. */
  pullFiles(repo: RepoRecord, pr: PullRecord, headSha = this.headSha(pr)): ChangedFile[] {
    const base = repo.git.mergeBase(this.baseSha(repo, pr), headSha) ?? this.baseSha(repo, pr);
    return this.changedFiles(repo, base, headSha);
  }

  changedFiles(repo: RepoRecord, fromSha: string | undefined, toSha: string): ChangedFile[] {
    const before = repo.git.filesAt(fromSha);
    const after = repo.git.filesAt(toSha);
    const text = (sha: string | undefined) => (sha ? (repo.git.blobs.get(sha)?.toString('utf8') ?? '') : '');
    const out: ChangedFile[] = [];
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    for (const path of paths) {
      const a = before.get(path);
      const b = after.get(path);
      if (a === b) continue;
      const status = !a ? 'added' : !b ? 'removed' : 'modified';
      out.push({ path, status, oldSha: a, newSha: b, diff: diffText(text(a), text(b)) });
    }
    // Exact renames: a removed and an added file with the same content.
    for (const removed of out.filter((f) => f.status === 'removed')) {
      const added = out.find((f) => f.status === 'added' && f.newSha === removed.oldSha && !f.previousPath);
      if (!added) continue;
      added.status = 'renamed';
      added.previousPath = removed.path;
      added.oldSha = removed.oldSha;
      added.diff = diffText('', '');
      out.splice(out.indexOf(removed), 1);
    }
    return out;
  }

  ensureCheckSuite(repo: RepoRecord, headSha: string): CheckSuiteRecord {
    let suite = this.checkSuites.find(
      (s) => s.owner === repo.owner && s.repo === repo.name && s.headSha === headSha,
    );
    if (!suite) {
      const branch = [...repo.branches].find(([, sha]) => sha === headSha)?.[0] ?? null;
      suite = {
        id: this.nextId('suite'),
        owner: repo.owner,
        repo: repo.name,
        headSha,
        headBranch: branch,
        before: repo.git.commits.get(headSha)?.parents[0] ?? null,
        createdAt: now(),
        updatedAt: now(),
        rerequests: 0,
      };
      this.checkSuites.push(suite);
    }
    return suite;
  }
}

export interface ChangedFile {
  path: string;
  status: 'added' | 'removed' | 'modified' | 'renamed';
  previousPath?: string;
  oldSha?: string;
  newSha?: string;
  diff: FileDiff;
}

export function commentable(file: ChangedFile): CommentableLines {
  return new CommentableLines(file.diff);
}
