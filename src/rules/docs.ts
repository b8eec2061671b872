/**
 * A rule's documentation page, rendered from its metadata: docs/rules/<id>.md is generated from
 * this (scripts/gen-rule-docs.ts) and `migration-guard explain <id>` prints it, so the two cannot
 * drift; test/rules/meta.test.ts fails when a committed page differs.
 */
import type { Rule } from './rule';

export function renderRuleDoc(rule: Rule): string {
  const d = rule.meta.docs;
  const lines = [
    `# ${rule.id}`,
    '',
    `**${rule.meta.title}** — default severity: \`${rule.meta.defaultSeverity}\``,
    '',
    '## Why',
    '',
    d.why,
    '',
    '## Reported',
    '',
    '```sql',
    d.bad,
    '```',
    '',
    '## Instead',
    '',
    '```sql',
    d.good,
    '```',
  ];
  if (d.versions) lines.push('', '## PostgreSQL versions', '', d.versions);
  lines.push(
    '',
    '## Production context',
    '',
    rule.meta.scalesWithTable
      ? 'The harm grows with the table: with a statistics snapshot or table settings, this finding is `info` on a small table and `high` on a large or hot one or when its lock is estimated to be held longer than `stats.maxBlockingSeconds`; a `high` on a medium table with a brief estimated lock becomes a `warning` (see docs/production-context.md).'
      : 'The table’s size does not change this finding: statistics and table settings leave its severity alone.',
  );
  lines.push(
    '',
    '## Messages',
    '',
    ...Object.values(rule.meta.messages).map((m) => `- ${m}`),
    '',
    '## Configuration',
    '',
    'In `.github/migration-guard.yml`:',
    '',
    '```yaml',
    'rules:',
    `  ${rule.id}: ${rule.meta.defaultSeverity}   # high | warning | info | off`,
    '```',
    '',
    `Suppress one statement with \`-- migration-guard:ignore ${rule.id} <reason>\` on or above it.`,
  );
  if (d.reference) lines.push('', `Reference: ${d.reference}`);
  return lines.join('\n') + '\n';
}

export function renderRuleIndex(rules: readonly Rule[]): string {
  return [
    '# Rules',
    '',
    '| rule | default | what it reports |',
    '| --- | --- | --- |',
    ...rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.meta.defaultSeverity} | ${r.meta.title} |`),
    '',
  ].join('\n');
}
