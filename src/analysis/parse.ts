/**
 * Parsing a migration file with libpg-query (PostgreSQL's own parser, compiled to WebAssembly),
 * with exact positions and without ever giving up on a whole file.
 *
 * The whole file is parsed in one call when it can be (the fast path). When it cannot, the lexer's
 * statement boundaries are used to parse statement by statement, so that one broken statement
 * becomes a diagnostic at its exact line and column while the others are still analyzed.
 */
import { loadModule, parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { nodeKind } from './ast';
import { lexSql, type Range } from './lexer';
import { decodeSource, isSpaceAt, LineIndex, OffsetMapper, DEFAULT_MAX_FILE_BYTES } from './source';
import type { Diagnostic, SourceFile } from './types';

let parserReady: Promise<void> | undefined;

/** Load the WebAssembly parser once per process; every parse waits for it. */
export function loadParser(): Promise<void> {
  parserReady ??= loadModule();
  return parserReady;
}

export interface ParsedStatement {
  /** The raw statement node, e.g. `{ AlterTableStmt: {...} }`. */
  node: Node;
  /** The node's type name, e.g. `AlterTableStmt`. */
  kind: string;
  /** UTF-16 offsets into the file's text: first token to end of last token (`;` excluded). */
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
  /** `up`/`down` when the file marks sections (goose, dbmate). */
  section?: 'up' | 'down';
}

/** A comment that tells a migration tool (or us) something: `-- +goose NO TRANSACTION`. */
export interface Directive {
  tool: 'goose' | 'dbmate' | 'atlas' | 'migration-guard';
  /** The directive's words after the tool marker, e.g. `NO TRANSACTION`, `up transaction:false`. */
  value: string;
  line: number;
  start: number;
  end: number;
}

export interface ParsedFile {
  path: string;
  text: string;
  lines: LineIndex;
  statements: ParsedStatement[];
  diagnostics: Diagnostic[];
  comments: Range[];
  directives: Directive[];
  /** The file was not analyzed at all (binary, too large); diagnostics say why. */
  rejected: boolean;
}

/** Parse one file. `loadParser()` must have resolved before. Never throws on bad input. */
export function parseFile(file: SourceFile, maxBytes = DEFAULT_MAX_FILE_BYTES): ParsedFile {
  const decoded = decodeSource(file.content, maxBytes);
  const text = decoded.text;
  const lines = new LineIndex(text);
  const result: ParsedFile = {
    path: file.path,
    text,
    lines,
    statements: [],
    diagnostics: [...decoded.diagnostics],
    comments: [],
    directives: [],
    rejected: false,
  };
  if (decoded.rejected) {
    result.diagnostics.push(decoded.rejected);
    result.rejected = true;
    return result;
  }

  const lexed = lexSql(text);
  result.comments = lexed.comments;
  result.directives = findDirectives(text, lexed.comments, lines);
  for (const d of lexed.diagnostics) {
    result.diagnostics.push(diagnosticAt(lines, d.start, d.end, d.severity, d.code, d.message));
  }
  if (lexed.statements.length === 0) return result;

  const ranges =
    parseWhole(lexed.masked) ?? parseEach(lexed.masked, lexed.statements, lines, result.diagnostics);
  const sections = sectionMarkers(result.directives);
  for (const r of ranges) {
    const start = skipLeading(text, r.start, lexed.comments);
    const end = trimTrailing(text, start, r.end, lexed.comments);
    const from = lines.position(start);
    const to = lines.position(Math.max(start, end - 1));
    result.statements.push({
      node: r.node,
      kind: nodeKind(r.node) || 'Unknown',
      start,
      end,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      text: text.slice(start, end),
      section: sectionAt(sections, start),
    });
  }
  result.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return result;
}

interface NodeRange extends Range {
  node: Node;
}

interface RawStmt {
  stmt?: Node;
  stmt_location?: number;
  stmt_len?: number;
}

/** The fast path: one parser call for the whole file. Undefined when the file has an error. */
function parseWhole(masked: string): NodeRange[] | undefined {
  let stmts: RawStmt[];
  try {
    stmts = (parseSync(masked).stmts ?? []) as RawStmt[];
  } catch {
    return undefined;
  }
  const mapper = new OffsetMapper(masked);
  return stmts
    .filter((s): s is RawStmt & { stmt: Node } => s.stmt !== undefined)
    .map((s) => {
      const loc = s.stmt_location ?? 0;
      return {
        node: s.stmt,
        start: mapper.fromByte(loc),
        end: s.stmt_len ? mapper.fromByte(loc + s.stmt_len) : masked.length,
      };
    });
}

/** The slow path: parse the lexer's statements one at a time; report the ones that fail. */
function parseEach(
  masked: string,
  ranges: Range[],
  lines: LineIndex,
  diagnostics: Diagnostic[],
): NodeRange[] {
  const out: NodeRange[] = [];
  for (const range of ranges) {
    const chunk = masked.slice(range.start, range.end);
    try {
      const stmts = (parseSync(chunk).stmts ?? []) as RawStmt[];
      const mapper = new OffsetMapper(chunk);
      for (const s of stmts) {
        if (!s.stmt) continue;
        const loc = s.stmt_location ?? 0;
        out.push({
          node: s.stmt,
          start: range.start + mapper.fromByte(loc),
          end: range.start + (s.stmt_len ? mapper.fromByte(loc + s.stmt_len) : chunk.length),
        });
      }
    } catch (error) {
      const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
      const at = range.start + new OffsetMapper(chunk).fromCodePoint(details?.cursorPosition ?? 0);
      const message = error instanceof Error ? error.message : String(error);
      const d = diagnosticAt(
        lines,
        at,
        at + 1,
        'error',
        'syntax-error',
        `${message}; statement not analyzed`,
      );
      diagnostics.push(d);
    }
  }
  return out;
}

function diagnosticAt(
  lines: LineIndex,
  start: number,
  end: number,
  severity: Diagnostic['severity'],
  code: string,
  message: string,
): Diagnostic {
  const from = lines.position(start);
  const to = lines.position(Math.max(start, end - 1));
  return {
    severity,
    code,
    message,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
  };
}

/** Index of the comment that contains offset `at` (start <= at < end), or -1. */
function commentAt(comments: Range[], at: number): number {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].end <= at) lo = mid + 1;
    else if (comments[mid].start > at) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function skipLeading(text: string, start: number, comments: Range[]): number {
  let at = start;
  for (;;) {
    while (at < text.length && isSpaceAt(text, at)) at++;
    const c = commentAt(comments, at);
    if (c === -1) return at;
    at = comments[c].end;
  }
}

