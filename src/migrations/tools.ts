/**
 * Migration tools: how each one names its files, whether it runs a file inside a transaction, how
 * a file opts out, and which files are "down" (revert) migrations. The transaction behaviour is
 * what decides whether `CREATE INDEX CONCURRENTLY` deploys or fails, and how long locks are held.
 *
 * Sources (each tool's own documentation and code, as of 2026):
 *  - golang-migrate: postgres driver sends a whole file as one multi-statement query, which
 *    PostgreSQL runs as one implicit transaction; `x-multi-statement=true` splits it.
 *  - goose: every migration in a transaction unless the file says `-- +goose NO TRANSACTION`.
 *  - Flyway: each migration in a transaction; a migration made only of statements that cannot run
 *    in one is run without (mixing them fails unless `mixed = true`).
 *  - dbmate: transaction per migration unless `-- migrate:up transaction:false`.
 *  - sqlx: transaction per migration unless the file starts with `-- no-transaction`.
 *  - diesel: transaction per migration unless `run_in_transaction = false` in metadata.toml (not
 *    visible in the SQL: configure it).
 *  - Prisma Migrate: a migration.sql is sent as one multi-statement script: one implicit
 *    transaction, so `CONCURRENTLY` needs a migration of its own statement.
 *  - Atlas: `-- atlas:txmode none|file|all`; default one transaction per file.
 *  - sqitch: deploy scripts run by psql as written; the convention is explicit BEGIN/COMMIT.
 *  - Drizzle Kit: drizzle-orm's PostgreSQL migrator (used by `drizzle-kit migrate` and `migrate()`)
 *    opens ONE transaction and runs every pending migration's statements in it (files split at
 *    `--> statement-breakpoint`); there is no per-file opt-out.
 *  - plain: as written; only explicit BEGIN/COMMIT makes a transaction.
 */
import type { Directive, ParsedFile } from '../analysis/parse';
import type { MigrationTool } from '../analysis/types';

export interface TransactionMode {
  /** The tool wraps the file (or the up/down section) in one transaction. */
  wrapped: boolean;
  /** Wrapped as one implicit transaction of a multi-statement query (golang-migrate, Prisma). */
  implicit?: boolean;
  /** Why: the marker or rule that decided it, for messages. */
  reason: string;
}

export interface ToolPreset {
  id: MigrationTool;
  name: string;
  /** Does this path look like this tool's migration? */
  matchesPath(path: string): boolean;
  /** Does the file's content show this tool's markers? */
  matchesContent?(directives: Directive[], text: string): boolean;
  /** `allowedInTransaction[i]`: whether statement i may run in a transaction block (effects). */
  transaction(file: ParsedFile, allowedInTransaction: boolean[]): TransactionMode;
  /** How to make this file run outside a transaction, in this tool's words. */
  outsideTransaction: string;
  isDown(path: string): boolean;
}

const base = (p: string) => p.split('/').pop() ?? p;
/** What drizzle-kit writes between statements: on a line of its own, or right after the `;`. */
const DRIZZLE_BREAKPOINT = /(^|;)[ \t]*-->[ \t]*statement-breakpoint[ \t]*\r?$/m;
/** Down/revert migrations by file name: `*.down.sql`, `revert/`, `undo/`, Flyway `U<version>__`. */
export const isDownMigrationPath = (p: string): boolean => down(p.replace(/\\/g, '/'));

const down = (p: string) =>
  /(^|[._/-])down\.sql$/i.test(p) || /(^|\/)(revert|undo)\//i.test(p) || /^U\d/.test(base(p));

function directive(file: ParsedFile, tool: Directive['tool'], re: RegExp): Directive | undefined {
  return file.directives.find((d) => d.tool === tool && re.test(d.value));
}

