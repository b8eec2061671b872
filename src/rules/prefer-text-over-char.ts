/**
 * char(n) pads every value with spaces to n characters and ignores trailing spaces when comparing:
 * surprising semantics, more storage, and no speed advantage over text or varchar in PostgreSQL.
 */
import { defineRule } from './rule';
import { alternative } from './support';
import { declarationsOf, typeFix } from './prefer-identity';

export default defineRule({
  id: 'prefer-text-over-char',
  meta: {
    title: 'char(n) column',
    defaultSeverity: 'warning',
    scalesWithTable: false,
    docs: {
      why: "char(n) (character(n), bpchar) pads every value with spaces to n characters and treats trailing spaces as insignificant: 'ab' and 'ab  ' compare equal, length() ignores the padding, concatenation and casts to text drop it, and LIKE patterns and clients see it differently. In PostgreSQL it is not faster than text or varchar(n) — it is stored the same way, plus the padding. Use text (with a CHECK on char_length if a limit matters) or varchar(n); for fixed-length codes, a CHECK states the rule exactly.",
      bad: 'CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);',
      good: 'CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2), name text NOT NULL);',
      versions: 'All versions.',
      reference: 'https://www.postgresql.org/docs/current/datatype-character.html',
    },
    messages: {
      char: '{table}.{column} is {type}: values are blank-padded and trailing spaces are ignored in comparisons, with no performance benefit over text or varchar',
    },
  },
  check(ctx) {
    for (const decl of declarationsOf(ctx)) {
      if (decl.type.name !== 'bpchar' || decl.type.schema) continue;
      const length = decl.type.typmods[0] ?? 1;
      const written = `char(${length})${'[]'.repeat(decl.type.arrayDims)}`;
      const replacement = `varchar(${length})${'[]'.repeat(decl.type.arrayDims)}`;
      const fix = typeFix(ctx, decl, /^(pg_catalog\.)?(char|character|bpchar)\b(?! varying)/i, replacement);
      ctx.report({
        messageId: 'char',
        data: { table: decl.table, column: decl.column, type: written },
        relation: decl.table,
        ...(fix ? { fix } : {}),
        safeAlternative: alternative(
          `Declare ${decl.column} as ${replacement} (same limit, no padding), or text with CHECK (char_length(${decl.column}) = ${length}) for a fixed-length code.`,
          fix ? `${fix};` : undefined,
          [
            'Existing char values carry trailing spaces: when converting a column, trim them (USING rtrim(col)) and check queries that compared padded values.',
          ],
        ),
      });
    }
  },
});
