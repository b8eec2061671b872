/**
 * Which paths are migration files, and in which order they run: the `migrations.paths` globs
 * (minimatch, `dot: false`) and natural order (2_x.sql before 10_x.sql). Pure functions over
 * forward-slash paths, shared by the CLI (files found on disk) and the GitHub app (paths from the
 * Git tree and pull-request file APIs, always relative to the repository root).
 */
import { Minimatch } from 'minimatch';

const collator = new Intl.Collator('en', { numeric: true });

/** Natural order of migration paths: numbers compare by value, so 2_x.sql sorts before 10_x.sql. */
export function compareMigrationPaths(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * A predicate for `globs`: true when any of the candidate spellings of one file (e.g. relative to
 * the directory searched, and as written from the current directory) matches any glob.
 */
export function migrationPathMatcher(
  globs: readonly string[],
): (candidates: string | readonly string[]) => boolean {
  const matchers = globs.map((g) => new Minimatch(g, { dot: false }));
  return (candidates) => {
    const list = typeof candidates === 'string' ? [candidates] : candidates;
    return list.some((c) => matchers.some((m) => m.match(c)));
  };
}

/** The paths (repository-relative, forward slashes) that match `globs`, in natural order. */
export function selectMigrationPaths(paths: Iterable<string>, globs: readonly string[]): string[] {
  const matches = migrationPathMatcher(globs);
  return [...new Set(paths)].filter((p) => matches(p)).sort(compareMigrationPaths);
}
