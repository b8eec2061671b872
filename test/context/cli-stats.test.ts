/**
 * `migration-guard stats` end to end, in-process through `main`, against a real server (the
 * newest major in PG_MAJORS): the file written and its summary, DATABASE_URL, --previous,
 * --out -, and exit 2 with a clear message — never the password — for every usage or input error.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { parseStatsFile, serializeStats } from '../../src/context/stats-file';
import { selectedMajors, startServer, type PgServer } from '../truth/cluster';
import { runCli, useTempDir } from '../cli-harness';
import { createKnownData, databaseUrl, SENTINEL, waitForCounters } from './stats-fixture';

const PASSWORD = 'hunter2-S3cret';
const major = selectedMajors().at(-1)!;
let server: PgServer;
let url: string;

beforeAll(async () => {
  server = await startServer(major);
  const setup = await server.connect();
  await createKnownData(setup);
  await setup.query(`CREATE ROLE reader LOGIN PASSWORD '${PASSWORD}'`);
  await setup.end();
  await waitForCounters(server, 'orders', { inserts: 100_000, updates: 0, deletes: 0 });
  url = databaseUrl(server, 'reader', PASSWORD);
});

afterAll(async () => {
  await server?.stop();
});

useTempDir('mg-stats-');
// The URL comes from the arguments unless a test sets DATABASE_URL itself.
beforeEach(() => delete process.env.DATABASE_URL);
afterEach(() => delete process.env.DATABASE_URL);

const run = (...argv: string[]) => runCli(argv);

function readSnapshot(file: string) {
  return parseStatsFile(readFileSync(file, 'utf8'), file);
}

test('writes .github/migration-guard-stats.json by default and prints a summary', async () => {
  const r = await run('stats', '--database-url', url);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const snapshot = readSnapshot('.github/migration-guard-stats.json');
  expect(Object.keys(snapshot.tables)).toHaveLength(9);
  expect(readFileSync('.github/migration-guard-stats.json', 'utf8')).toBe(serializeStats(snapshot));
  expect(readFileSync('.github/migration-guard-stats.json', 'utf8')).not.toContain(SENTINEL);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toMatch(
    new RegExp(
      `^wrote \\.github/migration-guard-stats\\.json: database postgres on PostgreSQL ${major}\\.\\d+, taken \\d{4}-`,
    ),
  );
  expect(lines[1]).toMatch(/^ {2}9 tables \(1 partitioned, 1 materialized view\(s\)\), [\d.]+ MB in total$/);
  expect(lines[2]).toMatch(/^ {2}largest: public\.orders [\d.]+ MB \(100,000 rows/);
  expect(r.stdout).not.toContain(PASSWORD);
});

test('the URL from env DATABASE_URL; --out creates directories', async () => {
  process.env.DATABASE_URL = url;
  const r = await run('stats', '--out', 'deep/er/stats.json');
  expect(r.code).toBe(0);
  expect(readSnapshot('deep/er/stats.json').database).toBe('postgres');
  expect(r.stdout).toMatch(/^wrote deep\/er\/stats\.json: /);
});

test('the configuration’s stats.file is the default output', async () => {
  mkdirSync('.github', { recursive: true });
  writeFileSync('.github/migration-guard.yml', 'stats:\n  file: ops/prod-stats.json\n');
  const r = await run('stats', '--database-url', url);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^wrote ops\/prod-stats\.json: /);
});

test('--out - prints the file; the summary goes to standard error', async () => {
  const r = await run('stats', '--database-url', url, '--out', '-');
  expect(r.code).toBe(0);
  expect(parseStatsFile(r.stdout, 'stdout').format).toBe('migration-guard-stats');
  expect(r.stderr).toMatch(/^wrote standard output: /);
  expect(existsSync('.github')).toBe(false);
});

test('--previous: rates between the two snapshots, written over the same file', async () => {
  expect((await run('stats', '--database-url', url, '--out', 'stats.json')).code).toBe(0);
  const writer = await server.connect();
  await writer.query(`UPDATE orders SET customer_id = customer_id + 1 WHERE id <= 3000`);
  await writer.end();
  await waitForCounters(server, 'orders', { inserts: 100_000, updates: 3000, deletes: 0 });
  const r = await run('stats', '--database-url', url, '--out', 'stats.json', '--previous', 'stats.json');
  expect(r.code).toBe(0);
  const rates = readSnapshot('stats.json').tables['public.orders'].rates!;
  expect(rates.source).toBe('between-snapshots');
  expect(rates.writesPerSecond).toBeCloseTo(3000 / rates.windowSeconds, 2);
  expect(r.stdout).toMatch(/rates: between the two snapshots, [\d.]+ (ms|s) apart/);
});

test('--help', async () => {
  const r = await run('stats', '--help');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^usage: migration-guard stats \[--database-url URL\]/);
  expect((await run('--help')).stdout).toContain('  stats     snapshot of the production database');
});

describe('usage and input errors: exit 2, a clear message, never the password', () => {
  test.each<[string, string[], string]>([
    ['no URL', ['stats'], 'migration-guard stats: --database-url URL (or env DATABASE_URL) is required\n'],
    [
      'not a URL',
      ['stats', '--database-url', `postgres//reader:${PASSWORD}@localhost/db`],
      'migration-guard stats: not a database URL: "postgres//reader:***@localhost/db" ' +
        '(expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)\n',
    ],
    [
      'another scheme',
      ['stats', '--database-url', `mysql://reader:${PASSWORD}@localhost/db`],
      'migration-guard stats: not a database URL: "mysql://reader:***@localhost/db" ' +
        '(expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)\n',
    ],
    [
      'a bad timeout',
      ['stats', '--database-url', 'postgres://x@localhost/db', '--statement-timeout', '2s'],
      'migration-guard stats: --statement-timeout must be a whole number of milliseconds > 0 (got "2s")\n',
    ],
    ['an unknown option', ['stats', '--url', 'x'], 'migration-guard stats: unknown option --url\n'],
    [
      'a file argument',
      ['stats', '--database-url', 'postgres://x@localhost/db', 'out.json'],
      'migration-guard stats: stats takes no file arguments (got out.json)\n',
    ],
  ])('%s', async (_name, argv, message) => {
    const r = await run(...argv);
    expect(r).toEqual({ code: 2, stdout: '', stderr: message });
  });

  test('connection refused', async () => {
    const r = await run('stats', '--database-url', `postgresql://reader:${PASSWORD}@127.0.0.1:1/postgres`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'migration-guard stats: cannot connect to postgresql://reader:***@127.0.0.1:1/postgres: ' +
        'connect ECONNREFUSED 127.0.0.1:1\n',
    );
    expect(existsSync('.github')).toBe(false);
  });

  test('no such database; a percent-encoded password is hidden in both forms', async () => {
    const r = await run(
      'stats',
      '--database-url',
      `postgres://reader:p%40ss%2Fw0rd@${server.host}:${server.port}/nosuchdb`,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `migration-guard stats: cannot connect to postgres://reader:***@${server.host}:${server.port}/nosuchdb: ` +
        'database "nosuchdb" does not exist\n',
    );
    expect(r.stderr).not.toMatch(/p%40ss|p@ss/);
  });

  test('--previous: missing, not a stats file, another database', async () => {
    let r = await run('stats', '--database-url', url, '--previous', 'none.json');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'migration-guard stats: none.json: no such file\n' });

    writeFileSync('bad.json', '{"format": "migration-guard-stats", "version": 7}');
    r = await run('stats', '--database-url', url, '--previous', 'bad.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^migration-guard stats: bad\.json: unknown stats file format version 7: /);

    mkdirSync('other');
    expect((await run('stats', '--database-url', url, '--out', 'other/stats.json')).code).toBe(0);
    const other = readSnapshot('other/stats.json');
    writeFileSync('other/stats.json', serializeStats({ ...other, database: 'billing' }));
    r = await run('stats', '--database-url', url, '--previous', 'other/stats.json', '--out', 'x.json');
    expect(r.stderr).toBe(
      'migration-guard stats: --previous other/stats.json: the previous snapshot is of database "billing", ' +
        'this one of "postgres": rates need two snapshots of the same database\n',
    );
    expect(r.code).toBe(2);
    expect(existsSync('x.json')).toBe(false);
  });

  test('an output path that cannot be written', async () => {
    writeFileSync('file', '');
    const r = await run('stats', '--database-url', url, '--out', 'file/stats.json');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'migration-guard stats: file/stats.json: cannot be written (EEXIST)\n',
    });
  });
});
