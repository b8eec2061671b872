/**
 * Precision sample: which `high` findings of `migration-guard check` to review by hand.
 *
 * For every project directory of the shared corpus (../shared/corpus/ from the repository root;
 * MIGRATION_GUARD_CORPUS overrides) except `postgres__regress` (PostgreSQL's regression SQL, not
 * migrations), the built CLI is run exactly as a user would run it on a whole migrations directory:
 *
 *   node dist/src/cli.js check --each-file --format json --fail-on never --pg-version 16 <corpus>/<project>/
 *
 * (`--each-file`: each file is judged as the newest migration on top of all the earlier files of its
 * project, in natural order.) The files with at least one finding of severity `high` are the
 * population. Sampling is stratified by project with a cap: in each project the population files are
 * sorted by path (code-point order), shuffled with a seeded Fisher–Yates shuffle (mulberry32 PRNG,
 * one generator for the whole run, projects visited in sorted order) and the first
 * min(count, --per-project) are taken. With the default cap of 8 and seed 20261125 this gives 114
 * files over 16 projects (projects with fewer than 8 such files contribute all of theirs), so no
 * project dominates. Every `high` finding of every sampled file is printed: file (corpus-relative),
 * line, rule, message, statement text (first lines), the tool the checker detected and its
 * assumptions.
 *
 * Run:  npm run build --silent && npx tsx bench/precision-sample.ts [--seed N] [--per-project N] [--json]
 *                                                                  [--files LIST]
 *       --json prints the sample as JSON (for scripted review) instead of text. Progress: stderr.
 *       --files LIST re-measures a fixed sample instead of drawing one: LIST is a text file with one
 *       corpus-relative path a line (blank lines and `#` comments ignored); every listed file is in
 *       the sample, with its current `high` findings (possibly none), whether or not the population
 *       still holds it. Seed and cap are then unused. Use it to re-check an earlier sample on new code
 *       (the same seed draws other files as soon as the population changes).
 * Output is deterministic for a given corpus, build, seed and cap.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const DEFAULT_SEED = 20261125;
const DEFAULT_PER_PROJECT = 8;
const PG_VERSION = '16';
const EXCLUDED = new Set(['postgres__regress']);

interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
  statementText: string;
  relation?: string;
  assumptions: string[];
  severityReasons: string[];
}

interface CheckJson {
  files: { path: string; tool: string; isDown: boolean }[];
  findings: Finding[];
}

interface SampledFile {
  project: string;
  /** Corpus-relative: `<project>/<path in the repository>`. */
  file: string;
  tool: string;
  highs: (Omit<Finding, 'file'> & { file: string })[];
}

/** mulberry32: small, seedable, good enough for sampling. Returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function numberFlag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) fail(`${name} takes a positive whole number`);
  return value;
}

function fail(message: string): never {
  process.stderr.write(`precision-sample: ${message}\n`);
  process.exit(2);
}

function main(): void {
  const args = process.argv.slice(2);
  const seed = numberFlag(args, '--seed', DEFAULT_SEED);
  const perProject = numberFlag(args, '--per-project', DEFAULT_PER_PROJECT);
  const json = args.includes('--json');
  const filesAt = args.indexOf('--files');
  let fixed: Set<string> | undefined;
  if (filesAt !== -1) {
    const list = args[filesAt + 1];
    if (!list || !existsSync(list)) fail('--files takes the path of a list of corpus-relative files');
    fixed = new Set(
      readFileSync(list, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')),
    );
  }
  const repo = path.resolve(__dirname, '..');
  const cli = path.join(repo, 'dist', 'src', 'cli.js');
  if (!existsSync(cli)) fail(`${cli} not found: run \`npm run build\` first`);
  const corpus = path.resolve(
    process.env.MIGRATION_GUARD_CORPUS ?? path.join(repo, '..', 'shared', 'corpus'),
  );
  if (!existsSync(corpus)) fail(`corpus not found at ${corpus}`);

  const projects = readdirSync(corpus)
    .filter((d) => !EXCLUDED.has(d) && statSync(path.join(corpus, d)).isDirectory())
    .sort();
  const random = mulberry32(seed);
  const population: Record<string, { files: number; highFiles: number; highs: number }> = {};
  const sample: SampledFile[] = [];
  for (const project of projects) {
    process.stderr.write(`checking ${project}\n`);
    const stdout = execFileSync(
      process.execPath,
      [
        cli,
        'check',
        '--each-file',
        '--format',
        'json',
        '--fail-on',
        'never',
        '--pg-version',
        PG_VERSION,
        `${path.join(corpus, project)}/`,
      ],
      { cwd: repo, maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const result = JSON.parse(stdout) as CheckJson;
    const rel = (p: string) => path.relative(corpus, path.resolve(repo, p)).split(path.sep).join('/');
    const tools = new Map(result.files.map((f) => [rel(f.path), f.tool]));
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      if (f.severity !== 'high') continue;
      const key = rel(f.file);
      byFile.set(key, [...(byFile.get(key) ?? []), { ...f, file: key }]);
    }
    const files = [...byFile.keys()].sort();
    population[project] = {
      files: result.files.length,
      highFiles: files.length,
      highs: [...byFile.values()].reduce((n, list) => n + list.length, 0),
    };
    const taken = fixed
      ? [...fixed].filter((f) => f.split('/')[0] === project).sort()
      : shuffle(files, random).slice(0, perProject).sort();
    for (const file of taken) {
      sample.push({ project, file, tool: tools.get(file) ?? '?', highs: byFile.get(file) ?? [] });
    }
  }

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ seed: fixed ? null : seed, perProject: fixed ? null : perProject, fixedFiles: fixed ? fixed.size : undefined, pgVersion: 16, population, sample }, null, 1)}\n`,
    );
    return;
  }
  const out: string[] = [];
  out.push(
    fixed
      ? `fixed sample of ${fixed.size} listed files, PostgreSQL ${PG_VERSION}`
      : `seed ${seed}, at most ${perProject} files per project, PostgreSQL ${PG_VERSION}`,
  );
  out.push('');
  out.push('population (project: files checked, files with a high finding, high findings):');
  for (const [project, p] of Object.entries(population)) {
    out.push(`  ${project}: ${p.files} files, ${p.highFiles} with high, ${p.highs} highs`);
  }
  const highs = sample.reduce((n, s) => n + s.highs.length, 0);
  out.push('');
  out.push(`sample: ${sample.length} files, ${highs} high findings`);
  for (const s of sample) {
    out.push('');
    out.push(`== ${s.file} (tool: ${s.tool})`);
    for (const f of s.highs) {
      out.push(`  ${s.file}:${f.line}  ${f.ruleId}`);
      out.push(`    ${f.message}`);
      const text = f.statementText.split('\n');
      out.push(...text.slice(0, 6).map((l) => `    | ${l}`));
      if (text.length > 6) out.push(`    | ... (${text.length - 6} more lines)`);
      for (const a of f.assumptions) out.push(`    assumption: ${a}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
