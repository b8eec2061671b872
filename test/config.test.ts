/**
 * `.github/migration-guard.yml`: defaults, every key, and errors that name the key and its line,
 * all reported at once, with "did you mean" for unknown keys and rule ids.
 */
import {
  ConfigError,
  DEFAULT_CONFIG,
  DEFAULT_MIGRATION_PATHS,
  DEFAULT_THROUGHPUT,
  didYouMean,
  loadConfig,
  tableSettings,
  type Config,
} from '../src/config';
import { RULE_IDS } from '../src/rules';

const FILE = '.github/migration-guard.yml';
const load = (text: string) => loadConfig(text, FILE, RULE_IDS);

/** The problems loadConfig reports for `text` (fails the test when it does not throw). */
function problems(text: string): { path: string; line?: number; message: string }[] {
  try {
    load(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).file).toBe(FILE);
    return (e as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for:\n${text}`);
}

describe('defaults', () => {
  test.each([
    ['an empty file', ''],
    ['only comments', '# nothing configured yet\n\n# see docs\n'],
  ])('%s gives the defaults', (_name, text) => {
    expect(load(text)).toEqual(DEFAULT_CONFIG);
  });

  // A lone `---` parses as a null scalar root, which means "no settings", not a non-mapping.
  test('a document with only the --- marker gives the defaults', () => {
    expect(load('---\n# settings to come\n')).toEqual(DEFAULT_CONFIG);
  });

  test('the defaults', () => {
    expect(DEFAULT_CONFIG).toEqual({
      postgresVersion: 17,
      migrations: { paths: DEFAULT_MIGRATION_PATHS, tool: 'auto', noTransaction: [] },
      rules: {},
      tables: {},
      requireLockTimeout: true,
      failOn: 'high',
      downSeverity: 'info',
      acknowledge: { permission: 'write', teams: [] },
      stats: {
        file: '.github/migration-guard-stats.json',
        maxAgeDays: 30,
        smallTableBytes: 10 * 1024 ** 2,
        largeTableBytes: 1024 ** 3,
        hotWritesPerSecond: 100,
        maxBlockingSeconds: 5,
      },
      calibration: { ...DEFAULT_THROUGHPUT, source: 'default' },
    });
  });

  test('a loaded configuration is a copy: changing it leaves the defaults alone', () => {
    const c = load('');
    c.migrations.paths.push('x/*.sql');
    c.rules['require-lock-timeout'] = 'off';
    expect(DEFAULT_CONFIG.migrations.paths).toEqual(DEFAULT_MIGRATION_PATHS);
    expect(DEFAULT_CONFIG.migrations.paths).not.toContain('x/*.sql');
    expect(DEFAULT_CONFIG.rules).toEqual({});
  });
});

test('every key', () => {
  const text = `
postgresVersion: 15
migrations:
  paths:
    - "db/migrate/*.sql"
    - "**/schema/*.up.sql"
  tool: goose
  noTransaction: ["db/migrate/*_concurrently.sql"]
rules:
  require-lock-timeout: off
  constraint-missing-not-valid: warning
  suppression: info
  concurrently-in-transaction: high
tables:
  orders:
    size: large
    hot: true
    note: "Peak traffic 09:00-18:00 UTC; ask #db-oncall"
  "audit_*":
    size: small
  billing.invoices: {}
requireLockTimeout: false
failOn: warning
downSeverity: warning
acknowledge:
  permission: maintain
  teams: [dba, platform]
stats:
  file: ops/stats.json
  maxAgeDays: 7
  smallTableBytes: 50 MB
  largeTableBytes: "2 GB"
  hotWritesPerSecond: 20
  maxBlockingSeconds: 2
calibration:
  scanBytesPerSecond: 500000000
  rewriteBytesPerSecond: 90000000
  indexBuildBytesPerSecond: 70000000
  walBytesPerWrittenByte: 1.1
  measuredAt: "2026-11-25T10:00:00Z"
  serverVersion: "17.10"
`;
  const expected: Config = {
    postgresVersion: 15,
    migrations: {
      paths: ['db/migrate/*.sql', '**/schema/*.up.sql'],
      tool: 'goose',
      noTransaction: ['db/migrate/*_concurrently.sql'],
    },
    rules: {
      'require-lock-timeout': 'off',
      'constraint-missing-not-valid': 'warning',
      suppression: 'info',
      'concurrently-in-transaction': 'high',
    },
    tables: {
      orders: { size: 'large', hot: true, note: 'Peak traffic 09:00-18:00 UTC; ask #db-oncall' },
      'audit_*': { size: 'small' },
      'billing.invoices': {},
    },
    requireLockTimeout: false,
    failOn: 'warning',
    downSeverity: 'warning',
    acknowledge: { permission: 'maintain', teams: ['dba', 'platform'] },
    stats: {
      file: 'ops/stats.json',
      maxAgeDays: 7,
      smallTableBytes: 50 * 1024 ** 2,
      largeTableBytes: 2 * 1024 ** 3,
      hotWritesPerSecond: 20,
      maxBlockingSeconds: 2,
    },
    calibration: {
      scanBytesPerSecond: 500000000,
      rewriteBytesPerSecond: 90000000,
      indexBuildBytesPerSecond: 70000000,
      walBytesPerWrittenByte: 1.1,
      measuredAt: '2026-11-25T10:00:00Z',
      serverVersion: '17.10',
      source: 'calibrated',
    },
  };
  expect(load(text)).toEqual(expected);
});

test('keys not given keep their defaults', () => {
  const c = load('failOn: never\nmigrations:\n  tool: flyway\n');
  expect(c).toEqual({
    ...DEFAULT_CONFIG,
    failOn: 'never',
    migrations: { ...DEFAULT_CONFIG.migrations, tool: 'flyway' },
  });
});

test.each([
  'auto',
  'plain',
  'golang-migrate',
  'goose',
  'flyway',
  'dbmate',
  'sqlx',
  'diesel',
  'prisma',
  'atlas',
  'sqitch',
])('migrations.tool: %s', (tool) => {
  expect(load(`migrations:\n  tool: ${tool}\n`).migrations.tool).toBe(tool);
});

describe('errors name the key and its line', () => {
  test('the message lists every problem with its line', () => {
    let error: unknown;
    try {
      load('# settings\npostgresVersion: 10\n\nfailOn: always\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `${FILE}: invalid configuration\n` +
        '  line 2: postgresVersion: must be a PostgreSQL major version from 11 to 18\n' +
        '  line 4: failOn: must be one of high, warning, never',
    );
  });

  test.each<[string, string, { path: string; line: number; message: string }]>([
    [
      'postgresVersion too old',
      'postgresVersion: 10',
      { path: 'postgresVersion', line: 1, message: 'must be a PostgreSQL major version from 11 to 18' },
    ],
    [
      'postgresVersion too new',
      'postgresVersion: 19',
      { path: 'postgresVersion', line: 1, message: 'must be a PostgreSQL major version from 11 to 18' },
    ],
    [
      'postgresVersion not an integer',
      'postgresVersion: 16.2',
      { path: 'postgresVersion', line: 1, message: 'must be a PostgreSQL major version from 11 to 18' },
    ],
    [
      'postgresVersion as text',
      'postgresVersion: "16"',
      { path: 'postgresVersion', line: 1, message: 'must be a PostgreSQL major version from 11 to 18' },
    ],
    [
      'requireLockTimeout',
      'requireLockTimeout: sometimes',
      { path: 'requireLockTimeout', line: 1, message: 'must be true or false' },
    ],
    ['failOn', 'failOn: info', { path: 'failOn', line: 1, message: 'must be one of high, warning, never' }],
    [
      'downSeverity',
      'downSeverity: off',
      { path: 'downSeverity', line: 1, message: 'must be one of high, warning, info' },
    ],
    [
      'migrations not a mapping',
      'migrations: db/*.sql',
      { path: 'migrations', line: 1, message: 'must be a mapping' },
    ],
    [
      'migrations.paths not a list',
      'migrations:\n  paths: db/*.sql',
      { path: 'migrations.paths', line: 2, message: 'must be a list of glob patterns' },
    ],
    [
      'migrations.paths with a number',
      'migrations:\n  paths: [1]',
      { path: 'migrations.paths', line: 2, message: 'must be a list of glob patterns' },
    ],
    [
      'migrations.noTransaction',
      'migrations:\n  noTransaction: true',
      { path: 'migrations.noTransaction', line: 2, message: 'must be a list of glob patterns' },
    ],
    [
      'rules not a mapping',
      'rules: [require-lock-timeout]',
      { path: 'rules', line: 1, message: 'must be a mapping of rule id to high, warning, info or off' },
    ],
    [
      'rule setting',
      'rules:\n  require-lock-timeout: error',
      { path: 'rules.require-lock-timeout', line: 2, message: 'must be one of high, warning, info, off' },
    ],
    [
      'tables not a mapping',
      'tables: [orders]',
      { path: 'tables', line: 1, message: 'must be a mapping of table name (or glob) to settings' },
    ],
    [
      'table settings not a mapping',
      'tables:\n  orders: large',
      { path: 'tables.orders', line: 2, message: 'must be a mapping' },
    ],
    [
      'table size',
      'tables:\n  orders:\n    size: huge',
      { path: 'tables.orders.size', line: 3, message: 'must be large or small' },
    ],
    [
      'table hot',
      'tables:\n  orders:\n    hot: yes please',
      { path: 'tables.orders.hot', line: 3, message: 'must be true or false' },
    ],
    [
      'table note',
      'tables:\n  orders:\n    note: [a]',
      { path: 'tables.orders.note', line: 3, message: 'must be text' },
    ],
    [
      'acknowledge.permission',
      'acknowledge:\n  permission: read',
      { path: 'acknowledge.permission', line: 2, message: 'must be write, maintain or admin' },
    ],
    [
      'acknowledge.teams',
      'acknowledge:\n  teams: dba',
      { path: 'acknowledge.teams', line: 2, message: 'must be a list of team slugs' },
    ],
    ['root not a mapping', '- a\n- b', { path: '(root)', line: 1, message: 'must be a mapping' }],
  ])('invalid value: %s', (_name, text, problem) => {
    expect(problems(text)).toEqual([problem]);
  });

  test('migrations.tool: the list of tools and a did-you-mean', () => {
    expect(problems('migrations:\n  tool: flyaway')).toEqual([
      {
        path: 'migrations.tool',
        line: 2,
        message:
          'must be one of auto, plain, golang-migrate, goose, flyway, dbmate, sqlx, diesel, prisma, atlas, sqitch, drizzle; did you mean "flyway"?',
      },
    ]);
  });

  test('YAML syntax errors are reported under (yaml)', () => {
    const p = problems('rules:\n  a: [unclosed\n');
    expect(p).toHaveLength(1);
    expect(p[0].path).toBe('(yaml)');
  });

  // The yaml library reports an unclosed bracket where it notices it (end of input), not where it opens.
  test('YAML syntax errors name their line', () => {
    expect(problems('failOn: high\nrules:\n  a: [unclosed\n')[0].line).toBe(4);
  });
});

describe('unknown keys', () => {
  test.each<[string, string, { path: string; line: number; message: string }]>([
    [
      'top level',
      'failon: warning',
      { path: 'failon', line: 1, message: 'unknown key; did you mean "failOn"?' },
    ],
    [
      'top level, transposed',
      'postgresVersoin: 16',
      { path: 'postgresVersoin', line: 1, message: 'unknown key; did you mean "postgresVersion"?' },
    ],
    [
      'migrations',
      'migrations:\n  path: ["*.sql"]',
      { path: 'migrations.path', line: 2, message: 'unknown key; did you mean "paths"?' },
    ],
    [
      'tables',
      'tables:\n  orders:\n    hott: true',
      { path: 'tables.orders.hott', line: 3, message: 'unknown key; did you mean "hot"?' },
    ],
    [
      'acknowledge',
      'acknowledge:\n  team: [dba]',
      { path: 'acknowledge.team', line: 2, message: 'unknown key; did you mean "teams"?' },
    ],
    [
      'rule id',
      'rules:\n  require-lock-timout: off',
      {
        path: 'rules.require-lock-timout',
        line: 2,
        message: 'unknown rule; did you mean "require-lock-timeout"?',
      },
    ],
    ['nothing close', 'colour: blue', { path: 'colour', line: 1, message: 'unknown key' }],
    [
      'rule id, nothing close',
      'rules:\n  no-drop-table: high',
      { path: 'rules.no-drop-table', line: 2, message: 'unknown rule' },
    ],
  ])('%s', (_name, text, problem) => {
    expect(problems(text)).toEqual([problem]);
  });

  test('did you mean: closest within a small distance, case-insensitive', () => {
    expect(didYouMean('FAILON', ['failOn', 'downSeverity'])).toBe('failOn');
    expect(didYouMean('requireLockTimeot', ['requireLockTimeout', 'rules'])).toBe('requireLockTimeout');
    expect(didYouMean('xyz', ['failOn', 'rules'])).toBeUndefined();
  });
});

test('stats and calibration: sizes with units, numbers, and what is wrong with each', () => {
  expect(
    problems(
      'stats:\n  smallTableBytes: lots\n  maxAgeDays: -1\n  fiel: x.json\ncalibration:\n  scanBytesPerSecond: 0\n  rewriteBytesPerSec: 5\n',
    ),
  ).toEqual([
    { path: 'stats.fiel', line: 4, message: 'unknown key; did you mean "file"?' },
    { path: 'stats.smallTableBytes', line: 2, message: 'must be a size such as 10 MB or 1 GB' },
    { path: 'stats.maxAgeDays', line: 3, message: 'must be a number ≥ 0' },
    {
      path: 'calibration.rewriteBytesPerSec',
      line: 7,
      message: 'unknown key; did you mean "rewriteBytesPerSecond"?',
    },
    { path: 'calibration.scanBytesPerSecond', line: 6, message: 'must be a number > 0' },
  ]);
  expect(problems('stats:\n  smallTableBytes: 2 GB\n')).toEqual([
    { path: 'stats.smallTableBytes', line: 2, message: 'must not be larger than stats.largeTableBytes' },
  ]);
  const c = load('stats:\n  largeTableBytes: 512 kB\n  smallTableBytes: 1024\n');
  expect(c.stats.largeTableBytes).toBe(512 * 1024);
  expect(c.stats.smallTableBytes).toBe(1024);
  expect(c.calibration.source).toBe('default');
});

test('several problems are reported at once, in document order', () => {
  const text = [
    'postgresVersion: 9', // 1
    'migrations:', // 2
    '  tool: gose', // 3
    '  pahts: []', // 4
    'rules:', // 5
    '  require-lock-timeout: loud', // 6
    '  no-such-rule: high', // 7
    'tables:', // 8
    '  orders:', // 9
    '    size: giant', // 10
    'failOn: sometimes', // 11
    'extra: 1', // 12
  ].join('\n');
  expect(problems(text)).toEqual([
    { path: 'extra', line: 12, message: 'unknown key' },
    { path: 'postgresVersion', line: 1, message: 'must be a PostgreSQL major version from 11 to 18' },
    { path: 'migrations.pahts', line: 4, message: 'unknown key; did you mean "paths"?' },
    {
      path: 'migrations.tool',
      line: 3,
      message:
        'must be one of auto, plain, golang-migrate, goose, flyway, dbmate, sqlx, diesel, prisma, atlas, sqitch, drizzle; did you mean "goose"?',
    },
    { path: 'rules.require-lock-timeout', line: 6, message: 'must be one of high, warning, info, off' },
    { path: 'rules.no-such-rule', line: 7, message: 'unknown rule' },
    { path: 'tables.orders.size', line: 10, message: 'must be large or small' },
    { path: 'failOn', line: 11, message: 'must be one of high, warning, never' },
  ]);
});

describe('tableSettings', () => {
  const config = load(`
tables:
  orders:
    size: large
  billing.invoices:
    hot: true
  "audit_*":
    size: small
  "*_archive":
    size: small
    note: archived
  "*":
    note: catch-all
`);

  test('exact name first', () => {
    expect(tableSettings(config, 'orders')).toEqual({ size: 'large' });
    expect(tableSettings(config, 'billing.invoices')).toEqual({ hot: true });
  });

  test('a schema-qualified relation matches its bare name', () => {
    expect(tableSettings(config, 'shop.orders')).toEqual({ size: 'large' });
  });

  test('globs: the first that matches, on the qualified or the bare name', () => {
    expect(tableSettings(config, 'audit_2024')).toEqual({ size: 'small' });
    expect(tableSettings(config, 'ops.audit_log')).toEqual({ size: 'small' });
    expect(tableSettings(config, 'orders_archive')).toEqual({ size: 'small', note: 'archived' });
    expect(tableSettings(config, 'customers')).toEqual({ note: 'catch-all' });
  });

  test('glob characters other than * are literal', () => {
    const c = load('tables:\n  "a.b+c":\n    size: large\n  "x?y*":\n    size: small\n');
    expect(tableSettings(c, 'a.b+c')).toEqual({ size: 'large' });
    expect(tableSettings(c, 'axbbc')).toBeUndefined();
    expect(tableSettings(c, 'x?yz')).toEqual({ size: 'small' });
    expect(tableSettings(c, 'xzyz')).toBeUndefined();
  });

  test('no tables configured', () => {
    expect(tableSettings(load(''), 'orders')).toBeUndefined();
  });
});
