/**
 * End-to-end harness: the GitHub API double and the REAL Migration Guard server, run as a child
 * process exactly as `npm start` runs it (`node dist/src/index.js`), configured only through
 * Probot's standard environment:
 *
 *   APP_ID, PRIVATE_KEY (a fresh RSA key; the double verifies app JWTs with its public half),
 *   WEBHOOK_SECRET, PORT (a free port), HOST=127.0.0.1, LOG_LEVEL=info,
 *   GHE_HOST=<double host>, GHE_PROTOCOL=http (the GitHub Enterprise layout: <host>/api/v3),
 *   NODE_ENV=production (as in the Docker image: JSON log lines, which the harness parses).
 *
 * The server runs in an empty scratch directory: Probot loads `.env` from its working directory
 * over the environment, so a developer's `.env` (written by the manifest flow) would otherwise
 * replace the test credentials.
 *
 * Used by test/e2e/app.test.ts and scripts/demo.ts. `ensureBuilt` compiles `src` (tsconfig.build.json)
 * only when dist/src is missing or older than a source file.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startGitHubDouble, type GitHubDouble } from './github-double';
import type { CheckRunRecord } from './github-double/state';

export const ROOT = join(__dirname, '..', '..');
export const APP_ENTRY = join(ROOT, 'dist', 'src', 'index.js');
export const CHECK_NAME = 'Migration Guard';

// ---------------------------------------------------------------------------------------------
// Build

/** Source files whose compiled output is older than them (or missing); empty when dist is fresh. */
export function staleOutputs(): string[] {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!/\.(ts|json)$/.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
      const out = join(ROOT, 'dist', relative(ROOT, path)).replace(/\.ts$/, '.js');
      if (!existsSync(out) || statSync(out).mtimeMs < statSync(path).mtimeMs)
        stale.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'src'));
  return stale;
}

/**
 * Compiles `src` into dist/src with tsconfig.build.json when an output is missing or older than its
 * source (a fresh tree costs a directory walk, ~5 ms; a build ~7 s). Throws with the compiler's
 * output when the build fails.
 */
