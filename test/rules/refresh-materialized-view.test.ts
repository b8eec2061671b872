import rule from '../../src/rules/refresh-materialized-view';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

const VIEWS = `${SHOP}
CREATE MATERIALIZED VIEW daily_sales AS
  SELECT created_at::date AS day, sum(total) AS total FROM orders GROUP BY 1;
CREATE MATERIALIZED VIEW customer_totals AS
  SELECT customer_id, sum(total) AS total FROM orders GROUP BY 1;
CREATE UNIQUE INDEX customer_totals_customer_id_key ON customer_totals (customer_id);`;

runRuleTests(rule, {
  valid: [
    {
      name: 'CONCURRENTLY',
      history: VIEWS,
      sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals;',
    },
    {
      name: 'view created in the same change',
      history: SHOP,
      sql: 'CREATE MATERIALIZED VIEW order_counts AS SELECT customer_id, count(*) FROM orders GROUP BY 1 WITH NO DATA;\nREFRESH MATERIALIZED VIEW order_counts;',
    },
  ],
  invalid: [
    {
      name: 'unique index exists: the fix adds CONCURRENTLY',
      history: VIEWS,
      sql: 'REFRESH MATERIALIZED VIEW customer_totals;',
      findings: [
        { messageId: 'blocking', line: 1, column: 1, severity: 'high', relation: 'customer_totals' },
      ],
      fix: 'REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals',
      alternativeIncludes: ['REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals;'],
    },
    {
      name: 'no unique index: create one concurrently first, no fix',
      history: VIEWS,
      pg: 11,
      sql: 'REFRESH MATERIALIZED VIEW daily_sales;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'daily_sales' }],
      fix: null,
      alternativeIncludes: [
        'CREATE UNIQUE INDEX CONCURRENTLY daily_sales_key ON daily_sales (<columns that identify a row>);',
        'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
      ],
    },
    {
      name: 'view unknown to the history',
      sql: 'REFRESH MATERIALIZED VIEW reporting.monthly_revenue;',
      findings: [{ messageId: 'blocking', line: 1, relation: 'reporting.monthly_revenue' }],
      fix: null,
      alternativeIncludes: ['REFRESH MATERIALIZED VIEW CONCURRENTLY reporting.monthly_revenue;'],
    },
    {
      name: 'WITH NO DATA empties the view',
      history: VIEWS,
      sql: 'REFRESH MATERIALIZED VIEW customer_totals WITH NO DATA;',
      findings: [{ messageId: 'noData', line: 1, relation: 'customer_totals' }],
    },
  ],
});
