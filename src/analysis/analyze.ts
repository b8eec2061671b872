/**
 * analyze(files, options): the engine's one entry point. Pure: no I/O beyond loading the parser.
 *
 *   parse (libpg-query, exact positions) → replay history into a catalog → for each statement of
 *   the files in order: effects against the catalog before it → transaction facts → apply it.
 *
 * Everything here is a fact about PostgreSQL; judgement (severity, advice) is the rules' job. A
 * `visit` callback sees each statement with the catalog as it was before it (rules use this).
 */
import type { AnyNode } from './ast';
import { Catalog } from './catalog';
import { refusesTransactionBlock, statementEffects } from './effects/statement';
import { loadParser, parseFile, type ParsedFile, type ParsedStatement } from './parse';
import { applyStatement } from './replay';
import { DEFAULT_MAX_FILE_BYTES, isSpaceAt } from './source';
import { TransactionTracker } from './transactions';
import type {
  AnalysisResult,
  AnalyzeOptions,
  AnalyzedFile,
  AnalyzedStatement,
  SourceFile,
  StatementEffects,
} from './types';

export const SUPPORTED_PG_VERSIONS = [11, 12, 13, 14, 15, 16, 17, 18] as const;

/** What a visitor sees for each statement, before the statement is applied to the catalog. */
export interface StatementVisit {
  file: ParsedFile;
  /** The statements of this file analyzed so far, this one last. */
  statements: AnalyzedStatement[];
  statement: AnalyzedStatement;
  node: AnyNode;
  catalog: Catalog;
}

export type StatementVisitor = (visit: StatementVisit) => void;

export async function analyze(files: SourceFile[], options: AnalyzeOptions): Promise<AnalysisResult> {
  await loadParser();
  return analyzeLoaded(files, options);
}

/** The synchronous core, for callers that already awaited `loadParser()`. */
export function analyzeLoaded(
  files: SourceFile[],
  options: AnalyzeOptions,
  visit?: StatementVisitor,
  onFile?: (parsed: ParsedFile, analyzed: AnalyzedFile) => void,
): AnalysisResult {
  if (!(SUPPORTED_PG_VERSIONS as readonly number[]).includes(options.pgVersion)) {
    throw new RangeError(`unsupported PostgreSQL version ${options.pgVersion}: use one of 11–18`);
  }
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const catalog = replayHistory(options, maxBytes);
  catalog.inChange = true;
  return {
    pgVersion: options.pgVersion,
    files: files.map((file) => {
      if (options.eachFileIsAChange) catalog.forgetChange();
      const parsed = parseFile(file, maxBytes);
      const analyzed = analyzeFile(parsed, catalog, options, visit);
      onFile?.(parsed, analyzed);
      return analyzed;
    }),
  };
}

export function replayHistory(options: AnalyzeOptions, maxBytes = DEFAULT_MAX_FILE_BYTES): Catalog {
  const catalog = new Catalog();
  if (options.history && options.history.length > 0) {
    catalog.complete = options.historyIsComplete === true;
    for (const file of options.history) {
      // Down sections (goose, dbmate) undo what up sections did: history is the schema as applied.
      for (const s of parseFile(file, maxBytes).statements)
        if (s.section !== 'down') applyStatement(s.node, catalog);
    }
  }
  return catalog;
}

function analyzeFile(
  parsed: ParsedFile,
  catalog: Catalog,
  options: AnalyzeOptions,
  visit: StatementVisitor | undefined,
): AnalyzedFile {
  const session = new SessionSettings(options.timeZone);
  const statements: AnalyzedStatement[] = [];
  // A down file or section is judged on the schema as the up left it, but does not change what
  // later files see: it undoes a migration rather than following it. (Within it, a statement does
  // not see what an earlier down statement changed.)
  const downFile = options.isDownFile?.(parsed.path) === true;
  // Sections (goose/dbmate up and down) are separate migrations: each gets its own runner state.
  let tracker: TransactionTracker | undefined;
  let section: string | undefined = '\0';
  parsed.statements.forEach((s) => {
    if (s.section !== section) {
      section = s.section;
      tracker = newTracker(parsed, options, s.section);
    }
    const e = statementEffects(s.node, catalog, { pg: options.pgVersion, utcSession: session.utc });
    // The effects' transaction object is this statement's own: completed in place, keys in order.
    const transaction = e.transaction;
    transaction.inExplicitTransaction = session.inExplicitTransaction;
    Object.assign(transaction, tracker!.next(s));
    const control = session.apply(s);
    if (control) transaction.control = control;
    const statement = analyzedStatement(s, e);
    statements.push(statement);
    visit?.({ file: parsed, statements, statement, node: s.node, catalog });
    if (!downFile && s.section !== 'down') applyStatement(s.node, catalog);
  });
  return { path: parsed.path, diagnostics: parsed.diagnostics, statements };
}

