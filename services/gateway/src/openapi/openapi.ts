import { z } from 'zod';
import { ERROR_CODES, requestExamplesOf } from '@civil/contracts';
import { ROUTES, type GatewayRoute } from '../routes/route-table';
import { devTokenRequestSchema } from '../auth/dev-tokens';

type JsonSchema = Record<string, unknown>;

/**
 * The department each tag stands for, shown by Swagger UI above its operations. Every tag of the
 * route table needs one (a unit test checks it).
 */
export const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'social-assistance':
    '社会救助 — social assistance: households and their incomes and assets, household economic verification, 低保 applications and periodic reviews, 特困供养 (persons in extreme poverty), 临时救助 (temporary and emergency assistance), charity campaigns and donations, and the monthly payrolls with their bank files.',
  'social-affairs':
    '社会事务 — social affairs: marriage appointments, registrations and certificates, divorce by agreement (cooling-off and lapse), 「镜圆」 marriage counselling, social organisations (registration, inspection, grading, census), social work, child and disability allowances with their payrolls, and cemetery-visit booking.',
  'elderly-care':
    '养老服务 — elderly care: care institutions (beds, admissions, occupancy, inspections and findings), older residents and their age allowances (register, sweep, payroll), home adaptation for older people, and the city platform feed.',
  'place-names': '地名管理 — the gazetteer: places already named, their former and colloquial names, abolition, and bulk import and export (CSV, GeoJSON).',
  divisions: '行政区划 — administrative divisions and their changes over time (create, rename, recode, move, merge, split, abolish), as of any date.',
  naming: '地名命名 — naming and renaming proposals through review, approval and announcement, and the naming rules (forbidden and foreign words).',
  'place-name-audits': '地名质量核查 — audit campaigns of the gazetteer’s quality: reviewers, per-record results, closing a campaign.',
  reports:
    '统计与绩效 — reporting (leadership and the finance office): event counters, live indicators and dashboards, budgets and their execution, stated figures and validation rules, and the annual departmental expenditure performance evaluation report with its review and sign-off.',
  'audit-log':
    '审计日志 — the audit log (auditors): every write, every reveal of personal data and every refused request, with who, what, which record, when, from where and the trace id.',
  development: 'Development only: issuing tokens without an identity provider (DEV_TOKENS_ENABLED=true; never in production).',
};

/** Error statuses every operation may answer with, and those only an operation with a body may. */
const COMMON_ERRORS = ['400', '401', '403', '404', '429', '500', '503', '504'] as const;
const BODY_ERRORS = ['409', '413', '422'] as const;
/** Only an operation with path parameters: one longer than the HTTP router takes. */
const PATH_ERRORS = ['414'] as const;
/**
 * A download's paging cursor: the gateway sends it to the service to fetch the pages after the
 * first, and streams them all as one file. It is not part of the public API (a client that sends
 * it gets a fragment of a file), so the document leaves it out.
 */
export const DOWNLOAD_PAGING_FIELDS: readonly string[] = ['exportId', 'after'];

