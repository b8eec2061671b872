/**
 * The catalogue of truth cases: one statement each, in a known schema state, with no expectations. The
 * harness (observe.ts) runs every case on real PostgreSQL 11..18 and compares what the server did with
 * what the static model predicts. Cases live by area under ./cases/.
 */
import { ALTER_TYPE_CASES } from './cases/alter-type';
import type { TruthCase } from './cases/case';
import { ADD_COLUMN_CASES, ALTER_COLUMN_CASES, DROP_COLUMN_CASES } from './cases/columns';
import { CONSTRAINT_CASES } from './cases/constraints';
import { DATA_CASES, FUNCTION_SESSION_CASES } from './cases/data-functions';
import { INDEX_CASES } from './cases/indexes';
import { LOCK_CASES, MAINTENANCE_CASES, TRUNCATE_CASES } from './cases/maintenance';
import { PARTITION_CASES } from './cases/partitions';
import { REGRESSION_CASES } from './cases/regressions';
import { ALTER_TABLE_CASES, CREATE_DROP_TABLE_CASES } from './cases/tables';
import { COMMENT_GRANT_RULE_CASES, POLICY_CASES, TRIGGER_CASES } from './cases/triggers-security';
import { SEQUENCE_CASES, TYPE_CASES, VIEW_CASES } from './cases/views-sequences-types';

export type { TruthCase } from './cases/case';

/** The groups, by area, in catalogue order. */
export const TRUTH_CASE_GROUPS: Readonly<Record<string, readonly TruthCase[]>> = {
  'add column': ADD_COLUMN_CASES,
  'drop column': DROP_COLUMN_CASES,
  'alter column': ALTER_COLUMN_CASES,
  'alter column type': ALTER_TYPE_CASES,
  constraints: CONSTRAINT_CASES,
  'alter table': ALTER_TABLE_CASES,
  'create and drop table': CREATE_DROP_TABLE_CASES,
  partitions: PARTITION_CASES,
  indexes: INDEX_CASES,
  maintenance: MAINTENANCE_CASES,
  truncate: TRUNCATE_CASES,
  'lock table': LOCK_CASES,
  triggers: TRIGGER_CASES,
  policies: POLICY_CASES,
  'comments, grants, rules, statistics': COMMENT_GRANT_RULE_CASES,
  views: VIEW_CASES,
  sequences: SEQUENCE_CASES,
  types: TYPE_CASES,
  data: DATA_CASES,
  'functions, schemas, session': FUNCTION_SESSION_CASES,
  regressions: REGRESSION_CASES,
};

export const TRUTH_CASES: TruthCase[] = Object.values(TRUTH_CASE_GROUPS).flat();
