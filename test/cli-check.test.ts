/**
 * `migration-guard check` and `explain`, run in-process through `main` in temporary directories:
 * exit codes, --fail-on, configuration discovery and errors, directory discovery, formats.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ruleById, RULE_IDS } from '../src/rules';
import { renderRuleDoc } from '../src/rules/docs';
import { runCli, useTempDir, writeFile as write } from './cli-harness';

useTempDir('mg-check-');
const run = (...argv: string[]) => runCli(argv);

async function json(...argv: string[]) {
  const r = await run(...argv, '--format', 'json');
  return { ...r, doc: JSON.parse(r.stdout) };
}

const SAFE = 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n';
const HIGH = 'CREATE INDEX orders_status_idx ON orders (status);\n';
/** Only a warning: CONCURRENTLY in a plain file (deploys only if the runner does not wrap it). */
const WARNING_ONLY = 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n';

describe('exit codes', () => {
  test('0 without findings', async () => {
    write('db/migrations/1_accounts.sql', SAFE);
    const r = await run('check');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0 high, 0 warning, 0 info in 1 file checked');
    expect(r.stderr).toBe('');
  });

  test('1 with a high finding (default failOn high)', async () => {
    write('db/migrations/1_index.sql', HIGH);
    const r = await run('check');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'db/migrations/1_index.sql:1:1: high [require-concurrent-index-creation] CREATE INDEX holds SHARE on orders',
    );
  });

  test('--fail-on decides what fails', async () => {
    write('db/migrations/1_concurrently.sql', WARNING_ONLY);
    const { doc } = await json('check');
    expect(doc.summary).toEqual({ high: 0, warning: 1, info: 0 });
    expect((await run('check')).code).toBe(0);
    expect((await run('check', '--fail-on', 'warning')).code).toBe(1);
    expect((await run('check', '--fail-on=high')).code).toBe(0);
    write('db/migrations/2_index.sql', HIGH);
    expect((await run('check', '--fail-on', 'never')).code).toBe(0);
    expect((await run('check', '--fail-on', 'high')).code).toBe(1);
  });

  test('failOn from the configuration; --fail-on overrides it', async () => {
    write('db/migrations/1_concurrently.sql', WARNING_ONLY);
    write('.github/migration-guard.yml', 'failOn: warning\n');
    expect((await run('check')).code).toBe(1);
    expect((await run('check', '--fail-on', 'high')).code).toBe(0);
  });

  test('suppressed findings do not fail', async () => {
    write(
      'db/migrations/1_index.sql',
      "SET lock_timeout = '2s';\n" +
        '-- migration-guard:ignore require-concurrent-index-creation orders has 200 rows\n' +
        HIGH,
    );
    const r = await json('check');
    expect(r.doc.findings).toEqual([]);
    expect(r.doc.suppressed.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'require-concurrent-index-creation',
    ]);
    expect(r.code).toBe(0);
  });

  test('2 on usage and input errors, with nothing on stdout', async () => {
    write('db/migrations/1_a.sql', SAFE);
    const cases: [string[], RegExp][] = [
      [['check', '--format', 'xml'], /--format must be one of text, json, sarif, markdown, github/],
      [['check', '--fail-on', 'info'], /--fail-on must be one of high, warning, never/],
      [['check', '--frobnicate'], /unknown option --frobnicate/],
      [['check', '--pg-version', '9'], /--pg-version must be a PostgreSQL major version from 11 to 18/],
      [['check', 'missing.sql'], /missing\.sql: no such file or directory/],
      [['check', '--history', 'nope'], /nope: no such file or directory/],
      [['check', '--config', 'nope.yml'], /nope\.yml: no such file/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect({ argv, code: r.code, stdout: r.stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^migration-guard check: /);
      expect(r.stderr).toMatch(message);
    }
  });

  test('--help prints the usage', async () => {
    const r = await run('check', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: migration-guard check /);
  });
});

