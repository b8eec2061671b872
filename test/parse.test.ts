/**
 * parseFile with exact positions: every expectation names the line, column, end line, end column
 * and text of each statement, so that an off-by-one, a byte offset leaking into a column or a
 * wrong statement split fails a test.
 */
import { loadParser, parseFile, type ParsedFile } from '../src/analysis/parse';
import type { Diagnostic } from '../src/analysis/types';

interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
  kind: string;
}

function parse(content: string | Uint8Array, maxBytes?: number): ParsedFile {
  return parseFile({ path: 'migration.sql', content }, maxBytes);
}

function spans(file: ParsedFile): Span[] {
  return file.statements.map(({ line, column, endLine, endColumn, text, kind }) => ({
    line,
    column,
    endLine,
    endColumn,
    text,
    kind,
  }));
}

/** A diagnostic without its prose: messages are checked separately where they matter. */
type Expected = Omit<Diagnostic, 'message'>;

function diags(file: ParsedFile): Expected[] {
  return file.diagnostics.map(({ message: _message, ...rest }) => rest);
}

function warning(code: string, line: number, column: number, endLine: number, endColumn: number): Expected {
  return { severity: 'warning', code, line, column, endLine, endColumn };
}

beforeAll(async () => {
  await loadParser();
});

/**
 * Statement splitting happens in two places: libpg-query splits a file that parses as a whole,
 * the lexer splits one that does not (then each statement is parsed alone). A broken statement
 * appended at the end forces the second path without moving anything before it.
 */
const PATHS: [string, (sql: string) => string][] = [
  ['whole-file parse', (sql) => sql],
  ['per-statement fallback', (sql) => `${sql}\nSELEC 1;\n`],
];

interface SplitCase {
  name: string;
  sql: string;
  statements: Span[];
  diagnostics?: Expected[];
}

