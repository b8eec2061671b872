/**
 * Benchmark: bare libpg-query parsing against the full analysis, on the shared corpus of real
 * migration files (../shared/corpus/ from the repository root; MIGRATION_GUARD_CORPUS overrides).
 *
 * Every `.sql` file under the corpus is read and decoded once, before anything is timed; both sides
 * get the same JavaScript string (no I/O, no UTF-8 decoding is timed: the CLI passes bytes, whose
 * decoding is measured apart as an information line). Per file:
 *  - parse:   `parseSync(text)`, PostgreSQL's parser compiled to WebAssembly, already loaded. A file
 *             whose whole text does not parse (psql meta-commands, template placeholders, the
 *             regression suite's deliberate errors) counts its failed attempt, exception included.
 *  - analyze: `analyzeLoaded([file], { pgVersion: 17 })`, one call per file, so that the catalog never
 *             mixes unrelated projects. Also measured: one call per project directory with its files
 *             in migration order (natural path order, as the CLI sorts them), where the catalog grows.
 * Results are given for three file sets: "whole text parses" (both sides make the same single parser
 * call per file), "whole text fails" (the analysis then parses the lexer's statements one at a time,
 * which is more parser work than the baseline's one failed attempt) and all files.
 *
 * Where the analysis time goes, each phase timed on its own pass over the same files:
 *  - text preparation: `decodeSource` + `lexSql` (statement boundaries, masking, comments);
 *  - libpg-query calls as `parseFile` makes them: the masked text whole, else each lexer statement;
 *  - the rest of `parseFile` (positions, directives, statement objects) = parseFile − the two above;
 *  - `statementEffects` and `applyStatement` (catalog replay), timed per statement around the calls
 *    (the loop of analyze.ts's analyzeFile without its session state; parseFile runs untimed before);
 *  - the rest of `analyzeLoaded` (session and transaction tracking, summary, result objects) =
 *    analyze − the phases above.
 * Parser calls made inside the effect model (DO blocks, function bodies) count as effects/replay.
 *
 * Each round runs every measurement once, in a fixed order (parse, analyze, ...: interleaved, so
 * that machine noise hits both sides alike), after one warm-up round. Reported: the median over
 * rounds of each total, the ratio analyze/parse as the median of the per-round ratios, statements
 * per second (statements the analysis reports, the same count for both sides) and the spread
 * (max − min) / median. Files on which the analysis throws are left out of every measurement and
 * listed; so are, for the per-project calls only, projects whose whole-project call throws.
 *
 * Run:  npx tsx bench/parse-vs-analyze.ts [--runs N] [--json]   (`npm run bench` does the same)
 *       or, after `npm run build`, node dist/bench/parse-vs-analyze.js. --runs: timed rounds
 *       (default 7; use at least 5); --json: machine-readable results on stdout. Progress: stderr.
 *       About 11 s per round (1.5 min for the default) on a 2-core Xeon VM at the time of writing.
 * Caveats: phases measured on separate passes do not add up exactly, so the "rest" lines are
 * differences and carry the noise of both terms; the per-statement timers cost ~0.1 µs a statement;
 * tsx's esbuild output differs from tsc's (it wraps named function expressions in `__name`), so
 * compare results from the same runtime only; the regression suite is most of the corpus's statements and
 * is not migration SQL; profile with `node --cpu-prof --import tsx bench/parse-vs-analyze.ts --runs 1`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSync } from 'libpg-query';
import { analyzeLoaded } from '../src/analysis/analyze';
import { Catalog } from '../src/analysis/catalog';
import { statementEffects } from '../src/analysis/effects/statement';
import { lexSql, type LexedSql } from '../src/analysis/lexer';
import { loadParser, parseFile } from '../src/analysis/parse';
import { applyStatement } from '../src/analysis/replay';
import { decodeSource } from '../src/analysis/source';
import type { SourceFile } from '../src/analysis/types';

const PG_VERSION = 17;
const DEFAULT_RUNS = 7;

interface BenchFile {
  source: SourceFile;
  project: string;
  bytes: Uint8Array;
  text: string;
  /** `parseSync(text)` succeeds on the whole file. */
  wholeParses: boolean;
  /** Statements the analysis reports for the file. */
  statements: number;
  lexed: LexedSql;
}

