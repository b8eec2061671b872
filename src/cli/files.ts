/**
 * Reading migration files from disk for the CLI: files as given, directories expanded to their
 * `.sql` files in migration order (natural sort: 2_x.sql before 10_x.sql; a sqitch project's
 * deploy scripts in the order of its sqitch.plan).
 *
 * Files and paths are read and checked synchronously: the CLI has nothing else to do meanwhile,
 * and for thousands of small files each asynchronous call's round trip through libuv's thread
 * pool costs more than the read itself.
 */
import { promises as fs, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../analysis/types';
import { compareMigrationPaths } from '../migrations/discover';
import { orderBySqitchPlans } from '../migrations/sqitch';

export class InputError extends Error {}

/**
 * A text file the user named (or a default path): its text; undefined when `optional` and it does
 * not exist; otherwise an InputError saying what is wrong with it.
 */
export async function readTextFile(file: string, optional = false): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return undefined;
    throw new InputError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`,
    );
  }
}

export async function expandPaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (statPath(p).isDirectory()) out.push(...(await sqlFilesUnder(p)));
    else out.push(p);
  }
  return out;
}

async function sqlFilesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await fs.readdir(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) await walk(full);
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.sql')) found.push(full);
    }
  };
  await walk(dir);
  return inSqitchPlanOrder(found.sort(compareMigrationPaths));
}

/**
 * `paths` with the deploy scripts of each sqitch project (a `sqitch.plan` on disk beside their
 * `deploy/` directory) in plan order, which is the order sqitch deploys them; others unchanged.
 */
export function inSqitchPlanOrder(paths: string[]): string[] {
  const native = new Map(paths.map((p) => [p.split(path.sep).join('/'), p]));
  return orderBySqitchPlans([...native.keys()], (plan) => {
    try {
      return readFileSync(plan, 'utf8');
    } catch {
      return undefined;
    }
  }).map((p) => native.get(p)!);
}

/** A path's file status, or an InputError when there is nothing at that path. */
export function statPath(p: string): Stats {
  try {
    return statSync(p);
  } catch {
    throw new InputError(`${p}: no such file or directory`);
  }
}

export async function readSources(paths: string[]): Promise<SourceFile[]> {
  return paths.map((p) => {
    try {
      return { path: p, content: new Uint8Array(readFileSync(p)) };
    } catch (e) {
      throw new InputError(
        `${p}: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`,
      );
    }
  });
}