const SPLIT_CASES: SplitCase[] = [
  {
    name: 'statements spread over lines',
    sql: 'CREATE TABLE t (\n  id int,\n  name text\n);\n\nALTER TABLE t\n  ADD COLUMN x int;\n',
    statements: [
      {
        line: 1,
        column: 1,
        endLine: 4,
        endColumn: 1,
        text: 'CREATE TABLE t (\n  id int,\n  name text\n)',
        kind: 'CreateStmt',
      },
      {
        line: 6,
        column: 1,
        endLine: 7,
        endColumn: 18,
        text: 'ALTER TABLE t\n  ADD COLUMN x int',
        kind: 'AlterTableStmt',
      },
    ],
  },
  {
    name: 'comments before, between and inside statements',
    sql:
      '-- leading; comment\n/* block; */ CREATE TABLE a (id int /* inside; */);  -- trailing;\n-- between;\n' +
      'SELECT 1 -- why;\n  + 2;\n',
    statements: [
      {
        line: 2,
        column: 14,
        endLine: 2,
        endColumn: 50,
        text: 'CREATE TABLE a (id int /* inside; */)',
        kind: 'CreateStmt',
      },
      { line: 4, column: 1, endLine: 5, endColumn: 5, text: 'SELECT 1 -- why;\n  + 2', kind: 'SelectStmt' },
    ],
  },
  {
    // libpg-query reports statement locations in UTF-8 bytes: é is 2 bytes, 日 3, 😀 4 (and 2 UTF-16 units).
    name: 'non-ASCII text before and inside statements (columns count code points)',
    sql: '-- café, 日本語, 😀\nSELECT \'é😀\' AS x; SELECT 2;\n/* 😀😀 */ CREATE TABLE "ü" ("名前" text);\n',
    statements: [
      { line: 2, column: 1, endLine: 2, endColumn: 16, text: "SELECT 'é😀' AS x", kind: 'SelectStmt' },
      { line: 2, column: 19, endLine: 2, endColumn: 26, text: 'SELECT 2', kind: 'SelectStmt' },
      {
        line: 3,
        column: 10,
        endLine: 3,
        endColumn: 37,
        text: 'CREATE TABLE "ü" ("名前" text)',
        kind: 'CreateStmt',
      },
    ],
  },
  {
    // Lines are counted at LF, as GitHub does; a line break inside a statement stays the file's own.
    name: 'CRLF line breaks',
    sql: 'SELECT 1;\r\n\r\nCREATE TABLE t (\r\n  id int\r\n);\r\n-- done\r\n',
    statements: [
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
      {
        line: 3,
        column: 1,
        endLine: 5,
        endColumn: 1,
        text: 'CREATE TABLE t (\r\n  id int\r\n)',
        kind: 'CreateStmt',
      },
    ],
  },
  {
    name: 'dollar-quoted function bodies containing semicolons and other dollar quotes',
    sql:
      'CREATE FUNCTION f() RETURNS trigger AS $fn$\nBEGIN\n  PERFORM 1; -- x;\n  RAISE NOTICE $$a;b$$;\n' +
      '  RETURN NEW;\nEND;\n$fn$ LANGUAGE plpgsql;\nSELECT 1;\n',
    statements: [
      {
        line: 1,
        column: 1,
        endLine: 7,
        endColumn: 21,
        text:
          'CREATE FUNCTION f() RETURNS trigger AS $fn$\nBEGIN\n  PERFORM 1; -- x;\n  RAISE NOTICE $$a;b$$;\n' +
          '  RETURN NEW;\nEND;\n$fn$ LANGUAGE plpgsql',
        kind: 'CreateFunctionStmt',
      },
      { line: 8, column: 1, endLine: 8, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
    ],
  },
  {
    name: 'DO blocks',
    sql:
      'DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1) THEN\n    CREATE TABLE t (id int);\n  END IF;\nEND\n$$;\n' +
      "DO $do$ BEGIN RAISE NOTICE '$$;'; END $do$;\n",
    statements: [
      {
        line: 1,
        column: 1,
        endLine: 7,
        endColumn: 2,
        text: 'DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1) THEN\n    CREATE TABLE t (id int);\n  END IF;\nEND\n$$',
        kind: 'DoStmt',
      },
      {
        line: 8,
        column: 1,
        endLine: 8,
        endColumn: 42,
        text: "DO $do$ BEGIN RAISE NOTICE '$$;'; END $do$",
        kind: 'DoStmt',
      },
    ],
  },
  {
    // PostgreSQL 14+ SQL-standard bodies: the semicolons inside BEGIN ATOMIC ... END do not end the statement.
    name: 'BEGIN ATOMIC function and procedure bodies',
    sql:
      'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n' +
      '  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\nEND;\n' +
      'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nSELECT 2;\n',
    statements: [
      {
        line: 1,
        column: 1,
        endLine: 5,
        endColumn: 3,
        text:
          'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n' +
          '  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\nEND',
        kind: 'CreateFunctionStmt',
      },
      {
        line: 6,
        column: 1,
        endLine: 6,
        endColumn: 87,
        text: 'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END',
        kind: 'CreateFunctionStmt',
      },
      { line: 7, column: 1, endLine: 7, endColumn: 8, text: 'SELECT 2', kind: 'SelectStmt' },
    ],
  },
  {
    name: 'nested block comments',
    sql: '/* outer /* inner; */ still; */ SELECT 1;\nSELECT /* a /* b */ c; */ 2;\n',
    statements: [
      { line: 1, column: 33, endLine: 1, endColumn: 40, text: 'SELECT 1', kind: 'SelectStmt' },
      {
        line: 2,
        column: 1,
        endLine: 2,
        endColumn: 27,
        text: 'SELECT /* a /* b */ c; */ 2',
        kind: 'SelectStmt',
      },
    ],
  },
  {
    name: "E'' strings with backslash escapes, and doubled quotes",
    sql: "SELECT E'it\\'s; ok';\nSELECT e'\\\\';\nSELECT 'plain '' quote;';\n",
    statements: [
      { line: 1, column: 1, endLine: 1, endColumn: 19, text: "SELECT E'it\\'s; ok'", kind: 'SelectStmt' },
      { line: 2, column: 1, endLine: 2, endColumn: 12, text: "SELECT e'\\\\'", kind: 'SelectStmt' },
      { line: 3, column: 1, endLine: 3, endColumn: 24, text: "SELECT 'plain '' quote;'", kind: 'SelectStmt' },
    ],
  },
  {
    name: 'quoted identifiers containing semicolons',
    sql: 'CREATE TABLE "we;ird" ("a""b;" int);\nSELECT 1;\n',
    statements: [
      {
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 35,
        text: 'CREATE TABLE "we;ird" ("a""b;" int)',
        kind: 'CreateStmt',
      },
      { line: 2, column: 1, endLine: 2, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
    ],
  },
  {
    name: 'BEGIN and COMMIT are statements',
    sql: 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n',
    statements: [
      { line: 1, column: 1, endLine: 1, endColumn: 5, text: 'BEGIN', kind: 'TransactionStmt' },
      { line: 2, column: 1, endLine: 2, endColumn: 23, text: 'CREATE TABLE t (id int)', kind: 'CreateStmt' },
      { line: 3, column: 1, endLine: 3, endColumn: 6, text: 'COMMIT', kind: 'TransactionStmt' },
    ],
  },
  {
    name: 'psql meta-commands are reported and skipped',
    sql:
      '\\set ON_ERROR_STOP on\nSELECT 1;\n  \\connect other\nSELECT 2;\n\\i other.sql\n' +
      'SELECT 3,\n\\echo inside a statement\n  4;\n',
    statements: [
      { line: 2, column: 1, endLine: 2, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
      { line: 4, column: 1, endLine: 4, endColumn: 8, text: 'SELECT 2', kind: 'SelectStmt' },
      // psql runs a meta-command met mid-statement and goes on filling the query buffer.
      {
        line: 6,
        column: 1,
        endLine: 8,
        endColumn: 3,
        text: 'SELECT 3,\n\\echo inside a statement\n  4',
        kind: 'SelectStmt',
      },
    ],
    diagnostics: [
      warning('psql-meta-command', 1, 1, 1, 21),
      warning('psql-meta-command', 3, 3, 3, 16),
      warning('psql-meta-command', 5, 1, 5, 12),
      warning('psql-meta-command', 7, 1, 7, 24),
    ],
  },
  {
    name: 'Flyway ${...} and Go template {{ ... }} placeholders',
    sql: 'CREATE TABLE ${schema}.t (id int);\nGRANT SELECT ON t TO {{ .Role }};\n',
    statements: [
      {
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 33,
        text: 'CREATE TABLE ${schema}.t (id int)',
        kind: 'CreateStmt',
      },
      {
        line: 2,
        column: 1,
        endLine: 2,
        endColumn: 32,
        text: 'GRANT SELECT ON t TO {{ .Role }}',
        kind: 'GrantStmt',
      },
    ],
    diagnostics: [warning('placeholder', 1, 14, 1, 22), warning('placeholder', 2, 22, 2, 32)],
  },
  {
    name: 'COPY ... FROM stdin data lines up to \\.',
    sql: "COPY t (a, b) FROM stdin;\n1\tx;y\n2\t'z\n\\.\nSELECT 1;\n",
    statements: [
      { line: 1, column: 1, endLine: 1, endColumn: 24, text: 'COPY t (a, b) FROM stdin', kind: 'CopyStmt' },
      { line: 5, column: 1, endLine: 5, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
    ],
    diagnostics: [
      { severity: 'info', code: 'copy-from-stdin', line: 2, column: 1, endLine: 4, endColumn: 2 },
    ],
  },
];

describe.each(PATHS)('statement splitting: %s', (_path, variant) => {
  test.each(SPLIT_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const sql = variant(c.sql);
    const file = parse(sql);
    expect(spans(file)).toEqual(c.statements);
    for (const s of file.statements) expect(file.text.slice(s.start, s.end)).toBe(s.text);
    const expected = [...(c.diagnostics ?? [])];
    if (sql !== c.sql) {
      const line = sql.split('\n').length - 1;
      expected.push({
        severity: 'error',
        code: 'syntax-error',
        line,
        column: 1,
        endLine: line,
        endColumn: 1,
      });
    }
    expect(diags(file)).toEqual(expected);
    expect(file.rejected).toBe(false);
  });
});

describe('what surrounds statements', () => {
  test('a comment after the last statement, which has no semicolon', () => {
    expect(spans(parse('SELECT 1;\nSELECT 2 -- no semicolon; here\n'))).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
      { line: 2, column: 1, endLine: 2, endColumn: 8, text: 'SELECT 2', kind: 'SelectStmt' },
    ]);
    expect(spans(parse('SELECT 1\n  /* tail; */\n\n'))).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
    ]);
  });

  test('CRLF: a last statement without semicolon does not take the \\r', () => {
    const file = parse('SELECT 1;\r\nSELECT 2\r\n');
    expect(spans(file)).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
      { line: 2, column: 1, endLine: 2, endColumn: 8, text: 'SELECT 2', kind: 'SelectStmt' },
    ]);
    expect(file.lines.lineCount).toBe(3);
  });

  test.each([
    ['a string', '\ufeffSELECT 1;\nSELECT 2;'],
    ['bytes', new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('SELECT 1;\nSELECT 2;')])],
  ])('a UTF-8 byte-order mark is stripped (%s)', (_how, content) => {
    const file = parse(content);
    expect(file.text).toBe('SELECT 1;\nSELECT 2;');
    expect(spans(file)).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
      { line: 2, column: 1, endLine: 2, endColumn: 8, text: 'SELECT 2', kind: 'SelectStmt' },
    ]);
    expect(file.diagnostics).toEqual([]);
  });

  test.each([
    ['empty', ''],
    ['empty bytes', new Uint8Array(0)],
    ['whitespace only', '  \n\n\t\r\n'],
    ['comments only', '-- nothing; here\n/* nor /* here; */ */\n-- +goose Up\n'],
  ])('%s file: no statements and no error', (_name, content) => {
    const file = parse(content);
    expect(file.statements).toEqual([]);
    expect(file.diagnostics).toEqual([]);
    expect(file.rejected).toBe(false);
  });

  test('a statement with the psql meta-command \\gset after it ends there', () => {
    const file = parse('SELECT 1 AS x \\gset\nSELECT 2;\n');
    expect(spans(file)).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 13, text: 'SELECT 1 AS x', kind: 'SelectStmt' },
      { line: 2, column: 1, endLine: 2, endColumn: 8, text: 'SELECT 2', kind: 'SelectStmt' },
    ]);
    expect(diags(file)).toEqual([warning('psql-meta-command', 1, 15, 1, 19)]);
    expect(file.diagnostics[0].message).toContain('\\gset');
  });

  test('a placeholder inside a string literal is not a placeholder', () => {
    const file = parse("SELECT '${not_one}', ${one};\n");
    expect(spans(file)).toEqual([
      {
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 27,
        text: "SELECT '${not_one}', ${one}",
        kind: 'SelectStmt',
      },
    ]);
    expect(diags(file)).toEqual([warning('placeholder', 1, 22, 1, 27)]);
    expect(file.diagnostics[0].message).toContain('${one}');
  });
});

