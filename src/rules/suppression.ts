/**
 * Inline suppressions must say why, must name real rules, and must suppress something; the check
 * engine reports those that do not (this module carries the documentation).
 */
import { defineRule } from './rule';

export default defineRule({
  id: 'suppression',
  meta: {
    title: 'Suppression without a reason, of an unknown rule, or unused',
    defaultSeverity: 'warning',
    scalesWithTable: false,
    docs: {
      why: 'A `-- migration-guard:ignore <rule> <reason>` comment silences a finding on the statement it stands on or just above; `-- migration-guard:ignore-file <rule> <reason>` silences it for the whole file. The reason is what a reviewer reads instead of the finding, so it is required; a suppression that silences nothing is stale and hides the next real problem.',
      bad: '-- migration-guard:ignore require-concurrent-index-creation\nCREATE INDEX orders_status_idx ON orders (status);',
      good: '-- migration-guard:ignore require-concurrent-index-creation orders has 200 rows, verified in prod\nCREATE INDEX orders_status_idx ON orders (status);',
    },
    messages: {
      missingReason: 'migration-guard:ignore without a reason: say why this is safe',
      unknownRule: 'unknown rule {rules} in migration-guard:ignore',
      unused: 'unused suppression of {rules}: nothing here is reported by it',
    },
  },
  check() {
    // Reported by the check engine after all rules ran.
  },
});
