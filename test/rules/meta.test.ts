/**
 * Invariants of the rule registry: id = file name, sorted, unique; every rule has a test file and
 * a generated doc page identical to what its metadata renders; messages are one line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../../src/rules';
import { renderRuleDoc, renderRuleIndex } from '../../src/rules/docs';

const root = path.join(__dirname, '..', '..');

describe('rule registry', () => {
  test('ids are unique, sorted and kebab-case', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test.each(RULES.map((r) => [r.id, r] as const))('%s: module, test, doc page and messages', (id, rule) => {
    expect(existsSync(path.join(root, 'src', 'rules', `${id}.ts`))).toBe(true);
    expect(existsSync(path.join(root, 'test', 'rules', `${id}.test.ts`))).toBe(true);
    const page = path.join(root, 'docs', 'rules', `${id}.md`);
    expect(
      existsSync(page) ? readFileSync(page, 'utf8') : `missing ${page}: run npx tsx scripts/gen-rule-docs.ts`,
    ).toBe(renderRuleDoc(rule));
    for (const m of Object.values(rule.meta.messages)) expect(m).not.toContain('\n');
    expect(rule.meta.docs.why.length).toBeGreaterThan(40);
  });

  test('docs/rules/README.md lists every rule', () => {
    expect(readFileSync(path.join(root, 'docs', 'rules', 'README.md'), 'utf8')).toBe(renderRuleIndex(RULES));
  });
});
