/**
 * Source text handling: decoding bytes into text a person would see in an editor, and positions.
 *
 * Two offset systems meet here. libpg-query reports statement locations in UTF-8 *bytes* and
 * error cursors in *code points*; JavaScript strings index UTF-16 code units; editors and GitHub
 * show 1-based lines and columns in characters. Every conversion lives in this file so that no
 * other module has to think about it.
 */
import type { Diagnostic } from './types';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface DecodedSource {
  text: string;
  /** When set, the file is not analyzed at all (binary, too large): the diagnostic says why. */
  rejected?: Diagnostic;
  diagnostics: Diagnostic[];
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false });

/**
 * Decode a migration file. Text is accepted as is (minus a byte-order mark); bytes must be UTF-8
 * text: a NUL byte or a high share of control characters means a binary file, which is rejected
 * with a message rather than fed to the parser.
 */
export function decodeSource(content: string | Uint8Array, maxBytes = DEFAULT_MAX_FILE_BYTES): DecodedSource {
  const diagnostics: Diagnostic[] = [];
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
  if (size > maxBytes) {
    return reject(
      'file-too-large',
      `file is ${formatBytes(size)}, larger than the ${formatBytes(maxBytes)} limit: not analyzed`,
    );
  }
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    if (looksBinary(content)) {
      return reject(
        'binary-file',
        'file is binary (NUL bytes or control characters), not SQL text: not analyzed',
      );
    }
    try {
      text = utf8Strict.decode(content);
    } catch {
      text = utf8Lenient.decode(content);
      const at = firstInvalidUtf8(content);
      const pos = positionInText(text, utf8Lenient.decode(content.subarray(0, at)).length);
      diagnostics.push({
        severity: 'warning',
        code: 'invalid-utf8',
        message: 'file is not valid UTF-8: invalid bytes were replaced by U+FFFD before parsing',
        line: pos.line,
        column: pos.column,
      });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (typeof content === 'string' && text.includes('\u0000')) {
    return reject('binary-file', 'file contains NUL characters, not SQL text: not analyzed');
  }
  return { text, diagnostics };
}

function reject(code: string, message: string): DecodedSource {
  return { text: '', diagnostics: [], rejected: { severity: 'error', code, message, line: 1, column: 1 } };
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    // Tab, LF, VT, FF, CR and ESC (colour codes in copied terminal output) are normal in text.
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const len =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return bytes.length;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Whether text[at] is white space as `/\s/` sees it, without a regular expression for ASCII. */
export function isSpaceAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(text[at]);
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column in characters (code points: an emoji is one column). */
  column: number;
}

/**
 * Line starts of a text, for turning UTF-16 offsets into line/column. Lines end at LF; a CR
 * before the LF belongs to the line break (CRLF files), as in GitHub's diff view.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: codePointLength(this.text, this.starts[lo], offset) + 1 };
  }

  /** UTF-16 offset of a 1-based line's start. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
  }
}

function codePointLength(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function positionInText(text: string, offset: number): Position {
  return new LineIndex(text).position(offset);
}

/**
 * Converts UTF-8 byte offsets (libpg-query's stmt_location/stmt_len) and code-point offsets
 * (its error cursor) into UTF-16 offsets. ASCII text, the common case, maps one to one.
 */
export class OffsetMapper {
  private readonly ascii: boolean;
  private byteStarts?: Uint32Array;

  constructor(private readonly text: string) {
    // eslint-disable-next-line no-control-regex
    this.ascii = !/[^\u0000-\u007f]/.test(text);
  }

  fromByte(byteOffset: number): number {
    if (this.ascii) return Math.min(byteOffset, this.text.length);
    const starts = this.byteIndex();
    // starts[i] is the byte offset of UTF-16 unit i; find the unit where byteOffset begins.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    // Both units of a surrogate pair share a byte offset: answer the pair's first unit.
    while (lo > 0 && starts[lo - 1] === starts[lo]) lo--;
    return lo;
  }

  fromCodePoint(cp: number, base = 0): number {
    let i = base;
    for (let n = 0; n < cp && i < this.text.length; n++) {
      const c = this.text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    }
    return Math.min(i, this.text.length);
  }

  private byteIndex(): Uint32Array {
    if (this.byteStarts) return this.byteStarts;
    const starts = new Uint32Array(this.text.length + 1);
    let bytes = 0;
    for (let i = 0; i < this.text.length; i++) {
      starts[i] = bytes;
      const c = this.text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        // A surrogate pair is 4 bytes in UTF-8; both units map to the pair's start.
        bytes += 4;
        if (i + 1 < this.text.length) starts[++i] = bytes - 4;
      } else bytes += 3;
    }
    starts[this.text.length] = bytes;
    this.byteStarts = starts;
    return starts;
  }
}
