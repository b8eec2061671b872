/**
 * `migration-guard analyze`: the engine's facts per statement, as text or JSON. No judgement:
 * that is `check`. Exit 0 when the analysis ran (even if files have syntax errors: they are
 * reported as diagnostics), 2 on usage or input errors.
 */
import { analyze } from '../analysis/analyze';
import type { AnalysisResult } from '../analysis/types';
import { parseArgs, pgVersionFlag } from './args';
import { expandPaths, readSources } from './files';
import { formatAnalysisText } from './analyze-text';

export const DEFAULT_PG_VERSION = 17;

export const ANALYZE_USAGE = `usage: migration-guard analyze [--pg-version N] [--history PATH]... [--format json|text] FILE...

  Prints, for every statement, the locks it takes on each relation, the tables it rewrites or
  scans, and whether it can run inside a transaction block, as PostgreSQL N (11-18) does it.

  --pg-version N    target PostgreSQL major version (default ${DEFAULT_PG_VERSION})
  --history PATH    already-applied migrations (file or directory), replayed as the schema
                    before FILE..., not reported; repeatable
  --format F        text (default) or json (schema: docs/analysis-json.md)
  --time-zone TZ    the migration session's TimeZone (decides timestamp/timestamptz rewrites)`;

export async function runAnalyze(argv: string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, {
    'pg-version': { type: 'string' },
    history: { type: 'list' },
    format: { type: 'string', choices: ['json', 'text'] },
    'time-zone': { type: 'string' },
  });
  const pgVersion = pgVersionFlag(flags['pg-version'], DEFAULT_PG_VERSION);
  if (positional.length === 0) {
    out(ANALYZE_USAGE);
    return 2;
  }
  const history = await readSources(await expandPaths((flags.history as string[]) ?? []));
  const files = await readSources(await expandPaths(positional));
  const result: AnalysisResult = await analyze(files, {
    pgVersion,
    history,
    timeZone: flags['time-zone'] as string | undefined,
  });
  out(flags.format === 'json' ? JSON.stringify(result, null, 2) : formatAnalysisText(result));
  return 0;
}
