/**
 * The HTTP side: every request is routed by GitHub's OpenAPI description, validated against it,
 * authenticated, possibly failed on purpose (failNext), then answered by the operation's handler.
 * Requests that match no operation or do not validate are answered as GitHub would (404, 400, 422)
 * and recorded as violations.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HttpError, type Auth, type Handler, type Reply } from './context';
import type { Authenticator } from './auth';
import type { OpenApi } from './openapi';
import type { Shapes } from './shapes';
import type { DoubleState } from './state';

export interface RequestLogEntry {
  method: string;
  /** The path without the `/api/v3` prefix and without the query string. */
  path: string;
  query: string;
  status: number;
  at: number;
  operationId?: string;
  /** Answered by a failNext rule. */
  injected?: boolean;
}

export interface Violation {
  method: string;
  path: string;
  message: string;
  kind: 'route' | 'json' | 'path' | 'query' | 'body' | 'response' | 'unimplemented' | 'crash';
  operationId?: string;
}

export interface FailureRule {
  method?: string;
  path: RegExp;
  status: number;
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ServerStats {
  requests: number;
  /** Total time spent in request validation (routing, parameters, body), in ms. */
  validationMs: number;
  /** Total time spent in response validation (debug mode), in ms. */
  responseValidationMs: number;
}

const DOCS = 'https://docs.github.com/rest';

export class DoubleServer {
  readonly requests: RequestLogEntry[] = [];
  readonly violations: Violation[] = [];
  readonly rules: (FailureRule & { remaining: number })[] = [];
  readonly stats: ServerStats = { requests: 0, validationMs: 0, responseValidationMs: 0 };
  private readonly server: Server;
  private readonly used = new Map<string, number>();
  private readonly rateReset = Math.floor(Date.now() / 1000) + 3600;

