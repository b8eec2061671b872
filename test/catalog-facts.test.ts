import {
  builtinFunctionExists,
  builtinFunctionVolatility,
  catalogFacts,
  FIRST_MAJOR,
  hasNoopLengthCoercion,
  isBinaryCoercible,
  LAST_MAJOR,
} from '../src/analysis/catalog-facts';

const MAJORS = Array.from({ length: LAST_MAJOR - FIRST_MAJOR + 1 }, (_, i) => FIRST_MAJOR + i);

test('the data covers PostgreSQL 11 to 18', () => {
  expect(MAJORS).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
});

describe.each(MAJORS)('PostgreSQL %i', (major) => {
  test.each([
    ['now', 'stable'],
    ['statement_timestamp', 'stable'],
    ['to_char', 'stable'],
    ['random', 'volatile'],
    ['clock_timestamp', 'volatile'],
    ['timeofday', 'volatile'],
    ['nextval', 'volatile'],
    ['abs', 'immutable'],
    ['lower', 'immutable'],
    // date(timestamp) is immutable, date(timestamptz) stable: the most volatile overload wins.
    ['date', 'stable'],
  ])('%s() is %s', (name, volatility) => {
    expect(builtinFunctionVolatility(name, major)).toBe(volatility);
    expect(builtinFunctionExists(name, major)).toBe(true);
  });

  test('functions that are not built in', () => {
    for (const name of ['uuid_generate_v4', 'my_func', 'NOW', 'pg_catalog.now', '']) {
      expect(builtinFunctionVolatility(name, major)).toBeUndefined();
      expect(builtinFunctionExists(name, major)).toBe(false);
    }
  });

  test('names of Object.prototype members are not functions', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(builtinFunctionExists(name, major)).toBe(false);
      expect(isBinaryCoercible(name, 'text', major)).toBe(false);
      expect(hasNoopLengthCoercion(name, major)).toBe(false);
    }
  });

  test('binary-coercible casts', () => {
    expect(isBinaryCoercible('varchar', 'text', major)).toBe(true);
    expect(isBinaryCoercible('text', 'varchar', major)).toBe(true);
    expect(isBinaryCoercible('cidr', 'inet', major)).toBe(true);
    expect(isBinaryCoercible('bit', 'varbit', major)).toBe(true);
    expect(isBinaryCoercible('int4', 'int4', major)).toBe(true);
    expect(isBinaryCoercible('int4', 'int8', major)).toBe(false);
    expect(isBinaryCoercible('json', 'jsonb', major)).toBe(false);
    // A cast, not a relabel: inet → cidr must zero the host bits, bpchar → text strips trailing blanks.
    expect(isBinaryCoercible('inet', 'cidr', major)).toBe(false);
    expect(isBinaryCoercible('bpchar', 'text', major)).toBe(false);
    expect(isBinaryCoercible('timestamp', 'timestamptz', major)).toBe(false);
  });

  test('no-op typmod widening', () => {
    for (const type of [
      'varchar',
      'numeric',
      'varbit',
      'timestamp',
      'timestamptz',
      'time',
      'timetz',
      'interval',
    ]) {
      expect(hasNoopLengthCoercion(type, major)).toBe(true);
    }
    for (const type of ['bpchar', 'bit', 'text', 'int4']) {
      expect(hasNoopLengthCoercion(type, major)).toBe(false);
    }
  });
});

test('functions that come and go between majors', () => {
  expect(MAJORS.filter((m) => builtinFunctionExists('gen_random_uuid', m))).toEqual([13, 14, 15, 16, 17, 18]);
  expect(MAJORS.filter((m) => builtinFunctionExists('uuidv7', m))).toEqual([18]);
  expect(MAJORS.filter((m) => builtinFunctionExists('abstime', m))).toEqual([11]);
  expect(builtinFunctionVolatility('gen_random_uuid', 13)).toBe('volatile');
});

test('volatility that changes between majors', () => {
  // timezone(text, timetz) was volatile until PostgreSQL 15 made it stable.
  expect(MAJORS.map((m) => builtinFunctionVolatility('timezone', m))).toEqual([
    ...Array(4).fill('volatile'),
    ...Array(4).fill('stable'),
  ]);
  expect(builtinFunctionVolatility('pg_config', 11)).toBe('immutable');
  expect(builtinFunctionVolatility('pg_config', 12)).toBe('stable');
});

test('casts that come and go between majors', () => {
  expect(isBinaryCoercible('int4', 'abstime', 11)).toBe(true);
  expect(isBinaryCoercible('int4', 'abstime', 12)).toBe(false);
  expect(isBinaryCoercible('oid', 'regcollation', 12)).toBe(false);
  expect(isBinaryCoercible('oid', 'regcollation', 13)).toBe(true);
});

test('the raw facts keep every overload volatility and the cast context', () => {
  expect(catalogFacts(11).functions.get('timezone')).toBe('iv');
  expect(catalogFacts(17).functions.get('timezone')).toBe('is');
  expect(catalogFacts(17).binaryCasts.get('xml')?.get('text')).toBe('a');
  expect(catalogFacts(11).noopLengthCoercion.get('varchar')).toBe('varchar_transform');
  expect(catalogFacts(12).noopLengthCoercion.get('varchar')).toBe('varchar_support');
});

test('majors without data are refused', () => {
  for (const major of [10, 19, 17.5, NaN]) {
    expect(() => catalogFacts(major)).toThrow(RangeError);
    expect(() => builtinFunctionVolatility('now', major)).toThrow(RangeError);
  }
});
