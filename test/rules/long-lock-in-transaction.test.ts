import rule from '../../src/rules/long-lock-in-transaction';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'the table is empty after a NOT NULL column without default: the index build reads nothing',
      history: SHOP,
      sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN friendly_id text NOT NULL;\nCREATE UNIQUE INDEX orders_friendly_id_key ON orders (friendly_id);\nCOMMIT;',
    },
    {
      name: 'separate transactions',
      history: SHOP,
      sql: 'BEGIN;\nALTER TABLE customers ADD COLUMN plan text;\nCOMMIT;\nBEGIN;\nUPDATE orders SET status = lower(status);\nCOMMIT;',
    },
    {
      name: 'NOT VALID and VALIDATE in separate transactions',
      history: SHOP,
      sql: 'BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;',
    },
    {
      name: 'plain file without a transaction: each statement commits',
      history: SHOP,
      sql: 'ALTER TABLE customers ADD COLUMN plan text;\nUPDATE orders SET status = lower(status);',
    },
  ],
  invalid: [
    {
      name: 'quick ALTER then a backfill of another table',
      history: SHOP,
      sql: 'BEGIN;\nALTER TABLE customers ADD COLUMN plan text;\nUPDATE orders SET status = lower(status);\nCOMMIT;',
      findings: [{ messageId: 'held', line: 3, severity: 'high', relation: 'customers' }],
    },
    {
      name: 'NOT VALID then VALIDATE in the same goose transaction keeps ACCESS EXCLUSIVE during the scan',
      history: SHOP,
      sql: '-- +goose Up\nALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;',
      findings: [{ messageId: 'held', line: 3, relation: 'orders' }],
    },
    {
      name: 'several tables locked earlier: one finding for the slow statement',
      history: SHOP,
      sql: 'BEGIN;\nALTER TABLE customers ADD COLUMN plan text;\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_total_idx ON orders (total);\nUPDATE customers SET plan = 1::text;\nCOMMIT;',
      findings: [
        // orders' ACCESS EXCLUSIVE from line 3 is held during its own index build, too.
        { messageId: 'heldMany', line: 4, relation: 'customers' },
        { messageId: 'heldMany', line: 5, relation: 'customers' },
      ],
    },
  ],
});
