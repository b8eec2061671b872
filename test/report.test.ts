/**
 * Report formats, on a real `check` result: a golang-migrate up/down pair with high, warning and
 * info findings, a multi-line statement, machine-applicable fixes, a suppressed finding and a
 * syntax error. Structure and exact content per format; SARIF against the 2.1.0 rules GitHub code
 * scanning relies on; GitHub workflow-command escaping; the Markdown length cap.
 */
import path from 'node:path';
import { check, type CheckResult } from '../src/check/engine';
import type { Finding } from '../src/check/finding';
import { DEFAULT_CONFIG, type Config } from '../src/config';
import { RULES } from '../src/rules';
import { renderRuleDoc } from '../src/rules/docs';
import { renderReport, REPORT_FORMATS, type ReportFormat } from '../src/report';
import { escapeData, escapeProperty, renderGithub } from '../src/report/github';
import { countBySeverity } from '../src/report/json';
import { MARKDOWN_MARKER, renderMarkdown } from '../src/report/markdown';
import { FINGERPRINT_KEY, pascalCase, SARIF_SCHEMA, toSarif, type SarifLog } from '../src/report/sarif';
import { renderText } from '../src/report/text';
import packageJson from '../package.json';

const UP_PATH = 'db/migrations/0042_add_indexes.up.sql';
const DOWN_PATH = 'db/migrations/0042_add_indexes.down.sql';
const UP = `CREATE INDEX orders_status_idx ON orders (status);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
  FOREIGN KEY (customer_id) REFERENCES customers (id);
-- migration-guard:ignore require-concurrent-index-creation orders has 200 rows, verified in prod
CREATE INDEX orders_created_idx ON orders (created_at);
SELEC 1;
`;
const DOWN = 'DROP INDEX orders_status_idx;\n';

const config: Config = {
  ...structuredClone(DEFAULT_CONFIG),
  tables: { orders: { note: 'orders is hot: talk to #db, first' } },
} as Config;

function run(up = UP): Promise<CheckResult> {
  return check(
    [
      { path: UP_PATH, content: up },
      { path: DOWN_PATH, content: DOWN },
    ],
    { config, pgVersion: 17 },
  );
}

let result: CheckResult;
beforeAll(async () => {
  result = await run();
});

const find = (rule: string, line: number, file = UP_PATH): Finding => {
  const f = result.findings.find((x) => x.ruleId === rule && x.line === line && x.file === file);
  if (!f) throw new Error(`no ${rule} finding at ${file}:${line}`);
  return f;
};

test('the fixture has what every format must render', () => {
  const severities = new Set(result.findings.map((f) => f.severity));
  expect([...severities].sort()).toEqual(['high', 'info', 'warning']);
  expect(find('require-concurrent-index-creation', 1).fix).toBe(
    'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)',
  );
  expect(find('constraint-missing-not-valid', 2).endLine).toBe(3);
  expect(find('invalid-migration-file', 6).statementText).toBe('');
  expect(find('require-lock-timeout', 1, DOWN_PATH).severity).toBe('info');
  expect(result.suppressed).toHaveLength(1);
  expect(result.suppressed[0]).toMatchObject({
    ruleId: 'require-concurrent-index-creation',
    line: 5,
    suppressed: { reason: 'orders has 200 rows, verified in prod', line: 4 },
  });
});

describe('renderReport', () => {
  test.each(REPORT_FORMATS.map((f) => [f]))('%s renders', (format) => {
    expect(renderReport(format, result).length).toBeGreaterThan(0);
  });

  test('an unknown format is an error', () => {
    expect(() => renderReport('xml' as ReportFormat, result)).toThrow(RangeError);
  });
});

