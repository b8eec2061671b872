import rule from '../../src/rules/vacuum-full-or-cluster';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    { name: 'plain VACUUM', history: SHOP, sql: 'VACUUM (ANALYZE) orders;' },
    { name: 'FULL false is plain VACUUM', history: SHOP, sql: 'VACUUM (FULL false) orders;' },
    { name: 'ANALYZE', history: SHOP, sql: 'ANALYZE orders;' },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY);\nCLUSTER refunds USING refunds_pkey;\nVACUUM FULL refunds;',
    },
  ],
  invalid: [
    {
      name: 'VACUUM FULL on an existing table',
      history: SHOP,
      sql: 'VACUUM FULL orders;',
      findings: [{ messageId: 'rewrite', line: 1, column: 1, severity: 'high', relation: 'orders' }],
      fix: null,
      alternativeIncludes: [
        'VACUUM (ANALYZE) orders;',
        'pg_repack --table=orders',
        "squeeze.squeeze_table('public', 'orders')",
      ],
    },
    {
      name: 'VACUUM (FULL, ANALYZE) on two tables: one finding each',
      history: SHOP,
      sql: 'VACUUM (FULL, ANALYZE) orders, customers;',
      findings: [
        { messageId: 'rewrite', line: 1, relation: 'orders' },
        { messageId: 'rewrite', line: 1, relation: 'customers' },
      ],
    },
    {
      name: 'CLUSTER USING: pg_repack ordered by the index columns',
      history: SHOP,
      pg: 11,
      sql: 'CLUSTER orders USING orders_customer_id_idx;',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'orders' }],
      alternativeIncludes: ['pg_repack --table=orders --order-by="customer_id"'],
    },
    {
      name: 'CLUSTER of a table clustered before',
      history: `${SHOP}\nALTER TABLE orders CLUSTER ON orders_customer_id_idx;`,
      sql: 'CLUSTER orders;',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'orders' }],
      alternativeIncludes: ['--order-by="customer_id"'],
    },
    {
      name: 'table unknown to the history, in another schema',
      sql: 'VACUUM FULL billing.invoices;',
      findings: [{ messageId: 'rewrite', line: 1, relation: 'billing.invoices' }],
      alternativeIncludes: ["squeeze.squeeze_table('billing', 'invoices')"],
    },
    {
      name: 'VACUUM FULL of the whole database',
      history: SHOP,
      sql: 'VACUUM FULL;',
      findings: [{ messageId: 'database', line: 1 }],
    },
    {
      name: 'CLUSTER of every clustered table',
      history: SHOP,
      sql: 'CLUSTER;',
      findings: [{ messageId: 'database', line: 1, severity: 'high' }],
    },
  ],
});
