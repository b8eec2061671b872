/** Pull requests: the pull request, its files (with patches), reviews and review comments. */
import { CommentableLines, type DiffPosition, type Side } from '../diff';
import {
  HttpError,
  checkBodyLength,
  mediaFormat,
  notFound,
  paginate,
  repoFor,
  type Handler,
  type HandlerContext,
} from '../context';
import { now, type PullRecord, type RepoRecord, type ReviewCommentRecord, type ReviewRecord } from '../state';
import { unifiedDiff } from './git';

function pullFor(ctx: HandlerContext): { repo: RepoRecord; pr: PullRecord } {
  const repo = repoFor(ctx);
  const pr = ctx.state.pull(repo, Number(ctx.params.pull_number));
  if (!pr) throw notFound();
  return { repo, pr };
}

function actor(ctx: HandlerContext): string {
  return ctx.shapes.botLogin;
}

/** GitHub's answer to review comments it cannot place: 422 "Unprocessable Entity" with string errors. */
const unresolvable = (error: string) => new HttpError(422, 'Unprocessable Entity', { errors: [error] });

interface CommentInput {
  path: string;
  body: string;
  position?: number;
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
}

interface PlacedComment {
  input: CommentInput;
  at: DiffPosition;
  lines: CommentableLines;
  side: Side;
  startLine: number | null;
  startSide: Side | null;
}

/** Places a comment on the diff of `commitId` as GitHub does, or throws GitHub's 422. */
function place(
  ctx: HandlerContext,
  repo: RepoRecord,
  pr: PullRecord,
  commitId: string,
  c: CommentInput,
): PlacedComment {
  const file = ctx.state.pullFiles(repo, pr, commitId).find((f) => f.path === c.path);
  if (!file) throw unresolvable('Path could not be resolved');
  const lines = new CommentableLines(file.diff);
  if (c.line === undefined) {
    if (c.position === undefined) throw unresolvable('Line could not be resolved');
    const at = lines.atPosition(c.position);
    if (!at) throw unresolvable('Position could not be resolved');
    const side: Side = at.line.kind === '-' ? 'LEFT' : 'RIGHT';
    return { input: c, at, lines, side, startLine: null, startSide: null };
  }
  const side = (c.side ?? 'RIGHT') as Side;
  if (side !== 'LEFT' && side !== 'RIGHT')
    throw unresolvable(`Side must be LEFT or RIGHT, got ${String(c.side)}`);
  const at = lines.at(side, c.line);
  if (!at) throw unresolvable('Line could not be resolved');
  if (c.start_line === undefined) return { input: c, at, lines, side, startLine: null, startSide: null };
  const startSide = (c.start_side ?? side) as Side;
  if (startSide !== 'LEFT' && startSide !== 'RIGHT') {
    throw unresolvable(`Start side must be LEFT or RIGHT, got ${String(c.start_side)}`);
  }
  const start = lines.at(startSide, c.start_line);
  if (!start) throw unresolvable('Start line could not be resolved');
  if (start.position >= at.position) throw unresolvable('start_line must precede the end line');
  if (start.hunk !== at.hunk) {
    throw unresolvable('Pull request review thread start line must be part of the same hunk as the line.');
  }
  return { input: c, at, lines, side, startLine: c.start_line, startSide };
}

function storeComment(
  ctx: HandlerContext,
  repo: RepoRecord,
  pr: PullRecord,
  review: ReviewRecord,
  commitId: string,
  p: PlacedComment,
): ReviewCommentRecord {
  const record: ReviewCommentRecord = {
    id: ctx.state.nextId('reviewComment'),
    reviewId: review.id,
    owner: repo.owner,
    repo: repo.name,
    pullNumber: pr.number,
    path: p.input.path,
    body: p.input.body,
    user: review.user,
    commitId,
    line: p.input.line ?? (p.side === 'LEFT' ? (p.at.line.oldLine ?? null) : (p.at.line.newLine ?? null)),
    side: p.side,
    startLine: p.startLine,
    startSide: p.startSide,
    position: p.at.position,
    diffHunk: p.lines.diffHunk(p.at),
    createdAt: now(),
    updatedAt: now(),
  };
  ctx.state.reviewComments.push(record);
  return record;
}

function commitOfPull(ctx: HandlerContext, repo: RepoRecord, pr: PullRecord, commitId: unknown): string {
  const head = ctx.state.headSha(pr);
  if (commitId === undefined) return head;
  const sha = repo.git.findCommit(String(commitId));
  if (!sha || !repo.git.ancestors(head).has(sha)) {
    throw new HttpError(422, 'Unprocessable Entity', {
      errors: ['commit_id is not part of the pull request'],
    });
  }
  return sha;
}

