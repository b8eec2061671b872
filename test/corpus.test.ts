/**
 * Robustness over a corpus of real migration files: analysis never throws, and every position it
 * reports points at the text it claims to. The corpus (../shared/corpus next to the repository, or
 * $MIGRATION_GUARD_CORPUS) is not part of the repository: without it this suite is skipped.
 *
 * One test per source directory, not per file: thousands of tests would be slow and unreadable.
 * Each test collects every problem it finds and reports them in one assertion.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../src/analysis/analyze';
import { lexSql } from '../src/analysis/lexer';
import { decodeSource, LineIndex } from '../src/analysis/source';
import type { AnalyzedFile } from '../src/analysis/types';

const CORPUS = path.resolve(
  process.env.MIGRATION_GUARD_CORPUS ?? path.join(__dirname, '../../shared/corpus'),
);
/** PostgreSQL's regression tests: psql scripts with deliberate errors, not migrations. */
const REGRESS = 'postgres__regress';

interface CorpusFile {
  /** Path relative to the corpus root, as printed in failures. */
  name: string;
  bytes: Uint8Array;
}

function sqlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return sqlFiles(full);
      return e.isFile() && e.name.endsWith('.sql') ? [full] : [];
    })
    .sort();
}

/** Files grouped by their first directory under the corpus root (the source repository). */
function loadCorpus(): Map<string, CorpusFile[]> {
  const groups = new Map<string, CorpusFile[]>();
  for (const full of sqlFiles(CORPUS)) {
    const name = path.relative(CORPUS, full);
    const source = name.includes(path.sep) ? name.slice(0, name.indexOf(path.sep)) : '.';
    const group = groups.get(source) ?? [];
    group.push({ name, bytes: fs.readFileSync(full) });
    groups.set(source, group);
  }
  return groups;
}

const corpus = fs.existsSync(CORPUS) ? loadCorpus() : new Map<string, CorpusFile[]>();

