/**
 * sqitch plans: parsing sqitch.plan into changes and deploy scripts, and ordering a file list by
 * the plans found beside its deploy/ directories.
 */
import {
  orderBySqitchPlans,
  parseSqitchPlan,
  sqitchDeployScripts,
  sqitchPlanCandidates,
} from '../../src/migrations/sqitch';
import { compareMigrationPaths } from '../../src/migrations/discover';
import { detectTool, isDownMigrationPath } from '../../src/migrations/tools';

const PLAN = [
  '%syntax-version=1.0.0',
  '%project=shop',
  '%uri=https://example.com/shop/',
  '',
  '# Schema of the shop, oldest first.',
  'users 2013-01-02T10:00:00Z Ann Smith <ann@example.com> # Adds users. With #hashes.',
  'orders [users] 2013-01-03T10:00:00Z Ann Smith <ann@example.com> # Adds orders.',
  '@v1.0 2013-01-04T10:00:00Z Ann Smith <ann@example.com> # First release.',
  '   ',
  'audit [users orders !legacy_audit shared:roles] 2013-02-01T10:00:00Z Bob <bob@example.com>',
  '@v1.1 2013-02-02T10:00:00Z Bob <bob@example.com>',
  'users [users@v1.0] 2014-03-01T10:00:00Z Bob <bob@example.com> # Reworked: email column.',
  '',
].join('\n');

describe('parseSqitchPlan', () => {
  test('pragmas, changes in plan order, dependencies, conflicts, notes and tags', () => {
    const plan = parseSqitchPlan(PLAN);
    expect(plan.pragmas).toEqual({
      'syntax-version': '1.0.0',
      project: 'shop',
      uri: 'https://example.com/shop/',
    });
    expect(plan.changes.map((c) => [c.name, c.requires, c.conflicts, c.tags, c.note])).toEqual([
      ['users', [], [], [], 'Adds users. With #hashes.'],
      ['orders', ['users'], [], ['v1.0'], 'Adds orders.'],
      ['audit', ['users', 'orders', 'shared:roles'], ['legacy_audit'], ['v1.1'], undefined],
      ['users', ['users@v1.0'], [], [], 'Reworked: email column.'],
    ]);
  });

  test('a reworked change: the earlier instance is named after the first tag after it', () => {
    const plan = parseSqitchPlan(PLAN);
    // users@v1.0 and users@v1.1 both lie between the instances; sqitch takes the first that exists.
    expect(plan.changes[0].deployScripts).toEqual(['deploy/users@v1.0.sql', 'deploy/users@v1.1.sql']);
    expect(sqitchDeployScripts(plan)).toEqual([
      'deploy/users@v1.0.sql',
      'deploy/orders.sql',
      'deploy/audit.sql',
      'deploy/users.sql',
    ]);
  });

  test('a change reworked twice: each earlier instance takes a tag between it and the next', () => {
    const plan = parseSqitchPlan(
      [
        'fn 2013-01-01T00:00:00Z A <a@x>',
        '@r1 2013-01-02T00:00:00Z A <a@x>',
        'fn [fn@r1] 2013-02-01T00:00:00Z A <a@x>',
        'other 2013-02-02T00:00:00Z A <a@x>',
        '@r2 2013-02-03T00:00:00Z A <a@x>',
        'fn [fn@r2] 2013-03-01T00:00:00Z A <a@x>',
      ].join('\n'),
    );
    expect(sqitchDeployScripts(plan)).toEqual([
      'deploy/fn@r1.sql',
      'deploy/fn@r2.sql',
      'deploy/other.sql',
      'deploy/fn.sql',
    ]);
  });

  test('CRLF line ends, a byte-order mark, leading blanks, comments, names with slashes', () => {
    const plan = parseSqitchPlan(
      '\uFEFF%syntax-version=1.0.0\r\n' +
        '# comment\r\n' +
        '\r\n' +
        '  schemas/app 2013-01-01T00:00:00Z A <a@x> # Note\r\n' +
        '+tables/users [schemas/app] 2013-01-02T00:00:00Z A <a@x>\r\n' +
        '@v1 2013-01-03T00:00:00Z A <a@x>\r\n',
    );
    expect(plan.pragmas).toEqual({ 'syntax-version': '1.0.0' });
    expect(plan.changes.map((c) => [c.name, c.requires, c.tags, c.note])).toEqual([
      ['schemas/app', [], [], 'Note'],
      ['tables/users', ['schemas/app'], ['v1'], undefined],
    ]);
    expect(sqitchDeployScripts(plan)).toEqual(['deploy/schemas/app.sql', 'deploy/tables/users.sql']);
  });

  test('lines that are not changes are skipped; a reworked change without a tag has no script', () => {
    const plan = parseSqitchPlan(
      [
        '@orphan 2013-01-01T00:00:00Z A <a@x>',
        'ok 2013-01-01T00:00:00Z A <a@x>',
        'not:a:change 2013-01-01T00:00:00Z A <a@x>',
        '-gone 2013-01-01T00:00:00Z A <a@x>',
        'ok 2013-01-02T00:00:00Z A <a@x>',
      ].join('\n'),
    );
    expect(plan.changes.map((c) => [c.name, c.deployScripts])).toEqual([
      ['ok', []],
      ['ok', ['deploy/ok.sql']],
    ]);
  });
});

