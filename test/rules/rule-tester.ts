/**
 * RuleTester: each rule's valid and invalid cases side by side (ESLint's model). A case is one
 * migration file (`sql`) checked against a schema (`history`), with only the rule under test
 * enabled. The tester fails on: no valid or no invalid case, duplicate cases, SQL that does not
 * parse, findings that differ in any way from the expected list, message ids never exercised,
 * messages with unfilled placeholders, and a fix that differs from the expected one.
 */
import { check } from '../../src/check/engine';
import type { Finding } from '../../src/check/finding';
import { DEFAULT_CONFIG, type Config } from '../../src/config';
import type { MigrationTool } from '../../src/analysis/types';
import type { Rule, Severity } from '../../src/rules/rule';

export interface RuleCase {
  name: string;
  sql: string;
  /** Schema before the change (replayed history). */
  history?: string;
  pg?: number;
  /** File path: decides the migration tool when `tool` is not given. */
  path?: string;
  tool?: MigrationTool;
  config?: Partial<Omit<Config, 'migrations'>>;
}

export interface ExpectedFinding {
  messageId: string;
  line: number;
  column?: number;
  severity?: Severity;
  relation?: string;
}

export interface InvalidCase extends RuleCase {
  findings: ExpectedFinding[];
  /** Expected machine-applicable fix of the first finding (undefined: not checked; null: none). */
  fix?: string | null;
  /** Text the safe alternative's SQL must contain. */
  alternativeIncludes?: string[];
}

export function runRuleTests(
  rule: Rule,
  cases: { valid: RuleCase[]; invalid: InvalidCase[] },
  options: { engineReported?: boolean } = {},
): void {
  describe(rule.id, () => {
    test('has valid and invalid cases, without duplicates', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      const keys = [...cases.valid, ...cases.invalid].map((c) =>
        JSON.stringify([c.sql, c.history, c.pg, c.path, c.tool, c.config]),
      );
      expect(new Set(keys).size).toBe(keys.length);
      const names = [...cases.valid, ...cases.invalid].map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
    });

    if (!options.engineReported) {
      test('every message id is exercised by an invalid case', () => {
        const used = new Set(cases.invalid.flatMap((c) => c.findings.map((f) => f.messageId)));
        expect(Object.keys(rule.meta.messages).filter((id) => !used.has(id))).toEqual([]);
      });
    }

    test.each(cases.valid.map((c) => [c.name, c] as const))('valid: %s', async (_n, c) => {
      const findings = await run(rule, c);
      expect(findings.map(describe1)).toEqual([]);
    });

    test.each(cases.invalid.map((c) => [c.name, c] as const))('invalid: %s', async (_n, c) => {
      const findings = await run(rule, c);
      const actual = findings.map((f, i) => {
        const e = c.findings[i];
        return {
          messageId: f.messageId,
          line: f.line,
          ...(e?.column !== undefined ? { column: f.column } : {}),
          ...(e?.severity !== undefined ? { severity: f.severity } : {}),
          ...(e?.relation !== undefined ? { relation: f.relation } : {}),
        };
      });
      expect(actual).toEqual(c.findings);
      for (const f of findings) expect(f.message).not.toMatch(/\{\w+\}/);
      if (c.fix !== undefined) expect(findings[0]?.fix ?? null).toEqual(c.fix);
      for (const text of c.alternativeIncludes ?? []) {
        expect(
          `${findings[0]?.safeAlternative?.sql ?? ''}\n${(findings[0]?.safeAlternative?.notes ?? []).join('\n')}`,
        ).toContain(text);
      }
    });
  });
}

async function run(rule: Rule, c: RuleCase): Promise<Finding[]> {
  const config: Config = { ...structuredClone(DEFAULT_CONFIG), ...(c.config ?? {}) } as Config;
  if (c.tool) config.migrations = { ...config.migrations, tool: c.tool };
  const result = await check([{ path: c.path ?? 'migrations/0002_change.sql', content: c.sql }], {
    config,
    pgVersion: c.pg ?? 17,
    history: c.history ? [{ path: 'migrations/0001_schema.sql', content: c.history }] : [],
    rules: [rule],
  });
  const errors = result.analysis.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === 'error'));
  if (errors.length) throw new Error(`case SQL does not parse: ${JSON.stringify(errors)}`);
  return result.findings.filter((f) => f.ruleId === rule.id);
}

function describe1(f: Finding): string {
  return `${f.line}:${f.column} ${f.messageId}: ${f.message}`;
}