describe('configuration', () => {
  test('.github/migration-guard.yml is read from the current directory', async () => {
    write('db/migrations/1_index.sql', HIGH);
    write(
      '.github/migration-guard.yml',
      'postgresVersion: 14\nrules:\n  require-concurrent-index-creation: off\n',
    );
    const { doc, code } = await json('check');
    expect(doc.pgVersion).toBe(14);
    expect(doc.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['require-lock-timeout']);
    expect(code).toBe(0);
    // --pg-version wins over postgresVersion.
    expect((await json('check', '--pg-version', '12')).doc.pgVersion).toBe(12);
  });

  test('--config FILE is used instead of the default file', async () => {
    write('db/migrations/1_index.sql', HIGH);
    write('.github/migration-guard.yml', 'postgresVersion: 14\n');
    write('ci/guard.yml', 'postgresVersion: 16\n');
    expect((await json('check', '--config', 'ci/guard.yml')).doc.pgVersion).toBe(16);
  });

  test('errors name the key and its line, exit 2', async () => {
    write('db/migrations/1_a.sql', SAFE);
    write(
      '.github/migration-guard.yml',
      ['# team settings', 'postgresVersion: 9', 'failOn: sometimes', 'migrations:', '  tool: gose', ''].join(
        '\n',
      ),
    );
    const r = await run('check');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'migration-guard check: .github/migration-guard.yml: invalid configuration',
        '  line 2: postgresVersion: must be a PostgreSQL major version from 11 to 18',
        '  line 3: failOn: must be one of high, warning, never',
        '  line 5: migrations.tool: must be one of auto, plain, golang-migrate, goose, flyway, dbmate, sqlx, diesel, prisma, atlas, sqitch, drizzle; did you mean "goose"?',
        '',
      ].join('\n'),
    );
  });

  test('an unknown key gets a "did you mean"', async () => {
    write('db/migrations/1_a.sql', SAFE);
    write('guard.yml', 'requireLockTimeot: false\nrules:\n  require-lock-timout: off\n');
    const r = await run('check', '--config', 'guard.yml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 1: requireLockTimeot: unknown key; did you mean "requireLockTimeout"?');
    expect(r.stderr).toContain(
      'line 3: rules.require-lock-timout: unknown rule; did you mean "require-lock-timeout"?',
    );
  });

  test('YAML syntax errors are configuration errors too', async () => {
    write('db/migrations/1_a.sql', SAFE);
    write('.github/migration-guard.yml', 'rules: [unclosed\n');
    const r = await run('check');
    expect(r.code).toBe(2);
    // (No line number yet: src/config.ts parses with prettyErrors: false, so YAML errors carry none.)
    expect(r.stderr).toMatch(
      /^migration-guard check: \.github\/migration-guard\.yml: invalid configuration\n {2}(line \d+: )?\(yaml\): Flow sequence/,
    );
  });
});