const problemSchema: JsonSchema = {
  type: 'object',
  description:
    'RFC 9457 problem details with the platform’s stable error `code` (libs/contracts/src/errors.ts) and the trace id to quote when reporting a problem.',
  required: ['type', 'title', 'status', 'code', 'detail', 'instance', 'traceId'],
  properties: {
    type: { type: 'string', description: 'urn:civil:problem:<code in kebab case>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: [...ERROR_CODES] },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path.' },
    traceId: { type: ['string', 'null'] },
    errors: {
      type: 'array',
      description: 'Validation errors: every bad field with the rule it broke.',
      items: {
        type: 'object',
        properties: { field: { type: 'string', description: 'A path such as members[0].residentId' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/**
 * The contracts define request schemas only: a service's reply is documented in its README, not
 * as a schema. Until replies get schemas, every JSON success is this named, open object.
 */
const serviceReplySchema: JsonSchema = {
  type: ['object', 'array'],
  description:
    'The service’s JSON reply: an object, or an array for some lists (indicators, validation rules, stated figures, organisations, charity campaigns). The contracts do not define reply schemas yet: see the department service’s README for its fields. Personal data (resident ID and phone numbers) is masked unless the caller holds the personal-data:reveal permission and sends X-Reveal-Reason.',
};

const geoJsonSchema: JsonSchema = {
  type: 'object',
  description: 'A GeoJSON FeatureCollection (RFC 7946).',
  required: ['type', 'features'],
  properties: { type: { const: 'FeatureCollection' }, features: { type: 'array', items: { type: 'object' } } },
};

const devTokenSchema: JsonSchema = {
  type: 'object',
  required: ['accessToken', 'tokenType', 'expiresIn'],
  properties: { accessToken: { type: 'string' }, tokenType: { const: 'Bearer' }, expiresIn: { type: 'integer', description: 'seconds' } },
};

const traceIdHeader: JsonSchema = {
  description: 'The W3C trace id of the request (quote it when reporting a problem).',
  schema: { type: 'string', pattern: '^[0-9a-f]{32}$' },
};

const idempotencyReplayedHeader: JsonSchema = {
  description: '`true` when this is the stored reply to an earlier request with the same Idempotency-Key.',
  schema: { type: 'string', enum: ['true'] },
};

const retryAfterHeader: JsonSchema = {
  description: 'Seconds to wait before trying again.',
  schema: { type: 'integer', minimum: 0 },
};

function problemExample(status: number, code: string, title: string, detail: string, extra: JsonSchema = {}): JsonSchema {
  return {
    type: `urn:civil:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    code,
    detail,
    instance: '/api/v1/place-names',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    ...extra,
  };
}

const ERROR_RESPONSES: Record<string, { name: string; description: string; example: JsonSchema; retryAfter?: boolean }> = {
  '400': {
    name: 'BadRequest',
    description: 'The request is not valid (VALIDATION_FAILED, RESIDENT_ID_INVALID, DIVISION_CODE_INVALID): every bad field is listed with the rule it broke.',
    example: problemExample(400, 'VALIDATION_FAILED', 'The request is not valid', 'invalid input: divisionCode (division-code)', {
      errors: [{ field: 'divisionCode', rule: 'division-code', message: 'not a division code of the district' }],
    }),
  },
  '401': {
    name: 'Unauthorized',
    description: 'No bearer token where the route needs one, or a token that is invalid or expired (UNAUTHENTICATED). Public routes answer it only for a bad token.',
    example: problemExample(401, 'UNAUTHENTICATED', 'Authentication required', 'this route needs a bearer token'),
  },
  '403': {
    name: 'Forbidden',
    description: 'The caller has none of the route’s roles, lacks a permission it asked to use, or the record lies outside the caller’s divisions (FORBIDDEN, OUT_OF_DIVISION_SCOPE).',
    example: problemExample(403, 'FORBIDDEN', 'Not allowed', 'this route needs one of the roles place-names-officer'),
  },
  '404': {
    name: 'NotFound',
    description: 'The record named by the path or the request does not exist, or is not visible to the caller (NOT_FOUND).',
    example: problemExample(404, 'NOT_FOUND', 'Not found', 'no place name 0b6f2d0e-6a3c-4f7e-9a55-6a8f1d3b2c10'),
  },
  '409': {
    name: 'Conflict',
    description: 'The request conflicts with the record’s current state: a stale version, a step out of order, a duplicate (CONFLICT, DUPLICATE_NAME).',
    example: problemExample(409, 'CONFLICT', 'Conflict with the current state', 'the record changed since version 3 was read'),
  },
  '413': {
    name: 'PayloadTooLarge',
    description: 'The request body is larger than the route accepts (BODY_LIMIT_BYTES, or the route’s own limit for a file upload).',
    example: problemExample(413, 'VALIDATION_FAILED', 'The request is not valid', 'the request body is too large', {
      errors: [{ field: '(body)', rule: 'max-size', message: 'Request body is too large' }],
    }),
  },
  '414': {
    name: 'UriTooLong',
    description: 'A path parameter is longer than the HTTP router accepts (100 characters).',
    example: problemExample(414, 'VALIDATION_FAILED', 'The request is not valid', 'a path parameter is too long', {
      errors: [{ field: '(path)', rule: 'max-length', message: 'a path parameter is at most 100 characters' }],
    }),
  },
  '422': {
    name: 'UnprocessableContent',
    description:
      'The business rules do not allow the request as asked, e.g. a person who does not meet the conditions (NOT_ELIGIBLE), or an Idempotency-Key sent again with a different request (IDEMPOTENCY_KEY_REUSED).',
    example: problemExample(422, 'NOT_ELIGIBLE', 'The rules do not allow it', 'the household’s per-capita income is above the 低保 standard'),
  },
  '429': {
    name: 'TooManyRequests',
    description:
      'Too many requests (RATE_LIMITED), counted per user for signed-in callers (citizens have a lower limit than staff) and per client address for the rest: wait Retry-After seconds.',
    example: problemExample(429, 'RATE_LIMITED', 'Too many requests', 'too many requests: at most 120 a minute; retry after 30 seconds'),
    retryAfter: true,
  },
  '500': {
    name: 'InternalError',
    description: 'An unexpected error (INTERNAL). It says nothing about internals: quote the trace id when reporting it.',
    example: problemExample(500, 'INTERNAL', 'Internal error', 'An unexpected error occurred. Quote the trace id when reporting it.'),
  },
  '503': {
    name: 'ServiceUnavailable',
    description: 'The department service that answers this route is not reachable (SERVICE_UNAVAILABLE).',
    example: problemExample(503, 'SERVICE_UNAVAILABLE', 'Service unavailable', 'place-names is not available'),
  },
  '504': {
    name: 'GatewayTimeout',
    description: 'The department service did not answer in time (TIMEOUT, NATS_REQUEST_TIMEOUT_MS or the route’s own timeout).',
    example: problemExample(504, 'TIMEOUT', 'The service did not answer in time', 'place-names did not answer within 5000 ms'),
  },
};

const errorResponseRef = (status: string): JsonSchema => ({ $ref: `#/components/responses/${ERROR_RESPONSES[status]?.name ?? ''}` });

function errorResponseComponents(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const { name, description, example, retryAfter } of Object.values(ERROR_RESPONSES)) {
    out[name] = {
      description,
      headers: { ...(retryAfter ? { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } : {}), 'X-Trace-Id': { $ref: '#/components/headers/X-Trace-Id' } },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example } },
    };
  }
  return out;
}

const headerParameters: Record<string, JsonSchema> = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'A key the client chooses for this creation, 1–255 visible ASCII characters (e.g. a UUID): a retry with the same key and the same request gets the first reply again (with Idempotency-Replayed: true) instead of creating a second record; the same key with a different request is a 422.',
    schema: { type: 'string', pattern: '^[!-~]{1,255}$' },
  },
  RevealReason: {
    name: 'X-Reveal-Reason',
    in: 'header',
    required: false,
    description:
      'Asks for personal data (resident ID and phone numbers) unmasked, giving the reason (at most 500 characters), which is audited with the reveal. Needs the personal-data:reveal permission (403 without it); without this header, or with a blank one, personal data is masked.',
    schema: { type: 'string', maxLength: 500 },
  },
};

/** A zod schema as the JSON Schema of what a client sends; the document's dialect is 2020-12 already. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/**
 * A JSON request body with the schema's examples (`addExamples` in @civil/contracts) on the media
 * type, where Swagger UI shows them: one as `example`, several as a map of `examples` with their
 * summaries. zod leaves `examples` out of the JSON Schema of a schema that transforms its input (the
 * examples are of the output, it says), so the document takes them from the schema's metadata and
 * drops any copy from the body schema, keeping them in one place.
 */
function jsonRequestBody(zodSchema: z.ZodType, schema: JsonSchema, pathParams: readonly string[] = []): JsonSchema {
  const { examples: _copy, ...bodySchema } = withoutProperties(schema, pathParams);
  const examples = requestExamplesOf(zodSchema).map(({ summary, value }) => ({ summary, value: withoutKeys(value, pathParams) }));
  const mediaType: JsonSchema = { schema: bodySchema };
  if (examples.length === 1) mediaType.example = examples[0]?.value;
  else if (examples.length > 1) mediaType.examples = Object.fromEntries(examples.map(({ summary, value }, i) => [`example${i + 1}`, { ...(summary ? { summary } : {}), value }]));
  // When the path names everything (a cancellation, a payroll's period), there is nothing to send.
  const nothingToSend = bodySchema.properties !== undefined && Object.keys(bodySchema.properties as object).length === 0;
  return { required: !nothingToSend, content: { 'application/json': mediaType } };
}

/**
 * A write's body schema without its path parameters: the router sets those from the path (over
 * any the body carries), so a client sends them in the URL only.
 */
function withoutProperties(schema: JsonSchema, names: readonly string[]): JsonSchema {
  if (names.length === 0 || schema.properties === undefined) return schema;
  const properties = schema.properties as Record<string, JsonSchema>;
  const required = (schema.required as string[] | undefined) ?? [];
  const out: JsonSchema = { ...schema, properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !names.includes(name))) };
  const stillRequired = required.filter((name) => !names.includes(name));
  if (stillRequired.length > 0) out.required = stillRequired;
  else delete out.required;
  return out;
}

function withoutKeys(value: unknown, names: readonly string[]): unknown {
  if (names.length === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => !names.includes(name)));
}

