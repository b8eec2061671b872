import type { TruthCase } from './case';
import { CUSTOMERS, EVENTS, MEASUREMENTS, ORDERS, ORDERS_WITH_FK, USERS, setup } from './schemas';

/**
 * ADD COLUMN (ATExecAddColumn in tablecmds.c). AccessExclusiveLock on the table. Since PG 11 a default
 * that is not volatile is evaluated once and kept in pg_attribute.attmissingval: no rewrite. A volatile
 * default (random(), clock_timestamp(), nextval(): serial, identity), a domain with constraints or a
 * stored generated column forces a rewrite; NOT NULL without default and CHECK constraints need a scan.
 */
export const ADD_COLUMN_CASES: TruthCase[] = [
  {
    id: 'add-column-nullable',
    title: 'ADD COLUMN without default or constraint: catalog only',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN tracking_code text',
  },
  {
    id: 'add-column-constant-default',
    title: 'ADD COLUMN with a constant default: fast default, no rewrite (11+)',
    setup: ORDERS,
    sql: "ALTER TABLE orders ADD COLUMN currency char(3) DEFAULT 'EUR'",
  },
  {
    id: 'add-column-not-null-constant-default',
    title: 'ADD COLUMN NOT NULL with a constant default: fast default, no rewrite',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN is_gift boolean NOT NULL DEFAULT false',
  },
  {
    id: 'add-column-jsonb-constant-default',
    title: 'ADD COLUMN jsonb NOT NULL DEFAULT a literal: constant after coercion',
    setup: ORDERS,
    sql: "ALTER TABLE orders ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'",
  },
  {
    id: 'add-column-stable-default-now',
    title: 'ADD COLUMN DEFAULT now(): stable, evaluated once, no rewrite',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()',
  },
  {
    id: 'add-column-volatile-default-random',
    title: 'ADD COLUMN DEFAULT random(): volatile, rewrites the table',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN sample_weight double precision DEFAULT random()',
  },
  {
    id: 'add-column-volatile-default-clock-timestamp',
    title: 'ADD COLUMN DEFAULT clock_timestamp(): volatile, rewrites the table',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN imported_at timestamptz NOT NULL DEFAULT clock_timestamp()',
  },
  {
    id: 'add-column-volatile-default-gen-random-uuid',
    title: 'ADD COLUMN DEFAULT gen_random_uuid(): volatile rewrite on 13+, unknown function on 11 and 12',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid()',
  },
  {
    id: 'add-column-default-nextval',
    title: 'ADD COLUMN DEFAULT nextval() of an existing sequence: volatile, rewrites',
    setup: setup(ORDERS, 'CREATE SEQUENCE order_numbers;'),
    sql: "ALTER TABLE orders ADD COLUMN order_number bigint NOT NULL DEFAULT nextval('order_numbers')",
  },
  {
    id: 'add-column-not-null-no-default-empty-table',
    title: 'ADD COLUMN NOT NULL without default on an empty table succeeds',
    setup: 'CREATE TABLE invoices (id int PRIMARY KEY, issued_on date);',
    sql: 'ALTER TABLE invoices ADD COLUMN number text NOT NULL',
  },
  {
    id: 'add-column-not-null-no-default-with-rows',
    title: 'ADD COLUMN NOT NULL without default on a table with rows fails (contains null values)',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN shipping_country text NOT NULL',
  },
  {
    id: 'add-column-not-null-default-null-with-rows',
    title: 'ADD COLUMN NOT NULL DEFAULT NULL on a table with rows fails: a NULL default fills nothing',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN shipping_country text NOT NULL DEFAULT NULL',
  },
  {
    id: 'add-column-primary-key-no-default-with-rows',
    title: 'ADD COLUMN int PRIMARY KEY without default on a table with rows fails (contains null values)',
    setup: EVENTS,
    sql: 'ALTER TABLE events ADD COLUMN id int PRIMARY KEY',
  },
  {
    id: 'add-column-not-null-domain-with-default',
    title: 'ADD COLUMN NOT NULL of a domain with a DEFAULT: the domain default fills the rows, it succeeds',
    setup: setup(ORDERS, "CREATE DOMAIN country_code AS text DEFAULT 'NL';"),
    sql: 'ALTER TABLE orders ADD COLUMN shipping_country country_code NOT NULL',
  },
  {
    id: 'add-column-check',
    title: 'ADD COLUMN with a named CHECK and no default: the new constraint is checked',
    setup: ORDERS,
    sql:
      'ALTER TABLE orders ADD COLUMN discount numeric(5,2) ' +
      'CONSTRAINT orders_discount_check CHECK (discount >= 0)',
  },
  {
    id: 'add-column-check-with-default',
    title: 'ADD COLUMN NOT NULL DEFAULT 1 with an unnamed CHECK: existing rows are checked',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN quantity int NOT NULL DEFAULT 1 CHECK (quantity > 0)',
  },
  {
    id: 'add-column-references',
    title: 'ADD COLUMN REFERENCES: locks the referenced table too',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN referrer_id int REFERENCES customers (id)',
  },
  {
    id: 'add-column-references-with-default',
    title: 'ADD COLUMN REFERENCES with a non-null default: the foreign key is validated on existing rows',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN billing_customer_id int NOT NULL DEFAULT 1 REFERENCES customers (id)',
  },
  {
    id: 'add-column-unique',
    title: 'ADD COLUMN UNIQUE: builds a unique index',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN external_ref text UNIQUE',
  },
  {
    id: 'add-column-primary-key-bigserial',
    title: 'ADD COLUMN bigserial PRIMARY KEY to a table without key: sequence, rewrite and index',
    setup: EVENTS,
    sql: 'ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY',
  },
  {
    id: 'add-column-primary-key-empty-table',
    title: 'ADD COLUMN int PRIMARY KEY to an empty table',
    setup: 'CREATE TABLE audit_entries (message text, logged_at timestamptz);',
    sql: 'ALTER TABLE audit_entries ADD COLUMN id int PRIMARY KEY',
  },
  {
    id: 'add-column-serial',
    title: 'ADD COLUMN serial: owned sequence plus volatile nextval() default',
    setup: EVENTS,
    sql: 'ALTER TABLE events ADD COLUMN seq serial',
  },
  {
    id: 'add-column-bigserial',
    title: 'ADD COLUMN bigserial: owned sequence plus volatile nextval() default',
    setup: EVENTS,
    sql: 'ALTER TABLE events ADD COLUMN seq bigserial',
  },
  {
    id: 'add-column-identity-always',
    title: 'ADD COLUMN GENERATED ALWAYS AS IDENTITY: fills existing rows, rewrites',
    setup: EVENTS,
    sql: 'ALTER TABLE events ADD COLUMN event_no bigint GENERATED ALWAYS AS IDENTITY',
  },
  {
    id: 'add-column-identity-by-default',
    title: 'ADD COLUMN GENERATED BY DEFAULT AS IDENTITY',
    setup: EVENTS,
    sql: 'ALTER TABLE events ADD COLUMN event_no int GENERATED BY DEFAULT AS IDENTITY',
  },
  {
    id: 'add-column-generated-stored',
    title: 'ADD COLUMN GENERATED ALWAYS AS (...) STORED: rewrite on 12+, syntax error on 11',
    setup: ORDERS,
    sql:
      'ALTER TABLE orders ADD COLUMN total_cents bigint ' +
      'GENERATED ALWAYS AS ((total * 100)::bigint) STORED',
  },
  {
    id: 'add-column-generated-virtual',
    title: 'ADD COLUMN GENERATED ALWAYS AS (...) VIRTUAL: no rewrite on 18, syntax error before',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN total_cents numeric GENERATED ALWAYS AS (total * 100) VIRTUAL',
  },
  {
    id: 'add-column-generated-default-kind',
    title: 'ADD COLUMN GENERATED ALWAYS AS (...) without STORED/VIRTUAL: virtual on 18, error before',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN total_cents numeric GENERATED ALWAYS AS (total * 100)',
  },
  {
    id: 'add-column-domain-with-check',
    title: 'ADD COLUMN of a domain type with a CHECK: rewrites even without a default',
    setup: setup(ORDERS, 'CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);'),
    sql: 'ALTER TABLE orders ADD COLUMN priority positive_int',
  },
  {
    id: 'add-column-if-not-exists-existing',
    title: 'ADD COLUMN IF NOT EXISTS on an existing column: notice, lock still taken',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text',
  },
  {
    id: 'add-column-two-subcommands',
    title: 'Two ADD COLUMN subcommands in one ALTER TABLE, one with a volatile default',
    setup: ORDERS,
    sql:
      'ALTER TABLE orders ADD COLUMN shipped_at timestamptz, ' +
      'ADD COLUMN carrier text DEFAULT md5(random()::text)',
  },
  {
    id: 'add-column-partitioned-table',
    title: 'ADD COLUMN on a partitioned table: recurses to every partition',
    setup: MEASUREMENTS,
    sql: "ALTER TABLE measurements ADD COLUMN source text DEFAULT 'manual'",
  },
  {
    id: 'add-column-schema-qualified',
    title: 'ADD COLUMN on a table outside public, named with its schema',
    setup: `
CREATE SCHEMA app;
CREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL);
INSERT INTO app.orders VALUES (1, 5.00), (2, 6.50), (3, 7.25);`,
    sql: "ALTER TABLE app.orders ADD COLUMN status text NOT NULL DEFAULT 'new'",
  },
];

