/**
 * GitHub's official OpenAPI description (@octokit/openapi, api.github.com) as a router and a request
 * validator. The 13 MB document is read once per process, on first use; ajv validators are compiled
 * per operation on first use and cached.
 *
 * OpenAPI 3.0 is not JSON Schema: `nullable` is rewritten to JSON Schema types once at load, and the
 * document's `components` are registered with ajv under one id so that `#/components/...` references
 * resolve without dereferencing the whole document.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Operation {
  operationId: string;
  method: string;
  /** The path template as the description spells it, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  template: string;
  raw: JsonObject;
}

export interface RouteMatch {
  operation: Operation;
  pathParams: Record<string, string>;
}

export type RouteResult =
  { kind: 'match'; match: RouteMatch } | { kind: 'no-path' } | { kind: 'wrong-method'; allowed: string[] };

export interface RequestToValidate {
  pathParams: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  hasBody: boolean;
  contentType: string | undefined;
}

export interface ValidatedRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
}

export type ValidationFailure = { where: 'path' | 'query' | 'body'; status: 400 | 422; message: string };

const SPEC_ID = 'https://github-double.invalid/api.github.com.json';
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/**
 * Path templates by segment. Templates that share a position share the parameter node whatever
 * they call the parameter (`commits/{ref}` and `commits/{commit_sha}/pulls`), so each leaf keeps its
 * own template's parameter names and values are collected by position.
 */
interface TrieNode {
  literal: Map<string, TrieNode>;
  param?: TrieNode;
  /** A final `{path}` parameter that takes the rest of the path, slashes included. */
  rest?: Leaf;
  leaf?: Leaf;
}

interface Leaf {
  template: string;
  item: JsonObject;
  names: string[];
}

interface OperationValidators {
  path?: ValidateFunction;
  query?: ValidateFunction;
  queryNames: Set<string>;
  body?: ValidateFunction;
  bodyRequired: boolean;
  bodyContentTypes: string[];
  responses: Map<string, ValidateFunction | null>;
}

export class OpenApi {
  readonly loadMs: number;
  readonly operationCount: number;
  private readonly spec: JsonObject;
  private readonly root: TrieNode = { literal: new Map() };
  private readonly operations = new Map<string, Operation>();
  private readonly validators = new Map<string, OperationValidators>();
  private readonly bodyAjv: Ajv;
  private readonly paramAjv: Ajv;
  /** Time spent compiling validators, for the timing report. */
  compileMs = 0;

  constructor(file: string) {
    const start = performance.now();
    this.spec = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    const components = this.spec.components as JsonObject;
    for (const key of ['schemas', 'parameters', 'responses', 'headers']) normalizeNullable(components[key]);
    normalizeNullable(this.spec.paths);
    this.buildRouter();
    this.operationCount = this.operations.size;
    const componentsSchema = { $id: SPEC_ID, components: { ...components, examples: {} } };
    // Bodies are checked as GitHub reads them (no type coercion); query and path values are strings
    // on the wire, so their validator coerces them and fills in defaults (per_page 30, page 1).
    this.bodyAjv = makeAjv({});
    this.paramAjv = makeAjv({ coerceTypes: 'array', useDefaults: true });
    this.bodyAjv.addSchema(componentsSchema);
    this.paramAjv.addSchema(componentsSchema);
    this.loadMs = performance.now() - start;
  }

  route(method: string, path: string): RouteResult {
    const segments = path.split('/').slice(1);
    const found = this.findItem(this.root, segments, 0, []);
    if (!found) return { kind: 'no-path' };
    const raw = found.item[method.toLowerCase()];
    if (!raw || typeof raw !== 'object') {
      return {
        kind: 'wrong-method',
        allowed: METHODS.filter((m) => m in found.item).map((m) => m.toUpperCase()),
      };
    }
    const operation = this.operations.get(`${method.toUpperCase()} ${found.template}`);
    if (!operation) return { kind: 'no-path' };
    return { kind: 'match', match: { operation, pathParams: found.params } };
  }

