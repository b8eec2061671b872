/**
 * `check --format sarif`: SARIF 2.1.0 (OASIS) for GitHub code scanning.
 *
 * One run; `tool.driver.rules` lists every registered rule (so a rule that found nothing is known
 * to have run, and code scanning can close fixed alerts); each result points at its rule by id and
 * index. Regions are 1-based; `endColumn` is exclusive in SARIF (the finding's is inclusive, so +1);
 * columns count Unicode code points (`columnKind`). `partialFingerprints` hash the rule, the file
 * and the statement text (not the line), so an alert follows its statement when lines move.
 * Suppressed findings are results with an `inSource` suppression carrying the reason.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import packageJson from '../../package.json';
import type { CheckResult } from '../check/engine';
import type { Finding } from '../check/finding';
import { findingFingerprints } from '../check/fingerprint';
import { RULES } from '../rules';
import { renderRuleDoc } from '../rules/docs';
import type { Rule, Severity } from '../rules/rule';
import { relativeToBase } from './github';
import { productionLine } from '../context/severity';

// Minimal SARIF 2.1.0 types: only what is written here (sarif-schema-2.1.0.json).
export type SarifLevel = 'none' | 'note' | 'warning' | 'error';
export interface SarifMessage {
  text: string;
  markdown?: string;
}
export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
export interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region: SarifRegion };
}
export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; [key: string]: unknown };
}
export interface SarifFix {
  description: SarifMessage;
  artifactChanges: {
    artifactLocation: SarifArtifactLocation;
    replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[];
  }[];
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  fixes?: SarifFix[];
  suppressions?: { kind: 'inSource' | 'external'; status?: 'accepted'; justification: string }[];
  properties?: Record<string, unknown>;
}
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: {
        name: string;
        informationUri: string;
        semanticVersion: string;
        version: string;
        rules: SarifReportingDescriptor[];
      };
    };
    columnKind: 'unicodeCodePoints';
    results: SarifResult[];
    properties: Record<string, unknown>;
  }[];
}

export interface SarifOptions {
  /** The directory result URIs are relative to (`%SRCROOT%`); default: current directory. */
  baseDir?: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key under partialFingerprints; bump the suffix if the hash input ever changes. */
export const FINGERPRINT_KEY = 'migrationGuard/v1';

const pkg = packageJson as { version: string; homepage?: string };
/** package.json has no `homepage` yet: this is the fallback tool information URI. */
const DEFAULT_INFORMATION_URI = 'https://github.com/migration-guard/migration-guard';

const LEVEL: Record<Severity, SarifLevel> = { high: 'error', warning: 'warning', info: 'note' };

export function toSarif(result: CheckResult, options: SarifOptions = {}): SarifLog {
  const rules: Rule[] = [...RULES];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const ruleIndex = (id: string) => {
    let i = index.get(id);
    if (i === undefined) {
      // Not registered (should not happen): describe it minimally rather than emit a dangling id.
      i = rules.length;
      rules.push(unknownRule(id));
      index.set(id, i);
    }
    return i;
  };

  const all = [...result.findings, ...result.suppressed];
  const fingerprints = findingFingerprints(all);
  const toResult = (f: Finding, i: number): SarifResult => {
    const uri = artifactUri(f.file, options.baseDir);
    const region = regionOf(f);
    const alt = f.safeAlternative;
    const r: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: alt ? `${f.message}. Instead: ${alt.summary}` : f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(uri), region } }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] },
    };
    if (f.fix !== undefined) {
      r.fixes = [
        {
          description: { text: alt?.summary ?? 'Apply the safe alternative' },
          artifactChanges: [
            {
              artifactLocation: artifactLocation(uri),
              replacements: [{ deletedRegion: region, insertedContent: { text: f.fix } }],
            },
          ],
        },
      ];
    }
    if (f.suppressed) {
      r.suppressions = [
        { kind: 'inSource', status: 'accepted', justification: f.suppressed.reason || 'no reason given' },
      ];
    }
    const properties: Record<string, unknown> = {};
    if (f.severity !== f.defaultSeverity) properties.defaultSeverity = f.defaultSeverity;
    if (f.severityReasons.length) properties.severityReasons = f.severityReasons;
    if (f.assumptions.length) properties.assumptions = f.assumptions;
    if (f.note) properties.note = f.note;
    if (f.context) properties.production = { ...f.context, summary: productionLine(f) };
    if (Object.keys(properties).length) r.properties = properties;
    return r;
  };

  const results = all.map(toResult);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Migration Guard',
            informationUri: pkg.homepage ?? DEFAULT_INFORMATION_URI,
            semanticVersion: pkg.version,
            version: pkg.version,
            rules: rules.map(descriptor),
          },
        },
        columnKind: 'unicodeCodePoints',
        results,
        properties: { pgVersion: result.pgVersion },
      },
    ],
  };
}

export function renderSarif(result: CheckResult, options: SarifOptions = {}): string {
  return JSON.stringify(toSarif(result, options), null, 2);
}

/** `require-lock-timeout` → `RequireLockTimeout` */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function descriptor(rule: Rule): SarifReportingDescriptor {
  const doc = renderRuleDoc(rule);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.meta.title },
    fullDescription: { text: rule.meta.docs.why },
    help: { text: doc, markdown: doc },
    ...(rule.meta.docs.reference ? { helpUri: rule.meta.docs.reference } : {}),
    defaultConfiguration: { level: LEVEL[rule.meta.defaultSeverity] },
    properties: { tags: ['postgresql', 'migration'] },
  };
}

function unknownRule(id: string): Rule {
  return {
    id,
    meta: {
      title: id,
      defaultSeverity: 'warning',
      scalesWithTable: false,
      docs: { why: id, bad: '', good: '' },
      messages: {},
    },
    check: () => undefined,
  };
}

/** 1-based; SARIF's endColumn is exclusive, the finding's inclusive. */
function regionOf(f: Finding): SarifRegion {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  const endColumn = Math.max(1, f.endColumn) + 1;
  return {
    startLine,
    startColumn,
    endLine,
    endColumn: endLine === startLine ? Math.max(startColumn + 1, endColumn) : endColumn,
  };
}

/**
 * Relative to `%SRCROOT%`, forward slashes, each segment percent-encoded where a URI path needs it
 * (space, %, #, ?, non-ASCII; also `:`, which would read as a scheme); outside it: a file URI.
 */
function artifactUri(file: string, baseDir: string | undefined): string {
  const relative = relativeToBase(file, baseDir);
  if (relative === undefined) return pathToFileURL(path.resolve(baseDir ?? process.cwd(), file)).href;
  return relative
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D|40)/g, (_m, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      ),
    )
    .join('/');
}

function artifactLocation(uri: string): SarifArtifactLocation {
  return uri.startsWith('file://') ? { uri } : { uri, uriBaseId: '%SRCROOT%' };
}
