/**
 * Generates the catalog facts the analyzer needs without a database, from real PostgreSQL servers of every
 * supported major (11..18, the `pg11` … `pg18` devDependencies, started by test/truth/cluster.ts):
 *
 *   src/analysis/data/pg-functions.json  volatility of every pg_catalog function name
 *   src/analysis/data/pg-casts.json      binary-coercible casts and no-op typmod widenings
 *
 * Rerun after adding a major or bumping a server package:  npx tsx scripts/gen-pg-facts.ts
 * test/truth/pg-facts.test.ts fails when the committed files no longer match what the servers say.
 *
 * Queries (run on a fresh `initdb` cluster, so pg_catalog holds only built-ins):
 *
 *   functions:  SELECT p.proname AS name,
 *                      string_agg(DISTINCT p.provolatile::text, '' ORDER BY p.provolatile::text) AS value
 *               FROM pg_catalog.pg_proc p
 *               WHERE p.pronamespace = 'pg_catalog'::regnamespace
 *               GROUP BY p.proname
 *     Overloads share a name, so the value is the sorted set of their provolatile codes (i = immutable,
 *     s = stable, v = volatile): 'v' for random, 'is' when some overloads are immutable and others stable.
 *     Aggregates and window functions are included: they can appear in expressions too.
 *
 *   binary casts:  SELECT s.typname AS source, t.typname AS target, c.castcontext AS context
 *                  FROM pg_catalog.pg_cast c
 *                  JOIN pg_catalog.pg_type s ON s.oid = c.castsource
 *                  JOIN pg_catalog.pg_type t ON t.oid = c.casttarget
 *                  WHERE c.castmethod = 'b' AND s.typtype = 'b' AND t.typtype = 'b'
 *                    AND s.typnamespace = 'pg_catalog'::regnamespace
 *                    AND t.typnamespace = 'pg_catalog'::regnamespace
 *     castcontext: i = implicit, a = assignment, e = explicit only. ALTER COLUMN ... TYPE without USING
 *     coerces at assignment level, so an explicit-only cast needs a USING clause.
 *
 *   no-op typmod widening:  SELECT t.typname AS type, p.prosupport::text AS support
 *                           FROM pg_catalog.pg_cast c
 *                           JOIN pg_catalog.pg_type t ON t.oid = c.castsource
 *                           JOIN pg_catalog.pg_proc p ON p.oid = c.castfunc
 *                           WHERE c.castsource = c.casttarget AND c.castmethod = 'f'
 *                             AND t.typtype = 'b' AND p.prosupport::oid <> 0
 *     A cast from a type to itself is its length-coercion function (varchar(varchar, int4, bool), ...). When
 *     that function has a planner support function, a typmod widening simplifies to a relabel and ALTER
 *     COLUMN ... TYPE keeps the table. PostgreSQL 11 names the column protransform instead of prosupport
 *     (and its functions *_transform instead of *_support), so the query uses it there.
 *
 * File format. Both files carry "majors": [first, last], the range the data covers. Every fact is a
 * versioned value, either
 *   - a plain string: the value in every major of the range, or
 *   - an object keyed by major: each key is the major from which its value holds, up to the next key; null
 *     means "absent from that major on", and majors before the first key do not have the fact at all.
 * So "now": "s" is stable everywhere, "gen_random_uuid": { "13": "v" } is volatile and exists from 13, and
 * { "11": "i", "14": "s" } would be a volatility change in 14.
 *   pg-functions.json  "functions": { <proname>: versioned volatility set }
 *   pg-casts.json      "binaryCoercible": { <source typname>: { <target typname>: versioned castcontext } }
 *                      "noopLengthCoercion": { <typname>: versioned support function name }
 * Keys are sorted and the text is prettier-formatted, so reruns against the same servers are byte-identical.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import type { CatalogFacts } from '../src/analysis/catalog-facts';
import { ALL_MAJORS, startServer } from '../test/truth/cluster';

const REPO = path.resolve(__dirname, '..');
const DATA_DIR = path.join(REPO, 'src', 'analysis', 'data');

export async function readCatalogFacts(client: Client): Promise<CatalogFacts> {
  const versionNum = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num);
  const supportColumn = versionNum >= 120000 ? 'prosupport' : 'protransform';
  const functions = await client.query<{ name: string; value: string }>(`
    SELECT p.proname AS name,
           string_agg(DISTINCT p.provolatile::text, '' ORDER BY p.provolatile::text) AS value
    FROM pg_catalog.pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
    GROUP BY p.proname`);
  const casts = await client.query<{ source: string; target: string; context: string }>(`
    SELECT s.typname AS source, t.typname AS target, c.castcontext AS context
    FROM pg_catalog.pg_cast c
    JOIN pg_catalog.pg_type s ON s.oid = c.castsource
    JOIN pg_catalog.pg_type t ON t.oid = c.casttarget
    WHERE c.castmethod = 'b' AND s.typtype = 'b' AND t.typtype = 'b'
      AND s.typnamespace = 'pg_catalog'::regnamespace
      AND t.typnamespace = 'pg_catalog'::regnamespace`);
  const lengths = await client.query<{ type: string; support: string }>(`
    SELECT t.typname AS type, p.${supportColumn}::text AS support
    FROM pg_catalog.pg_cast c
    JOIN pg_catalog.pg_type t ON t.oid = c.castsource
    JOIN pg_catalog.pg_proc p ON p.oid = c.castfunc
    WHERE c.castsource = c.casttarget AND c.castmethod = 'f'
      AND t.typtype = 'b' AND p.${supportColumn}::oid <> 0`);

  const binaryCasts = new Map<string, Map<string, string>>();
  for (const { source, target, context } of casts.rows) {
    const targets = binaryCasts.get(source) ?? new Map<string, string>();
    binaryCasts.set(source, targets.set(target, context));
  }
  return {
    functions: new Map(functions.rows.map((r) => [r.name, r.value])),
    binaryCasts,
    noopLengthCoercion: new Map(lengths.rows.map((r) => [r.type, r.support])),
  };
}

type Versioned = string | Record<string, string | null>;

/** Encodes one fact's value per major (undefined = absent) in the file format described at the top. */
function versioned(values: (string | undefined)[]): Versioned {
  if (values.every((v) => v !== undefined && v === values[0])) return values[0] as string;
  const changes: Record<string, string | null> = {};
  let previous: string | null = null;
  values.forEach((value, i) => {
    const current = value ?? null;
    if (current !== previous) changes[String(ALL_MAJORS[i])] = current;
    previous = current;
  });
  return changes;
}

