/**
 * Judges the static model against what a real server did for one truth case. Returns the
 * disagreements as readable lines; an empty list means the model told the truth.
 *
 * Locks are compared per relation by their effective modes (locks.ts: a mode covered by a stronger
 * one held on the same relation changes nothing about what is blocked). Relfilenode changes are
 * compared as one set: rewritten tables, rebuilt indexes and truncated relations all get new files. Tables
 * that get a new index are compared with the model's indexBuilds.
 */
import { effectiveModes, isCoveredBy, type LockMode } from '../../src/analysis/locks';
import type { AnalyzedStatement } from '../../src/analysis/types';
import type { Observation } from './observe';

/** Integrity violations depend on the rows, which a static model does not see. */
const DATA_ERROR =
  /(contains null values|violat|could not create unique index|is violated by some row|duplicate key|value too long|out of range|invalid input syntax)/i;

export function compareWithServer(model: AnalyzedStatement, obs: Observation): string[] {
  const out: string[] = [];
  if (obs.error) {
    if (DATA_ERROR.test(obs.error)) {
      if (model.failsOnVersion)
        out.push(`model says it fails on this version (${model.failsOnVersion}); server: ${obs.error}`);
      if (model.scans.length === 0)
        out.push(`server found a data violation by reading rows, but the model says no scan: ${obs.error}`);
      return out;
    }
    if (!model.failsOnVersion) out.push(`server error not predicted: ${obs.error}`);
    return out;
  }
  if (model.failsOnVersion) {
    out.push(`model says it fails (${model.failsOnVersion}) but the server ran it`);
    return out;
  }

  const canRunInTx = model.transaction.allowedInTransactionBlock;
  if (canRunInTx === obs.cannotRunInTransaction) {
    out.push(
      `transaction block: model says ${canRunInTx ? 'allowed' : 'refused'}, server ${obs.cannotRunInTransaction ? 'refused' : 'allowed'} it`,
    );
  }
  const serverLocks = groupLocks(obs.locks);
  const modelLocks = groupLocks(model.locks);
  if (obs.lockObservation === 'transaction') {
    for (const rel of new Set([...serverLocks.keys(), ...modelLocks.keys()])) {
      const s = effectiveModes(serverLocks.get(rel) ?? []).join('+') || 'none';
      const m = effectiveModes(modelLocks.get(rel) ?? []).join('+') || 'none';
      if (s !== m) out.push(`lock on ${rel}: server ${s}, model ${m}`);
    }
  } else {
    // Outside a transaction only the locks held or awaited when the statement first blocked are seen,
    // and the first may be a brief weaker lock taken to look the table up (VACUUM takes ACCESS SHARE
    // first): the model must claim a lock on that relation at least as strong.
    for (const [rel, modes] of serverLocks) {
      const m = effectiveModes(modelLocks.get(rel) ?? []);
      for (const mode of effectiveModes(modes)) {
        if (!m.some((held) => isCoveredBy(mode, held))) {
          out.push(`lock on ${rel}: server ${mode} (first blocked lock), model ${m.join('+') || 'none'}`);
        }
      }
    }
  }

  const serverFiles = new Set([...obs.rewrites, ...obs.rebuiltIndexes]);
  const modelFiles = new Set([...model.rewrites, ...model.rebuildsIndexes, ...model.truncates]);
  diffSets('new relfilenode', serverFiles, modelFiles, out);
  // TRUNCATE builds each index again on the new, empty heap, which counts as a sequential scan of
  // it; nothing is read. A truncated table's scan is therefore not a read of its rows.
  const truncated = new Set(model.truncates);
  diffSets('full scan', new Set(obs.scans.filter((t) => !truncated.has(t))), new Set(model.scans), out);
  diffSets('new index built on', new Set(obs.indexBuilds), new Set(model.indexBuilds), out);
  return out;
}

function groupLocks(locks: { relation: string; mode: LockMode }[]): Map<string, LockMode[]> {
  const map = new Map<string, LockMode[]>();
  for (const l of locks) map.set(l.relation, [...(map.get(l.relation) ?? []), l.mode]);
  return map;
}

function diffSets(what: string, server: Set<string>, model: Set<string>, out: string[]): void {
  const missing = [...server].filter((x) => !model.has(x));
  const extra = [...model].filter((x) => !server.has(x));
  if (missing.length) out.push(`${what}: server did ${missing.join(', ')}, model did not say so`);
  if (extra.length) out.push(`${what}: model says ${extra.join(', ')}, server did not`);
}
