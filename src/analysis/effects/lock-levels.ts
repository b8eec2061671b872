/**
 * The lock levels PostgreSQL takes, in one place.
 *
 * `alterTableCommandLock` follows AlterTableGetLockLevel() in src/backend/commands/tablecmds.c:
 * one switch over the sub-command, grouped as PostgreSQL groups it, each group with the reason
 * PostgreSQL gives. `reloptionLock` follows the per-option lock levels of reloptions.c. The
 * statement-level table (`STATEMENT_LOCKS`) covers every other command. Every entry is checked
 * against real servers 11–18 by test/truth (pg_locks inside the open transaction).
 *
 * These functions decide locks from syntax only, as PostgreSQL does: AlterTableGetLockLevel runs
 * before the table is opened. Whether a statement rewrites or scans is decided elsewhere
 * (rewrite.ts), from the catalog, as PostgreSQL does in phase 3 of ALTER TABLE.
 */
import { LOCK_MODES, type LockMode } from '../locks';
import type { AnyNode } from '../ast';

export function strongest(modes: LockMode[]): LockMode | undefined {
  // PostgreSQL itself picks the numerically highest mode for a multi-command ALTER TABLE.
  let best: LockMode | undefined;
  for (const m of modes) if (!best || LOCK_MODES.indexOf(m) > LOCK_MODES.indexOf(best)) best = m;
  return best;
}

/** Lock mode of one ALTER TABLE sub-command (AlterTableCmd.subtype) on the altered table. */
export function alterTableCommandLock(cmd: AnyNode, pg: number): LockMode {
  switch (cmd.subtype as string) {
    // These rewrite the heap (or may), or are visible to SELECT: full lock.
    case 'AT_AddColumn':
    case 'AT_SetAccessMethod':
    case 'AT_SetTableSpace':
    case 'AT_AlterColumnType':
      return 'AccessExclusiveLock';

    // May add a TOAST table; adding one under a concurrent scan could lose rows.
    case 'AT_SetStorage':
      return 'AccessExclusiveLock';

    // Removing constraints can invalidate plans that relied on them.
    case 'AT_DropConstraint':
    case 'AT_DropNotNull':
      return 'AccessExclusiveLock';

    // Visible to concurrent SELECTs.
    case 'AT_DropColumn':
    case 'AT_AddColumnToView':
    case 'AT_DropOids':
    case 'AT_EnableAlwaysRule':
    case 'AT_EnableReplicaRule':
    case 'AT_EnableRule':
    case 'AT_DisableRule':
      return 'AccessExclusiveLock';

    // Changing the owner may remove implicit SELECT privileges.
    case 'AT_ChangeOwner':
      return 'AccessExclusiveLock';

    case 'AT_GenericOptions':
    case 'AT_AlterColumnGenericOptions':
      return 'AccessExclusiveLock';

    // Triggers affect write operations only.
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrig':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
      return 'ShareRowExclusiveLock';

    // "Affect write operations only" per PostgreSQL's comment, but kept at the full lock (XXX there).
    case 'AT_ColumnDefault':
    case 'AT_CookedColumnDefault':
    case 'AT_AlterConstraint':
    case 'AT_AddIndex':
    case 'AT_AddIndexConstraint':
    case 'AT_ReplicaIdentity':
    case 'AT_SetNotNull':
    case 'AT_EnableRowSecurity':
    case 'AT_DisableRowSecurity':
    case 'AT_ForceRowSecurity':
    case 'AT_NoForceRowSecurity':
    case 'AT_AddIdentity':
    case 'AT_DropIdentity':
    case 'AT_SetIdentity':
    case 'AT_DropExpression':
    case 'AT_SetCompression':
    case 'AT_SetExpression':
      return 'AccessExclusiveLock';

    case 'AT_AddConstraint':
      return addConstraintLock(cmd.def);

    // Inheritance and typed-table changes alter the row type seen by queries.
    case 'AT_AddInherit':
    case 'AT_DropInherit':
    case 'AT_AddOf':
    case 'AT_DropOf':
    case 'AT_ReplaceRelOptions':
      return 'AccessExclusiveLock';

    // Planner and maintenance strategy only: the minimum lock that still serialises catalog updates.
    case 'AT_SetStatistics':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
      return 'ShareUpdateExclusiveLock';

    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
      return 'AccessExclusiveLock';

    case 'AT_ValidateConstraint':
      return 'ShareUpdateExclusiveLock';

    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
      return reloptionsLock(cmd.def);

    // PG 12 lowered ATTACH PARTITION on the parent to SHARE UPDATE EXCLUSIVE (commit 898e5e32).
    case 'AT_AttachPartition':
      return pg >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';

    case 'AT_DetachPartition':
      return cmd.def?.PartitionCmd?.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';

    case 'AT_DetachPartitionFinalize':
      return 'ShareUpdateExclusiveLock';

    default:
      // An unknown sub-command is not given a weaker lock than any known one.
      return 'AccessExclusiveLock';
  }
}