type SetName = 'whole' | 'fallback' | 'all';
const SET_LABELS: Record<SetName, string> = {
  whole: 'whole text parses',
  fallback: 'whole text fails',
  all: 'all files',
};

/** The unit of timing: one project's files of one kind (whole text parses or not). */
interface Bucket {
  project: string;
  wholeParses: boolean;
  files: BenchFile[];
}

const PHASES = ['prep', 'parser', 'parseFile', 'effects', 'replay'] as const;
type Phase = (typeof PHASES)[number];

/** One round's times in ms: per bucket for the per-file measurements, per project for the calls. */
interface Round {
  parse: number[];
  analyze: number[];
  perProject: number[];
  phases: Record<Phase, number[]>;
}

interface Excluded {
  path: string;
  error: string;
}

function main(): void {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const runsAt = args.indexOf('--runs');
  const runs = runsAt === -1 ? DEFAULT_RUNS : Number(args[runsAt + 1]);
  if (!Number.isInteger(runs) || runs < 1) fail('--runs takes a positive whole number');
  const unknown = args.filter(
    (a, i) => a !== '--json' && a !== '--runs' && !(runsAt !== -1 && i === runsAt + 1),
  );
  if (unknown.length) fail(`unknown argument ${unknown[0]}; usage: parse-vs-analyze [--runs N] [--json]`);

  const root = path.resolve(
    process.env.MIGRATION_GUARD_CORPUS ?? path.join(repoRoot(), '..', 'shared', 'corpus'),
  );
  if (!existsSync(root)) {
    fail(`corpus not found at ${root}: set MIGRATION_GUARD_CORPUS to a directory of .sql files`);
  }
  const paths = sqlFilesUnder(root);
  if (paths.length === 0) fail(`no .sql files under ${root}`);

  loadParser().then(() => {
    const report = run(root, paths, runs);
    process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  }, die);
}

/** The files as measured, read and checked once before any timing. */
interface Corpus {
  root: string;
  fileCount: number;
  files: BenchFile[];
  /** Files on which the analysis throws: left out of every measurement. */
  excluded: Excluded[];
  buckets: Bucket[];
  projects: Project[];
  /** decodeSource(bytes) over all measured files, once: what passing bytes instead of text adds. */
  utf8DecodeMs: number;
}

interface Project {
  name: string;
  files: BenchFile[];
  sources: SourceFile[];
  /** Set when one analyzeLoaded call with all the project's files throws. */
  callError?: string;
}

function run(root: string, paths: string[], runs: number): Report {
  const corpus = loadCorpus(root, paths);
  const rounds: Round[] = [];
  for (let r = 0; r <= runs; r++) {
    progress(r === 0 ? 'warm-up round' : `round ${r}/${runs}`);
    const round = measureRound(corpus);
    if (r > 0) rounds.push(round);
  }
  return buildReport(corpus, rounds);
}

function loadCorpus(root: string, paths: string[]): Corpus {
  progress(`reading and checking ${paths.length} files under ${root}`);
  const excluded: Excluded[] = [];
  const files: BenchFile[] = [];
  const decoder = new TextDecoder('utf-8');
  for (const rel of paths) {
    const bytes = new Uint8Array(readFileSync(path.join(root, rel)));
    const text = decoder.decode(bytes);
    const source: SourceFile = { path: rel, content: text };
    let statements: number;
    try {
      statements = analyzeLoaded([source], { pgVersion: PG_VERSION }).files[0].statements.length;
    } catch (error) {
      excluded.push({ path: rel, error: errorText(error) });
      continue;
    }
    const project = rel.split('/')[0];
    files.push({ source, project, bytes, text, wholeParses: parses(text), statements, lexed: lexSql(text) });
  }

  const buckets: Bucket[] = [];
  const projects: Project[] = [];
  for (const f of files) {
    const bucket = buckets.find((b) => b.project === f.project && b.wholeParses === f.wholeParses);
    if (bucket) bucket.files.push(f);
    else buckets.push({ project: f.project, wholeParses: f.wholeParses, files: [f] });
    const project = projects.find((p) => p.name === f.project);
    if (project) {
      project.files.push(f);
      project.sources.push(f.source);
    } else projects.push({ name: f.project, files: [f], sources: [f.source] });
  }
  for (const p of projects) {
    try {
      analyzeLoaded(p.sources, { pgVersion: PG_VERSION });
    } catch (error) {
      p.callError = errorText(error);
    }
  }
  const utf8DecodeMs = time(() => files.forEach((f) => decodeSource(f.bytes)));
  return { root, fileCount: paths.length, files, excluded, buckets, projects, utf8DecodeMs };
}

