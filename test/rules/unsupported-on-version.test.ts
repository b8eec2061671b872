import rule from '../../src/rules/unsupported-on-version';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'REINDEX CONCURRENTLY on PG 12',
      pg: 12,
      history: SHOP,
      sql: 'REINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
    },
    {
      name: 'gen_random_uuid on PG 13',
      pg: 13,
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN ref uuid DEFAULT gen_random_uuid();',
    },
    {
      name: 'DROP of the table a CREATE TABLE AS copied (no dependency)',
      history: 'CREATE TABLE comment_saved (person_id int, comment_id int);',
      sql: 'CREATE TABLE comment_actions AS SELECT person_id, comment_id FROM comment_saved;\nDROP TABLE comment_saved;',
    },
    {
      name: 'DROP COLUMN of the primary-key column, then ADD PRIMARY KEY in the same ALTER',
      history: 'CREATE TABLE captcha_answer (id serial PRIMARY KEY, uuid uuid NOT NULL UNIQUE, answer text);',
      sql: 'ALTER TABLE captcha_answer DROP COLUMN id, ADD PRIMARY KEY (uuid);',
    },
  ],
  invalid: [
    {
      name: 'REINDEX CONCURRENTLY on PG 11',
      pg: 11,
      history: SHOP,
      sql: 'REINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
      findings: [{ messageId: 'fails', line: 1, severity: 'high' }],
    },
    {
      name: 'dropping a column a view uses',
      history: `${SHOP}\nCREATE VIEW pending_orders AS SELECT id, status FROM orders WHERE status = 'pending';`,
      sql: 'ALTER TABLE orders DROP COLUMN status;',
      findings: [{ messageId: 'failsOnSchema', line: 1, severity: 'warning' }],
    },
    {
      name: 'a second primary key, as the history describes the table',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD PRIMARY KEY (status);',
      findings: [{ messageId: 'failsOnSchema', line: 1, severity: 'warning' }],
    },
    {
      name: 'MERGE on PG 14: the version lacks it',
      pg: 14,
      history: SHOP,
      sql: "MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = 'x';",
      findings: [{ messageId: 'fails', line: 1, severity: 'high' }],
    },
  ],
});
