/**
 * The transaction model: which statements share a transaction, what the migration tool adds, and
 * whether lock_timeout is in effect. Plus: the syntax-only "refuses a transaction block" check
 * agrees with the effect model (which the truth tests prove) on every truth case.
 */
import { analyze } from '../src/analysis/analyze';
import { refusesTransactionBlock, statementEffects } from '../src/analysis/effects/statement';
import { loadParser, parseFile } from '../src/analysis/parse';
import { replayHistory } from '../src/analysis/analyze';
import type { WrapMode } from '../src/analysis/transactions';
import { TRUTH_CASES } from './truth/cases';

const wrapped: WrapMode = { wrapped: true, reason: 'tool' };
const implicit: WrapMode = { wrapped: true, implicit: true, reason: 'script' };

async function tx(sql: string, mode?: WrapMode) {
  const r = await analyze([{ path: 'm.sql', content: sql }], {
    pgVersion: 17,
    transactionMode: mode ? () => mode : undefined,
  });
  return r.files[0].statements.map((s) => ({
    line: s.line,
    in: s.transaction.inTransaction,
    group: s.transaction.group,
    tool: s.transaction.wrappedByTool,
    timeout: s.transaction.lockTimeout,
  }));
}

describe('transaction model', () => {
  test('plain file: autocommit statements, explicit BEGIN ... COMMIT groups', async () => {
    expect(await tx('SELECT 1;\nBEGIN;\nSELECT 2;\nSELECT 3;\nCOMMIT;\nSELECT 4;')).toEqual([
      { line: 1, in: false, group: undefined, tool: false, timeout: false },
      { line: 2, in: true, group: 1, tool: false, timeout: false },
      { line: 3, in: true, group: 1, tool: false, timeout: false },
      { line: 4, in: true, group: 1, tool: false, timeout: false },
      { line: 5, in: true, group: 1, tool: false, timeout: false },
      { line: 6, in: false, group: undefined, tool: false, timeout: false },
    ]);
  });

  test('tool transaction covers the file; a COMMIT inside ends it', async () => {
    const r = await tx('SELECT 1;\nSELECT 2;\nCOMMIT;\nSELECT 3;', wrapped);
    expect(r.map((s) => [s.in, s.group, s.tool])).toEqual([
      [true, 1, true],
      [true, 1, true],
      [true, 1, true],
      [false, undefined, false],
    ]);
  });

  test('BEGIN inside the tool transaction continues the same transaction', async () => {
    const r = await tx('BEGIN;\nSELECT 1;\nCOMMIT;', wrapped);
    expect(r.map((s) => s.group)).toEqual([1, 1, 1]);
  });

  test('implicit transaction of a multi-statement script; a single statement runs alone', async () => {
    expect((await tx('SELECT 1;\nSELECT 2;', implicit)).map((s) => s.in)).toEqual([true, true]);
    expect((await tx('SELECT 1;', implicit)).map((s) => s.in)).toEqual([false]);
  });

  test('lock_timeout: session SET, SET LOCAL until COMMIT, 0 and RESET turn it off', async () => {
    const r = await tx(
      "SET lock_timeout = '2s';\nSELECT 1;\nSET lock_timeout = 0;\nSELECT 2;\nBEGIN;\nSET LOCAL lock_timeout = 100;\nSELECT 3;\nCOMMIT;\nSELECT 4;\nSET lock_timeout TO '1min';\nRESET lock_timeout;\nSELECT 5;",
    );
    expect(r.filter((_, i) => [1, 3, 6, 8, 11].includes(i)).map((s) => s.timeout)).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });
});

describe('refusesTransactionBlock agrees with the effect model', () => {
  beforeAll(() => loadParser());
  const majors = [11, 12, 14, 17, 18];
  test.each(majors)('on every truth case for PG %i', (pg) => {
    const disagreements: string[] = [];
    for (const c of TRUTH_CASES.filter((x) => (x.minMajor ?? 11) <= pg && pg <= (x.maxMajor ?? 18))) {
      const catalog = replayHistory({
        pgVersion: pg,
        history: [{ path: 's', content: c.setup }],
        historyIsComplete: true,
      });
      const [s] = parseFile({ path: 'c', content: c.sql }).statements;
      const effects = statementEffects(s.node, catalog, { pg });
      // The effect model may refuse a statement because of the catalog (REINDEX of a partitioned table).
      const catalogDependent = /REINDEX (TABLE|INDEX)/i.test(c.sql) && /measurements/.test(c.sql);
      if (
        !effects.failsOnVersion &&
        !catalogDependent &&
        refusesTransactionBlock(s.node, pg) === effects.transaction.allowedInTransactionBlock
      ) {
        disagreements.push(c.id);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
