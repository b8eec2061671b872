/** analyze(): robustness on schema shapes that once crashed it, and the pure entry point's contract. */
import { analyze, analyzeLoaded } from '../src/analysis/analyze';
import { Catalog, newRelation } from '../src/analysis/catalog';
import { EffectsBuilder } from '../src/analysis/effects/builder';
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

  test('down sections and down files do not change the schema later files see', async () => {
    const goose = await analyze(
      [
        {
          path: 'db/migrations/00001_t.sql',
          content: '-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;',
        },
        { path: 'db/migrations/00002_t_idx.sql', content: 'CREATE INDEX t_id_idx ON t (id);' },
      ],
      { pgVersion: 17, history: [], historyIsComplete: true },
    );
    expect(goose.files[1].statements[0].failsOnVersion).toBeUndefined();

    const files = [
      { path: 'db/000012_orders.down.sql', content: 'DROP TABLE orders;' },
      { path: 'db/000013_orders_idx.up.sql', content: 'CREATE INDEX orders_id_idx ON orders (id);' },
    ];
    const options = {
      pgVersion: 17,
      history: [{ path: 'h.sql', content: 'CREATE TABLE orders (id int);' }],
      historyIsComplete: true,
    };
    const judged = await analyze(files, { ...options, isDownFile: (p: string) => p.endsWith('.down.sql') });
    // The down file is judged (it locks orders) but orders still exists for the next file.
    expect(judged.files[0].statements[0].locks.map((l) => l.relation)).toContain('orders');
    expect(judged.files[1].statements[0].failsOnVersion).toBeUndefined();
    // Without the option, every file is applied in order: the index build then fails.
    expect((await analyze(files, options)).files[1].statements[0].failsOnVersion).toBe(
      'relation public.orders does not exist',
    );
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

describe('DROP COLUMN drops what depends on the column', () => {
  /** The catalog after `sql` (history `history`), seen by a visitor on a trailing SELECT. */
  const catalogAfter = async (sql: string, history: string) => {
    await loadParser();
    let seen: Catalog | undefined;
    const result = analyzeLoaded(
      [{ path: 'm.sql', content: `${sql}\nSELECT 1;` }],
      { pgVersion: 17, history: [{ path: 'h.sql', content: history }] },
      (v) => {
        if (v.statement.kind === 'SelectStmt') seen = v.catalog;
      },
    );
    return { catalog: seen!, statements: result.files[0].statements };
  };
  const CAPTCHA =
    'CREATE TABLE captcha_answer (id serial PRIMARY KEY, uuid uuid NOT NULL UNIQUE, answer text);';

  test.each([
    ['drop first', 'ALTER TABLE captcha_answer DROP COLUMN id, ADD PRIMARY KEY (uuid);'],
    ['add first', 'ALTER TABLE captcha_answer ADD PRIMARY KEY (uuid), DROP COLUMN id;'],
  ])('the primary key of a dropped column is gone for ADD PRIMARY KEY (%s)', async (_name, sql) => {
    // Lemmy's change_primary_keys: PostgreSQL drops columns first, then adds the new key.
    const { catalog, statements } = await catalogAfter(sql, CAPTCHA);
    expect(statements[0].failsOnVersion).toBeUndefined();
    expect(statements[0].locks.map((l) => l.relation)).toContain('captcha_answer_id_seq');
    const rel = catalog.get('public.captcha_answer')!;
    expect(rel.constraints.filter((c) => c.kind === 'primary key')).toEqual([
      expect.objectContaining({ name: 'captcha_answer_pkey', columns: ['uuid'] }),
    ]);
    expect(rel.ownedSequences).toEqual([]);
    expect(catalog.has('public.captcha_answer_id_seq')).toBe(false);
  });

  test('a table-level foreign key on a dropped column no longer references its table', async () => {
    // concourse: the FK goes with containers.worker_resource_config_check_session_id.
    const { statements } = await catalogAfter(
      'ALTER TABLE child DROP COLUMN parent_id;\nDROP TABLE parent;',
      'CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (id int PRIMARY KEY, parent_id int);\n' +
        'ALTER TABLE ONLY child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parent (id);',
    );
    expect(statements[0].locks.map((l) => `${l.relation}:${l.mode}`)).toContain('parent:AccessExclusiveLock');
    expect(statements[1].failsOnVersion).toBeUndefined();
  });

  test('a unique key other tables reference: fails without CASCADE, with CASCADE their foreign keys go', async () => {
    const history =
      'CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE);\n' +
      'CREATE TABLE child (id int PRIMARY KEY, parent_code text REFERENCES parent (code));';
    const plain = await catalogAfter('ALTER TABLE parent DROP COLUMN code;', history);
    expect(plain.statements[0].failsOnVersion).toMatch(/foreign keys of child depend on code/);
    const cascade = await catalogAfter('ALTER TABLE parent DROP COLUMN code CASCADE;', history);
    expect(cascade.statements[0].failsOnVersion).toBeUndefined();
    expect(cascade.catalog.get('public.child')!.constraints.map((c) => c.kind)).toEqual(['primary key']);
    expect(cascade.catalog.referencingTables('public.parent')).toEqual([]);
  });
});

describe('a NOT NULL column without default proves the table empty', () => {
  const PROMPTS = 'CREATE TABLE prompts (id int PRIMARY KEY, name text);';
  const INDEX = 'CREATE UNIQUE INDEX prompts_friendly_id_key ON prompts (friendly_id);';
  /**
   * Which tables count as empty (createdInChange: rules treat their reads as free) when the last
   * statement of `sql` runs. The effects themselves still list the reads PostgreSQL does.
   */
  const emptyAtLast = async (sql: string, history: string, tables = ['public.prompts']) => {
    await loadParser();
    const empty: string[] = [];
    const result = analyzeLoaded(
      [{ path: 'm.sql', content: sql }],
      { pgVersion: 17, history: [{ path: 'h.sql', content: history }] },
      (v) => {
        if (v.statements.length !== sql.split('\n').length) return;
        for (const t of tables) if (v.catalog.get(t)?.createdInChange) empty.push(t);
      },
    );
    return { empty, statements: result.files[0].statements };
  };

  test('the ADD COLUMN itself still reads the table; after it the table counts as empty', async () => {
    // trigger.dev's add_prompt_friendly_id: the ADD COLUMN only succeeds on an empty table.
    const { empty, statements } = await emptyAtLast(
      `BEGIN;\nALTER TABLE prompts ADD COLUMN friendly_id text NOT NULL;\n${INDEX}`,
      PROMPTS,
    );
    expect(statements[1].scans).toEqual(['prompts']);
    expect(empty).toEqual(['public.prompts']);
  });

  test.each([
    ['NOT NULL DEFAULT NULL', 'ALTER TABLE prompts ADD COLUMN friendly_id text NOT NULL DEFAULT NULL;'],
    [
      'a PRIMARY KEY column',
      'ALTER TABLE prompts DROP CONSTRAINT prompts_pkey, ADD COLUMN friendly_id text PRIMARY KEY;',
    ],
  ])('%s proves it too', async (_name, add) => {
    expect((await emptyAtLast(`${add}\n${INDEX}`, PROMPTS)).empty).toEqual(['public.prompts']);
  });

  test.each([
    ['a default', "ALTER TABLE prompts ADD COLUMN friendly_id text NOT NULL DEFAULT '';"],
    ['nullable', 'ALTER TABLE prompts ADD COLUMN friendly_id text;'],
    ['serial', 'ALTER TABLE prompts ADD COLUMN friendly_id serial NOT NULL;'],
    ['identity', 'ALTER TABLE prompts ADD COLUMN friendly_id int GENERATED ALWAYS AS IDENTITY;'],
    [
      'generated',
      'ALTER TABLE prompts ADD COLUMN friendly_id text NOT NULL GENERATED ALWAYS AS (name) STORED;',
    ],
    ['a domain with a default', 'ALTER TABLE prompts ADD COLUMN friendly_id code NOT NULL;'],
    [
      'IF NOT EXISTS of a column that exists',
      'ALTER TABLE prompts ADD COLUMN IF NOT EXISTS friendly_id text NOT NULL;',
    ],
    // The column may exist outside the replayed schema: then nothing is added and rows may be there.
    [
      'IF NOT EXISTS of a column the history does not know',
      'ALTER TABLE prompts ADD COLUMN IF NOT EXISTS other_id text NOT NULL;',
    ],
  ])('%s proves nothing', async (name, add) => {
    const history =
      name === 'IF NOT EXISTS of a column that exists'
        ? 'CREATE TABLE prompts (id int PRIMARY KEY, name text, friendly_id text);'
        : `${PROMPTS}\nCREATE DOMAIN code AS text DEFAULT 'x';`;
    expect((await emptyAtLast(`${add}\n${INDEX}`, history)).empty).toEqual([]);
  });

  test('history is not a change: a table emptied there has rows by now', async () => {
    const history = `${PROMPTS}\nALTER TABLE prompts ADD COLUMN friendly_id text NOT NULL;`;
    expect((await emptyAtLast(INDEX, history)).empty).toEqual([]);
  });

  test('partitions are emptied with their parent', async () => {
    const { empty } = await emptyAtLast(
      'ALTER TABLE events ADD COLUMN kind text NOT NULL;\nCREATE INDEX events_kind_idx ON events (kind);',
      'CREATE TABLE events (at date) PARTITION BY RANGE (at);\n' +
        'CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (MINVALUE) TO (MAXVALUE);',
      ['public.events', 'public.events_1'],
    );
    expect(empty).toEqual(['public.events', 'public.events_1']);
  });
});

describe('failures from the version and from the schema', () => {
  const failure = (build: (b: EffectsBuilder) => EffectsBuilder) => {
    const e = build(new EffectsBuilder(new Catalog())).build();
    return { failsOnVersion: e.failsOnVersion, failureFromSchema: e.failureFromSchema };
  };

  test('a version failure is certain: it replaces a schema failure found before it', () => {
    expect(failure((b) => b.failsBySchema('view v uses c').fails('MERGE needs PostgreSQL 15'))).toEqual({
      failsOnVersion: 'MERGE needs PostgreSQL 15',
      failureFromSchema: undefined,
    });
    expect(failure((b) => b.fails('MERGE needs PostgreSQL 15').failsBySchema('view v uses c'))).toEqual({
      failsOnVersion: 'MERGE needs PostgreSQL 15',
      failureFromSchema: undefined,
    });
  });

  test('the first schema failure is kept and marked so', () => {
    expect(failure((b) => b.failsBySchema('first').failsBySchema('second'))).toEqual({
      failsOnVersion: 'first',
      failureFromSchema: true,
    });
  });

  test('the analysis marks schema failures, not version gates', async () => {
    const r = await analyze(
      [
        {
          path: 'm.sql',
          content: 'ALTER TABLE orders ADD PRIMARY KEY (id);\nREINDEX INDEX CONCURRENTLY orders_pkey;',
        },
      ],
      { pgVersion: 11, history: [{ path: 'h.sql', content: 'CREATE TABLE orders (id int PRIMARY KEY);' }] },
    );
    const [pk, reindex] = r.files[0].statements;
    expect(pk.failsOnVersion).toMatch(/already has a primary key/);
    expect(pk.failureFromSchema).toBe(true);
    expect(reindex.failsOnVersion).toMatch(/PostgreSQL 12/);
    expect('failureFromSchema' in reindex).toBe(false);
  });
});