describe('syntax errors', () => {
  test('an error in the middle is reported at its token; the statements around it are kept', () => {
    const file = parse("SELECT 1;\nSELECT 'é😀', FROM t;\nSELECT '日本' AS \"ü\"; SELECT '😀😀' AS e;\n");
    expect(spans(file)).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
      { line: 3, column: 1, endLine: 3, endColumn: 18, text: 'SELECT \'日本\' AS "ü"', kind: 'SelectStmt' },
      { line: 3, column: 21, endLine: 3, endColumn: 36, text: "SELECT '😀😀' AS e", kind: 'SelectStmt' },
    ]);
    // The token FROM is the 14th character of its line, after 'é😀' (6 UTF-8 bytes, 3 UTF-16 units).
    expect(diags(file)).toEqual([
      { severity: 'error', code: 'syntax-error', line: 2, column: 14, endLine: 2, endColumn: 14 },
    ]);
    expect(file.diagnostics[0].message).toMatch(/^syntax error at or near "FROM"/);
  });

  test('an error in a statement that starts mid-line after non-ASCII text', () => {
    const file = parse("SELECT 'ü'; SELEC 2; SELECT 3;\n");
    expect(spans(file)).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 10, text: "SELECT 'ü'", kind: 'SelectStmt' },
      { line: 1, column: 22, endLine: 1, endColumn: 29, text: 'SELECT 3', kind: 'SelectStmt' },
    ]);
    expect(diags(file)).toEqual([
      { severity: 'error', code: 'syntax-error', line: 1, column: 13, endLine: 1, endColumn: 13 },
    ]);
  });

  test('an error on a later line of a multi-line statement', () => {
    const file = parse('SELECT 1;\nCREATE TABLE t (\n  a int,\n  b int int\n);\nSELECT 2;\n');
    expect(spans(file).map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(diags(file)).toEqual([
      { severity: 'error', code: 'syntax-error', line: 4, column: 9, endLine: 4, endColumn: 9 },
    ]);
    expect(file.diagnostics[0].message).toMatch(/^syntax error at or near "int"/);
  });

  test('an unterminated quote runs to the end of the file', () => {
    const file = parse("SELECT 1;\nSELECT 'abc;\nSELECT 3;\n");
    expect(spans(file)).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
    ]);
    expect(diags(file)).toEqual([
      { severity: 'error', code: 'syntax-error', line: 2, column: 8, endLine: 2, endColumn: 8 },
    ]);
    expect(file.diagnostics[0].message).toMatch(/^unterminated quoted string/);
  });
});

