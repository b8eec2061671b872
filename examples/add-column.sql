-- A typical AI-generated migration: valid SQL, passes on 50 rows in CI.
ALTER TABLE orders ADD COLUMN tracking_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE INDEX orders_tracking_id_idx ON orders (tracking_id);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
