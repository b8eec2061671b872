/**
 * Benchmark: estimated against measured lock-holding durations and WAL, on a real PostgreSQL server.
 *
 * A throwaway server (test/truth/cluster.ts, PostgreSQL 17 unless PG_MAJOR says otherwise) runs with
 * production-like durability settings (fsync, full_page_writes and synchronous_commit on, default
 * shared_buffers, parallel maintenance workers and JIT: PRODUCTION_LIKE_SETTINGS). Then:
 *
 *  1. `calibrate` measures throughput on its own scratch table (its default 500,000 rows), apart from
 *     the benchmark tables;
 *  2. `orders` (BENCH_ROWS rows, default 2,000,000, ~125 bytes each; primary key and two indexes) and
 *     `customers` (a tenth of the rows; primary key) are filled and vacuumed;
 *  3. for each operation the model's effects come from `analyze` (the schema as history), the
 *     statistics from direct size queries (pg_relation_size, pg_indexes_size, reltuples), and the
 *     estimate from `estimateStatement` with the calibrated and with the default throughput; the
 *     statement is then run and timed (wall clock around the query, after a CHECKPOINT), its WAL read
 *     from pg_current_wal_insert_lsn(). Each operation runs RUNS times (default 3) from the same
 *     state; reported: medians.
 *
 * Operations: a rewrite (ALTER COLUMN TYPE int ↔ bigint, alternating, the three indexes rebuilt), a
 * new index on an integer column, a new index on a 64-character text column (outside the model's
 * calibration: text keys sort slower), a CHECK validation and a FOREIGN KEY validation.
 *
 * Run:  npx tsx bench/estimate-vs-measured.ts [--append]   (about 3–4 minutes on a 2-core VM)
 *       --append adds the results as a dated section at the end of bench/RESULTS.md.
 *       Env: BENCH_ROWS (≥ 1,000,000 for the issue's measurement), RUNS, PG_MAJOR.
 * Not part of `npm test`.
 */
import { execSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import { analyze } from '../src/analysis/analyze';
import type { StatementEffects } from '../src/analysis/types';
import { DEFAULT_THROUGHPUT } from '../src/config';
import { calibrate, median, type Session } from '../src/context/calibrate';
import { estimateStatement } from '../src/context/estimate';
import type { TableStats, Throughput } from '../src/context/types';
import { formatBytes, formatCount, formatSeconds } from '../src/context/units';
import { PRODUCTION_LIKE_SETTINGS, startServer } from '../test/truth/cluster';

const ROWS = Number(process.env.BENCH_ROWS ?? 2_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const MAJOR = Number(process.env.PG_MAJOR ?? 17);
const APPEND = process.argv.includes('--append');

const SCHEMA = `
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  amount integer NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  note text
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_created_idx ON orders (created_at);
`;

const FILL = `
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1::bigint, $1::bigint / 10) g;
INSERT INTO orders
SELECT g, 1 + (g * 7919) % ($1::bigint / 10), (g * 104729) % 1000000,
  (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + g % 4],
  timestamptz '2024-01-01 00:00:00+00' + g * interval '17 seconds',
  md5(g::text) || md5((g * 31)::text)
FROM generate_series(1::bigint, $1::bigint) g;
`;

interface Operation {
  name: string;
  /** The statement of run `i` (a rewrite alternates its target type). */
  sql: (i: number) => string;
  /** Untimed, before each run (e.g. ADD CONSTRAINT ... NOT VALID). */
  before?: string;
  /** Untimed, after each run: back to the state the next run starts from. */
  after: string;
  /** Migrations already applied before run `i` (the model must know the column's current type). */
  history?: (i: number) => string;
  /** Within the calibrated model (the target applies) or shown for information. */
  modelled: boolean;
}

const OPERATIONS: Operation[] = [
  {
    name: 'rewrite: ALTER COLUMN amount TYPE bigint (3 indexes rebuilt)',
    sql: (i) => `ALTER TABLE orders ALTER COLUMN amount TYPE ${i % 2 === 0 ? 'bigint' : 'integer'}`,
    history: (i) => (i % 2 === 0 ? '' : 'ALTER TABLE orders ALTER COLUMN amount TYPE bigint;'),
    after: 'VACUUM (ANALYZE) orders',
    modelled: true,
  },
  {
    name: 'index build: CREATE INDEX ON orders (amount)',
    sql: () => 'CREATE INDEX orders_amount_idx ON orders (amount)',
    after: 'DROP INDEX orders_amount_idx',
    modelled: true,
  },
  {
    name: 'index build, text key: CREATE INDEX ON orders (note)',
    sql: () => 'CREATE INDEX orders_note_idx ON orders (note)',
    after: 'DROP INDEX orders_note_idx',
    modelled: false,
  },
  {
    name: 'validation: VALIDATE CONSTRAINT (CHECK)',
    before: 'ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount >= 0) NOT VALID',
    sql: () => 'ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_check',
    after: 'ALTER TABLE orders DROP CONSTRAINT orders_amount_check',
    modelled: true,
  },
  {
    name: 'validation: VALIDATE CONSTRAINT (FOREIGN KEY)',
    before:
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers NOT VALID',
    sql: () => 'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk',
    after: 'ALTER TABLE orders DROP CONSTRAINT orders_customer_fk',
    modelled: true,
  },
];

interface Run {
  seconds: number;
  walBytes: number;
  calibrated: { seconds: number; walBytes: number };
  defaults: { seconds: number; walBytes: number };
}

async function main(): Promise<void> {
  const say = (s: string) => process.stderr.write(`${s}\n`);
  say(`starting PostgreSQL ${MAJOR} (production-like settings)`);
  const server = await startServer(MAJOR, { settings: PRODUCTION_LIKE_SETTINGS });
  try {
    say('calibrating on a scratch table');
    const cal = await calibrate(() => server.connect() as Promise<Session>, {
      progress: (l) => say(`  ${l}`),
    });
    for (const [kind, samples] of Object.entries(cal.samples)) {
      say(
        `  ${kind}: ` +
          samples
            .map(
              (x) =>
                `${x.seconds.toFixed(2)} s, WAL/written ${(x.walBytes / (x.writtenBytes || 1)).toFixed(2)}`,
            )
            .join('; '),
      );
    }
    const tp: Throughput = cal.calibration;
    const db = await server.connect();
    try {
      say(`filling orders with ${formatCount(ROWS)} rows`);
      await db.query(SCHEMA);
      await db.query(FILL.split(';')[0], [ROWS]);
      await db.query(FILL.split(';')[1], [ROWS]);
      await db.query('VACUUM (ANALYZE) customers, orders');
      const results = new Map<Operation, Run[]>();
      for (const op of OPERATIONS) {
        const runs: Run[] = [];
        for (let i = 0; i < RUNS; i++) {
          say(`${op.name}: run ${i + 1} of ${RUNS}`);
          const run = await runOnce(db, op, i, tp);
          say(
            `  measured ${run.seconds.toFixed(2)} s, ${formatBytes(run.walBytes)} WAL; estimated ` +
              `${run.calibrated.seconds.toFixed(2)} s, ${formatBytes(run.calibrated.walBytes)} WAL`,
          );
          runs.push(run);
        }
        results.set(op, runs);
      }
      const report = render(cal, results, await describeTables(db));
      process.stdout.write(report);
      if (APPEND) {
        appendFileSync(path.join(__dirname, 'RESULTS.md'), `\n${report}`);
        say('appended to bench/RESULTS.md');
      }
    } finally {
      await db.end();
    }
  } finally {
    await server.stop();
  }
}

async function runOnce(db: Client, op: Operation, i: number, tp: Throughput): Promise<Run> {
  if (op.before) await db.query(op.before);
  const sql = op.sql(i);
  // The model knows what ran before: the column's current type, the NOT VALID constraint.
  const effects = await modelEffects(sql, `${op.history?.(i) ?? ''}\n${op.before ? `${op.before};` : ''}`);
  const stats = await tableStats(db);
  const lookup = (name: string) => stats.get(name);
  const calibrated = estimateStatement(effects, lookup, tp);
  const defaults = estimateStatement(effects, lookup, DEFAULT_THROUGHPUT);
  if (!calibrated || !defaults || calibrated.unknown.length > 0) {
    throw new Error(`no complete estimate for ${sql}: ${JSON.stringify(calibrated)}`);
  }
  // Dirty pages of the previous step are written now, not during the measured statement.
  await db.query('CHECKPOINT');
  const lsn = (await db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]
    .lsn;
  const started = process.hrtime.bigint();
  await db.query(sql);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const wal = await db.query<{ bytes: string }>(
    'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text AS bytes',
    [lsn],
  );
  await db.query(op.after);
  return {
    seconds,
    walBytes: Number(wal.rows[0].bytes),
    calibrated: { seconds: calibrated.seconds, walBytes: calibrated.walBytes },
    defaults: { seconds: defaults.seconds, walBytes: defaults.walBytes },
  };
}

/** The model's effects for one statement on the benchmark schema. */
async function modelEffects(sql: string, applied: string): Promise<StatementEffects> {
  const result = await analyze([{ path: 'bench.sql', content: sql }], {
    pgVersion: MAJOR,
    history: [{ path: 'schema.sql', content: SCHEMA + applied }],
    historyIsComplete: true,
  });
  return result.files[0].statements[0];
}

/** TableStats of the benchmark tables from size queries (what `migration-guard stats` records). */
async function tableStats(db: Client): Promise<Map<string, TableStats>> {
  const { rows } = await db.query<{
    name: string;
    rows: number;
    heap: string;
    toast: string;
    indexes: { name: string; bytes: number; unique: boolean; primary: boolean; valid: boolean }[];
  }>(`
    SELECT c.relname AS name, c.reltuples::float8 AS rows, pg_relation_size(c.oid)::text AS heap,
      coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)::text AS toast,
      (SELECT coalesce(json_agg(json_build_object('name', ic.relname, 'bytes', pg_relation_size(ic.oid),
          'unique', i.indisunique, 'primary', i.indisprimary, 'valid', i.indisvalid) ORDER BY ic.relname), '[]')
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid) AS indexes
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`);
  return new Map(
    rows.map((r) => {
      const indexBytes = r.indexes.reduce((a, i) => a + Number(i.bytes), 0);
      const stats: TableStats = {
        kind: 'table',
        rows: r.rows >= 0 ? r.rows : null,
        heapBytes: Number(r.heap),
        toastBytes: Number(r.toast),
        indexBytes,
        totalBytes: Number(r.heap) + Number(r.toast) + indexBytes,
        indexes: r.indexes.map((i) => ({ ...i, bytes: Number(i.bytes) })),
      };
      return [r.name, stats];
    }),
  );
}

async function describeTables(db: Client): Promise<string> {
  const stats = await tableStats(db);
  return [...stats]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, s]) =>
        `\`${name}\` ${formatCount(s.rows ?? 0)} rows, heap ${formatBytes(s.heapBytes)}, ` +
        `${s.indexes.length} indexes ${formatBytes(s.indexBytes)}`,
    )
    .join('; ');
}

