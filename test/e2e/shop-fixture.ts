/**
 * The sample repository of the end-to-end tests and `npm run demo`: a shop whose base branch has
 * customers and orders tables, and a pull request that adds a risky migration to it.
 */
export const OWNER = 'acme';

export const CONFIG = 'postgresVersion: 16\nmigrations:\n  paths:\n    - db/migrations/*.sql\n';
export const CUSTOMERS = 'db/migrations/001_customers.sql';
export const ORDERS = 'db/migrations/002_orders.sql';

/** The base branch: a config file and the migration history. */
export const HISTORY: Record<string, string> = {
  'README.md': '# shop\n',
  '.github/migration-guard.yml': CONFIG,
  [CUSTOMERS]: [
    'CREATE TABLE customers (',
    '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
    '  email text NOT NULL',
    ');',
    '',
  ].join('\n'),
  [ORDERS]: [
    'CREATE TABLE orders (',
    '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
    '  customer_id bigint NOT NULL REFERENCES customers (id),',
    '  status text NOT NULL,',
    '  total numeric(12, 2) NOT NULL,',
    '  created_at timestamptz NOT NULL DEFAULT now()',
    ');',
    '',
  ].join('\n'),
};

export const RISKY = 'db/migrations/003_order_tracking.sql';
/** Line 4: CREATE INDEX on orders (a table of the history); lines 6-7: a volatile default. */
export const RISKY_SQL = [
  '-- Look orders up by status, and give them a public id.',
  "SET lock_timeout = '5s';",
  '',
  'CREATE INDEX orders_status_idx ON orders (status);',
  '',
  'ALTER TABLE orders',
  '  ADD COLUMN public_id uuid DEFAULT gen_random_uuid();',
  '',
].join('\n');

/**
 * `.github/migration-guard-stats.json` as `migration-guard stats` writes it, for the shop's tables:
 * `orders` of `ordersMB` megabytes (80 % heap), ~1 row per 100 bytes, with counters that give
 * `ordersWritesPerSecond` since the statistics were reset a day before the snapshot.
 */
export function statsFile(ordersMB: number, ordersWritesPerSecond: number, takenAt = new Date()): string {
  const MB = 1024 * 1024;
  const day = 86_400;
  const table = (mb: number, writesPerSecond: number, pkey: string) => ({
    kind: 'table',
    rows: Math.round((mb * MB) / 100),
    heapBytes: Math.round(mb * MB * 0.8),
    toastBytes: 0,
    indexBytes: Math.round(mb * MB * 0.2),
    totalBytes: Math.round(mb * MB),
    indexes: [{ name: pkey, bytes: Math.round(mb * MB * 0.2), unique: true, primary: true, valid: true }],
    activity: {
      inserts: Math.round(writesPerSecond * day),
      updates: 0,
      deletes: 0,
      seqScans: 0,
      seqRowsRead: 0,
      indexScans: 1000,
      liveRows: Math.round((mb * MB) / 100),
      deadRows: 0,
    },
  });
  return JSON.stringify(
    {
      format: 'migration-guard-stats',
      version: 1,
      takenAt: takenAt.toISOString(),
      server: { version: '16.4', major: 16 },
      database: 'shop',
      statsResetAt: new Date(takenAt.getTime() - day * 1000).toISOString(),
      tables: {
        'public.customers': table(2, 0, 'customers_pkey'),
        'public.orders': table(ordersMB, ordersWritesPerSecond, 'orders_pkey'),
      },
      notes: [],
    },
    null,
    2,
  );
}