function newTracker(
  parsed: ParsedFile,
  options: AnalyzeOptions,
  section: string | undefined,
): TransactionTracker {
  const inSection = parsed.statements.filter((s) => s.section === section);
  const mode = options.transactionMode?.(
    parsed,
    // Which statements may run in a transaction block decides some tools' mode (Flyway).
    inSection.map((s) => !refusesTransactionBlock(s.node, options.pgVersion)),
  );
  return new TransactionTracker(mode, inSection.length);
}

/**
 * The statement's position and label followed by its effects, in the documented key order (the
 * JSON output's), built by assignment rather than object spreads: this runs for every statement.
 * The effects' keys are those EffectsBuilder.build() writes, in its order; keep the two in step.
 */
function analyzedStatement(s: ParsedStatement, e: StatementEffects): AnalyzedStatement {
  const statement = {
    line: s.line,
    column: s.column,
    endLine: s.endLine,
    endColumn: s.endColumn,
    text: s.text,
    kind: s.kind,
    summary: summarize(s),
  } as AnalyzedStatement;
  if (s.section) statement.section = s.section;
  statement.locks = e.locks;
  statement.rewrites = e.rewrites;
  statement.rebuildsIndexes = e.rebuildsIndexes;
  statement.scans = e.scans;
  statement.indexBuilds = e.indexBuilds;
  statement.truncates = e.truncates;
  statement.transaction = e.transaction;
  if ('failsOnVersion' in e) statement.failsOnVersion = e.failsOnVersion;
  if ('failureFromSchema' in e) statement.failureFromSchema = e.failureFromSchema;
  statement.notes = e.notes;
  if ('unmodelled' in e) statement.unmodelled = e.unmodelled;
  return statement;
}

type Control = NonNullable<AnalyzedStatement['transaction']['control']>;

/** Session settings as the file runs: explicit transaction blocks and the time zone. */
class SessionSettings {
  inExplicitTransaction = false;
  utc: boolean | undefined;

  constructor(timeZone: string | undefined) {
    this.utc = timeZone === undefined ? undefined : isUtc(timeZone);
  }

  apply(s: ParsedStatement): Control | undefined {
    const node = s.node as AnyNode;
    if (s.kind === 'TransactionStmt') {
      const control = CONTROL[node.TransactionStmt.kind as string];
      if (control === 'begin') this.inExplicitTransaction = true;
      if (control === 'commit' || control === 'rollback') this.inExplicitTransaction = false;
      return control;
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

const CONTROL: Record<string, Control> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_COMMIT_PREPARED: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_ROLLBACK_PREPARED: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'release',
  TRANS_STMT_ROLLBACK_TO: 'rollback-to',
};

function isUtc(tz: string): boolean {
  return /^(utc|gmt|etc\/utc|etc\/gmt|z|zulu|uct|universal|\+?0+(:00)?)$/i.test(tz.trim());
}

/** A short label: the statement's first words, e.g. `ALTER TABLE orders ADD COLUMN`. */
function summarize(s: ParsedStatement): string {
  // Only the head matters (function bodies can be large): its first six words, one space apart.
  const text = s.text;
  const end = Math.min(text.length, 240);
  let label = '';
  let words = 0;
  for (let i = 0; i < end && words < 6;) {
    if (isSpaceAt(text, i)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < end && !isSpaceAt(text, j)) j++;
    label += words++ === 0 ? text.slice(i, j) : ` ${text.slice(i, j)}`;
    i = j;
  }
  return label.length > 80 ? `${label.slice(0, 77)}...` : label;
}
