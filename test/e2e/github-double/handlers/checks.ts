/** Checks: check runs (with appended annotations), check suites, listings per ref, re-requests. */
import { HttpError, notFound, paginate, repoFor, type Handler, type HandlerContext } from '../context';
import { now, type AnnotationRecord, type CheckRunRecord, type RepoRecord } from '../state';

interface CheckRunInput {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: string;
  started_at?: string;
  conclusion?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: AnnotationRecord[] };
  actions?: { label: string; description: string; identifier: string }[];
}

function runFor(ctx: HandlerContext): { repo: RepoRecord; run: CheckRunRecord } {
  const repo = repoFor(ctx);
  const run = ctx.state.checkRuns.find(
    (r) => r.id === Number(ctx.params.check_run_id) && r.owner === repo.owner && r.repo === repo.name,
  );
  if (!run) throw notFound();
  return { repo, run };
}

const invalid = (detail: string) => new HttpError(422, `Invalid request.\n\n${detail}`);

/** Rules GitHub enforces beyond the JSON schema. */
function checkInput(input: CheckRunInput, current?: CheckRunRecord): void {
  const completing = input.status === 'completed' || input.completed_at !== undefined;
  if (completing && input.conclusion === undefined && !current?.conclusion) {
    throw invalid('"conclusion" wasn\'t supplied.');
  }
  for (const a of input.output?.annotations ?? []) {
    if (a.start_line > a.end_line)
      throw invalid(`annotation start_line ${a.start_line} is after end_line ${a.end_line}.`);
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      throw invalid('annotations support start_column and end_column only when start_line equals end_line.');
    }
  }
}

function apply(run: CheckRunRecord, input: CheckRunInput): void {
  if (input.name !== undefined) run.name = input.name;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.started_at !== undefined) run.startedAt = input.started_at;
  if (input.status !== undefined) run.status = input.status;
  if (input.conclusion !== undefined) {
    run.conclusion = input.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed') run.completedAt = input.completed_at ?? run.completedAt ?? now();
  if (input.output) {
    if (input.output.title !== undefined) run.output.title = input.output.title;
    if (input.output.summary !== undefined) run.output.summary = input.output.summary;
    if (input.output.text !== undefined) run.output.text = input.output.text;
    run.annotations.push(...(input.output.annotations ?? []));
  }
  if (input.actions) run.actions = input.actions;
}

export const checkHandlers: Record<string, Handler> = {
  'checks/create': (ctx) => {
    const repo = repoFor(ctx);
    const input = ctx.body as CheckRunInput;
    const headSha = String(input.head_sha);
    if (!/^[0-9a-f]{40}$/.test(headSha) || !repo.git.commits.has(headSha)) {
      throw new HttpError(422, `No commit found for SHA: ${headSha}`);
    }
    checkInput(input);
    const suite = ctx.state.ensureCheckSuite(repo, headSha);
    const run: CheckRunRecord = {
      id: ctx.state.nextId('run'),
      owner: repo.owner,
      repo: repo.name,
      name: String(input.name),
      headSha,
      status: 'queued',
      conclusion: null,
      startedAt: now(),
      completedAt: null,
      detailsUrl: null,
      externalId: '',
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      checkSuiteId: suite.id,
      updates: 0,
      rerequests: 0,
    };
    apply(run, input);
    suite.updatedAt = now();
    ctx.state.checkRuns.push(run);
    return { status: 201, body: ctx.shapes.checkRun(repo, run) };
  },

  'checks/update': (ctx) => {
    const { repo, run } = runFor(ctx);
    const input = ctx.body as CheckRunInput;
    checkInput(input, run);
    apply(run, input);
    run.updates++;
    return { status: 200, body: ctx.shapes.checkRun(repo, run) };
  },

  'checks/get': (ctx) => {
    const { repo, run } = runFor(ctx);
    return { status: 200, body: ctx.shapes.checkRun(repo, run) };
  },

  'checks/list-annotations': (ctx) => {
    const { repo, run } = runFor(ctx);
    const { page, headers } = paginate(ctx, run.annotations);
    return { status: 200, headers, body: page.map((a) => ctx.shapes.annotation(repo, run, a)) };
  },

  'checks/list-for-ref': (ctx) => {
    const repo = repoFor(ctx);
    const sha = ctx.state.resolveRef(repo, String(ctx.params.ref));
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${String(ctx.params.ref)}`);
    let runs = ctx.state.checkRuns.filter(
      (r) => r.owner === repo.owner && r.repo === repo.name && r.headSha === sha,
    );
    if (ctx.query.filter !== 'all') {
      // "latest": the most recent run of each name.
      runs = runs.filter((r) => !runs.some((o) => o.name === r.name && o.id > r.id));
    }
    if (ctx.query.check_name !== undefined) runs = runs.filter((r) => r.name === ctx.query.check_name);
    if (ctx.query.status !== undefined) runs = runs.filter((r) => r.status === ctx.query.status);
    if (ctx.query.app_id !== undefined && Number(ctx.query.app_id) !== ctx.shapes.app.id) runs = [];
    runs = [...runs].sort((a, b) => b.id - a.id);
    const { page, headers } = paginate(ctx, runs);
    return {
      status: 200,
      headers,
      body: { total_count: runs.length, check_runs: page.map((r) => ctx.shapes.checkRun(repo, r)) },
    };
  },

  'checks/rerequest-run': (ctx) => {
    const { run } = runFor(ctx);
    run.rerequests++;
    return { status: 201, body: {} };
  },

  'checks/get-suite': (ctx) => {
    const repo = repoFor(ctx);
    const suite = ctx.state.checkSuites.find(
      (s) => s.id === Number(ctx.params.check_suite_id) && s.owner === repo.owner && s.repo === repo.name,
    );
    if (!suite) throw notFound();
    return { status: 200, body: ctx.shapes.checkSuite(repo, suite) };
  },

  'checks/list-suites-for-ref': (ctx) => {
    const repo = repoFor(ctx);
    const sha = ctx.state.resolveRef(repo, String(ctx.params.ref));
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${String(ctx.params.ref)}`);
    const suites = ctx.state.checkSuites.filter(
      (s) => s.owner === repo.owner && s.repo === repo.name && s.headSha === sha,
    );
    const { page, headers } = paginate(ctx, suites);
    return {
      status: 200,
      headers,
      body: { total_count: suites.length, check_suites: page.map((s) => ctx.shapes.checkSuite(repo, s)) },
    };
  },

  'checks/list-for-suite': (ctx) => {
    const repo = repoFor(ctx);
    const id = Number(ctx.params.check_suite_id);
    if (!ctx.state.checkSuites.some((s) => s.id === id && s.owner === repo.owner)) throw notFound();
    const runs = ctx.state.checkRuns.filter((r) => r.checkSuiteId === id);
    const { page, headers } = paginate(ctx, runs);
    return {
      status: 200,
      headers,
      body: { total_count: runs.length, check_runs: page.map((r) => ctx.shapes.checkRun(repo, r)) },
    };
  },

  'checks/rerequest-suite': (ctx) => {
    const repo = repoFor(ctx);
    const suite = ctx.state.checkSuites.find(
      (s) => s.id === Number(ctx.params.check_suite_id) && s.owner === repo.owner && s.repo === repo.name,
    );
    if (!suite) throw notFound();
    suite.rerequests++;
    return { status: 201, body: {} };
  },
};