function trimTrailing(text: string, start: number, end: number, comments: Range[]): number {
  let at = end;
  for (;;) {
    while (at > start && (text.charCodeAt(at - 1) === 59 || isSpaceAt(text, at - 1))) at--;
    const c = commentAt(comments, at - 1);
    if (c === -1 || comments[c].start < start) return at;
    at = comments[c].start;
  }
}

const DIRECTIVE_PATTERNS: { tool: Directive['tool']; re: RegExp }[] = [
  { tool: 'goose', re: /^--\s*\+goose\s+(.*)$/i },
  { tool: 'dbmate', re: /^--\s*migrate:(.*)$/i },
  { tool: 'atlas', re: /^--\s*atlas:(.*)$/i },
  { tool: 'migration-guard', re: /^--\s*migration-guard:(.*)$/i },
];

function findDirectives(text: string, comments: Range[], lines: LineIndex): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    if (text.charCodeAt(c.start) !== 45) continue;
    const raw = text.slice(c.start, c.end).replace(/\r$/, '');
    for (const { tool, re } of DIRECTIVE_PATTERNS) {
      const m = re.exec(raw);
      if (m) {
        out.push({
          tool,
          value: m[1].trim(),
          line: lines.position(c.start).line,
          start: c.start,
          end: c.end,
        });
        break;
      }
    }
  }
  return out;
}

function sectionMarkers(directives: Directive[]): { at: number; section: 'up' | 'down' }[] {
  const out: { at: number; section: 'up' | 'down' }[] = [];
  for (const d of directives) {
    const word = /^(up|down)\b/i.exec(d.value)?.[1]?.toLowerCase();
    if ((d.tool === 'goose' || d.tool === 'dbmate') && (word === 'up' || word === 'down')) {
      out.push({ at: d.start, section: word });
    }
  }
  return out;
}

function sectionAt(
  markers: { at: number; section: 'up' | 'down' }[],
  offset: number,
): 'up' | 'down' | undefined {
  let section: 'up' | 'down' | undefined;
  for (const m of markers) {
    if (m.at > offset) break;
    section = m.section;
  }
  return section;
}
