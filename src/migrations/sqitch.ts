/**
 * sqitch projects: the order in which sqitch deploys changes comes from its plan file
 * (`sqitch.plan`), not from file names. Pure functions over forward-slash paths, shared by the CLI
 * (plans read from disk) and the GitHub app (plans read from the Git tree).
 *
 * The plan, one entry a line (sqitch's documented format):
 *
 *     %syntax-version=1.0.0                      pragma
 *     %project=shop
 *     # a comment                                comment (and blank lines)
 *     users 2013-01-02T10:00:00Z Ann <ann@x> # Adds users.
 *     orders [users !legacy] 2013-01-03T…        change, with required and conflicting changes
 *     @v1.0 2013-01-04T10:00:00Z Ann <ann@x>     tag of the change before it
 *     users [users@v1.0] 2014-02-01T…            a reworked change: `users` again, later
 *
 * Changes deploy in the order they are listed. A change's deploy script is `deploy/<name>.sql`
 * beside the plan (a name may contain `/`: `deploy/a/b.sql`). A reworked change appears more than
 * once; `sqitch rework` copies the scripts of the earlier instance to `deploy/<name>@<tag>.sql`,
 * named after a tag between the two instances, and the last instance keeps `deploy/<name>.sql`.
 *
 * Not modelled: `top_dir`, `deploy_dir`, `plan_file` and `extension` set in sqitch.conf (the
 * default layout is assumed: `sqitch.plan` beside `deploy/`, scripts ending in `.sql`), and
 * dependencies on other projects (`other:change`), which do not change this project's order.
 */

const PLAN_FILE = 'sqitch.plan';
const EXTENSION = '.sql';

export interface SqitchChange {
  name: string;
  /** Changes this one requires (`[a b]`), as written: `a`, `a@tag`, `project:a`. */
  requires: string[];
  /** Changes this one conflicts with (`[!a]`), without the `!`. */
  conflicts: string[];
  /** Tags set on this change (`@tag` lines that follow it), without the `@`. */
  tags: string[];
  note?: string;
  /**
   * The file names sqitch would use for this instance's deploy script, relative to the plan's
   * directory, preferred first: `deploy/<name>.sql` for the last instance of a change; for an
   * earlier instance of a reworked change `deploy/<name>@<tag>.sql` for each tag between it and
   * the next instance (sqitch takes the first that exists). Empty when a reworked change has no
   * tag before its next instance (sqitch refuses such a plan).
   */
  deployScripts: string[];
}

export interface SqitchPlan {
  /** `%name=value` lines (`syntax-version`, `project`, `uri`, …). */
  pragmas: Record<string, string>;
  /** Changes in deploy order. Lines marked `-` (a revert, which sqitch does not deploy) are left out. */
  changes: SqitchChange[];
}

