/**
 * The bare-parse baseline of bench/check-vs-squawk.ts: one process that loads libpg-query and
 * parses each file named on the command line once, whole (`parseSync` of its text; a file that does
 * not parse counts its failed attempt), and nothing else. Run from the tsc build
 * (`node dist/bench/bare-parse.js FILE...`) so that its process start compares with the CLI's.
 * Prints one JSON line: milliseconds spent loading the parser, reading the files and parsing them.
 */
import { readFileSync } from 'node:fs';
import { loadModule, parseSync } from 'libpg-query';

async function main(): Promise<void> {
  const t0 = performance.now();
  await loadModule();
  const t1 = performance.now();
  const texts = process.argv.slice(2).map((p) => readFileSync(p, 'utf8'));
  const t2 = performance.now();
  let failed = 0;
  for (const text of texts) {
    try {
      parseSync(text);
    } catch {
      failed++;
    }
  }
  const t3 = performance.now();
  const ms = (x: number) => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      files: texts.length,
      failed,
      loadMs: ms(t1 - t0),
      readMs: ms(t2 - t1),
      parseMs: ms(t3 - t2),
    }),
  );
}

void main();
