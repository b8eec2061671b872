/**
 * `migration-guard stats`: a snapshot of the production database's table statistics (sizes,
 * estimated rows, activity), written to the file `check` reads (.github/migration-guard-stats.json).
 * With --previous, rates come from the counters' difference since an earlier snapshot.
 *
 * Exit 0 when the file is written, 2 on usage or input errors (no URL, an invalid URL, no
 * connection, an unreadable --previous file), with a message that never shows the password.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { takeSnapshot, SnapshotError, DEFAULT_STATEMENT_TIMEOUT_MS } from '../context/snapshot';
import {
  mergeSnapshots,
  parseStatsFile,
  serializeStats,
  StatsFileError,
  StatsMergeError,
  tableLookup,
  withSinceResetRates,
} from '../context/stats-file';
import { DEFAULT_STATS_FILE, type StatsSnapshot } from '../context/types';
import { formatBytes, formatCount, formatSeconds } from '../context/units';
import { parseArgs, UsageError } from './args';
import { readConfig } from './check-command';
import { InputError, readTextFile } from './files';

export const STATS_USAGE = `usage: migration-guard stats [--database-url URL] [--out FILE] [--previous FILE]
                            [--statement-timeout MS] [--config FILE]

  Records the database's table statistics — estimated rows, table, TOAST and index sizes, write
  and read counters, partitions — for check to judge how long a migration's locks would last.
  Statistics only: it reads catalogs and statistics views, never a table's rows, in a read-only
  transaction with short timeouts. No superuser needed.

  --database-url URL      postgres://USER:PASSWORD@HOST:PORT/DATABASE (default: env DATABASE_URL)
  --out FILE              where to write the snapshot, - for standard output (default:
                          stats.file from the configuration, else ${DEFAULT_STATS_FILE})
  --config FILE           configuration (default: .github/migration-guard.yml when present)
  --previous FILE         an earlier snapshot of the same database: rates (writes/s) from the
                          counters' difference since then (may be the same file as --out)
  --statement-timeout MS  statement_timeout of every query (default: ${DEFAULT_STATEMENT_TIMEOUT_MS})

  Exit status: 0 snapshot written, 2 usage or input error (no or invalid URL, no connection,
  unreadable --previous).`;

export async function runStats(argv: string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, {
    'database-url': { type: 'string' },
    out: { type: 'string' },
    previous: { type: 'string' },
    'statement-timeout': { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    out(STATS_USAGE);
    return 0;
  }
  if (positional.length > 0) throw new UsageError(`stats takes no file arguments (got ${positional[0]})`);
  const url = (flags['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('--database-url URL (or env DATABASE_URL) is required');
  const statementTimeoutMs = timeoutFlag(flags['statement-timeout']);
  const outFile =
    (flags.out as string | undefined) ?? (await readConfig(flags.config as string | undefined)).stats.file;
  const previousFile = flags.previous as string | undefined;
  const previous = previousFile === undefined ? undefined : await readStatsSnapshot(previousFile);

  let snapshot: StatsSnapshot;
  try {
    snapshot = await takeSnapshot(url, { statementTimeoutMs });
    snapshot = previous ? mergeSnapshots(previous, snapshot) : withSinceResetRates(snapshot);
  } catch (error) {
    if (error instanceof SnapshotError) throw new InputError(error.message);
    if (error instanceof StatsMergeError)
      throw new InputError(`--previous ${previousFile}: ${error.message}`);
    throw error;
  }

  const text = serializeStats(snapshot);
  const report = summary(snapshot, outFile === '-' ? 'standard output' : outFile);
  if (outFile === '-') {
    out(text.trimEnd());
    process.stderr.write(`${report}\n`);
  } else {
    await writeAtomically(outFile, text);
    out(report);
  }
  return 0;
}

/** Reads and validates a stats file; an unreadable or invalid one is an InputError (exit 2). */
export async function readStatsSnapshot(file: string): Promise<StatsSnapshot> {
  const text = (await readTextFile(file)) as string;
  try {
    return parseStatsFile(text, file);
  } catch (error) {
    if (error instanceof StatsFileError) throw new InputError(error.message);
    throw error;
  }
}

function timeoutFlag(value: unknown): number {
  if (value === undefined) return DEFAULT_STATEMENT_TIMEOUT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new UsageError(
      `--statement-timeout must be a whole number of milliseconds > 0 (got "${String(value)}")`,
    );
  }
  return n;
}

/** Written next to the target and renamed over it: a reader never sees half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(temp, text);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new InputError(`${file}: cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** A few lines: what was written, how big, the largest tables, where the rates come from, notes. */
export function summary(snapshot: StatsSnapshot, where: string): string {
  const tables = Object.entries(snapshot.tables);
  const count = (kind: string) => tables.filter(([, t]) => t.kind === kind).length;
  const kinds = [
    count('partitioned table') && `${count('partitioned table')} partitioned`,
    count('materialized view') && `${count('materialized view')} materialized view(s)`,
  ].filter(Boolean);
  const total = tables.reduce((sum, [, t]) => sum + t.totalBytes, 0);
  const lookup = tableLookup(snapshot);
  const largest = tables
    .filter(([, t]) => !t.parent)
    .map(([key]) => [key, lookup(key)!] as const)
    .sort((a, b) => b[1].totalBytes - a[1].totalBytes)
    .slice(0, 3)
    .filter(([, t]) => t.totalBytes > 0)
    .map(([key, t]) => {
      const facts = [t.rows === null ? 'rows unknown' : `${formatCount(t.rows)} rows`];
      if (t.rates) facts.push(`${perSecond(t.rates.writesPerSecond)} writes/s`);
      return `${key} ${formatBytes(t.totalBytes)} (${facts.join(', ')})`;
    });
  const rated = tables.map(([, t]) => t.rates).filter((r) => r !== undefined);
  const between = rated.find((r) => r.source === 'between-snapshots');
  const rates = between
    ? `between the two snapshots, ${formatSeconds(between.windowSeconds)} apart`
    : rated.length > 0
      ? `since the statistics reset (${snapshot.statsResetAt})`
      : 'none (see notes)';
  const lines = [
    `wrote ${where}: database ${snapshot.database} on PostgreSQL ${snapshot.server.version}, taken ${snapshot.takenAt}`,
    `  ${tables.length} table${tables.length === 1 ? '' : 's'}${kinds.length ? ` (${kinds.join(', ')})` : ''}, ` +
      `${formatBytes(total)} in total`,
  ];
  if (largest.length) lines.push(`  largest: ${largest.join('; ')}`);
  lines.push(`  rates: ${rates}`);
  if (snapshot.notes.length) lines.push('  notes:', ...snapshot.notes.map((n) => `    - ${n}`));
  return lines.join('\n');
}

function perSecond(n: number): string {
  return n > 0 && n < 10 ? n.toFixed(1) : formatCount(n);
}
