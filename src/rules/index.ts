/**
 * The rule registry: every rule, sorted by id. The id is the file name (test/rules/meta.test.ts
 * checks it, and that each rule has tests and a generated doc page).
 */
import addColumnRewrite from './add-column-rewrite';
import addNotNullColumnWithoutDefault from './add-not-null-column-without-default';
import alterColumnType from './alter-column-type';
import attachPartitionScan from './attach-partition-scan';
import backfillInMigration from './backfill-in-migration';
import concurrentlyInTransaction from './concurrently-in-transaction';
import constraintMissingNotValid from './constraint-missing-not-valid';
import createTableWithForeignKey from './create-table-with-foreign-key';
import droppingColumn from './dropping-column';
import droppingTable from './dropping-table';
import enumValueUsedInSameTransaction from './enum-value-used-in-same-transaction';
import invalidMigrationFile from './invalid-migration-file';
import lockTableStatement from './lock-table-statement';
import longLockInTransaction from './long-lock-in-transaction';
import preferBigintKeys from './prefer-bigint-keys';
import preferIdentity from './prefer-identity';
import preferJsonb from './prefer-jsonb';
import preferTextOverChar from './prefer-text-over-char';
import preferTimestamptz from './prefer-timestamptz';
import refreshMaterializedView from './refresh-materialized-view';
import reindexWithoutConcurrently from './reindex-without-concurrently';
import renamingColumn from './renaming-column';
import renamingTable from './renaming-table';
import requireConcurrentIndexCreation from './require-concurrent-index-creation';
import requireConcurrentIndexDeletion from './require-concurrent-index-deletion';
import requireLockTimeout from './require-lock-timeout';
import setLoggedOrUnlogged from './set-logged-or-unlogged';
import setNotNull from './set-not-null';
import suppression from './suppression';
import truncateTable from './truncate-table';
import uniqueConstraintWithoutIndex from './unique-constraint-without-index';
import unmodelledStatement from './unmodelled-statement';
import unsupportedOnVersion from './unsupported-on-version';
import vacuumFullOrCluster from './vacuum-full-or-cluster';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [
  addColumnRewrite,
  addNotNullColumnWithoutDefault,
  alterColumnType,
  attachPartitionScan,
  backfillInMigration,
  concurrentlyInTransaction,
  constraintMissingNotValid,
  createTableWithForeignKey,
  droppingColumn,
  droppingTable,
  enumValueUsedInSameTransaction,
  invalidMigrationFile,
  lockTableStatement,
  longLockInTransaction,
  preferBigintKeys,
  preferIdentity,
  preferJsonb,
  preferTextOverChar,
  preferTimestamptz,
  refreshMaterializedView,
  reindexWithoutConcurrently,
  renamingColumn,
  renamingTable,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireLockTimeout,
  setLoggedOrUnlogged,
  setNotNull,
  suppression,
  truncateTable,
  uniqueConstraintWithoutIndex,
  unmodelledStatement,
  unsupportedOnVersion,
  vacuumFullOrCluster,
] as readonly Rule[];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