/** The first request example's value of each path parameter, to show beside the parameter. */
function pathExamples(zodSchema: z.ZodType, names: readonly string[]): Record<string, unknown> {
  const first = requestExamplesOf(zodSchema)[0]?.value;
  if (typeof first !== 'object' || first === null) return {};
  return Object.fromEntries(names.flatMap((name) => (name in first ? [[name, (first as Record<string, unknown>)[name]]] : [])));
}

export function operationId(route: Pick<GatewayRoute, 'method' | 'path'>): string {
  return `${route.method.toLowerCase()}${route.path.replace(/\/api\/v1/, '').replace(/[/:.-]+(\w)/g, (_, c: string) => c.toUpperCase())}`;
}

function rolesText(route: GatewayRoute): string {
  if (route.access === 'public') return 'Public: no token needed (a valid token may let the service show more).';
  if (!route.roles || route.roles.length === 0) return 'Needs a bearer token. The route table names no roles for it (yet), so the gateway refuses every caller with 403.';
  return `Needs a bearer token with one of the roles: ${route.roles.join(', ')}.`;
}

function successResponse(route: GatewayRoute): JsonSchema {
  const headers: JsonSchema = { 'X-Trace-Id': { $ref: '#/components/headers/X-Trace-Id' } };
  if (route.method === 'POST' && route.successStatus === 201) headers['Idempotency-Replayed'] = { $ref: '#/components/headers/Idempotency-Replayed' };
  if (!route.download) {
    return { description: 'Success', headers, content: { 'application/json': { schema: { $ref: '#/components/schemas/ServiceReply' } } } };
  }
  const mediaType = route.download.contentType.split(';')[0] ?? 'application/octet-stream';
  const schema: JsonSchema =
    mediaType === 'application/geo+json'
      ? { $ref: '#/components/schemas/GeoJsonFeatureCollection' }
      : mediaType.startsWith('text/')
        ? { type: 'string' }
        : { type: 'string', contentMediaType: mediaType };
  return {
    description: `The file (${route.download.inline ? 'shown inline' : 'an attachment'}), streamed page by page; a failure after the first page cuts the download short.`,
    headers: { ...headers, 'Content-Disposition': { description: 'inline or attachment, with the file name', schema: { type: 'string' } } },
    content: { [mediaType]: { schema } },
  };
}

