/**
 * `migration-guard calibrate`: measures the target server's throughput on a scratch table of its
 * own (src/context/calibrate.ts) and prints the `calibration:` section, or writes it into the
 * configuration file with --write. The database URL's password never appears in output or errors.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { calibrate, CalibrationRefused, DEFAULT_CALIBRATION_ROWS, type Session } from '../context/calibrate';
import { renderCalibrationYaml, updateConfigText } from '../context/calibration-yaml';
import { checkDatabaseUrl, redact, SnapshotError, type DatabaseUrl } from '../context/snapshot';
import { formatBytes, formatCount } from '../context/units';
import { parseArgs, UsageError } from './args';
import { DEFAULT_CONFIG_PATH } from './check-command';
import { InputError, readTextFile } from './files';

export const CALIBRATE_USAGE = `usage: migration-guard calibrate [--database-url URL] [--config FILE] [--write] [--rows N]

  Measures how fast the server scans, rewrites and indexes a table, and the WAL it writes, on a
  scratch table in a new schema of its own (dropped at the end; existing tables are not touched).
  Prints the calibration: section for the configuration. The server must be writable (not a
  standby); run it on production or on a copy with the same hardware and settings.

  --database-url URL  postgres://user:password@host:port/database (default: env DATABASE_URL;
                      prefer the variable: command lines are visible to other users)
  --config FILE       configuration file for --write (default: ${DEFAULT_CONFIG_PATH})
  --write             update the calibration: section of the configuration in place
  --rows N            rows in the scratch table (default: ${formatCount(DEFAULT_CALIBRATION_ROWS)}, ~65 MB)`;

export async function runCalibrate(argv: string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, {
    'database-url': { type: 'string' },
    config: { type: 'string' },
    write: { type: 'boolean' },
    rows: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    out(CALIBRATE_USAGE);
    return 0;
  }
  if (positional.length > 0) throw new UsageError(`calibrate takes no arguments (got "${positional[0]}")`);
  const url = (flags['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url)
    throw new UsageError('calibrate needs --database-url URL or the DATABASE_URL environment variable');
  const rows = rowsFlag(flags.rows);
  const configFile = (flags.config as string | undefined) ?? DEFAULT_CONFIG_PATH;
  // The same URL check and password redaction as `stats` (src/context/snapshot.ts).
  let dbUrl: DatabaseUrl;
  try {
    dbUrl = checkDatabaseUrl(url);
  } catch (error) {
    if (error instanceof SnapshotError) throw new InputError(error.message);
    throw error;
  }
  const hide = (text: string) => redact(text, dbUrl);

  let result;
  try {
    result = await calibrate(() => connect(url), {
      rows,
      progress: (line) => process.stderr.write(`calibrate: ${hide(line)}\n`),
    });
  } catch (error) {
    const why = hide(error instanceof Error ? error.message : String(error));
    if (error instanceof CalibrationRefused) throw new InputError(`refused: ${why}`);
    throw new InputError(`${dbUrl.redacted}: ${why}`);
  }
  const lines = [
    `# ${formatCount(result.rows)} rows, ${formatBytes(result.tableBytes)} scratch table; ` +
      `median of ${result.samples.rewrite.length} runs`,
    ...result.notes.map((n) => `# note: ${n}`),
    renderCalibrationYaml(result.calibration).trimEnd(),
  ];
  out(lines.join('\n'));
  if (flags.write) {
    const text = await readTextFile(configFile, true);
    let updated: string;
    try {
      updated = updateConfigText(text ?? '', result.calibration);
    } catch (error) {
      throw new InputError(`${configFile}: ${(error as Error).message}`);
    }
    await fs.mkdir(path.dirname(configFile), { recursive: true });
    await fs.writeFile(configFile, updated);
    process.stderr.write(`calibrate: ${text === undefined ? 'created' : 'updated'} ${configFile}\n`);
  }
  return 0;
}

function rowsFlag(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1000)
    throw new UsageError(`--rows must be an integer ≥ 1000 (got "${String(value)}")`);
  return n;
}

/**
 * `pg` is loaded here, not at the top: every other command starts without it. It must be a runtime
 * dependency of the package (package.json), not only a devDependency.
 */
async function connect(url: string): Promise<Session> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, application_name: 'migration-guard calibrate' });
  // A connection lost mid-way surfaces as the failed query's error; without a listener it would crash.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
