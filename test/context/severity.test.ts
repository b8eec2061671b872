/**
 * Severity from production context: the same statement is info on a small table and high on a large
 * or hot one or when its lock is held long; sizes unknown without statistics. The estimator here is
 * a stand-in with round figures (seconds = table MB / 100 per unit of work), so the policy is tested
 * apart from the throughput model (tested in estimate tests).
 */
import { check } from '../../src/check/engine';
import type { Finding } from '../../src/check/finding';
import { DEFAULT_CONFIG, type Config } from '../../src/config';
import { productionContext, type Estimator } from '../../src/context/production';
import { describeContext } from '../../src/context/severity';
import type { TableStats } from '../../src/context/types';

const MB = 1024 ** 2;

function table(totalMB: number, writesPerSecond = 0, rows = totalMB * 10_000): TableStats {
  return {
    kind: 'table',
    rows,
    heapBytes: totalMB * MB * 0.8,
    toastBytes: 0,
    indexBytes: totalMB * MB * 0.2,
    totalBytes: totalMB * MB,
    indexes: [],
    rates: { writesPerSecond, scansPerSecond: 0, windowSeconds: 3600, source: 'between-snapshots' },
  };
}

const stats: Record<string, TableStats> = {
  'public.tiny': table(1),
  'public.medium': table(100),
  'public.big': table(5000),
  'public.busy': table(100, 900),
};

/** Round figures: each table worked on costs (MB / 100) s, ±50 %; WAL = its size for rewrites. */
const estimator: Estimator = (effects, lookup) => {
  const work = [...new Set([...effects.rewrites, ...effects.scans])];
  if (!work.length) return undefined;
  let seconds = 0;
  let walBytes = 0;
  for (const r of work) {
    const t = lookup(r);
    if (!t) continue;
    seconds += t.totalBytes / MB / 100;
    if (effects.rewrites.includes(r)) walBytes += t.totalBytes;
  }
  return { seconds, low: seconds / 2, high: seconds * 1.5, walBytes, basis: [], unknown: [] };
};

