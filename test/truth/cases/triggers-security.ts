import type { TruthCase } from './case';
import { CUSTOMERS, MEASUREMENTS, ORDERS, SET_UPDATED_AT_FUNCTION, setup } from './schemas';

const ORDERS_WITH_UPDATED_AT = setup(
  ORDERS,
  'ALTER TABLE orders ADD COLUMN updated_at timestamptz;',
  SET_UPDATED_AT_FUNCTION,
);

const ORDERS_WITH_TRIGGER = setup(
  ORDERS_WITH_UPDATED_AT,
  `CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE PROCEDURE set_updated_at();`,
);

const ORDERS_WITH_POLICY = setup(
  ORDERS,
  'ALTER TABLE orders ENABLE ROW LEVEL SECURITY;',
  "CREATE POLICY orders_visible ON orders FOR SELECT USING (status <> 'cancelled');",
);

/** A statement-level audit trigger function usable on any table. */
const AUDIT_FUNCTION = `
CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE '% on %', TG_OP, TG_TABLE_NAME;
  RETURN NULL;
END
$$;
`;

/**
 * Triggers (trigger.c): CREATE TRIGGER takes ShareRowExclusiveLock on the table (11+), DROP TRIGGER
 * AccessExclusiveLock, ALTER TRIGGER RENAME AccessExclusiveLock. Row triggers on partitioned tables:
 * AFTER from 11, BEFORE from 13. CREATE OR REPLACE TRIGGER from 14.
 */
export const TRIGGER_CASES: TruthCase[] = [
  {
    id: 'trigger-create',
    title: 'CREATE TRIGGER ... EXECUTE FUNCTION (11+ spelling)',
    setup: ORDERS_WITH_UPDATED_AT,
    sql:
      'CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders ' +
      'FOR EACH ROW EXECUTE FUNCTION set_updated_at()',
  },
  {
    id: 'trigger-create-execute-procedure',
    title: 'CREATE TRIGGER ... EXECUTE PROCEDURE (old spelling)',
    setup: ORDERS_WITH_UPDATED_AT,
    sql:
      'CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders ' +
      'FOR EACH ROW EXECUTE PROCEDURE set_updated_at()',
  },
  {
    id: 'trigger-create-statement-level',
    title: 'CREATE TRIGGER AFTER INSERT OR DELETE ... FOR EACH STATEMENT',
    setup: setup(ORDERS, AUDIT_FUNCTION),
    sql:
      'CREATE TRIGGER orders_audit AFTER INSERT OR DELETE ON orders ' +
      'FOR EACH STATEMENT EXECUTE PROCEDURE note_change()',
  },
  {
    id: 'trigger-create-or-replace',
    title: 'CREATE OR REPLACE TRIGGER over an existing trigger: 14+, syntax error before',
    setup: ORDERS_WITH_TRIGGER,
    sql:
      'CREATE OR REPLACE TRIGGER orders_set_updated_at BEFORE INSERT OR UPDATE ON orders ' +
      'FOR EACH ROW EXECUTE PROCEDURE set_updated_at()',
  },
  {
    id: 'trigger-create-constraint-trigger',
    title: 'CREATE CONSTRAINT TRIGGER ... DEFERRABLE INITIALLY DEFERRED',
    setup: setup(ORDERS, AUDIT_FUNCTION),
    sql:
      'CREATE CONSTRAINT TRIGGER orders_check_later AFTER INSERT OR UPDATE ON orders ' +
      'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE PROCEDURE note_change()',
  },
  {
    id: 'trigger-create-after-row-partitioned',
    title: 'CREATE TRIGGER AFTER ... FOR EACH ROW on a partitioned table: cloned to partitions (11+)',
    setup: setup(MEASUREMENTS, AUDIT_FUNCTION),
    sql:
      'CREATE TRIGGER measurements_audit AFTER INSERT ON measurements ' +
      'FOR EACH ROW EXECUTE PROCEDURE note_change()',
  },
  {
    id: 'trigger-create-before-row-partitioned',
    title: 'CREATE TRIGGER BEFORE ... FOR EACH ROW on a partitioned table: 13+, error on 11 and 12',
    setup: setup(
      MEASUREMENTS,
      `
CREATE FUNCTION default_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.unit := coalesce(NEW.unit, 'C');
  RETURN NEW;
END
$$;`,
    ),
    sql:
      'CREATE TRIGGER measurements_unit BEFORE INSERT ON measurements ' +
      'FOR EACH ROW EXECUTE PROCEDURE default_unit()',
  },
  {
    id: 'trigger-drop',
    title: 'DROP TRIGGER',
    setup: ORDERS_WITH_TRIGGER,
    sql: 'DROP TRIGGER orders_set_updated_at ON orders',
  },
  {
    id: 'trigger-drop-if-exists-missing',
    title: 'DROP TRIGGER IF EXISTS on a missing trigger: notice only',
    setup: ORDERS,
    sql: 'DROP TRIGGER IF EXISTS orders_set_updated_at ON orders',
  },
  {
    id: 'trigger-alter-rename',
    title: 'ALTER TRIGGER ... RENAME TO',
    setup: ORDERS_WITH_TRIGGER,
    sql: 'ALTER TRIGGER orders_set_updated_at ON orders RENAME TO orders_touch_updated_at',
  },
];

