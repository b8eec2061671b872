/**
 * `calibrate` against a real PostgreSQL 17 server: plausible figures, nothing left behind, existing
 * tables untouched, read-only servers refused, the scratch schema dropped on errors, and the CLI's
 * --write keeping the configuration's comments and other keys. The password never shows.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import { main } from '../../src/cli';
import { loadConfig } from '../../src/config';
import { calibrate, CalibrationRefused, type Session } from '../../src/context/calibrate';
import { startServer, type PgServer } from '../truth/cluster';

let server: PgServer;
let admin: Client;

beforeAll(async () => {
  server = await startServer(17);
  admin = await server.connect();
  await admin.query(`
    CREATE TABLE keep (id int PRIMARY KEY, v text);
    INSERT INTO keep SELECT g, 'row ' || g FROM generate_series(1, 1000) g;`);
  await admin.query('CREATE DATABASE ro');
  await admin.query('ALTER DATABASE ro SET default_transaction_read_only = on');
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

const connectTo = (database?: string) => () => server.connect(database) as Promise<Session>;

/** What calibrate must not change: the existing table's file, its scan counters, the set of relations. */
async function footprint(): Promise<unknown> {
  const { rows } = await admin.query(`
    SELECT
      (SELECT relfilenode FROM pg_class WHERE oid = 'keep'::regclass) AS filenode,
      pg_stat_get_numscans('keep'::regclass) AS scans,
      (SELECT count(*) FROM pg_class WHERE relnamespace NOT IN
         (SELECT oid FROM pg_namespace WHERE nspname ~ '^pg_' OR nspname = 'information_schema')) AS relations,
      (SELECT coalesce(array_agg(nspname ORDER BY nspname), '{}') FROM pg_namespace
         WHERE nspname LIKE 'migration_guard%') AS scratch`);
  return rows[0];
}

test('measures plausible figures and leaves nothing behind; existing tables are untouched', async () => {
  const before = await footprint();
  const result = await calibrate(connectTo(), { rows: 5000, repeats: 1 });
  expect(result.calibration).toMatchObject({
    source: 'calibrated',
    serverVersion: expect.stringMatching(/^17\./),
  });
  expect(result.calibration.measuredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const key of ['scanBytesPerSecond', 'rewriteBytesPerSecond', 'indexBuildBytesPerSecond'] as const) {
    expect(result.calibration[key]).toBeGreaterThan(1024 ** 2);
  }
  // The harness's server runs without full_page_writes; WAL is still written per tuple and page.
  expect(result.calibration.walBytesPerWrittenByte).toBeGreaterThan(0.2);
  expect(result.samples.rewrite).toHaveLength(1);
  expect(result.tableBytes).toBeGreaterThan(5000 * 100);
  expect(await footprint()).toEqual(before);
});

test('a read-only server or session is refused before anything is created', async () => {
  const before = await footprint();
  const attempt = calibrate(connectTo('ro'), { rows: 5000, repeats: 1 });
  await expect(attempt).rejects.toThrow(CalibrationRefused);
  await expect(attempt).rejects.toThrow(/read-only \(default_transaction_read_only is on/);
  const ro = await server.connect('ro');
  try {
    const { rows } = await ro.query(
      `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'migration_guard%'`,
    );
    expect(rows[0].n).toBe(0);
  } finally {
    await ro.end();
  }
  expect(await footprint()).toEqual(before);
});

test('the scratch schema is dropped when a statement fails (here: the statement timeout)', async () => {
  const before = await footprint();
  const progress: string[] = [];
  await expect(
    calibrate(connectTo(), { rows: 500_000, statementTimeoutMs: 50, progress: (l) => progress.push(l) }),
  ).rejects.toThrow(/statement timeout/);
  // The schema and table existed: the failure came while filling.
  expect(progress[0]).toMatch(/^filling migration_guard_calibrate_\w+\.calibration with 500,000 rows$/);
  expect(await footprint()).toEqual(before);
});

describe('the calibrate command', () => {
  let dir: string;
  let stderr: string;
  let spy: jest.SpyInstance;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mg-calibrate-'));
    stderr = '';
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
  });
  afterEach(async () => {
    spy.mockRestore();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('--write updates the calibration: section in place, keeping comments and other keys', async () => {
    const file = path.join(dir, 'migration-guard.yml');
    await fs.writeFile(
      file,
      [
        '# Migration Guard settings for the shop',
        'failOn: warning # we want to hear about everything',
        'calibration:',
        '  # staging is slower than production',
        '  scanBytesPerSecond: 1',
        'tables:',
        '  orders: { size: large, note: ask the payments team }',
        '',
      ].join('\n'),
    );
    const out: string[] = [];
    const url = `postgres://postgres:hunter2@${server.host}:${server.port}/postgres`;
    const code = await main(
      ['calibrate', '--database-url', url, '--rows', '5000', '--config', file, '--write'],
      (s) => out.push(s),
    );
    expect(code).toBe(0);
    const text = await fs.readFile(file, 'utf8');
    expect(text).toContain('# Migration Guard settings for the shop');
    expect(text).toContain('failOn: warning # we want to hear about everything');
    expect(text).toContain('# staging is slower than production');
    expect(text).toContain('orders: { size: large, note: ask the payments team }');
    expect(text).toMatch(/# measured by migration-guard calibrate on PostgreSQL 17\./);
    const config = loadConfig(text, file, []);
    expect(config.failOn).toBe('warning');
    expect(config.tables.orders).toEqual({ size: 'large', note: 'ask the payments team' });
    expect(config.calibration).toMatchObject({
      source: 'calibrated',
      serverVersion: expect.stringMatching(/^17\./),
    });
    expect(config.calibration.scanBytesPerSecond).toBeGreaterThan(1024 ** 2);
    // The printed section is the same figures.
    expect(out.join('\n')).toContain(`scanBytesPerSecond: ${config.calibration.scanBytesPerSecond}`);
    expect(out.join('\n') + stderr).not.toContain('hunter2');
  });

  test('the URL may come from DATABASE_URL; a connection error never shows the password', async () => {
    const saved = process.env.DATABASE_URL;
    // Nothing listens on port 1.
    process.env.DATABASE_URL = 'postgres://app:s3cr%40t@127.0.0.1:1/shop';
    try {
      const out: string[] = [];
      expect(await main(['calibrate'], (s) => out.push(s))).toBe(2);
      expect(stderr).toMatch(
        /^migration-guard calibrate: postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/shop: .*ECONNREFUSED/m,
      );
      expect(stderr + out.join('')).not.toMatch(/s3cr/);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  test('without a URL: a usage error', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      expect(await main(['calibrate'], () => undefined)).toBe(2);
      expect(stderr).toMatch(/needs --database-url URL or the DATABASE_URL environment variable/);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });
});
