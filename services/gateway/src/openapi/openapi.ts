import { z } from 'zod';
import { ROUTES, type GatewayRoute } from '../routes/route-table';
import { devTokenRequestSchema } from '../auth/dev-tokens';

type JsonSchema = Record<string, unknown>;

const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail', 'instance', 'traceId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    traceId: { type: ['string', 'null'] },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } } },
  },
};

function inputSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function operation(route: GatewayRoute): JsonSchema {
  const schema = inputSchema(route.schema);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
  const parameters = pathParams.map((name) => ({ name, in: 'path', required: true, schema: properties[name] ?? { type: 'string' } }));
  const op: JsonSchema = {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}${route.path.replace(/\/api\/v1/, '').replace(/[/:.-]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    responses: {
      [String(route.successStatus)]: route.download
        ? { description: 'The file', content: { [route.download.contentType.split(';')[0] ?? 'application/octet-stream']: { schema: { type: 'string' } } } }
        : { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } },
      default: { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    },
  };
  if (route.method === 'GET') {
    for (const [name, prop] of Object.entries(properties)) {
      if (!pathParams.includes(name)) parameters.push({ name, in: 'query', required: required.has(name), schema: prop });
    }
  } else {
    op.requestBody = { required: true, content: { 'application/json': { schema } } };
  }
  if (parameters.length > 0) op.parameters = parameters;
  return op;
}

/** The OpenAPI 3.1 document, generated from the same route table and schemas the gateway uses. */
export function buildOpenApiDocument(options: { devTokens: boolean }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of ROUTES) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation(route) };
  }
  if (options.devTokens) {
    paths['/api/v1/dev/tokens'] = {
      post: {
        tags: ['development'],
        summary: 'Issue a development token (only when DEV_TOKENS_ENABLED=true; never in production).',
        operationId: 'postDevTokens',
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: inputSchema(devTokenRequestSchema) } } },
        responses: { '201': { description: 'Token issued' }, default: { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Civil-affairs platform API', version: '1.0.0', description: 'Gateway of the district civil-affairs bureau platform. Errors are RFC 9457 problem details.' },
    servers: [{ url: '/' }],
    paths,
    components: { schemas: { Problem: problemSchema }, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
