/**
 * Files that cannot be deployed as they are: syntax errors, psql meta-commands that only psql
 * understands, binary or oversized files. Reported by the check engine from the parser's
 * diagnostics (this module carries the documentation and the default severity).
 */
import { defineRule } from './rule';

export default defineRule({
  id: 'invalid-migration-file',
  meta: {
    title: 'Migration file that does not parse or is not SQL',
    defaultSeverity: 'high',
    scalesWithTable: false,
    docs: {
      why: 'A statement PostgreSQL cannot parse fails the migration at deploy time. psql meta-commands (\\set, \\connect) work only when the file is run by psql; migration tools send them to the server, which rejects them. Binary or oversized files are not analyzed at all.',
      bad: 'ALTER TABLE orders ADD COLUMN note text,;\n\\set ON_ERROR_STOP on',
      good: 'ALTER TABLE orders ADD COLUMN note text;',
      reference: 'https://www.postgresql.org/docs/current/sql-commands.html',
    },
    messages: {
      'syntax-error': '{message}',
    },
  },
  check() {
    // Reported from parser diagnostics by the check engine.
  },
});
