/**
 * Severity from production context, for findings whose harm grows with the table (a blocking lock,
 * a rewrite, a scan, an index build): the same statement is `info` on a small table and `high` on
 * a large or hot one, or when its lock is estimated to be held longer than `stats.maxBlockingSeconds`.
 * A `high` on a medium table whose lock is estimated to be brief becomes a `warning` (a bounded risk).
 * Without statistics nor table settings the rule's severity stands, and the finding says the size
 * is unknown.
 */
import type { Config } from '../config';
import type { Finding } from '../check/finding';
import type { Severity } from '../rules/rule';
import type { FindingContext } from './production';
import { isLargeWal } from './estimate';
import { formatBytes, formatCount, formatSecondsRange } from './units';

export function contextSeverity(
  severity: Severity,
  ctx: FindingContext,
  config: Config,
): { severity: Severity; reasons: string[] } {
  const limit = config.stats.maxBlockingSeconds;
  const held = ctx.lockHeld;
  const long = !!held && held.seconds >= limit;
  const why = {
    size: () =>
      ctx.sizeConfigured
        ? `${ctx.relation} is configured as ${ctx.size}`
        : `${ctx.relation} is ${ctx.size} (${sizeFigures(ctx)})`,
    hot: () =>
      ctx.hotConfigured
        ? `${ctx.relation} is configured as hot`
        : `${ctx.relation} is hot (~${formatCount(ctx.writesPerSecond ?? 0)} writes/s)`,
    long: () =>
      `the lock is estimated to be held ${formatSecondsRange(held!.low, held!.high)}${held!.untilCommit ? ' (until COMMIT)' : ''}, over ${limit} s`,
  };

  if (ctx.size === 'small' && !ctx.hot && !long) {
    return severity === 'info' ? { severity, reasons: [] } : { severity: 'info', reasons: [why.size()] };
  }
  if (ctx.size === 'large' || ctx.hot || long) {
    if (severity !== 'warning') return { severity, reasons: [] };
    const reasons = [
      ...(ctx.size === 'large' ? [why.size()] : []),
      ...(ctx.hot ? [why.hot()] : []),
      ...(long ? [why.long()] : []),
    ];
    return { severity: 'high', reasons };
  }
  if (severity === 'high' && ctx.size === 'medium' && !ctx.sizeConfigured && held) {
    return {
      severity: 'warning',
      reasons: [
        `${ctx.relation} is ${sizeFigures(ctx)}: the lock is estimated to be held ${formatSecondsRange(held.low, held.high)}, under ${limit} s`,
      ],
    };
  }
  return { severity, reasons: [] };
}

function sizeFigures(ctx: FindingContext): string {
  const parts: string[] = [];
  if (ctx.totalBytes !== undefined) parts.push(formatBytes(ctx.totalBytes));
  if (ctx.rows !== undefined) parts.push(`${formatCount(ctx.rows)} rows`);
  return parts.join(', ') || 'size from configuration';
}

/**
 * One line for people: "orders: 5.2 M rows, 3.1 GB, ~1,800 writes/s; lock held ~40–90 s
 * (estimated, until COMMIT); writes ~3.4 GB of WAL".
 */
export function describeContext(ctx: FindingContext): string | undefined {
  const facts: string[] = [];
  if (ctx.rows !== undefined) facts.push(`${formatCount(ctx.rows)} rows`);
  if (ctx.totalBytes !== undefined) facts.push(formatBytes(ctx.totalBytes));
  if (ctx.writesPerSecond !== undefined && ctx.writesPerSecond >= 1)
    facts.push(`~${formatCount(ctx.writesPerSecond)} writes/s`);
  if (ctx.sizeConfigured) facts.push(`configured ${ctx.size}`);
  if (ctx.hotConfigured && ctx.hot) facts.push('configured hot');
  const parts: string[] = [];
  if (facts.length) parts.push(`${ctx.relation}: ${facts.join(', ')}`);
  if (ctx.sizeUnknown)
    parts.push(facts.length ? ctx.sizeUnknown.replace(/^size of \S+ /, 'size ') : ctx.sizeUnknown);
  const held = ctx.lockHeld;
  if (held && held.high > 0) {
    parts.push(
      `lock held ~${formatSecondsRange(held.low, held.high)} (estimated${held.untilCommit ? ', until COMMIT' : ''})`,
    );
  }
  const wal = ctx.statement?.walBytes ?? 0;
  if (wal > 0) {
    parts.push(
      `writes ~${formatBytes(wal)} of WAL${isLargeWal(wal) ? ': large, replicas may lag behind' : ''}`,
    );
  }
  return parts.length ? parts.join('; ') : undefined;
}

/** The production line every report prints under a finding, when there is something to say. */
export function productionLine(f: Pick<Finding, 'context'>): string | undefined {
  return f.context ? describeContext(f.context) : undefined;
}
