/**
 * The stats file without a database: parsing and every error message, serialisation, age and
 * staleness, rates since the reset and between two snapshots, and lookups by the analysis' names
 * (partitioned tables summed over their partitions).
 */
import {
  mergeSnapshots,
  parseStatsFile,
  serializeStats,
  staleWarning,
  statsAgeDays,
  StatsFileError,
  StatsMergeError,
  tableLookup,
  withSinceResetRates,
} from '../../src/context/stats-file';
import type { StatsSnapshot, TableActivity, TableStats } from '../../src/context/types';

const FILE = '.github/migration-guard-stats.json';

/** A parsed file being edited into a broken one: any shape goes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function activity(partial: Partial<TableActivity> = {}): TableActivity {
  return {
    inserts: 0,
    updates: 0,
    deletes: 0,
    seqScans: 0,
    seqRowsRead: 0,
    indexScans: 0,
    liveRows: 0,
    deadRows: 0,
    ...partial,
  };
}

function table(partial: Partial<TableStats> = {}): TableStats {
  return {
    kind: 'table',
    rows: 1000,
    heapBytes: 8192 * 10,
    toastBytes: 0,
    indexBytes: 16384,
    totalBytes: 8192 * 10 + 16384 + 24576,
    indexes: [{ name: 'orders_pkey', bytes: 16384, unique: true, primary: true, valid: true }],
    ...partial,
  };
}

function snapshot(partial: Partial<StatsSnapshot> = {}): StatsSnapshot {
  return {
    format: 'migration-guard-stats',
    version: 1,
    takenAt: '2025-03-10T12:00:00.000Z',
    server: { version: '17.2', major: 17 },
    database: 'shop',
    statsResetAt: '2025-03-01T12:00:00.000Z',
    tables: {
      'public.orders': table({ activity: activity({ inserts: 864_000, updates: 86_400, seqScans: 10 }) }),
    },
    notes: [],
    ...partial,
  };
}

/** The error's message, or a failure if nothing was thrown. */
function errorOf(text: string): string {
  try {
    parseStatsFile(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(StatsFileError);
    expect((error as StatsFileError).file).toBe(FILE);
    return (error as Error).message;
  }
  throw new Error('parsed without an error');
}

/** A valid file with `edit` applied to its parsed JSON. */
function edited(edit: (doc: Doc) => void): string {
  const doc = JSON.parse(serializeStats(snapshot()));
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

describe('parseStatsFile', () => {
  test('reads back what serializeStats wrote', () => {
    const s = snapshot({
      tables: {
        'public.orders': table({
          activity: activity({ inserts: 5 }),
          rates: {
            writesPerSecond: 1.5,
            scansPerSecond: 0,
            windowSeconds: 3600,
            source: 'between-snapshots',
          },
        }),
        'public.events': table({ kind: 'partitioned table', rows: null, partitions: ['public.events_2025'] }),
        'public.events_2025': table({
          parent: 'public.events',
          estimatedSizes: true,
          indexes: [
            {
              name: 'events_2025_at_idx',
              bytes: 8192,
              unique: false,
              primary: false,
              valid: false,
              parent: 'e',
            },
          ],
        }),
        'Billing.Orders': table({ kind: 'materialized view', indexes: [] }),
      },
      statsResetAt: null,
      notes: ['no permission to read pg_index: indexes are not listed (their total size is)'],
    });
    expect(parseStatsFile(serializeStats(s), FILE)).toEqual(s);
  });

  test('accepts a byte-order mark and ignores keys it does not know', () => {
    const text = edited((doc) => {
      doc.comment = 'written by a newer version';
      doc.tables['public.orders'].bloat = 0.2;
    });
    const parsed = parseStatsFile('\uFEFF' + text, FILE);
    expect(parsed).toEqual(snapshot());
    expect('comment' in parsed).toBe(false);
  });

  test.each([
    ['', 'line 1, column 1: expected a value, found end of file'],
    [
      '{\n  "format": "migration-guard-stats",\n  "version": 1,\n}',
      `line 4, column 1: expected a property name in double quotes, found character "}"`,
    ],
    ['{\n  "a": 1\n  "b": 2\n}', `line 3, column 3: expected ',' or '}', found character "\\""`],
    ['{"a": [1, 2', `line 1, column 12: expected ',' or ']', found end of file`],
    ["{'a': 1}", 'line 1, column 2: expected a property name in double quotes'],
    ['{"a": "x\ny"}', 'line 1, column 9: control character (such as a line break) inside a string'],
    ['{"a": tru}', 'line 1, column 7: expected a value, found character "t"'],
    ['{"a": 1} x', 'line 1, column 10: unexpected character "x" after the end of the value'],
    ['{"a": "\\q"}', 'line 1, column 8: invalid escape in a string'],
    ['{"a": "abc', 'line 1, column 11: unterminated string'],
  ])('not JSON: %j', (text, where) => {
    expect(errorOf(text)).toContain(`${FILE}: not valid JSON: ${where}`);
  });

  test.each([
    ['[]', 'no "format"'],
    ['"migration-guard-stats"', 'no "format"'],
    ['{"tables": {}}', 'no "format"'],
    ['{"format": "squawk"}', 'its "format" is "squawk"'],
    ['{"format": 1}', 'its "format" is 1'],
  ])('not a stats file: %s', (text, found) => {
    expect(errorOf(text)).toBe(
      `${FILE}: not a Migration Guard stats file (${found}; expected "format": "migration-guard-stats")`,
    );
  });

  test('an unknown format version says which one it reads and what to do', () => {
    expect(errorOf(edited((doc) => (doc.version = 2)))).toBe(
      `${FILE}: unknown stats file format version 2: this Migration Guard reads version 1; ` +
        're-run `migration-guard stats` to write the file again (or upgrade Migration Guard if a newer one wrote it)',
    );
  });

  test.each<[string, (doc: Doc) => void, string]>([
    ['version missing', (d) => delete d.version, 'version: missing'],
    ['version a string', (d) => (d.version = '1'), 'version: must be 1 (got "1")'],
    ['takenAt missing', (d) => delete d.takenAt, 'takenAt: missing'],
    [
      'takenAt not a date',
      (d) => (d.takenAt = 'yesterday'),
      'takenAt: must be a date and time in ISO 8601 (got "yesterday")',
    ],
    ['server missing', (d) => delete d.server, 'server: missing'],
    ['server a string', (d) => (d.server = '17'), 'server: must be an object (got "17")'],
    [
      'server.major a string',
      (d) => (d.server.major = '17'),
      'server.major: must be a whole number ≥ 1 (got "17")',
    ],
    ['server.version a number', (d) => (d.server.version = 17), 'server.version: must be a string (got 17)'],
    ['database missing', (d) => delete d.database, 'database: missing'],
    ['statsResetAt missing', (d) => delete d.statsResetAt, 'statsResetAt: missing'],
    [
      'statsResetAt a number',
      (d) => (d.statsResetAt = 0),
      'statsResetAt: must be a date and time in ISO 8601 or null (got 0)',
    ],
    ['tables a list', (d) => (d.tables = []), 'tables: must be an object (got [])'],
    ['notes missing', (d) => delete d.notes, 'notes: missing'],
    ['a note a number', (d) => (d.notes = ['ok', 3]), 'notes[1]: must be a string (got 3)'],
    [
      'an unqualified table name',
      (d) => (d.tables.orders = d.tables['public.orders']),
      'tables.orders: must be a schema-qualified name (schema.table)',
    ],
    [
      'a table not an object',
      (d) => (d.tables['public.x'] = 5),
      'tables["public.x"]: must be an object (got 5)',
    ],
    [
      'a table kind',
      (d) => (d.tables['public.orders'].kind = 'view'),
      'tables["public.orders"].kind: must be one of "table", "partitioned table", "materialized view" (got "view")',
    ],
    [
      'heapBytes a string',
      (d) => (d.tables['public.orders'].heapBytes = '12'),
      'tables["public.orders"].heapBytes: must be a whole number ≥ 0 (got "12")',
    ],
    [
      'totalBytes negative',
      (d) => (d.tables['public.orders'].totalBytes = -1),
      'tables["public.orders"].totalBytes: must be a whole number ≥ 0 (got -1)',
    ],
    [
      'toastBytes missing',
      (d) => delete d.tables['public.orders'].toastBytes,
      'tables["public.orders"].toastBytes: missing',
    ],
    [
      'rows a string',
      (d) => (d.tables['public.orders'].rows = 'many'),
      'tables["public.orders"].rows: must be a number ≥ 0 or null (got "many")',
    ],
    [
      'indexes an object',
      (d) => (d.tables['public.orders'].indexes = {}),
      'tables["public.orders"].indexes: must be a list (got {})',
    ],
    [
      'an index without bytes',
      (d) => delete d.tables['public.orders'].indexes[0].bytes,
      'tables["public.orders"].indexes[0].bytes: missing',
    ],
    [
      'an index flag a string',
      (d) => (d.tables['public.orders'].indexes[0].valid = 'yes'),
      'tables["public.orders"].indexes[0].valid: must be true or false (got "yes")',
    ],
    [
      'an activity counter fractional',
      (d) => (d.tables['public.orders'].activity.inserts = 1.5),
      'tables["public.orders"].activity.inserts: must be a whole number ≥ 0 (got 1.5)',
    ],
    [
      'activity a list',
      (d) => (d.tables['public.orders'].activity = []),
      'tables["public.orders"].activity: must be an object (got [])',
    ],
    [
      'a rate source',
      (d) =>
        (d.tables['public.orders'].rates = {
          writesPerSecond: 1,
          scansPerSecond: 1,
          windowSeconds: 1,
          source: 'guess',
        }),
      'tables["public.orders"].rates.source: must be one of "between-snapshots", "since-reset" (got "guess")',
    ],
    [
      'a zero rate window',
      (d) =>
        (d.tables['public.orders'].rates = {
          writesPerSecond: 1,
          scansPerSecond: 1,
          windowSeconds: 0,
          source: 'since-reset',
        }),
      'tables["public.orders"].rates.windowSeconds: must be a number > 0 (got 0)',
    ],
    [
      'partitions not strings',
      (d) => (d.tables['public.orders'].partitions = [1]),
      'tables["public.orders"].partitions[0]: must be a string (got 1)',
    ],
    [
      'parent not a string',
      (d) => (d.tables['public.orders'].parent = null),
      'tables["public.orders"].parent: must be a string (got null)',
    ],
  ])('%s', (_name, edit, problem) => {
    expect(errorOf(edited(edit))).toBe(`${FILE}: ${problem}`);
  });

  test('reports every problem at once, one per line', () => {
    const message = errorOf(
      edited((d) => {
        delete d.database;
        d.tables['public.orders'].heapBytes = null;
      }),
    );
    expect(message).toBe(
      `${FILE}: invalid stats file:\n` +
        '  database: missing\n' +
        '  tables["public.orders"].heapBytes: must be a whole number ≥ 0 (got null)',
    );
  });

  test('more than 20 problems end with a count of the rest', () => {
    const message = errorOf(
      edited((d) => {
        for (let i = 0; i < 25; i++) d.tables[`public.t${i}`] = 'x';
      }),
    );
    expect(message.split('\n')).toHaveLength(22);
    expect(message).toMatch(/\n {2}\.\.\. and 5 more$/);
  });
});

describe('serializeStats', () => {
  test('sorts keys at every level, indents by two, ends with a newline, omits undefined', () => {
    const text = serializeStats(
      snapshot({ tables: { 'public.b': table({ rates: undefined }), 'public.a': table() } }),
    );
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toContain('rates');
    const keys = (o: object) => Object.keys(o);
    const doc = JSON.parse(text);
    expect(keys(doc)).toEqual([...keys(doc)].sort());
    expect(keys(doc.tables)).toEqual(['public.a', 'public.b']);
    expect(keys(doc.tables['public.a'])).toEqual([...keys(doc.tables['public.a'])].sort());
    expect(text).toContain('\n  "database": "shop",\n');
  });

  test('the same snapshot built in another key order gives the same text', () => {
    const reverse = (v: unknown): unknown =>
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reverse(x)]),
          )
        : v;
    const s = snapshot();
    const reordered = reverse(s) as StatsSnapshot;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(s));
    expect(serializeStats(reordered)).toBe(serializeStats(s));
  });
});

