/**
 * A single-pass SQL lexer for what surrounds the parser, not a replacement for it.
 *
 * It knows PostgreSQL's quoting rules (standard and E'' strings, quoted identifiers, nested block
 * comments, dollar quotes) well enough to answer three questions the parser cannot:
 *  - where do top-level statements begin and end, when the whole file does not parse and we must
 *    parse statement by statement (psql's rules: `;` outside quotes, parentheses and BEGIN ATOMIC);
 *  - which parts are not SQL at all: psql meta-commands (`\set`, `\connect`), COPY ... FROM STDIN
 *    data, Flyway `${placeholders}` and Go-template `{{ ... }}` placeholders;
 *  - where the comments are (tool directives such as `-- +goose NO TRANSACTION`, suppressions).
 * Offsets are UTF-16 indexes into the text.
 */

export interface Range {
  start: number;
  end: number;
}

export type LexDiagnosticCode = 'psql-meta-command' | 'placeholder' | 'copy-from-stdin' | 'syntax-error';

export interface LexDiagnostic extends Range {
  code: LexDiagnosticCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface LexedSql {
  /** The text with non-SQL parts blanked, same length (so offsets stay valid). */
  masked: string;
  /** Top-level statements: from the first token to the end of the last token, `;` excluded. */
  statements: Range[];
  /** Every comment, in order. */
  comments: Range[];
  diagnostics: LexDiagnostic[];
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
const isIdentChar = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/** Markers after which goose and dbmate start a new statement (section or statement boundaries). */
const SECTION_MARKER = /^--\s*(\+goose\s+(up|down|statementend|statementbegin)\b|migrate:(up|down)\b)/i;

const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

export function lexSql(text: string): LexedSql {
  const n = text.length;
  const statements: Range[] = [];
  const comments: Range[] = [];
  const diagnostics: LexDiagnostic[] = [];
  const masks: { range: Range; fill: string }[] = [];

  let stmtStart = -1;
  let lastTokenEnd = -1;
  let parenDepth = 0;
  let atomicDepth = 0;
  // Words are kept as offsets and compared in place: the statement's first four (start, end pairs)
  // and the previous one (-1: none).
  const firstWords: number[] = [];
  let prevWordStart = -1;
  let lastWordEnd = -1;

  const token = (start: number, end: number) => {
    if (stmtStart < 0) stmtStart = start;
    lastTokenEnd = end;
  };
  const endStatement = () => {
    if (stmtStart >= 0) statements.push({ start: stmtStart, end: lastTokenEnd });
    stmtStart = -1;
    lastTokenEnd = -1;
    parenDepth = 0;
    atomicDepth = 0;
    firstWords.length = 0;
    prevWordStart = -1;
  };
  const firstWordIs = (index: number, lower: string) =>
    firstWords.length > 2 * index && isWord(text, firstWords[2 * index], firstWords[2 * index + 1], lower);
  const isRoutineDefinition = () => {
    const kind = firstWordIs(1, 'or') ? 3 : 1;
    return firstWordIs(0, 'create') && (firstWordIs(kind, 'function') || firstWordIs(kind, 'procedure'));
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // -- comment
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const eol = text.indexOf('\n', i);
      const end = eol === -1 ? n : eol;
      comments.push({ start: i, end });
      // goose and dbmate end a statement at their markers even without a semicolon.
      if (stmtStart >= 0 && SECTION_MARKER.test(text.slice(i, end))) endStatement();
      i = end;
      continue;
    }
    // /* nested block comment */
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text.charCodeAt(j) === 47 && text.charCodeAt(j + 1) === 42) {
          depth++;
          j += 2;
        } else if (text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47) {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) {
        diagnostics.push({
          code: 'syntax-error',
          severity: 'error',
          message: 'unterminated /* comment: everything after it is part of the comment',
          start: i,
          end: i + 2,
        });
      }
      comments.push({ start: i, end: j });
      i = j;
      continue;
    }
    // "{{ go template }}" as a quoted identifier: the template's own quotes are not SQL quotes.
    if (c === 34 && text.startsWith('{{', i + 1)) {
      const close = text.indexOf('}}"', i + 3);
      if (close !== -1 && close - i < 500) {
        // Masked as a quoted identifier of as many underscores as the bare template would get, so
        // that "{{ x }}" and {{ x }} name the same thing.
        placeholder(i + 1, close + 2);
        i = close + 3;
        continue;
      }
    }
    // 'string', E'string' (backslash escapes), and the '' doubling in both
    if (c === 39) {
      const escapes = lastWordEnd === i && prevWordStart >= 0 && isWord(text, prevWordStart, i, 'e');
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (escapes && d === 92) j += 2;
        else if (d === 39) {
          if (text.charCodeAt(j + 1) === 39) j += 2;
          else break;
        } else j++;
      }
      const end = Math.min(j + 1, n);
      token(i, end);
      i = end;
      continue;
    }
    // "quoted identifier"
    if (c === 34) {
      let j = i + 1;
      while (j < n) {
        if (text.charCodeAt(j) === 34) {
          if (text.charCodeAt(j + 1) === 34) j += 2;
          else break;
        } else j++;
      }
      const end = Math.min(j + 1, n);
      token(i, end);
      i = end;
      continue;
    }
    if (c === 36) {
      // ${flyway_placeholder}
      if (text.charCodeAt(i + 1) === 123) {
        const close = text.indexOf('}', i + 2);
        if (close !== -1 && close - i < 200 && !text.slice(i, close).includes('\n')) {
          const end = close + 1;
          placeholder(i, end);
          i = end;
          continue;
        }
      }
      // $tag$ dollar quote $tag$ (a $ right after an identifier character belongs to the identifier)
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(text);
      if (m) {
        const close = text.indexOf(m[0], i + m[0].length);
        const end = close === -1 ? n : close + m[0].length;
        token(i, end);
        i = end;
        continue;
      }
    }
    // {{ go template placeholder }}
    if (c === 123 && text.charCodeAt(i + 1) === 123) {
      const close = text.indexOf('}}', i + 2);
      if (close !== -1 && close - i < 500) {
        const end = close + 2;
        placeholder(i, end);
        i = end;
        continue;
      }
    }
    // psql meta-command: backslash to end of line
    if (c === 92) {
      const eol = text.indexOf('\n', i);
      const end = eol === -1 ? n : text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      const command = text.slice(i, end).trimEnd();
      const name = /^\\[A-Za-z!?.]*/.exec(command)?.[0] ?? '\\';
      diagnostics.push({
        code: 'psql-meta-command',
        severity: 'warning',
        message: `psql meta-command ${name} is not SQL: only psql runs it, a migration tool would fail here; it was skipped`,
        start: i,
        end,
      });
      masks.push({ range: { start: i, end: end }, fill: ' ' });
      // psql sends a pending query buffer when a meta-command like \g or \gset follows it.
      if (stmtStart >= 0 && /^\\g/.test(name)) endStatement();
      i = end;
      continue;
    }
    if (c === 59) {
      if (parenDepth === 0 && atomicDepth === 0) {
        // (The first-letter test only spares the regular expression on every other statement.)
        const copyFromStdin =
          stmtStart >= 0 &&
          (text.charCodeAt(stmtStart) | 0x20) === 99 &&
          /^copy\b[\s\S]*\bfrom\s+stdin\b/i.test(text.slice(stmtStart, lastTokenEnd));
        endStatement();
        i++;
        if (copyFromStdin) i = skipCopyData(i);
        continue;
      }
      token(i, i + 1);
      i++;
      continue;
    }
    if (c === 40) parenDepth++;
    else if (c === 41 && parenDepth > 0) parenDepth--;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      if (firstWords.length < 8) firstWords.push(i, j);
      if (
        isWord(text, i, j, 'atomic') &&
        prevWordStart >= 0 &&
        isWord(text, prevWordStart, lastWordEnd, 'begin') &&
        isRoutineDefinition()
      )
        atomicDepth++;
      else if (atomicDepth > 0 && isWord(text, i, j, 'case')) atomicDepth++;
      else if (atomicDepth > 0 && isWord(text, i, j, 'end')) atomicDepth--;
      prevWordStart = i;
      lastWordEnd = j;
      token(i, j);
      i = j;
      continue;
    }
    token(i, i + 1);
    i++;
  }
  endStatement();

  return { masked: applyMasks(text, masks), statements, comments, diagnostics };

  function placeholder(start: number, end: number) {
    const raw = text.slice(start, end);
    diagnostics.push({
      code: 'placeholder',
      severity: 'warning',
      message: `template placeholder ${raw} is filled in by the migration tool at deploy time; analyzed as a plain name`,
      start,
      end,
    });
    masks.push({ range: { start, end }, fill: '_' });
    prevWordStart = -1;
    lastWordEnd = end;
    token(start, end);
  }

  /** COPY ... FROM STDIN is followed by data lines up to a line `\.` (psql's protocol). */
  function skipCopyData(from: number): number {
    const lineEnd = text.indexOf('\n', from);
    if (lineEnd === -1) return n;
    let j = lineEnd + 1;
    const dataStart = j;
    while (j < n) {
      const eol = text.indexOf('\n', j);
      const end = eol === -1 ? n : eol;
      if (text.slice(j, end).replace(/\r$/, '') === '\\.') {
        j = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        break;
      }
      j = eol === -1 ? n : eol + 1;
    }
    if (j > dataStart) {
      masks.push({ range: { start: dataStart, end: j }, fill: ' ' });
      diagnostics.push({
        code: 'copy-from-stdin',
        severity: 'info',
        message: 'COPY ... FROM STDIN data lines are input for psql, not SQL: skipped',
        start: dataStart,
        end: j,
      });
    }
    return j;
  }
}

/**
 * Whether text[start, end) is `lower` (a lower-case ASCII keyword) in any case. The same answer as
 * comparing `toLowerCase()`: no other character lower-cases to one of these letters.
 */
function isWord(text: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let k = 0; k < lower.length; k++) {
    if ((text.charCodeAt(start + k) | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

function applyMasks(text: string, masks: { range: Range; fill: string }[]): string {
  if (masks.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { range, fill } of masks) {
    out += text.slice(at, range.start);
    // Keep line breaks so that line numbers stay the same.
    out += text.slice(range.start, range.end).replace(/[^\n]/g, fill);
    at = range.end;
  }
  return out + text.slice(at);
}
