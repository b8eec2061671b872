/**
 * `check`: analysis + rules + context → findings.
 *
 *   for each file: detect the migration tool → analyze (effects, transaction facts) → at each
 *   statement, with the catalog as it was before it, run every enabled rule → apply severity
 *   context (configuration, table size and hotness, down files) → apply suppressions.
 */
import { minimatch } from 'minimatch';
import { analyzeLoaded, type StatementVisit } from '../analysis/analyze';
import type { AnyNode } from '../analysis/ast';
import { displayKey, unwrap } from '../analysis/ast';
import { loadParser, type ParsedFile } from '../analysis/parse';
import type { AnalysisResult, AnalyzedStatement, SourceFile } from '../analysis/types';
import { tableSettings, type Config } from '../config';
import {
  describeTable,
  lockHeldFrom,
  type ProductionBasis,
  type ProductionContext,
} from '../context/production';
import { contextSeverity } from '../context/severity';
import type { DurationEstimate } from '../context/types';
import { detectTool, isDownMigrationPath, type ToolPreset } from '../migrations/tools';
import { RULES, ruleById } from '../rules';
import type { HeldLock, RelationContext, Rule, RuleContext, RuleReport, Severity } from '../rules/rule';
import { severityRank } from '../rules/rule';
import type { Finding } from './finding';
import { readSuppressions } from './suppressions';

export interface CheckOptions {
  config: Config;
  /** Overrides config.postgresVersion. */
  pgVersion?: number;
  history?: SourceFile[];
  /** The history is the whole schema (tests); default false: unknown tables are assumed to exist. */
  historyIsComplete?: boolean;
  /** Rules to run (default: all registered). */
  rules?: readonly Rule[];
  timeZone?: string;
  /** Judge each file as the newest migration: only tables created in that file count as new. */
  eachFileIsAChange?: boolean;
  /** Production statistics and the duration estimator; without it, sizes are unknown. */
  production?: ProductionContext;
}

export interface CheckedFile {
  path: string;
  tool: string;
  isDown: boolean;
}

export interface CheckResult {
  pgVersion: number;
  analysis: AnalysisResult;
  files: CheckedFile[];
  /** Active findings, in file and line order; suppressed ones are in `suppressed`. */
  findings: Finding[];
  suppressed: Finding[];
  /** What the production context was based on (set by the caller that loaded it). */
  basis?: ProductionBasis;
}

export async function check(files: SourceFile[], options: CheckOptions): Promise<CheckResult> {
  await loadParser();
  return checkLoaded(files, options);
}

export function checkLoaded(files: SourceFile[], options: CheckOptions): CheckResult {
  const config = options.config;
  const pg = options.pgVersion ?? config.postgresVersion;
  const rules = (options.rules ?? RULES).filter((r) => config.rules[r.id] !== 'off');
  const tools = new Map<string, ToolPreset>();
  // Per file: whether the tool calls it a down migration (a few regular expressions each time).
  const downFiles = new Map<string, boolean>();
  const checked: CheckedFile[] = [];
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  let fileFindings: Finding[] = [];
  let pending: PendingFinding[] = [];

  const toolFor = (parsed: ParsedFile): ToolPreset => {
    let tool = tools.get(parsed.path);
    if (!tool) {
      tool = detectTool(
        parsed.path,
        parsed,
        config.migrations.tool === 'auto' ? undefined : config.migrations.tool,
      );
      tools.set(parsed.path, tool);
    }
    return tool;
  };

  const visit = (v: StatementVisit) => {
    const tool = toolFor(v.file);
    let downFile = downFiles.get(v.file.path);
    if (downFile === undefined) downFiles.set(v.file.path, (downFile = tool.isDown(v.file.path)));
    const isDown = downFile || v.statement.section === 'down';
    // One context per statement (its lazy parts are computed at most once); `report` follows the rule.
    let current: Rule = rules[0];
    const ctx = ruleContextBase(v, pg, tool, isDown, config) as RuleContext<string>;
    ctx.report = (r: RuleReport<string>) =>
      pending.push({
        finding: toFinding(current, r, v, config),
        rule: current,
        index: v.statements.length - 1,
        onExistingTable: !!r.relation && ctx.isExisting(r.relation),
        isDown,
      });
    for (const rule of rules) {
      current = rule;
      rule.check(ctx);
    }
  };

  const analysis = analyzeLoaded(
    files,
    {
      pgVersion: pg,
      // Down migrations are not part of the applied schema.
      history: options.history?.filter((f) => !isDownMigrationPath(f.path)),
      historyIsComplete: options.historyIsComplete,
      timeZone: options.timeZone,
      eachFileIsAChange: options.eachFileIsAChange,
      isDownFile: (path) => isDownMigrationPath(path),
      transactionMode: (parsed, allowed) => {
        if (
          config.migrations.noTransaction.some((g) =>
            minimatch(parsed.path, g, { dot: true, matchBase: true }),
          )
        ) {
          return { wrapped: false, reason: 'listed in migrations.noTransaction' };
        }
        return toolFor(parsed).transaction(parsed, allowed);
      },
    },
    visit,
    (parsed, analyzed) => {
      const tool = toolFor(parsed);
      checked.push({ path: parsed.path, tool: tool.id, isDown: tool.isDown(parsed.path) });
      fileFindings.push(...withContext(pending, analyzed.statements, options.production, config));
      pending = [];
      fileFindings.push(...diagnosticFindings(analyzed.path, analyzed.diagnostics));
      const sups = readSuppressions(parsed.directives, analyzed.statements);
      for (const f of fileFindings) {
        const s = sups.find(
          (x) =>
            (x.rules.includes(f.ruleId) || x.rules.includes('*')) &&
            (x.fileLevel || analyzed.statements[x.statementIndex ?? -1]?.line === f.line),
        );
        if (s) {
          s.used = true;
          suppressed.push({ ...f, suppressed: { reason: s.reason, line: s.line } });
        } else findings.push(f);
      }
      for (const s of sups) findings.push(...suppressionFindings(analyzed.path, s));
      fileFindings = [];
    },
  );
  return { pgVersion: pg, analysis, files: checked, findings: findings.sort(compareFindings), suppressed };
}

