import rule from '../../src/rules/unique-constraint-without-index';
import { runRuleTests } from './rule-tester';
import { PARTITIONED, SHOP } from './schema';

const EVENTS = `${SHOP}CREATE TABLE events (id bigint, kind text, occurred_at timestamptz NOT NULL);\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'unique index built concurrently, then attached with USING INDEX',
      history: SHOP,
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);\nALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key;',
    },
    {
      name: 'PRIMARY KEY USING INDEX on PostgreSQL 11',
      pg: 11,
      history: EVENTS,
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (occurred_at);\nALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;',
    },
    {
      name: 'table created in the same change',
      history: SHOP,
      sql: 'CREATE TABLE refunds (id bigint, order_id bigint);\nALTER TABLE refunds ADD PRIMARY KEY (id);\nALTER TABLE refunds ADD UNIQUE (order_id);',
    },
    {
      name: 'CHECK constraints are another rule',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);',
    },
  ],
  invalid: [
    {
      // Lemmy's captcha_answer: the dropped column takes its primary key and the name is free again.
      name: 'primary key replaced in the same ALTER: the freed name t_pkey is reused',
      history: 'CREATE TABLE captcha_answer (id serial PRIMARY KEY, uuid uuid NOT NULL UNIQUE, answer text);',
      sql: 'ALTER TABLE captcha_answer DROP COLUMN id, ADD PRIMARY KEY (uuid);',
      findings: [{ messageId: 'building', line: 1, relation: 'captcha_answer' }],
      alternativeIncludes: ['CREATE UNIQUE INDEX CONCURRENTLY captcha_answer_pkey ON captcha_answer (uuid);'],
    },
    {
      name: 'named UNIQUE constraint',
      history: SHOP,
      sql: 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);',
      findings: [{ messageId: 'building', line: 1, column: 1, severity: 'high', relation: 'customers' }],
      fix: null,
      alternativeIncludes: [
        "CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);\nSET lock_timeout = '5s';\nALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key;",
        'must not run inside a transaction',
      ],
    },
    {
      name: 'unnamed UNIQUE: the name PostgreSQL would choose; INCLUDE, NULLS NOT DISTINCT and DEFERRABLE kept',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD UNIQUE NULLS NOT DISTINCT (customer_id, created_at) INCLUDE (status) DEFERRABLE;',
      findings: [{ messageId: 'building', line: 1, relation: 'orders' }],
      alternativeIncludes: [
        'CREATE UNIQUE INDEX CONCURRENTLY orders_customer_id_created_at_key ON orders (customer_id, created_at) INCLUDE (status) NULLS NOT DISTINCT;',
        'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_created_at_key UNIQUE USING INDEX orders_customer_id_created_at_key DEFERRABLE;',
      ],
    },
    {
      name: 'PRIMARY KEY on a nullable column, PostgreSQL 12+: CHECK NOT VALID, VALIDATE, SET NOT NULL first',
      history: EVENTS,
      sql: 'ALTER TABLE events ADD PRIMARY KEY (id);',
      findings: [{ messageId: 'building', line: 1, relation: 'events' }],
      alternativeIncludes: [
        'ALTER TABLE events ADD CONSTRAINT events_id_check CHECK (id IS NOT NULL) NOT VALID;',
        'ALTER TABLE events VALIDATE CONSTRAINT events_id_check;\nALTER TABLE events ALTER COLUMN id SET NOT NULL;\nALTER TABLE events DROP CONSTRAINT events_id_check;',
        "CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);\nSET lock_timeout = '5s';\nALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;",
      ],
    },
    {
      name: 'PRIMARY KEY on a nullable column, PostgreSQL 11: SET NOT NULL reads the table',
      pg: 11,
      history: EVENTS,
      sql: 'ALTER TABLE events ADD PRIMARY KEY (id);',
      findings: [{ messageId: 'building', line: 1, severity: 'high', relation: 'events' }],
      alternativeIncludes: [
        'ALTER TABLE events ALTER COLUMN id SET NOT NULL; -- PostgreSQL 11: reads the table under ACCESS EXCLUSIVE',
        'Before PostgreSQL 12 SET NOT NULL always reads',
      ],
    },
    {
      name: 'named PRIMARY KEY on a NOT NULL column: index and USING INDEX only',
      history: EVENTS,
      sql: 'ALTER TABLE events ADD CONSTRAINT events_occurred_pk PRIMARY KEY (occurred_at);',
      findings: [{ messageId: 'building', line: 1, relation: 'events' }],
      alternativeIncludes: [
        "CREATE UNIQUE INDEX CONCURRENTLY events_occurred_pk ON events (occurred_at);\nSET lock_timeout = '5s';\nALTER TABLE events ADD CONSTRAINT events_occurred_pk PRIMARY KEY USING INDEX events_occurred_pk;",
      ],
    },
    {
      name: 'new column with an inline UNIQUE: add the column, then index and attach',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD COLUMN external_ref text UNIQUE;',
      findings: [{ messageId: 'building', line: 1, relation: 'orders' }],
      alternativeIncludes: [
        'ALTER TABLE orders ADD COLUMN external_ref text;\nCREATE UNIQUE INDEX CONCURRENTLY orders_external_ref_key ON orders (external_ref);',
      ],
    },
    {
      name: 'EXCLUDE has no USING INDEX form',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD EXCLUDE USING gist (customer_id WITH =);',
      findings: [{ messageId: 'exclusion', line: 1, severity: 'high', relation: 'orders' }],
      alternativeIncludes: ["SET lock_timeout = '5s';"],
    },
    {
      name: 'EXCLUDE over an expression: named after the function, as PostgreSQL does',
      history: SHOP,
      sql: 'ALTER TABLE orders ADD EXCLUDE USING gist (customer_id WITH =, (lower(status)) WITH =);',
      findings: [{ messageId: 'exclusion', line: 1, relation: 'orders' }],
    },
    {
      name: 'partitioned table: unique index per partition attached to an ON ONLY parent index',
      history: PARTITIONED,
      sql: 'ALTER TABLE measurements ADD UNIQUE (id, recorded_on);',
      findings: [{ messageId: 'building', line: 1, relation: 'measurements' }],
      alternativeIncludes: [
        'CREATE UNIQUE INDEX CONCURRENTLY measurements_2024_id_recorded_on_key ON measurements_2024 (id, recorded_on);',
        'CREATE UNIQUE INDEX measurements_id_recorded_on_key ON ONLY measurements (id, recorded_on);',
        'ALTER INDEX measurements_id_recorded_on_key ATTACH PARTITION measurements_2025_id_recorded_on_key;',
      ],
    },
    {
      name: 'table unknown to the history is assumed to exist',
      sql: 'ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);',
      findings: [{ messageId: 'building', line: 1, relation: 'accounts' }],
    },
  ],
});
