/** `migration-guard analyze`: output formats and exit codes, run in-process on temp files. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli';
import type { AnalysisResult } from '../src/analysis/types';

function run(args: string[]) {
  const out: string[] = [];
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return main(args, (s) => out.push(s) > 0).then((code) => {
    const stderr = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    return { code, out: out.join('\n'), stderr };
  });
}

describe('migration-guard analyze', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mg-analyze-'));
  const history = path.join(dir, 'history');
  mkdirSync(history);
  writeFileSync(
    path.join(history, '10_orders_index.sql'),
    'CREATE INDEX orders_total_idx ON orders (total);',
  );
  writeFileSync(
    path.join(history, '2_orders.sql'),
    'CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric);',
  );
  const change = path.join(dir, 'change.sql');
  writeFileSync(
    change,
    "-- é\nALTER TABLE orders ADD COLUMN note text DEFAULT 'x';\nALTER TABLE orders ADD COLUMN ref uuid DEFAULT gen_random_uuid();\n",
  );

  test('json: locks, rewrites and positions; history directory replayed in natural order', async () => {
    const r = await run(['analyze', '--format', 'json', '--pg-version', '17', '--history', history, change]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as AnalysisResult;
    const [a, b] = result.files[0].statements;
    expect([a.line, a.column, a.endLine]).toEqual([2, 1, 2]);
    expect(a.rewrites).toEqual([]);
    expect(a.locks.map((l) => `${l.relation}:${l.mode}`)).toEqual(['orders:AccessExclusiveLock']);
    expect(b.rewrites).toEqual(['orders']);
    // The index from history (10_ after 2_) exists, so the rewrite rebuilds it.
    expect(b.rebuildsIndexes).toEqual(['orders_pkey', 'orders_total_idx']);
  });

  test('text is the default format', async () => {
    const r = await run(['analyze', '--history', history, change]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('lock ACCESS EXCLUSIVE on orders (table): blocks reads and writes');
    expect(r.out).toContain('rewrites: orders');
  });

  test('PG 12 does not have gen_random_uuid()', async () => {
    const r = await run(['analyze', '--format', 'json', '--pg-version', '12', change]);
    const result = JSON.parse(r.out) as AnalysisResult;
    expect(result.files[0].statements[1].failsOnVersion).toMatch(
      /gen_random_uuid\(\) is built in only from PostgreSQL 13/,
    );
  });

  test.each([
    [['analyze', '--pg-version', '10', change], /must be a PostgreSQL major version from 11 to 18/],
    [['analyze', '--format', 'xml', change], /--format must be one of json, text/],
    [['analyze', '--nope', change], /unknown option --nope/],
    [['analyze', path.join(dir, 'missing.sql')], /no such file or directory/],
  ])('usage and input errors exit 2: %j', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });

  test('no file: usage, exit 2', async () => {
    const r = await run(['analyze']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('usage: migration-guard analyze');
  });

  test('syntax errors are diagnostics, exit 0', async () => {
    const bad = path.join(dir, 'bad.sql');
    writeFileSync(bad, 'SELEC 1;\nSELECT 2;');
    const r = await run(['analyze', '--format', 'json', bad]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as AnalysisResult;
    expect(result.files[0].diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['syntax-error', 1, 1],
    ]);
    expect(result.files[0].statements).toHaveLength(1);
  });
});