describe('migration tool directives', () => {
  const GOOSE = [
    '-- +goose Up',
    '-- +goose NO TRANSACTION',
    '-- +goose StatementBegin',
    'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;',
    '-- +goose StatementEnd',
    'CREATE INDEX CONCURRENTLY i ON t (a);',
    '',
    '-- +goose Down',
    'DROP INDEX i;',
    '',
  ];

  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('goose annotations give directives and up/down sections (%s)', (_name, eol) => {
    const file = parse(GOOSE.join(eol));
    expect(file.directives.map(({ tool, value, line }) => ({ tool, value, line }))).toEqual([
      { tool: 'goose', value: 'Up', line: 1 },
      { tool: 'goose', value: 'NO TRANSACTION', line: 2 },
      { tool: 'goose', value: 'StatementBegin', line: 3 },
      { tool: 'goose', value: 'StatementEnd', line: 5 },
      { tool: 'goose', value: 'Down', line: 8 },
    ]);
    expect(
      file.statements.map(({ line, column, endLine, endColumn, section }) => [
        line,
        column,
        endLine,
        endColumn,
        section,
      ]),
    ).toEqual([
      [4, 1, 4, 63, 'up'],
      [6, 1, 6, 36, 'up'],
      [9, 1, 9, 12, 'down'],
    ]);
    expect(file.diagnostics).toEqual([]);
  });

  test('dbmate migrate:up (transaction:false) and migrate:down', () => {
    const file = parse(
      'SELECT 0;\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n',
    );
    expect(file.directives.map(({ tool, value, line }) => ({ tool, value, line }))).toEqual([
      { tool: 'dbmate', value: 'up transaction:false', line: 2 },
      { tool: 'dbmate', value: 'down', line: 5 },
    ]);
    expect(file.statements.map(({ line, text, section }) => [line, text, section])).toEqual([
      [1, 'SELECT 0', undefined],
      [3, 'CREATE INDEX CONCURRENTLY i ON t (a)', 'up'],
      [6, 'DROP INDEX i', 'down'],
    ]);
  });
});