function render(
  cal: Awaited<ReturnType<typeof calibrate>>,
  results: Map<Operation, Run[]>,
  tables: string,
): string {
  const c = cal.calibration;
  const rate = (bps: number) => `${formatBytes(bps)}/s`;
  const ratio = (est: number, measured: number) => (measured > 0 ? (est / measured).toFixed(2) : '–');
  const lines = [
    `## ${new Date().toISOString().slice(0, 10)} — estimated vs measured durations and WAL (\`npx tsx bench/estimate-vs-measured.ts\`)`,
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${formatBytes(os.totalmem())} RAM, ` +
      `load ${os.loadavg()[0].toFixed(1)} at the end (other jobs share the machine). Commit ${commit()}. ` +
      `PostgreSQL ${c.serverVersion}, production-like settings (fsync, full_page_writes and synchronous_commit ` +
      `on, shared_buffers 128MB, 2 parallel maintenance workers, wal_level ${cal.walLevel}).`,
    '',
    `Tables: ${tables}. Each figure is the median of ${RUNS} runs from the same state.`,
    '',
    `Calibration (\`calibrate\`, ${formatCount(cal.rows)} rows, ${formatBytes(cal.tableBytes)} scratch table, ` +
      `separate from these): scan ${rate(c.scanBytesPerSecond)}, rewrite ${rate(c.rewriteBytesPerSecond)}, ` +
      `index build ${rate(c.indexBuildBytesPerSecond)}, WAL ×${c.walBytesPerWrittenByte}. ` +
      `Defaults (DEFAULT_THROUGHPUT): scan ${rate(DEFAULT_THROUGHPUT.scanBytesPerSecond)}, rewrite ` +
      `${rate(DEFAULT_THROUGHPUT.rewriteBytesPerSecond)}, index build ${rate(DEFAULT_THROUGHPUT.indexBuildBytesPerSecond)}, ` +
      `WAL ×${DEFAULT_THROUGHPUT.walBytesPerWrittenByte}.`,
    '',
    '| operation | measured | estimated (calibrated) | ratio | estimated (defaults) | ratio | WAL measured | WAL estimated (calibrated) | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [op, runs] of results) {
    const m = median(runs.map((r) => r.seconds));
    const ec = median(runs.map((r) => r.calibrated.seconds));
    const ed = median(runs.map((r) => r.defaults.seconds));
    const wm = median(runs.map((r) => r.walBytes));
    const wc = median(runs.map((r) => r.calibrated.walBytes));
    const spread = (Math.max(...runs.map((r) => r.seconds)) - Math.min(...runs.map((r) => r.seconds))) / m;
    lines.push(
      `| ${op.name}${op.modelled ? '' : ' *'} | ${formatSeconds(m)} (±${Math.round((spread * 100) / 2)} %) | ` +
        `${formatSeconds(ec)} | **${ratio(ec, m)}** | ${formatSeconds(ed)} | ${ratio(ed, m)} | ` +
        `${formatBytes(wm)} | ${formatBytes(wc)} | ${wc === 0 && wm < 1024 ** 2 ? '–' : ratio(wc, wm)} |`,
    );
  }
  lines.push(
    '',
    'Ratio = estimated / measured (1 is exact; the target is 0.5–2 after calibration). ± is half the spread ' +
      '(max − min) of the measured runs relative to their median. * outside the calibrated model: shown to ' +
      'say where it stops.',
    '',
  );
  return lines.join('\n');
}

function commit(): string {
  try {
    const hash = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', { encoding: 'utf8' }).trim();
    return `\`${hash}\`${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