function reviewComments(ctx: HandlerContext, repo: RepoRecord, pr: PullRecord) {
  return ctx.state.reviewComments.filter(
    (c) => c.owner === repo.owner && c.repo === repo.name && c.pullNumber === pr.number,
  );
}

function commentFor(ctx: HandlerContext): { repo: RepoRecord; comment: ReviewCommentRecord } {
  const repo = repoFor(ctx);
  const comment = ctx.state.reviewComments.find(
    (c) => c.id === Number(ctx.params.comment_id) && c.owner === repo.owner && c.repo === repo.name,
  );
  if (!comment) throw notFound();
  return { repo, comment };
}

/** A reply in the thread of `parentId` (GitHub attaches it to the thread's first comment). */
function reply(ctx: HandlerContext, repo: RepoRecord, pr: PullRecord, parentId: number, text: string) {
  checkBodyLength(text, 'PullRequestReviewComment');
  const parent = reviewComments(ctx, repo, pr).find((c) => c.id === parentId);
  if (!parent) throw notFound();
  const review: ReviewRecord = {
    id: ctx.state.nextId('review'),
    owner: repo.owner,
    repo: repo.name,
    pullNumber: pr.number,
    user: actor(ctx),
    body: '',
    state: 'COMMENTED',
    commitId: parent.commitId,
    submittedAt: now(),
  };
  ctx.state.reviews.push(review);
  const record: ReviewCommentRecord = {
    ...parent,
    id: ctx.state.nextId('reviewComment'),
    reviewId: review.id,
    body: text,
    user: actor(ctx),
    inReplyToId: parent.inReplyToId ?? parent.id,
    createdAt: now(),
    updatedAt: now(),
  };
  ctx.state.reviewComments.push(record);
  return { status: 201, body: ctx.shapes.reviewComment(repo, record) };
}

function reviewFor(ctx: HandlerContext): { repo: RepoRecord; pr: PullRecord; review: ReviewRecord } {
  const { repo, pr } = pullFor(ctx);
  const review = ctx.state.reviews.find(
    (r) =>
      r.id === Number(ctx.params.review_id) &&
      r.owner === repo.owner &&
      r.repo === repo.name &&
      r.pullNumber === pr.number,
  );
  if (!review) throw notFound();
  return { repo, pr, review };
}