function measureRound({ buckets, projects }: Corpus): Round {
  const options = { pgVersion: PG_VERSION };
  const parse = perBucket(buckets, (f) => parses(f.text));
  const analyze = perBucket(buckets, (f) => analyzeLoaded([f.source], options));
  const perProject = projects.map((p) => (p.callError ? 0 : time(() => analyzeLoaded(p.sources, options))));
  const prep = perBucket(buckets, (f) => lexSql(decodeSource(f.source.content).text));
  const parser = perBucket(buckets, (f) => parserCalls(f.lexed));
  const parseFileMs = perBucket(buckets, (f) => parseFile(f.source));
  const effects: number[] = [];
  const replay: number[] = [];
  for (const b of buckets) {
    let e = 0;
    let a = 0;
    for (const f of b.files) {
      const catalog = new Catalog();
      catalog.inChange = true;
      for (const s of parseFile(f.source).statements) {
        const t0 = performance.now();
        statementEffects(s.node, catalog, { pg: PG_VERSION });
        const t1 = performance.now();
        applyStatement(s.node, catalog);
        e += t1 - t0;
        a += performance.now() - t1;
      }
    }
    effects.push(e);
    replay.push(a);
  }
  return { parse, analyze, perProject, phases: { prep, parser, parseFile: parseFileMs, effects, replay } };
}

