/**
 * Repository configuration (`.github/migration-guard.yml`), shared by the CLI and the GitHub app.
 * Defaults live here, in one place; `loadConfig` validates a parsed YAML document and reports every
 * problem at once, each naming the key and its line, with a "did you mean" for unknown keys.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { MigrationTool } from './analysis/types';
import { DEFAULT_STATS_FILE, type Calibration, type Throughput } from './context/types';
import { parseBytes } from './context/units';
import { SEVERITIES, type Severity } from './rules/rule';

export type RuleSetting = Severity | 'off';
export type FailOn = 'high' | 'warning' | 'never';

export interface TableSettings {
  size?: 'large' | 'small';
  hot?: boolean;
  note?: string;
}

export interface Config {
  /** Target PostgreSQL major version. */
  postgresVersion: number;
  migrations: {
    /** Globs of migration files (default: the tool presets' conventions). */
    paths: string[];
    /** Migration tool; `auto` detects per file from markers and paths. */
    tool: MigrationTool | 'auto';
    /** Globs of files the runner executes outside a transaction (e.g. diesel `run_in_transaction = false`). */
    noTransaction: string[];
  };
  /** Per-rule severity, or off. */
  rules: Record<string, RuleSetting>;
  /** Per table (name or glob): size, hotness, a note repeated next to findings. */
  tables: Record<string, TableSettings>;
  /** Report locks on existing tables taken without lock_timeout. */
  requireLockTimeout: boolean;
  failOn: FailOn;
  /** Highest severity for down/revert migrations. */
  downSeverity: Severity;
  acknowledge: { permission: 'write' | 'maintain' | 'admin'; teams: string[] };
  /** The production statistics snapshot and how its figures turn into severity. */
  stats: StatsSettings;
  /** Throughput of the target server (defaults, or measured by `migration-guard calibrate`). */
  calibration: Calibration;
}

export interface StatsSettings {
  /** The snapshot file, relative to the repository root. */
  file: string;
  /** A snapshot older than this is used, with a warning. */
  maxAgeDays: number;
  /** Below this total size (and not hot, and brief) a table is small: size-driven findings become info. */
  smallTableBytes: number;
  /** From this total size a table is large: size-driven warnings become high. */
  largeTableBytes: number;
  /** From this many rows written per second a table is hot. */
  hotWritesPerSecond: number;
  /** A blocking lock held (estimated) this long or longer makes a size-driven finding high. */
  maxBlockingSeconds: number;
}

/**
 * Default throughput: `migration-guard calibrate` (500,000-row scratch table) run 7 times on PostgreSQL
 * 17.10 with PostgreSQL's default settings (fsync and full_page_writes on, shared_buffers 128MB, 2
 * parallel maintenance workers, wal_level replica) on a 2-core Xeon VM (virtio disk), shared with
 * other jobs. Each figure is the slowest run's, rounded down (medians were 1.2 GB/s, 101 MB/s,
 * 237 MB/s): estimates err towards longer locks. WAL per byte is the measured 1.12 rounded up (narrower
 * rows log more per byte). The data was cached; tables larger than memory on slower storage scan
 * slower: calibrate on the real server (docs/production-context.md).
 */
export const DEFAULT_THROUGHPUT: Readonly<Throughput> = Object.freeze({
  scanBytesPerSecond: 1024 * 1024 ** 2,
  rewriteBytesPerSecond: 85 * 1024 ** 2,
  indexBuildBytesPerSecond: 180 * 1024 ** 2,
  walBytesPerWrittenByte: 1.15,
});

export const DEFAULT_MIGRATION_PATHS = [
  '**/db/migrations/*.sql',
  '**/migrations/**/*.sql',
  '**/migration/**/*.sql',
  '**/*.up.sql',
  '**/*.down.sql',
  '**/V[0-9]*__*.sql',
  '**/R__*.sql',
  '**/prisma/migrations/*/migration.sql',
  '**/deploy/*.sql',
  '**/revert/*.sql',
  '**/drizzle/[0-9][0-9][0-9][0-9]_*.sql',
];

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  postgresVersion: 17,
  migrations: { paths: DEFAULT_MIGRATION_PATHS, tool: 'auto', noTransaction: [] },
  rules: {},
  tables: {},
  requireLockTimeout: true,
  failOn: 'high',
  downSeverity: 'info',
  acknowledge: { permission: 'write', teams: [] },
  stats: {
    file: DEFAULT_STATS_FILE,
    maxAgeDays: 30,
    smallTableBytes: 10 * 1024 ** 2,
    largeTableBytes: 1024 ** 3,
    hotWritesPerSecond: 100,
    maxBlockingSeconds: 5,
  },
  calibration: { ...DEFAULT_THROUGHPUT, source: 'default' },
}) as Config;

