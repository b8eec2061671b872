/**
 * The statistics snapshot file (`.github/migration-guard-stats.json`, written by
 * `migration-guard stats`): reading and validating it, writing it so that diffs stay readable, its
 * age, rates from two snapshots, and looking tables up by the names the analysis uses.
 *
 * Pure: no I/O. The file format is described field by field in docs/production-context.md.
 */
import { locateJsonError } from './json-error';
import {
  STATS_FORMAT,
  STATS_FORMAT_VERSION,
  type IndexStats,
  type StatsSnapshot,
  type TableActivity,
  type TableLookup,
  type TableRates,
  type TableStats,
} from './types';

/** A stats file that cannot be used: the message names the file and every problem found. */
export class StatsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      problems.length === 1
        ? `${file}: ${problems[0]}`
        : `${file}: invalid stats file:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

/** Two snapshots that cannot be merged into rates (different databases, wrong order). */
export class StatsMergeError extends Error {}

const TABLE_KINDS: readonly TableStats['kind'][] = ['table', 'partitioned table', 'materialized view'];
const RATE_SOURCES: readonly TableRates['source'][] = ['between-snapshots', 'since-reset'];
const ACTIVITY_KEYS: readonly (keyof TableActivity)[] = [
  'inserts',
  'updates',
  'deletes',
  'seqScans',
  'seqRowsRead',
  'indexScans',
  'liveRows',
  'deadRows',
];
/** Cumulative counters (liveRows and deadRows are current values, not counters). */
const COUNTER_KEYS = ACTIVITY_KEYS.filter((k) => k !== 'liveRows' && k !== 'deadRows');
/** More problems than this are summarised as "... and N more". */
const MAX_PROBLEMS = 20;

/**
 * Parses and validates a stats file. Every problem is reported at once, each by its JSON path
 * (`tables["public.orders"].heapBytes: must be a whole number ≥ 0 (got "12")`). Keys this version
 * does not know are ignored, so a file with optional fields added later still reads.
 */
export function parseStatsFile(text: string, file: string): StatsSnapshot {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch {
    const { line, column, reason } = locateJsonError(source);
    throw new StatsFileError(file, [`not valid JSON: line ${line}, column ${column}: ${reason}`]);
  }
  if (!isObject(doc) || doc.format !== STATS_FORMAT) {
    const found = isObject(doc) && 'format' in doc ? `its "format" is ${show(doc.format)}` : 'no "format"';
    throw new StatsFileError(file, [
      `not a Migration Guard stats file (${found}; expected "format": "${STATS_FORMAT}")`,
    ]);
  }
  if (doc.version !== STATS_FORMAT_VERSION && typeof doc.version === 'number') {
    throw new StatsFileError(file, [
      `unknown stats file format version ${doc.version}: this Migration Guard reads version ` +
        `${STATS_FORMAT_VERSION}; re-run \`migration-guard stats\` to write the file again ` +
        '(or upgrade Migration Guard if a newer one wrote it)',
    ]);
  }
  const v = new Validator();
  const snapshot = v.snapshot(doc);
  if (v.problems.length > 0) {
    const shown = v.problems.slice(0, MAX_PROBLEMS);
    if (v.problems.length > MAX_PROBLEMS) shown.push(`... and ${v.problems.length - MAX_PROBLEMS} more`);
    throw new StatsFileError(file, shown);
  }
  return snapshot;
}

/** The file's text: keys sorted at every level, two-space indent, a final newline. */
export function serializeStats(snapshot: StatsSnapshot): string {
  return `${JSON.stringify(sortKeys(snapshot), null, 2)}\n`;
}

/** Days (fractional) from the snapshot to `now`; negative when the snapshot is in the future. */
export function statsAgeDays(snapshot: StatsSnapshot, now: Date): number {
  return (now.getTime() - Date.parse(snapshot.takenAt)) / 86_400_000;
}

/**
 * A warning when the snapshot is older than `maxAgeDays` (the configuration's stats.maxAgeDays);
 * undefined when it is recent enough or when `maxAgeDays` is 0 (the warning is off).
 */
export function staleWarning(snapshot: StatsSnapshot, maxAgeDays: number, now: Date): string | undefined {
  if (!(maxAgeDays > 0)) return undefined;
  const age = statsAgeDays(snapshot, now);
  if (age <= maxAgeDays) return undefined;
  const days = Math.floor(age);
  return (
    `the statistics snapshot is ${days} day${days === 1 ? '' : 's'} old (taken ${snapshot.takenAt.slice(0, 10)}), ` +
    `older than stats.maxAgeDays (${maxAgeDays}): sizes and rates may have changed since; ` +
    'refresh it with `migration-guard stats`'
  );
}

