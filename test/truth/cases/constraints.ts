import type { TruthCase } from './case';
import { CUSTOMERS, MEASUREMENTS, ORDERS, ORDERS_WITH_FK, USERS, setup } from './schemas';

const RESERVATIONS = `
CREATE TABLE reservations (
  id int PRIMARY KEY,
  room int NOT NULL,
  during tsrange NOT NULL,
  seats int4range
);
INSERT INTO reservations VALUES
  (1, 101, '[2024-01-01 10:00, 2024-01-01 11:00)', '[1,5)'),
  (2, 101, '[2024-01-01 11:00, 2024-01-01 12:00)', '[5,9)'),
  (3, 102, '[2024-01-02 09:00, 2024-01-02 10:30)', '[9,12)');
`;

/** A partitioned table with a primary key, the target of a foreign key in 12+. */
const ACCOUNTS_PARTITIONED = `
CREATE TABLE accounts (id int NOT NULL, region text NOT NULL, PRIMARY KEY (id)) PARTITION BY HASH (id);
CREATE TABLE accounts_p0 PARTITION OF accounts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE accounts_p1 PARTITION OF accounts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO accounts VALUES (1, 'eu'), (2, 'us'), (3, 'eu'), (4, 'ap');
CREATE TABLE payments (id int PRIMARY KEY, account_id int NOT NULL, amount numeric(10,2) NOT NULL);
INSERT INTO payments VALUES (1, 1, 5.00), (2, 2, 7.50), (3, 4, 1.00);
`;

/** A plain inheritance parent with one child. */
const INHERITANCE = `
CREATE TABLE vehicles (id int NOT NULL, wheels int NOT NULL);
CREATE TABLE trucks (payload_kg int) INHERITS (vehicles);
INSERT INTO vehicles VALUES (1, 4), (2, 2);
INSERT INTO trucks VALUES (3, 6, 12000), (4, 10, 30000);
`;

/**
 * Table constraints. Lock levels (AlterTableGetLockLevel): ADD CONSTRAINT CHECK/UNIQUE/PK/EXCLUDE take
 * AccessExclusiveLock; ADD FOREIGN KEY takes ShareRowExclusiveLock on both tables; VALIDATE CONSTRAINT
 * takes ShareUpdateExclusiveLock (plus RowShareLock on the referenced table for a FK); ALTER CONSTRAINT
 * and RENAME CONSTRAINT AccessExclusiveLock. NOT VALID skips the scan of existing rows; UNIQUE/PK build
 * an index; PRIMARY KEY also sets NOT NULL. PG 18 adds named NOT NULL constraints (with NOT VALID).
 */
