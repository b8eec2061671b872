/**
 * Static checks of the truth-case catalogue (no server): ids, counts, and that every setup and statement
 * parses, the statement as exactly one statement.
 */
import { loadModule, parseSync } from 'libpg-query';
import { TRUTH_CASES, TRUTH_CASE_GROUPS } from './cases';

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIRST_MAJOR = 11;
const LAST_MAJOR = 18;

/**
 * Statements setup must not contain: setup runs as one multi-statement query, i.e. in an implicit
 * transaction block, so anything refused there would fail it, and transaction control would change how
 * the rest of the script runs.
 */
function transactionHostile(stmt: Record<string, unknown>): string | undefined {
  const [kind] = Object.keys(stmt);
  const node = stmt[kind] as Record<string, unknown>;
  if (kind === 'TransactionStmt' || kind === 'VacuumStmt') return kind;
  if (kind === 'IndexStmt' && node.concurrent) return 'CREATE INDEX CONCURRENTLY';
  if (kind === 'DropStmt' && node.concurrent) return 'DROP ... CONCURRENTLY';
  if (kind === 'ReindexStmt' || kind === 'CreatedbStmt' || kind === 'DropdbStmt') return kind;
  return undefined;
}

beforeAll(async () => {
  await loadModule();
});

test('there are at least 150 cases', () => {
  expect(TRUTH_CASES.length).toBeGreaterThanOrEqual(150);
});

test('ids are unique and kebab-case', () => {
  const ids = TRUTH_CASES.map((c) => c.id);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  expect(ids.filter((id) => !KEBAB_CASE.test(id))).toEqual([]);
});

test('every group has cases and TRUTH_CASES is exactly the groups', () => {
  for (const cases of Object.values(TRUTH_CASE_GROUPS)) expect(cases.length).toBeGreaterThan(0);
  expect(TRUTH_CASES).toEqual(Object.values(TRUTH_CASE_GROUPS).flat());
});

describe.each(TRUTH_CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  test('has a one-line title, a setup and a statement', () => {
    expect(c.title.trim()).not.toBe('');
    expect(c.title).not.toContain('\n');
    expect(c.setup.trim()).not.toBe('');
    expect(c.sql.trim()).not.toBe('');
    expect(c.sql.trim().endsWith(';')).toBe(false);
  });

  test('version bounds are within 11..18', () => {
    const min = c.minMajor ?? FIRST_MAJOR;
    const max = c.maxMajor ?? LAST_MAJOR;
    expect(min).toBeGreaterThanOrEqual(FIRST_MAJOR);
    expect(max).toBeLessThanOrEqual(LAST_MAJOR);
    expect(min).toBeLessThanOrEqual(max);
  });

  test('sql parses as exactly one statement', () => {
    expect(parseSync(c.sql).stmts ?? []).toHaveLength(1);
  });

  test('setup parses and runs in one implicit transaction', () => {
    const stmts = parseSync(c.setup).stmts ?? [];
    expect(stmts.length).toBeGreaterThan(0);
    const hostile = stmts.map((s) => transactionHostile(s.stmt as Record<string, unknown>)).filter(Boolean);
    expect(hostile).toEqual([]);
  });
});
