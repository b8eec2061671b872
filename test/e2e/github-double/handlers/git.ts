/** Repositories and git data: contents, trees, blobs, commits, branches, refs, comparisons. */
import {
  HttpError,
  mediaFormat,
  notFound,
  paginate,
  repoFor,
  unprocessable,
  wrappedBase64,
  type Handler,
  type HandlerContext,
} from '../context';
import type { ChangedFile, RepoRecord } from '../state';

const enc = encodeURIComponent;
const encPath = (path: string) => path.split('/').map(enc).join('/');

/** `git diff` output for a set of changed files (the `.diff` media type). */
export function unifiedDiff(files: ChangedFile[]): string {
  const short = (sha: string | undefined) => (sha ?? '0000000').slice(0, 7);
  return files
    .map((f) => {
      const from = f.previousPath ?? f.path;
      const head = [`diff --git a/${from} b/${f.path}`];
      if (f.status === 'added') head.push('new file mode 100644', `index 0000000..${short(f.newSha)}`);
      else if (f.status === 'removed')
        head.push('deleted file mode 100644', `index ${short(f.oldSha)}..0000000`);
      else if (f.status === 'renamed')
        head.push('similarity index 100%', `rename from ${from}`, `rename to ${f.path}`);
      else head.push(`index ${short(f.oldSha)}..${short(f.newSha)} 100644`);
      if (f.diff.patch !== undefined) {
        head.push(
          f.status === 'added' ? '--- /dev/null' : `--- a/${from}`,
          f.status === 'removed' ? '+++ /dev/null' : `+++ b/${f.path}`,
          f.diff.patch,
        );
      }
      return `${head.join('\n')}\n`;
    })
    .join('');
}

function commitFor(ctx: HandlerContext, repo: RepoRecord, ref: string): string {
  const sha = ctx.state.resolveRef(repo, ref);
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
  return sha;
}