export function ensureBuilt(): { built: boolean; ms: number; stale: string[] } {
  const t0 = performance.now();
  const stale = staleOutputs();
  if (stale.length === 0 && existsSync(APP_ENTRY)) return { built: false, ms: performance.now() - t0, stale };
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`tsc -p tsconfig.build.json failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
  return { built: true, ms: performance.now() - t0, stale };
}

// ---------------------------------------------------------------------------------------------
// The harness

/** One parsed JSON log line of the app (pino). */
export type LogLine = Record<string, unknown> & { level?: number; msg?: string; deliveryId?: string };

export interface AppHarness {
  double: GitHubDouble;
  /** http://127.0.0.1:PORT of the app server. */
  appUrl: string;
  secret: string;
  appId: number;
  /** Process id of the app server. */
  pid: number;
  /** ms from spawning the server to its first PONG on GET /ping. */
  startupMs: number;
  /** Everything the app wrote to stdout and stderr, as written. */
  output(): string;
  /** The app's log lines, parsed (lines that are not JSON are left out). */
  logs(): LogLine[];
  /**
   * Secrets found in the output: the private key (any of its base64 lines), the webhook secret,
   * every installation token the double issued, anything shaped like a JWT. Empty when clean.
   */
  leakedSecrets(): string[];
  /** Sends a signed delivery (a fresh delivery id unless given); resolves to the HTTP status and id. */
  send(
    event: string,
    payload: unknown,
    o?: { deliveryId?: string; forgeSignature?: boolean },
  ): Promise<{ status: number; deliveryId: string }>;
  /** Waits for the handler's final log line of a delivery ('event handled' or 'event failed'). */
  waitForDelivery(deliveryId: string, timeoutMs?: number): Promise<LogLine>;
  /** The Migration Guard check runs of a commit, oldest first. */
  checkRuns(owner: string, repo: string, sha: string): CheckRunRecord[];
  /**
   * Polls the double until a Migration Guard check run of `sha` with an id above `newerThan`
   * (default: any) is completed; returns it. Rejects after `timeoutMs` (default 15 s). Each status
   * the newest such run is seen in while polling is pushed to `statuses` (when given) on change.
   */
  waitForCheckRun(
    owner: string,
    repo: string,
    sha: string,
    o?: { newerThan?: number; timeoutMs?: number; statuses?: string[] },
  ): Promise<CheckRunRecord>;
  /**
   * Sends a pull_request event built by the double (or `payload`) and waits for its check run and for the handler
   * to finish: the run, the delivery's final log line, the requests the app made for it, and the
   * time from sending to the completed check run as seen by polling the double (5 ms steps).
   */
  pullRequestEvent(
    action: 'opened' | 'reopened' | 'synchronize',
    owner: string,
    repo: string,
    number: number,
    o?: { deliveryId?: string; payload?: PullRequestPayload },
  ): Promise<PullRequestEventResult>;
  /** CPU time the app process has used so far, in ms (all threads; Linux /proc, else undefined). */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

/** A pull_request webhook payload (what the harness reads of it). */
export type PullRequestPayload = Record<string, unknown> & { pull_request: { head: { sha: string } } };

export interface PullRequestEventResult {
  /** The payload delivered (send it again for a redelivery). */
  payload: PullRequestPayload;
  status: number;
  deliveryId: string;
  run: CheckRunRecord;
  log: LogLine;
  /** The requests the app made to the double for this delivery. */
  requests: GitHubDouble['requests'];
  /** ms from sending the webhook to seeing the completed check run. */
  latencyMs: number;
  /** The statuses the new check run was seen in, in order (e.g. in_progress, completed). */
  statuses: string[];
}

export interface HarnessOptions {
  appId?: number;
  installationId?: number;
  secret?: string;
  /** Also copy the app's output to this stream as it arrives (the demo: nothing; debugging: stderr). */
  echo?: NodeJS.WritableStream;
  /** Extra environment for the app (e.g. LOG_LEVEL=debug). */
  env?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Sum of the CPU time (ns) of every thread of `pid`, from /proc/<pid>/task/<tid>/schedstat. */
function processCpuMs(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended meanwhile.
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

export async function startAppHarness(o: HarnessOptions = {}): Promise<AppHarness> {
  if (!existsSync(APP_ENTRY))
    throw new Error(`${APP_ENTRY} is missing: run npm run build (or ensureBuilt())`);
  const appId = o.appId ?? 424242;
  const secret = o.secret ?? `whsec-${randomUUID()}`;
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const double = await startGitHubDouble({
    appId,
    publicKeyPem: keys.publicKey,
    installationId: o.installationId ?? 7001,
  });
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
    NODE_ENV: 'production',
    APP_ID: String(appId),
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: secret,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    GHE_HOST: double.host,
    GHE_PROTOCOL: 'http',
    ...o.env,
  };
  const spawned = performance.now();
  const cwd = mkdtempSync(join(tmpdir(), 'migration-guard-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [APP_ENTRY], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const parsed: LogLine[] = [];
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  // If this process ends without stop() (an interrupted test run), the server goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      process.removeListener('exit', killOnExit);
      resolve();
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    let carry = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      text += chunk;
      o.echo?.write(chunk);
      const lines = (carry + chunk).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          parsed.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line.
        }
      }
    });
  }
  const output = () => text;
  const logs = () => parsed;

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exitPromise;
      clearTimeout(killer);
    }
    rmSync(cwd, { recursive: true, force: true });
    await double.close();
  };

  // Ready when GET /ping answers PONG.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(
        `the app server exited (${JSON.stringify(exited)}) before answering /ping:\n${output()}`,
      );
    }
    const pong = await get(`${appUrl}/ping`).catch(() => undefined);
    if (pong?.status === 200 && pong.body === 'PONG') break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app server did not answer /ping within 20 s:\n${output()}`);
    }
    await sleep(50);
  }

  const startupMs = performance.now() - spawned;

  const runsOf = (owner: string, repo: string, sha: string) =>
    double.state.checkRuns
      .filter((r) => r.owner === owner && r.repo === repo && r.headSha === sha && r.name === CHECK_NAME)
      .sort((a, b) => a.id - b.id);

  const harness: AppHarness = {
    double,
    appUrl,
    secret,
    appId,
    pid: child.pid ?? 0,
    startupMs,
    output,
    logs,

    leakedSecrets() {
      const text = output();
      const leaks: string[] = [];
      const keyLines = keys.privateKey
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .map((l) => l.trim());
      if (keyLines.some((l) => text.includes(l))) leaks.push('private key');
      if (text.includes('PRIVATE KEY')) leaks.push('private key header');
      if (text.includes(secret)) leaks.push('webhook secret');
      for (const token of double.state.tokens.keys()) {
        if (text.includes(token)) leaks.push(`installation token ${token.slice(0, 8)}…`);
      }
      if (/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./.test(text)) leaks.push('a JWT');
      return leaks;
    },

    async send(event, payload, s = {}) {
      const deliveryId = s.deliveryId ?? randomUUID();
      const status = await double.sendWebhook(appUrl, event, payload, {
        secret,
        deliveryId,
        ...(s.forgeSignature ? { forgeSignature: true } : {}),
      });
      return { status, deliveryId };
    },

    async waitForDelivery(deliveryId, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const line = logs().find(
          (l) => l.deliveryId === deliveryId && (l.msg === 'event handled' || l.msg === 'event failed'),
        );
        if (line) return line;
        if (exited) throw new Error(`the app server exited:\n${output()}`);
        if (Date.now() > end) throw new Error(`delivery ${deliveryId} not handled within ${timeoutMs} ms`);
        await sleep(5);
      }
    },

    checkRuns: runsOf,

    async waitForCheckRun(owner, repo, sha, w = {}) {
      const end = Date.now() + (w.timeoutMs ?? 15_000);
      for (;;) {
        const runs = runsOf(owner, repo, sha).filter((r) => r.id > (w.newerThan ?? 0));
        const newest = runs[runs.length - 1];
        if (newest && w.statuses && w.statuses[w.statuses.length - 1] !== newest.status) {
          w.statuses.push(newest.status);
        }
        const run = runs.find((r) => r.status === 'completed');
        if (run) return run;
        if (exited) throw new Error(`the app server exited:\n${output()}`);
        if (Date.now() > end) {
          const seen = runsOf(owner, repo, sha).map((r) => `${r.id} ${r.status}/${r.conclusion}`);
          throw new Error(
            `no completed ${CHECK_NAME} check run on ${sha.slice(0, 7)} within ${w.timeoutMs ?? 15_000} ms (runs: ${seen.join(', ') || 'none'})`,
          );
        }
        await sleep(5);
      }
    },

    async pullRequestEvent(action, owner, repo, number, e = {}) {
      const payload =
        e.payload ?? (double.payloads.pullRequest(action, owner, repo, number) as PullRequestPayload);
      const sha = payload.pull_request.head.sha;
      const newerThan = Math.max(0, ...runsOf(owner, repo, sha).map((r) => r.id));
      const firstRequest = double.requests.length;
      const t0 = performance.now();
      const statuses: string[] = [];
      const sent = harness.send('pull_request', payload, { deliveryId: e.deliveryId });
      const run = await harness.waitForCheckRun(owner, repo, sha, { newerThan, statuses });
      const latencyMs = performance.now() - t0;
      const { status, deliveryId } = await sent;
      const log = await harness.waitForDelivery(deliveryId);
      const requests = double.requests.slice(firstRequest);
      return { payload, status, deliveryId, run, log, requests, latencyMs, statuses };
    },

    cpuMs: () => (child.pid ? processCpuMs(child.pid) : undefined),
    stop,
  };
  return harness;
}