describe('files that are not (clean) text', () => {
  test.each([
    [
      'a PNG header',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    ],
    ['NUL bytes after SQL', new Uint8Array([...Buffer.from('SELECT 1;\n'), 0, 0, 0, 0])],
    [
      'control characters without NUL',
      new Uint8Array([...Buffer.from('SELECT 1;'), 1, 2, 3, 4, 5, 6, 7, 8, 0x0e, 0x0f]),
    ],
    ['a string with a NUL character', 'SELECT 1;\u0000\n'],
  ])('%s: rejected as binary-file', (_name, content) => {
    const file = parse(content);
    expect(file.rejected).toBe(true);
    expect(file.statements).toEqual([]);
    expect(diags(file)).toEqual([{ severity: 'error', code: 'binary-file', line: 1, column: 1 }]);
  });

  test('invalid UTF-8 is a warning at the first bad byte; the file is still parsed', () => {
    // 0xFF never occurs in UTF-8.
    const bytes = Buffer.concat([
      Buffer.from("SELECT 1;\nSELECT 'caf"),
      Buffer.from([0xff]),
      Buffer.from("';\n"),
    ]);
    const file = parse(bytes);
    expect(file.rejected).toBe(false);
    expect(diags(file)).toEqual([{ severity: 'warning', code: 'invalid-utf8', line: 2, column: 12 }]);
    expect(spans(file)).toEqual([
      { line: 1, column: 1, endLine: 1, endColumn: 8, text: 'SELECT 1', kind: 'SelectStmt' },
      { line: 2, column: 1, endLine: 2, endColumn: 13, text: "SELECT 'caf\ufffd'", kind: 'SelectStmt' },
    ]);
  });

  test('the size limit counts UTF-8 bytes and is inclusive', () => {
    expect(parse('SELECT 1;\n'.repeat(100), 1000).rejected).toBe(false);
    // 600 characters, 1200 bytes.
    const tooLarge = parse(`SELECT '${'é'.repeat(590)}';`, 1000);
    expect(tooLarge.rejected).toBe(true);
    expect(diags(tooLarge)).toEqual([{ severity: 'error', code: 'file-too-large', line: 1, column: 1 }]);
    expect(tooLarge.diagnostics[0].message).toContain('1000 bytes');
    const tooLargeBytes = parse(Buffer.from('SELECT 1;\n'.repeat(101)), 1000);
    expect(diags(tooLargeBytes)).toEqual([{ severity: 'error', code: 'file-too-large', line: 1, column: 1 }]);
  });
});