describe('text', () => {
  test('compiler-style header, source with caret, then the safe alternative', () => {
    const text = renderText(result);
    const f = find('require-concurrent-index-creation', 1);
    const block = text
      .split('\n\n')
      .find((b) => b.startsWith(`${UP_PATH}:1:1: high [require-concurrent-index-creation]`));
    expect(block).toBe(
      [
        `${UP_PATH}:1:1: high [require-concurrent-index-creation] ${f.message}`,
        '    1 | CREATE INDEX orders_status_idx ON orders (status)',
        `      | ^${'~'.repeat('CREATE INDEX orders_status_idx ON orders (status)'.length - 1)}`,
        '  instead: Build the index with CONCURRENTLY: reads and writes continue during the build.',
        '      CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
        ...f.safeAlternative!.notes!.map((n) => `  note: ${n}`),
        '  assumed: orders is not in the migration history: assumed to exist and possibly large',
        '  production: size of orders unknown: no statistics snapshot (see migration-guard stats)',
        '  team note: orders is hot: talk to #db, first',
      ].join('\n'),
    );
  });

  test('multi-line statements show their lines; the caret is under the first', () => {
    const text = renderText(result);
    expect(text).toContain(
      [
        '    2 | ALTER TABLE orders ADD CONSTRAINT orders_customer_fk',
        `      | ^${'~'.repeat('ALTER TABLE orders ADD CONSTRAINT orders_customer_fk'.length - 1)}`,
        '    3 |   FOREIGN KEY (customer_id) REFERENCES customers (id)',
        '  instead: Add the constraint NOT VALID',
      ].join('\n'),
    );
  });

  test('severity reasons, file-level findings and the suppressed list', () => {
    const text = renderText(result);
    expect(text).toContain(
      `${DOWN_PATH}:1:1: info [require-lock-timeout] ${find('require-lock-timeout', 1, DOWN_PATH).message}\n` +
        '    1 | DROP INDEX orders_status_idx\n',
    );
    expect(text).toContain('  severity: down migration: at most info');
    const syntax = find('invalid-migration-file', 6);
    // No statement text: the header is followed directly by the next finding.
    expect(text).toContain(`${UP_PATH}:6:1: high [invalid-migration-file] ${syntax.message}\n\n`);
    expect(text).toContain(
      'suppressed (1):\n' +
        `  ${UP_PATH}:5:1: high [require-concurrent-index-creation] ${result.suppressed[0].message}` +
        ' (migration-guard:ignore on line 4: orders has 200 rows, verified in prod)',
    );
  });

  test('summary line: counts per severity, suppressed and files checked', () => {
    const c = countBySeverity(result.findings);
    const lines = renderText(result).split('\n');
    expect(lines[lines.length - 1]).toBe(
      `${c.high} high, ${c.warning} warning, ${c.info} info (1 suppressed) in 2 files checked`,
    );
    expect(c.info).toBeGreaterThanOrEqual(1);
  });

  test('ANSI colour only when asked', () => {
    expect(renderText(result)).not.toContain('\x1b[');
    const colored = renderText(result, { color: true });
    expect(colored).toContain('\x1b[1;31mhigh\x1b[0m');
    expect(colored).toContain('\x1b[1;33mwarning\x1b[0m');
    // eslint-disable-next-line no-control-regex
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderText(result));
  });

  test('long statements are cut at 3 lines; control characters are escaped', () => {
    const f: Finding = {
      ...find('constraint-missing-not-valid', 2),
      line: 10,
      column: 5,
      endLine: 14,
      statementText: 'a\nb\nc\nd\ne\x1b[31m',
      message: 'evil \x1b[2J message',
    };
    const text = renderText({ ...result, findings: [f], suppressed: [] });
    expect(text).toContain(
      ['    10 |     a', '       |     ^', '    11 | b', '    12 | c', '       | ... (2 more lines)'].join(
        '\n',
      ),
    );
    expect(text).toContain('evil \\x1b[2J message');
    expect(text).not.toContain('\x1b');
  });
});

