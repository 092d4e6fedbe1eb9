import { ROUTES } from '../routes/route-table';
import { DOWNLOAD_PAGING_FIELDS, TAG_DESCRIPTIONS, buildOpenApiDocument } from './openapi';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  additionalProperties?: unknown;
  [keyword: string]: unknown;
}
interface Parameter {
  name?: string;
  in?: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
  $ref?: string;
}
interface Response {
  description: string;
  headers?: Record<string, { $ref?: string }>;
  content?: Record<string, { schema: Schema; example?: Record<string, unknown> }>;
  $ref?: string;
}
interface Operation {
  tags: string[];
  summary: string;
  description: string;
  operationId: string;
  security: unknown[];
  responses: Record<string, Response>;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  'x-roles'?: string[];
}
interface Document {
  openapi: string;
  info: Record<string, unknown>;
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, Response>;
    parameters: Record<string, Parameter>;
    headers: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

const doc = buildOpenApiDocument({ devTokens: false }) as unknown as Document;
const devDoc = buildOpenApiDocument({ devTokens: true }) as unknown as Document;

const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');
function operationOf(document: Document, method: string, path: string): Operation {
  const op = document.paths[openApiPath(path)]?.[method.toLowerCase()];
  if (!op) throw new Error(`no operation ${method} ${path}`);
  return op;
}
function bodySchemaOf(op: Operation): Schema {
  const schema = op.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`${op.operationId} has no JSON request body`);
  return schema;
}
const allOperations = (document: Document): Operation[] => Object.values(document.paths).flatMap((item) => Object.values(item));
/** A response as documented: a `$ref` to a component response resolved. */
function resolved(response: Response | undefined): Response | undefined {
  const name = response?.$ref ? /^#\/components\/responses\/(\w+)$/.exec(response.$ref)?.[1] : undefined;
  return name ? doc.components.responses[name] : response;
}
const refs = (op: Operation): string[] => (op.parameters ?? []).flatMap((p) => (p.$ref ? [p.$ref] : []));
const ERROR_STATUSES = ['400', '401', '403', '404', '429', '500', '503', '504'];
const BODY_ERROR_STATUSES = ['409', '413', '422'];
const shapeKeys = (schema: unknown): string[] => Object.keys((schema as { shape: Record<string, unknown> }).shape);

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1 document with the problem schema and bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.schemas.Problem?.required).toEqual(['type', 'title', 'status', 'code', 'detail', 'instance', 'traceId']);
  });

  it('has exactly one operation per route and nothing else', () => {
    const expected = ROUTES.map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`).sort();
    const actual = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
      .sort();
    expect(actual).toEqual(expected);
  });

  describe.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    const op = (): Operation => operationOf(doc, route.method, route.path);

    it('is documented under its method with tag and summary', () => {
      expect(op().tags).toEqual([route.tag]);
      expect(op().summary).toBe(route.summary);
    });

    it('declares security by the route’s access', () => {
      expect(op().security).toEqual(route.access === 'public' ? [] : [{ bearer: [] }]);
    });

    it('declares the success status and every error status as problem details, and no default', () => {
      const errors = [...ERROR_STATUSES, ...(route.method === 'GET' ? [] : BODY_ERROR_STATUSES), ...(route.path.includes(':') ? ['414'] : [])];
      expect(Object.keys(op().responses).sort()).toEqual([String(route.successStatus), ...errors].sort());
      for (const status of errors) {
        const problem = resolved(op().responses[status])?.content?.['application/problem+json'];
        expect(problem?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
        expect(problem?.example?.status).toBe(Number(status));
      }
      const success = op().responses[String(route.successStatus)];
      expect(success?.headers?.['X-Trace-Id']).toEqual({ $ref: '#/components/headers/X-Trace-Id' });
      if (!route.download) expect(success?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ServiceReply' });
      else expect(Object.keys(success?.content ?? {})).toEqual([route.download.contentType.split(';')[0]]);
    });

    it('lists the roles allowed in the description and as x-roles', () => {
      if (route.access === 'public') {
        expect(op()['x-roles']).toBeUndefined();
        expect(op().description).toContain('Public');
      } else if (route.roles && route.roles.length > 0) {
        expect(op()['x-roles']).toEqual([...route.roles]);
        expect(op().description).toContain(route.roles.join(', '));
      } else {
        expect(op()['x-roles']).toBeUndefined();
        expect(op().description).toContain('names no roles');
      }
    });

    it('takes Idempotency-Key on a creating POST and X-Reveal-Reason on a GET', () => {
      const expected = [
        ...(route.method === 'GET' ? ['#/components/parameters/RevealReason'] : []),
        ...(route.method === 'POST' && route.successStatus === 201 ? ['#/components/parameters/IdempotencyKey'] : []),
      ];
      expect(refs(op())).toEqual(expected);
    });

    it('declares every {param} of the path as a required path parameter', () => {
      const names = [...openApiPath(route.path).matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParams = (op().parameters ?? []).filter((p) => p.in === 'path');
      expect(pathParams.map((p) => p.name)).toEqual(names);
      for (const p of pathParams) expect(p.required).toBe(true);
    });

    if (route.method === 'GET') {
      it('takes no request body and lists the other schema fields as query parameters', () => {
        expect(op().requestBody).toBeUndefined();
        const shape = shapeKeys(route.schema);
        const pathNames = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
        const query = (op().parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        // A download's paging cursor is the gateway's own, between it and the service.
        expect(query).toEqual(shape.filter((name) => !pathNames.includes(name) && !(route.download && DOWNLOAD_PAGING_FIELDS.includes(name))));
      });
    } else {
      it('takes a JSON request body with the route’s schema less its path parameters (required unless that leaves nothing), and no query parameters', () => {
        const schema = bodySchemaOf(op());
        expect(schema.type).toBe('object');
        // The router sets path parameters from the path, over anything the body carries.
        const pathNames = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
        const bodyNames = shapeKeys(route.schema).filter((name) => !pathNames.includes(name));
        expect(Object.keys(schema.properties ?? {}).sort()).toEqual(bodyNames.sort());
        expect(op().requestBody?.required).toBe(bodyNames.length > 0);
        expect((schema.required ?? []).filter((name) => pathNames.includes(name))).toEqual([]);
        expect((op().parameters ?? []).filter((p) => p.in === 'query')).toEqual([]);
      });
    }
  });

  it('documents GET /api/v1/place-names/{id} with a UUID path parameter', () => {
    expect(operationOf(doc, 'GET', '/api/v1/place-names/:id').parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', format: 'uuid' }) },
      { $ref: '#/components/parameters/RevealReason' },
    ]);
  });

  it('documents the place-name search query parameters with their constraints', () => {
    const params = operationOf(doc, 'GET', '/api/v1/place-names').parameters?.filter((p) => p.in === 'query');
    expect(params).toEqual([
      { name: 'q', in: 'query', required: false, schema: expect.objectContaining({ type: 'string', maxLength: 1000 }) },
      { name: 'category', in: 'query', required: false, schema: expect.objectContaining({ enum: expect.arrayContaining(['street-road-lane']) }) },
      { name: 'divisionCode', in: 'query', required: false, schema: expect.objectContaining({ type: 'string' }), example: '430503001000' },
      { name: 'includeAbolished', in: 'query', required: false, schema: expect.objectContaining({ enum: ['true', 'false'] }) },
      { name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) },
    ]);
  });

  it('documents the place-name body: required fields, enum of categories, no extra properties', () => {
    const schema = bodySchemaOf(operationOf(doc, 'POST', '/api/v1/place-names'));
    expect(schema.required).toEqual(['name', 'category', 'divisionCode']);
    expect(schema.properties?.category?.enum).toContain('street-road-lane');
    expect(schema.additionalProperties).toBe(false);
  });

  it('documents the household body with its members array', () => {
    const schema = bodySchemaOf(operationOf(doc, 'POST', '/api/v1/social-assistance/households'));
    expect(schema.required).toEqual(expect.arrayContaining(['divisionCode', 'urbanRural', 'address', 'members']));
    expect(schema.properties?.members).toMatchObject({ type: 'array', minItems: 1, maxItems: 30 });
    expect(schema.properties?.members?.items?.required).toEqual(['name', 'residentId', 'relationship']);
  });

  it('gives a GET that takes no input only the X-Reveal-Reason header', () => {
    expect(operationOf(doc, 'GET', '/api/v1/social-affairs/marriage-registries').parameters).toEqual([{ $ref: '#/components/parameters/RevealReason' }]);
  });

  it('omits parameters entirely for a write without path parameters that creates nothing', () => {
    expect(operationOf(doc, 'POST', '/api/v1/naming/check')).not.toHaveProperty('parameters');
  });

  it('documents the header parameters, Retry-After on 429 and X-Trace-Id on every response', () => {
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false });
    expect(doc.components.parameters.RevealReason).toMatchObject({ name: 'X-Reveal-Reason', in: 'header', required: false, description: expect.stringContaining('personal-data:reveal') });
    for (const response of Object.values(doc.components.responses)) expect(response.headers?.['X-Trace-Id']).toEqual({ $ref: '#/components/headers/X-Trace-Id' });
    expect(doc.components.responses.TooManyRequests?.headers?.['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' });
  });

  it('describes every tag of the route table', () => {
    const tags = [...new Set(ROUTES.map((r) => r.tag))].sort();
    for (const tag of tags) expect(TAG_DESCRIPTIONS[tag]).toEqual(expect.any(String));
    expect(doc.tags.map((t) => t.name)).toEqual(tags);
    for (const tag of doc.tags) expect(tag.description).toBe(TAG_DESCRIPTIONS[tag.name]);
  });

  it('lists paths in sorted order, so reordering the route table does not change the document', () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual([...paths].sort());
  });

  it.each([
    ['POST', '/api/v1/place-names', 'postPlaceNames'],
    ['GET', '/api/v1/place-names', 'getPlaceNames'],
    ['GET', '/api/v1/place-names/:id', 'getPlaceNamesId'],
    ['GET', '/api/v1/social-assistance/households/:id', 'getSocialAssistanceHouseholdsId'],
    ['GET', '/api/v1/reports/counters', 'getReportsCounters'],
  ])('names %s %s %s', (method, path, operationId) => {
    expect(operationOf(doc, method, path).operationId).toBe(operationId);
  });

  it('gives every operation a unique identifier-like operationId', () => {
    const ids = allOperations(devDoc).map((op) => op.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has every $ref resolve to a component', () => {
    const found = JSON.stringify(devDoc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(found.length).toBeGreaterThan(0);
    for (const ref of found) {
      const [, kind, name] = /"#\/components\/(\w+)\/([\w-]+)"/.exec(ref) ?? [];
      const components = devDoc.components as unknown as Record<string, Record<string, unknown>>;
      expect(kind && name && components[kind]?.[name]).toBeTruthy();
    }
  });

  describe('the development token path', () => {
    it('is absent when dev tokens are off', () => {
      expect(doc.paths).not.toHaveProperty(['/api/v1/dev/tokens']);
      expect(JSON.stringify(doc)).not.toContain('/dev/tokens');
    });

    it('is present, public and takes the token request body when dev tokens are on', () => {
      const op = operationOf(devDoc, 'POST', '/api/v1/dev/tokens');
      expect(op.security).toEqual([]);
      expect(op.operationId).toBe('postDevTokens');
      const schema = bodySchemaOf(op);
      expect(Object.keys(schema.properties ?? {}).sort()).toEqual(expect.arrayContaining(['divisions', 'kind', 'residentId', 'roles', 'userId']));
      expect(schema.properties?.kind?.enum).toEqual(['staff', 'citizen']);
    });

    it('does not change the other paths', () => {
      const { ['/api/v1/dev/tokens']: _dev, ...rest } = devDoc.paths;
      expect(rest).toEqual(doc.paths);
    });
  });
});