  constructor(
    private readonly openapi: OpenApi,
    private readonly state: DoubleState,
    private readonly shapes: Shapes,
    private readonly auth: Authenticator,
    private readonly handlers: Record<string, Handler>,
    private readonly validateResponses: boolean,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ message: `double crashed: ${String(e)}` }));
      });
    });
    // Keep-alive sockets must not hold close() up.
    this.server.keepAliveTimeout = 1000;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = (req.method ?? 'GET').toUpperCase();
    const requestUrl = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    let path = requestUrl.pathname;
    if (path === '/api/v3' || path.startsWith('/api/v3/')) path = path.slice('/api/v3'.length) || '/';
    const entry: RequestLogEntry = { method, path, query: requestUrl.search, status: 0, at: Date.now() };
    this.requests.push(entry);
    this.stats.requests++;
    const reply = this.process(method, path, requestUrl, raw, req, entry);
    entry.status = reply.status;
    this.send(res, reply, req.headers.authorization);
  }

  private violation(
    v: Violation,
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
  ): Reply {
    this.violations.push(v);
    return this.error(status, message, extra);
  }

  private error(status: number, message: string, extra: Record<string, unknown> = {}, headers = {}): Reply {
    return { status, headers, body: { message, ...extra, documentation_url: DOCS, status: String(status) } };
  }

  private process(
    method: string,
    path: string,
    requestUrl: URL,
    raw: Buffer,
    req: IncomingMessage,
    entry: RequestLogEntry,
  ): Reply {
    const validationStart = performance.now();
    const routed = this.openapi.route(method, path);
    if (routed.kind !== 'match') {
      this.stats.validationMs += performance.now() - validationStart;
      const why =
        routed.kind === 'wrong-method'
          ? `${method} is not an operation on ${path} (GitHub's description has ${routed.allowed.join(', ')})`
          : `no operation in GitHub's REST API description matches ${method} ${path}`;
      return this.violation({ method, path, kind: 'route', message: why }, 404, 'Not Found');
    }
    const { operation, pathParams } = routed.match;
    entry.operationId = operation.operationId;
    const v = { method, path, operationId: operation.operationId };
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        this.stats.validationMs += performance.now() - validationStart;
        return this.violation(
          { ...v, kind: 'json', message: 'body is not valid JSON' },
          400,
          'Problems parsing JSON',
        );
      }
    }
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of requestUrl.searchParams) {
      const prev = query[key];
      query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    const checked = this.openapi.validateRequest(operation, {
      pathParams,
      query,
      body,
      hasBody: raw.length > 0,
      contentType: req.headers['content-type'],
    });
    this.stats.validationMs += performance.now() - validationStart;
    if (!checked.ok) {
      const f = checked.failure;
      return this.violation(
        { ...v, kind: f.where, message: `${operation.operationId}: ${f.message}` },
        f.status,
        f.status === 422 ? f.message : `Invalid request: ${f.message}`,
      );
    }
    let auth: Auth;
    try {
      auth = this.auth.authenticate(req.headers.authorization, operation.template);
    } catch (e) {
      if (e instanceof HttpError) return this.error(e.status, e.message, e.extra, e.headers);
      throw e;
    }
    const injected = this.injectedFailure(method, path);
    if (injected) {
      entry.injected = true;
      return injected;
    }
    const handler = this.handlers[operation.operationId];
    if (!handler) {
      return this.violation(
        {
          ...v,
          kind: 'unimplemented',
          message: `${operation.operationId} is valid but not implemented by the double`,
        },
        501,
        `Not implemented by the GitHub double: ${operation.operationId}`,
      );
    }
    let reply: Reply;
    try {
      reply = handler({
        state: this.state,
        shapes: this.shapes,
        params: checked.value.params,
        query: checked.value.query,
        body,
        headers: req.headers,
        auth,
        requestUrl,
        operationId: operation.operationId,
      });
    } catch (e) {
      if (e instanceof HttpError) reply = this.error(e.status, e.message, e.extra, e.headers);
      else {
        return this.violation(
          {
            ...v,
            kind: 'crash',
            message: `handler threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          },
          500,
          'Server Error',
        );
      }
    }
    if (this.validateResponses && reply.body !== undefined && reply.text === undefined) {
      const started = performance.now();
      // Validate what goes on the wire (undefined fields dropped).
      const problem = this.openapi.validateResponse(
        operation,
        reply.status,
        JSON.parse(JSON.stringify(reply.body)),
      );
      this.stats.responseValidationMs += performance.now() - started;
      if (problem)
        this.violations.push({ ...v, kind: 'response', message: `${operation.operationId}: ${problem}` });
    }
    return reply;
  }

  private injectedFailure(method: string, path: string): Reply | undefined {
    const rule = this.rules.find((r) => {
      r.path.lastIndex = 0;
      return r.remaining > 0 && (!r.method || r.method.toUpperCase() === method) && r.path.test(path);
    });
    if (!rule) return undefined;
    rule.remaining--;
    const headers = { ...(rule.headers ?? {}) };
    const lower = Object.fromEntries(Object.entries(headers).map(([k, val]) => [k.toLowerCase(), val]));
    let message = 'Server Error';
    if (rule.status === 403 || rule.status === 429) {
      if (lower['x-ratelimit-remaining'] === '0') {
        message = `API rate limit exceeded for installation ID ${this.shapes.app.installationId}.`;
        if (!lower['x-ratelimit-reset'])
          headers['x-ratelimit-reset'] = String(Math.floor(Date.now() / 1000) + 1);
      } else {
        message =
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';
      }
    } else if (rule.status < 500) {
      message = `Injected ${rule.status}`;
    }
    if (rule.body !== undefined) return { status: rule.status, body: rule.body, headers };
    return this.error(rule.status, message, {}, headers);
  }

  private send(res: ServerResponse, reply: Reply, authorization: string | undefined): void {
    const key = authorization ?? '';
    const used = (this.used.get(key) ?? 0) + 1;
    this.used.set(key, used);
    const headers: Record<string, string> = {
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(5000 - used, 0)),
      'x-ratelimit-reset': String(this.rateReset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
    };
    let payload: Buffer | string = '';
    if (reply.text !== undefined) {
      headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
      payload = reply.text;
    } else if (reply.body !== undefined && reply.status !== 204) {
      headers['content-type'] = 'application/json; charset=utf-8';
      payload = JSON.stringify(reply.body);
    }
    Object.assign(headers, reply.headers ?? {});
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}
