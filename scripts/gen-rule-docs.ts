/**
 * Writes docs/rules/<id>.md for every rule and docs/rules/README.md, from the rules' metadata.
 * Run after changing a rule: `npx tsx scripts/gen-rule-docs.ts`. The meta test checks the pages.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../src/rules';
import { renderRuleDoc, renderRuleIndex } from '../src/rules/docs';

const dir = path.join(__dirname, '..', 'docs', 'rules');
mkdirSync(dir, { recursive: true });
const wanted = new Set(RULES.map((r) => `${r.id}.md`).concat('README.md'));
for (const f of readdirSync(dir)) if (!wanted.has(f)) rmSync(path.join(dir, f));
for (const rule of RULES) writeFileSync(path.join(dir, `${rule.id}.md`), renderRuleDoc(rule));
writeFileSync(path.join(dir, 'README.md'), renderRuleIndex(RULES));
console.log(`wrote ${RULES.length} rule pages to ${path.relative(process.cwd(), dir)}`);