/**
 * captcha_answer: a serial primary key and a UNIQUE uuid, 3 rows (Lemmy's, without gen_random_uuid).
 * Cases that add a primary key name it: an unnamed one would take the dropped key's name
 * (captcha_answer_pkey), which the harness, matching indexes by name, would count as a rebuild.
 */
const CAPTCHA = `
CREATE TABLE captcha_answer (id serial PRIMARY KEY, uuid uuid NOT NULL UNIQUE, answer text);
INSERT INTO captcha_answer (uuid, answer) VALUES
  ('00000000-0000-0000-0000-000000000001', 'a'), ('00000000-0000-0000-0000-000000000002', 'b'),
  ('00000000-0000-0000-0000-000000000003', 'c');
`;

/** parent and child, the foreign key added by ALTER TABLE (table-level: its columns are in fk_attrs). */
const PARENT_CHILD = `
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (id int PRIMARY KEY, parent_id int);
INSERT INTO parent VALUES (1), (2);
INSERT INTO child VALUES (1, 1), (2, 2), (3, NULL);
ALTER TABLE ONLY child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parent (id);
`;

/**
 * DROP COLUMN (ATExecDropColumn): AccessExclusiveLock, catalog only (the column is marked dropped, no
 * rewrite); dependent indexes, constraints and views go too (with CASCADE) and their relations are locked.
 */
