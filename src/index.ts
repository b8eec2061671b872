#!/usr/bin/env node
/**
 * `npm start`: the GitHub App server. Probot reads its standard environment: APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST (listen address), LOG_LEVEL, and
 * GHE_HOST / GHE_PROTOCOL for GitHub Enterprise Server (any REST v3 base URL, e.g. a local
 * double at http://127.0.0.1:PORT). Webhooks arrive at POST /api/github/webhooks; GET /ping
 * answers PONG (the Docker healthcheck).
 */
import { run } from 'probot';
import migrationGuard from './github/app';
import { probotOptions } from './github/options';

run(migrationGuard, probotOptions()).catch((error: unknown) => {
  process.stderr.write(
    `migration-guard: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
