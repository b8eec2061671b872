/**
 * A small, strict argument parser: known flags only, values checked, clear errors. Every command
 * declares its flags; an unknown flag is a usage error (exit 2), never silently ignored.
 */
export class UsageError extends Error {}

export interface FlagSpec {
  /** `string`: one value; `list`: repeatable; `boolean`: no value. */
  type: 'string' | 'list' | 'boolean';
  choices?: readonly string[];
}

export interface ParsedArgs {
  flags: Record<string, string | string[] | boolean | undefined>;
  positional: string[];
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === 'boolean') {
      flags[name] = true;
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (s.choices && !s.choices.includes(value)) {
      throw new UsageError(`--${name} must be one of ${s.choices.join(', ')} (got "${value}")`);
    }
    if (s.type === 'list') flags[name] = [...((flags[name] as string[]) ?? []), value];
    else flags[name] = value;
  }
  return { flags, positional };
}

export function pgVersionFlag(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 11 || n > 18) {
    throw new UsageError(
      `--pg-version must be a PostgreSQL major version from 11 to 18 (got "${String(value)}")`,
    );
  }
  return n;
}
