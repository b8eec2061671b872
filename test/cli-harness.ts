/**
 * The command-line tests' shared setup: each test runs in a fresh temporary directory (the current
 * directory while it runs), writes its files there, and runs `main` in process, capturing stdout
 * and stderr.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Registers beforeEach/afterEach hooks that give every test its own temporary directory as the
 * current directory; returns a function that tells the current one.
 */
export function useTempDir(prefix: string): () => string {
  let dir = '';
  const cwd = process.cwd();
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });
  return () => dir;
}

/** Writes `content` to `file` under the current directory, creating its directories. */
export function writeFile(file: string, content: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(path.resolve(file), content);
}

/** Runs the CLI in process: exit code, what it printed, and what it wrote to stderr. */
export async function runCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await main(argv, (s) => {
      out.push(s);
    });
    return { code, stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    jest.restoreAllMocks();
  }
}
