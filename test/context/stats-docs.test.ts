/**
 * docs/production-context.md describes every field a stats file can hold, and the example refresh
 * workflow is valid YAML that runs `migration-guard stats` on the default file with --previous.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { serializeStats } from '../../src/context/stats-file';
import { DEFAULT_STATS_FILE, type StatsSnapshot } from '../../src/context/types';

const root = path.join(__dirname, '..', '..');
const doc = readFileSync(path.join(root, 'docs/production-context.md'), 'utf8');

/** A snapshot with every optional field present. */
const full: StatsSnapshot = {
  format: 'migration-guard-stats',
  version: 1,
  takenAt: '2025-03-10T12:00:00.000Z',
  server: { version: '17.2', major: 17 },
  database: 'shop',
  statsResetAt: null,
  notes: [],
  tables: {
    'public.events_2025': {
      kind: 'table',
      rows: 1,
      heapBytes: 1,
      toastBytes: 1,
      indexBytes: 1,
      totalBytes: 1,
      indexes: [{ name: 'i', bytes: 1, unique: true, primary: true, valid: true, parent: 'p' }],
      activity: {
        inserts: 1,
        updates: 1,
        deletes: 1,
        seqScans: 1,
        seqRowsRead: 1,
        indexScans: 1,
        liveRows: 1,
        deadRows: 1,
      },
      rates: { writesPerSecond: 1, scansPerSecond: 1, windowSeconds: 1, source: 'since-reset' },
      partitions: [],
      parent: 'public.events',
      estimatedSizes: true,
    },
  },
};

function keys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keys(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (!k.includes('.')) out.add(k);
      keys(v, out);
    }
  }
  return out;
}

test.each([...keys(JSON.parse(serializeStats(full)))])('docs/production-context.md describes `%s`', (key) => {
  expect(doc).toContain(`\`${key}\``);
});

test('the documentation keeps its sections under the agreed headings', () => {
  expect(doc).toMatch(/^## Statistics snapshot$/m);
  expect(doc).toMatch(/^## Refreshing the snapshot$/m);
});

test('the example workflow runs stats on the default file, merging with the committed one', () => {
  const workflow = parse(readFileSync(path.join(root, 'docs/examples/migration-guard-stats.yml'), 'utf8'));
  expect(Object.keys(workflow.on)).toEqual(['schedule', 'workflow_dispatch']);
  expect(workflow.permissions).toEqual({ contents: 'write' });
  const steps = workflow.jobs.snapshot.steps as { run?: string; env?: Record<string, string> }[];
  const snapshot = steps.find((s) => s.run?.includes('migration-guard stats'))!;
  expect(snapshot.env).toEqual({ DATABASE_URL: '${{ secrets.MIGRATION_GUARD_DATABASE_URL }}' });
  expect(snapshot.run).toContain(`file=${DEFAULT_STATS_FILE}`);
  expect(snapshot.run).toContain('npx migration-guard stats --out "$file" "${previous[@]}"');
  expect(steps.at(-1)!.run).toContain(`git add ${DEFAULT_STATS_FILE}`);
});