function addConstraintLock(def: AnyNode): LockMode {
  switch (def?.Constraint?.contype) {
    // Adding triggers to both tables: at least as strong as CREATE TRIGGER.
    case 'CONSTR_FOREIGN':
      return 'ShareRowExclusiveLock';
    // Essentially CREATE INDEX, kept at the full lock ("XXX might be set down").
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
    case 'CONSTR_EXCLUSION':
    default:
      return 'AccessExclusiveLock';
  }
}

/**
 * Lock level of SET/RESET (storage parameters): the strongest level among the options named,
 * per the `lockmode` of each option in reloptions.c. Unknown options take the full lock.
 */
export function reloptionsLock(defs: AnyNode): LockMode {
  const levels: LockMode[] = [];
  const list: AnyNode[] = Array.isArray(defs) ? defs : (defs?.List?.items ?? []);
  for (const d of list) {
    const name = String(d?.DefElem?.defname ?? '').toLowerCase();
    const ns = d?.DefElem?.defnamespace ? String(d.DefElem.defnamespace).toLowerCase() : '';
    levels.push(
      RELOPTION_LOCKS[ns ? `${ns}.${name}` : name] ?? RELOPTION_LOCKS[name] ?? 'AccessExclusiveLock',
    );
  }
  return strongest(levels) ?? 'AccessExclusiveLock';
}

const SUE: LockMode = 'ShareUpdateExclusiveLock';
const AEL: LockMode = 'AccessExclusiveLock';

/** reloptions.c: options that only steer maintenance or planning take SHARE UPDATE EXCLUSIVE. */
const RELOPTION_LOCKS: Record<string, LockMode> = {
  fillfactor: SUE,
  autovacuum_enabled: SUE,
  autovacuum_vacuum_threshold: SUE,
  autovacuum_vacuum_insert_threshold: SUE,
  autovacuum_analyze_threshold: SUE,
  autovacuum_vacuum_scale_factor: SUE,
  autovacuum_vacuum_insert_scale_factor: SUE,
  autovacuum_analyze_scale_factor: SUE,
  autovacuum_vacuum_cost_delay: SUE,
  autovacuum_vacuum_cost_limit: SUE,
  autovacuum_freeze_min_age: SUE,
  autovacuum_freeze_max_age: SUE,
  autovacuum_freeze_table_age: SUE,
  autovacuum_multixact_freeze_min_age: SUE,
  autovacuum_multixact_freeze_max_age: SUE,
  autovacuum_multixact_freeze_table_age: SUE,
  autovacuum_vacuum_max_threshold: SUE,
  log_autovacuum_min_duration: SUE,
  toast_tuple_target: SUE,
  parallel_workers: SUE,
  vacuum_index_cleanup: SUE,
  vacuum_truncate: SUE,
  vacuum_max_eager_freeze_failure_rate: SUE,
  'toast.autovacuum_enabled': SUE,
  'toast.vacuum_truncate': SUE,
  'toast.vacuum_index_cleanup': SUE,
  user_catalog_table: AEL,
  security_barrier: AEL,
  security_invoker: AEL,
  check_option: AEL,
  // index options
  fastupdate: SUE,
  gin_pending_list_limit: SUE,
  pages_per_range: SUE,
  autosummarize: SUE,
  buffering: SUE,
  deduplicate_items: SUE,
};
