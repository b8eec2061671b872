/**
 * PostgreSQL's table-level lock modes and their conflict table.
 *
 * Source: src/include/storage/lockdefs.h (the eight modes) and LockConflicts[] in
 * src/backend/storage/lmgr/lock.c, which *defines* what each mode blocks. The documentation's
 * "Conflicting Lock Modes" table (explicit-locking.html, Table 13.2) says the same.
 *
 * Mode numbers are not a strength order: SHARE blocks writes while SHARE UPDATE EXCLUSIVE does
 * not, and SHARE UPDATE EXCLUSIVE conflicts with itself while SHARE does not. Everything that
 * asks "what does this block" is derived from the conflict table below, never from an ordering.
 */

export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

const MODE_INDEX = Object.fromEntries(LOCK_MODES.map((m, i) => [m, i])) as Record<LockMode, number>;

/** The SQL spelling used by LOCK TABLE and the documentation ("ACCESS EXCLUSIVE"). */
export const LOCK_MODE_SQL: Record<LockMode, string> = {
  AccessShareLock: 'ACCESS SHARE',
  RowShareLock: 'ROW SHARE',
  RowExclusiveLock: 'ROW EXCLUSIVE',
  ShareUpdateExclusiveLock: 'SHARE UPDATE EXCLUSIVE',
  ShareLock: 'SHARE',
  ShareRowExclusiveLock: 'SHARE ROW EXCLUSIVE',
  ExclusiveLock: 'EXCLUSIVE',
  AccessExclusiveLock: 'ACCESS EXCLUSIVE',
};

/** LockConflicts[] from lock.c, one row per mode. Symmetric by construction. */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  AccessShareLock: ['AccessExclusiveLock'],
  RowShareLock: ['ExclusiveLock', 'AccessExclusiveLock'],
  RowExclusiveLock: ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareUpdateExclusiveLock: [
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  ShareLock: [
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  ShareRowExclusiveLock: [
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  ExclusiveLock: [
    'RowShareLock',
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  AccessExclusiveLock: [...LOCK_MODES],
};

export function isLockMode(value: string): value is LockMode {
  return (LOCK_MODES as readonly string[]).includes(value);
}

export function conflictsWith(held: LockMode, requested: LockMode): boolean {
  return CONFLICTS[held].includes(requested);
}

export function conflictingModes(mode: LockMode): readonly LockMode[] {
  return CONFLICTS[mode];
}

/**
 * What ordinary work a held lock blocks, named the way an operator thinks about it.
 * SELECT takes AccessShareLock; SELECT ... FOR UPDATE/SHARE takes RowShareLock;
 * INSERT/UPDATE/DELETE/MERGE take RowExclusiveLock; VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY
 * and most cheap DDL take ShareUpdateExclusiveLock.
 */
export interface Blocked {
  reads: boolean;
  writes: boolean;
  /** SELECT ... FOR UPDATE / FOR SHARE */
  lockingReads: boolean;
  /** VACUUM (incl. autovacuum), ANALYZE, CREATE INDEX CONCURRENTLY and other DDL */
  maintenance: boolean;
  /** every other lock mode: DDL of any kind */
  ddl: boolean;
}

export function blockedBy(mode: LockMode): Blocked {
  return {
    reads: conflictsWith(mode, 'AccessShareLock'),
    lockingReads: conflictsWith(mode, 'RowShareLock'),
    writes: conflictsWith(mode, 'RowExclusiveLock'),
    maintenance: conflictsWith(mode, 'ShareUpdateExclusiveLock'),
    ddl: CONFLICTS[mode].length > 0,
  };
}

/** A short phrase: "blocks reads and writes", "blocks writes", "blocks other DDL only". */
export function describeBlocking(mode: LockMode): string {
  const b = blockedBy(mode);
  if (b.reads) return 'blocks reads and writes';
  if (b.writes) return 'blocks writes (reads continue)';
  if (b.lockingReads) return 'blocks SELECT ... FOR UPDATE/SHARE and writes';
  if (b.maintenance) return 'blocks other DDL, VACUUM and ANALYZE (reads and writes continue)';
  return 'blocks only ACCESS EXCLUSIVE DDL (reads and writes continue)';
}

/**
 * `a` is covered by `b` when everything `a` conflicts with, `b` conflicts with too: holding `b`
 * as well makes `a` irrelevant for what the statement blocks.
 */
export function isCoveredBy(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].every((m) => CONFLICTS[b].includes(m));
}

/**
 * Reduce a set of modes held on one relation to the ones that matter: drop every mode covered by
 * another held mode. The result is what the relation is blocked by, independent of incidental
 * weaker locks taken on the way (e.g. AccessShareLock taken while planning).
 */
export function effectiveModes(modes: Iterable<LockMode>): LockMode[] {
  const unique = [...new Set(modes)];
  const kept = unique.filter(
    (m) => !unique.some((other) => other !== m && isCoveredBy(m, other) && !isCoveredBy(other, m)),
  );
  return kept.sort((x, y) => LOCK_MODES.indexOf(x) - LOCK_MODES.indexOf(y));
}

/**
 * A set of held modes as bits (bit i stands for LOCK_MODES[i]): how the effect model accumulates the
 * modes taken on one relation without allocating a Set per relation.
 */
export type LockModeBits = number;

export function lockModeBit(mode: LockMode): LockModeBits {
  return 1 << MODE_INDEX[mode];
}

const effectiveByBits: (readonly LockMode[] | undefined)[] = [];

/** `effectiveModes` of a bit set; there are only 256 sets, so each is computed once. */
export function effectiveModesOfBits(bits: LockModeBits): readonly LockMode[] {
  let modes = effectiveByBits[bits];
  if (!modes) {
    modes = effectiveModes(LOCK_MODES.filter((_m, i) => bits & (1 << i)));
    effectiveByBits[bits] = modes;
  }
  return modes;
}