function sortedKeys(...maps: ReadonlyMap<string, unknown>[]): string[] {
  return [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
}

function encode(perMajor: CatalogFacts[]) {
  const functions: Record<string, Versioned> = {};
  for (const name of sortedKeys(...perMajor.map((f) => f.functions))) {
    functions[name] = versioned(perMajor.map((f) => f.functions.get(name)));
  }
  const binaryCoercible: Record<string, Record<string, Versioned>> = {};
  for (const source of sortedKeys(...perMajor.map((f) => f.binaryCasts))) {
    const targets = perMajor.map((f) => f.binaryCasts.get(source) ?? new Map<string, string>());
    binaryCoercible[source] = {};
    for (const target of sortedKeys(...targets)) {
      binaryCoercible[source][target] = versioned(targets.map((t) => t.get(target)));
    }
  }
  const noopLengthCoercion: Record<string, Versioned> = {};
  for (const type of sortedKeys(...perMajor.map((f) => f.noopLengthCoercion))) {
    noopLengthCoercion[type] = versioned(perMajor.map((f) => f.noopLengthCoercion.get(type)));
  }
  const header = {
    $comment:
      'Generated by scripts/gen-pg-facts.ts from PostgreSQL catalogs; its header documents the format.',
    majors: [ALL_MAJORS[0], ALL_MAJORS[ALL_MAJORS.length - 1]],
  };
  return {
    functions: { ...header, functions },
    casts: { ...header, binaryCoercible, noopLengthCoercion },
  };
}

/**
 * JSON text with containers broken over lines and leaf objects (versioned values) inline; prettier keeps
 * objects broken when the source breaks them, so this yields one fact per line and small diffs.
 */
function toJson(value: unknown, depth: number, indent = ''): string {
  if (depth === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return JSON.stringify(value);
  }
  const inner = indent + '  ';
  const entries = Object.entries(value).map(
    ([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, depth - 1, inner)}`,
  );
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

async function writeJson(file: string, value: unknown, depth: number): Promise<void> {
  // Loaded here, not at the top: the truth test imports this module and jest cannot load prettier.
  const prettier = await import('prettier');
  const options = { ...(await prettier.resolveConfig(file)), filepath: file };
  const text = await prettier.format(toJson(value, depth), options);
  await fs.writeFile(file, text);
  console.log(`wrote ${path.relative(REPO, file)} (${Buffer.byteLength(text)} bytes)`);
}

async function main(): Promise<void> {
  const perMajor: CatalogFacts[] = [];
  for (const major of ALL_MAJORS) {
    const started = Date.now();
    const server = await startServer(major);
    try {
      const client = await server.connect();
      try {
        perMajor.push(await readCatalogFacts(client));
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
    console.log(`PostgreSQL ${major}: read in ${Date.now() - started} ms`);
  }
  const { functions, casts } = encode(perMajor);
  await fs.mkdir(DATA_DIR, { recursive: true });
  await writeJson(path.join(DATA_DIR, 'pg-functions.json'), functions, 2);
  await writeJson(path.join(DATA_DIR, 'pg-casts.json'), casts, 3);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