function operation(route: GatewayRoute): JsonSchema {
  const schema = inputSchema(route.schema);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
  const fromBody = route.method === 'GET' ? {} : pathExamples(route.schema, pathParams);
  const parameters: JsonSchema[] = pathParams.map((name) => pathOrQuery(name, 'path', true, properties[name] ?? { type: 'string' }, fromBody[name]));
  const statuses: string[] = [String(route.successStatus), ...COMMON_ERRORS, ...(route.method === 'GET' ? [] : BODY_ERRORS), ...(pathParams.length > 0 ? PATH_ERRORS : [])].sort();
  const responses: Record<string, JsonSchema> = {};
  for (const status of statuses) responses[status] = status === String(route.successStatus) ? successResponse(route) : errorResponseRef(status);

  const op: JsonSchema = {
    tags: [route.tag],
    summary: route.summary,
    description: `${route.summary}\n\n${rolesText(route)}`,
    operationId: operationId(route),
    security: route.access === 'public' ? [] : [{ bearer: [] }],
  };
  if (route.access === 'authenticated' && route.roles && route.roles.length > 0) op['x-roles'] = [...route.roles];
  if (route.method === 'GET') {
    for (const [name, prop] of Object.entries(properties)) {
      if (pathParams.includes(name) || (route.download && DOWNLOAD_PAGING_FIELDS.includes(name))) continue;
      parameters.push(pathOrQuery(name, 'query', required.has(name), prop));
    }
    parameters.push({ $ref: '#/components/parameters/RevealReason' });
  } else {
    if (route.method === 'POST' && route.successStatus === 201) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
    op.requestBody = jsonRequestBody(route.schema, schema, pathParams);
  }
  if (parameters.length > 0) op.parameters = parameters;
  op.responses = responses;
  return op;
}