describe('json', () => {
  test('documented top-level shape, in order', () => {
    const doc = JSON.parse(renderReport('json', result));
    expect(Object.keys(doc)).toEqual([
      'version',
      'pgVersion',
      'files',
      'findings',
      'suppressed',
      'summary',
      'statements',
    ]);
    expect(doc.version).toBe(1);
    expect(doc.pgVersion).toBe(17);
    expect(doc.files).toEqual([
      { path: UP_PATH, tool: 'golang-migrate', isDown: false },
      { path: DOWN_PATH, tool: 'golang-migrate', isDown: true },
    ]);
    expect(doc.summary).toEqual(countBySeverity(result.findings));
    expect(doc.summary.high + doc.summary.warning + doc.summary.info).toBe(result.findings.length);
  });

  test('findings, suppressed and statements carry the engine data unchanged', () => {
    const doc = JSON.parse(renderReport('json', result));
    expect(doc.findings).toEqual(JSON.parse(JSON.stringify(result.findings)));
    expect(doc.suppressed[0].suppressed).toEqual({
      reason: 'orders has 200 rows, verified in prod',
      line: 4,
    });
    expect(doc.statements.map((f: { path: string }) => f.path)).toEqual([UP_PATH, DOWN_PATH]);
    expect(doc.statements[0].statements[0]).toMatchObject({
      line: 1,
      kind: 'IndexStmt',
      text: 'CREATE INDEX orders_status_idx ON orders (status)',
    });
    expect(doc.statements[0].diagnostics[0]).toMatchObject({ code: 'syntax-error', line: 6 });
    const fix = doc.findings.find((f: Finding) => f.ruleId === 'require-concurrent-index-creation');
    expect(fix).toMatchObject({
      severity: 'high',
      defaultSeverity: 'high',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 49,
      relation: 'orders',
      lock: 'ShareLock',
      fix: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)',
      note: 'orders is hot: talk to #db, first',
    });
  });
});

