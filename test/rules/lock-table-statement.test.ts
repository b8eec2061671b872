import rule from '../../src/rules/lock-table-statement';
import { runRuleTests } from './rule-tester';
import { SHOP } from './schema';

runRuleTests(rule, {
  valid: [
    {
      name: 'a mode that blocks neither reads nor writes',
      history: SHOP,
      sql: 'BEGIN;\nLOCK TABLE orders IN SHARE UPDATE EXCLUSIVE MODE;\nCOMMIT;',
    },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'BEGIN;\nCREATE TABLE refunds (id bigint);\nLOCK TABLE refunds;\nCOMMIT;',
    },
    {
      name: 'ROW EXCLUSIVE in a goose transaction',
      history: SHOP,
      sql: '-- +goose Up\nLOCK TABLE orders IN ROW EXCLUSIVE MODE;',
    },
  ],
  invalid: [
    {
      name: 'default mode is ACCESS EXCLUSIVE',
      history: SHOP,
      sql: 'BEGIN;\nLOCK TABLE orders;\nUPDATE orders SET status = lower(status);\nCOMMIT;',
      findings: [{ messageId: 'held', line: 2, severity: 'warning', relation: 'orders' }],
      fix: null,
      alternativeIncludes: ["SET LOCAL lock_timeout = '5s';\nLOCK TABLE orders;", 'IN SHARE MODE'],
    },
    {
      name: 'SHARE blocks writes, in a goose transaction, on PostgreSQL 11',
      pg: 11,
      history: SHOP,
      sql: '-- +goose Up\nLOCK TABLE orders, customers IN SHARE MODE;',
      findings: [{ messageId: 'held', line: 2, relation: 'orders' }],
    },
    {
      name: 'plain file without BEGIN: deploys only if the runner wraps it',
      history: SHOP,
      sql: 'LOCK TABLE customers IN EXCLUSIVE MODE;',
      findings: [{ messageId: 'held', line: 1, relation: 'customers' }],
      alternativeIncludes: ['fails outside a transaction block'],
    },
    {
      name: 'goose NO TRANSACTION: LOCK TABLE fails',
      history: SHOP,
      sql: '-- +goose NO TRANSACTION\n-- +goose Up\nLOCK TABLE orders IN SHARE MODE;',
      findings: [{ messageId: 'outsideTransaction', line: 3, severity: 'high' }],
      alternativeIncludes: ['BEGIN;\nLOCK TABLE orders IN SHARE MODE;'],
    },
    {
      name: 'table unknown to the history is assumed to exist',
      sql: 'BEGIN;\nLOCK TABLE ONLY events IN ACCESS EXCLUSIVE MODE NOWAIT;\nCOMMIT;',
      findings: [{ messageId: 'held', line: 2, relation: 'events' }],
    },
  ],
});
