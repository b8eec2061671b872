/**
 * Schema states shared by many cases. Every fragment is plain PG 11 DDL/DML in a single string, safe to run
 * as one multi-statement query (no statement here refuses to run inside a transaction block).
 */

/** Joins setup fragments into one script. */
export function setup(...parts: string[]): string {
  return parts.map((part) => part.trim()).join('\n');
}

/** customers: int primary key, 5 rows (customer 3 has no name). */
export const CUSTOMERS = `
CREATE TABLE customers (
  id int PRIMARY KEY,
  email text NOT NULL,
  name text,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO customers (id, email, name) VALUES
  (1, 'ann@example.com', 'Ann'), (2, 'bob@example.com', 'Bob'), (3, 'cid@example.com', NULL),
  (4, 'dee@example.com', 'Dee'), (5, 'eve@example.com', 'Eve');
`;

const ORDERS_ROWS = `
INSERT INTO orders (customer_id, status, total, note) VALUES
  (1, 'paid', 10.50, NULL), (1, 'pending', 20.00, 'gift'), (2, 'paid', 7.25, NULL),
  (3, 'shipped', 99.99, 'fragile'), (5, 'pending', 0, NULL), (4, 'cancelled', 12.00, NULL);
`;

/** customers, then orders (bigserial primary key, no foreign key yet), 6 rows. */
export const ORDERS = setup(
  CUSTOMERS,
  `
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id int NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  total numeric(10,2) NOT NULL DEFAULT 0,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  ORDERS_ROWS,
);

/** customers, then orders with the foreign key orders_customer_id_fkey to customers. */
export const ORDERS_WITH_FK = setup(
  CUSTOMERS,
  `
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id int NOT NULL CONSTRAINT orders_customer_id_fkey REFERENCES customers (id),
  status text NOT NULL DEFAULT 'pending',
  total numeric(10,2) NOT NULL DEFAULT 0,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  ORDERS_ROWS,
);

/** users: email has no NULLs but is nullable; nickname has NULLs. */
export const USERS = `
CREATE TABLE users (
  id int PRIMARY KEY,
  email text,
  nickname text
);
INSERT INTO users (id, email, nickname) VALUES
  (1, 'ann@example.com', 'annie'), (2, 'bob@example.com', NULL), (3, 'cid@example.com', 'cid'),
  (4, 'dee@example.com', NULL);
`;

/** events: no primary key at all, 4 rows. */
export const EVENTS = `
CREATE TABLE events (
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO events (kind, payload) VALUES
  ('signup', '{"user": 1}'), ('login', '{"user": 1}'), ('login', '{"user": 2}'), ('logout', '{}');
`;

/** measurements: range-partitioned by recorded_on, partitions for 2023 and 2024, 5 rows. */
export const MEASUREMENTS = `
CREATE TABLE measurements (
  sensor_id int NOT NULL,
  recorded_on date NOT NULL,
  reading numeric(8,2),
  unit text
) PARTITION BY RANGE (recorded_on);
CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO measurements (sensor_id, recorded_on, reading, unit) VALUES
  (1, '2023-03-01', 20.50, 'C'), (2, '2023-11-30', 21.00, 'C'), (1, '2024-01-15', 19.50, 'C'),
  (3, '2024-06-01', 25.25, 'C'), (2, '2024-12-31', 18.00, 'F');
`;

/** A stand-alone table shaped like a measurements partition, holding 3 rows of 2025. */
export const MEASUREMENTS_2025_STANDALONE = `
CREATE TABLE measurements_2025 (
  sensor_id int NOT NULL,
  recorded_on date NOT NULL,
  reading numeric(8,2),
  unit text
);
INSERT INTO measurements_2025 (sensor_id, recorded_on, reading, unit) VALUES
  (1, '2025-01-02', 17.00, 'C'), (2, '2025-04-01', 22.50, 'C'), (3, '2025-09-09', 23.75, 'C');
`;

/** A trigger function that stamps NEW.updated_at. */
export const SET_UPDATED_AT_FUNCTION = `
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
`;