function perBucket(buckets: Bucket[], each: (f: BenchFile) => unknown): number[] {
  return buckets.map((b) => time(() => b.files.forEach(each)));
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function parses(sql: string): boolean {
  try {
    parseSync(sql);
    return true;
  } catch {
    return false;
  }
}

/** The libpg-query calls parseFile makes: the masked text whole; when that fails, each statement. */
function parserCalls(lexed: LexedSql): void {
  if (lexed.statements.length === 0 || parses(lexed.masked)) return;
  for (const r of lexed.statements) parses(lexed.masked.slice(r.start, r.end));
}

interface SideBySide {
  files: number;
  statements: number;
  bytes: number;
  parseMs: number;
  analyzeMs: number;
  /** Median of the per-round ratios analyze/parse. */
  ratio: number;
  parseStatementsPerSecond: number;
  analyzeStatementsPerSecond: number;
  parseSpread: number;
  analyzeSpread: number;
  parseRunsMs: number[];
  analyzeRunsMs: number[];
}

interface PhaseBreakdown {
  prepMs: number;
  parserMs: number;
  parseFileRestMs: number;
  effectsMs: number;
  replayMs: number;
  analyzeRestMs: number;
  analyzeMs: number;
}

interface ProjectRow {
  project: string;
  files: number;
  statements: number;
  parseMs: number;
  analyzeMs: number;
  ratio: number;
  /** One analyzeLoaded call with all the project's files; null when that call throws. */
  perProjectCallMs: number | null;
}

interface Report {
  date: string;
  runtime: string;
  machine: { cpu: string; cores: number; node: string };
  pgVersion: number;
  runs: number;
  corpus: {
    root: string;
    files: number;
    measuredFiles: number;
    bytes: number;
    excluded: Excluded[];
    perProjectExcluded: Excluded[];
    /** decodeSource(bytes) over all measured files, once: what passing bytes instead of text adds. */
    utf8DecodeMs: number;
  };
  sets: Record<SetName, SideBySide>;
  /** One analyzeLoaded call per project (the catalog grows), against the parse of the same files. */
  perProjectCalls: SideBySide;
  phases: Record<SetName, PhaseBreakdown>;
  projects: ProjectRow[];
}

function buildReport(corpus: Corpus, rounds: Round[]): Report {
  const { buckets, projects, files } = corpus;
  const inSet = (set: SetName) => (b: Bucket) => set === 'all' || b.wholeParses === (set === 'whole');
  const sumBuckets = (values: number[], keep: (b: Bucket) => boolean) =>
    values.reduce((s, v, i) => (keep(buckets[i]) ? s + v : s), 0);
  const countFiles = (keep: (b: Bucket) => boolean) => buckets.filter(keep).flatMap((b) => b.files);

  const sideBySide = (keep: (b: Bucket) => boolean, analyzeRunsMs: number[]): SideBySide => {
    const chosen = countFiles(keep);
    const statements = chosen.reduce((s, f) => s + f.statements, 0);
    const parseRunsMs = rounds.map((r) => sumBuckets(r.parse, keep));
    const parseMs = median(parseRunsMs);
    const analyzeMs = median(analyzeRunsMs);
    return {
      files: chosen.length,
      statements,
      bytes: chosen.reduce((s, f) => s + f.bytes.byteLength, 0),
      parseMs,
      analyzeMs,
      ratio: median(analyzeRunsMs.map((a, i) => a / parseRunsMs[i])),
      parseStatementsPerSecond: (statements / parseMs) * 1000,
      analyzeStatementsPerSecond: (statements / analyzeMs) * 1000,
      parseSpread: spread(parseRunsMs),
      analyzeSpread: spread(analyzeRunsMs),
      parseRunsMs,
      analyzeRunsMs,
    };
  };

  const sets = {} as Record<SetName, SideBySide>;
  const phases = {} as Record<SetName, PhaseBreakdown>;
  for (const set of ['whole', 'fallback', 'all'] as const) {
    const keep = inSet(set);
    const analyzeRunsMs = rounds.map((r) => sumBuckets(r.analyze, keep));
    sets[set] = sideBySide(keep, analyzeRunsMs);
    const phase = (p: Phase) => median(rounds.map((r) => sumBuckets(r.phases[p], keep)));
    const [prepMs, parserMs, parseFileMs, effectsMs, replayMs] = PHASES.map(phase);
    phases[set] = {
      prepMs,
      parserMs,
      parseFileRestMs: parseFileMs - prepMs - parserMs,
      effectsMs,
      replayMs,
      analyzeRestMs: sets[set].analyzeMs - parseFileMs - effectsMs - replayMs,
      analyzeMs: sets[set].analyzeMs,
    };
  }
  const callableProject = (b: Bucket) => !projects.find((p) => p.name === b.project)?.callError;
  const perProjectRunsMs = rounds.map((r) => r.perProject.reduce((s, v) => s + v, 0));
  const perProjectCalls = sideBySide(callableProject, perProjectRunsMs);

  const projectRows = projects.map((project, i): ProjectRow => {
    const keep = (b: Bucket) => b.project === project.name;
    const parseRuns = rounds.map((r) => sumBuckets(r.parse, keep));
    const analyzeRuns = rounds.map((r) => sumBuckets(r.analyze, keep));
    const chosen = countFiles(keep);
    return {
      project: project.name,
      files: chosen.length,
      statements: chosen.reduce((s, f) => s + f.statements, 0),
      parseMs: median(parseRuns),
      analyzeMs: median(analyzeRuns),
      ratio: median(analyzeRuns.map((a, j) => a / parseRuns[j])),
      perProjectCallMs: project.callError ? null : median(rounds.map((r) => r.perProject[i])),
    };
  });

  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    runtime: __filename.endsWith('.ts') ? 'tsx (esbuild transform)' : 'node (tsc build)',
    machine: { cpu: cpus[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version },
    pgVersion: PG_VERSION,
    runs: rounds.length,
    corpus: {
      root: corpus.root,
      files: corpus.fileCount,
      measuredFiles: files.length,
      bytes: files.reduce((s, f) => s + f.bytes.byteLength, 0),
      excluded: corpus.excluded,
      perProjectExcluded: projects.flatMap((p) =>
        p.callError ? [{ path: p.name, error: p.callError }] : [],
      ),
      utf8DecodeMs: corpus.utf8DecodeMs,
    },
    sets,
    perProjectCalls,
    phases,
    projects: projectRows,
  };
}

function formatReport(r: Report): string {
  const out: string[] = [];
  const c = r.corpus;
  out.push(`Migration Guard: libpg-query parse vs full analysis (PostgreSQL ${r.pgVersion} model)`);
  out.push(`corpus   ${c.root}: ${c.files} files, ${c.measuredFiles} measured (${mib(c.bytes)})`);
  for (const e of c.excluded) out.push(`         left out (analysis throws): ${e.path}: ${e.error}`);
  for (const e of c.perProjectExcluded)
    out.push(`         per-project call throws, left out there: ${e.path}: ${e.error}`);
  out.push(`machine  ${r.machine.cpu}, ${r.machine.cores} cores, node ${r.machine.node}, ${r.runtime}`);
  out.push(
    `runs     ${r.runs} timed rounds after 1 warm-up, interleaved; medians; ratio: median of the rounds'`,
  );
  out.push('');
  const head = [
    '',
    'files',
    'statements',
    'parse ms',
    'analyze ms',
    'ratio',
    'parse st/s',
    'analyze st/s',
    'spread p/a',
  ];
  const rows: string[][] = [];
  const side = (label: string, s: SideBySide) =>
    rows.push([
      label,
      int(s.files),
      int(s.statements),
      ms(s.parseMs),
      ms(s.analyzeMs),
      `${s.ratio.toFixed(2)}×`,
      int(s.parseStatementsPerSecond),
      int(s.analyzeStatementsPerSecond),
      `${pct(s.parseSpread)}/${pct(s.analyzeSpread)}`,
    ]);
  for (const set of ['whole', 'fallback', 'all'] as const)
    side(`${SET_LABELS[set]}, one call per file`, r.sets[set]);
  side('all files, one call per project', r.perProjectCalls);
  out.push(table(head, rows));
  out.push(
    `(target: ratio ≤ 1.5×; decoding these files from bytes adds ${ms(c.utf8DecodeMs)} ms to analyze)`,
  );
  out.push('');
  out.push('Where the analysis time goes (one call per file; median ms and share of the analysis):');
  const phaseRows: [string, keyof PhaseBreakdown][] = [
    ['text preparation (decodeSource + lexSql)', 'prepMs'],
    ['libpg-query calls made by parseFile', 'parserMs'],
    ['rest of parseFile (positions, directives)', 'parseFileRestMs'],
    ['statementEffects', 'effectsMs'],
    ['applyStatement (catalog replay)', 'replayMs'],
    ['rest of analyzeLoaded (session, transactions, summary, results)', 'analyzeRestMs'],
    ['analyzeLoaded, total', 'analyzeMs'],
  ];
  const sets = ['whole', 'fallback', 'all'] as const;
  out.push(
    table(
      ['phase', ...sets.map((s) => SET_LABELS[s])],
      phaseRows.map(([label, key]) => [
        label,
        ...sets.map(
          (s) => `${ms(r.phases[s][key])} ${pct(r.phases[s][key] / r.phases[s].analyzeMs).padStart(4)}`,
        ),
      ]),
    ),
  );
  out.push('');
  out.push('Per project (one call per file; the last column is one call for the whole project):');
  out.push(
    table(
      ['project', 'files', 'statements', 'parse ms', 'analyze ms', 'ratio', 'project call ms'],
      r.projects.map((p) => [
        p.project,
        int(p.files),
        int(p.statements),
        ms(p.parseMs),
        ms(p.analyzeMs),
        `${p.ratio.toFixed(2)}×`,
        p.perProjectCallMs === null ? 'throws' : ms(p.perProjectCallMs),
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function spread(values: number[]): number {
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(1);
const pct = (n: number) => `${Math.round(n * 100)}%`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

/** `.sql` files under `root`, relative to it, in migration order (natural sort, as the CLI does). */
function sqlFilesUnder(root: string): string[] {
  const collator = new Intl.Collator('en', { numeric: true });
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort((a, b) => collator.compare(a, b));
}

/** The nearest directory above this file with a package.json (works from bench/ and dist/bench/). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function fail(message: string): never {
  process.stderr.write(`parse-vs-analyze: ${message}\n`);
  process.exit(2);
}

function die(error: unknown): void {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}

main();