const THROUGHPUT_KEYS = [
  'scanBytesPerSecond',
  'rewriteBytesPerSecond',
  'indexBuildBytesPerSecond',
  'walBytesPerWrittenByte',
] as const;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; line?: number; message: string }[],
  ) {
    super(
      `${file}: invalid configuration\n` +
        problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.path}: ${p.message}`).join('\n'),
    );
  }
}

const TOOLS: readonly (MigrationTool | 'auto')[] = [
  'auto',
  'plain',
  'golang-migrate',
  'goose',
  'flyway',
  'dbmate',
  'sqlx',
  'diesel',
  'prisma',
  'atlas',
  'sqitch',
  'drizzle',
];

/** Parse and validate YAML text; `knownRules` are the rule ids that `rules:` may name. */
export function loadConfig(text: string, file: string, knownRules: readonly string[]): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: { path: string; line?: number; message: string }[] = [];
  const lineOf = (n: YamlNode | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : undefined);
  for (const e of doc.errors) {
    problems.push({
      path: '(yaml)',
      line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line,
      message: e.message.split('\n')[0],
    });
  }
  if (problems.length) throw new ConfigError(file, problems);
  const config: Config = structuredClone(DEFAULT_CONFIG) as Config;
  const root = doc.contents;
  // An empty file, or one holding only `---` or comments, means "all defaults".
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) return config;
  if (!isMap(root))
    throw new ConfigError(file, [{ path: '(root)', line: lineOf(root), message: 'must be a mapping' }]);

  const problem = (path: string, node: YamlNode | null | undefined, message: string) =>
    problems.push({ path, line: lineOf(node), message });
  const scalar = (node: unknown) => (isScalar(node) ? node.value : undefined);
  const checkKeys = (map: YamlNode, path: string, allowed: string[]) => {
    if (!isMap(map)) return problem(path, map, 'must be a mapping');
    for (const item of map.items) {
      const key = String(scalar(item.key));
      if (!allowed.includes(key)) {
        const hint = didYouMean(key, allowed);
        problem(
          `${path ? `${path}.` : ''}${key}`,
          item.key as YamlNode,
          `unknown key${hint ? `; did you mean "${hint}"?` : ''}`,
        );
      }
    }
  };
  checkKeys(root, '', [
    'postgresVersion',
    'migrations',
    'rules',
    'tables',
    'requireLockTimeout',
    'failOn',
    'downSeverity',
    'acknowledge',
    'stats',
    'calibration',
  ]);

  for (const item of root.items) {
    const key = String(scalar(item.key));
    const value = item.value as YamlNode;
    const v = scalar(value);
    switch (key) {
      case 'postgresVersion':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 11 || v > 18) {
          problem(key, value, 'must be a PostgreSQL major version from 11 to 18');
        } else config.postgresVersion = v;
        break;
      case 'requireLockTimeout':
        if (typeof v !== 'boolean') problem(key, value, 'must be true or false');
        else config.requireLockTimeout = v;
        break;
      case 'failOn':
        if (v !== 'high' && v !== 'warning' && v !== 'never')
          problem(key, value, oneOf(v, ['high', 'warning', 'never']));
        else config.failOn = v;
        break;
      case 'downSeverity':
        if (!SEVERITIES.includes(v as Severity)) problem(key, value, oneOf(v, SEVERITIES));
        else config.downSeverity = v as Severity;
        break;
      case 'migrations': {
        checkKeys(value, key, ['paths', 'tool', 'noTransaction']);
        if (!isMap(value)) break;
        for (const m of value.items) {
          const mk = String(scalar(m.key));
          const mv = m.value as YamlNode;
          if (mk === 'paths' || mk === 'noTransaction') {
            const list = stringList(mv);
            if (!list) problem(`migrations.${mk}`, mv, 'must be a list of glob patterns');
            else config.migrations[mk] = list;
          } else if (mk === 'tool') {
            const t = scalar(mv);
            if (!TOOLS.includes(t as MigrationTool)) {
              const hint = didYouMean(String(t), TOOLS as string[]);
              problem(
                'migrations.tool',
                mv,
                `must be one of ${TOOLS.join(', ')}${hint ? `; did you mean "${hint}"?` : ''}`,
              );
            } else config.migrations.tool = t as MigrationTool;
          }
        }
        break;
      }
      case 'rules': {
        if (isEmpty(value)) break;
        if (!isMap(value)) {
          problem(key, value, 'must be a mapping of rule id to high, warning, info or off');
          break;
        }
        for (const r of value.items) {
          const id = String(scalar(r.key));
          const setting = scalar(r.value);
          if (!knownRules.includes(id)) {
            const hint = didYouMean(id, knownRules);
            problem(
              `rules.${id}`,
              r.key as YamlNode,
              `unknown rule${hint ? `; did you mean "${hint}"?` : ''}`,
            );
          } else if (setting !== 'off' && !SEVERITIES.includes(setting as Severity)) {
            problem(`rules.${id}`, r.value as YamlNode, oneOf(setting, [...SEVERITIES, 'off']));
          } else config.rules[id] = setting as RuleSetting;
        }
        break;
      }
      case 'tables': {
        if (isEmpty(value)) break;
        if (!isMap(value)) {
          problem(key, value, 'must be a mapping of table name (or glob) to settings');
          break;
        }
        for (const t of value.items) {
          const name = String(scalar(t.key));
          const tv = t.value as YamlNode;
          checkKeys(tv, `tables.${name}`, ['size', 'hot', 'note']);
          if (!isMap(tv)) continue;
          const settings: TableSettings = {};
          for (const s of tv.items) {
            const sk = String(scalar(s.key));
            const sv = scalar(s.value);
            if (sk === 'size') {
              if (sv !== 'large' && sv !== 'small')
                problem(`tables.${name}.size`, s.value as YamlNode, 'must be large or small');
              else settings.size = sv;
            } else if (sk === 'hot') {
              if (typeof sv !== 'boolean')
                problem(`tables.${name}.hot`, s.value as YamlNode, 'must be true or false');
              else settings.hot = sv;
            } else if (sk === 'note') {
              if (typeof sv !== 'string') problem(`tables.${name}.note`, s.value as YamlNode, 'must be text');
              else settings.note = sv;
            }
          }
          config.tables[name] = settings;
        }
        break;
      }
      case 'acknowledge': {
        checkKeys(value, key, ['permission', 'teams']);
        if (!isMap(value)) break;
        for (const a of value.items) {
          const ak = String(scalar(a.key));
          const av = a.value as YamlNode;
          if (ak === 'permission') {
            const p = scalar(av);
            if (p !== 'write' && p !== 'maintain' && p !== 'admin') {
              problem('acknowledge.permission', av, 'must be write, maintain or admin');
            } else config.acknowledge.permission = p;
          } else if (ak === 'teams') {
            const list = stringList(av);
            if (!list) problem('acknowledge.teams', av, 'must be a list of team slugs');
            else config.acknowledge.teams = list;
          }
        }
        break;
      }
      case 'stats': {
        checkKeys(value, key, Object.keys(DEFAULT_CONFIG.stats));
        if (!isMap(value)) break;
        for (const st of value.items) {
          const sk = String(scalar(st.key)) as keyof StatsSettings;
          const sv = scalar(st.value);
          const at = `stats.${sk}`;
          if (sk === 'file') {
            if (typeof sv !== 'string' || !sv) problem(at, st.value as YamlNode, 'must be a path');
            else config.stats.file = sv;
          } else if (sk === 'smallTableBytes' || sk === 'largeTableBytes') {
            const bytes = parseBytes(sv);
            if (bytes === undefined)
              problem(at, st.value as YamlNode, 'must be a size such as 10 MB or 1 GB');
            else config.stats[sk] = bytes;
          } else if (sk in DEFAULT_CONFIG.stats) {
            if (typeof sv !== 'number' || !(sv >= 0))
              problem(at, st.value as YamlNode, 'must be a number ≥ 0');
            else (config.stats as unknown as Record<string, number>)[sk] = sv;
          }
        }
        if (config.stats.smallTableBytes > config.stats.largeTableBytes)
          problem('stats.smallTableBytes', value, 'must not be larger than stats.largeTableBytes');
        break;
      }
      case 'calibration': {
        checkKeys(value, key, [...THROUGHPUT_KEYS, 'source', 'measuredAt', 'serverVersion']);
        if (!isMap(value)) break;
        config.calibration.source = 'calibrated';
        for (const c of value.items) {
          const ck = String(scalar(c.key));
          const cv = scalar(c.value);
          if ((THROUGHPUT_KEYS as readonly string[]).includes(ck)) {
            if (typeof cv !== 'number' || !(cv > 0))
              problem(`calibration.${ck}`, c.value as YamlNode, 'must be a number > 0');
            else config.calibration[ck as (typeof THROUGHPUT_KEYS)[number]] = cv;
          } else if (ck === 'source') {
            if (cv !== 'default' && cv !== 'calibrated')
              problem('calibration.source', c.value as YamlNode, 'must be default or calibrated');
            else config.calibration.source = cv;
          } else if (ck === 'measuredAt' || ck === 'serverVersion') {
            if (typeof cv !== 'string') problem(`calibration.${ck}`, c.value as YamlNode, 'must be text');
            else config.calibration[ck] = cv;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  if (problems.length) throw new ConfigError(file, problems);
  return config;
}

/** `key:` with nothing after it. */
function isEmpty(node: YamlNode | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function oneOf(value: unknown, allowed: readonly string[]): string {
  const hint = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
  return `must be one of ${allowed.join(', ')}${hint ? `; did you mean "${hint}"?` : ''}`;
}

function stringList(node: YamlNode): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

/** The closest known word within a small edit distance, for "did you mean". */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Table settings for a relation: exact name first, then the first matching glob. */
export function tableSettings(config: Config, relation: string): TableSettings | undefined {
  if (config.tables[relation]) return config.tables[relation];
  const bare = relation.includes('.') ? relation.split('.').pop()! : relation;
  if (config.tables[bare]) return config.tables[bare];
  for (const [pattern, settings] of Object.entries(config.tables)) {
    if (!pattern.includes('*')) continue;
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (re.test(relation) || re.test(bare)) return settings;
  }
  return undefined;
}
