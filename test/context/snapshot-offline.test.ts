/**
 * The snapshot's parts that need no server: database URLs and the redaction of their passwords,
 * and what collectStats makes of a standby and of tables dropped while it runs (a scripted client
 * answering the snapshot's queries).
 */
import type { QueryResultRow } from 'pg';
import {
  checkDatabaseUrl,
  collectStats,
  redact,
  SnapshotError,
  takeSnapshot,
} from '../../src/context/snapshot';

describe('database URLs', () => {
  test.each([
    ['postgres://u:p%40ss@db:5432/shop', 'postgres://u:***@db:5432/shop', ['p%40ss', 'p@ss']],
    ['postgresql://u:p@ss@db/shop', 'postgresql://u:***@db/shop', ['p%40ss', 'p@ss']],
    ['postgres://u@db/shop?sslmode=require', 'postgres://u@db/shop?sslmode=require', []],
    ['postgres://u@db/shop?password=a%20b', 'postgres://u@db/shop?password=***', ['a b', 'a%20b', 'a+b']],
    ['postgres:///shop?host=/var/run/postgresql', 'postgres:///shop?host=/var/run/postgresql', []],
  ])('%s', (url, redacted, secrets) => {
    const checked = checkDatabaseUrl(url);
    expect(checked).toEqual({ redacted, secrets });
    expect(redact(`failed: ${url} (${secrets.join(' ')})`, checked)).not.toMatch(
      /p@ss|p%40ss|a b|a%20b|a\+b/,
    );
  });

  test.each([
    ['postgres//u:hunter2@db/shop', 'not a database URL: "postgres//u:***@db/shop"'],
    ['mysql://u:hunter2@db/shop', 'not a database URL: "mysql://u:***@db/shop"'],
    ['db.internal?password=hunter2', 'not a database URL: "db.internal?password=***"'],
    ['host=db password=hunter2', 'key=value connection strings are not supported'],
    ['', 'not a database URL: ""'],
  ])('%j is refused without its password', (url, message) => {
    expect(() => checkDatabaseUrl(url)).toThrow(
      new SnapshotError(`${message} (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)`),
    );
  });

  test('takeSnapshot refuses a bad URL or timeout before connecting', async () => {
    await expect(takeSnapshot('nope')).rejects.toThrow(SnapshotError);
    await expect(takeSnapshot('postgres://127.0.0.1:1/x', { statementTimeoutMs: 0 })).rejects.toThrow(
      'timeout must be a whole number of milliseconds > 0 (got 0)',
    );
  });
});

/** Answers the snapshot's queries from canned rows, chosen by a distinctive part of the SQL. */
function scriptedClient(answers: [RegExp, QueryResultRow[]][]) {
  const seen: string[] = [];
  return {
    seen,
    async query<R extends QueryResultRow>(sql: string): Promise<{ rows: R[] }> {
      seen.push(sql);
      const answer = answers.find(([pattern]) => pattern.test(sql));
      return { rows: (answer?.[1] ?? []) as R[] };
    },
  };
}

const relation = (oid: number, name: string) => ({
  oid,
  schema: 'public',
  name,
  relkind: 'r',
  is_partition: false,
  reltuples: 1000,
  relpages: '10',
  toast: 0,
  toast_pages: '0',
});

function server(standby: boolean) {
  return {
    version_num: '170002',
    version: '17.2 (Debian 17.2-1.pgdg120+1)',
    database: 'shop',
    taken_at: new Date('2025-03-10T12:00:00Z'),
    standby,
    block_size: '8192',
  };
}

test('on a standby: sizes and rows, no activity, and a note saying why', async () => {
  const client = scriptedClient([
    [/server_version_num/, [server(true)]],
    [/stats_reset/, [{ stats_reset: new Date('2025-03-01T00:00:00Z') }]],
    [/FROM pg_class c\s+JOIN pg_namespace/, [relation(1, 'orders')]],
    [/pg_total_relation_size/, [{ oid: 1, heap: '81920', toast: '0', indexes: '0', total: '98304' }]],
  ]);
  const snapshot = await collectStats(client);
  expect(snapshot.server).toEqual({ version: '17.2', major: 17 });
  expect(snapshot.tables['public.orders']).toEqual({
    kind: 'table',
    rows: 1000,
    heapBytes: 81920,
    toastBytes: 0,
    indexBytes: 0,
    totalBytes: 98304,
    indexes: [],
  });
  expect(snapshot.notes).toEqual([
    'this server is a standby (pg_is_in_recovery): it does not count the writes it replays, so activity and ' +
      'rates are not recorded; sizes and rows are the primary’s. Take the snapshot on the primary for rates',
  ]);
  expect(client.seen.some((sql) => /pg_stat_user_tables/.test(sql))).toBe(false);
});

test('a table dropped while the snapshot runs is left out, with a note', async () => {
  const client = scriptedClient([
    [/server_version_num/, [server(false)]],
    [/stats_reset/, [{ stats_reset: new Date('2025-03-01T00:00:00Z') }]],
    [/FROM pg_class c\s+JOIN pg_namespace/, [relation(1, 'orders'), relation(2, 'gone')]],
    [/pg_total_relation_size/, [{ oid: 1, heap: '81920', toast: '0', indexes: '0', total: '98304' }]],
  ]);
  const snapshot = await collectStats(client);
  expect(Object.keys(snapshot.tables)).toEqual(['public.orders']);
  expect(snapshot.notes).toEqual(['dropped while the snapshot was taken, left out: public.gone']);
});
