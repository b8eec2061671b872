/**
 * Developer tool: run every truth case on the given majors and print only the disagreements,
 * e.g. `npx tsx scripts/truth-report.ts 11 17 [case-id-substring]`. The jest suite is the check;
 * this is the fast loop while fixing the model.
 */
import { casesFor, modelFor } from '../test/truth/effects-suite';
import { startServer } from '../test/truth/cluster';
import { compareWithServer } from '../test/truth/compare';
import { observe } from '../test/truth/observe';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const majors = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const filter = args.find((a) => !/^\d+$/.test(a));
  await Promise.all(
    majors.map(async (major) => {
      const server = await startServer(major);
      let bad = 0;
      const cases = casesFor(major).filter((c) => !filter || c.id.includes(filter));
      try {
        for (const c of cases) {
          const [obs, model] = await Promise.all([observe(server, c), modelFor(c, major)]);
          const diff = compareWithServer(model, obs);
          if (diff.length) {
            bad++;
            console.log(
              `PG${major} ${c.id}: ${c.sql.replace(/\s+/g, ' ').slice(0, 100)}\n    ${diff.join('\n    ')}`,
            );
          }
        }
      } finally {
        await server.stop();
      }
      console.log(`PG${major}: ${cases.length - bad}/${cases.length} cases agree`);
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