export function parseSqitchPlan(text: string): SqitchPlan {
  const pragmas: Record<string, string> = {};
  const changes: SqitchChange[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('%')) {
      const m = /^%\s*([^\s=]+)\s*(?:=\s*(.*?))?\s*$/.exec(stripNote(line).body);
      if (m) pragmas[m[1]] = m[2] ?? '';
      continue;
    }
    const { body, note } = stripNote(line);
    if (line.startsWith('@')) {
      // A tag names the change just before it.
      const tag = body.slice(1).split(/\s+/)[0];
      if (tag && changes.length) changes[changes.length - 1].tags.push(tag);
      continue;
    }
    const m = /^([+-]?)\s*([^\s[]+)\s*(?:\[([^\]]*)\])?/.exec(body);
    // `@`, `:`, `#` and `\` cannot be part of a change name: anything else is not a change line.
    if (!m || /[@:#\\]/.test(m[2])) continue;
    if (m[1] === '-') continue;
    const deps = (m[3] ?? '').split(/\s+/).filter(Boolean);
    changes.push({
      name: m[2],
      requires: deps.filter((d) => !d.startsWith('!')),
      conflicts: deps.filter((d) => d.startsWith('!')).map((d) => d.slice(1)),
      tags: [],
      ...(note !== undefined ? { note } : {}),
      deployScripts: [],
    });
  }
  assignDeployScripts(changes);
  return { pragmas, changes };
}

/** The plan's deploy scripts in deploy order, relative to the plan's directory. */
export function sqitchDeployScripts(plan: SqitchPlan): string[] {
  return plan.changes.flatMap((c) => c.deployScripts.slice(0, 1));
}

/**
 * `body # note`: the note starts at the first `#` (names, tags and timestamps cannot hold one).
 */
function stripNote(line: string): { body: string; note?: string } {
  const hash = line.indexOf('#');
  if (hash < 0) return { body: line };
  return { body: line.slice(0, hash).trimEnd(), note: line.slice(hash + 1).trim() };
}

/** Each instance's script names; an earlier instance of a reworked change is named by a later tag. */
function assignDeployScripts(changes: SqitchChange[]): void {
  const next = new Map<string, number>();
  for (let i = changes.length - 1; i >= 0; i--) {
    const change = changes[i];
    const j = next.get(change.name);
    next.set(change.name, i);
    if (j === undefined) {
      change.deployScripts = [`deploy/${change.name}${EXTENSION}`];
      continue;
    }
    const between = changes.slice(i, j).flatMap((c) => c.tags);
    change.deployScripts = between.map((tag) => `deploy/${change.name}@${tag}${EXTENSION}`);
  }
}

/**
 * Where a plan could order `path`: for each `deploy/` directory in it (outermost first), the
 * directory holding that `deploy/` (ending in `/`, or '' for the root) and its `sqitch.plan`.
 */
function projectsOf(path: string): { prefix: string; plan: string }[] {
  if (!path.toLowerCase().endsWith(EXTENSION)) return [];
  const out: { prefix: string; plan: string }[] = [];
  const re = /(^|\/)deploy\//g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    const prefix = path.slice(0, m.index + m[1].length);
    out.push({ prefix, plan: prefix + PLAN_FILE });
    re.lastIndex = m.index + 1;
  }
  return out;
}

/** The `sqitch.plan` paths that could order some of `paths` (each once): ask for these only. */
export function sqitchPlanCandidates(paths: Iterable<string>): string[] {
  const plans = new Set<string>();
  for (const p of paths) for (const { plan } of projectsOf(p)) plans.add(plan);
  return [...plans];
}

/**
 * `paths` with each sqitch project's deploy scripts in plan order. A deploy script belongs to the
 * project of the outermost `deploy/` directory it lies under whose `sqitch.plan` `planText`
 * returns. A project's scripts take the positions its scripts had in `paths`: first those the
 * plan lists, in plan order, then the others (not in the plan) in the order given. Every other
 * path keeps its position, so callers pass `paths` in natural order.
 *
 * `planText` is asked at most once per plan path, and only for `sqitchPlanCandidates(paths)`;
 * undefined means there is no such plan.
 */
export function orderBySqitchPlans(
  paths: readonly string[],
  planText: (planPath: string) => string | undefined,
): string[] {
  const plans = new Map<string, SqitchPlan | undefined>();
  const planAt = (planPath: string): SqitchPlan | undefined => {
    if (!plans.has(planPath)) {
      const text = planText(planPath);
      plans.set(planPath, text === undefined ? undefined : parseSqitchPlan(text));
    }
    return plans.get(planPath);
  };

  // Each project's scripts, with the positions they hold in `paths`.
  // A path given twice keeps its second position as it is.
  const projects = new Map<string, { prefix: string; positions: number[]; scripts: string[] }>();
  const seen = new Set<string>();
  paths.forEach((p, i) => {
    const project = projectsOf(p).find((c) => planAt(c.plan) !== undefined);
    if (!project || seen.has(p)) return;
    seen.add(p);
    let group = projects.get(project.plan);
    if (!group) projects.set(project.plan, (group = { prefix: project.prefix, positions: [], scripts: [] }));
    group.positions.push(i);
    group.scripts.push(p);
  });

  const out = [...paths];
  for (const [planPath, { prefix, positions, scripts }] of projects) {
    const present = new Set(scripts);
    const ordered: string[] = [];
    for (const change of planAt(planPath)!.changes) {
      const script = change.deployScripts.map((s) => prefix + s).find((s) => present.has(s));
      if (script === undefined) continue;
      ordered.push(script);
      present.delete(script);
    }
    // Scripts the plan does not list (not yet added, or misnamed) follow, in the order given.
    ordered.push(...scripts.filter((s) => present.has(s)));
    positions.forEach((at, k) => (out[at] = ordered[k]));
  }
  return out;
}