function ruleContextBase(
  v: StatementVisit,
  pg: number,
  tool: ToolPreset,
  isDown: boolean,
  config: Config,
): Omit<RuleContext<string>, 'report'> {
  const keyOfName = (name: string) => (name.includes('.') ? name : `public.${name}`);
  const relation = (name: string): RelationContext => {
    const state = v.catalog.get(keyOfName(name));
    return { name, state, createdInChange: !!state?.createdInChange, assumed: !state || !!state.assumed };
  };
  const t = v.statement.transaction;
  // What only some rules need is computed on first use: most statements never ask.
  // A transaction's statements are contiguous (group numbers only grow): walk back to its start.
  const sameTransaction = lazy(() => {
    const out: { statement: AnalyzedStatement; i: number }[] = [];
    if (!t.inTransaction || t.group === undefined) return out;
    for (let i = v.statements.length - 2; i >= 0; i--) {
      const statement = v.statements[i];
      if (statement.transaction.group !== t.group) break;
      out.push({ statement, i });
    }
    return out.reverse();
  });
  const earlierStatements = lazy(() =>
    // Parsed and analyzed statements of a file are in the same order.
    sameTransaction().map(({ statement, i }) => ({
      statement,
      node: unwrap(v.file.statements[i].node) as AnyNode,
    })),
  );
  const heldBefore = lazy(() =>
    sameTransaction().flatMap(({ statement }) =>
      statement.locks
        .filter((l) => !relation(l.relation).createdInChange)
        .map((l): HeldLock => ({
          relation: l.relation,
          mode: l.mode,
          line: statement.line,
          summary: statement.summary,
        })),
    ),
  );
  const earlierInFile = lazy(() =>
    v.statements.slice(0, -1).filter((s) => s.section === v.statement.section),
  );
  return {
    statement: v.statement,
    node: unwrap(v.node) as AnyNode,
    kind: v.statement.kind,
    pg,
    catalog: v.catalog,
    file: {
      path: v.file.path,
      tool,
      isDown,
      get earlier() {
        return earlierInFile();
      },
    },
    tx: {
      inTransaction: !!t.inTransaction,
      wrappedByTool: !!t.wrappedByTool,
      toolKnown: tool.id !== 'plain',
      lockTimeout: !!t.lockTimeout,
      get heldBefore() {
        return heldBefore();
      },
      get earlierStatements() {
        return earlierStatements();
      },
    },
    requireLockTimeout: config.requireLockTimeout,
    relation,
    isExisting: (name: string) => !relation(name).createdInChange,
  };
}