/**
 * Rates from the counters of every table over the time since the statistics were reset
 * (`statsResetAt`), for tables that have activity but no rates between two snapshots. Without a
 * known reset time the snapshot is returned as it is. Returns a new snapshot.
 */
export function withSinceResetRates(snapshot: StatsSnapshot): StatsSnapshot {
  const window = seconds(snapshot.statsResetAt, snapshot.takenAt);
  if (window === undefined || !(window > 0)) return snapshot;
  const tables: Record<string, TableStats> = {};
  for (const [key, table] of Object.entries(snapshot.tables)) {
    tables[key] =
      table.activity && table.rates?.source !== 'between-snapshots'
        ? { ...table, rates: rates(table.activity, window, 'since-reset') }
        : table;
  }
  return { ...snapshot, tables };
}

/**
 * `current` with rates per table from the counter differences since `previous`, divided by the time
 * between the two (`source: 'between-snapshots'`). A table falls back to its counters since the
 * statistics reset (`since-reset`, see withSinceResetRates) when the difference means nothing:
 *
 * - the database's statistics were reset between the snapshots (`statsResetAt` changed);
 * - one of its counters went down (its own counters were reset, or it was dropped and created
 *   again under the same name);
 * - it is not in the previous snapshot: it may be new, or it may have been skipped then, so its
 *   counters may cover much more than the time between the snapshots. Counters since the reset
 *   never overstate a rate.
 *
 * Throws StatsMergeError when the snapshots are of different databases or `previous` is not older.
 */
export function mergeSnapshots(previous: StatsSnapshot, current: StatsSnapshot): StatsSnapshot {
  if (previous.database !== current.database) {
    throw new StatsMergeError(
      `the previous snapshot is of database "${previous.database}", this one of "${current.database}": ` +
        'rates need two snapshots of the same database',
    );
  }
  const window = seconds(previous.takenAt, current.takenAt) ?? 0;
  if (!(window > 0)) {
    throw new StatsMergeError(
      `the previous snapshot (taken ${previous.takenAt}) is not older than this one (taken ${current.takenAt})`,
    );
  }
  const resetBetween =
    current.statsResetAt !== previous.statsResetAt &&
    !(current.statsResetAt !== null && Date.parse(current.statsResetAt) <= Date.parse(previous.takenAt));
  const fellBack: string[] = [];
  const tables: Record<string, TableStats> = {};
  for (const [key, table] of Object.entries(current.tables)) {
    const rest = { ...table };
    delete rest.rates;
    const before = previous.tables[key]?.activity;
    if (!table.activity) {
      tables[key] = rest;
    } else if (!resetBetween && before && COUNTER_KEYS.every((k) => table.activity![k] >= before[k])) {
      const difference = Object.fromEntries(
        COUNTER_KEYS.map((k) => [k, table.activity![k] - before[k]]),
      ) as unknown as TableActivity;
      tables[key] = { ...rest, rates: rates(difference, window, 'between-snapshots') };
    } else {
      tables[key] = rest;
      if (!resetBetween) fellBack.push(key);
    }
  }
  const notes = [...current.notes];
  const fallback = current.statsResetAt
    ? `rates since the statistics reset (${current.statsResetAt})`
    : 'no rates (the statistics reset time is unknown)';
  if (resetBetween) notes.push(`the statistics were reset between the two snapshots: ${fallback}`);
  if (fellBack.length > 0) {
    const named = fellBack.slice(0, 5).join(', ') + (fellBack.length > 5 ? `, ... (${fellBack.length})` : '');
    notes.push(`new since the previous snapshot, or counters reset: ${named}: ${fallback}`);
  }
  return withSinceResetRates({ ...current, tables, notes });
}

/**
 * Finds a table's statistics by the name the analysis uses: `orders` (in `public`),
 * `billing.orders`, names as PostgreSQL stores them (`Orders` for a table created as "Orders"), or
 * written with SQL quotes (`"Billing"."Orders"`). A partitioned table whose own sizes are zero (it
 * has no storage) is returned with its partitions' sums: rows, bytes, each index's bytes (by the
 * partition indexes attached to it), activity and rates.
 */
