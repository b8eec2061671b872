#!/usr/bin/env node
/**
 * The `migration-guard` command line. Each sub-command lives in src/cli/; this file only
 * dispatches and turns errors into exit codes: 2 for usage and input errors, with a clear message.
 */
import { runAnalyze, ANALYZE_USAGE } from './cli/analyze-command';
import { UsageError } from './cli/args';
import { runCalibrate, CALIBRATE_USAGE } from './cli/calibrate-command';
import { runCheck, CHECK_USAGE } from './cli/check-command';
import { runExplain, EXPLAIN_USAGE } from './cli/explain-command';
import { runStats, STATS_USAGE } from './cli/stats-command';
import { InputError } from './cli/files';
import { ConfigError } from './config';

const USAGE = `usage: migration-guard <command> [options]

commands:
  check     findings: dangerous statements and the safe way to write each (exit 1 on failure)
  analyze   facts per statement: locks, rewrites, scans, transaction behaviour
  explain   a rule's documentation, or the list of rules
  stats     snapshot of the production database's table statistics, for check (sizes, activity)
  calibrate measure the database server's throughput for duration estimates

${CHECK_USAGE}

${ANALYZE_USAGE}

${EXPLAIN_USAGE}

${STATS_USAGE}

${CALIBRATE_USAGE}`;

const COMMANDS: Record<string, (argv: string[], out: (s: string) => void) => Promise<number>> = {
  check: runCheck,
  analyze: runAnalyze,
  explain: runExplain,
  calibrate: runCalibrate,
  stats: runStats,
};

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => {
    process.stdout.write(s + '\n');
  },
): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`migration-guard: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest, out);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof InputError ||
      error instanceof ConfigError ||
      error instanceof RangeError
    ) {
      process.stderr.write(`migration-guard ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(
        `migration-guard: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 3;
    },
  );
}
