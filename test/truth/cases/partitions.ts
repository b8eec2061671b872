import type { TruthCase } from './case';
import { MEASUREMENTS, MEASUREMENTS_2025_STANDALONE, setup } from './schemas';

const WITH_DEFAULT_PARTITION = setup(
  MEASUREMENTS,
  `
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
INSERT INTO measurements VALUES (9, '2022-06-01', 1.00, 'C'), (9, '2030-01-01', 2.00, 'C');`,
);

const RANGE_2025 = "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')";

/**
 * Declarative partitioning. ATTACH PARTITION takes ShareUpdateExclusiveLock on the parent from 12
 * (AccessExclusiveLock on 11) and AccessExclusiveLock on the new partition, which is scanned unless a
 * valid CHECK constraint implies the partition bound; a default partition is scanned for rows that would
 * belong to the new partition. DETACH takes AccessExclusiveLock on the parent, and on the partition from 14
 * (ShareUpdateExclusiveLock before); DETACH CONCURRENTLY (14+) takes ShareUpdateExclusiveLock and refuses
 * to run in a transaction block.
 */
export const PARTITION_CASES: TruthCase[] = [
  {
    id: 'partition-attach',
    title: 'ATTACH PARTITION of a table without a matching CHECK: the new partition is scanned',
    setup: setup(MEASUREMENTS, MEASUREMENTS_2025_STANDALONE),
    sql: `ALTER TABLE measurements ATTACH PARTITION measurements_2025 ${RANGE_2025}`,
  },
  {
    id: 'partition-attach-with-matching-check',
    title: 'ATTACH PARTITION with a valid CHECK implying the bound: the scan is skipped',
    setup: setup(
      MEASUREMENTS,
      MEASUREMENTS_2025_STANDALONE,
      `ALTER TABLE measurements_2025 ADD CONSTRAINT measurements_2025_bound
  CHECK (recorded_on >= '2025-01-01' AND recorded_on < '2026-01-01');`,
    ),
    sql: `ALTER TABLE measurements ATTACH PARTITION measurements_2025 ${RANGE_2025}`,
  },
  {
    id: 'partition-attach-with-default-partition',
    title: 'ATTACH PARTITION while a default partition exists: the default partition is scanned too',
    setup: setup(WITH_DEFAULT_PARTITION, MEASUREMENTS_2025_STANDALONE),
    sql: `ALTER TABLE measurements ATTACH PARTITION measurements_2025 ${RANGE_2025}`,
  },
  {
    id: 'partition-attach-default-partition-conflict',
    title: 'ATTACH PARTITION whose range already has rows in the default partition fails',
    setup: setup(
      WITH_DEFAULT_PARTITION,
      MEASUREMENTS_2025_STANDALONE,
      "INSERT INTO measurements VALUES (9, '2025-07-07', 3.00, 'C');",
    ),
    sql: `ALTER TABLE measurements ATTACH PARTITION measurements_2025 ${RANGE_2025}`,
  },
  {
    id: 'partition-attach-out-of-range-rows',
    title: 'ATTACH PARTITION with a row outside the bound fails (partition constraint is violated)',
    setup: setup(
      MEASUREMENTS,
      MEASUREMENTS_2025_STANDALONE,
      "INSERT INTO measurements_2025 VALUES (4, '2026-02-02', 0.50, 'C');",
    ),
    sql: `ALTER TABLE measurements ATTACH PARTITION measurements_2025 ${RANGE_2025}`,
  },
  {
    id: 'partition-attach-creates-index',
    title: 'ATTACH PARTITION when the parent has an index: a matching index is built on the partition',
    setup: setup(
      MEASUREMENTS,
      'CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);',
      MEASUREMENTS_2025_STANDALONE,
    ),
    sql: `ALTER TABLE measurements ATTACH PARTITION measurements_2025 ${RANGE_2025}`,
  },
  {
    id: 'partition-attach-as-default',
    title: 'ATTACH PARTITION ... DEFAULT: the default partition is scanned against the other bounds',
    setup: setup(MEASUREMENTS, MEASUREMENTS_2025_STANDALONE),
    sql: 'ALTER TABLE measurements ATTACH PARTITION measurements_2025 DEFAULT',
  },
  {
    id: 'partition-attach-list',
    title: 'ATTACH PARTITION to a list-partitioned table',
    setup: `
CREATE TABLE tenants (id int NOT NULL, region text NOT NULL, name text) PARTITION BY LIST (region);
CREATE TABLE tenants_eu PARTITION OF tenants FOR VALUES IN ('eu');
CREATE TABLE tenants_us (id int NOT NULL, region text NOT NULL, name text);
INSERT INTO tenants VALUES (1, 'eu', 'Acme EU'), (2, 'eu', 'Globex EU');
INSERT INTO tenants_us VALUES (3, 'us', 'Acme US'), (4, 'us', 'Initech');`,
    sql: "ALTER TABLE tenants ATTACH PARTITION tenants_us FOR VALUES IN ('us')",
  },
  {
    id: 'partition-detach',
    title: 'DETACH PARTITION: AccessExclusiveLock on parent and partition',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2023',
  },
  {
    id: 'partition-detach-concurrently',
    title: 'DETACH PARTITION CONCURRENTLY: 14+ and not in a transaction block; syntax error before',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY',
  },
  {
    id: 'partition-detach-finalize-not-pending',
    title: 'DETACH PARTITION ... FINALIZE with no interrupted detach: error on 14+, syntax error before',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2023 FINALIZE',
  },
  {
    id: 'partition-alter-column-set-default',
    title: 'ALTER COLUMN SET DEFAULT on a partitioned table: recurses to the partitions',
    setup: MEASUREMENTS,
    sql: "ALTER TABLE measurements ALTER COLUMN unit SET DEFAULT 'C'",
  },
  {
    id: 'partition-only-set-default',
    title: 'ALTER TABLE ONLY partitioned ALTER COLUMN SET DEFAULT: the partitions are untouched',
    setup: MEASUREMENTS,
    sql: "ALTER TABLE ONLY measurements ALTER COLUMN unit SET DEFAULT 'C'",
  },
  {
    id: 'partition-only-add-check',
    title: 'ALTER TABLE ONLY partitioned ADD CHECK fails (must be added to the partitions too)',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE ONLY measurements ADD CONSTRAINT measurements_reading_check CHECK (reading > -100)',
  },
  {
    id: 'partition-set-not-null',
    title: 'SET NOT NULL on a partitioned table: every partition is scanned',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements ALTER COLUMN reading SET NOT NULL',
  },
  {
    id: 'partition-drop-partition',
    title: 'DROP TABLE of a partition: locks the parent too',
    setup: MEASUREMENTS,
    sql: 'DROP TABLE measurements_2023',
  },
  {
    id: 'partition-alter-partition-directly',
    title: 'ALTER TABLE on a single partition: SET (fillfactor) on measurements_2024',
    setup: MEASUREMENTS,
    sql: 'ALTER TABLE measurements_2024 SET (fillfactor = 90)',
  },
];