describe('orderBySqitchPlans', () => {
  const plans: Record<string, string> = {
    'db/sqitch.plan': [
      '%project=shop',
      'zz_users 2013-01-01T00:00:00Z A <a@x>',
      'aa_orders [zz_users] 2013-01-02T00:00:00Z A <a@x>',
      '@v1 2013-01-03T00:00:00Z A <a@x>',
      'mm_audit 2014-01-01T00:00:00Z A <a@x>',
      'zz_users [zz_users@v1] 2014-02-01T00:00:00Z A <a@x>',
    ].join('\n'),
  };
  const natural = (paths: string[]) => [...paths].sort(compareMigrationPaths);

  test('deploy scripts in plan order, unplanned ones after them, every other path in place', () => {
    const paths = natural([
      'db/deploy/aa_orders.sql',
      'db/deploy/mm_audit.sql',
      'db/deploy/zz_users.sql',
      'db/deploy/zz_users@v1.sql',
      'db/deploy/bb_unplanned.sql',
      'db/revert/aa_orders.sql',
      'db/revert/zz_users.sql',
      'migrations/001_x.sql',
      'a/0001_first.sql',
    ]);
    const asked: string[] = [];
    const ordered = orderBySqitchPlans(paths, (p) => {
      asked.push(p);
      return plans[p];
    });
    expect(ordered).toEqual([
      'a/0001_first.sql',
      'db/deploy/zz_users@v1.sql',
      'db/deploy/aa_orders.sql',
      'db/deploy/mm_audit.sql',
      'db/deploy/zz_users.sql',
      'db/deploy/bb_unplanned.sql',
      'db/revert/aa_orders.sql',
      'db/revert/zz_users.sql',
      'migrations/001_x.sql',
    ]);
    expect(asked).toEqual(['db/sqitch.plan']);
  });

  test('without a plan beside deploy/, the order is unchanged', () => {
    const paths = ['db/deploy/b.sql', 'db/deploy/a.sql', 'x.sql'];
    expect(orderBySqitchPlans(paths, () => undefined)).toEqual(paths);
    expect(sqitchPlanCandidates(paths)).toEqual(['db/sqitch.plan']);
    expect(sqitchPlanCandidates(['db/migrations/1.sql', 'deployment/a.sql', 'deploy/notes.txt'])).toEqual([]);
  });

  test('two projects, a plan at the root, an absolute path, change names with slashes', () => {
    const text = {
      'sqitch.plan': 'b/two 2013-01-01T00:00:00Z A <a@x>\na/one 2013-01-02T00:00:00Z A <a@x>\n',
      '/abs/proj/sqitch.plan': 'second 2013-01-01T00:00:00Z A <a@x>\nfirst 2013-01-02T00:00:00Z A <a@x>\n',
    } as Record<string, string>;
    const paths = [
      '/abs/proj/deploy/first.sql',
      '/abs/proj/deploy/second.sql',
      'deploy/a/one.sql',
      'deploy/b/two.sql',
    ];
    expect(orderBySqitchPlans(paths, (p) => text[p])).toEqual([
      '/abs/proj/deploy/second.sql',
      '/abs/proj/deploy/first.sql',
      'deploy/b/two.sql',
      'deploy/a/one.sql',
    ]);
    expect(sqitchPlanCandidates(paths)).toEqual(['/abs/proj/sqitch.plan', 'sqitch.plan']);
  });

  test('a reworked script named after a later tag (the first one does not exist) is found', () => {
    const text =
      'fn 2013-01-01T00:00:00Z A <a@x>\n@r1 2013-01-02T00:00:00Z A <a@x>\n' +
      'x 2013-01-03T00:00:00Z A <a@x>\n@r2 2013-01-04T00:00:00Z A <a@x>\n' +
      'fn [fn@r1] 2013-02-01T00:00:00Z A <a@x>\n';
    expect(orderBySqitchPlans(['deploy/fn.sql', 'deploy/fn@r2.sql', 'deploy/x.sql'], () => text)).toEqual([
      'deploy/fn@r2.sql',
      'deploy/x.sql',
      'deploy/fn.sql',
    ]);
  });

  test('a path given twice keeps both places', () => {
    const text = 'b 2013-01-01T00:00:00Z A <a@x>\na 2013-01-02T00:00:00Z A <a@x>\n';
    expect(orderBySqitchPlans(['deploy/a.sql', 'deploy/b.sql', 'deploy/a.sql'], () => text)).toEqual([
      'deploy/b.sql',
      'deploy/a.sql',
      'deploy/a.sql',
    ]);
  });
});

test('sqitch scripts: deploy and verify are up, revert is down (history leaves revert out)', () => {
  for (const [p, down] of [
    ['db/deploy/users.sql', false],
    ['db/deploy/users@v1.0.sql', false],
    ['db/verify/users.sql', false],
    ['db/revert/users.sql', true],
    ['revert/users@v1.0.sql', true],
  ] as const) {
    const tool = detectTool(p, undefined);
    expect([p, tool.id, tool.isDown(p), isDownMigrationPath(p)]).toEqual([p, 'sqitch', down, down]);
  }
});