/**
 * Row-level security policies (policy.c): CREATE/ALTER/DROP POLICY take AccessExclusiveLock on the table.
 */
export const POLICY_CASES: TruthCase[] = [
  {
    id: 'policy-create',
    title: 'CREATE POLICY',
    setup: setup(ORDERS, 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY;'),
    sql: "CREATE POLICY orders_visible ON orders FOR SELECT USING (status <> 'cancelled')",
  },
  {
    id: 'policy-create-restrictive',
    title: 'CREATE POLICY ... AS RESTRICTIVE FOR ALL TO PUBLIC USING ... WITH CHECK ...',
    setup: ORDERS_WITH_POLICY,
    sql:
      'CREATE POLICY orders_positive ON orders AS RESTRICTIVE FOR ALL TO PUBLIC ' +
      'USING (total >= 0) WITH CHECK (total >= 0)',
  },
  {
    id: 'policy-alter',
    title: 'ALTER POLICY ... USING',
    setup: ORDERS_WITH_POLICY,
    sql: "ALTER POLICY orders_visible ON orders USING (status NOT IN ('cancelled', 'pending'))",
  },
  {
    id: 'policy-alter-rename',
    title: 'ALTER POLICY ... RENAME TO',
    setup: ORDERS_WITH_POLICY,
    sql: 'ALTER POLICY orders_visible ON orders RENAME TO orders_not_cancelled',
  },
  {
    id: 'policy-drop',
    title: 'DROP POLICY',
    setup: ORDERS_WITH_POLICY,
    sql: 'DROP POLICY orders_visible ON orders',
  },
];

/**
 * COMMENT, GRANT/REVOKE, rules, extended statistics. COMMENT ON TABLE/COLUMN/INDEX takes
 * ShareUpdateExclusiveLock on the relation (ON CONSTRAINT only AccessShareLock); GRANT/REVOKE on a table
 * take no relation lock before 18 and AccessShareLock from 18; CREATE/DROP RULE take AccessExclusiveLock;
 * CREATE/DROP STATISTICS ShareUpdateExclusiveLock (DROP STATISTICS took none on 11).
 */
export const COMMENT_GRANT_RULE_CASES: TruthCase[] = [
  {
    id: 'comment-on-table',
    title: 'COMMENT ON TABLE',
    setup: ORDERS,
    sql: "COMMENT ON TABLE orders IS 'One row per checkout'",
  },
  {
    id: 'comment-on-column',
    title: 'COMMENT ON COLUMN',
    setup: ORDERS,
    sql: "COMMENT ON COLUMN orders.total IS 'Gross amount in EUR'",
  },
  {
    id: 'comment-on-index',
    title: 'COMMENT ON INDEX',
    setup: ORDERS,
    sql: "COMMENT ON INDEX orders_pkey IS 'Primary key'",
  },
  {
    id: 'comment-on-constraint',
    title: 'COMMENT ON CONSTRAINT ... ON table',
    setup: setup(ORDERS, 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);'),
    sql: "COMMENT ON CONSTRAINT orders_total_check ON orders IS 'No negative totals'",
  },
  {
    id: 'grant-select',
    title: 'GRANT SELECT ON TABLE ... TO PUBLIC',
    setup: ORDERS,
    sql: 'GRANT SELECT ON TABLE orders TO PUBLIC',
  },
  {
    id: 'grant-select-columns',
    title: 'GRANT SELECT (columns) ON table',
    setup: CUSTOMERS,
    sql: 'GRANT SELECT (id, name) ON customers TO PUBLIC',
  },
  {
    id: 'grant-all-tables-in-schema',
    title: 'GRANT SELECT ON ALL TABLES IN SCHEMA public',
    setup: ORDERS,
    sql: 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC',
  },
  {
    id: 'revoke-select',
    title: 'REVOKE SELECT ON TABLE ... FROM PUBLIC',
    setup: setup(ORDERS, 'GRANT SELECT ON orders TO PUBLIC;'),
    sql: 'REVOKE SELECT ON TABLE orders FROM PUBLIC',
  },
  {
    id: 'alter-default-privileges',
    title: 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC',
    setup: ORDERS,
    sql: 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC',
  },
  {
    id: 'rule-create',
    title: 'CREATE RULE ... DO INSTEAD NOTHING',
    setup: ORDERS,
    sql: 'CREATE RULE orders_no_delete AS ON DELETE TO orders DO INSTEAD NOTHING',
  },
  {
    id: 'rule-drop',
    title: 'DROP RULE',
    setup: setup(ORDERS, 'CREATE RULE orders_no_delete AS ON DELETE TO orders DO INSTEAD NOTHING;'),
    sql: 'DROP RULE orders_no_delete ON orders',
  },
  {
    id: 'statistics-create',
    title: 'CREATE STATISTICS (dependencies) on two columns',
    setup: ORDERS,
    sql: 'CREATE STATISTICS orders_customer_status_stats (dependencies) ON customer_id, status FROM orders',
  },
  {
    id: 'statistics-drop',
    title: 'DROP STATISTICS',
    setup: setup(
      ORDERS,
      'CREATE STATISTICS orders_customer_status_stats (dependencies) ON customer_id, status FROM orders;',
    ),
    sql: 'DROP STATISTICS orders_customer_status_stats',
  },
];
