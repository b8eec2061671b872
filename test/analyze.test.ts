/** analyze(): robustness on schema shapes that once crashed it, and the pure entry point's contract. */
import { analyze, analyzeLoaded } from '../src/analysis/analyze';
import { Catalog, newRelation } from '../src/analysis/catalog';
import { loadParser } from '../src/analysis/parse';

const run = (sql: string, history = '') =>
  analyze([{ path: 'm.sql', content: sql }], {
    pgVersion: 17,
    history: history ? [{ path: 'h.sql', content: history }] : [],
  });

describe('analyze', () => {
  test('a recursive view reading itself does not recurse forever', async () => {
    const r = await run(
      'SELECT * FROM nums;',
      'CREATE RECURSIVE VIEW nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 5;',
    );
    expect(r.files[0].statements[0].locks.map((l) => l.relation)).toEqual(['nums']);
  });

  test('views replaced into a cycle', async () => {
    const r = await run(
      'SELECT * FROM v2;',
      'CREATE TABLE t (a int); CREATE VIEW v2 AS SELECT * FROM t; CREATE VIEW v3 AS SELECT * FROM v2; CREATE OR REPLACE VIEW v2 AS SELECT * FROM v3;',
    );
    expect(r.files[0].statements).toHaveLength(1);
  });

  test('a table attached to itself (rejected by PostgreSQL) does not become its own partition', async () => {
    const r = await run(
      'DROP TABLE p;',
      'CREATE TABLE p (a int) PARTITION BY LIST (a); ALTER TABLE p ATTACH PARTITION p FOR VALUES IN (1);',
    );
    expect(r.files[0].statements[0].locks.map((l) => `${l.relation}:${l.mode}`)).toEqual([
      'p:AccessExclusiveLock',
    ]);
  });

  test('new index builds are told apart from validation scans and rewrites', async () => {
    const r = await run(
      [
        'CREATE INDEX ON orders (total);',
        'ALTER TABLE orders ADD CONSTRAINT orders_total_key UNIQUE (total);',
        'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);',
        'ALTER TABLE orders ALTER COLUMN total TYPE bigint;',
        'CREATE INDEX ON events (at);',
      ].join('\n'),
      'CREATE TABLE orders (id int PRIMARY KEY, total int); CREATE TABLE events (at date) PARTITION BY RANGE (at); CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (MINVALUE) TO (MAXVALUE);',
    );
    const s = r.files[0].statements;
    expect(s.map((x) => x.indexBuilds)).toEqual([['orders'], ['orders'], [], [], ['events_1']]);
    expect(s[2].scans).toEqual(['orders']);
    expect(s[3].rewrites).toEqual(['orders']);
  });

  test('an unsupported version is a RangeError', async () => {
    await expect(analyze([], { pgVersion: 10 })).rejects.toThrow(RangeError);
  });

  test('tables created in the change are marked so, history tables are not', async () => {
    const r = await run(
      'CREATE TABLE b (id int);\nALTER TABLE b ADD COLUMN x int DEFAULT random();',
      'CREATE TABLE a (id int);',
    );
    expect(r.files[0].statements[1].rewrites).toEqual(['b']);
  });
});

describe('objects created in the change', () => {
  test('indexes and sequences created with a new table are new too', async () => {
    await loadParser();
    const seen: Record<string, boolean | undefined> = {};
    analyzeLoaded(
      [{ path: 'm.sql', content: 'CREATE TABLE refunds (id serial PRIMARY KEY, amount int);\nSELECT 1;' }],
      { pgVersion: 17 },
      (v) => {
        if (v.statement.kind !== 'SelectStmt') return;
        for (const key of ['public.refunds', 'public.refunds_pkey', 'public.refunds_id_seq']) {
          seen[key] = v.catalog.get(key)?.createdInChange;
        }
      },
    );
    expect(seen).toEqual({
      'public.refunds': true,
      'public.refunds_pkey': true,
      'public.refunds_id_seq': true,
    });
  });
});

describe('CREATE TABLE AS', () => {
  test('the new table does not depend on its source: dropping the source does not fail', async () => {
    // Lemmy's smoosh-tables-together: the copy is a table, not a view of comment_saved.
    const r = await run(
      'BEGIN;\nCREATE TABLE comment_actions AS SELECT person_id, comment_id FROM comment_saved;\nDROP TABLE comment_saved;\nCOMMIT;',
      'CREATE TABLE comment_saved (person_id int, comment_id int);',
    );
    expect(r.files[0].statements[2].failsOnVersion).toBeUndefined();
  });

  test('a materialized view does depend on its source', async () => {
    const r = await run(
      'CREATE MATERIALIZED VIEW saved_counts AS SELECT person_id, count(*) FROM comment_saved GROUP BY 1;\nDROP TABLE comment_saved;',
      'CREATE TABLE comment_saved (person_id int, comment_id int);',
    );
    expect(r.files[0].statements[1].failsOnVersion).toMatch(/view saved_counts depends on comment_saved/);
  });

  test('dependentViews never returns a table, whatever its dependsOn says', () => {
    const catalog = new Catalog();
    catalog.add(newRelation('public.src', 'table'));
    catalog.add({ ...newRelation('public.copy', 'table'), dependsOn: ['public.src'] });
    catalog.add({ ...newRelation('public.v', 'view'), dependsOn: ['public.src'] });
    expect(catalog.dependentViews('public.src').map((r) => r.key)).toEqual(['public.v']);
  });
});