describe('sarif', () => {
  let log: SarifLog;
  beforeAll(() => {
    log = JSON.parse(renderReport('sarif', result));
  });

  test('log, run and driver: required and GitHub-used properties', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(SARIF_SCHEMA).toBe(log.$schema);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('Migration Guard');
    expect(driver.semanticVersion).toBe(packageJson.version);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(log.runs[0].columnKind).toBe('unicodeCodePoints');
  });

  test('rules: every registered rule, fully described', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const level = { high: 'error', warning: 'warning', info: 'note' } as const;
    RULES.forEach((rule, i) => {
      expect(rules[i]).toMatchObject({
        id: rule.id,
        name: pascalCase(rule.id),
        shortDescription: { text: rule.meta.title },
        fullDescription: { text: rule.meta.docs.why },
        help: { text: renderRuleDoc(rule), markdown: renderRuleDoc(rule) },
        defaultConfiguration: { level: level[rule.meta.defaultSeverity] },
      });
      expect(rules[i].properties.tags.length).toBeGreaterThan(0);
    });
    expect(pascalCase('require-concurrent-index-creation')).toBe('RequireConcurrentIndexCreation');
  });

  test('results: rule index consistency, levels, messages, 1-based regions with exclusive endColumn', () => {
    const run = log.runs[0];
    const all = [...result.findings, ...result.suppressed];
    expect(run.results).toHaveLength(all.length);
    const level = { high: 'error', warning: 'warning', info: 'note' } as const;
    run.results.forEach((r, i) => {
      const f = all[i];
      expect(r.ruleId).toBe(f.ruleId);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.level).toBe(level[f.severity]);
      expect(r.message.text.startsWith(f.message)).toBe(true);
      expect(r.locations).toHaveLength(1);
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      expect(artifactLocation).toEqual({ uri: f.file, uriBaseId: '%SRCROOT%' });
      expect(region).toEqual({
        startLine: f.line,
        startColumn: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn + 1,
      });
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.startColumn).toBeGreaterThanOrEqual(1);
    });
    const first = run.results[all.indexOf(find('require-concurrent-index-creation', 1))];
    expect(first.message.text).toBe(
      `${find('require-concurrent-index-creation', 1).message}. Instead: Build the index with CONCURRENTLY: reads and writes continue during the build.`,
    );
    expect(first.locations[0].physicalLocation.region).toEqual({
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 50,
    });
  });

  test('fixes replace the statement region with the fix text', () => {
    const all = [...result.findings, ...result.suppressed];
    const withFix = log.runs[0].results.filter((r) => r.fixes);
    expect(withFix.length).toBe(all.filter((f) => f.fix !== undefined).length);
    const r = log.runs[0].results[all.indexOf(find('constraint-missing-not-valid', 2))];
    expect(r.fixes).toEqual([
      {
        description: { text: find('constraint-missing-not-valid', 2).safeAlternative!.summary },
        artifactChanges: [
          {
            artifactLocation: { uri: UP_PATH, uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 2, startColumn: 1, endLine: 3, endColumn: 54 },
                insertedContent: {
                  text: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk\n  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID',
                },
              },
            ],
          },
        ],
      },
    ]);
  });

  test('suppressed findings are results with an inSource suppression', () => {
    const suppressed = log.runs[0].results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'orders has 200 rows, verified in prod' },
    ]);
    expect(suppressed[0].locations[0].physicalLocation.region.startLine).toBe(5);
  });

  test('partial fingerprints: unique, stable between runs and when lines move', async () => {
    const prints = (l: SarifLog) => l.runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    const first = prints(log);
    for (const p of first) expect(p).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(first).size).toBe(first.length);
    expect(prints(toSarif(await run()))).toEqual(first);
    // Two lines added above in the up file: same alerts, same fingerprints, its regions moved.
    const moved = toSarif(await run(`-- a comment\n\n${UP}`));
    const key = (r: SarifLog['runs'][0]['results'][0]) =>
      `${r.ruleId}@${r.locations[0].physicalLocation.region.startLine}`;
    const before = new Map(log.runs[0].results.map((r) => [r.partialFingerprints[FINGERPRINT_KEY], key(r)]));
    for (const r of moved.runs[0].results) {
      const was = before.get(r.partialFingerprints[FINGERPRINT_KEY]);
      const shift = r.locations[0].physicalLocation.artifactLocation.uri === UP_PATH ? 2 : 0;
      expect(was).toBe(`${r.ruleId}@${r.locations[0].physicalLocation.region.startLine - shift}`);
    }
  });

  test('every required SARIF 2.1.0 property is present', () => {
    const problems: string[] = [];
    const need = (obj: unknown, keys: string[], where: string) => {
      for (const k of keys) {
        if ((obj as Record<string, unknown>)?.[k] === undefined) problems.push(`${where}.${k}`);
      }
    };
    need(log, ['version', 'runs'], 'log');
    log.runs.forEach((run, i) => {
      need(run, ['tool'], `runs[${i}]`);
      need(run.tool, ['driver'], `runs[${i}].tool`);
      need(run.tool.driver, ['name'], `runs[${i}].tool.driver`);
      run.tool.driver.rules.forEach((d, j) => {
        need(d, ['id'], `rules[${j}]`);
        for (const m of ['shortDescription', 'fullDescription', 'help'] as const)
          need(d[m], ['text'], `rules[${j}].${m}`);
        expect(['none', 'note', 'warning', 'error']).toContain(d.defaultConfiguration.level);
      });
      run.results.forEach((r, j) => {
        need(r, ['message'], `results[${j}]`);
        need(r.message, ['text'], `results[${j}].message`);
        expect(Number.isInteger(r.ruleIndex) && r.ruleIndex >= 0).toBe(true);
        for (const l of r.locations) {
          need(l.physicalLocation, ['artifactLocation', 'region'], `results[${j}].physicalLocation`);
          expect(l.physicalLocation.artifactLocation.uri).not.toMatch(/\\|^\//);
          const g = l.physicalLocation.region;
          expect(g.endLine > g.startLine || g.endColumn > g.startColumn).toBe(true);
        }
        for (const fix of r.fixes ?? []) {
          expect(fix.artifactChanges.length).toBeGreaterThan(0);
          for (const c of fix.artifactChanges) {
            need(c, ['artifactLocation', 'replacements'], `results[${j}].fixes.artifactChanges`);
            expect(c.replacements.length).toBeGreaterThan(0);
            for (const rep of c.replacements) need(rep, ['deletedRegion'], `results[${j}].replacement`);
          }
        }
        for (const s of r.suppressions ?? []) need(s, ['kind'], `results[${j}].suppressions`);
      });
    });
    expect(problems).toEqual([]);
  });

  test('URIs: relative to the base directory, forward slashes, percent-encoded; outside it a file URI', () => {
    const f = find('require-lock-timeout', 1);
    const base = path.resolve('/repo');
    const sarif = toSarif(
      {
        ...result,
        findings: [
          { ...f, file: path.join(base, 'db', 'my migrations', '1 add,v2:a#b.sql') },
          { ...f, file: path.resolve('/elsewhere/x.sql') },
        ],
        suppressed: [],
      },
      { baseDir: base },
    );
    const locations = sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation);
    expect(locations[0]).toEqual({
      uri: 'db/my%20migrations/1%20add,v2%3Aa%23b.sql',
      uriBaseId: '%SRCROOT%',
    });
    expect(locations[1]).toEqual({ uri: 'file:///elsewhere/x.sql' });
  });
});

