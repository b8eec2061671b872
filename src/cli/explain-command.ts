/**
 * `migration-guard explain [RULE-ID]`: a rule's documentation page (the same text as
 * docs/rules/<id>.md), or, without an id, every rule with its default severity and title.
 */
import { didYouMean } from '../config';
import { RULE_IDS, RULES, ruleById } from '../rules';
import { renderRuleDoc } from '../rules/docs';
import { parseArgs, UsageError } from './args';

export const EXPLAIN_USAGE = `usage: migration-guard explain [RULE-ID]

  Prints why a rule matters, what it reports and what to write instead. Without RULE-ID, lists
  every rule with its default severity.`;

export async function runExplain(argv: string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, { help: { type: 'boolean' } });
  if (flags.help) {
    out(EXPLAIN_USAGE);
    return 0;
  }
  if (positional.length > 1) throw new UsageError(`explain takes one rule id (got ${positional.length})`);
  if (positional.length === 0) {
    out(ruleList());
    return 0;
  }
  const id = positional[0];
  const rule = ruleById(id);
  if (!rule) {
    const hint = didYouMean(id, RULE_IDS);
    throw new UsageError(
      `unknown rule "${id}"${hint ? `; did you mean "${hint}"?` : ''}\nrules: ${RULE_IDS.join(', ')}`,
    );
  }
  out(renderRuleDoc(rule).trimEnd());
  return 0;
}

function ruleList(): string {
  const idWidth = Math.max(4, ...RULES.map((r) => r.id.length));
  const severityWidth = 'default'.length;
  const row = (id: string, severity: string, title: string) =>
    `${id.padEnd(idWidth)}  ${severity.padEnd(severityWidth)}  ${title}`;
  return [
    row('rule', 'default', 'what it reports'),
    ...RULES.map((r) => row(r.id, r.meta.defaultSeverity, r.meta.title)),
    '',
    'migration-guard explain <rule> prints a rule’s documentation.',
  ].join('\n');
}