export const gitHandlers: Record<string, Handler> = {
  'repos/get': (ctx) => ({ status: 200, body: ctx.shapes.repository(repoFor(ctx), true) }),

  'repos/get-content': (ctx) => {
    const repo = repoFor(ctx);
    if (repo.branches.size === 0) throw new HttpError(404, 'This repository is empty.');
    const ref = ctx.query.ref === undefined ? repo.defaultBranch : String(ctx.query.ref);
    const sha = ctx.state.resolveRef(repo, ref);
    if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const path = String(ctx.params.path).replace(/^\/+|\/+$/g, '');
    const files = repo.git.filesAt(sha);
    const api = ctx.shapes.repoApi(repo);
    const html = ctx.shapes.repoHtml(repo);
    const entry = (p: string, type: 'file' | 'dir', objectSha: string, size: number) => {
      const self = `${api}/contents/${encPath(p)}?ref=${enc(ref)}`;
      const git = `${api}/git/${type === 'file' ? 'blobs' : 'trees'}/${objectSha}`;
      const htmlUrl = `${html}/${type === 'file' ? 'blob' : 'tree'}/${enc(ref)}/${encPath(p)}`;
      return {
        type,
        name: p.split('/').pop() as string,
        path: p,
        sha: objectSha,
        size,
        url: self,
        html_url: htmlUrl,
        git_url: git,
        download_url: type === 'file' ? `${html}/raw/${enc(ref)}/${encPath(p)}` : null,
        _links: { self, git, html: htmlUrl },
      };
    };
    const blobSha = files.get(path);
    if (blobSha) {
      const content = repo.git.blobs.get(blobSha) as Buffer;
      if (mediaFormat(ctx) === 'raw') {
        return { status: 200, text: content, contentType: 'text/plain; charset=utf-8' };
      }
      return {
        status: 200,
        body: {
          ...entry(path, 'file', blobSha, content.length),
          content: wrappedBase64(content),
          encoding: 'base64',
        },
      };
    }
    // A directory: list its direct children.
    const tree = repo.git
      .walkTree(repo.git.commits.get(sha)?.tree as string, true)
      .find((e) => e.path === path);
    const treeSha =
      path === '' ? repo.git.commits.get(sha)?.tree : tree?.type === 'tree' ? tree.sha : undefined;
    if (!treeSha) throw notFound();
    const children = (repo.git.trees.get(treeSha) ?? []).map((e) => {
      const p = path ? `${path}/${e.name}` : e.name;
      return e.type === 'tree'
        ? entry(p, 'dir', e.sha, 0)
        : entry(p, 'file', e.sha, repo.git.blobs.get(e.sha)?.length ?? 0);
    });
    return { status: 200, body: children };
  },

  'git/get-tree': (ctx) => {
    const repo = repoFor(ctx);
    const ref = String(ctx.params.tree_sha);
    let treeSha = repo.git.trees.has(ref) ? ref : undefined;
    if (!treeSha) {
      const commit = ctx.state.resolveRef(repo, ref);
      treeSha = commit ? repo.git.commits.get(commit)?.tree : undefined;
    }
    if (!treeSha) throw notFound();
    // GitHub: any value of `recursive` (even 0 or false) makes the listing recursive.
    const recursive = ctx.query.recursive !== undefined;
    const api = ctx.shapes.repoApi(repo);
    return {
      status: 200,
      body: {
        sha: treeSha,
        url: `${api}/git/trees/${treeSha}`,
        tree: repo.git.walkTree(treeSha, recursive).map((e) => ({
          path: e.path,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(e.type === 'blob' ? { size: repo.git.blobs.get(e.sha)?.length ?? 0 } : {}),
          url: `${api}/git/${e.type === 'blob' ? 'blobs' : 'trees'}/${e.sha}`,
        })),
        truncated: false,
      },
    };
  },

  'git/get-blob': (ctx) => {
    const repo = repoFor(ctx);
    const sha = String(ctx.params.file_sha).toLowerCase();
    const content = repo.git.blobs.get(sha);
    if (!content) throw notFound();
    if (mediaFormat(ctx) === 'raw')
      return { status: 200, text: content, contentType: 'application/octet-stream' };
    return {
      status: 200,
      body: {
        sha,
        node_id: Buffer.from(`Blob:${sha}`).toString('base64url'),
        size: content.length,
        url: `${ctx.shapes.repoApi(repo)}/git/blobs/${sha}`,
        content: wrappedBase64(content),
        encoding: 'base64',
      },
    };
  },

  'repos/get-commit': (ctx) => {
    const repo = repoFor(ctx);
    const sha = commitFor(ctx, repo, String(ctx.params.ref));
    const format = mediaFormat(ctx);
    if (format === 'diff' || format === 'patch') {
      const files = ctx.state.changedFiles(repo, repo.git.commits.get(sha)?.parents[0], sha);
      return { status: 200, text: unifiedDiff(files), contentType: `text/plain; charset=utf-8` };
    }
    return { status: 200, body: ctx.shapes.commit(repo, sha) };
  },

  'git/get-commit': (ctx) => {
    const repo = repoFor(ctx);
    const sha = String(ctx.params.commit_sha).toLowerCase();
    if (!repo.git.commits.has(sha)) throw notFound();
    return { status: 200, body: ctx.shapes.gitCommit(repo, sha) };
  },

  'repos/get-branch': (ctx) => {
    const repo = repoFor(ctx);
    const name = String(ctx.params.branch);
    const sha = repo.branches.get(name);
    if (!sha) throw new HttpError(404, 'Branch not found');
    const api = ctx.shapes.repoApi(repo);
    return {
      status: 200,
      body: {
        name,
        commit: ctx.shapes.commit(repo, sha),
        _links: {
          self: `${api}/branches/${enc(name)}`,
          html: `${ctx.shapes.repoHtml(repo)}/tree/${enc(name)}`,
        },
        protected: false,
        protection: {
          enabled: false,
          required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
        },
        protection_url: `${api}/branches/${enc(name)}/protection`,
      },
    };
  },

  'git/get-ref': (ctx) => {
    const repo = repoFor(ctx);
    const ref = String(ctx.params.ref);
    const branch = /^heads\/(.+)$/.exec(ref)?.[1];
    const sha = branch ? repo.branches.get(branch) : undefined;
    if (!branch || !sha) throw notFound();
    const api = ctx.shapes.repoApi(repo);
    return {
      status: 200,
      body: {
        ref: `refs/heads/${branch}`,
        node_id: Buffer.from(`Ref:${branch}`).toString('base64url'),
        url: `${api}/git/refs/heads/${encPath(branch)}`,
        object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
      },
    };
  },

  'repos/compare-commits-with-basehead': (ctx) => {
    const repo = repoFor(ctx);
    const m = /^(.+?)\.\.\.(.+)$/.exec(String(ctx.params.basehead));
    if (!m) throw notFound();
    const base = ctx.state.resolveRef(repo, m[1]);
    const head = ctx.state.resolveRef(repo, m[2]);
    if (!base || !head) throw notFound();
    const mergeBase = repo.git.mergeBase(base, head) ?? base;
    const baseAncestors = repo.git.ancestors(base);
    const headAncestors = repo.git.ancestors(head);
    const ahead = [...headAncestors].filter((s) => !baseAncestors.has(s));
    const behind = [...baseAncestors].filter((s) => !headAncestors.has(s));
    const status =
      ahead.length && behind.length
        ? 'diverged'
        : ahead.length
          ? 'ahead'
          : behind.length
            ? 'behind'
            : 'identical';
    const files = ctx.state.changedFiles(repo, mergeBase, head);
    const html = ctx.shapes.repoHtml(repo);
    const basehead = `${m[1]}...${m[2]}`;
    // Oldest first, as GitHub lists them.
    const commits = ahead.reverse().map((s) => ctx.shapes.commit(repo, s));
    const { page, headers } = paginate(ctx, commits);
    return {
      status: 200,
      headers,
      body: {
        url: `${ctx.shapes.repoApi(repo)}/compare/${basehead}`,
        html_url: `${html}/compare/${basehead}`,
        permalink_url: `${html}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
        diff_url: `${html}/compare/${basehead}.diff`,
        patch_url: `${html}/compare/${basehead}.patch`,
        base_commit: ctx.shapes.commit(repo, base),
        merge_base_commit: ctx.shapes.commit(repo, mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: page,
        files: files.map((f) => ctx.shapes.diffEntry(repo, head, f)),
      },
    };
  },
};
