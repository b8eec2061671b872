/**
 * The committed catalog facts (src/analysis/data/pg-*.json) must be exactly what each real server's
 * catalogs say, so the data cannot drift from the servers the analyzer models. On failure, rerun
 * `npx tsx scripts/gen-pg-facts.ts` and review the diff.
 */
import type { Client } from 'pg';
import { readCatalogFacts } from '../../scripts/gen-pg-facts';
import {
  builtinFunctionExists,
  builtinFunctionVolatility,
  catalogFacts,
  hasNoopLengthCoercion,
  isBinaryCoercible,
  type CatalogFacts,
} from '../../src/analysis/catalog-facts';
import { selectedMajors, startServer, type PgServer } from './cluster';

/** Entries that differ, one readable line each, so a failure names exactly what drifted. */
function differences(committed: ReadonlyMap<string, string>, live: ReadonlyMap<string, string>): string[] {
  const keys = [...new Set([...committed.keys(), ...live.keys()])].sort();
  return keys
    .filter((key) => committed.get(key) !== live.get(key))
    .map(
      (key) => `${key}: committed ${committed.get(key) ?? '(absent)'}, server ${live.get(key) ?? '(absent)'}`,
    );
}

function flattenCasts(casts: CatalogFacts['binaryCasts']): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [source, targets] of casts) {
    for (const [target, context] of targets) flat.set(`${source} -> ${target}`, context);
  }
  return flat;
}

describe.each(selectedMajors())('PostgreSQL %i catalogs', (major) => {
  let server: PgServer | undefined;
  let client: Client | undefined;
  let live: CatalogFacts;

  beforeAll(async () => {
    server = await startServer(major);
    client = await server.connect();
    live = await readCatalogFacts(client);
  });

  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  test('committed function volatilities equal pg_proc', () => {
    expect(differences(catalogFacts(major).functions, live.functions)).toEqual([]);
  });

  test('committed binary-coercible casts equal pg_cast', () => {
    expect(
      differences(flattenCasts(catalogFacts(major).binaryCasts), flattenCasts(live.binaryCasts)),
    ).toEqual([]);
  });

  test('committed no-op length coercions equal the support functions in pg_proc', () => {
    expect(differences(catalogFacts(major).noopLengthCoercion, live.noopLengthCoercion)).toEqual([]);
  });

  test('spot checks', () => {
    expect(builtinFunctionVolatility('now', major)).toBe('stable');
    expect(builtinFunctionVolatility('random', major)).toBe('volatile');
    expect(builtinFunctionVolatility('clock_timestamp', major)).toBe('volatile');
    expect(builtinFunctionVolatility('gen_random_uuid', major)).toBe(major >= 13 ? 'volatile' : undefined);
    expect(builtinFunctionExists('gen_random_uuid', major)).toBe(major >= 13);
    expect(isBinaryCoercible('varchar', 'text', major)).toBe(true);
    expect(isBinaryCoercible('int4', 'int8', major)).toBe(false);
    expect(isBinaryCoercible('cidr', 'inet', major)).toBe(true);
    expect(isBinaryCoercible('json', 'jsonb', major)).toBe(false);
    expect(hasNoopLengthCoercion('varchar', major)).toBe(true);
    expect(hasNoopLengthCoercion('bpchar', major)).toBe(false);
  });
});
