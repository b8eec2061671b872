/** Issue comments (pull requests are issues too) and their reactions. */
import {
  HttpError,
  checkBodyLength,
  notFound,
  paginate,
  repoFor,
  type Handler,
  type HandlerContext,
} from '../context';
import { now, type IssueCommentRecord, type RepoRecord } from '../state';

function issueFor(ctx: HandlerContext) {
  const repo = repoFor(ctx);
  const pr = ctx.state.pull(repo, Number(ctx.params.issue_number));
  if (!pr) throw notFound();
  return { repo, pr };
}

function commentFor(ctx: HandlerContext): { repo: RepoRecord; comment: IssueCommentRecord } {
  const repo = repoFor(ctx);
  const comment = ctx.state.issueComments.find(
    (c) => c.id === Number(ctx.params.comment_id) && c.owner === repo.owner && c.repo === repo.name,
  );
  if (!comment) throw notFound();
  return { repo, comment };
}

function checkBody(body: unknown): string {
  const text = String(body ?? '');
  if (!text.trim()) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
    });
  }
  checkBodyLength(text, 'IssueComment');
  return text;
}

export const issueHandlers: Record<string, Handler> = {
  'issues/get': (ctx) => {
    const { repo, pr } = issueFor(ctx);
    return { status: 200, body: ctx.shapes.issueForPull(repo, pr) };
  },

  'issues/list-comments': (ctx) => {
    const { repo, pr } = issueFor(ctx);
    const since = ctx.query.since === undefined ? undefined : Date.parse(String(ctx.query.since));
    const comments = ctx.state.issueComments.filter(
      (c) =>
        c.owner === repo.owner &&
        c.repo === repo.name &&
        c.issueNumber === pr.number &&
        (since === undefined || Date.parse(c.updatedAt) >= since),
    );
    const { page, headers } = paginate(ctx, comments);
    return { status: 200, headers, body: page.map((c) => ctx.shapes.issueComment(repo, c)) };
  },

  'issues/create-comment': (ctx) => {
    const { repo, pr } = issueFor(ctx);
    const comment: IssueCommentRecord = {
      id: ctx.state.nextId('issueComment'),
      owner: repo.owner,
      repo: repo.name,
      issueNumber: pr.number,
      user: ctx.shapes.botLogin,
      body: checkBody(ctx.body.body),
      viaApp: true,
      createdAt: now(),
      updatedAt: now(),
    };
    ctx.state.issueComments.push(comment);
    return { status: 201, body: ctx.shapes.issueComment(repo, comment) };
  },

  'issues/get-comment': (ctx) => {
    const { repo, comment } = commentFor(ctx);
    return { status: 200, body: ctx.shapes.issueComment(repo, comment) };
  },

  'issues/update-comment': (ctx) => {
    const { repo, comment } = commentFor(ctx);
    comment.body = checkBody(ctx.body.body);
    comment.updatedAt = now();
    return { status: 200, body: ctx.shapes.issueComment(repo, comment) };
  },

  'issues/delete-comment': (ctx) => {
    const { comment } = commentFor(ctx);
    ctx.state.issueComments.splice(ctx.state.issueComments.indexOf(comment), 1);
    for (let i = ctx.state.reactions.length - 1; i >= 0; i--) {
      if (ctx.state.reactions[i].commentId === comment.id) ctx.state.reactions.splice(i, 1);
    }
    return { status: 204 };
  },

  'reactions/create-for-issue-comment': (ctx) => {
    const { comment } = commentFor(ctx);
    const content = String(ctx.body.content);
    const user = ctx.shapes.botLogin;
    const existing = ctx.state.reactions.find(
      (r) => r.commentId === comment.id && r.user === user && r.content === content,
    );
    if (existing) return { status: 200, body: ctx.shapes.reaction(existing) };
    const reaction = {
      id: ctx.state.nextId('reaction'),
      commentId: comment.id,
      user,
      content,
      createdAt: now(),
    };
    ctx.state.reactions.push(reaction);
    return { status: 201, body: ctx.shapes.reaction(reaction) };
  },

  'reactions/list-for-issue-comment': (ctx) => {
    const { comment } = commentFor(ctx);
    const reactions = ctx.state.reactions.filter(
      (r) =>
        r.commentId === comment.id && (ctx.query.content === undefined || r.content === ctx.query.content),
    );
    const { page, headers } = paginate(ctx, reactions);
    return { status: 200, headers, body: page.map((r) => ctx.shapes.reaction(r)) };
  },

  'reactions/delete-for-issue-comment': (ctx) => {
    const { comment } = commentFor(ctx);
    const i = ctx.state.reactions.findIndex(
      (r) => r.commentId === comment.id && r.id === Number(ctx.params.reaction_id),
    );
    if (i < 0) throw notFound();
    ctx.state.reactions.splice(i, 1);
    return { status: 204 };
  },
};
