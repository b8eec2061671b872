/**
 * `migration-guard check` with a statistics snapshot: --stats FILE or the configured stats.file,
 * severities and the production line from it, the basis in text and json, and a snapshot that
 * cannot be used (exit 2) or is stale (a warning on stderr).
 */
import { runCli, useTempDir, writeFile as write } from './cli-harness';
import { statsFile } from './e2e/shop-fixture';

useTempDir('mg-stats-');

beforeEach(() => {
  write('db/migrations/001_orders.sql', 'CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n');
  write('change.sql', "SET lock_timeout = '5s';\nCREATE INDEX orders_status_idx ON orders (status);\n");
});

const run = (...argv: string[]) => runCli(['check', '--history', 'db/migrations', ...argv, 'change.sql']);

test('--stats FILE: a large table keeps the index build high and says its size and the estimate', async () => {
  write('prod.json', statsFile(3200, 1800));
  const r = await run('--stats', 'prod.json');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(
    /production: orders: 33\.6 M rows, 3\.13 GB, ~1,800 writes\/s; lock held ~[0-9.–]+ (s|min) \(estimated\); writes ~[0-9.]+ MB of WAL/,
  );
  expect(r.stdout).toMatch(
    /Statistics: `shop` on PostgreSQL 16\.4, taken \d{4}-\d\d-\d\d \(2 tables, 3\.13 GB\)/,
  );
});

test('the configured stats.file is read by default; a small table makes the finding info', async () => {
  write('.github/migration-guard-stats.json', statsFile(1, 0));
  const r = await run('--format', 'json');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(doc.findings.map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity])).toEqual([
    ['require-concurrent-index-creation', 'info'],
  ]);
  expect(doc.findings[0].severityReasons).toEqual(['orders is small (1 MB, 10,486 rows)']);
  expect(doc.findings[0].context).toMatchObject({ relation: 'orders', size: 'small', rows: 10_486 });
  expect(doc.basis).toMatchObject({ snapshot: true, warnings: [] });
});

test('stats.file from the configuration', async () => {
  write('ops/prod-stats.json', statsFile(1, 0));
  write('.github/migration-guard.yml', 'stats:\n  file: ops/prod-stats.json\n');
  const r = await run('--format', 'json');
  expect(JSON.parse(r.stdout).findings[0].severity).toBe('info');
});

test('without a snapshot: defaults, and the size is said to be unknown', async () => {
  const r = await run();
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(
    'production: size of orders unknown: no statistics snapshot (see migration-guard stats)',
  );
  expect(r.stdout).not.toContain('Statistics:');
});

test('a snapshot that cannot be used: exit 2 naming the file and the problem', async () => {
  write('bad.json', '{"format": "migration-guard-stats", "version": 9}');
  const r = await run('--stats', 'bad.json');
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('bad.json: unknown stats file format version 9');
  write('.github/migration-guard-stats.json', '{ not json');
  const d = await run();
  expect(d.code).toBe(2);
  expect(d.stderr).toContain('.github/migration-guard-stats.json: not valid JSON: line 1, column 3');
  const missing = await run('--stats', 'nowhere.json');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('nowhere.json: no such file');
});

test('a stale snapshot: used, with a warning on stderr', async () => {
  write('prod.json', statsFile(3200, 1800, new Date(Date.now() - 40 * 86_400_000)));
  const r = await run('--stats', 'prod.json');
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/warning: prod\.json: the statistics snapshot is 40 days old/);
});