/** A parameter, with an example: the request example's value (a path parameter of a write), else its schema's first. */
function pathOrQuery(name: string, where: 'path' | 'query', required: boolean, schema: JsonSchema, fromRequestExample?: unknown): JsonSchema {
  const examples: unknown = schema.examples;
  const example =
    fromRequestExample !== undefined ? { example: fromRequestExample } : Array.isArray(examples) && examples.length > 0 ? { example: (examples as unknown[])[0] } : {};
  return { name, in: where, required, schema, ...example };
}

const METHOD_ORDER = ['get', 'put', 'post', 'patch', 'delete'];

/**
 * The OpenAPI 3.1 document, generated from the same route table and schemas the gateway uses.
 * Maps whose order means nothing (paths, methods, responses, components) come out sorted, so the
 * committed `openapi.json` does not change when routes are reordered.
 */
export function buildOpenApiDocument(options: { devTokens: boolean }): JsonSchema {
  const byPath = new Map<string, Record<string, JsonSchema>>();
  const add = (path: string, method: string, op: JsonSchema): void => {
    const item = byPath.get(path) ?? {};
    if (item[method]) throw new Error(`two routes for ${method.toUpperCase()} ${path}`);
    item[method] = op;
    byPath.set(path, item);
  };
  for (const route of ROUTES) add(route.path.replace(/:(\w+)/g, '{$1}'), route.method.toLowerCase(), operation(route));
  if (options.devTokens) {
    add('/api/v1/dev/tokens', 'post', {
      tags: ['development'],
      summary: 'Issue a development token (only when DEV_TOKENS_ENABLED=true; never in production).',
      description: 'Issue a development token (only when DEV_TOKENS_ENABLED=true; never in production).\n\nPublic: no token needed.',
      operationId: 'postDevTokens',
      security: [],
      requestBody: jsonRequestBody(devTokenRequestSchema, inputSchema(devTokenRequestSchema)),
      responses: {
        '201': { description: 'Token issued', headers: { 'X-Trace-Id': { $ref: '#/components/headers/X-Trace-Id' } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/DevToken' } } } },
        ...Object.fromEntries(['400', '413', '500'].map((s) => [s, errorResponseRef(s)])),
      },
    });
  }
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const path of [...byPath.keys()].sort()) {
    const item = byPath.get(path) ?? {};
    paths[path] = Object.fromEntries(METHOD_ORDER.filter((m) => item[m]).map((m) => [m, item[m] as JsonSchema]));
  }
  const usedTags = new Set([...ROUTES.map((r) => r.tag), ...(options.devTokens ? ['development'] : [])]);
  const schemas: Record<string, JsonSchema> = { GeoJsonFeatureCollection: geoJsonSchema, Problem: problemSchema, ServiceReply: serviceReplySchema };
  if (options.devTokens) schemas.DevToken = devTokenSchema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Civil-affairs platform API',
      version: '1.0.0',
      description:
        'Gateway of the district civil-affairs bureau platform. Every route is one request to a department service. Errors are RFC 9457 problem details (application/problem+json) with a stable `code`; every response carries `X-Trace-Id`.',
    },
    servers: [{ url: '/' }],
    tags: [...usedTags].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    paths,
    components: {
      schemas: sortKeys(schemas),
      responses: sortKeys(errorResponseComponents()),
      parameters: headerParameters,
      headers: { 'Idempotency-Replayed': idempotencyReplayedHeader, 'Retry-After': retryAfterHeader, 'X-Trace-Id': traceIdHeader },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The committed file's text: the document without the development route, 2-space JSON, a final newline. */
export function openApiFileText(): string {
  return `${JSON.stringify(buildOpenApiDocument({ devTokens: false }), null, 2)}\n`;
}
