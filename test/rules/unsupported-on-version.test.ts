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
      findings: [{ messageId: 'fails', line: 1 }],
    },
  ],
});
