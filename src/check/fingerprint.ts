/**
 * A finding's identity across pushes, used wherever findings are matched between runs: SARIF's
 * partialFingerprints (code scanning alerts), the review comments' markers (no duplicates, resolved
 * comments) and the acknowledgements (`/migration-ack` binds to these).
 *
 * sha256 of rule id, file and the statement's text with runs of whitespace collapsed (a finding
 * without a statement, such as a syntax error, uses its message instead), in hex, 32 characters.
 * Line numbers are left out, so moving a statement keeps its fingerprint; changing it does not.
 */
import { createHash } from 'node:crypto';
import type { Finding } from './finding';

/** The first occurrence's fingerprint; for lists that can repeat a finding use `findingFingerprints`. */
export function findingFingerprint(f: Finding): string {
  return fingerprintOf(f, 0);
}

/**
 * Fingerprints of a list of findings, in order: the n-th repeat (n ≥ 1) of an identical finding
 * gets `n` mixed into its hash, so every entry is distinct.
 */
export function findingFingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const first = fingerprintOf(f, 0);
    const n = seen.get(first) ?? 0;
    seen.set(first, n + 1);
    return n === 0 ? first : fingerprintOf(f, n);
  });
}

function fingerprintOf(f: Finding, occurrence: number): string {
  const statement = f.statementText.replace(/\s+/g, ' ').trim();
  const parts = [f.ruleId, f.file, statement || `${f.messageId}:${f.message}`];
  if (occurrence > 0) parts.push(String(occurrence));
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}
