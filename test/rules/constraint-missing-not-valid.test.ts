import rule from '../../src/rules/constraint-missing-not-valid';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'NOT VALID check',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;',
    },
    {
      name: 'NOT VALID foreign key, then VALIDATE',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;',
    },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint, order_id bigint, amount numeric);\nALTER TABLE refunds ADD CONSTRAINT refunds_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);',
    },
  ],
  invalid: [
    {
      name: 'CHECK validated in the ALTER',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);',
      findings: [{ messageId: 'check', line: 1, severity: 'high', relation: 'orders' }],
      fix: 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID',
      alternativeIncludes: ['ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;'],
    },
    {
      name: 'FOREIGN KEY validated in the ALTER, unnamed: the name PostgreSQL will choose',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);',
      findings: [{ messageId: 'foreignKey', line: 1, relation: 'orders' }],
      alternativeIncludes: ['VALIDATE CONSTRAINT orders_customer_id_fkey;'],
    },
  ],
});