export const pullHandlers: Record<string, Handler> = {
  'pulls/get': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const format = mediaFormat(ctx);
    if (format === 'diff' || format === 'patch') {
      return {
        status: 200,
        text: unifiedDiff(ctx.state.pullFiles(repo, pr)),
        contentType: 'text/plain; charset=utf-8',
      };
    }
    return { status: 200, body: ctx.shapes.pullRequest(repo, pr) };
  },

  'pulls/list': (ctx) => {
    const repo = repoFor(ctx);
    const state = String(ctx.query.state ?? 'open');
    const head = ctx.query.head === undefined ? undefined : String(ctx.query.head);
    const base = ctx.query.base === undefined ? undefined : String(ctx.query.base);
    const pulls = ctx.state.pulls
      .filter((p) => p.owner === repo.owner && p.repo === repo.name)
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => !head || `${repo.owner}:${p.headRef}` === head || p.headRef === head)
      .filter((p) => !base || p.baseRef === base)
      .sort((a, b) => (ctx.query.direction === 'asc' ? a.number - b.number : b.number - a.number));
    const { page, headers } = paginate(ctx, pulls);
    return { status: 200, headers, body: page.map((p) => ctx.shapes.pullRequest(repo, p)) };
  },

  'repos/list-pull-requests-associated-with-commit': (ctx) => {
    const repo = repoFor(ctx);
    const sha = ctx.state.resolveRef(repo, String(ctx.params.commit_sha));
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${String(ctx.params.commit_sha)}`);
    const pulls = ctx.state.pulls.filter(
      (p) =>
        p.owner === repo.owner && p.repo === repo.name && repo.git.ancestors(ctx.state.headSha(p)).has(sha),
    );
    const { page, headers } = paginate(ctx, pulls);
    return { status: 200, headers, body: page.map((p) => ctx.shapes.pullRequest(repo, p)) };
  },

  'pulls/list-files': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const head = ctx.state.headSha(pr);
    const files = ctx.state.pullFiles(repo, pr).map((f) => ctx.shapes.diffEntry(repo, head, f));
    const { page, headers } = paginate(ctx, files);
    return { status: 200, headers, body: page };
  },

  'pulls/list-reviews': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const reviews = ctx.state.reviews.filter(
      (r) => r.owner === repo.owner && r.repo === repo.name && r.pullNumber === pr.number,
    );
    const { page, headers } = paginate(ctx, reviews);
    return { status: 200, headers, body: page.map((r) => ctx.shapes.review(repo, r)) };
  },

  'pulls/get-review': (ctx) => {
    const { repo, review } = reviewFor(ctx);
    return { status: 200, body: ctx.shapes.review(repo, review) };
  },

  'pulls/update-review': (ctx) => {
    const { repo, review } = reviewFor(ctx);
    checkBodyLength(ctx.body.body, 'PullRequestReview');
    review.body = String(ctx.body.body);
    return { status: 200, body: ctx.shapes.review(repo, review) };
  },

  'pulls/submit-review': (ctx) => {
    const { repo, review } = reviewFor(ctx);
    if (review.state !== 'PENDING') throw unresolvable('Can not submit a non-pending pull request review');
    const event = String(ctx.body.event);
    const body = ctx.body.body === undefined ? review.body : String(ctx.body.body);
    if (event === 'REQUEST_CHANGES' && !body.trim())
      throw unresolvable('Review body is required when requesting changes');
    const states = {
      APPROVE: 'APPROVED',
      REQUEST_CHANGES: 'CHANGES_REQUESTED',
      COMMENT: 'COMMENTED',
    } as const;
    review.state = states[event as keyof typeof states];
    review.body = body;
    review.submittedAt = now();
    return { status: 200, body: ctx.shapes.review(repo, review) };
  },

  'pulls/dismiss-review': (ctx) => {
    const { repo, review } = reviewFor(ctx);
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') {
      throw unresolvable(`Can not dismiss a ${review.state.toLowerCase()} pull request review`);
    }
    review.state = 'DISMISSED';
    return { status: 200, body: ctx.shapes.review(repo, review) };
  },

  'pulls/delete-pending-review': (ctx) => {
    const { repo, review } = reviewFor(ctx);
    if (review.state !== 'PENDING') throw unresolvable('Can not delete a non-pending pull request review');
    ctx.state.reviews.splice(ctx.state.reviews.indexOf(review), 1);
    for (let i = ctx.state.reviewComments.length - 1; i >= 0; i--) {
      if (ctx.state.reviewComments[i].reviewId === review.id) ctx.state.reviewComments.splice(i, 1);
    }
    return { status: 200, body: ctx.shapes.review(repo, review) };
  },

  'pulls/create-reply-for-review-comment': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    return reply(ctx, repo, pr, Number(ctx.params.comment_id), String(ctx.body.body));
  },

  'pulls/list-commits': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const head = ctx.state.headSha(pr);
    const base = repo.git.mergeBase(ctx.state.baseSha(repo, pr), head);
    const excluded = base ? repo.git.ancestors(base) : new Set<string>();
    // Oldest first, as GitHub lists them.
    const shas = [...repo.git.ancestors(head)].filter((s) => !excluded.has(s)).reverse();
    const { page, headers } = paginate(ctx, shas);
    return {
      status: 200,
      headers,
      body: page.map((sha) => {
        // The list has each commit without its files and stats.
        const commit = ctx.shapes.commit(repo, sha);
        delete commit.files;
        delete commit.stats;
        return commit;
      }),
    };
  },

  'pulls/list-comments-for-review': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const id = Number(ctx.params.review_id);
    if (!ctx.state.reviews.some((r) => r.id === id && r.pullNumber === pr.number)) throw notFound();
    const { page, headers } = paginate(
      ctx,
      reviewComments(ctx, repo, pr).filter((c) => c.reviewId === id),
    );
    return { status: 200, headers, body: page.map((c) => ctx.shapes.reviewComment(repo, c)) };
  },

  'pulls/create-review': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const body = ctx.body as { commit_id?: string; body?: string; event?: string; comments?: CommentInput[] };
    const commitId = commitOfPull(ctx, repo, pr, body.commit_id);
    const comments = body.comments ?? [];
    checkBodyLength(body.body, 'PullRequestReview');
    for (const c of comments) checkBodyLength(c.body, 'PullRequestReviewComment');
    if (body.event === 'REQUEST_CHANGES' && !body.body?.trim()) {
      throw unresolvable('Review body is required when requesting changes');
    }
    if (body.event === 'COMMENT' && !body.body?.trim() && comments.length === 0) {
      throw unresolvable('Review body is required for a comment review without comments');
    }
    if (
      body.event !== undefined &&
      ctx.state.reviews.some(
        (r) => r.pullNumber === pr.number && r.owner === repo.owner && r.state === 'PENDING',
      )
    ) {
      throw unresolvable('User can only have one pending review per pull request');
    }
    // All comments are placed before anything is stored: GitHub rejects the whole review.
    const placed = comments.map((c) => place(ctx, repo, pr, commitId, c));
    const states = {
      APPROVE: 'APPROVED',
      REQUEST_CHANGES: 'CHANGES_REQUESTED',
      COMMENT: 'COMMENTED',
    } as const;
    const review: ReviewRecord = {
      id: ctx.state.nextId('review'),
      owner: repo.owner,
      repo: repo.name,
      pullNumber: pr.number,
      user: actor(ctx),
      body: body.body ?? '',
      state: body.event ? states[body.event as keyof typeof states] : 'PENDING',
      commitId,
      submittedAt: body.event ? now() : null,
    };
    ctx.state.reviews.push(review);
    for (const p of placed) storeComment(ctx, repo, pr, review, commitId, p);
    return { status: 200, body: ctx.shapes.review(repo, review) };
  },

  'pulls/create-review-comment': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const body = ctx.body as CommentInput & {
      commit_id: string;
      in_reply_to?: number;
      subject_type?: string;
    };
    checkBodyLength(body.body, 'PullRequestReviewComment');
    if (body.in_reply_to !== undefined) return reply(ctx, repo, pr, body.in_reply_to, body.body);
    const commitId = commitOfPull(ctx, repo, pr, body.commit_id);
    let placed: PlacedComment;
    try {
      placed = place(ctx, repo, pr, commitId, body);
    } catch (e) {
      // The single-comment endpoint reports placement errors as "Validation Failed".
      if (!(e instanceof HttpError) || e.status !== 422) throw e;
      const reason = (e.extra.errors as string[] | undefined)?.[0] ?? e.message;
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'PullRequestReviewComment',
            code: 'custom',
            field: 'pull_request_review_thread.line',
            message: `${reason}: pull_request_review_thread.line must be part of the diff`,
          },
        ],
      });
    }
    const review: ReviewRecord = {
      id: ctx.state.nextId('review'),
      owner: repo.owner,
      repo: repo.name,
      pullNumber: pr.number,
      user: actor(ctx),
      body: '',
      state: 'COMMENTED',
      commitId,
      submittedAt: now(),
    };
    ctx.state.reviews.push(review);
    const record = storeComment(ctx, repo, pr, review, commitId, placed);
    return { status: 201, body: ctx.shapes.reviewComment(repo, record) };
  },

  'pulls/list-review-comments': (ctx) => {
    const { repo, pr } = pullFor(ctx);
    const since = ctx.query.since === undefined ? undefined : String(ctx.query.since);
    const sortKey = ctx.query.sort === 'updated' ? 'updatedAt' : 'createdAt';
    const desc = ctx.query.direction === 'desc';
    const comments = reviewComments(ctx, repo, pr)
      .filter((c) => !since || Date.parse(c.updatedAt) >= Date.parse(since))
      .sort(
        (a, b) =>
          (a[sortKey] === b[sortKey] ? a.id - b.id : a[sortKey] < b[sortKey] ? -1 : 1) * (desc ? -1 : 1),
      );
    const { page, headers } = paginate(ctx, comments);
    return { status: 200, headers, body: page.map((c) => ctx.shapes.reviewComment(repo, c)) };
  },

  'pulls/get-review-comment': (ctx) => {
    const { repo, comment } = commentFor(ctx);
    return { status: 200, body: ctx.shapes.reviewComment(repo, comment) };
  },

  'pulls/update-review-comment': (ctx) => {
    const { repo, comment } = commentFor(ctx);
    checkBodyLength(ctx.body.body, 'PullRequestReviewComment');
    comment.body = String(ctx.body.body);
    comment.updatedAt = now();
    return { status: 200, body: ctx.shapes.reviewComment(repo, comment) };
  },

  'pulls/delete-review-comment': (ctx) => {
    const { comment } = commentFor(ctx);
    ctx.state.reviewComments.splice(ctx.state.reviewComments.indexOf(comment), 1);
    return { status: 204 };
  },
};