describe('markdown', () => {
  test('headline, table of findings, details with the safe SQL', () => {
    const md = renderMarkdown(result);
    const c = countBySeverity(result.findings);
    const lines = md.split('\n');
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(lines[1]).toBe(`### Migration Guard: ${c.high} high, ${c.warning} warning, ${c.info} info`);
    expect(md).toContain(
      'Checked 2 migration files for PostgreSQL 17. 1 suppressed with `migration-guard:ignore`.',
    );
    expect(md).toContain('| severity | location | rule | message |\n| --- | --- | --- | --- |\n');
    const rows = lines.filter((l) => /^\| (high|warning|info) \|/.test(l));
    expect(rows).toHaveLength(result.findings.length);
    // Most severe first.
    expect(rows[0].startsWith('| high |')).toBe(true);
    expect(rows[rows.length - 1].startsWith('| info |')).toBe(true);
    expect(md).toContain(
      `| high | \`${UP_PATH}:1\` | \`require-concurrent-index-creation\` | CREATE INDEX holds SHARE on orders: blocks writes (reads continue) while it reads every row of orders |`,
    );
    // High and warning findings, and those that context lowered to info, + the suppressed list.
    const detailed = result.findings.filter((f) => f.severity !== 'info' || f.defaultSeverity !== 'info');
    expect(detailed.length).toBeGreaterThan(c.high + c.warning);
    expect(md.match(/<details>/g)).toHaveLength(detailed.length + 1);
    expect(md).toContain(
      '**Instead:** Build the index with CONCURRENTLY: reads and writes continue during the build.\n\n' +
        '```sql\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n```',
    );
    expect(md).toContain('- **Team note:** orders is hot: talk to \\#db, first');
    expect(md).toContain(
      `<details>\n<summary>1 suppressed</summary>\n\n- \`${UP_PATH}:5\` \`require-concurrent-index-creation\`: orders has 200 rows, verified in prod\n\n</details>`,
    );
  });

  test('no findings', () => {
    const md = renderMarkdown({ ...result, findings: [], suppressed: [] });
    expect(md).toBe(
      `${MARKDOWN_MARKER}\n### Migration Guard: no findings\n\nChecked 2 migration files for PostgreSQL 17.\n`,
    );
  });

  test('table cells escape pipes and Markdown', () => {
    const f = { ...find('require-lock-timeout', 1), message: 'a | b <script> *x*' };
    const md = renderMarkdown({ ...result, findings: [f], suppressed: [] });
    expect(md).toContain('| a \\| b \\<script\\> \\*x\\* |');
    expect(md).toContain('require-lock-timeout: a | b &lt;script&gt; *x*</summary>');
  });

  test('stays under the comment limit, saying how much was left out', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 3000; i++) {
      for (const f of result.findings)
        many.push({ ...f, line: f.line + i * 10, endLine: f.endLine + i * 10 });
    }
    const md = renderMarkdown({ ...result, findings: many });
    expect(md.length).toBeLessThanOrEqual(60_000);
    const rows = md.split('\n').filter((l) => /^\| (high|warning|info) \|/.test(l)).length;
    const more = /_…and (\d+) more findings not shown\._/.exec(md);
    expect(more).not.toBeNull();
    expect(rows + Number(more![1])).toBe(many.length);

    const small = renderMarkdown(result, { maxLength: 3000 });
    expect(small.length).toBeLessThanOrEqual(3000);
    const shownDetails = (small.match(/<summary><b>/g) ?? []).length;
    const moreDetails = /_…and (\d+) more details not shown/.exec(small);
    const detailed = result.findings.filter((f) => f.severity !== 'info' || f.defaultSeverity !== 'info');
    expect(shownDetails + Number(moreDetails?.[1] ?? 0)).toBe(detailed.length);
    expect(moreDetails).not.toBeNull();
  });
});

