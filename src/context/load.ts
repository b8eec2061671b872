/**
 * From a stats file's text to the production context a check uses, the same way for the CLI and
 * the GitHub app: validate (a file that cannot be used is a StatsFileError), derive rates since the
 * statistics reset where no two-snapshot rates exist, warn when stale, bind the estimator to the
 * configured throughput, and say in one line what the check is based on.
 */
import type { Config } from '../config';
import { estimateStatement } from './estimate';
import { productionContext, type ProductionContext } from './production';
import { parseStatsFile, staleWarning, tableLookup, withSinceResetRates } from './stats-file';
import type { StatsSnapshot } from './types';
import { formatBytes } from './units';

export interface LoadedStats {
  snapshot: StatsSnapshot;
  /** Problems worth a warning (stale snapshot), already phrased for people. */
  warnings: string[];
}

/** Parses a stats file's text; throws StatsFileError with the file's name when it cannot be used. */
export function readStats(text: string, file: string, config: Config, now: Date): LoadedStats {
  const snapshot = withSinceResetRates(parseStatsFile(text, file));
  const stale = staleWarning(snapshot, config.stats.maxAgeDays, now);
  return { snapshot, warnings: stale ? [`${file}: ${stale}`] : [] };
}

/** The production context: statistics when there are some, the configured throughput always. */
export function productionFrom(loaded: LoadedStats | undefined, config: Config): ProductionContext {
  const snapshot = loaded?.snapshot;
  return productionContext(
    snapshot ? { lookup: tableLookup(snapshot), takenAt: snapshot.takenAt } : undefined,
    config.calibration,
    estimateStatement,
  );
}

/**
 * "Statistics: `shop` on PostgreSQL 16.4, taken 2026-11-20 (132 tables, 48 GB); throughput:
 * calibrated 2026-11-01 on 16.4" — or what is missing.
 */
export function describeBasis(
  loaded: LoadedStats | undefined,
  config: Config,
  /** Why there is no snapshot, e.g. "`.github/migration-guard-stats.json` not found". */
  whyNone = 'no snapshot',
): string {
  const c = config.calibration;
  const throughput =
    c.source === 'calibrated'
      ? `calibrated${c.measuredAt ? ` ${c.measuredAt.slice(0, 10)}` : ''}${c.serverVersion ? ` on PostgreSQL ${c.serverVersion}` : ''}`
      : 'defaults (run `migration-guard calibrate` to measure your server)';
  if (!loaded) {
    return `Statistics: none (${whyNone}): table sizes are unknown, so rules keep their default severities; see \`migration-guard stats\`. Throughput: ${throughput}.`;
  }
  const s = loaded.snapshot;
  const tables = Object.values(s.tables);
  // A partitioned table has no storage of its own: summing every table counts each byte once.
  const bytes = tables.reduce((sum, t) => sum + t.totalBytes, 0);
  return (
    `Statistics: \`${s.database}\` on PostgreSQL ${s.server.version}, taken ${s.takenAt.slice(0, 10)} ` +
    `(${tables.length} ${tables.length === 1 ? 'table' : 'tables'}, ${formatBytes(bytes)}). Throughput: ${throughput}.`
  );
}
