/**
 * analyze(files, options): the engine's one entry point. Pure: no I/O beyond loading the parser.
 *
 *   parse (libpg-query, exact positions) → replay history into a catalog → for each statement of
 *   the files in order: effects against the catalog before it → apply it to the catalog.
 *
 * Everything here is a fact about PostgreSQL; judgement (severity, advice) is the rules' job.
 */
import { Catalog } from './catalog';
import { statementEffects } from './effects/statement';
import { loadParser, parseFile, type ParsedStatement } from './parse';
import { applyStatement } from './replay';
import { DEFAULT_MAX_FILE_BYTES } from './source';
import type { AnalysisResult, AnalyzeOptions, AnalyzedFile, SourceFile } from './types';
import type { AnyNode } from './ast';

export const SUPPORTED_PG_VERSIONS = [11, 12, 13, 14, 15, 16, 17, 18] as const;

export async function analyze(files: SourceFile[], options: AnalyzeOptions): Promise<AnalysisResult> {
  await loadParser();
  return analyzeLoaded(files, options);
}

/** The synchronous core, for callers that already awaited `loadParser()`. */
export function analyzeLoaded(files: SourceFile[], options: AnalyzeOptions): AnalysisResult {
  if (!(SUPPORTED_PG_VERSIONS as readonly number[]).includes(options.pgVersion)) {
    throw new RangeError(`unsupported PostgreSQL version ${options.pgVersion}: use one of 11–18`);
  }
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const catalog = new Catalog();
  if (options.history && options.history.length > 0) {
    catalog.complete = options.historyIsComplete === true;
    for (const file of options.history) {
      for (const s of parseFile(file, maxBytes).statements) applyStatement(s.node, catalog);
    }
  }
  catalog.inChange = true;
  return {
    pgVersion: options.pgVersion,
    files: files.map((file) => analyzeFile(file, catalog, options, maxBytes)),
  };
}

function analyzeFile(
  file: SourceFile,
  catalog: Catalog,
  options: AnalyzeOptions,
  maxBytes: number,
): AnalyzedFile {
  const parsed = parseFile(file, maxBytes);
  const session = new SessionState(options.timeZone);
  const statements = parsed.statements.map((s) => {
    const effects = statementEffects(s.node, catalog, { pg: options.pgVersion, utcSession: session.utc });
    effects.transaction = { ...effects.transaction, inExplicitTransaction: session.inTransaction };
    const control = session.apply(s);
    if (control) effects.transaction.control = control;
    applyStatement(s.node, catalog);
    return {
      line: s.line,
      column: s.column,
      endLine: s.endLine,
      endColumn: s.endColumn,
      text: s.text,
      kind: s.kind,
      summary: summarize(s),
      ...(s.section ? { section: s.section } : {}),
      ...effects,
    };
  });
  return { path: file.path, diagnostics: parsed.diagnostics, statements };
}

type Control = NonNullable<AnalyzedFile['statements'][number]['transaction']['control']>;

/** What the session knows as the file runs: explicit transaction blocks and the time zone. */
class SessionState {
  inTransaction = false;
  utc: boolean | undefined;

  constructor(timeZone: string | undefined) {
    this.utc = timeZone === undefined ? undefined : isUtc(timeZone);
  }

  apply(s: ParsedStatement): Control | undefined {
    const node = s.node as AnyNode;
    if (s.kind === 'TransactionStmt') {
      const kind: string = node.TransactionStmt.kind;
      switch (kind) {
        case 'TRANS_STMT_BEGIN':
        case 'TRANS_STMT_START':
          this.inTransaction = true;
          return 'begin';
        case 'TRANS_STMT_COMMIT':
        case 'TRANS_STMT_COMMIT_PREPARED':
          this.inTransaction = false;
          return 'commit';
        case 'TRANS_STMT_ROLLBACK':
        case 'TRANS_STMT_ROLLBACK_PREPARED':
          this.inTransaction = false;
          return 'rollback';
        case 'TRANS_STMT_SAVEPOINT':
          return 'savepoint';
        case 'TRANS_STMT_RELEASE':
          return 'release';
        case 'TRANS_STMT_ROLLBACK_TO':
          return 'rollback-to';
        default:
          return undefined;
      }
    }
    if (s.kind === 'VariableSetStmt') {
      const set = node.VariableSetStmt;
      if (String(set.name).toLowerCase() === 'timezone') {
        const value = set.args?.[0]?.A_Const?.sval?.sval;
        this.utc = typeof value === 'string' ? isUtc(value) : undefined;
      }
    }
    return undefined;
  }
}

function isUtc(tz: string): boolean {
  return /^(utc|gmt|etc\/utc|etc\/gmt|z|zulu|uct|universal|\+?0+(:00)?)$/i.test(tz.trim());
}

/** A short label: the statement's first words, e.g. `ALTER TABLE orders ADD COLUMN`. */
function summarize(s: ParsedStatement): string {
  const words = s.text.replace(/\s+/g, ' ').trim().split(' ');
  const label = words.slice(0, 6).join(' ');
  return label.length > 80 ? `${label.slice(0, 77)}...` : label;
}
