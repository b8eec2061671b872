/**
 * `migration-guard check` on a sqitch project: deploy scripts are judged and replayed in the
 * order of sqitch.plan, not by file name. Scripts are named so that the two orders differ.
 */
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { main } from '../src/cli';
import { findMigrationFiles } from '../src/cli/check-command';
import { expandPaths } from '../src/cli/files';
import { DEFAULT_CONFIG } from '../src/config';
import { useTempDir, writeFile as write } from './cli-harness';

useTempDir('mg-sqitch-');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(...argv: string[]): Promise<{ code: number; doc: any }> {
  const out: string[] = [];
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await main([...argv, '--format', 'json'], (s) => {
    out.push(s);
  });
  jest.restoreAllMocks();
  return { code, doc: JSON.parse(out.join('\n')) };
}

const stamp = (day: number) => `2013-01-${String(day).padStart(2, '0')}T10:00:00Z Ann <ann@example.com>`;

/**
 * A project whose plan creates `users` (zz_users) before indexing it (aa_users_email): by name the
 * index would come first, on a table not created yet, so assumed to exist and possibly large.
 */
function shop(root: string): void {
  write(
    `${root}/sqitch.plan`,
    [
      '%syntax-version=1.0.0',
      '%project=shop',
      '',
      `zz_users ${stamp(2)} # Creates users.`,
      `aa_users_email [zz_users] ${stamp(3)} # Indexes users.email.`,
      '',
    ].join('\n'),
  );
  write(
    `${root}/deploy/zz_users.sql`,
    'BEGIN;\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\nCOMMIT;\n',
  );
  write(
    `${root}/deploy/aa_users_email.sql`,
    'BEGIN;\nCREATE INDEX users_email_idx ON users (email);\nCOMMIT;\n',
  );
  write(`${root}/revert/zz_users.sql`, 'BEGIN;\nDROP TABLE users;\nCOMMIT;\n');
  write(`${root}/revert/aa_users_email.sql`, 'BEGIN;\nDROP INDEX users_email_idx;\nCOMMIT;\n');
  write(`${root}/verify/zz_users.sql`, 'BEGIN;\nSELECT id, email FROM users WHERE false;\nROLLBACK;\n');
  write(
    `${root}/verify/aa_users_email.sql`,
    "SELECT 1/count(*) FROM pg_class WHERE relname = 'users_email_idx';\n",
  );
}

const paths = (doc: { files: { path: string }[] }) => doc.files.map((f) => f.path);

describe('a sqitch project', () => {
  test('deploy scripts in plan order: the table created earlier in the plan is new for the index', async () => {
    shop('db');
    const { code, doc } = await json('check', 'db');
    expect(paths(doc)).toEqual([
      'db/deploy/zz_users.sql',
      'db/deploy/aa_users_email.sql',
      'db/revert/aa_users_email.sql',
      'db/revert/zz_users.sql',
    ]);
    expect(doc.files.map((f: { tool: string; isDown: boolean }) => [f.tool, f.isDown])).toEqual([
      ['sqitch', false],
      ['sqitch', false],
      ['sqitch', true],
      ['sqitch', true],
    ]);
    expect(doc.findings.filter((f: { severity: string }) => f.severity !== 'info')).toEqual([]);
    expect(code).toBe(0);
  });

  test('without sqitch.plan the scripts go by name, and the index is judged on an unknown table', async () => {
    shop('db');
    unlinkSync('db/sqitch.plan');
    const { code, doc } = await json('check', 'db');
    expect(paths(doc).slice(0, 2)).toEqual(['db/deploy/aa_users_email.sql', 'db/deploy/zz_users.sql']);
    expect(doc.findings[0]).toMatchObject({
      ruleId: 'require-concurrent-index-creation',
      severity: 'high',
      file: 'db/deploy/aa_users_email.sql',
    });
    expect(code).toBe(1);
  });

  test('the project at the current directory, found by `check` with no path', async () => {
    shop('.');
    write('migrations/001_other.sql', 'CREATE TABLE other (id int);\n');
    const { code, doc } = await json('check');
    expect(paths(doc)).toEqual([
      'deploy/zz_users.sql',
      'deploy/aa_users_email.sql',
      'migrations/001_other.sql',
      'revert/aa_users_email.sql',
      'revert/zz_users.sql',
    ]);
    expect(code).toBe(0);
  });

  test('--history replays the project in plan order', async () => {
    // 2013 creates users.status as integer, 2014 changes it to varchar(10): by name, the 2014
    // change would be replayed first (on no table) and leave status an integer.
    write(
      'db/sqitch.plan',
      `zz_users ${stamp(2)}\n@v1 ${stamp(3)}\naa_status_text [zz_users] 2014-02-01T10:00:00Z Bob <bob@example.com>\n`,
    );
    write('db/deploy/zz_users.sql', 'CREATE TABLE users (id bigint PRIMARY KEY, status integer);\n');
    write('db/deploy/aa_status_text.sql', 'ALTER TABLE users ALTER COLUMN status TYPE varchar(10);\n');
    write(
      'db/revert/aa_status_text.sql',
      'ALTER TABLE users ALTER COLUMN status TYPE integer USING status::integer;\n',
    );
    write(
      'change/widen.sql',
      "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN status TYPE varchar(20);\n",
    );
    expect(await expandPaths(['db'])).toEqual([
      path.join('db', 'deploy', 'zz_users.sql'),
      path.join('db', 'deploy', 'aa_status_text.sql'),
      path.join('db', 'revert', 'aa_status_text.sql'),
    ]);
    const { code, doc } = await json('check', '--history', 'db', 'change/widen.sql');
    // varchar(10) → varchar(20) does not rewrite the table (integer → varchar would).
    expect(doc.findings.filter((f: { severity: string }) => f.severity !== 'info')).toEqual([]);
    expect(code).toBe(0);

    // By name, the 2014 change runs first (on no table) and the column stays an integer.
    unlinkSync('db/sqitch.plan');
    const byName = await json('check', '--history', 'db', 'change/widen.sql');
    expect(
      byName.doc.findings.map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity]),
    ).toContainEqual(['alter-column-type', 'high']);
    expect(byName.code).toBe(1);
  });

  test('findMigrationFiles: a plan beside deploy/ orders that directory only', async () => {
    shop('a');
    shop('b');
    unlinkSync('b/sqitch.plan');
    expect(await findMigrationFiles(['b', 'a'], DEFAULT_CONFIG.migrations.paths)).toEqual([
      'b/deploy/aa_users_email.sql',
      'b/deploy/zz_users.sql',
      'b/revert/aa_users_email.sql',
      'b/revert/zz_users.sql',
      'a/deploy/zz_users.sql',
      'a/deploy/aa_users_email.sql',
      'a/revert/aa_users_email.sql',
      'a/revert/zz_users.sql',
    ]);
  });
});