const lookup = (name: string) => stats[name.includes('.') ? name : `public.${name}`];
const HISTORY = ['tiny', 'medium', 'big', 'busy']
  .map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, total int, note text);`)
  .join('\n');

async function run(sql: string, options: { withStats?: boolean; config?: Partial<Config> } = {}) {
  const config = { ...structuredClone(DEFAULT_CONFIG), ...options.config } as Config;
  const production =
    options.withStats === false
      ? undefined
      : productionContext({ lookup, takenAt: '2026-11-20T10:00:00Z' }, config.calibration, estimator);
  const r = await check([{ path: 'db/migrations/0002.sql', content: sql }], {
    config,
    history: [{ path: 'db/migrations/0001.sql', content: HISTORY }],
    production,
  });
  return r.findings;
}

const byRule = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

describe('the same statement, by table', () => {
  const rewrite = (t: string) => `SET lock_timeout = '2s';\nALTER TABLE ${t} ALTER COLUMN total TYPE bigint;`;

  test('small table: info, and the finding says why', async () => {
    const [f] = byRule(await run(rewrite('tiny')), 'alter-column-type');
    expect(f.severity).toBe('info');
    expect(f.severityReasons).toEqual(['tiny is small (1 MB, 10,000 rows)']);
    expect(f.context).toMatchObject({ relation: 'tiny', size: 'small', rows: 10_000, hot: false });
  });

  test('large table: high, with the estimate of the lock', async () => {
    const [f] = byRule(await run(rewrite('big')), 'alter-column-type');
    expect(f.severity).toBe('high');
    expect(f.context?.size).toBe('large');
    expect(f.context?.lockHeld).toEqual({ seconds: 50, low: 25, high: 75, untilCommit: false });
    expect(describeContext(f.context!)).toBe(
      'big: 50 M rows, 4.88 GB; lock held ~25–75 s (estimated); writes ~4.88 GB of WAL: large, replicas may lag behind',
    );
  });

  test('medium table with a brief estimated lock: a high becomes a warning', async () => {
    const [f] = byRule(await run(rewrite('medium')), 'alter-column-type');
    expect(f.severity).toBe('warning');
    expect(f.severityReasons[0]).toMatch(
      /^medium is 100 MB, 1 M rows: the lock is estimated to be held 500 ms – 1.5 s, under 5 s$/,
    );
  });

  test('hot table: a warning becomes high', async () => {
    const [f] = byRule(
      await run('ALTER TABLE busy RENAME CONSTRAINT busy_pkey TO busy_pk;'),
      'require-lock-timeout',
    );
    expect(f.severity).toBe('high');
    expect(f.severityReasons).toEqual(['busy is hot (~900 writes/s)']);
  });

  test('the lock is held until COMMIT: later work in the transaction counts', async () => {
    const sql = [
      "SET lock_timeout = '2s';",
      'BEGIN;',
      'ALTER TABLE medium ALTER COLUMN total TYPE bigint;',
      'ALTER TABLE big ADD CONSTRAINT positive CHECK (total > 0);',
      'COMMIT;',
    ].join('\n');
    const [f] = byRule(await run(sql), 'alter-column-type');
    expect(f.context?.lockHeld).toEqual({ seconds: 51, low: 25.5, high: 76.5, untilCommit: true });
    // Alone, the medium table's rewrite would be a warning (see above); the transaction makes it high.
    expect(f.severity).toBe('high');
    expect(f.severityReasons).toEqual([]);
  });

  test('a lock taken earlier in the transaction is held from there: its work counts too', async () => {
    const sql = [
      "SET lock_timeout = '2s';",
      'BEGIN;',
      'ALTER TABLE big ALTER COLUMN total TYPE bigint;',
      'CREATE INDEX big_note_idx ON big (note);',
      'COMMIT;',
    ].join('\n');
    const [f] = byRule(await run(sql), 'require-concurrent-index-creation');
    expect(f.line).toBe(4);
    expect(f.context?.lockHeld).toEqual({ seconds: 100, low: 50, high: 150, untilCommit: true });
  });

  test('without statistics the rule’s severity stands and the size is unknown', async () => {
    const [f] = byRule(await run(rewrite('big'), { withStats: false }), 'alter-column-type');
    expect(f.severity).toBe('high');
    expect(f.severityReasons).toEqual([]);
    expect(f.context?.size).toBe('unknown');
    expect(describeContext(f.context!)).toBe(
      'size of big unknown: no statistics snapshot (see migration-guard stats)',
    );
  });

  test('a table missing from the snapshot is said so', async () => {
    const sql =
      "SET lock_timeout = '2s';\nCREATE TABLE other (id int);\nALTER TABLE orders ALTER COLUMN total TYPE bigint;";
    const [f] = byRule(await run(sql), 'alter-column-type');
    expect(f.context?.sizeUnknown).toBe('orders is not in the statistics snapshot: size unknown');
    expect(f.severity).toBe('high');
  });

  test('configuration wins over measurement', async () => {
    const [f] = byRule(
      await run(rewrite('big'), { config: { tables: { big: { size: 'small' } } } }),
      'alter-column-type',
    );
    expect(f.severity).toBe('high'); // still a long lock: 25–75 s estimated
    const [g] = byRule(
      await run(rewrite('tiny'), { config: { tables: { tiny: { hot: true } } } }),
      'alter-column-type',
    );
    expect(g.severity).toBe('high');
    expect(g.severityReasons).toEqual([]);
    expect(g.context).toMatchObject({ hot: true, hotConfigured: true });
  });

  test('rules whose harm does not grow with the table are left alone', async () => {
    const findings = await run('ALTER TABLE tiny RENAME COLUMN note TO remark;');
    const [f] = byRule(findings, 'renaming-column');
    expect(f.severity).toBe('warning');
    expect(f.context).toBeUndefined();
  });

  test('tables created in the change get no context', async () => {
    const sql = 'CREATE TABLE fresh (id int, total int);\nALTER TABLE fresh ALTER COLUMN total TYPE bigint;';
    expect(byRule(await run(sql), 'alter-column-type')).toEqual([]);
  });
});
