/**
 * The rule registry: every rule, sorted by id. The id is the file name (test/rules/meta.test.ts
 * checks it, and that each rule has tests and a doc page).
 */
import concurrentlyInTransaction from './concurrently-in-transaction';
import constraintMissingNotValid from './constraint-missing-not-valid';
import invalidMigrationFile from './invalid-migration-file';
import longLockInTransaction from './long-lock-in-transaction';
import requireConcurrentIndexCreation from './require-concurrent-index-creation';
import requireLockTimeout from './require-lock-timeout';
import suppression from './suppression';
import unsupportedOnVersion from './unsupported-on-version';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [
  concurrentlyInTransaction,
  constraintMissingNotValid,
  invalidMigrationFile,
  longLockInTransaction,
  requireConcurrentIndexCreation,
  requireLockTimeout,
  suppression,
  unsupportedOnVersion,
].sort((a, b) => a.id.localeCompare(b.id)) as readonly Rule[];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