export function tableLookup(snapshot: StatsSnapshot): TableLookup {
  const memo = new Map<string, TableStats>();
  const aggregate = (key: string, seen: Set<string>): TableStats => {
    const cached = memo.get(key);
    if (cached) return cached;
    const table = snapshot.tables[key];
    const parts = (table.partitions ?? [])
      .filter((p) => snapshot.tables[p] !== undefined && !seen.has(p))
      .map((p) => aggregate(p, new Set([...seen, p])));
    const result = table.totalBytes === 0 && parts.length > 0 ? sumPartitions(table, parts) : table;
    memo.set(key, result);
    return result;
  };
  return (relation) => {
    const key = keyOf(snapshot.tables, relation);
    return key === undefined ? undefined : aggregate(key, new Set([key]));
  };
}

function keyOf(tables: Record<string, TableStats>, relation: string): string | undefined {
  const candidates = [relation, `public.${relation}`];
  const parts = splitQuoted(relation);
  if (parts?.length === 1) candidates.push(`public.${parts[0]}`);
  if (parts?.length === 2) candidates.push(`${parts[0]}.${parts[1]}`);
  return candidates.find((c) => Object.prototype.hasOwnProperty.call(tables, c));
}

/** `"Billing"."Orders"` → ['Billing', 'Orders']; undefined when the name has no double quote. */
function splitQuoted(name: string): string[] | undefined {
  if (!name.includes('"')) return undefined;
  const parts: string[] = [];
  let i = 0;
  while (i < name.length) {
    let part = '';
    if (name[i] === '"') {
      for (i++; i < name.length; i++) {
        if (name[i] === '"' && name[i + 1] === '"') part += name[i++];
        else if (name[i] === '"') break;
        else part += name[i];
      }
      if (name[i] !== '"') return undefined;
      i++;
    } else {
      while (i < name.length && name[i] !== '.') part += name[i++];
    }
    parts.push(part);
    if (i < name.length && name[i++] !== '.') return undefined;
  }
  return parts;
}

function sumPartitions(table: TableStats, parts: TableStats[]): TableStats {
  const sum = (f: (t: TableStats) => number) => parts.reduce((total, p) => total + f(p), 0);
  const withActivity = parts.filter((p) => p.activity);
  const withRates = parts.filter((p) => p.rates);
  const indexes = table.indexes.map((index) => ({
    ...index,
    bytes: sum((p) => p.indexes.filter((i) => i.parent === index.name).reduce((t, i) => t + i.bytes, 0)),
  }));
  return {
    ...table,
    rows: parts.some((p) => p.rows === null) ? null : sum((p) => p.rows ?? 0),
    heapBytes: sum((p) => p.heapBytes),
    toastBytes: sum((p) => p.toastBytes),
    indexBytes: sum((p) => p.indexBytes),
    totalBytes: sum((p) => p.totalBytes),
    indexes,
    activity:
      withActivity.length > 0
        ? (Object.fromEntries(
            ACTIVITY_KEYS.map((k) => [k, withActivity.reduce((t, p) => t + p.activity![k], 0)]),
          ) as unknown as TableActivity)
        : undefined,
    rates:
      withRates.length > 0
        ? {
            writesPerSecond: round(withRates.reduce((t, p) => t + p.rates!.writesPerSecond, 0)),
            scansPerSecond: round(withRates.reduce((t, p) => t + p.rates!.scansPerSecond, 0)),
            windowSeconds: Math.min(...withRates.map((p) => p.rates!.windowSeconds)),
            source: withRates.every((p) => p.rates!.source === 'between-snapshots')
              ? 'between-snapshots'
              : 'since-reset',
          }
        : undefined,
  };
}

function rates(counters: TableActivity, windowSeconds: number, source: TableRates['source']): TableRates {
  return {
    writesPerSecond: round((counters.inserts + counters.updates + counters.deletes) / windowSeconds),
    scansPerSecond: round((counters.seqScans + counters.indexScans) / windowSeconds),
    windowSeconds: round(windowSeconds),
    source,
  };
}

/** Seconds from `from` to `to` (ISO dates); undefined when `from` is null. */
function seconds(from: string | null, to: string): number | undefined {
  return from === null ? undefined : (Date.parse(to) - Date.parse(from)) / 1000;
}