  /** Validates (and coerces) path, query and body; returns the first failure. */
  validateRequest(
    op: Operation,
    req: RequestToValidate,
  ): { ok: true; value: ValidatedRequest } | { ok: false; failure: ValidationFailure } {
    const v = this.validatorsFor(op);
    const params: Record<string, unknown> = { ...req.pathParams };
    if (v.path && !v.path(params)) {
      return { ok: false, failure: { where: 'path', status: 400, message: describe(v.path.errors, 'path') } };
    }
    const query: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(req.query)) {
      if (!v.queryNames.has(name)) {
        return {
          ok: false,
          failure: {
            where: 'query',
            status: 400,
            message: `unknown query parameter "${name}" for ${op.operationId} (GitHub ignores it; a typo here is a bug)`,
          },
        };
      }
      query[name] = value;
    }
    if (v.query && !v.query(query)) {
      return {
        ok: false,
        failure: { where: 'query', status: 400, message: describe(v.query.errors, 'query') },
      };
    }
    if (!req.hasBody) {
      if (v.bodyRequired) {
        return {
          ok: false,
          failure: { where: 'body', status: 400, message: `${op.operationId} requires a body` },
        };
      }
    } else if (v.bodyContentTypes.length === 0) {
      const empty = req.body && typeof req.body === 'object' && Object.keys(req.body).length === 0;
      if (!empty) {
        return {
          ok: false,
          failure: { where: 'body', status: 400, message: `${op.operationId} takes no request body` },
        };
      }
    } else {
      if (!v.bodyContentTypes.includes('application/json')) {
        return {
          ok: false,
          failure: {
            where: 'body',
            status: 400,
            message: `${op.operationId} takes ${v.bodyContentTypes.join(', ')}, which the double does not read`,
          },
        };
      }
      const type = (req.contentType ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        return {
          ok: false,
          failure: {
            where: 'body',
            status: 400,
            message: `content-type must be application/json, got "${req.contentType ?? ''}"`,
          },
        };
      }
      if (v.body && !v.body(req.body)) {
        // GitHub: wrong JSON value types → 400, invalid fields → 422 ("Invalid request").
        const wholeType = v.body.errors?.some((e) => e.instancePath === '' && e.keyword === 'type');
        return {
          ok: false,
          failure: {
            where: 'body',
            status: wholeType ? 400 : 422,
            message: `Invalid request.\n\n${describe(v.body.errors, 'body')}`,
          },
        };
      }
    }
    return { ok: true, value: { params, query } };
  }

  /** Validates a JSON response against the operation's schema for that status; null when it conforms. */
  validateResponse(op: Operation, status: number, body: unknown): string | null {
    const v = this.validatorsFor(op);
    const key = String(status);
    if (!v.responses.has(key)) {
      const started = performance.now();
      v.responses.set(key, this.compileResponse(op, key));
      this.compileMs += performance.now() - started;
    }
    const validate = v.responses.get(key);
    if (validate === null) {
      const declared = Object.keys((op.raw.responses as JsonObject) ?? {});
      // The description does not list every error GitHub may answer (404s, 422s, 5xx).
      return declared.includes(key) || declared.includes('default') || status >= 400
        ? null
        : `status ${status} is not a documented response of ${op.operationId} (${declared.join(', ')})`;
    }
    if (validate && !validate(body)) return describe(validate.errors, 'response');
    return null;
  }

  private compileResponse(op: Operation, status: string): ValidateFunction | null {
    const responses = (op.raw.responses as JsonObject) ?? {};
    let response = (responses[status] ?? responses.default) as JsonObject | undefined;
    if (!response) return null;
    if (typeof response.$ref === 'string') response = this.resolve(response.$ref) as JsonObject;
    const content = response.content as JsonObject | undefined;
    const json = content?.['application/json'] as JsonObject | undefined;
    if (!json?.schema) return null;
    return this.bodyAjv.compile(absolutize(json.schema) as object);
  }

  private validatorsFor(op: Operation): OperationValidators {
    const key = `${op.method} ${op.template}`;
    const cached = this.validators.get(key);
    if (cached) return cached;
    const started = performance.now();
    const pathItem = this.pathItem(op.template);
    const parameters = [
      ...((pathItem.parameters as Json[]) ?? []),
      ...((op.raw.parameters as Json[]) ?? []),
    ].map((p) => this.deref(p) as JsonObject);
    const objectSchema = (where: string) => {
      const ps = parameters.filter((p) => p.in === where);
      return {
        names: new Set(ps.map((p) => String(p.name))),
        schema: {
          type: 'object',
          properties: Object.fromEntries(ps.map((p) => [p.name, absolutize(p.schema ?? {})])),
          required: ps.filter((p) => p.required === true).map((p) => p.name),
        },
      };
    };
    const path = objectSchema('path');
    const query = objectSchema('query');
    let requestBody = op.raw.requestBody as JsonObject | undefined;
    if (requestBody && typeof requestBody.$ref === 'string')
      requestBody = this.resolve(requestBody.$ref) as JsonObject;
    const content = (requestBody?.content as JsonObject) ?? {};
    const jsonBody = content['application/json'] as JsonObject | undefined;
    const v: OperationValidators = {
      path: path.names.size ? this.paramAjv.compile(path.schema) : undefined,
      query: query.names.size ? this.paramAjv.compile(query.schema) : undefined,
      queryNames: query.names,
      body: jsonBody?.schema ? this.bodyAjv.compile(absolutize(jsonBody.schema) as object) : undefined,
      bodyRequired: requestBody?.required === true,
      bodyContentTypes: Object.keys(content),
      responses: new Map(),
    };
    this.validators.set(key, v);
    this.compileMs += performance.now() - started;
    return v;
  }

  private deref(value: Json): Json {
    let v = value;
    while (v && typeof v === 'object' && !Array.isArray(v) && typeof v.$ref === 'string')
      v = this.resolve(v.$ref);
    return v;
  }

  private resolve(ref: string): Json {
    if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref}`);
    let node: Json = this.spec;
    for (const raw of ref.slice(2).split('/')) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!node || typeof node !== 'object' || Array.isArray(node)) throw new Error(`bad $ref ${ref}`);
      node = node[part];
    }
    return node;
  }

  private pathItem(template: string): JsonObject {
    return (this.spec.paths as JsonObject)[template] as JsonObject;
  }

  private buildRouter(): void {
    for (const [template, item] of Object.entries(this.spec.paths as JsonObject)) {
      const pathItem = item as JsonObject;
      for (const method of METHODS) {
        const raw = pathItem[method];
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
        const operation: Operation = {
          operationId: String(raw.operationId),
          method: method.toUpperCase(),
          template,
          raw,
        };
        this.operations.set(`${operation.method} ${template}`, operation);
      }
      const segments = template.split('/').slice(1);
      // `compare/{base}...{head}` (repos/compare-commits) is the older spelling of `compare/{basehead}`.
      if (segments.some((seg) => seg.includes('{') && !/^\{[^{}]+\}$/.test(seg))) continue;
      const names = segments.map((seg) => /^\{([^{}]+)\}$/.exec(seg)?.[1]).filter((n): n is string => !!n);
      const leaf: Leaf = { template, item: pathItem, names };
      let node = this.root;
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i];
        const isParam = /^\{[^{}]+\}$/.test(seg);
        if (isParam && i === segments.length - 1 && seg === '{path}') {
          node.rest = leaf;
          break;
        }
        if (isParam) {
          node = node.param ??= { literal: new Map() };
        } else {
          let next = node.literal.get(seg);
          if (!next) node.literal.set(seg, (next = { literal: new Map() }));
          node = next;
        }
        if (i === segments.length - 1) node.leaf = leaf;
      }
    }
  }

  /** Literal segments win over parameters (as GitHub routes `/pulls/comments` before `/pulls/{number}`). */
  private findItem(
    node: TrieNode,
    segments: string[],
    i: number,
    values: string[],
  ): { template: string; item: JsonObject; params: Record<string, string> } | null {
    const found = (leaf: Leaf, all: string[]) => ({
      template: leaf.template,
      item: leaf.item,
      params: Object.fromEntries(leaf.names.map((name, k) => [name, all[k]])),
    });
    if (i === segments.length) return node.leaf ? found(node.leaf, values) : null;
    const seg = segments[i];
    const literal = node.literal.get(seg);
    if (literal) {
      const match = this.findItem(literal, segments, i + 1, values);
      if (match) return match;
    }
    if (node.param && seg !== '') {
      const match = this.findItem(node.param, segments, i + 1, [...values, safeDecode(seg)]);
      if (match) return match;
    }
    if (node.rest && segments.slice(i).every((s) => s !== '')) {
      return found(node.rest, [...values, segments.slice(i).map(safeDecode).join('/')]);
    }
    return null;
  }
}

let shared: OpenApi | undefined;

/** The description, loaded on first call and shared by every double in the process. */
export function loadOpenApi(): OpenApi {
  shared ??= new OpenApi(require.resolve('@octokit/openapi/generated/api.github.com.json'));
  return shared;
}

function makeAjv(extra: { coerceTypes?: 'array'; useDefaults?: boolean }): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, logger: false, ...extra });
  addFormats(ajv);
  // Formats GitHub's description uses that ajv-formats does not define; documentation only.
  for (const format of ['repo.nwo', 'timestamp']) ajv.addFormat(format, true);
  return ajv;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema (`type: [t, 'null']`, or `anyOf` when there is no type). */
function normalizeNullable(node: Json | undefined): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) normalizeNullable(item);
    return;
  }
  for (const value of Object.values(node)) normalizeNullable(value);
  if (!('nullable' in node) || typeof node.nullable !== 'boolean') return;
  const nullable = node.nullable;
  delete node.nullable;
  if (!nullable) return;
  if (typeof node.type === 'string') {
    node.type = [node.type, 'null'];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum.push(null);
  } else if (Array.isArray(node.type)) {
    if (!node.type.includes('null')) node.type.push('null');
  } else {
    const rest: JsonObject = { ...node };
    for (const key of Object.keys(node)) delete node[key];
    node.anyOf = [rest, { type: 'null' }];
  }
}

/** A copy of an operation-level schema whose `#/...` references point into the registered components. */
function absolutize(node: Json): Json {
  if (!node || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(absolutize);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? SPEC_ID + v : absolutize(v);
  }
  return out;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string {
  if (!errors?.length) return `${where} is invalid`;
  return errors
    .slice(0, 5)
    .map((e) => {
      const at = e.instancePath ? `${where}${e.instancePath.replace(/\//g, '.')}` : where;
      const extra =
        e.keyword === 'enum'
          ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')})`
          : e.keyword === 'additionalProperties'
            ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")`
            : '';
      return `${at} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}