/** UTF-16 offset of a 1-based line and column (in code points); -1 when the column is past the line's end. */
function offsetAt(text: string, lines: LineIndex, line: number, column: number): number {
  let at = lines.lineStart(line);
  for (let n = 1; n < column; n++) {
    if (at >= text.length || text[at] === '\n') return -1;
    const c = text.charCodeAt(at);
    at += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return at;
}

/** Everything wrong with one file's result, as readable lines. */
function problems(file: CorpusFile, result: AnalyzedFile): string[] {
  const out: string[] = [];
  const text = decodeSource(file.bytes).text;
  const lines = new LineIndex(text);
  const lineOk = (line: number) => Number.isInteger(line) && line >= 1 && line <= lines.lineCount;

  let previousEnd = 0;
  const starts: number[] = [];
  for (const s of result.statements) {
    const where = `statement at ${s.line}:${s.column}-${s.endLine}:${s.endColumn}`;
    if (!lineOk(s.line) || !lineOk(s.endLine) || s.endLine < s.line) {
      out.push(`${where}: lines outside 1..${lines.lineCount} or reversed`);
      continue;
    }
    const start = offsetAt(text, lines, s.line, s.column);
    const end = start + s.text.length;
    if (s.text.length === 0 || s.text !== s.text.trim()) {
      out.push(
        `${where}: text is empty or has surrounding white space: ${JSON.stringify(s.text.slice(0, 60))}`,
      );
    } else if (start < 0 || !text.startsWith(s.text, start)) {
      const actual =
        start < 0 ? '(column past the end of the line)' : JSON.stringify(text.slice(start, start + 40));
      out.push(
        `${where}: text ${JSON.stringify(s.text.slice(0, 40))} is not at that position, found ${actual}`,
      );
    } else if (offsetAt(text, lines, s.endLine, s.endColumn + 1) !== end) {
      // (endLine, endColumn) is the text's last character: the position after it is the text's end.
      out.push(`${where}: the end position is not the end of the text ${JSON.stringify(s.text.slice(-40))}`);
    } else if (start < previousEnd) {
      out.push(`${where}: overlaps the statement before it`);
    }
    if (start >= 0) {
      previousEnd = Math.max(previousEnd, end);
      starts.push(start);
    }
  }

  const errorOffsets: number[] = [];
  for (const d of result.diagnostics) {
    const where = `${d.severity} ${d.code} at ${d.line}:${d.column}`;
    const at = lineOk(d.line) ? offsetAt(text, lines, d.line, d.column) : -1;
    if (at < 0) out.push(`${where}: position outside the file (${lines.lineCount} lines)`);
    else if (d.severity === 'error') errorOffsets.push(at);
    if (d.endLine !== undefined && d.endColumn !== undefined) {
      const end = lineOk(d.endLine) ? offsetAt(text, lines, d.endLine, d.endColumn) : -1;
      if (end < 0 || (at >= 0 && end < at)) out.push(`${where}: end ${d.endLine}:${d.endColumn} is invalid`);
    }
  }

  // Nothing is dropped silently: each statement the lexer sees is analyzed or has an error in it.
  for (const r of lexSql(text).statements) {
    const covered = (offsets: number[]) => offsets.some((o) => o >= r.start && o <= r.end);
    if (!covered(starts) && !covered(errorOffsets)) {
      const p = lines.position(r.start);
      out.push(
        `${p.line}:${p.column}: ${JSON.stringify(text.slice(r.start, r.start + 40))} neither analyzed nor reported`,
      );
    }
  }
  return out;
}

const results = new Map<string, AnalyzedFile>();

/** PG 17 analysis of one file, once per run; an exception comes back as a problem line. */
async function analyzed(file: CorpusFile): Promise<AnalyzedFile | string> {
  const cached = results.get(file.name);
  if (cached) return cached;
  try {
    const result = await analyze([{ path: file.name, content: file.bytes }], { pgVersion: 17 });
    if (result.files.length !== 1 || result.files[0].path !== file.name) {
      return `analyze returned ${result.files.length} file results for one file`;
    }
    results.set(file.name, result.files[0]);
    return result.files[0];
  } catch (error) {
    return thrown(error);
  }
}

function thrown(error: unknown): string {
  return `analyze threw: ${error instanceof Error ? error.message : String(error)}`;
}

/** One assertion for a whole directory: its message lists every file's problems. */
function expectNoProblems(found: string[]): void {
  expect({ count: found.length, problems: found.slice(0, 50) }).toEqual({ count: 0, problems: [] });
}

if (corpus.size === 0) {
  console.warn(
    `corpus tests skipped: no directory ${CORPUS} (set MIGRATION_GUARD_CORPUS to a corpus of .sql files)`,
  );
  describe.skip(`migration corpus (absent: ${CORPUS})`, () => {
    test('every file analyzes', () => undefined);
  });
} else {
  describe('migration corpus', () => {
    describe.each([...corpus.keys()])('%s', (source) => {
      const files = corpus.get(source) ?? [];

      test(`${files.length} files analyze on PostgreSQL 17 with positions that match the text`, async () => {
        const found: string[] = [];
        for (const file of files) {
          const result = await analyzed(file);
          const lines = typeof result === 'string' ? [result] : problems(file, result);
          found.push(...lines.map((p) => `${file.name}: ${p}`));
        }
        expectNoProblems(found);
      });

      // Version-dependent effects (feature gates, lock levels) take other branches on old versions. The
      // regression scripts are left out: they double this suite's time and are not migrations.
      if (source === REGRESS) return;
      test('the same files analyze on PostgreSQL 11 with the same statements', async () => {
        const found: string[] = [];
        for (const file of files) {
          try {
            const result = await analyze([{ path: file.name, content: file.bytes }], { pgVersion: 11 });
            const pg11 = result.files[0];
            const pg17 = await analyzed(file);
            const count = typeof pg17 === 'string' ? undefined : pg17.statements.length;
            if (count !== undefined && pg11.statements.length !== count) {
              found.push(`${file.name}: ${pg11.statements.length} statements on 11, ${count} on 17`);
            }
          } catch (error) {
            found.push(`${file.name}: ${thrown(error)}`);
          }
        }
        expectNoProblems(found);
      });
    });

    test('sanity floor: migration files (not the regression tests) parse', async () => {
      // Files with nothing but comments are legitimate (blank migrations kept for numbering, other dialects).
      const migrations = [...corpus]
        .flatMap(([source, files]) => (source === REGRESS ? [] : files))
        .filter((f) => lexSql(decodeSource(f.bytes).text).statements.length > 0);
      let withStatements = 0;
      let withSyntaxErrors = 0;
      for (const file of migrations) {
        const result = await analyzed(file);
        if (typeof result === 'string') continue;
        if (result.statements.length > 0) withStatements++;
        if (result.diagnostics.some((d) => d.code === 'syntax-error')) withSyntaxErrors++;
      }
      expect(migrations.length).toBeGreaterThan(0);
      expect(withStatements / migrations.length).toBeGreaterThanOrEqual(0.99);
      expect(withSyntaxErrors / migrations.length).toBeLessThanOrEqual(0.01);
    });
  });
}