describe('a multi-megabyte file', () => {
  /** ~5 MB of realistic migration statements, with non-ASCII text throughout. */
  function bigMigration(): { sql: string; count: number; lastLine: number; lastText: string } {
    const parts: string[] = [];
    let bytes = 0;
    let count = 0;
    let lines = 0;
    let lastText = '';
    for (let i = 0; bytes < 5_000_000; i++) {
      lastText = `INSERT INTO orders_${i} (customer_id, note) VALUES (1, 'é'), (2, E'it\\'s')`;
      const block =
        `-- migration ${i}: commandes ünïcødé 😀\n` +
        `CREATE TABLE orders_${i} (\n  id bigserial PRIMARY KEY,\n  customer_id bigint NOT NULL,\n` +
        `  note text DEFAULT 'n/a; none',\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n` +
        `ALTER TABLE orders_${i} ADD COLUMN status text;\n` +
        `CREATE INDEX CONCURRENTLY orders_${i}_customer_idx ON orders_${i} (customer_id);\n` +
        `CREATE FUNCTION touch_${i}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n` +
        `  NEW.created_at := now();\n  RETURN NEW;\nEND;\n$$;\n` +
        `${lastText};\n`;
      parts.push(block);
      bytes += Buffer.byteLength(block);
      count += 5;
      lines += block.split('\n').length - 1;
    }
    return { sql: parts.join(''), count, lastLine: lines, lastText };
  }

  // A syntax error on line 1 sends the whole file down the per-statement path.
  test.each([
    ['as a whole', ''],
    ['statement by statement', 'SELEC 1;\n'],
  ])('parses %s in reasonable time, with exact positions at its end', (_path, prefix) => {
    const { sql, count, lastLine, lastText } = bigMigration();
    const started = Date.now();
    const file = parse(prefix + sql);
    const elapsed = Date.now() - started;
    expect(file.statements).toHaveLength(count);
    expect(file.diagnostics.map((d) => [d.code, d.line])).toEqual(prefix ? [['syntax-error', 1]] : []);
    const last = file.statements[count - 1];
    const line = lastLine + (prefix ? 1 : 0);
    // The INSERT has only one-unit characters: its length is its column count.
    expect([last.line, last.column, last.endLine, last.endColumn]).toEqual([line, 1, line, lastText.length]);
    expect(last.text).toBe(lastText);
    // About 2 s on a laptop; the bound only catches a quadratic slip.
    expect(elapsed).toBeLessThan(15_000);
  });
});

