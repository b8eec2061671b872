/** What request handlers receive and return, GitHub-style errors, and Link-header pagination. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Shapes } from './shapes';
import type { DoubleState, RepoRecord, TokenRecord } from './state';

export type Auth = { kind: 'app' } | { kind: 'installation'; token: TokenRecord };

export interface HandlerContext {
  state: DoubleState;
  shapes: Shapes;
  /** Path parameters, coerced to the description's types. */
  params: Record<string, unknown>;
  /** Query parameters, coerced, with the description's defaults filled in. */
  query: Record<string, unknown>;
  // Bodies are checked against the operation's JSON schema before a handler runs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: IncomingHttpHeaders;
  auth: Auth;
  /** The URL as requested (with `/api/v3` when the client used it), for Link headers. */
  requestUrl: URL;
  operationId: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A non-JSON body (raw file contents, diffs); sent with `contentType`. */
  text?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => Reply;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');

/** GitHub's 422: `{"message": "Unprocessable Entity", "errors": [...]}` or a specific message. */
export const unprocessable = (message: string, errors?: unknown[]): HttpError =>
  new HttpError(422, message, errors ? { errors } : {});

/** The repository named by `owner`/`repo`, visible to the caller's token, or a 404. */
export function repoFor(ctx: HandlerContext): RepoRecord {
  const repo = ctx.state.repo(String(ctx.params.owner), String(ctx.params.repo));
  if (!repo) throw notFound();
  if (ctx.auth.kind === 'installation' && ctx.auth.token.repositories) {
    const allowed = ctx.auth.token.repositories.map((r) => r.toLowerCase());
    if (!allowed.includes(repo.name.toLowerCase())) throw notFound();
  }
  return repo;
}

/** One page of `items` per `per_page` (max 100) and `page`, with GitHub's Link header. */
export function paginate<T>(ctx: HandlerContext, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30), 1), 100);
  const page = Math.max(Number(ctx.query.page ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number) => {
    const u = new URL(ctx.requestUrl.href);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return u.href;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`<${link(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`);
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length ? { link: rels.join(', ') } : {},
  };
}

/** The media type format asked for in `Accept` (`application/vnd.github.v3.raw`, `.diff`, ...), or `json`. */
export function mediaFormat(ctx: HandlerContext): 'raw' | 'diff' | 'patch' | 'json' {
  const accept = String(ctx.headers.accept ?? '');
  const m = /application\/vnd\.github(?:\.v3)?\.(raw|diff|patch)/.exec(accept);
  return m ? (m[1] as 'raw' | 'diff' | 'patch') : 'json';
}

/** Base64 as GitHub sends file contents: wrapped at 60 characters, newline-terminated. */
export function wrappedBase64(content: Buffer): string {
  const b64 = content.toString('base64');
  return b64.length ? `${b64.match(/.{1,60}/g)?.join('\n')}\n` : '';
}

/** GitHub's limit on comment and review bodies. */
export function checkBodyLength(body: unknown, resource: string): void {
  if (typeof body === 'string' && body.length > 65536) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [
        {
          resource,
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
    });
  }
}
