/**
 * The statistics snapshot for `check`: --stats FILE (must exist), else the configuration's
 * stats.file when present, else none. A file that cannot be used is an input error (exit 2): a
 * check that silently dropped the team's statistics would judge with the wrong sizes.
 */
import type { Config } from '../config';
import { describeBasis, productionFrom, readStats, type LoadedStats } from '../context/load';
import type { ProductionContext } from '../context/production';
import { StatsFileError } from '../context/stats-file';
import { InputError, readTextFile } from './files';

export interface StatsInput {
  production: ProductionContext;
  /** One line: what the sizes and the throughput come from. */
  basis: string;
  snapshot: boolean;
  warnings: string[];
}

export async function readStatsFile(
  file: string | undefined,
  config: Config,
  now = new Date(),
): Promise<StatsInput> {
  const where = file ?? config.stats.file;
  const text = await readTextFile(where, file === undefined);
  let loaded: LoadedStats | undefined;
  if (text !== undefined) {
    try {
      loaded = readStats(text, where, config, now);
    } catch (e) {
      if (e instanceof StatsFileError) throw new InputError(e.message);
      throw e;
    }
  }
  return {
    production: productionFrom(loaded, config),
    basis: describeBasis(loaded, config, `no ${where}`),
    snapshot: loaded !== undefined,
    warnings: loaded?.warnings ?? [],
  };
}
