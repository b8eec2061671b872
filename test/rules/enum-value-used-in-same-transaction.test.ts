import rule from '../../src/rules/enum-value-used-in-same-transaction';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

const MOODS = `${SHOP}CREATE TYPE order_state AS ENUM ('pending', 'paid');
ALTER TABLE orders ADD COLUMN state order_state NOT NULL DEFAULT 'pending';\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'ADD VALUE committed before the value is used',
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nCOMMIT;\nBEGIN;\nUPDATE orders SET state = 'refunded' WHERE status = 'refunded';\nCOMMIT;",
    },
    {
      name: 'plain file without a transaction: each statement commits',
      history: MOODS,
      sql: "ALTER TYPE order_state ADD VALUE 'refunded';\nUPDATE orders SET state = 'refunded' WHERE status = 'refunded';",
    },
    {
      name: 'the literal only meets a text column',
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nUPDATE orders SET status = 'refunded' WHERE id = 1;\nCOMMIT;",
    },
    {
      name: 'a value that existed before the transaction',
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nUPDATE orders SET state = 'paid' WHERE status = 'paid';\nCOMMIT;",
    },
    {
      name: 'PostgreSQL 17: type created in the same transaction, its new values are usable',
      history: SHOP,
      sql: "BEGIN;\nCREATE TYPE refund_reason AS ENUM ('damaged');\nALTER TYPE refund_reason ADD VALUE 'late';\nCREATE TABLE refunds (id bigint, reason refund_reason DEFAULT 'late');\nCOMMIT;",
    },
    {
      name: 'PostgreSQL 11: ADD VALUE cannot run in the transaction at all (concurrently-in-transaction)',
      pg: 11,
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nUPDATE orders SET state = 'refunded' WHERE status = 'refunded';\nCOMMIT;",
    },
  ],
  invalid: [
    {
      name: 'UPDATE ... SET enum column in the same explicit transaction',
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nUPDATE orders SET state = 'refunded' WHERE status = 'refunded';\nCOMMIT;",
      findings: [{ messageId: 'unsafeUse', line: 3, column: 1, severity: 'high' }],
      fix: null,
      alternativeIncludes: [
        "-- migration 1 (commits on its own)\nALTER TYPE order_state ADD VALUE 'refunded';",
      ],
    },
    {
      name: 'goose runs the file in one transaction: comparison in WHERE, PostgreSQL 12',
      pg: 12,
      history: MOODS,
      sql: "-- +goose Up\nALTER TYPE order_state ADD VALUE 'refunded';\nDELETE FROM orders WHERE state = 'refunded';",
      findings: [{ messageId: 'unsafeUse', line: 3, severity: 'high' }],
      alternativeIncludes: ['goose runs the whole file in one transaction'],
    },
    {
      name: 'INSERT value in the enum column position',
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nINSERT INTO orders (customer_id, status, state) VALUES (1, 'refunded', 'refunded');\nCOMMIT;",
      findings: [{ messageId: 'unsafeUse', line: 3 }],
    },
    {
      name: 'DEFAULT and CHECK that mention the new value',
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nALTER TABLE orders ALTER COLUMN state SET DEFAULT 'refunded';\nALTER TABLE orders ADD CONSTRAINT orders_state_check CHECK (state <> 'refunded') NOT VALID;\nCOMMIT;",
      findings: [
        { messageId: 'unsafeUse', line: 3 },
        { messageId: 'unsafeUse', line: 4 },
      ],
    },
    {
      name: 'explicit cast',
      history: MOODS,
      sql: "BEGIN;\nALTER TYPE order_state ADD VALUE 'refunded';\nSELECT 'refunded'::order_state;\nCOMMIT;",
      findings: [{ messageId: 'unsafeUse', line: 3 }],
    },
    {
      name: 'PostgreSQL 16: even a type created in the same transaction',
      pg: 16,
      history: SHOP,
      sql: "BEGIN;\nCREATE TYPE refund_reason AS ENUM ('damaged');\nALTER TYPE refund_reason ADD VALUE 'late';\nCREATE TABLE refunds (id bigint, reason refund_reason DEFAULT 'late');\nCOMMIT;",
      findings: [{ messageId: 'unsafeUse', line: 4, severity: 'high' }],
    },
  ],
});