describe('age and staleness', () => {
  const s = snapshot({ takenAt: '2025-03-10T12:00:00.000Z' });

  test('statsAgeDays', () => {
    expect(statsAgeDays(s, new Date('2025-03-11T00:00:00Z'))).toBe(0.5);
    expect(statsAgeDays(s, new Date('2025-03-09T12:00:00Z'))).toBe(-1);
  });

  test('no warning while recent, nor for a snapshot from the future', () => {
    expect(staleWarning(s, 30, new Date('2025-04-09T12:00:00Z'))).toBeUndefined();
    expect(staleWarning(s, 30, new Date('2025-01-01T00:00:00Z'))).toBeUndefined();
  });

  test('a warning once older than maxAgeDays', () => {
    expect(staleWarning(s, 30, new Date('2025-04-25T18:00:00Z'))).toBe(
      'the statistics snapshot is 46 days old (taken 2025-03-10), older than stats.maxAgeDays (30): ' +
        'sizes and rates may have changed since; refresh it with `migration-guard stats`',
    );
    expect(staleWarning(s, 0.5, new Date('2025-03-11T13:00:00Z'))).toMatch(/is 1 day old /);
  });

  test('maxAgeDays 0 turns the warning off', () => {
    expect(staleWarning(s, 0, new Date('2030-01-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('withSinceResetRates', () => {
  test('counters divided by the time since the reset', () => {
    // 9 days = 777,600 s; 950,400 writes; 10 scans.
    const rated = withSinceResetRates(snapshot());
    expect(rated.tables['public.orders'].rates).toEqual({
      writesPerSecond: 1.222,
      scansPerSecond: 0,
      windowSeconds: 777_600,
      source: 'since-reset',
    });
  });

  test('nothing without a reset time or activity; the input is not changed', () => {
    const s = snapshot({ statsResetAt: null });
    expect(withSinceResetRates(s)).toEqual(s);
    const quiet = snapshot({ tables: { 'public.orders': table() } });
    expect(withSinceResetRates(quiet).tables['public.orders'].rates).toBeUndefined();
    const original = snapshot();
    withSinceResetRates(original);
    expect(original.tables['public.orders'].rates).toBeUndefined();
  });

  test('never overwrites rates between two snapshots', () => {
    const rates = {
      writesPerSecond: 50,
      scansPerSecond: 2,
      windowSeconds: 86_400,
      source: 'between-snapshots' as const,
    };
    const s = snapshot({ tables: { 'public.orders': table({ activity: activity({ inserts: 1 }), rates }) } });
    expect(withSinceResetRates(s).tables['public.orders'].rates).toEqual(rates);
  });
});

describe('mergeSnapshots', () => {
  const previous = snapshot({
    takenAt: '2025-03-09T12:00:00.000Z',
    tables: {
      'public.orders': table({
        activity: activity({ inserts: 800_000, updates: 50_000, seqScans: 4, indexScans: 100 }),
      }),
      'public.audit': table({ activity: activity({ inserts: 5000 }) }),
      'public.gone': table({ activity: activity() }),
    },
  });
  const current = snapshot({
    takenAt: '2025-03-10T12:00:00.000Z',
    tables: {
      'public.orders': table({
        activity: activity({ inserts: 886_400, updates: 136_400, deletes: 0, seqScans: 4, indexScans: 8740 }),
      }),
      // Counters went down: reset for this table alone (or dropped and created again).
      'public.audit': table({ activity: activity({ inserts: 10 }) }),
      'public.new_table': table({ activity: activity({ inserts: 4320 }) }),
      'public.no_activity': table(),
    },
  });

  test('rates from the counter differences over the time between the snapshots', () => {
    const merged = mergeSnapshots(previous, current);
    // One day apart: 172,800 writes, 8,640 scans.
    expect(merged.tables['public.orders'].rates).toEqual({
      writesPerSecond: 2,
      scansPerSecond: 0.1,
      windowSeconds: 86_400,
      source: 'between-snapshots',
    });
    expect(merged.tables['public.orders'].activity).toEqual(current.tables['public.orders'].activity);
    expect(merged.tables['public.no_activity'].rates).toBeUndefined();
    expect(Object.keys(merged.tables)).not.toContain('public.gone');
  });

  test('new tables and tables whose counters went down fall back to rates since the reset, with a note', () => {
    const merged = mergeSnapshots(previous, current);
    // 9 days since the reset = 777,600 s.
    expect(merged.tables['public.new_table'].rates).toEqual({
      writesPerSecond: 0.006,
      scansPerSecond: 0,
      windowSeconds: 777_600,
      source: 'since-reset',
    });
    expect(merged.tables['public.audit'].rates?.source).toBe('since-reset');
    expect(merged.notes).toEqual([
      'new since the previous snapshot, or counters reset: public.audit, public.new_table: ' +
        'rates since the statistics reset (2025-03-01T12:00:00.000Z)',
    ]);
  });

  test('a database-wide reset between the snapshots: every table since the reset', () => {
    const merged = mergeSnapshots(previous, { ...current, statsResetAt: '2025-03-10T00:00:00.000Z' });
    expect(merged.tables['public.orders'].rates).toEqual({
      writesPerSecond: 23.676, // (886,400 + 136,400) / 43,200 s
      scansPerSecond: 0.202,
      windowSeconds: 43_200,
      source: 'since-reset',
    });
    expect(merged.notes).toEqual([
      'the statistics were reset between the two snapshots: rates since the statistics reset (2025-03-10T00:00:00.000Z)',
    ]);
  });

  test('without a reset time the fallback is no rates', () => {
    const merged = mergeSnapshots(
      { ...previous, statsResetAt: null },
      { ...current, statsResetAt: null, notes: ['earlier note'] },
    );
    expect(merged.tables['public.orders'].rates?.source).toBe('between-snapshots');
    expect(merged.tables['public.new_table'].rates).toBeUndefined();
    expect(merged.notes).toEqual([
      'earlier note',
      'new since the previous snapshot, or counters reset: public.audit, public.new_table: ' +
        'no rates (the statistics reset time is unknown)',
    ]);
  });

  test('recomputes rates a merged snapshot already had', () => {
    const once = mergeSnapshots(previous, current);
    const later = {
      ...current,
      takenAt: '2025-03-11T12:00:00.000Z',
      tables: {
        ...once.tables,
        'public.orders': {
          ...once.tables['public.orders'],
          activity: { ...once.tables['public.orders'].activity!, inserts: 886_400 + 86_400 },
        },
      },
    };
    expect(mergeSnapshots(once, later).tables['public.orders'].rates).toMatchObject({
      writesPerSecond: 1,
      source: 'between-snapshots',
    });
  });

  test('refuses snapshots of different databases, or in the wrong order', () => {
    expect(() => mergeSnapshots(previous, { ...current, database: 'billing' })).toThrow(
      new StatsMergeError(
        'the previous snapshot is of database "shop", this one of "billing": rates need two snapshots of the same database',
      ),
    );
    expect(() => mergeSnapshots(current, previous)).toThrow(
      new StatsMergeError(
        'the previous snapshot (taken 2025-03-10T12:00:00.000Z) is not older than this one (taken 2025-03-09T12:00:00.000Z)',
      ),
    );
    expect(() => mergeSnapshots(current, current)).toThrow(StatsMergeError);
  });
});

describe('tableLookup', () => {
  const orders = table({ rows: 5 });
  const billingOrders = table({ rows: 6 });
  const mixedCase = table({ rows: 7 });
  const quotedSchema = table({ rows: 8 });
  const dotted = table({ rows: 9 });
  const lookup = tableLookup(
    snapshot({
      tables: {
        'public.orders': orders,
        'billing.orders': billingOrders,
        'public.Orders': mixedCase,
        'Billing.Orders': quotedSchema,
        'public.a.b': dotted,
      },
    }),
  );

  test.each([
    ['orders', 5],
    ['public.orders', 5],
    ['billing.orders', 6],
    ['Orders', 7],
    ['"Orders"', 7],
    ['public."Orders"', 7],
    ['Billing.Orders', 8],
    ['"Billing"."Orders"', 8],
    ['"a.b"', 9],
    ['a.b', 9],
  ])('%s', (name, rows) => {
    expect(lookup(name)?.rows).toBe(rows);
  });

  test.each([['ORDERS'], ['billing.Orders'], ['missing'], ['"unterminated'], ['"a"x']])(
    '%s is not found',
    (name) => {
      expect(lookup(name)).toBeUndefined();
    },
  );

  const partition = (n: number, partial: Partial<TableStats> = {}): TableStats =>
    table({
      rows: 1000 * n,
      heapBytes: 100 * n,
      toastBytes: 10 * n,
      indexBytes: 20 * n,
      totalBytes: 135 * n,
      parent: 'public.events',
      indexes: [
        {
          name: `events_${n}_pkey`,
          bytes: 15 * n,
          unique: true,
          primary: true,
          valid: true,
          parent: 'events_pkey',
        },
        {
          name: `events_${n}_at_idx`,
          bytes: 5 * n,
          unique: false,
          primary: false,
          valid: true,
          parent: 'events_at',
        },
      ],
      activity: activity({ inserts: 10 * n, seqScans: n }),
      rates: { writesPerSecond: n, scansPerSecond: 0.5, windowSeconds: 100 * n, source: 'between-snapshots' },
      ...partial,
    });
  const parent = table({
    kind: 'partitioned table',
    rows: null,
    heapBytes: 0,
    toastBytes: 0,
    indexBytes: 0,
    totalBytes: 0,
    partitions: ['public.events_1', 'public.events_2', 'public.events_3'],
    indexes: [
      { name: 'events_pkey', bytes: 0, unique: true, primary: true, valid: true },
      { name: 'events_at', bytes: 0, unique: false, primary: false, valid: true },
    ],
  });

  test('a partitioned table without storage: the sums over its partitions', () => {
    const events = tableLookup(
      snapshot({
        tables: {
          'public.events': parent,
          'public.events_1': partition(1),
          'public.events_2': partition(2),
          'public.events_3': partition(3),
        },
      }),
    )('events');
    expect(events).toEqual({
      ...parent,
      rows: 6000,
      heapBytes: 600,
      toastBytes: 60,
      indexBytes: 120,
      totalBytes: 810,
      indexes: [
        { name: 'events_pkey', bytes: 90, unique: true, primary: true, valid: true },
        { name: 'events_at', bytes: 30, unique: false, primary: false, valid: true },
      ],
      activity: activity({ inserts: 60, seqScans: 6 }),
      rates: { writesPerSecond: 6, scansPerSecond: 1.5, windowSeconds: 100, source: 'between-snapshots' },
    });
    // A partition itself is returned as recorded.
    expect(tableLookup(snapshot({ tables: { 'public.events_2': partition(2) } }))('events_2')).toEqual(
      partition(2),
    );
  });

  test('sub-partitions are summed first; unknown rows anywhere make the sum unknown', () => {
    const middle = table({
      ...parent,
      parent: 'public.events',
      partitions: ['public.events_2', 'public.events_3'],
      indexes: [
        {
          name: 'events_mid_pkey',
          bytes: 0,
          unique: true,
          primary: true,
          valid: true,
          parent: 'events_pkey',
        },
      ],
    });
    const sub = (n: number) =>
      partition(n, {
        parent: 'public.events_mid',
        indexes: [
          {
            name: `e${n}`,
            bytes: 15 * n,
            unique: true,
            primary: true,
            valid: true,
            parent: 'events_mid_pkey',
          },
        ],
        rates: { writesPerSecond: n, scansPerSecond: 0, windowSeconds: 50, source: 'since-reset' },
      });
    const s = snapshot({
      tables: {
        'public.events': { ...parent, partitions: ['public.events_1', 'public.events_mid'] },
        'public.events_1': partition(1),
        'public.events_mid': middle,
        'public.events_2': sub(2),
        'public.events_3': { ...sub(3), rows: null },
      },
    });
    const events = tableLookup(s)('public.events')!;
    expect(events.totalBytes).toBe(810);
    expect(events.indexes[0].bytes).toBe(90);
    expect(events.rows).toBeNull();
    expect(events.rates).toEqual({
      writesPerSecond: 6,
      scansPerSecond: 0.5,
      windowSeconds: 50,
      source: 'since-reset',
    });
    expect(tableLookup(s)('events_mid')!.totalBytes).toBe(675);
  });

  test('partitions missing from the snapshot are left out; a parent with storage is returned as it is', () => {
    const s = snapshot({ tables: { 'public.events': parent, 'public.events_1': partition(1) } });
    expect(tableLookup(s)('events')!.totalBytes).toBe(135);
    const none = snapshot({ tables: { 'public.events': parent } });
    expect(tableLookup(none)('events')).toEqual(parent);
    const stored = { ...parent, totalBytes: 8192 };
    const withStorage = snapshot({ tables: { 'public.events': stored, 'public.events_1': partition(1) } });
    expect(tableLookup(withStorage)('events')).toEqual(stored);
  });

  test('partitions without activity or rates add nothing to them', () => {
    const quiet = partition(2, { activity: undefined, rates: undefined });
    const s = snapshot({
      tables: { 'public.events': parent, 'public.events_1': partition(1), 'public.events_2': quiet },
    });
    const events = tableLookup(s)('events')!;
    expect(events.activity?.inserts).toBe(10);
    expect(events.rates?.writesPerSecond).toBe(1);
    const none = snapshot({ tables: { 'public.events': parent, 'public.events_2': quiet } });
    expect(tableLookup(none)('events')).toMatchObject({
      totalBytes: 270,
      activity: undefined,
      rates: undefined,
    });
  });

  test('a cycle in partitions (a hand-edited file) does not loop', () => {
    const s = snapshot({
      tables: {
        'public.a': { ...parent, partitions: ['public.b'] },
        'public.b': { ...parent, partitions: ['public.a'] },
      },
    });
    expect(tableLookup(s)('a')).toBeDefined();
  });
});
