/**
 * The truth suite for one PostgreSQL major: every applicable case runs on a real server and the
 * model's effects must match what the server did. One test file per major (effects-pgNN.test.ts)
 * so jest runs majors in parallel workers; PG_MAJORS=11,17 limits the run.
 */
import { analyze } from '../../src/analysis/analyze';
import { TRUTH_CASES, type TruthCase } from './cases';
import { selectedMajors, startServer, type PgServer } from './cluster';
import { compareWithServer } from './compare';
import { observe } from './observe';

export function casesFor(major: number): TruthCase[] {
  return TRUTH_CASES.filter((c) => (c.minMajor ?? 11) <= major && major <= (c.maxMajor ?? 18));
}

export async function modelFor(c: TruthCase, major: number) {
  const result = await analyze([{ path: `${c.id}.sql`, content: c.sql }], {
    pgVersion: major,
    history: [{ path: 'setup.sql', content: c.setup }],
    historyIsComplete: true,
    // The harness's servers run with TimeZone = UTC.
    timeZone: 'UTC',
  });
  const file = result.files[0];
  if (file.diagnostics.some((d) => d.severity === 'error') || file.statements.length !== 1) {
    throw new Error(`case ${c.id} does not parse as one statement: ${JSON.stringify(file.diagnostics)}`);
  }
  return file.statements[0];
}

export function defineTruthSuite(major: number): void {
  const run = selectedMajors().includes(major);
  (run ? describe : describe.skip)(`effect model vs PostgreSQL ${major}`, () => {
    let server: PgServer;
    beforeAll(async () => {
      server = await startServer(major);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    test.each(casesFor(major).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const [observation, model] = await Promise.all([observe(server, c), modelFor(c, major)]);
      expect(compareWithServer(model, observation)).toEqual([]);
    });
  });
}
