import rule from '../../src/rules/attach-partition-scan';
import { runRuleTests } from './rule-tester';
import { PARTITIONED } from './schema';

const DETACHED = `${PARTITIONED}
CREATE TABLE measurements_2026 (id bigint NOT NULL, sensor_id int NOT NULL, recorded_on date NOT NULL);`;
const WITH_DEFAULT = `${DETACHED}
CREATE TABLE measurements_other PARTITION OF measurements DEFAULT;`;
const INDEXED = `${DETACHED}
CREATE INDEX measurements_sensor_id_idx ON measurements (sensor_id);`;
const PROVED = `${INDEXED}
ALTER TABLE measurements_2026 ADD CONSTRAINT measurements_2026_partition_bound CHECK (recorded_on >= '2026-01-01' AND recorded_on < '2027-01-01');`;
const LISTS = `CREATE TABLE tickets (id bigint NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE tickets_eu PARTITION OF tickets FOR VALUES IN ('eu');
CREATE TABLE tickets_us (id bigint NOT NULL, region text);`;
const ATTACH_2026 =
  "ALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');";

runRuleTests(rule, {
  valid: [
    {
      name: 'partition created in the same change is empty',
      history: PARTITIONED,
      sql: "CREATE TABLE measurements_2027 (id bigint NOT NULL, sensor_id int NOT NULL, recorded_on date NOT NULL);\nALTER TABLE measurements ATTACH PARTITION measurements_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');",
    },
    {
      name: 'a valid CHECK implies the bound and the index exists',
      history: `${PROVED}\nCREATE INDEX measurements_2026_sensor_id_idx ON measurements_2026 (sensor_id);`,
      sql: ATTACH_2026,
    },
    {
      name: 'CREATE TABLE ... PARTITION OF without a default partition',
      history: PARTITIONED,
      sql: "CREATE TABLE measurements_2027 PARTITION OF measurements FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');",
    },
    {
      name: 'ALTER INDEX ... ATTACH PARTITION attaches an index',
      history: `${INDEXED}\nCREATE INDEX measurements_2026_sensor_id_idx ON measurements_2026 (sensor_id);`,
      sql: 'ALTER INDEX measurements_sensor_id_idx ATTACH PARTITION measurements_2026_sensor_id_idx;',
    },
    {
      name: 'DETACH PARTITION reads nothing',
      history: PARTITIONED,
      sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2024;',
    },
  ],
  invalid: [
    {
      name: 'range bound: CHECK NOT VALID, VALIDATE, ATTACH, DROP CONSTRAINT',
      history: DETACHED,
      sql: ATTACH_2026,
      findings: [
        { messageId: 'partition', line: 1, column: 1, severity: 'high', relation: 'measurements_2026' },
      ],
      fix: null,
      alternativeIncludes: [
        "ALTER TABLE measurements_2026 ADD CONSTRAINT measurements_2026_partition_bound CHECK (recorded_on >= '2026-01-01' AND recorded_on < '2027-01-01') NOT VALID;",
        'ALTER TABLE measurements_2026 VALIDATE CONSTRAINT measurements_2026_partition_bound;',
        `${ATTACH_2026.slice(0, -1)}; -- no scan of measurements_2026`,
        'ALTER TABLE measurements_2026 DROP CONSTRAINT measurements_2026_partition_bound;',
      ],
    },
    {
      name: 'PG 11: the parent is locked ACCESS EXCLUSIVE too',
      history: DETACHED,
      pg: 11,
      sql: ATTACH_2026,
      findings: [{ messageId: 'partition', line: 1, relation: 'measurements_2026' }],
    },
    {
      name: 'default partition is read too: a CHECK that excludes the new bound',
      history: WITH_DEFAULT,
      sql: ATTACH_2026,
      findings: [
        { messageId: 'partition', line: 1, relation: 'measurements_2026' },
        { messageId: 'defaultPartition', line: 1, relation: 'measurements_other' },
      ],
    },
    {
      name: 'CREATE TABLE ... PARTITION OF reads the default partition',
      history: WITH_DEFAULT,
      sql: "CREATE TABLE measurements_2027 PARTITION OF measurements FOR VALUES FROM ('2027-01-01') TO (MAXVALUE);",
      findings: [{ messageId: 'defaultPartition', line: 1, relation: 'measurements_other' }],
      alternativeIncludes: [
        "ALTER TABLE measurements_other ADD CONSTRAINT measurements_other_excludes_new_bound CHECK (recorded_on IS NULL OR recorded_on < '2027-01-01') NOT VALID;",
        'ALTER TABLE measurements_other VALIDATE CONSTRAINT measurements_other_excludes_new_bound;',
      ],
    },
    {
      name: 'bound proved, but the parent’s index is built on the partition',
      history: PROVED,
      sql: ATTACH_2026,
      findings: [{ messageId: 'partition', line: 1, relation: 'measurements_2026' }],
      alternativeIncludes: [
        'CREATE INDEX CONCURRENTLY measurements_2026_sensor_id_idx ON measurements_2026 (sensor_id); -- matches measurements_sensor_id_idx',
      ],
    },
    {
      name: 'list bound on a nullable key: NOT NULL first (the parent’s column is NOT NULL)',
      history: LISTS,
      sql: "ALTER TABLE tickets ATTACH PARTITION tickets_us FOR VALUES IN ('us', 'ca');",
      findings: [{ messageId: 'partition', line: 1, relation: 'tickets_us' }],
      alternativeIncludes: [
        'ALTER TABLE tickets_us ADD CONSTRAINT tickets_us_region_not_null CHECK (region IS NOT NULL) NOT VALID;',
        'ALTER TABLE tickets_us ALTER COLUMN region SET NOT NULL;',
        "ALTER TABLE tickets_us ADD CONSTRAINT tickets_us_partition_bound CHECK (region IN ('us', 'ca')) NOT VALID;",
        'ATTACH fails unless region is NOT NULL on tickets_us as on tickets',
      ],
    },
    {
      name: 'partition unknown to the history',
      history: PARTITIONED,
      sql: "ALTER TABLE measurements ATTACH PARTITION archive.measurements_2020 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');",
      findings: [{ messageId: 'partition', line: 1, relation: 'archive.measurements_2020' }],
      alternativeIncludes: [
        "ALTER TABLE archive.measurements_2020 ADD CONSTRAINT measurements_2020_partition_bound CHECK (recorded_on IS NOT NULL AND recorded_on >= '2020-01-01' AND recorded_on < '2021-01-01') NOT VALID;",
      ],
    },
  ],
});
