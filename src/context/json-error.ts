/**
 * Where a JSON text goes wrong, as an editor shows it (line and column, from 1) and why. JSON.parse
 * tells neither reliably (V8's messages name a position for some errors only), so this small
 * scanner walks the text by the JSON grammar (RFC 8259) until it finds the first error.
 */

export interface JsonErrorLocation {
  line: number;
  column: number;
  reason: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/** The first error in `text`; for valid JSON, the end of the text with reason "no error". */
export function locateJsonError(text: string): JsonErrorLocation {
  let offset = text.length;
  let reason = 'no error';
  try {
    const end = value(text, space(text, 0));
    const after = space(text, end);
    if (after < text.length)
      throw new Stop(after, `unexpected ${describe(text, after)} after the end of the value`);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    offset = error.offset;
    reason = error.reason;
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1, reason };
}

function space(text: string, i: number): number {
  while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  return i;
}

function describe(text: string, i: number): string {
  return i >= text.length ? 'end of file' : `character ${JSON.stringify(text[i])}`;
}

/** Scans one value starting at `i`; returns the offset after it. */
function value(text: string, i: number): number {
  const c = text[i];
  if (c === '{') return object(text, i);
  if (c === '[') return array(text, i);
  if (c === '"') return string(text, i);
  if (c === '-' || (c >= '0' && c <= '9')) return number(text, i);
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, i)) return i + word.length;
  }
  throw new Stop(i, `expected a value, found ${describe(text, i)}`);
}

function object(text: string, start: number): number {
  let i = space(text, start + 1);
  if (text[i] === '}') return i + 1;
  for (;;) {
    if (text[i] !== '"')
      throw new Stop(i, `expected a property name in double quotes, found ${describe(text, i)}`);
    i = space(text, string(text, i));
    if (text[i] !== ':')
      throw new Stop(i, `expected ':' after the property name, found ${describe(text, i)}`);
    i = space(text, value(text, space(text, i + 1)));
    if (text[i] === '}') return i + 1;
    if (text[i] !== ',') throw new Stop(i, `expected ',' or '}', found ${describe(text, i)}`);
    i = space(text, i + 1);
  }
}

function array(text: string, start: number): number {
  let i = space(text, start + 1);
  if (text[i] === ']') return i + 1;
  for (;;) {
    i = space(text, value(text, i));
    if (text[i] === ']') return i + 1;
    if (text[i] !== ',') throw new Stop(i, `expected ',' or ']', found ${describe(text, i)}`);
    i = space(text, i + 1);
  }
}

function string(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return i + 1;
    if (c < ' ') throw new Stop(i, 'control character (such as a line break) inside a string');
    if (c === '\\') {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'invalid \\u escape');
        i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
      else throw new Stop(i, 'invalid escape in a string');
    }
  }
  throw new Stop(text.length, 'unterminated string');
}

function number(text: string, i: number): number {
  const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
  if (!m) throw new Stop(i, 'invalid number');
  return i + m[0].length;
}