describe('regressions found on the corpus', () => {
  test('goose StatementEnd and Down end a statement that has no semicolon', () => {
    const f = parse(
      '-- +goose Up\n-- +goose StatementBegin\nALTER TABLE t ADD COLUMN c int\n-- +goose StatementEnd\n\n-- +goose Down\nALTER TABLE t DROP COLUMN c;\n',
    );
    expect(f.statements.map((s) => [s.line, s.section, s.text])).toEqual([
      [3, 'up', 'ALTER TABLE t ADD COLUMN c int'],
      [7, 'down', 'ALTER TABLE t DROP COLUMN c'],
    ]);
    expect(f.diagnostics).toEqual([]);
  });

  test('dbmate migrate:down ends a statement that has no semicolon', () => {
    const f = parse(
      '-- migrate:up\nALTER TABLE t ADD COLUMN c int\n\n-- migrate:down\nALTER TABLE t DROP COLUMN c;\n',
    );
    expect(f.statements.map((s) => [s.line, s.section])).toEqual([
      [2, 'up'],
      [5, 'down'],
    ]);
  });

  test('an unterminated block comment is an error at its start', () => {
    const f = parse('SELECT 1;\n/* never closed\nSELECT 2;\n');
    expect(f.statements).toHaveLength(1);
    expect(f.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['syntax-error', 2, 1]]);
  });

  test('a Go template inside a quoted identifier is a placeholder', () => {
    const f = parse('CREATE INDEX i ON "{{ index .Options "Namespace" }}".users (id);');
    expect(f.statements).toHaveLength(1);
    expect(f.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['placeholder', 1, 20]]);
  });

  test('invalid UTF-8: the position of a truncated multi-byte lead byte, and no state leaks between files', () => {
    const latin1 = parse(new Uint8Array([...Buffer.from("SELECT 'caf"), 0xe9, ...Buffer.from("';")]));
    expect(latin1.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['invalid-utf8', 1, 12]]);
    parse(new Uint8Array([...Buffer.from('SELECT 1;\n'), 0xe9]));
    expect(parse(Buffer.from('SELECT 2;\n')).diagnostics).toEqual([]);
  });

  test('CRLF: a meta-command diagnostic does not include the carriage return', () => {
    const f = parse('\\set x 1\r\nSELECT 1;\r\n');
    expect(f.diagnostics.map((d) => [d.line, d.column, d.endLine, d.endColumn])).toEqual([[1, 1, 1, 8]]);
  });
});