export const CONSTRAINT_CASES: TruthCase[] = [
  {
    id: 'constraint-add-check',
    title: 'ADD CONSTRAINT CHECK: scans to validate',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_nonnegative CHECK (total >= 0)',
  },
  {
    id: 'constraint-add-check-unnamed',
    title: 'ADD CHECK with a generated name',
    setup: ORDERS,
    sql: "ALTER TABLE orders ADD CHECK (status <> '')",
  },
  {
    id: 'constraint-add-check-violated',
    title: 'ADD CONSTRAINT CHECK that existing rows violate fails',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0)',
  },
  {
    id: 'constraint-add-check-not-valid',
    title: 'ADD CONSTRAINT CHECK ... NOT VALID: no scan',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_nonnegative CHECK (total >= 0) NOT VALID',
  },
  {
    id: 'constraint-validate-check',
    title: 'VALIDATE CONSTRAINT of a NOT VALID check: scan under ShareUpdateExclusiveLock',
    setup: setup(
      ORDERS,
      'ALTER TABLE orders ADD CONSTRAINT orders_total_nonnegative CHECK (total >= 0) NOT VALID;',
    ),
    sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_nonnegative',
  },
  {
    id: 'constraint-add-foreign-key',
    title: 'ADD FOREIGN KEY: validates, ShareRowExclusiveLock on both tables',
    setup: ORDERS,
    sql:
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey ' +
      'FOREIGN KEY (customer_id) REFERENCES customers (id)',
  },
  {
    id: 'constraint-add-foreign-key-unnamed',
    title: 'ADD FOREIGN KEY with a generated name, referencing the primary key implicitly',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers',
  },
  {
    id: 'constraint-add-foreign-key-on-delete-cascade',
    title: 'ADD FOREIGN KEY ... ON DELETE CASCADE',
    setup: ORDERS,
    sql:
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey ' +
      'FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE',
  },
  {
    id: 'constraint-add-foreign-key-violated',
    title: 'ADD FOREIGN KEY with an orphan row fails',
    setup: setup(ORDERS, 'DELETE FROM customers WHERE id = 5;'),
    sql:
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey ' +
      'FOREIGN KEY (customer_id) REFERENCES customers (id)',
  },
  {
    id: 'constraint-add-foreign-key-not-valid',
    title: 'ADD FOREIGN KEY ... NOT VALID: no scan, still locks both tables',
    setup: ORDERS,
    sql:
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey ' +
      'FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID',
  },
  {
    id: 'constraint-validate-foreign-key',
    title: 'VALIDATE CONSTRAINT of a NOT VALID foreign key: both tables scanned',
    setup: setup(
      ORDERS,
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey ' +
        'FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
    ),
    sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey',
  },
  {
    id: 'constraint-validate-already-valid',
    title: 'VALIDATE CONSTRAINT of an already valid foreign key: nothing to do',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey',
  },
  {
    id: 'constraint-add-foreign-key-self-referencing',
    title: 'ADD FOREIGN KEY referencing the same table',
    setup: `
CREATE TABLE employees (id int PRIMARY KEY, manager_id int, name text NOT NULL);
INSERT INTO employees VALUES (1, NULL, 'Ada'), (2, 1, 'Bo'), (3, 1, 'Cy'), (4, 2, 'Di');`,
    sql:
      'ALTER TABLE employees ADD CONSTRAINT employees_manager_id_fkey ' +
      'FOREIGN KEY (manager_id) REFERENCES employees (id)',
  },
  {
    id: 'constraint-add-foreign-key-from-partitioned',
    title: 'ADD FOREIGN KEY on a partitioned table: added to every partition',
    setup: setup(
      MEASUREMENTS,
      `
CREATE TABLE sensors (id int PRIMARY KEY, label text NOT NULL);
INSERT INTO sensors VALUES (1, 'roof'), (2, 'cellar'), (3, 'garden');`,
    ),
    sql:
      'ALTER TABLE measurements ADD CONSTRAINT measurements_sensor_id_fkey ' +
      'FOREIGN KEY (sensor_id) REFERENCES sensors (id)',
  },
  {
    id: 'constraint-add-foreign-key-to-partitioned',
    title: 'ADD FOREIGN KEY referencing a partitioned table: 12+, error on 11',
    setup: ACCOUNTS_PARTITIONED,
    sql:
      'ALTER TABLE payments ADD CONSTRAINT payments_account_id_fkey ' +
      'FOREIGN KEY (account_id) REFERENCES accounts (id)',
  },
  {
    id: 'constraint-add-unique',
    title: 'ADD CONSTRAINT UNIQUE: builds a unique index under AccessExclusiveLock',
    setup: CUSTOMERS,
    sql: 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email)',
  },
  {
    id: 'constraint-add-unique-unnamed',
    title: 'ADD UNIQUE with a generated name',
    setup: CUSTOMERS,
    sql: 'ALTER TABLE customers ADD UNIQUE (email)',
  },
  {
    id: 'constraint-add-unique-duplicates',
    title: 'ADD UNIQUE over duplicate values fails',
    setup: ORDERS,
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_key UNIQUE (customer_id)',
  },
  {
    id: 'constraint-add-unique-deferrable',
    title: 'ADD UNIQUE ... DEFERRABLE INITIALLY DEFERRED',
    setup: CUSTOMERS,
    sql:
      'ALTER TABLE customers ADD CONSTRAINT customers_email_key ' +
      'UNIQUE (email) DEFERRABLE INITIALLY DEFERRED',
  },
  {
    id: 'constraint-add-unique-nulls-not-distinct',
    title: 'ADD UNIQUE NULLS NOT DISTINCT: 15+, syntax error before',
    setup: USERS,
    sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE NULLS NOT DISTINCT (email)',
  },
  {
    id: 'constraint-add-primary-key',
    title: 'ADD PRIMARY KEY on a nullable column: sets NOT NULL (scan) and builds the index',
    setup: USERS.replace('id int PRIMARY KEY', 'id int'),
    sql: 'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id)',
  },
  {
    id: 'constraint-add-primary-key-unnamed',
    title: 'ADD PRIMARY KEY with a generated name on a NOT NULL column',
    setup: `
CREATE TABLE sessions (token text NOT NULL, user_id int NOT NULL);
INSERT INTO sessions VALUES ('a1', 1), ('b2', 2), ('c3', 1);`,
    sql: 'ALTER TABLE sessions ADD PRIMARY KEY (token)',
  },
  {
    id: 'constraint-add-unique-using-index',
    title: 'ADD UNIQUE USING INDEX: adopts (and renames) an existing unique index',
    setup: setup(CUSTOMERS, 'CREATE UNIQUE INDEX customers_email_idx ON customers (email);'),
    sql: 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx',
  },
  {
    id: 'constraint-add-primary-key-using-index',
    title: 'ADD PRIMARY KEY USING INDEX on a nullable column: sets NOT NULL, no index build',
    setup: setup(
      USERS.replace('id int PRIMARY KEY', 'id int'),
      'CREATE UNIQUE INDEX users_id_idx ON users (id);',
    ),
    sql: 'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx',
  },
  {
    id: 'constraint-add-exclude-tsrange',
    title: 'ADD EXCLUDE USING gist (during WITH &&) on a tsrange column',
    setup: RESERVATIONS,
    sql:
      'ALTER TABLE reservations ADD CONSTRAINT reservations_no_overlap ' +
      'EXCLUDE USING gist (during WITH &&)',
  },
  {
    id: 'constraint-add-exclude-int4range',
    title: 'ADD EXCLUDE USING gist (seats WITH &&) on an int4range column, generated name',
    setup: RESERVATIONS,
    sql: 'ALTER TABLE reservations ADD EXCLUDE USING gist (seats WITH &&)',
  },
  {
    id: 'constraint-drop-check',
    title: 'DROP CONSTRAINT of a check',
    setup: setup(ORDERS, 'ALTER TABLE orders ADD CONSTRAINT orders_total_nonnegative CHECK (total >= 0);'),
    sql: 'ALTER TABLE orders DROP CONSTRAINT orders_total_nonnegative',
  },
  {
    id: 'constraint-drop-foreign-key',
    title: 'DROP CONSTRAINT of a foreign key: both tables locked',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey',
  },
  {
    id: 'constraint-drop-unique',
    title: 'DROP CONSTRAINT of a unique constraint: its index is dropped',
    setup: setup(CUSTOMERS, 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);'),
    sql: 'ALTER TABLE customers DROP CONSTRAINT customers_email_key',
  },
  {
    id: 'constraint-drop-primary-key',
    title: 'DROP CONSTRAINT of a primary key nobody references',
    setup: ORDERS,
    sql: 'ALTER TABLE orders DROP CONSTRAINT orders_pkey',
  },
  {
    id: 'constraint-drop-primary-key-referenced',
    title: 'DROP CONSTRAINT of a referenced primary key fails without CASCADE',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE customers DROP CONSTRAINT customers_pkey',
  },
  {
    id: 'constraint-drop-primary-key-referenced-cascade',
    title: 'DROP CONSTRAINT ... CASCADE of a referenced primary key drops the foreign key too',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE customers DROP CONSTRAINT customers_pkey CASCADE',
  },
  {
    id: 'constraint-drop-if-exists-missing',
    title: 'DROP CONSTRAINT IF EXISTS on a missing constraint: notice only',
    setup: ORDERS,
    sql: 'ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_total_nonnegative',
  },
  {
    id: 'constraint-rename',
    title: 'RENAME CONSTRAINT of a check',
    setup: setup(ORDERS, 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);'),
    sql: 'ALTER TABLE orders RENAME CONSTRAINT orders_total_check TO orders_total_nonnegative',
  },
  {
    id: 'constraint-rename-unique',
    title: 'RENAME CONSTRAINT of a unique constraint: renames its index too',
    setup: setup(CUSTOMERS, 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);'),
    sql: 'ALTER TABLE customers RENAME CONSTRAINT customers_email_key TO customers_email_unique',
  },
  {
    id: 'constraint-alter-deferrable',
    title: 'ALTER CONSTRAINT ... DEFERRABLE INITIALLY DEFERRED on a foreign key',
    setup: ORDERS_WITH_FK,
    sql: 'ALTER TABLE orders ALTER CONSTRAINT orders_customer_id_fkey DEFERRABLE INITIALLY DEFERRED',
  },
  {
    id: 'constraint-alter-check-not-fk',
    title: 'ALTER CONSTRAINT ... DEFERRABLE on a check constraint fails',
    setup: setup(ORDERS, 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);'),
    sql: 'ALTER TABLE orders ALTER CONSTRAINT orders_total_check DEFERRABLE',
  },
  {
    id: 'constraint-add-not-null',
    title: 'ADD CONSTRAINT ... NOT NULL col: named not-null constraint on 18, syntax error before',
    setup: USERS,
    sql: 'ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email',
  },
  {
    id: 'constraint-add-not-null-not-valid',
    title: 'ADD CONSTRAINT ... NOT NULL col NOT VALID: no scan on 18, syntax error before',
    setup: USERS,
    sql: 'ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email NOT VALID',
  },
  {
    id: 'constraint-validate-not-null',
    title: 'VALIDATE CONSTRAINT of a NOT VALID not-null constraint (18)',
    minMajor: 18,
    setup: setup(USERS, 'ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email NOT VALID;'),
    sql: 'ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null',
  },
  {
    id: 'constraint-add-check-no-inherit',
    title: 'ADD CHECK ... NO INHERIT on an inheritance parent: only the parent is checked',
    setup: INHERITANCE,
    sql: 'ALTER TABLE vehicles ADD CONSTRAINT vehicles_wheels_check CHECK (wheels > 0) NO INHERIT',
  },
  {
    id: 'constraint-add-check-inherited',
    title: 'ADD CHECK on an inheritance parent: recurses to the child',
    setup: INHERITANCE,
    sql: 'ALTER TABLE vehicles ADD CONSTRAINT vehicles_wheels_check CHECK (wheels > 0)',
  },
  {
    id: 'constraint-add-check-partitioned',
    title: 'ADD CHECK on a partitioned table: every partition is scanned',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements ADD CONSTRAINT measurements_reading_check CHECK (reading > -100)',
  },
];
