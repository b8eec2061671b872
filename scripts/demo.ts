/**
 * `npm run demo`: Migration Guard as a GitHub App, end to end, without credentials.
 *
 * Starts the local GitHub API double (test/e2e/github-double) and the real app server
 * (`node dist/src/index.js`, configured like `npm start` with APP_ID, PRIVATE_KEY, WEBHOOK_SECRET,
 * GHE_HOST…), creates a repository whose main branch holds a migration history (customers, orders)
 * and a production statistics snapshot,
 * opens a pull request adding a risky migration, delivers the signed `pull_request.opened` webhook,
 * waits for the check run, then prints the check run and the review comments as GitHub shows them.
 * Exits 0 when the run completed and every request the app made matched GitHub's OpenAPI
 * description; 1 otherwise.
 */
import { ensureBuilt, startAppHarness, type AppHarness } from '../test/e2e/app-harness';
import { HISTORY, OWNER, RISKY, RISKY_SQL, statsFile } from '../test/e2e/shop-fixture';

const REPO = 'shop';
const MIGRATION = RISKY;
const MIGRATION_SQL = RISKY_SQL;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const style = (code: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = style('1');
const dim = style('2');
const red = style('31');
const green = style('32');
const yellow = style('33');

const out = (text = '') => process.stdout.write(`${text}\n`);
const indent = (text: string, by = '    ') =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
const rule = (title: string) => out(`\n${bold(`── ${title} ${'─'.repeat(Math.max(0, 76 - title.length))}`)}`);

/** The summary up to its first collapsible section: the notes, the heading and the findings table. */
function excerpt(summary: string, maxLines = 25): string {
  const cut = summary.indexOf('\n<details>');
  const head = (cut >= 0 ? summary.slice(0, cut) : summary).trimEnd().split('\n');
  const shown = head.slice(0, maxLines);
  if (head.length > maxLines || cut >= 0) shown.push('', '… (details of each finding, statements and locks)');
  return shown.join('\n');
}

async function main(): Promise<number> {
  const build = ensureBuilt();
  if (build.built) out(dim(`(compiled src in ${(build.ms / 1000).toFixed(1)} s)`));

  out(bold('Migration Guard: the GitHub App against a local GitHub API double (no credentials needed)'));
  let h: AppHarness | undefined;
  try {
    h = await startAppHarness();
    const { double } = h;
    out(`GitHub API double  ${double.apiBase}  (every request checked against GitHub's OpenAPI description)`);
    out(
      `App server         ${h.appUrl}  node dist/src/index.js, APP_ID=${h.appId} GHE_HOST=${double.host} GHE_PROTOCOL=http`,
    );

    double.createRepo(OWNER, REPO, { org: true });
    // With a production statistics snapshot (as `migration-guard stats` writes it): orders is
    // 3.1 GB and written 1,800 times a second, so the findings say how long its locks would last.
    const base = { ...HISTORY, '.github/migration-guard-stats.json': statsFile(3200, 1800) };
    double.commit(OWNER, REPO, 'main', base, 'Customers and orders');
    double.commit(OWNER, REPO, 'order-tracking', { [MIGRATION]: MIGRATION_SQL }, 'Track orders');
    const pr = double.openPullRequest(OWNER, REPO, {
      head: 'order-tracking',
      base: 'main',
      user: 'alice',
      title: 'Order tracking: status index and public id',
    });
    out(
      `Repository         ${OWNER}/${REPO}, main: ${Object.keys(HISTORY)
        .filter((p) => p.endsWith('.sql'))
        .join(', ')} and .github/migration-guard-stats.json (orders: 3.1 GB, ~1,800 writes/s)`,
    );
    out(`Pull request       #${pr.number} by @alice, head ${pr.headSha.slice(0, 7)}: adds ${MIGRATION}`);
    out('');
    MIGRATION_SQL.replace(/\n$/, '')
      .split('\n')
      .forEach((line, i) => out(dim(`    ${String(i + 1).padStart(2)} │ `) + line));

    const event = await h.pullRequestEvent('opened', OWNER, REPO, pr.number);
    out('');
    out(
      `Webhook pull_request.opened (signed, delivery ${event.deliveryId.slice(0, 8)}…) → HTTP ${event.status}; ` +
        `check run ${event.statuses.join(' → ')} in ${event.latencyMs.toFixed(0)} ms; ` +
        `${event.requests.length} GitHub API requests`,
    );

    const run = event.run;
    rule(`Check run "${run.name}" on ${run.headSha.slice(0, 7)}`);
    const conclusion = run.conclusion ?? '(none)';
    out(
      `Conclusion  ${conclusion === 'failure' ? red(conclusion) : conclusion === 'success' ? green(conclusion) : conclusion}`,
    );
    out(`Title       ${run.output.title ?? ''}`);
    out('Summary (excerpt, Markdown):');
    out(indent(excerpt(run.output.summary ?? '')));
    out(`Annotations (${run.annotations.length}):`);
    for (const a of run.annotations) {
      const lines = a.start_line === a.end_line ? `${a.start_line}` : `${a.start_line}-${a.end_line}`;
      const level = a.annotation_level === 'failure' ? red(a.annotation_level) : yellow(a.annotation_level);
      out(`  ${bold(`${a.path}:${lines}`)}  ${level}  ${a.title ?? ''}`);
      out(indent(a.message, '      '));
      if (a.raw_details) out(indent(dim(a.raw_details), '      '));
    }

    const reviews = double.state.reviews.filter((r) => r.repo === REPO && r.pullNumber === pr.number);
    for (const review of reviews) {
      rule(`Review by @${review.user} (${review.state})`);
      out(review.body);
      const comments = double.state.reviewComments.filter((c) => c.reviewId === review.id);
      for (const c of comments) {
        const where = c.startLine && c.startLine !== c.line ? `${c.startLine}-${c.line}` : `${c.line}`;
        out('');
        const on = where.includes('-') ? `lines ${where}` : `line ${where}`;
        out(bold(`▸ ${c.path}:${where}`) + dim(`  (review comment on ${on} of the new file)`));
        out(indent(c.body));
      }
    }
    if (reviews.length === 0) out('\n(no review comments)');

    rule('Behind the scenes');
    const byOp = new Map<string, number>();
    for (const r of event.requests)
      byOp.set(r.operationId ?? r.path, (byOp.get(r.operationId ?? r.path) ?? 0) + 1);
    out(`Requests: ${[...byOp].map(([op, n]) => (n > 1 ? `${op} ×${n}` : op)).join(', ')}`);
    out(
      `OpenAPI violations: ${double.violations.length}; secrets in the app's logs: ${h.leakedSecrets().length}`,
    );

    const ok = run.status === 'completed' && double.violations.length === 0 && h.leakedSecrets().length === 0;
    if (!ok) {
      out(red('\nSomething is off:'));
      if (double.violations.length) out(JSON.stringify(double.violations, null, 2));
      out(h.output());
    }
    return ok ? 0 : 1;
  } catch (error) {
    out(red(`demo failed: ${error instanceof Error ? error.message : String(error)}`));
    if (h) out(dim(h.output()));
    return 1;
  } finally {
    await h?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
