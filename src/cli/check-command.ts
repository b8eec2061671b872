/**
 * `migration-guard check`: findings for migration files, with the safe alternative for each, in
 * the format CI needs (text, json, sarif, markdown, github).
 *
 * Configuration: --config FILE, else `.github/migration-guard.yml` in the current directory when
 * present, else the defaults. Files named on the command line are checked as given; directories
 * are searched for migration files matching `migrations.paths` (natural order, so 2_x before 10_x;
 * sqitch deploy scripts in sqitch.plan order).
 * Exit 1 when a finding at or above --fail-on (default: the configuration's failOn) remains after
 * suppressions, 0 otherwise, 2 on usage, configuration or input errors.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compareMigrationPaths, migrationPathMatcher } from '../migrations/discover';
import { check } from '../check/engine';
import { DEFAULT_CONFIG, loadConfig, type Config, type FailOn } from '../config';
import { renderReport, REPORT_FORMATS, type ReportFormat } from '../report';
import { RULE_IDS } from '../rules';
import { atOrAbove } from '../check/finding';
import { parseArgs, pgVersionFlag } from './args';
import { readStatsFile } from './stats-input';
import { expandPaths, inSqitchPlanOrder, InputError, readSources, readTextFile, statPath } from './files';

export const DEFAULT_CONFIG_PATH = '.github/migration-guard.yml';

export const CHECK_USAGE = `usage: migration-guard check [--pg-version N] [--config FILE] [--history PATH]...
                            [--format ${REPORT_FORMATS.join('|')}] [--fail-on high|warning|never] [PATH...]

  Reports dangerous statements in migration files (locks that block traffic, table rewrites,
  full scans, statements that fail in a transaction or on the target version) with the safe way
  to write each one.

  PATH              migration file (checked as given) or directory (searched for files matching
                    migrations.paths from the configuration); default: the current directory
  --pg-version N    target PostgreSQL major version, 11-18 (default: postgresVersion, else 17)
  --config FILE     configuration (default: ${DEFAULT_CONFIG_PATH} when present)
  --history PATH    already-applied migrations (file or directory), replayed as the schema
                    before PATH..., not reported; repeatable. Files also given as PATH are
                    taken out of the history.
  --each-file       judge every file as the newest migration, on the schema of all files before
                    it (for checking a whole migrations directory); by default the files given
                    form one change, so a table created by one is new (empty) for the others
  --format F        text (default), json (docs/check-json.md), sarif (GitHub code scanning),
                    markdown (pull-request comment), github (Actions annotations)
  --fail-on S       exit 1 when a finding of severity S or higher remains: high, warning or
                    never (default: failOn from the configuration, else high)
  --time-zone TZ    the migration session's TimeZone (decides timestamp/timestamptz rewrites)
  --stats FILE      production statistics snapshot (from migration-guard stats); default:
                    stats.file from the configuration (.github/migration-guard-stats.json)
                    when present. Sizes and activity set severities and estimated lock times

  Exit status: 0 no finding at or above --fail-on, 1 some, 2 usage, configuration or input error.`;

export async function runCheck(argv: string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, {
    'pg-version': { type: 'string' },
    config: { type: 'string' },
    history: { type: 'list' },
    format: { type: 'string', choices: REPORT_FORMATS },
    'fail-on': { type: 'string', choices: ['high', 'warning', 'never'] },
    'time-zone': { type: 'string' },
    'each-file': { type: 'boolean' },
    stats: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    out(CHECK_USAGE);
    return 0;
  }
  const config = await readConfig(flags.config as string | undefined);
  const pgVersion = pgVersionFlag(flags['pg-version'], config.postgresVersion);
  const format = (flags.format as ReportFormat | undefined) ?? 'text';
  const failOn = (flags['fail-on'] as FailOn | undefined) ?? config.failOn;
  const paths = positional.length ? positional : ['.'];

  const files = await findMigrationFiles(paths, config.migrations.paths);
  const changed = new Set(files.map((f) => path.resolve(f)));
  const historyPaths = (await expandPaths((flags.history as string[]) ?? [])).filter(
    (p) => !changed.has(path.resolve(p)),
  );
  const history = await readSources(historyPaths);
  const stats = await readStatsFile(flags.stats as string | undefined, config);
  for (const w of stats.warnings) process.stderr.write(`migration-guard check: warning: ${w}\n`);
  if (files.length === 0) {
    process.stderr.write(
      `migration-guard check: no migration files found in ${paths.join(', ')} ` +
        `(migrations.paths: ${config.migrations.paths.join(', ')})\n`,
    );
  }
  const result = await check(await readSources(files), {
    config,
    pgVersion,
    history,
    timeZone: flags['time-zone'] as string | undefined,
    eachFileIsAChange: flags['each-file'] === true,
    production: stats.production,
  });
  result.basis = { statistics: stats.basis, snapshot: stats.snapshot, warnings: stats.warnings };
  const color = format === 'text' && !!process.stdout.isTTY && !process.env.NO_COLOR;
  out(renderReport(format, result, { color }));
  return atOrAbove(result.findings, failOn).length > 0 ? 1 : 0;
}

/** --config FILE (must exist), else the default path when present, else the defaults. */
export async function readConfig(file: string | undefined): Promise<Config> {
  const where = file ?? DEFAULT_CONFIG_PATH;
  const text = await readTextFile(where, file === undefined);
  if (text === undefined) return structuredClone(DEFAULT_CONFIG) as Config;
  return loadConfig(text, where, RULE_IDS);
}

/**
 * Files as given; directories searched for files matching `globs` (minimatch, `dot: false`),
 * skipping node_modules and .git, each directory's files in natural order (a sqitch project's
 * deploy scripts in the order of its sqitch.plan). A path is matched
 * relative to the directory searched and, so that `check db/migrations` finds what `check .`
 * finds there, also as written from the current directory (e.g. `db/migrations/0001_x.sql`).
 * Each file is listed once.
 */
export async function findMigrationFiles(paths: string[], globs: readonly string[]): Promise<string[]> {
  const matches = migrationPathMatcher(globs);
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (p: string) => {
    const key = path.resolve(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const p of paths) {
    if (!statPath(p).isDirectory()) {
      push(p);
      continue;
    }
    const found: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => {
        throw new InputError(`${dir}: cannot be read`);
      });
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        const relative = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && entry.name !== '.git') await walk(full, relative);
          continue;
        }
        // Symbolic links to files count; links to directories are not followed (no cycles).
        const isFile = entry.isFile() || (entry.isSymbolicLink() && (await isRegularFile(full)));
        if (!isFile) continue;
        const written = toPosix(full).replace(/^(\.\.\/)+|^\/+/, '');
        if (matches([relative, written])) found.push(toPosix(full));
      }
    };
    await walk(p, '');
    inSqitchPlanOrder(found.sort(compareMigrationPaths)).forEach(push);
  }
  return out;
}

async function isRegularFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
