/**
 * Facts PostgreSQL takes from its catalogs, answered without a database: volatility of built-in functions
 * (does `ADD COLUMN ... DEFAULT expr` rewrite the table?) and casts that need no rewrite (does `ALTER COLUMN
 * ... TYPE` rewrite it?). The data is generated from real servers by scripts/gen-pg-facts.ts, which also
 * documents the file format; test/truth/pg-facts.test.ts keeps it honest.
 */
import castsFile from './data/pg-casts.json';
import functionsFile from './data/pg-functions.json';

export type Volatility = 'immutable' | 'stable' | 'volatile';

export interface CatalogFacts {
  /** pg_catalog function name → sorted set of its overloads' provolatile codes: 'v', 'is', ... */
  functions: ReadonlyMap<string, string>;
  /** Source typname → target typname → castcontext ('i' | 'a' | 'e') of a binary-coercible cast. */
  binaryCasts: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Typname → planner support function of its length-coercion function. */
  noopLengthCoercion: ReadonlyMap<string, string>;
}

/** A plain value holds in every covered major; an object maps the major where a value starts to it. */
type Versioned = string | Record<string, string | null>;

interface FunctionsFile {
  majors: number[];
  functions: Record<string, Versioned>;
}

interface CastsFile {
  majors: number[];
  binaryCoercible: Record<string, Record<string, Versioned>>;
  noopLengthCoercion: Record<string, Versioned>;
}

const functionsData: FunctionsFile = functionsFile;
const castsData: CastsFile = castsFile;

/** The majors the data covers; the analyzer rejects others rather than guess. */
export const FIRST_MAJOR = functionsData.majors[0];
export const LAST_MAJOR = functionsData.majors[1];

function valueAt(fact: Versioned, major: number): string | undefined {
  if (typeof fact === 'string') return fact;
  let value: string | null | undefined;
  // Keys are integer-like, so objects enumerate them in ascending order.
  for (const [since, v] of Object.entries(fact)) {
    if (Number(since) > major) break;
    value = v;
  }
  return value ?? undefined;
}

function definedAt(facts: Record<string, Versioned>, major: number): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, fact] of Object.entries(facts)) {
    const value = valueAt(fact, major);
    if (value !== undefined) result.set(key, value);
  }
  return result;
}

const byMajor = new Map<number, CatalogFacts>();

/** Everything known for one major, decoded once on first use. */
export function catalogFacts(major: number): CatalogFacts {
  let facts = byMajor.get(major);
  if (facts) return facts;
  if (!Number.isInteger(major) || major < FIRST_MAJOR || major > LAST_MAJOR) {
    throw new RangeError(
      `no catalog facts for PostgreSQL ${major}; known majors are ${FIRST_MAJOR}–${LAST_MAJOR}`,
    );
  }
  const binaryCasts = new Map<string, Map<string, string>>();
  for (const [source, targets] of Object.entries(castsData.binaryCoercible)) {
    const atMajor = definedAt(targets, major);
    if (atMajor.size > 0) binaryCasts.set(source, atMajor);
  }
  facts = {
    functions: definedAt(functionsData.functions, major),
    binaryCasts,
    noopLengthCoercion: definedAt(castsData.noopLengthCoercion, major),
  };
  byMajor.set(major, facts);
  return facts;
}

const VOLATILITY: Record<string, Volatility> = { i: 'immutable', s: 'stable', v: 'volatile' };

/**
 * The most volatile overload of a pg_catalog function (codes sort i < s < v, so it is the last one);
 * undefined when the name is no built-in of that major (user-defined or extension function). `name` is the
 * bare, case-folded name: strip a `pg_catalog.` qualifier; any other qualifier means it is not built in.
 */
export function builtinFunctionVolatility(name: string, major: number): Volatility | undefined {
  const codes = catalogFacts(major).functions.get(name);
  return codes === undefined ? undefined : VOLATILITY[codes[codes.length - 1]];
}

export function builtinFunctionExists(name: string, major: number): boolean {
  return catalogFacts(major).functions.has(name);
}

/**
 * Whether a cast from `from` to `to` (pg_type.typname: int4, varchar, bpchar, timestamptz, ...) is a mere
 * relabel, in any cast context. Covers base types only: domains and arrays are the caller's to unwrap. A
 * typmod on the target still needs its own length coercion (text → varchar(10) rewrites).
 */
export function isBinaryCoercible(from: string, to: string, major: number): boolean {
  const facts = catalogFacts(major);
  return from === to || facts.binaryCasts.get(from)?.has(to) === true;
}

/**
 * Whether the type's length-coercion function has a planner support function, which turns a typmod
 * widening (varchar(10) → varchar(20), numeric(10,2) → numeric(12,2), timestamp(3) → timestamp) into a
 * relabel. What counts as widening is type-specific: for numeric the scale must stay the same.
 */
export function hasNoopLengthCoercion(type: string, major: number): boolean {
  return catalogFacts(major).noopLengthCoercion.has(type);
}