function lazy<T>(compute: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

function toFinding(rule: Rule, r: RuleReport<string>, v: StatementVisit, config: Config): Finding {
  const s: AnalyzedStatement = v.statement;
  const reasons: string[] = [];
  const assumptions: string[] = [];
  let severity: Severity = r.severity ?? rule.meta.defaultSeverity;
  const configured = config.rules[rule.id];
  if (configured && configured !== 'off' && configured !== severity) {
    severity = configured;
    reasons.push(`configured as ${configured}`);
  }
  let note: string | undefined;
  if (r.relation) {
    const key = r.relation.includes('.') ? r.relation : `public.${r.relation}`;
    const state = v.catalog.get(key);
    if (!state || state.assumed) {
      assumptions.push(
        `${displayKey(key)} is not in the migration history: assumed to exist and possibly large`,
      );
    }
    note = tableSettings(config, r.relation)?.note;
  }
  return {
    ruleId: rule.id,
    messageId: r.messageId,
    severity,
    defaultSeverity: rule.meta.defaultSeverity,
    file: v.file.path,
    line: s.line,
    column: s.column,
    endLine: s.endLine,
    endColumn: s.endColumn,
    message: format(rule.meta.messages[r.messageId] ?? r.messageId, r.data ?? {}),
    ...(r.relation ? { relation: r.relation } : {}),
    ...(r.lock ? { lock: r.lock } : {}),
    ...(r.safeAlternative ? { safeAlternative: r.safeAlternative } : {}),
    ...(r.fix !== undefined ? { fix: r.fix } : {}),
    statementText: s.text,
    severityReasons: reasons,
    assumptions,
    ...(note ? { note } : {}),
  };
}

/** A rule's report, kept until its file ends: the lock-held estimate needs the later statements. */
interface PendingFinding {
  finding: Finding;
  rule: Rule;
  /** Index of its statement in the file. */
  index: number;
  onExistingTable: boolean;
  isDown: boolean;
}

/**
 * Severity context, once the whole file is known: the table's size, activity and the estimated
 * time its lock is held (to the end of the transaction), for rules whose harm grows with the
 * table; then down migrations are capped.
 */
function withContext(
  pending: readonly PendingFinding[],
  statements: readonly AnalyzedStatement[],
  production: ProductionContext | undefined,
  config: Config,
): Finding[] {
  let estimates: (DurationEstimate | undefined)[] | undefined;
  const estimateAll = () => (estimates ??= statements.map((st) => production?.estimate(st)));
  return pending.map((p) => {
    const f = p.finding;
    if (p.rule.meta.scalesWithTable && f.relation && p.onExistingTable) {
      const ctx = describeTable(f.relation, production, config);
      if (production?.lookup) {
        const all = estimateAll();
        if (all[p.index]) ctx.statement = all[p.index];
        ctx.lockHeld = lockHeldFrom(p.index, statements, all, f.relation);
      }
      const adjusted = contextSeverity(f.severity, ctx, config);
      f.severity = adjusted.severity;
      f.severityReasons.push(...adjusted.reasons);
      f.context = ctx;
    }
    if (p.isDown && severityRank(f.severity) > severityRank(config.downSeverity)) {
      f.severity = config.downSeverity;
      f.severityReasons.push(`down migration: at most ${config.downSeverity}`);
    }
    return f;
  });
}

const collator = new Intl.Collator();

/** File, line, column order (files compared as localeCompare does, with one collator). */
export function compareFindings(a: Finding, b: Finding): number {
  return (a.file === b.file ? 0 : collator.compare(a.file, b.file)) || a.line - b.line || a.column - b.column;
}

export function format(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

function diagnosticFindings(
  file: string,
  diagnostics: AnalysisResult['files'][number]['diagnostics'],
): Finding[] {
  const rule = ruleById('invalid-migration-file');
  if (!rule) return [];
  return diagnostics
    .filter((d) => d.severity === 'error' || d.code === 'psql-meta-command')
    .map((d) => ({
      ruleId: rule.id,
      messageId: d.code,
      severity: d.severity === 'error' ? 'high' : 'warning',
      defaultSeverity: rule.meta.defaultSeverity,
      file,
      line: d.line,
      column: d.column,
      endLine: d.endLine ?? d.line,
      endColumn: d.endColumn ?? d.column,
      message: `${d.message} [${d.code}]`,
      statementText: '',
      severityReasons: [],
      assumptions: [],
    }));
}

function suppressionFindings(file: string, s: ReturnType<typeof readSuppressions>[number]): Finding[] {
  const out: Finding[] = [];
  const make = (messageId: string, message: string): Finding => ({
    ruleId: 'suppression',
    messageId,
    severity: 'warning',
    defaultSeverity: 'warning',
    file,
    line: s.line,
    column: s.column,
    endLine: s.line,
    endColumn: s.column,
    message,
    statementText: '',
    severityReasons: [],
    assumptions: [],
  });
  const unknown = s.rules.filter((r) => r !== '*' && !ruleById(r));
  if (unknown.length)
    out.push(make('unknownRule', `unknown rule ${unknown.join(', ')} in migration-guard:ignore`));
  if (!s.reason)
    out.push(make('missingReason', 'migration-guard:ignore without a reason: say why this is safe'));
  if (!s.used && unknown.length < s.rules.length) {
    out.push(make('unused', `unused suppression of ${s.rules.join(', ')}: nothing here is reported by it`));
  }
  return out;
}
