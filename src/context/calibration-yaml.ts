/**
 * The `calibration:` section as YAML: printed by `migration-guard calibrate`, and written into an
 * existing configuration file in place (`--write`), keeping its comments, key order and other keys.
 */
import { Document, isMap, parseDocument, type YAMLMap } from 'yaml';
import type { Calibration } from './types';
import { formatBytes } from './units';

/** Marks the comment calibrate writes, so that a later run replaces it instead of adding another. */
const SUMMARY_PREFIX = ' measured by migration-guard calibrate';

/** The keys in the order src/config.ts documents them. */
function values(c: Calibration): Record<string, string | number> {
  return {
    scanBytesPerSecond: c.scanBytesPerSecond,
    rewriteBytesPerSecond: c.rewriteBytesPerSecond,
    indexBuildBytesPerSecond: c.indexBuildBytesPerSecond,
    walBytesPerWrittenByte: c.walBytesPerWrittenByte,
    source: c.source,
    ...(c.measuredAt ? { measuredAt: c.measuredAt } : {}),
    ...(c.serverVersion ? { serverVersion: c.serverVersion } : {}),
  };
}

/** One comment line people can read: the figures in MB/s. */
export function calibrationSummary(c: Calibration): string {
  const r = (bps: number) => `${formatBytes(bps)}/s`;
  return (
    `${SUMMARY_PREFIX}${c.serverVersion ? ` on PostgreSQL ${c.serverVersion}` : ''}: ` +
    `scan ${r(c.scanBytesPerSecond)}, rewrite ${r(c.rewriteBytesPerSecond)}, ` +
    `index build ${r(c.indexBuildBytesPerSecond)} (of heap), WAL ×${c.walBytesPerWrittenByte} per byte written`
  );
}

/** A YAML document holding only the `calibration:` section. */
export function renderCalibrationYaml(c: Calibration): string {
  const doc = new Document({ calibration: values(c) });
  (doc.get('calibration', true) as YAMLMap).commentBefore = calibrationSummary(c);
  return doc.toString();
}

/**
 * `text` (a configuration file) with its `calibration:` section set to `c`: existing keys get new
 * values in place, missing ones are appended, everything else is untouched. Throws on YAML that does
 * not parse or is not a mapping.
 */
export function updateConfigText(text: string, c: Calibration): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents === null || (!isMap(doc.contents) && isEmptyScalar(doc.contents))) {
    doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  }
  if (!isMap(doc.contents)) throw new Error('the configuration is not a mapping of keys');
  let section = doc.get('calibration', true);
  if (!isMap(section)) {
    section = doc.createNode({});
    doc.set('calibration', section);
  }
  const map = section as YAMLMap;
  for (const [key, value] of Object.entries(values(c))) map.set(key, value);
  // The earlier run's summary is replaced; people's own comments stay.
  const kept = (map.commentBefore ?? '')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(SUMMARY_PREFIX));
  map.commentBefore = [...kept, calibrationSummary(c)].join('\n');
  return doc.toString();
}

function isEmptyScalar(node: unknown): boolean {
  return (
    typeof node === 'object' &&
    node !== null &&
    'value' in node &&
    (node as { value: unknown }).value === null
  );
}