describe('discovering migration files', () => {
  beforeEach(() => {
    write('db/migrations/10_orders_index.sql', HIGH);
    write('db/migrations/2_accounts.sql', SAFE);
    write('db/migrations/1_init.sql', SAFE);
    write('services/billing/migrations/2024/V3__invoices.sql', SAFE);
    write('services/billing/migrations/2024/V20__invoice_index.sql', SAFE);
    write('deploy/add_users.sql', SAFE);
    write('db/migrations/archive.sql/README.md', 'a directory named like a SQL file');
    write('db/migrations/archive.sql/V1__old.sql', SAFE);
    write('node_modules/some-orm/migrations/1_x.sql', HIGH);
    write('.git/migrations/1_x.sql', HIGH);
    write('.cache/migrations/1_x.sql', HIGH);
    write('docs/example.sql', HIGH);
    write('schema.sql', HIGH);
  });

  const paths = (doc: { files: { path: string }[] }) => doc.files.map((f) => f.path);

  test('a directory: files matching migrations.paths, nested, in natural order', async () => {
    const { doc, code } = await json('check');
    expect(paths(doc)).toEqual([
      'db/migrations/1_init.sql',
      'db/migrations/2_accounts.sql',
      'db/migrations/10_orders_index.sql',
      'db/migrations/archive.sql/V1__old.sql',
      'deploy/add_users.sql',
      'services/billing/migrations/2024/V3__invoices.sql',
      'services/billing/migrations/2024/V20__invoice_index.sql',
    ]);
    expect(code).toBe(1);
  });

  test('"." is the default; the migrations directory itself finds the same files', async () => {
    const all = paths((await json('check', '.')).doc);
    expect(paths((await json('check')).doc)).toEqual(all);
    expect(paths((await json('check', 'db/migrations')).doc)).toEqual(
      all.filter((p) => p.startsWith('db/migrations/')),
    );
  });

  test('configured globs replace the defaults', async () => {
    write('.github/migration-guard.yml', 'migrations:\n  paths: ["docs/*.sql", "*.sql"]\n');
    expect(paths((await json('check')).doc)).toEqual(['docs/example.sql', 'schema.sql']);
  });

  test('files are taken as given, each once, in the order given', async () => {
    const { doc } = await json('check', 'schema.sql', 'db/migrations', 'schema.sql');
    expect(paths(doc)).toEqual([
      'schema.sql',
      'db/migrations/1_init.sql',
      'db/migrations/2_accounts.sql',
      'db/migrations/10_orders_index.sql',
      'db/migrations/archive.sql/V1__old.sql',
    ]);
  });

  test('nothing found: a note on stderr, an empty report, exit 0', async () => {
    mkdirSync('empty');
    const r = await json('check', 'empty');
    expect(r.code).toBe(0);
    expect(r.doc.files).toEqual([]);
    expect(r.doc.summary).toEqual({ high: 0, warning: 0, info: 0 });
    expect(r.stderr).toMatch(
      /^migration-guard check: no migration files found in empty \(migrations\.paths: /,
    );
  });

  test('--history: the schema before, not reported', async () => {
    write('history/0001_schema.sql', 'CREATE TABLE orders (id bigint, status text);\n');
    const without = (await json('check', 'db/migrations/10_orders_index.sql')).doc;
    expect(without.findings[0].assumptions).toHaveLength(1);
    const { doc } = await json('check', '--history', 'history', 'db/migrations/10_orders_index.sql');
    expect(paths(doc)).toEqual(['db/migrations/10_orders_index.sql']);
    expect(doc.findings[0].ruleId).toBe('require-concurrent-index-creation');
    expect(doc.findings[0].assumptions).toEqual([]);
  });
});

describe('formats', () => {
  beforeEach(() => write('db/migrations/1_index.sql', HIGH));

  test('json is parseable and versioned', async () => {
    const { doc, code } = await json('check');
    expect(code).toBe(1);
    expect(doc.version).toBe(1);
    expect(doc.files).toEqual([{ path: 'db/migrations/1_index.sql', tool: 'plain', isDown: false }]);
  });

  test('sarif, markdown and github', async () => {
    const sarif = JSON.parse((await run('check', '--format', 'sarif')).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'db/migrations/1_index.sql',
    );
    expect((await run('check', '--format', 'markdown')).stdout).toMatch(
      /^<!-- migration-guard -->\n### Migration Guard: 1 high, 1 warning, 0 info/,
    );
    expect((await run('check', '--format', 'github')).stdout).toMatch(
      /^::error file=db\/migrations\/1_index\.sql,line=1,col=1,endLine=1,endColumn=49,title=require-concurrent-index-creation::/,
    );
  });

  test('no colour when stdout is not a terminal', async () => {
    expect((await run('check')).stdout).not.toContain('\x1b[');
  });
});

describe('explain', () => {
  test('a known rule prints its documentation page', async () => {
    const r = await run('explain', 'require-lock-timeout');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(renderRuleDoc(ruleById('require-lock-timeout')!).trimEnd());
  });

  test('an unknown rule: exit 2, did you mean, and the rule list', async () => {
    const r = await run('explain', 'require-lock-timout');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'migration-guard explain: unknown rule "require-lock-timout"; did you mean "require-lock-timeout"?\n' +
        `rules: ${RULE_IDS.join(', ')}\n`,
    );
    const far = await run('explain', 'xyz');
    expect(far.code).toBe(2);
    expect(far.stderr).toBe(`migration-guard explain: unknown rule "xyz"\nrules: ${RULE_IDS.join(', ')}\n`);
  });

  test('without an id: every rule with its default severity and title', async () => {
    const r = await run('explain');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^rule +default +what it reports$/);
    for (const id of RULE_IDS) {
      const rule = ruleById(id)!;
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${id} +${rule.meta.defaultSeverity} +${escape(rule.meta.title)}$`),
        ),
      );
    }
  });

  test('more than one id is a usage error', async () => {
    const r = await run('explain', 'a', 'b');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('explain takes one rule id');
  });
});

test('the top-level usage lists check and explain', async () => {
  const r = await run('--help');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ {2}check +findings/m);
  expect(r.stdout).toMatch(/^ {2}explain +a rule's documentation/m);
  expect(r.stdout).toContain('usage: migration-guard check ');
  expect(r.stdout).toContain('usage: migration-guard explain ');
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('change sets', () => {
  const CREATE = 'CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);\n';
  const INDEX = 'CREATE INDEX invoices_total_idx ON invoices (total);\n';

  test('files given together form one change: a table created by one is new for the next', async () => {
    write('db/migrations/1_create.sql', CREATE);
    write('db/migrations/2_index.sql', INDEX);
    const r = await json('check', 'db/migrations', '--fail-on', 'never');
    expect(
      r.doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'require-concurrent-index-creation'),
    ).toEqual([]);
  });

  test('--each-file: every file is the newest migration, earlier files are old tables', async () => {
    write('db/migrations/1_create.sql', CREATE);
    write('db/migrations/2_index.sql', INDEX);
    const r = await json('check', 'db/migrations', '--each-file', '--fail-on', 'never');
    expect(
      r.doc.findings
        .filter((f: { ruleId: string }) => f.ruleId === 'require-concurrent-index-creation')
        .map((f: { file: string; line: number }) => [f.file, f.line]),
    ).toEqual([[path.join('db', 'migrations', '2_index.sql'), 1]]);
  });

  test('a file given both as history and as PATH is checked, not replayed twice', async () => {
    write('db/migrations/1_create.sql', CREATE);
    write('db/migrations/2_index.sql', INDEX);
    const r = await json(
      'check',
      '--history',
      'db/migrations',
      'db/migrations/2_index.sql',
      '--fail-on',
      'never',
    );
    expect(r.doc.files.map((f: { path: string }) => f.path)).toEqual([
      path.join('db', 'migrations', '2_index.sql'),
    ]);
    expect(r.doc.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
      'require-concurrent-index-creation',
    );
  });
});
