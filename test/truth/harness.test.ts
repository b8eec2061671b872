/**
 * Smoke test of the truth harness itself, on every selected major: statements whose effects are well known
 * must be observed as such, on both the transactional and the autocommit path.
 */
import { type PgServer, selectedMajors, startServer } from './cluster';
import { observe } from './observe';

const TABLE = `
CREATE TABLE t (id int PRIMARY KEY, a int);
INSERT INTO t SELECT g, g % 7 FROM generate_series(1, 100) g;
`;

describe.each(selectedMajors())('truth harness on PostgreSQL %i', (major) => {
  let server: PgServer;

  beforeAll(async () => {
    server = await startServer(major);
  });

  afterAll(async () => {
    await server?.stop();
  });

  test('LOCK TABLE is seen as the lock it takes, inside a transaction; setup scans do not count', async () => {
    const setup = `${TABLE} SELECT count(*) FROM t;`;
    const o = await observe(server, { setup, sql: 'LOCK TABLE t IN SHARE MODE' });
    expect(o).toEqual({
      locks: [{ relation: 't', mode: 'ShareLock', granted: true }],
      rewrites: [],
      rebuiltIndexes: [],
      scans: [],
      indexBuilds: [],
      cannotRunInTransaction: false,
      lockObservation: 'transaction',
    });
  });

  test('a volatile default rewrites and scans the table', async () => {
    const o = await observe(server, {
      setup: TABLE,
      sql: 'ALTER TABLE t ADD COLUMN c int DEFAULT random()::int',
    });
    expect(o.locks).toContainEqual({ relation: 't', mode: 'AccessExclusiveLock', granted: true });
    expect(o.rewrites).toEqual(['t']);
    expect(o.rebuiltIndexes).toEqual(['t_pkey']);
    expect(o.scans).toEqual(['t']);
  });

  test('CREATE INDEX takes SHARE and scans without rewriting', async () => {
    const o = await observe(server, { setup: TABLE, sql: 'CREATE INDEX ON t (a)' });
    expect(o.locks).toContainEqual({ relation: 't', mode: 'ShareLock', granted: true });
    expect(o.locks.map((l) => l.relation)).toEqual(['t']);
    expect(o).toMatchObject({
      rewrites: [],
      rebuiltIndexes: [],
      scans: ['t'],
      indexBuilds: ['t'],
      cannotRunInTransaction: false,
    });
  });

  test('an index replaced under the same name (ALTER COLUMN TYPE) counts as rebuilt', async () => {
    const setup = `${TABLE} CREATE INDEX t_a ON t (a);`;
    const o = await observe(server, { setup, sql: 'ALTER TABLE t ALTER COLUMN a TYPE bigint' });
    expect(o).toMatchObject({
      rewrites: ['t'],
      rebuiltIndexes: ['t_a', 't_pkey'],
      scans: ['t'],
      indexBuilds: [],
    });
  });

  test('SELECT takes ACCESS SHARE and scans', async () => {
    const o = await observe(server, { setup: TABLE, sql: 'SELECT * FROM t' });
    expect(o.locks).toContainEqual({ relation: 't', mode: 'AccessShareLock', granted: true });
    expect(o).toMatchObject({ rewrites: [], scans: ['t'], lockObservation: 'transaction' });
  });

  test('relations outside public are named with their schema', async () => {
    const setup = 'CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int);';
    const o = await observe(server, { setup, sql: 'LOCK TABLE billing.invoices IN ROW EXCLUSIVE MODE' });
    expect(o.locks).toEqual([{ relation: 'billing.invoices', mode: 'RowExclusiveLock', granted: true }]);
  });

  test('VACUUM FULL is refused in a transaction, then seen rewriting in autocommit', async () => {
    const o = await observe(server, { setup: TABLE, sql: 'VACUUM FULL t' });
    expect(o).toMatchObject({
      cannotRunInTransaction: true,
      lockObservation: 'blocked-first-lock',
      rewrites: ['t'],
      rebuiltIndexes: ['t_pkey'],
      scans: ['t'],
    });
    expect(o.locks).toContainEqual({ relation: 't', mode: 'AccessExclusiveLock', granted: false });
    expect(o.error).toBeUndefined();
  });

  test('CREATE INDEX CONCURRENTLY is seen waiting for SHARE UPDATE EXCLUSIVE', async () => {
    const o = await observe(server, { setup: TABLE, sql: 'CREATE INDEX CONCURRENTLY i ON t (a)' });
    expect(o).toMatchObject({ cannotRunInTransaction: true, rewrites: [], scans: ['t'], indexBuilds: ['t'] });
    expect(o.locks).toContainEqual({ relation: 't', mode: 'ShareUpdateExclusiveLock', granted: false });
    expect(o.error).toBeUndefined();
  });

  test('a new index on a partitioned table is built on its partitions only', async () => {
    const setup = `
      CREATE TABLE p (id int, a int) PARTITION BY RANGE (id);
      CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (100);
      CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (100) TO (200);`;
    const o = await observe(server, { setup, sql: 'CREATE INDEX ON p (a)' });
    expect(o).toMatchObject({ rewrites: [], rebuiltIndexes: [], indexBuilds: ['p1', 'p2'] });
  });

  test('setup scans do not count as the autocommit statement scanning', async () => {
    const setup = `${TABLE} CREATE INDEX i ON t (a); SELECT count(*) FROM t;`;
    const o = await observe(server, { setup, sql: 'DROP INDEX CONCURRENTLY i' });
    expect(o).toMatchObject({ cannotRunInTransaction: true, scans: [], rewrites: [] });
    expect(o.locks).toContainEqual({ relation: 't', mode: 'ShareUpdateExclusiveLock', granted: false });
  });

  test('a statement failing in autocommit reports its error', async () => {
    const o = await observe(server, { setup: TABLE, sql: 'CREATE INDEX CONCURRENTLY i ON missing (a)' });
    expect(o.cannotRunInTransaction).toBe(true);
    expect(o.error).toMatch(/relation "missing" does not exist/);
  });

  test('a failing statement reports the error and nothing else', async () => {
    const o = await observe(server, { setup: TABLE, sql: 'ALTER TABLE t ADD COLUMN id int' });
    expect(o).toEqual({
      locks: [],
      rewrites: [],
      rebuiltIndexes: [],
      scans: [],
      indexBuilds: [],
      cannotRunInTransaction: false,
      error: 'column "id" of relation "t" already exists',
      lockObservation: 'transaction',
    });
  });

  test('an error in setup throws, naming the case', async () => {
    await expect(
      observe(server, { setup: 'CREATE TABLE t (a nosuchtype);', sql: 'SELECT 1' }),
    ).rejects.toThrow(/setup failed: type "nosuchtype" does not exist[\s\S]*SELECT 1/);
  });

  // The publication is not in any schema: cleaning in place misses it, the leak check then recreates the database.
  test('nothing leaks from one case into the next', async () => {
    const leaky = `
      CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE ROLE app; CREATE SCHEMA app AUTHORIZATION app;
      CREATE TABLE app.things (id int); CREATE TYPE mood AS ENUM ('ok');
      CREATE FUNCTION noop_trigger() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
      CREATE EVENT TRIGGER noop ON ddl_command_start EXECUTE PROCEDURE noop_trigger();
      CREATE TEMP TABLE scratch (id int); CREATE PUBLICATION pub;`;
    await observe(server, { setup: leaky, sql: 'CREATE DATABASE scratch_db' });
    const o = await observe(server, {
      setup: `${TABLE} ${leaky}`,
      sql: 'SELECT * FROM t',
    });
    expect(o.error).toBeUndefined();
    expect(o.locks.map((l) => l.relation)).toEqual(['t', 't_pkey']);
  });
});
