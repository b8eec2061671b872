/**
 * Benchmark: `migration-guard check --format json` against squawk (`squawk-cli`, a native Rust
 * binary with its own parser) on the same corpus files, side by side in one run.
 *
 * Both tools get the same list of files (the shared corpus without PostgreSQL's regression SQL,
 * which is test SQL, not migrations) as arguments of ONE process each, so process start (Node and
 * the WebAssembly parser for us) is included. Runs are interleaved (squawk, check, squawk, ...)
 * after a warm-up, and the median of N (default 5) is reported with statements per second; the
 * statement count is the one Migration Guard's analysis reports (squawk does not report it).
 *
 * Beside them, the bare parse: a third process (dist/bench/bare-parse.js) that only loads
 * libpg-query and parses each file once, whole, timed in the same interleaved loop; its own
 * parse time (parser loaded, files read) is reported too. That is the floor for any tool built on
 * the WebAssembly parser in one thread.
 *
 *   npm i --no-save squawk-cli@2.66.0   # once: not a dev dependency (its lock entries are per platform)
 *   npm run build && npx tsx bench/check-vs-squawk.ts [--runs 5] [--json]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const corpus = process.env.MIGRATION_GUARD_CORPUS ?? path.resolve(root, '..', 'shared', 'corpus');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const squawk = path.join(root, 'node_modules', '@squawk-cli', 'linux-x64', 'bin', 'squawk');
const cli = path.join(root, 'dist', 'src', 'cli.js');
const bareParse = path.join(root, 'dist', 'bench', 'bare-parse.js');

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sqlFiles(full));
    else if (entry.endsWith('.sql')) out.push(full);
  }
  return out;
}

function time(cmd: string, args: string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  if (!existsSync(corpus)) {
    console.error(`corpus not found at ${corpus} (set MIGRATION_GUARD_CORPUS)`);
    process.exit(2);
  }
  if (!existsSync(cli) || !existsSync(bareParse)) throw new Error('run `npm run build` first');
  if (!existsSync(squawk)) throw new Error('squawk not installed: npm i --no-save squawk-cli@2.66.0');
  const files = readdirSync(corpus)
    .filter((d) => d !== 'postgres__regress' && statSync(path.join(corpus, d)).isDirectory())
    .flatMap((d) => sqlFiles(path.join(corpus, d)))
    .sort();
  const mgArgs = [cli, 'check', '--format', 'json', '--fail-on', 'never', ...files];
  const sqArgs = ['--reporter', 'json', ...files];
  // Warm-up (file cache, JIT of the CLI's own code is per process anyway).
  const first = time(process.execPath, mgArgs);
  const doc = JSON.parse(first.stdout) as { statements: { statements: unknown[] }[]; findings: unknown[] };
  const statements = doc.statements.reduce((n, f) => n + f.statements.length, 0);
  time(squawk, sqArgs);
  const bpArgs = [bareParse, ...files];
  time(process.execPath, bpArgs);
  const mg: number[] = [];
  const sq: number[] = [];
  const bp: number[] = [];
  const bpInside: number[] = [];
  for (let i = 0; i < runs; i++) {
    sq.push(time(squawk, sqArgs).ms);
    mg.push(time(process.execPath, mgArgs).ms);
    const bare = time(process.execPath, bpArgs);
    bp.push(bare.ms);
    bpInside.push((JSON.parse(bare.stdout) as { parseMs: number }).parseMs);
  }
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, node ${process.version}`,
    squawk: execFileSync(squawk, ['--version'], { encoding: 'utf8' }).trim(),
    files: files.length,
    statements,
    runs,
    migrationGuardMs: median(mg),
    squawkMs: median(sq),
    migrationGuardStatementsPerSecond: Math.round(statements / (median(mg) / 1000)),
    squawkStatementsPerSecond: Math.round(statements / (median(sq) / 1000)),
    throughputRatio: Number((median(sq) / median(mg)).toFixed(2)),
    bareParseProcessMs: median(bp),
    bareParseStatementsPerSecond: Math.round(statements / (median(bp) / 1000)),
    bareParseOnlyMs: median(bpInside),
    allRuns: {
      migrationGuardMs: mg.map(Math.round),
      squawkMs: sq.map(Math.round),
      bareParseProcessMs: bp.map(Math.round),
      bareParseOnlyMs: bpInside.map(Math.round),
    },
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(
      `${result.files} files, ${result.statements} statements, median of ${runs} runs (${result.machine})`,
    );
    console.log(
      `migration-guard check: ${result.migrationGuardMs.toFixed(0)} ms  (${result.migrationGuardStatementsPerSecond} statements/s)`,
    );
    console.log(
      `${result.squawk}: ${result.squawkMs.toFixed(0)} ms  (${result.squawkStatementsPerSecond} statements/s)`,
    );
    console.log(
      `bare parse (libpg-query only): ${result.bareParseProcessMs.toFixed(0)} ms  (${result.bareParseStatementsPerSecond} statements/s), of which parsing ${result.bareParseOnlyMs.toFixed(0)} ms`,
    );
    console.log(`throughput, migration-guard / squawk: ${result.throughputRatio}×`);
  }
}

main();
