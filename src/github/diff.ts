/**
 * Which lines of a pull request's new side can carry a review comment: the lines of the hunks of
 * the file's unified diff (`patch` from the pull-request files API), added and context lines
 * alike. A line outside every hunk cannot be commented on (GitHub answers 422).
 */

/** A hunk's new-side lines, first..last inclusive (1-based). */
export interface Hunk {
  first: number;
  last: number;
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string | undefined): Hunk[] {
  if (!patch) return [];
  const hunks: Hunk[] = [];
  for (const line of patch.split('\n')) {
    const m = HUNK_HEADER.exec(line);
    if (!m) continue;
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    // A hunk that only deletes lines has no new-side line to comment on.
    if (count > 0) hunks.push({ first: start, last: start + count - 1 });
  }
  return hunks;
}

/** Where a comment on lines line..endLine goes. */
export type CommentAnchor =
  /** The whole range lies in one hunk: a comment on exactly these lines. */
  | { kind: 'range'; startLine: number; line: number }
  /** Only part of it is in the diff: a one-line comment on the last line of it that is. */
  | { kind: 'line'; line: number };

/** The anchor for a span of new-side lines, or undefined when no line of it is in the diff. */
export function anchorFor(hunks: readonly Hunk[], line: number, endLine: number): CommentAnchor | undefined {
  if (hunks.some((h) => h.first <= line && endLine <= h.last)) {
    return { kind: 'range', startLine: line, line: endLine };
  }
  let best: number | undefined;
  for (const h of hunks) {
    const last = Math.min(endLine, h.last);
    if (last >= Math.max(line, h.first) && (best === undefined || last > best)) best = last;
  }
  return best === undefined ? undefined : { kind: 'line', line: best };
}
