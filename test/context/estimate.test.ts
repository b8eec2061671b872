import type { StatementEffects } from '../../src/analysis/types';
import {
  ESTIMATE_RANGE,
  FOREIGN_KEY_PROBE_FACTOR,
  LARGE_WAL_BYTES,
  NEW_INDEX_BYTES_PER_ROW,
  combineEstimates,
  estimateStatement,
  isLargeWal,
  newIndexBytes,
} from '../../src/context/estimate';
import type { TableStats, Throughput } from '../../src/context/types';

const MB = 1024 ** 2;
const GB = 1024 ** 3;

/** Round figures so that expected seconds are easy to read. */
const TP: Throughput = {
  scanBytesPerSecond: 400 * MB,
  rewriteBytesPerSecond: 100 * MB,
  indexBuildBytesPerSecond: 200 * MB,
  walBytesPerWrittenByte: 1.5,
};

function table(heap: number, over: Partial<TableStats> = {}): TableStats {
  const indexes = over.indexes ?? [];
  const indexBytes = indexes.reduce((a, i) => a + i.bytes, 0);
  const toastBytes = over.toastBytes ?? 0;
  return {
    kind: 'table',
    rows: null,
    heapBytes: heap,
    toastBytes,
    indexBytes,
    totalBytes: heap + toastBytes + indexBytes,
    indexes,
    ...over,
  };
}

function index(name: string, bytes: number) {
  return { name, bytes, unique: false, primary: false, valid: true };
}

function effects(over: Partial<StatementEffects>): StatementEffects {
  return {
    locks: [],
    rewrites: [],
    rebuildsIndexes: [],
    scans: [],
    indexBuilds: [],
    truncates: [],
    transaction: { allowedInTransactionBlock: true, inExplicitTransaction: false },
    notes: [],
    ...over,
  };
}

const ORDERS = table(4 * GB, {
  rows: 40e6,
  toastBytes: 1 * GB,
  indexes: [index('orders_pkey', 1 * GB), index('orders_customer_idx', 1 * GB)],
});
const CUSTOMERS = table(800 * MB, { rows: 5e6, indexes: [index('customers_pkey', 100 * MB)] });
const STATS: Record<string, TableStats> = {
  orders: ORDERS,
  customers: CUSTOMERS,
  'billing.invoices': table(2 * GB, { indexes: [index('invoices_pkey', 300 * MB)] }),
  events: table(0, {
    kind: 'partitioned table',
    partitions: ['public.events_2024', 'public.events_2025'],
  }),
  events_2024: table(1 * GB, { rows: 1e7, parent: 'public.events' }),
  events_2025: table(2 * GB, { rows: 2e7, parent: 'public.events' }),
};
const lookup = (name: string) => STATS[name];