describe('github', () => {
  test('escaping per the workflow-command rules', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('db/50%:a,b\nc.sql')).toBe('db/50%25%3Aa%2Cb%0Ac.sql');
  });

  test('one command per active finding, severity mapped, columns only on one-line spans', () => {
    const lines = renderGithub(result).split('\n');
    expect(lines).toHaveLength(result.findings.length + 1);
    const f = find('require-lock-timeout', 1, DOWN_PATH);
    const notice = lines.find((l) => l.startsWith('::notice ') && l.includes('title=require-lock-timeout::'));
    expect(notice).toBe(
      `::notice file=${DOWN_PATH},line=1,col=1,endLine=1,endColumn=28,title=require-lock-timeout::` +
        escapeData(
          `${f.message}\nInstead: ${f.safeAlternative!.summary}\n${f.safeAlternative!.sql}\n` +
            'Production: size of orders unknown: no statistics snapshot (see migration-guard stats)\n' +
            'Team note: orders is hot: talk to #db, first',
        ),
    );
    const multi = lines.find((l) => l.includes('title=constraint-missing-not-valid'))!;
    expect(
      multi.startsWith(`::error file=${UP_PATH},line=2,endLine=3,title=constraint-missing-not-valid::`),
    ).toBe(true);
    expect(multi).toContain('%0ATeam note: orders is hot: talk to #db, first');
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(
      countBySeverity(result.findings).warning,
    );
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(countBySeverity(result.findings).high);
    // The suppressed finding (line 5, require-concurrent-index-creation) is not annotated.
    expect(
      lines.some((l) => l.includes('line=5,') && l.includes('title=require-concurrent-index-creation')),
    ).toBe(false);
    expect(lines[lines.length - 1]).not.toMatch(/^::/);
  });

  test('file and message data are escaped', () => {
    const f = {
      ...find('require-lock-timeout', 1),
      file: 'db/50%,a:b.sql',
      message: 'line one\nline two 100%',
    };
    const [line] = renderGithub({ ...result, findings: [f], suppressed: [] }).split('\n');
    expect(line.startsWith('::warning file=db/50%25%2Ca%3Ab.sql,line=1,')).toBe(true);
    expect(line).toContain('::line one%0Aline two 100%25%0AInstead: ');
    expect(line).not.toMatch(/[\r\n]/);
  });
});
