/**
 * One truth case: a known schema state (`setup`) and exactly one statement under test (`sql`). The truth
 * harness runs `setup` in autocommit on a fresh database, then the statement inside an open transaction,
 * and records what the server did; the static model is judged against that. No expectations live here.
 */
export interface TruthCase {
  /** Unique, kebab-case, grouped by prefix: 'add-column-volatile-default', 'alter-type-varchar-widen', ... */
  id: string;
  /** What the case shows, one line. */
  title: string;
  /** SQL run first in autocommit: creates the schema state and inserts a few rows. */
  setup: string;
  /** Exactly one statement under test (no trailing semicolon). */
  sql: string;
  /** Only run on servers >= this major (only when the statement cannot even be tried meaningfully). */
  minMajor?: number;
  /** Only run on servers <= this major. */
  maxMajor?: number;
}