describe('estimateStatement', () => {
  test('no size-dependent work: undefined', () => {
    const e = effects({ locks: [{ relation: 'orders', mode: 'AccessExclusiveLock', kind: 'table' }] });
    expect(estimateStatement(e, lookup, TP)).toBeUndefined();
  });

  test('a rewrite: heap and TOAST at the rewrite rate, then each index built from the heap', () => {
    const e = effects({
      rewrites: ['orders'],
      scans: ['orders'],
      rebuildsIndexes: ['orders_pkey', 'orders_customer_idx'],
    });
    const est = estimateStatement(e, lookup, TP)!;
    // 5 GB / 100 MB/s = 51.2 s; 2 indexes × 4 GB / 200 MB/s = 40.96 s
    expect(est.seconds).toBeCloseTo(51.2 + 40.96, 5);
    expect(est.low).toBeCloseTo(est.seconds * ESTIMATE_RANGE.low, 5);
    expect(est.high).toBeCloseTo(est.seconds * ESTIMATE_RANGE.high, 5);
    // heap + toast + indexes = 7 GB written, × 1.5
    expect(est.walBytes).toBeCloseTo(7 * GB * 1.5, 0);
    expect(est.basis).toEqual([
      'orders: rewrite of 4 GB + 1 GB TOAST at 100 MB/s + 2 indexes rebuilt at 200 MB/s of heap ≈ 2 min; 10.5 GB of WAL',
    ]);
    expect(est.unknown).toEqual([]);
  });

  test('REINDEX of one index: one build over its table’s heap, WAL of the index', () => {
    const e = effects({
      locks: [
        { relation: 'orders', mode: 'ShareLock', kind: 'table' },
        { relation: 'orders_pkey', mode: 'AccessExclusiveLock', kind: 'index' },
      ],
      rebuildsIndexes: ['orders_pkey'],
    });
    const est = estimateStatement(e, lookup, TP)!;
    expect(est.seconds).toBeCloseTo(20.48, 5);
    expect(est.walBytes).toBeCloseTo(1.5 * GB, 0);
    expect(est.basis[0]).toMatch(/^orders_pkey: rebuilt from orders's 4 GB heap at 200 MB\/s/);
  });

  test('an index of a schema-qualified table is found in its table’s statistics', () => {
    const e = effects({
      locks: [{ relation: 'billing.invoices', mode: 'ShareLock', kind: 'table' }],
      rebuildsIndexes: ['billing.invoices_pkey'],
    });
    expect(estimateStatement(e, lookup, TP)!.seconds).toBeCloseTo(10.24, 5);
  });

  test('an index whose table has no statistics is unknown', () => {
    const e = effects({
      locks: [{ relation: 'ghosts', mode: 'ShareLock', kind: 'table' }],
      rebuildsIndexes: ['ghosts_pkey'],
    });
    expect(estimateStatement(e, lookup, TP)).toMatchObject({
      seconds: 0,
      walBytes: 0,
      unknown: ['ghosts_pkey'],
    });
  });

  test('a new index: one build over the heap; its size from the row count', () => {
    const e = effects({ scans: ['orders'], indexBuilds: ['orders'] });
    const est = estimateStatement(e, lookup, TP)!;
    expect(est.seconds).toBeCloseTo(20.48, 5);
    expect(est.walBytes).toBeCloseTo(40e6 * NEW_INDEX_BYTES_PER_ROW * 1.5, 0);
    expect(est.basis).toHaveLength(1);
    expect(est.basis[0]).toMatch(/^orders: new index built from 4 GB of heap/);
  });

  test('a validation scan reads the heap at the scan rate and writes no WAL', () => {
    const est = estimateStatement(effects({ scans: ['orders'] }), lookup, TP)!;
    expect(est).toMatchObject({ walBytes: 0, unknown: [] });
    expect(est.seconds).toBeCloseTo(10.24, 5);
    expect(est.basis).toEqual(['orders: full scan of 4 GB at 400 MB/s ≈ 10 s']);
  });

  test('two tables scanned, no foreign key: two plain scans', () => {
    const est = estimateStatement(effects({ scans: ['orders', 'customers'] }), lookup, TP)!;
    expect(est.seconds).toBeCloseTo(10.24 + 2, 5);
    expect(est.basis).toHaveLength(2);
  });

  test('a foreign-key validation: the referenced side read once, the referencing side probed per row', () => {
    const e = effects({
      locks: [
        { relation: 'orders', mode: 'ShareUpdateExclusiveLock', kind: 'table' },
        {
          relation: 'customers',
          mode: 'RowShareLock',
          kind: 'table',
          reason: 'referenced by the foreign key being validated',
        },
      ],
      scans: ['orders', 'customers'],
    });
    const est = estimateStatement(e, lookup, TP)!;
    expect(est.seconds).toBeCloseTo(10.24 * FOREIGN_KEY_PROBE_FACTOR + 2, 5);
    expect(est.basis).toEqual([
      'orders: full scan of 4 GB at 400 MB/s, each row looked up for the foreign key (×2) ≈ 20 s',
      'customers: full scan of 800 MB at 400 MB/s ≈ 2 s',
    ]);
  });

  test('tables without statistics are listed as unknown, the others still counted', () => {
    const est = estimateStatement(effects({ scans: ['orders', 'audit_log'] }), lookup, TP)!;
    expect(est.unknown).toEqual(['audit_log']);
    expect(est.seconds).toBeCloseTo(10.24, 5);
  });

  test('a partitioned table sums its partitions, each counted once', () => {
    const viaParent = estimateStatement(effects({ scans: ['events'] }), lookup, TP)!;
    expect(viaParent.seconds).toBeCloseTo((3 * GB) / (400 * MB), 5);
    expect(viaParent.basis.map((b) => b.split(':')[0])).toEqual(['events_2024', 'events_2025']);
    const both = estimateStatement(effects({ scans: ['events', 'events_2024'] }), lookup, TP)!;
    expect(both.seconds).toBeCloseTo(viaParent.seconds, 5);
  });

  test('a partitioned table whose partitions are not listed is unknown', () => {
    const lone = (n: string) => (n === 'p' ? table(0, { kind: 'partitioned table' }) : undefined);
    expect(estimateStatement(effects({ scans: ['p'] }), lone, TP)).toMatchObject({ unknown: ['p'] });
  });

  test('a rewritten table that also gets a new index: rewrite plus one more build', () => {
    const e = effects({
      rewrites: ['customers'],
      scans: ['customers'],
      rebuildsIndexes: ['customers_pkey'],
      indexBuilds: ['customers'],
    });
    const est = estimateStatement(e, lookup, TP)!;
    expect(est.seconds).toBeCloseTo(8 + 4 + 4, 5);
    expect(est.basis).toHaveLength(2);
  });

  test('truncated tables do no size-dependent work', () => {
    const e = effects({
      truncates: ['orders', 'orders_pkey'],
      scans: ['orders'],
      rebuildsIndexes: ['orders_pkey'],
    });
    expect(estimateStatement(e, lookup, TP)).toBeUndefined();
  });

  test('an empty or tiny table estimates in milliseconds', () => {
    const tiny = (n: string) => (n === 't' ? table(8192, { rows: 10 }) : undefined);
    const est = estimateStatement(effects({ rewrites: ['t'], scans: ['t'] }), tiny, TP)!;
    expect(est.seconds).toBeLessThan(0.001);
  });
});

describe('newIndexBytes', () => {
  test('rows, else the smallest valid index, else a fifth of the heap', () => {
    expect(newIndexBytes(table(1000, { rows: 100 }))).toBe(100 * NEW_INDEX_BYTES_PER_ROW);
    const withIndexes = table(1000, {
      indexes: [index('a', 500), index('b', 300), { ...index('c', 10), valid: false }],
    });
    expect(newIndexBytes(withIndexes)).toBe(300);
    expect(newIndexBytes(table(1000))).toBe(200);
  });
});

describe('combineEstimates: locks are held until COMMIT', () => {
  test('sums the statements of a transaction', () => {
    const a = estimateStatement(effects({ scans: ['orders'] }), lookup, TP);
    const b = estimateStatement(effects({ scans: ['customers', 'nope'] }), lookup, TP);
    const total = combineEstimates([a, undefined, b])!;
    expect(total.seconds).toBeCloseTo(12.24, 5);
    expect(total.low).toBeCloseTo(a!.low + b!.low, 5);
    expect(total.basis).toHaveLength(2);
    expect(total.unknown).toEqual(['nope']);
    expect(combineEstimates([undefined])).toBeUndefined();
  });
});

describe('isLargeWal', () => {
  test('from the default max_wal_size (1 GB) on, or a given threshold', () => {
    expect(isLargeWal(LARGE_WAL_BYTES - 1)).toBe(false);
    expect(isLargeWal(LARGE_WAL_BYTES)).toBe(true);
    expect(isLargeWal(10 * MB, 5 * MB)).toBe(true);
  });
});