export const DROP_COLUMN_CASES: TruthCase[] = [
  {
    id: 'drop-column-plain',
    title: 'DROP COLUMN: catalog only',
    setup: ORDERS,
    sql: 'ALTER TABLE orders DROP COLUMN note',
  },
  {
    id: 'drop-column-indexed',
    title: 'DROP COLUMN that has an index: the index is dropped too',
    setup: setup(CUSTOMERS, 'CREATE INDEX customers_name_idx ON customers (name);'),
    sql: 'ALTER TABLE customers DROP COLUMN name',
  },
  {
    id: 'drop-column-used-by-view',
    title: 'DROP COLUMN used by a view without CASCADE fails (other objects depend on it)',
    setup: setup(ORDERS, 'CREATE VIEW order_totals AS SELECT id, total FROM orders;'),
    sql: 'ALTER TABLE orders DROP COLUMN total',
  },
  {
    id: 'drop-column-used-by-view-cascade',
    title: 'DROP COLUMN ... CASCADE drops the view that uses it',
    setup: setup(ORDERS, 'CREATE VIEW order_totals AS SELECT id, total FROM orders;'),
    sql: 'ALTER TABLE orders DROP COLUMN total CASCADE',
  },
  {
    id: 'drop-column-if-exists-missing',
    title: 'DROP COLUMN IF EXISTS on a missing column: notice only',
    setup: ORDERS,
    sql: 'ALTER TABLE orders DROP COLUMN IF EXISTS legacy_flag',
  },
  {
    id: 'drop-column-with-foreign-key',
    title: 'DROP COLUMN carrying a foreign key: the constraint goes, the referenced table is touched',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE orders DROP COLUMN customer_id',
  },
  {
    id: 'drop-column-referenced-key-cascade',
    title: 'DROP COLUMN of a referenced primary key with CASCADE drops the foreign key on the other table',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE customers DROP COLUMN id CASCADE',
  },
  {
    id: 'drop-column-primary-key-then-add-primary-key',
    title: 'DROP COLUMN of the primary-key column drops the key: ADD PRIMARY KEY in the same ALTER succeeds',
    setup: CAPTCHA,
    sql: 'ALTER TABLE captcha_answer DROP COLUMN id, ADD CONSTRAINT captcha_answer_uuid_pkey PRIMARY KEY (uuid)',
  },
  {
    id: 'drop-column-primary-key-after-add-primary-key',
    title:
      'ADD PRIMARY KEY written before the DROP COLUMN of the old key: columns are dropped first, it succeeds',
    setup: CAPTCHA,
    sql: 'ALTER TABLE captcha_answer ADD CONSTRAINT captcha_answer_uuid_pkey PRIMARY KEY (uuid), DROP COLUMN id',
  },
  {
    id: 'drop-column-unique-then-add-unique',
    title: 'DROP COLUMN of a UNIQUE column with a new UNIQUE on another column: the old constraint goes',
    setup: CAPTCHA,
    sql: 'ALTER TABLE captcha_answer DROP COLUMN uuid, ADD CONSTRAINT captcha_answer_answer_key UNIQUE (answer)',
  },
  {
    id: 'drop-column-table-level-foreign-key',
    title: 'DROP COLUMN carrying a foreign key added by ALTER TABLE: the referenced table is locked too',
    setup: PARENT_CHILD,
    sql: 'ALTER TABLE child DROP COLUMN parent_id',
  },
  {
    id: 'drop-column-foreign-key-then-drop-referenced-table',
    title: 'DROP TABLE of a table whose only referencing column was dropped: nothing references it any more',
    setup: setup(PARENT_CHILD, 'ALTER TABLE child DROP COLUMN parent_id;'),
    sql: 'DROP TABLE parent',
  },
  {
    id: 'drop-column-in-referenced-unique-key',
    title: 'DROP COLUMN of a column in a UNIQUE key another table references fails without CASCADE',
    setup: setup(
      PARENT_CHILD,
      'ALTER TABLE parent ADD COLUMN code text, ADD CONSTRAINT parent_code_key UNIQUE (code);',
      "UPDATE parent SET code = 'p' || id;",
      'CREATE TABLE child_by_code (id int PRIMARY KEY, parent_code text REFERENCES parent (code));',
    ),
    sql: 'ALTER TABLE parent DROP COLUMN code',
  },
  {
    id: 'drop-column-in-unreferenced-unique-key',
    title:
      'DROP COLUMN of a column in a UNIQUE key when foreign keys reference only the primary key: succeeds',
    setup: setup(
      PARENT_CHILD,
      'ALTER TABLE parent ADD COLUMN code text, ADD CONSTRAINT parent_code_key UNIQUE (code);',
    ),
    sql: 'ALTER TABLE parent DROP COLUMN code',
  },
  {
    id: 'drop-column-partition-key',
    title: 'DROP COLUMN of the partition key fails',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements DROP COLUMN recorded_on',
  },
];