/** Three decimals: enough for rates, and stable in the file. */
function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => [k, sortKeys(value[k])]),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it appears in a message: JSON, shortened. */
function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `tables["public.orders"]`: object keys that are not plain identifiers are bracketed. */
function member(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
    ? `${path ? `${path}.` : ''}${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

/** Checks the parsed JSON against the format, collecting problems by JSON path. */
class Validator {
  readonly problems: string[] = [];

  /** Fields in the order the format lists them, so problems are reported in that order. */
  snapshot(doc: Record<string, unknown>): StatsSnapshot {
    const version = this.version(doc);
    const takenAt = this.date(doc, 'takenAt', '', false) ?? '';
    const server = this.object(doc, 'server', '');
    const serverVersion = this.string(server, 'version', 'server') ?? '';
    const major = this.number(server, 'major', 'server', { integer: true, min: 1 }) ?? 0;
    const database = this.string(doc, 'database', '') ?? '';
    const statsResetAt = this.date(doc, 'statsResetAt', '', true) ?? null;
    const tables: Record<string, TableStats> = {};
    for (const [key, value] of Object.entries(this.object(doc, 'tables', '') ?? {})) {
      const path = member('tables', key);
      if (!/^.+\..+$/.test(key)) this.problem(path, 'must be a schema-qualified name (schema.table)');
      tables[key] = this.table(value, path);
    }
    const notes = this.strings(doc, 'notes', '') ?? [];
    return {
      format: STATS_FORMAT,
      version,
      takenAt,
      server: { version: serverVersion, major },
      database,
      statsResetAt,
      tables,
      notes,
    };
  }

  private version(doc: Record<string, unknown>): typeof STATS_FORMAT_VERSION {
    if (doc.version === undefined) this.problem('version', 'missing');
    else if (doc.version !== STATS_FORMAT_VERSION)
      this.problem('version', `must be ${STATS_FORMAT_VERSION}`, doc.version);
    return STATS_FORMAT_VERSION;
  }

  private table(value: unknown, path: string): TableStats {
    if (!isObject(value)) {
      this.problem(path, 'must be an object', value);
      return {
        kind: 'table',
        rows: null,
        heapBytes: 0,
        toastBytes: 0,
        indexBytes: 0,
        totalBytes: 0,
        indexes: [],
      };
    }
    const kind = this.field(value, 'kind', path);
    if (kind !== undefined && !TABLE_KINDS.includes(kind as TableStats['kind'])) {
      this.problem(
        member(path, 'kind'),
        `must be one of ${TABLE_KINDS.map((k) => `"${k}"`).join(', ')}`,
        kind,
      );
    }
    const indexes = this.array(value, 'indexes', path) ?? [];
    const table: TableStats = {
      kind: kind as TableStats['kind'],
      rows: this.number(value, 'rows', path, { min: 0, nullable: true }) ?? null,
      heapBytes: this.bytes(value, 'heapBytes', path),
      toastBytes: this.bytes(value, 'toastBytes', path),
      indexBytes: this.bytes(value, 'indexBytes', path),
      totalBytes: this.bytes(value, 'totalBytes', path),
      indexes: indexes.map((index, i) => this.index(index, `${path}.indexes[${i}]`)),
    };
    if (value.activity !== undefined)
      table.activity = this.activity(value.activity, member(path, 'activity'));
    if (value.rates !== undefined) table.rates = this.rates(value.rates, member(path, 'rates'));
    if (value.partitions !== undefined) table.partitions = this.strings(value, 'partitions', path);
    if (value.parent !== undefined) table.parent = this.string(value, 'parent', path);
    if (value.estimatedSizes !== undefined)
      table.estimatedSizes = this.boolean(value, 'estimatedSizes', path);
    return table;
  }

  private index(value: unknown, path: string): IndexStats {
    if (!isObject(value)) {
      this.problem(path, 'must be an object', value);
      return { name: '', bytes: 0, unique: false, primary: false, valid: true };
    }
    const index: IndexStats = {
      name: this.string(value, 'name', path) ?? '',
      bytes: this.bytes(value, 'bytes', path),
      unique: this.boolean(value, 'unique', path) ?? false,
      primary: this.boolean(value, 'primary', path) ?? false,
      valid: this.boolean(value, 'valid', path) ?? true,
    };
    if (value.parent !== undefined) index.parent = this.string(value, 'parent', path);
    return index;
  }

  private activity(value: unknown, path: string): TableActivity | undefined {
    if (!isObject(value)) {
      this.problem(path, 'must be an object', value);
      return undefined;
    }
    return Object.fromEntries(
      ACTIVITY_KEYS.map((k) => [k, this.bytes(value, k, path)]),
    ) as unknown as TableActivity;
  }

  private rates(value: unknown, path: string): TableRates | undefined {
    if (!isObject(value)) {
      this.problem(path, 'must be an object', value);
      return undefined;
    }
    const source = this.field(value, 'source', path);
    if (source !== undefined && !RATE_SOURCES.includes(source as TableRates['source'])) {
      this.problem(
        member(path, 'source'),
        `must be one of ${RATE_SOURCES.map((s) => `"${s}"`).join(', ')}`,
        source,
      );
    }
    return {
      writesPerSecond: this.number(value, 'writesPerSecond', path, { min: 0 }) ?? 0,
      scansPerSecond: this.number(value, 'scansPerSecond', path, { min: 0 }) ?? 0,
      windowSeconds: this.number(value, 'windowSeconds', path, { min: 0, positive: true }) ?? 0,
      source: source as TableRates['source'],
    };
  }

  /** `got`, when given, is the offending value, shown in the message. */
  private problem(path: string, message: string, ...got: unknown[]): void {
    this.problems.push(`${path}: ${message}${got.length > 0 ? ` (got ${show(got[0])})` : ''}`);
  }

  /** The value at `key`, or undefined with a "missing" problem. */
  private field(o: Record<string, unknown> | undefined, key: string, path: string): unknown {
    if (o === undefined) return undefined;
    if (o[key] === undefined) this.problem(member(path, key), 'missing');
    return o[key];
  }

  private object(o: Record<string, unknown>, key: string, path: string): Record<string, unknown> | undefined {
    const v = this.field(o, key, path);
    if (v === undefined) return undefined;
    if (isObject(v)) return v;
    this.problem(member(path, key), 'must be an object', v);
    return undefined;
  }

  private array(o: Record<string, unknown>, key: string, path: string): unknown[] | undefined {
    const v = this.field(o, key, path);
    if (v === undefined || Array.isArray(v)) return v;
    this.problem(member(path, key), 'must be a list', v);
    return undefined;
  }

  private string(o: Record<string, unknown> | undefined, key: string, path: string): string | undefined {
    const v = this.field(o, key, path);
    if (v === undefined || typeof v === 'string') return v;
    this.problem(member(path, key), 'must be a string', v);
    return undefined;
  }

  private strings(o: Record<string, unknown>, key: string, path: string): string[] | undefined {
    const list = this.array(o, key, path);
    if (list === undefined) return undefined;
    list.forEach((item, i) => {
      if (typeof item !== 'string') this.problem(`${member(path, key)}[${i}]`, 'must be a string', item);
    });
    return list.filter((item): item is string => typeof item === 'string');
  }

  private boolean(o: Record<string, unknown>, key: string, path: string): boolean | undefined {
    const v = this.field(o, key, path);
    if (v === undefined || typeof v === 'boolean') return v;
    this.problem(member(path, key), 'must be true or false', v);
    return undefined;
  }

  private number(
    o: Record<string, unknown> | undefined,
    key: string,
    path: string,
    rule: { min?: number; integer?: boolean; nullable?: boolean; positive?: boolean },
  ): number | null | undefined {
    const v = this.field(o, key, path);
    if (v === undefined || (v === null && rule.nullable)) return v as null | undefined;
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (!rule.integer || Number.isInteger(v)) &&
      (rule.min === undefined || v >= rule.min) &&
      (!rule.positive || v > 0);
    if (ok) return v;
    const what = rule.integer ? 'a whole number' : 'a number';
    const bound = rule.positive ? ' > 0' : rule.min !== undefined ? ` ≥ ${rule.min}` : '';
    this.problem(member(path, key), `must be ${what}${bound}${rule.nullable ? ' or null' : ''}`, v);
    return undefined;
  }

  /** A byte size or a counter: a whole number ≥ 0. */
  private bytes(o: Record<string, unknown>, key: string, path: string): number {
    return this.number(o, key, path, { integer: true, min: 0 }) ?? 0;
  }

  private date(o: Record<string, unknown>, key: string, path: string, nullable: boolean): string | undefined {
    const v = this.field(o, key, path);
    if (v === undefined || (v === null && nullable)) return undefined;
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v))) return v;
    this.problem(member(path, key), `must be a date and time in ISO 8601${nullable ? ' or null' : ''}`, v);
    return undefined;
  }
}
