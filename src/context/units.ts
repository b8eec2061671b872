/** Sizes, rates and durations as people read them ("3.1 GB", "1,800/s", "40–90 s"), and back. */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;
const FACTORS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
  pb: 1024 ** 5,
};

/** Bytes in PostgreSQL's own units (pg_size_pretty: 1 kB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${trim(value.toFixed(digits))} ${UNITS[unit]}`;
}

/** "10 MB", "1.5GB", "512 kB", 1048576 → bytes; undefined when it is not a size. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?i?b)?\s*$/i.exec(value);
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase().replace('ib', 'b');
  const factor = FACTORS[unit];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/** A count in thousands/millions: 5,200,000 → "5.2 M", 1800 → "1,800". */
export function formatCount(n: number): string {
  if (Math.abs(n) >= 1e9) return `${trim((n / 1e9).toFixed(1))} G`;
  if (Math.abs(n) >= 1e6) return `${trim((n / 1e6).toFixed(1))} M`;
  return Math.round(n).toLocaleString('en-US');
}

/** Seconds as "120 ms", "4 s", "3 min", "1.5 h". */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.max(1, Math.round(seconds * 1000))} ms`;
  if (seconds < 90) return `${trim(seconds < 10 ? seconds.toFixed(1) : seconds.toFixed(0))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${trim((seconds / 3600).toFixed(1))} h`;
}

/** A range "40–90 s" (one unit when both ends share it), or one figure when they round alike. */
export function formatSecondsRange(low: number, high: number): string {
  const a = formatSeconds(low);
  const b = formatSeconds(high);
  if (a === b) return a;
  const [av, au] = splitUnit(a);
  const [bv, bu] = splitUnit(b);
  return au === bu ? `${av}–${bv} ${bu}` : `${a} – ${b}`;
}

function splitUnit(s: string): [string, string] {
  const i = s.lastIndexOf(' ');
  return [s.slice(0, i), s.slice(i + 1)];
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