/**
 * ALTER COLUMN subcommands other than TYPE. Lock levels from AlterTableGetLockLevel: SET/DROP DEFAULT,
 * SET/DROP NOT NULL, identity and expressions take AccessExclusiveLock; SET STATISTICS and SET (attribute
 * options) take ShareUpdateExclusiveLock; SET STORAGE and SET COMPRESSION AccessExclusiveLock. SET NOT NULL
 * scans the table unless (12+) a valid CHECK (col IS NOT NULL) proves it.
 */
export const ALTER_COLUMN_CASES: TruthCase[] = [
  {
    id: 'alter-column-set-default',
    title: 'SET DEFAULT to a constant: catalog only',
    setup: ORDERS,
    sql: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new'",
  },
  {
    id: 'alter-column-set-default-volatile',
    title: 'SET DEFAULT to a volatile expression: affects future rows only, no rewrite',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN note SET DEFAULT md5(random()::text)',
  },
  {
    id: 'alter-column-drop-default',
    title: 'DROP DEFAULT',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN status DROP DEFAULT',
  },
  {
    id: 'alter-column-set-not-null',
    title: 'SET NOT NULL without a proving constraint: full scan',
    setup: USERS,
    sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
  },
  {
    id: 'alter-column-set-not-null-valid-check',
    title: 'SET NOT NULL with a valid CHECK (email IS NOT NULL): scan skipped on 12+',
    setup: setup(USERS, 'ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL);'),
    sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
  },
  {
    id: 'alter-column-set-not-null-not-valid-check',
    title: 'SET NOT NULL with only a NOT VALID CHECK (email IS NOT NULL): still scans',
    setup: setup(
      USERS,
      'ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;',
    ),
    sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
  },
  {
    id: 'alter-column-set-not-null-with-nulls',
    title: 'SET NOT NULL on a column holding NULLs fails',
    setup: USERS,
    sql: 'ALTER TABLE users ALTER COLUMN nickname SET NOT NULL',
  },
  {
    id: 'alter-column-set-not-null-already',
    title: 'SET NOT NULL on a column that is already NOT NULL',
    setup: CUSTOMERS,
    sql: 'ALTER TABLE customers ALTER COLUMN email SET NOT NULL',
  },
  {
    id: 'alter-column-drop-not-null',
    title: 'DROP NOT NULL: catalog only',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN status DROP NOT NULL',
  },
  {
    id: 'alter-column-drop-not-null-primary-key',
    title: 'DROP NOT NULL on a primary key column fails',
    setup: CUSTOMERS,
    sql: 'ALTER TABLE customers ALTER COLUMN id DROP NOT NULL',
  },
  {
    id: 'alter-column-add-identity',
    title: 'ADD GENERATED BY DEFAULT AS IDENTITY to an existing NOT NULL column: creates a sequence',
    setup: `
CREATE TABLE legacy_items (id int NOT NULL, name text NOT NULL);
INSERT INTO legacy_items VALUES (1, 'bolt'), (2, 'nut'), (3, 'washer');`,
    sql: 'ALTER TABLE legacy_items ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY',
  },
  {
    id: 'alter-column-set-generated',
    title: 'SET GENERATED BY DEFAULT on an identity column',
    setup: `
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subject text NOT NULL);
INSERT INTO tickets (subject) VALUES ('login fails'), ('typo'), ('slow page');`,
    sql: 'ALTER TABLE tickets ALTER COLUMN id SET GENERATED BY DEFAULT',
  },
  {
    id: 'alter-column-identity-restart',
    title: 'Identity RESTART WITH: alters the owned sequence',
    setup: `
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subject text NOT NULL);
INSERT INTO tickets (subject) VALUES ('login fails'), ('typo'), ('slow page');`,
    sql: 'ALTER TABLE tickets ALTER COLUMN id RESTART WITH 1000',
  },
  {
    id: 'alter-column-identity-set-increment',
    title: 'Identity SET INCREMENT BY',
    setup: `
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subject text NOT NULL);
INSERT INTO tickets (subject) VALUES ('login fails'), ('typo'), ('slow page');`,
    sql: 'ALTER TABLE tickets ALTER COLUMN id SET INCREMENT BY 10',
  },
  {
    id: 'alter-column-drop-identity',
    title: 'DROP IDENTITY: drops the owned sequence',
    setup: `
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subject text NOT NULL);
INSERT INTO tickets (subject) VALUES ('login fails'), ('typo'), ('slow page');`,
    sql: 'ALTER TABLE tickets ALTER COLUMN id DROP IDENTITY',
  },
  {
    id: 'alter-column-drop-identity-if-exists',
    title: 'DROP IDENTITY IF EXISTS on a column that is not an identity: notice only',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN customer_id DROP IDENTITY IF EXISTS',
  },
  {
    id: 'alter-column-drop-expression',
    title: 'DROP EXPRESSION turns a stored generated column into a plain one (13+; syntax error on 12)',
    minMajor: 12,
    setup: `
CREATE TABLE line_items (
  id int PRIMARY KEY,
  qty int NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  amount numeric GENERATED ALWAYS AS (qty * unit_price) STORED
);
INSERT INTO line_items (id, qty, unit_price) VALUES (1, 2, 3.50), (2, 1, 10.00), (3, 5, 0.99);`,
    sql: 'ALTER TABLE line_items ALTER COLUMN amount DROP EXPRESSION',
  },
  {
    id: 'alter-column-set-expression',
    title: 'SET EXPRESSION on a stored generated column: rewrite on 17+, syntax error before',
    minMajor: 12,
    setup: `
CREATE TABLE line_items (
  id int PRIMARY KEY,
  qty int NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  amount numeric GENERATED ALWAYS AS (qty * unit_price) STORED
);
INSERT INTO line_items (id, qty, unit_price) VALUES (1, 2, 3.50), (2, 1, 10.00), (3, 5, 0.99);`,
    sql: 'ALTER TABLE line_items ALTER COLUMN amount SET EXPRESSION AS (qty * unit_price * 1.2)',
  },
  {
    id: 'alter-column-set-statistics',
    title: 'SET STATISTICS: ShareUpdateExclusiveLock',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN customer_id SET STATISTICS 500',
  },
  {
    id: 'alter-column-set-storage',
    title: 'SET STORAGE EXTERNAL: catalog only, future rows',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN note SET STORAGE EXTERNAL',
  },
  {
    id: 'alter-column-set-compression',
    title: 'SET COMPRESSION pglz: 14+, syntax error before',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN note SET COMPRESSION pglz',
  },
  {
    id: 'alter-column-set-attribute-options',
    title: 'SET (n_distinct = ...): attribute options, ShareUpdateExclusiveLock',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ALTER COLUMN customer_id SET (n_distinct = 100)',
  },
  {
    id: 'alter-column-reset-attribute-options',
    title: 'RESET (n_distinct)',
    setup: setup(ORDERS, 'ALTER TABLE orders ALTER COLUMN customer_id SET (n_distinct = 100);'),
    sql: 'ALTER TABLE orders ALTER COLUMN customer_id RESET (n_distinct)',
  },
  {
    id: 'alter-column-rename',
    title: 'RENAME COLUMN: AccessExclusiveLock, catalog only',
    setup: ORDERS,
    sql: 'ALTER TABLE orders RENAME COLUMN note TO remarks',
  },
  {
    id: 'alter-column-rename-used-by-view',
    title: 'RENAME COLUMN used by a view: allowed, the view follows',
    setup: setup(ORDERS, 'CREATE VIEW order_totals AS SELECT id, total FROM orders;'),
    sql: 'ALTER TABLE orders RENAME COLUMN total TO amount',
  },
];
