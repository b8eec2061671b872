import { check } from '../../src/check/engine';
import { DEFAULT_CONFIG } from '../../src/config';
import { RULES } from '../../src/rules';
import { SHOP } from './schema';

// Suppressions are applied by the engine after all rules: tested through `check`.
describe('suppression', () => {
  const run = (sql: string) =>
    check([{ path: 'migrations/0002.sql', content: sql }], {
      config: { ...DEFAULT_CONFIG, requireLockTimeout: false },
      history: [{ path: 'migrations/0001.sql', content: SHOP }],
      rules: RULES,
    });
  const ids = (r: Awaited<ReturnType<typeof run>>) =>
    r.findings.map((f) => `${f.line} ${f.ruleId}/${f.messageId}`);

  test('a suppression with a reason above the statement silences it, and is recorded', async () => {
    const r = await run(
      '-- migration-guard:ignore require-concurrent-index-creation orders has 300 rows in production\nCREATE INDEX orders_status_idx ON orders (status);',
    );
    expect(ids(r)).toEqual([]);
    expect(r.suppressed.map((f) => [f.ruleId, f.suppressed?.reason])).toEqual([
      ['require-concurrent-index-creation', 'orders has 300 rows in production'],
    ]);
  });

  test('trailing on the same line works too', async () => {
    const r = await run(
      'CREATE INDEX orders_status_idx ON orders (status); -- migration-guard:ignore require-concurrent-index-creation tiny table',
    );
    expect(ids(r)).toEqual([]);
  });

  test('without a reason: suppresses, but warns', async () => {
    const r = await run(
      '-- migration-guard:ignore require-concurrent-index-creation\nCREATE INDEX orders_status_idx ON orders (status);',
    );
    expect(ids(r)).toEqual(['1 suppression/missingReason']);
  });

  test('unused and unknown suppressions are reported', async () => {
    const r = await run(
      '-- migration-guard:ignore require-concurent-index-creation typo\nSELECT 1;\n-- migration-guard:ignore constraint-missing-not-valid stale\nSELECT 2;',
    );
    expect(ids(r)).toEqual(['1 suppression/unknownRule', '3 suppression/unused']);
  });

  test('file-level suppression', async () => {
    const r = await run(
      '-- migration-guard:ignore-file require-concurrent-index-creation one-off on empty staging tables\nCREATE INDEX a_idx ON orders (status);\nCREATE INDEX b_idx ON orders (total);',
    );
    expect(ids(r)).toEqual([]);
    expect(r.suppressed).toHaveLength(2);
  });

  test('a suppression only covers its own statement', async () => {
    const r = await run(
      '-- migration-guard:ignore require-concurrent-index-creation reviewed\nCREATE INDEX a_idx ON orders (status);\nCREATE INDEX b_idx ON orders (total);',
    );
    expect(ids(r)).toEqual(['3 require-concurrent-index-creation/blocking']);
  });
});
