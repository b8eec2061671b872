/**
 * An in-memory git object store with real object ids: blob, tree and commit SHA-1s are computed
 * exactly as git computes them (`sha1("<type> <size>\0" + body)`, binary tree entries, entries sorted
 * as git sorts them), so SHAs the app sees can be compared with `git hash-object` output.
 */
import { createHash } from 'node:crypto';

export interface TreeEntry {
  mode: '100644' | '100755' | '040000';
  type: 'blob' | 'tree';
  name: string;
  sha: string;
}

export interface Person {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  author: Person;
  committer: Person;
  message: string;
}

/** A flat snapshot: path → blob SHA. */
export type FileMap = Map<string, string>;

export function gitHash(type: string, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest('hex');
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitObject>();

  putBlob(content: string | Buffer): string {
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const sha = gitHash('blob', body);
    this.blobs.set(sha, body);
    return sha;
  }

  putTree(entries: TreeEntry[]): string {
    // git sorts tree entries by name, comparing a directory's name as if it ended with '/'.
    const key = (e: TreeEntry) => Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name);
    const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
    const body = Buffer.concat(
      sorted.flatMap((e) => [
        Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`),
        Buffer.from(e.sha, 'hex'),
      ]),
    );
    const sha = gitHash('tree', body);
    this.trees.set(sha, sorted);
    return sha;
  }

  putCommit(c: Omit<CommitObject, 'sha'>): string {
    const person = (p: Person) => `${p.name} <${p.email}> ${p.time} +0000`;
    const message = c.message.endsWith('\n') ? c.message : `${c.message}\n`;
    const body = [
      `tree ${c.tree}`,
      ...c.parents.map((p) => `parent ${p}`),
      `author ${person(c.author)}`,
      `committer ${person(c.committer)}`,
      '',
      message,
    ].join('\n');
    const sha = gitHash('commit', Buffer.from(body, 'utf8'));
    this.commits.set(sha, { ...c, sha });
    return sha;
  }

  /** Builds nested trees from a flat path → blob map; returns the root tree SHA. */
  writeTree(files: FileMap): string {
    const root = new Map<string, string | Map<string, unknown>>();
    for (const [path, sha] of files) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (!(next instanceof Map)) dir.set(part, (next = new Map()));
        dir = next as Map<string, string | Map<string, unknown>>;
      }
      dir.set(parts[parts.length - 1], sha);
    }
    const write = (dir: Map<string, unknown>): string =>
      this.putTree(
        [...dir].map(([name, v]) =>
          v instanceof Map
            ? { mode: '040000', type: 'tree', name, sha: write(v) }
            : { mode: '100644', type: 'blob', name, sha: v as string },
        ),
      );
    return write(root);
  }

  /** Every file of a tree, path → blob SHA. */
  readTree(treeSha: string, prefix = '', into: FileMap = new Map()): FileMap {
    for (const e of this.trees.get(treeSha) ?? []) {
      const path = prefix + e.name;
      if (e.type === 'tree') this.readTree(e.sha, `${path}/`, into);
      else into.set(path, e.sha);
    }
    return into;
  }

  filesAt(commitSha: string | undefined): FileMap {
    if (!commitSha) return new Map();
    const c = this.commits.get(commitSha);
    return c ? this.readTree(c.tree) : new Map();
  }

  /** Tree entries in git's recursive listing order (a tree, then its contents). */
  walkTree(treeSha: string, recursive: boolean, prefix = ''): (TreeEntry & { path: string })[] {
    const out: (TreeEntry & { path: string })[] = [];
    for (const e of this.trees.get(treeSha) ?? []) {
      out.push({ ...e, path: prefix + e.name });
      if (recursive && e.type === 'tree') out.push(...this.walkTree(e.sha, true, `${prefix}${e.name}/`));
    }
    return out;
  }

  /** The best common ancestor of two commits (first found walking back from `b`, breadth first). */
  mergeBase(a: string, b: string): string | undefined {
    const ancestorsOfA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length) {
      const sha = queue.shift() as string;
      if (seen.has(sha)) continue;
      seen.add(sha);
      if (ancestorsOfA.has(sha)) return sha;
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return undefined;
  }

  ancestors(sha: string): Set<string> {
    const out = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop() as string;
      if (out.has(s)) continue;
      out.add(s);
      stack.push(...(this.commits.get(s)?.parents ?? []));
    }
    return out;
  }

  /** A full SHA for a full or abbreviated (7+ hex digits) commit id. */
  findCommit(prefix: string): string | undefined {
    const p = prefix.toLowerCase();
    if (!/^[0-9a-f]{7,40}$/.test(p)) return undefined;
    if (this.commits.has(p)) return p;
    const matches = [...this.commits.keys()].filter((k) => k.startsWith(p));
    return matches.length === 1 ? matches[0] : undefined;
  }
}
