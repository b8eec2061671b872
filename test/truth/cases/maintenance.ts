import type { TruthCase } from './case';
import { MEASUREMENTS, ORDERS, ORDERS_WITH_FK, setup } from './schemas';

/**
 * CLUSTER, VACUUM, ANALYZE (vacuum.c, cluster.c). CLUSTER and VACUUM FULL take AccessExclusiveLock and
 * rewrite; plain VACUUM and ANALYZE take ShareUpdateExclusiveLock. VACUUM (any form) refuses to run in a
 * transaction block; ANALYZE alone does not; CLUSTER of one table does run in a transaction block.
 */
export const MAINTENANCE_CASES: TruthCase[] = [
  {
    id: 'maintenance-cluster-using',
    title: 'CLUSTER table USING index: AccessExclusiveLock, rewrite in index order',
    setup: ORDERS,
    sql: 'CLUSTER orders USING orders_pkey',
  },
  {
    id: 'maintenance-cluster-after-cluster-on',
    title: 'CLUSTER table after ALTER TABLE ... CLUSTER ON',
    setup: setup(ORDERS, 'ALTER TABLE orders CLUSTER ON orders_pkey;'),
    sql: 'CLUSTER orders',
  },
  {
    id: 'maintenance-cluster-without-clustered-index',
    title: 'CLUSTER table that was never clustered fails',
    setup: ORDERS,
    sql: 'CLUSTER orders',
  },
  {
    id: 'maintenance-vacuum',
    title: 'VACUUM table: cannot run inside a transaction block',
    setup: ORDERS,
    sql: 'VACUUM orders',
  },
  {
    id: 'maintenance-vacuum-full',
    title: 'VACUUM FULL table: rewrite; cannot run inside a transaction block',
    setup: ORDERS,
    sql: 'VACUUM FULL orders',
  },
  {
    id: 'maintenance-vacuum-analyze',
    title: 'VACUUM ANALYZE table',
    setup: ORDERS,
    sql: 'VACUUM ANALYZE orders',
  },
  {
    id: 'maintenance-vacuum-options',
    title: 'VACUUM (VERBOSE, ANALYZE) table with the parenthesised option list',
    setup: ORDERS,
    sql: 'VACUUM (VERBOSE, ANALYZE) orders',
  },
  {
    id: 'maintenance-analyze',
    title: 'ANALYZE table: allowed inside a transaction block, ShareUpdateExclusiveLock',
    setup: ORDERS,
    sql: 'ANALYZE orders',
  },
  {
    id: 'maintenance-analyze-columns',
    title: 'ANALYZE table (columns)',
    setup: ORDERS,
    sql: 'ANALYZE orders (customer_id, status)',
  },
  {
    id: 'maintenance-analyze-partitioned',
    title: 'ANALYZE a partitioned table: samples every partition',
    setup: MEASUREMENTS,
    sql: 'ANALYZE measurements',
  },
];

/**
 * TRUNCATE (ExecuteTruncate): AccessExclusiveLock on each table, new relfilenodes; fails when another
 * table references it unless that table is truncated too (CASCADE); RESTART IDENTITY resets owned
 * sequences.
 */
export const TRUNCATE_CASES: TruthCase[] = [
  {
    id: 'truncate-single',
    title: 'TRUNCATE one unreferenced table',
    setup: ORDERS,
    sql: 'TRUNCATE orders',
  },
  {
    id: 'truncate-restart-identity',
    title: 'TRUNCATE ... RESTART IDENTITY: resets the bigserial sequence',
    setup: ORDERS,
    sql: 'TRUNCATE TABLE orders RESTART IDENTITY',
  },
  {
    id: 'truncate-referenced-by-fk',
    title: 'TRUNCATE a table referenced by a foreign key fails',
    setup: ORDERS_WITH_FK,
    sql: 'TRUNCATE customers',
  },
  {
    id: 'truncate-cascade',
    title: 'TRUNCATE ... CASCADE: the referencing table is truncated too',
    setup: ORDERS_WITH_FK,
    sql: 'TRUNCATE customers CASCADE',
  },
  {
    id: 'truncate-both-tables',
    title: 'TRUNCATE of the referenced and the referencing table together',
    setup: ORDERS_WITH_FK,
    sql: 'TRUNCATE orders, customers',
  },
  {
    id: 'truncate-partitioned',
    title: 'TRUNCATE a partitioned table: every partition',
    setup: MEASUREMENTS,
    sql: 'TRUNCATE measurements',
  },
  {
    id: 'truncate-only-partitioned',
    title: 'TRUNCATE ONLY a partitioned table fails',
    setup: MEASUREMENTS,
    sql: 'TRUNCATE ONLY measurements',
  },
];

/**
 * LOCK TABLE: takes exactly the named mode (default ACCESS EXCLUSIVE) on the table, and on partitions and
 * inheritance children unless ONLY; on a view (11+) on the tables the view uses.
 */
export const LOCK_CASES: TruthCase[] = [
  ...(
    [
      ['access-share', 'ACCESS SHARE'],
      ['row-share', 'ROW SHARE'],
      ['row-exclusive', 'ROW EXCLUSIVE'],
      ['share-update-exclusive', 'SHARE UPDATE EXCLUSIVE'],
      ['share', 'SHARE'],
      ['share-row-exclusive', 'SHARE ROW EXCLUSIVE'],
      ['exclusive', 'EXCLUSIVE'],
      ['access-exclusive', 'ACCESS EXCLUSIVE'],
    ] as const
  ).map(([slug, mode]): TruthCase => ({
    id: `lock-table-${slug}`,
    title: `LOCK TABLE ... IN ${mode} MODE`,
    setup: ORDERS,
    sql: `LOCK TABLE orders IN ${mode} MODE`,
  })),
  {
    id: 'lock-table-default-mode',
    title: 'LOCK TABLE without a mode: ACCESS EXCLUSIVE',
    setup: ORDERS,
    sql: 'LOCK TABLE orders',
  },
  {
    id: 'lock-table-nowait',
    title: 'LOCK TABLE ... NOWAIT (uncontended: succeeds)',
    setup: ORDERS,
    sql: 'LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE NOWAIT',
  },
  {
    id: 'lock-table-two-tables',
    title: 'LOCK TABLE of two tables',
    setup: ORDERS,
    sql: 'LOCK TABLE customers, orders IN EXCLUSIVE MODE',
  },
  {
    id: 'lock-table-partitioned',
    title: 'LOCK TABLE on a partitioned table: partitions are locked too',
    setup: MEASUREMENTS,
    sql: 'LOCK TABLE measurements IN SHARE MODE',
  },
  {
    id: 'lock-table-only-partitioned',
    title: 'LOCK TABLE ONLY a partitioned table',
    setup: MEASUREMENTS,
    sql: 'LOCK TABLE ONLY measurements IN SHARE MODE',
  },
  {
    id: 'lock-table-view',
    title: 'LOCK TABLE on a view: the base table is locked as well (11+)',
    setup: setup(ORDERS, "CREATE VIEW open_orders AS SELECT * FROM orders WHERE status = 'pending';"),
    sql: 'LOCK TABLE open_orders IN ACCESS SHARE MODE',
  },
];