export const PRESETS: ToolPreset[] = [
  {
    id: 'goose',
    name: 'goose',
    matchesPath: () => false,
    matchesContent: (directives) => directives.some((d) => d.tool === 'goose'),
    transaction: (file) =>
      directive(file, 'goose', /^no\s+transaction\b/i)
        ? { wrapped: false, reason: '`-- +goose NO TRANSACTION`' }
        : { wrapped: true, reason: 'goose runs each migration in a transaction' },
    outsideTransaction:
      'add `-- +goose NO TRANSACTION` at the top of the file and keep this statement in a migration of its own',
    isDown: down,
  },
  {
    id: 'dbmate',
    name: 'dbmate',
    matchesPath: () => false,
    matchesContent: (directives) => directives.some((d) => d.tool === 'dbmate'),
    transaction: (file) =>
      directive(file, 'dbmate', /transaction\s*:\s*false/i)
        ? { wrapped: false, reason: '`-- migrate:up transaction:false`' }
        : { wrapped: true, reason: 'dbmate runs each migration in a transaction' },
    outsideTransaction:
      'write `-- migrate:up transaction:false` and keep this statement in a migration of its own',
    isDown: down,
  },
  {
    id: 'atlas',
    name: 'Atlas',
    matchesPath: (p) => /(^|\/)atlas\.sum$/.test(p),
    matchesContent: (directives) => directives.some((d) => d.tool === 'atlas'),
    transaction: (file) =>
      directive(file, 'atlas', /^txmode\s+none\b/i)
        ? { wrapped: false, reason: '`-- atlas:txmode none`' }
        : { wrapped: true, reason: 'Atlas runs each file in a transaction (txmode file)' },
    outsideTransaction:
      'add `-- atlas:txmode none` at the top of the file and keep this statement in a file of its own',
    isDown: down,
  },
  {
    id: 'prisma',
    name: 'Prisma Migrate',
    matchesPath: (p) => /(^|\/)migrations\/[^/]+\/migration\.sql$/i.test(p),
    transaction: () => ({
      wrapped: true,
      implicit: true,
      reason: 'Prisma sends migration.sql as one multi-statement script: one implicit transaction',
    }),
    outsideTransaction:
      'put this statement alone in a migration of its own (a one-statement script runs outside a transaction)',
    isDown: () => false,
  },
  {
    id: 'diesel',
    name: 'diesel',
    matchesPath: (p) => /(^|\/)migrations\/[^/]+\/(up|down)\.sql$/i.test(p),
    transaction: () => ({ wrapped: true, reason: 'diesel runs each migration in a transaction' }),
    outsideTransaction:
      'set `run_in_transaction = false` in the migration’s metadata.toml and keep this statement in a migration of its own',
    isDown: down,
  },
  {
    id: 'flyway',
    name: 'Flyway',
    matchesPath: (p) => /^(V\d[\w.]*|R|U\d[\w.]*)__.+\.sql$/.test(base(p)),
    transaction: (_file, allowed) => {
      const onlyNonTx = allowed.length > 0 && allowed.every((ok) => !ok);
      return onlyNonTx
        ? {
            wrapped: false,
            reason: 'Flyway runs a migration of only non-transactional statements outside a transaction',
          }
        : { wrapped: true, reason: 'Flyway runs each migration in a transaction' };
    },
    outsideTransaction:
      'put this statement in a migration of its own (Flyway then runs it outside a transaction)',
    isDown: down,
  },
  {
    id: 'sqitch',
    name: 'sqitch',
    matchesPath: (p) => /(^|\/)(deploy|revert|verify)\/[^/]+\.sql$/.test(p),
    transaction: () => ({
      wrapped: false,
      reason: 'sqitch runs scripts with psql as written (explicit BEGIN/COMMIT)',
    }),
    outsideTransaction: 'remove BEGIN/COMMIT around this statement (sqitch runs the script as written)',
    isDown: (p) => /(^|\/)revert\//.test(p),
  },
  {
    id: 'drizzle',
    name: 'Drizzle Kit',
    // drizzle-kit generate writes `<4 digits>_<words>.sql` into its out folder (default `drizzle/`).
    matchesPath: (p) => /(^|\/)drizzle\/\d{4}_[^/]+\.sql$/.test(p),
    matchesContent: (_d, text) => DRIZZLE_BREAKPOINT.test(text),
    transaction: () => ({
      wrapped: true,
      reason:
        'the Drizzle migrator runs every pending migration in one transaction (locks are held until all of them are done)',
    }),
    outsideTransaction:
      'take this statement out of the Drizzle migrations (its migrator always uses a transaction) and run it on its own, e.g. as a separate deploy step',
    isDown: () => false,
  },
  {
    id: 'sqlx',
    name: 'sqlx',
    matchesPath: () => false,
    matchesContent: (_d, text) => /^\s*--\s*no-transaction\b/.test(text),
    transaction: (file) =>
      /^\s*--\s*no-transaction\b/.test(file.text)
        ? { wrapped: false, reason: '`-- no-transaction`' }
        : { wrapped: true, reason: 'sqlx runs each migration in a transaction' },
    outsideTransaction:
      'start the file with `-- no-transaction` and keep this statement in a migration of its own',
    isDown: down,
  },
  {
    id: 'golang-migrate',
    name: 'golang-migrate',
    matchesPath: (p) => /^\d+_[^/]+\.(up|down)\.sql$/i.test(base(p)),
    transaction: () => ({
      wrapped: true,
      implicit: true,
      reason: 'golang-migrate sends the file as one multi-statement query: one implicit transaction',
    }),
    outsideTransaction:
      'put this statement alone in a migration file of its own (or enable x-multi-statement)',
    isDown: down,
  },
  {
    id: 'plain',
    name: 'plain SQL',
    matchesPath: () => true,
    transaction: () => ({
      wrapped: false,
      reason: 'no migration tool detected: only explicit BEGIN/COMMIT counts',
    }),
    outsideTransaction:
      'run it outside BEGIN ... COMMIT, and make sure the runner does not wrap the file in a transaction',
    isDown: down,
  },
];

/** sqlx, plain and the path-only presets can be named in config; `undefined` picks by detection. */
export function presetById(id: MigrationTool): ToolPreset {
  return PRESETS.find((p) => p.id === id) ?? PRESETS[PRESETS.length - 1];
}

/**
 * The tool for one file: config wins; then markers in the file (goose, dbmate, atlas, Drizzle, sqlx);
 * then the path (Prisma, diesel, Flyway, sqitch, Drizzle, golang-migrate); else plain, judged as written.
 */
export function detectTool(
  path: string,
  file: ParsedFile | undefined,
  configured?: MigrationTool,
): ToolPreset {
  if (configured) return presetById(configured);
  if (file) {
    const byContent = PRESETS.find((p) => p.matchesContent?.(file.directives, file.text));
    if (byContent) return byContent;
  }
  return PRESETS.find((p) => p.matchesPath(path.replace(/\\/g, '/'))) ?? presetById('plain');
}
