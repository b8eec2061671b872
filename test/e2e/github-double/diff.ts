/**
 * Line diffs as git (and so GitHub) prints them: Myers' algorithm, 3 lines of context, hunks whose
 * contexts touch merged, `@@ -a,b +c,d @@ <function line>` headers with git's default function-line
 * rule, and `\ No newline at end of file` markers. Also the map from diff lines to file lines that
 * decides where review comments may go.
 */

export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
  /** Line number in the old file (context and deleted lines). */
  oldLine?: number;
  /** Line number in the new file (context and added lines). */
  newLine?: number;
  /** Whether `\ No newline at end of file` follows this line. */
  noNewline?: boolean;
}

export interface Hunk {
  header: string;
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: DiffLine[];
}

export interface FileDiff {
  hunks: Hunk[];
  additions: number;
  deletions: number;
  /** The GitHub `patch` field: hunks only, no `diff --git` header; undefined when nothing changed. */
  patch: string | undefined;
}

const CONTEXT = 3;

interface SplitText {
  lines: string[];
  /** The file ends without a newline (and is not empty). */
  noFinalNewline: boolean;
}

export function splitLines(text: string): SplitText {
  if (text === '') return { lines: [], noFinalNewline: false };
  const lines = text.split('\n');
  const noFinalNewline = lines[lines.length - 1] !== '';
  if (!noFinalNewline) lines.pop();
  return { lines, noFinalNewline };
}

type Op = { kind: ' ' | '-' | '+'; a: number; b: number };

/** Myers' O((N+M)D) shortest edit script, as a list of keep/delete/insert steps. */
export function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', a: --x, b: --y });
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', a: x, b: --y });
    else ops.push({ kind: '-', a: --x, b: y });
  }
  return ops.reverse();
}

function groupRuns(ops: Op[]): Op[] {
  const out: Op[] = [];
  let run: Op[] = [];
  const flush = () => {
    out.push(...run.filter((o) => o.kind === '-'), ...run.filter((o) => o.kind === '+'));
    run = [];
  };
  for (const op of ops) {
    if (op.kind === ' ') {
      flush();
      out.push(op);
    } else run.push(op);
  }
  flush();
  return out;
}

/** git's default "function line" rule: a line starting with a letter, `_` or `$`, at most 80 bytes. */
function functionLine(oldLines: string[], before: number): string {
  for (let i = before - 1; i >= 0; i--) {
    const line = oldLines[i];
    if (/^[A-Za-z_$]/.test(line)) {
      let bytes = Buffer.from(line, 'utf8').subarray(0, 80).toString('utf8');
      bytes = bytes.replace(/\uFFFD$/, '').replace(/\s+$/, '');
      return bytes;
    }
  }
  return '';
}

export function diffText(oldText: string, newText: string): FileDiff {
  const oldSplit = splitLines(oldText);
  const newSplit = splitLines(newText);
  // Compare lines with their "no newline" state so that adding a final newline is a change.
  const key = (s: SplitText) =>
    s.lines.map((l, i) => (i === s.lines.length - 1 && s.noFinalNewline ? `${l}\u0000nonl` : l));
  // git prints each run of changed lines as its deletions, then its insertions.
  const ops = groupRuns(myers(key(oldSplit), key(newSplit)));
  const lines: DiffLine[] = ops.map((op) => {
    const fromOld = op.kind !== '+';
    const text = fromOld ? oldSplit.lines[op.a] : newSplit.lines[op.b];
    const noNewline = fromOld
      ? oldSplit.noFinalNewline && op.a === oldSplit.lines.length - 1
      : newSplit.noFinalNewline && op.b === newSplit.lines.length - 1;
    return {
      kind: op.kind,
      text,
      oldLine: op.kind !== '+' ? op.a + 1 : undefined,
      newLine: op.kind !== '-' ? op.b + 1 : undefined,
      noNewline: noNewline || undefined,
    };
  });
  const changed = lines.map((l, i) => (l.kind !== ' ' ? i : -1)).filter((i) => i >= 0);
  if (changed.length === 0) return { hunks: [], additions: 0, deletions: 0, patch: undefined };
  // Group changes whose context windows overlap or touch.
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * CONTEXT + 1) last[1] = i;
    else groups.push([i, i]);
  }
  const hunks = groups.map(([first, last]) => {
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(lines.length - 1, last + CONTEXT);
    const slice = lines.slice(from, to + 1);
    const oldCount = slice.filter((l) => l.kind !== '+').length;
    const newCount = slice.filter((l) => l.kind !== '-').length;
    // Start lines: the first line of the side in the hunk, or the line before it when the side is empty.
    const oldBefore = lines.slice(0, from).filter((l) => l.kind !== '+').length;
    const newBefore = lines.slice(0, from).filter((l) => l.kind !== '-').length;
    const oldStart = oldCount ? oldBefore + 1 : oldBefore;
    const newStart = newCount ? newBefore + 1 : newBefore;
    const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
    const fn = functionLine(oldSplit.lines, oldBefore);
    const header = `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@${fn ? ` ${fn}` : ''}`;
    return { header, oldStart, oldCount, newStart, newCount, lines: slice };
  });
  const patch = hunks
    .map((h) =>
      [
        h.header,
        ...h.lines.map((l) => `${l.kind}${l.text}${l.noNewline ? '\n\\ No newline at end of file' : ''}`),
      ].join('\n'),
    )
    .join('\n');
  return {
    hunks,
    additions: lines.filter((l) => l.kind === '+').length,
    deletions: lines.filter((l) => l.kind === '-').length,
    patch,
  };
}

export type Side = 'LEFT' | 'RIGHT';

export interface DiffPosition {
  hunk: number;
  /** 1-based position in the patch counted from the line after the first hunk header (GitHub's `position`). */
  position: number;
  line: DiffLine;
}

/** Where comments may go: every line of every hunk, by side and line number, and by `position`. */
export class CommentableLines {
  private readonly left = new Map<number, DiffPosition>();
  private readonly right = new Map<number, DiffPosition>();
  private readonly byPosition = new Map<number, DiffPosition>();

  constructor(readonly diff: FileDiff) {
    let position = 0;
    diff.hunks.forEach((h, hunk) => {
      if (hunk > 0) position++; // later hunk headers count as positions
      for (const line of h.lines) {
        position++;
        const p = { hunk, position, line };
        this.byPosition.set(position, p);
        if (line.oldLine !== undefined && line.kind !== '+') this.left.set(line.oldLine, p);
        if (line.newLine !== undefined && line.kind !== '-') this.right.set(line.newLine, p);
        if (line.noNewline) position++; // the "\ No newline" marker is a line of the patch too
      }
    });
  }

  at(side: Side, line: number): DiffPosition | undefined {
    return (side === 'LEFT' ? this.left : this.right).get(line);
  }

  atPosition(position: number): DiffPosition | undefined {
    return this.byPosition.get(position);
  }

  /** GitHub's `diff_hunk` for a comment: the hunk header and the hunk's lines up to the commented one. */
  diffHunk(p: DiffPosition): string {
    const h = this.diff.hunks[p.hunk];
    const upTo = h.lines.indexOf(p.line);
    return [h.header, ...h.lines.slice(0, upTo + 1).map((l) => `${l.kind}${l.text}`)].join('\n');
  }
}
