import { ROUTES } from '../routes/route-table';
import { buildOpenApiDocument } from './openapi';

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
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}
interface Operation {
  tags: string[];
  summary: string;
  operationId: string;
  security: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
}
interface Document {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
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

    it('declares the success status and a problem-details default', () => {
      expect(Object.keys(op().responses).sort()).toEqual([String(route.successStatus), 'default'].sort());
      expect(op().responses.default?.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
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
        expect(query).toEqual(shape.filter((name) => !pathNames.includes(name)));
      });
    } else {
      it('takes a required JSON request body with the route’s schema and no query parameters', () => {
        expect(op().requestBody?.required).toBe(true);
        const schema = bodySchemaOf(op());
        expect(schema.type).toBe('object');
        expect(Object.keys(schema.properties ?? {}).sort()).toEqual(shapeKeys(route.schema).sort());
        expect((op().parameters ?? []).filter((p) => p.in === 'query')).toEqual([]);
      });
    }
  });

  it('documents GET /api/v1/place-names/{id} with a UUID path parameter', () => {
    expect(operationOf(doc, 'GET', '/api/v1/place-names/:id').parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', format: 'uuid' }) },
    ]);
  });

  it('documents the place-name search query parameters with their constraints', () => {
    const params = operationOf(doc, 'GET', '/api/v1/place-names').parameters;
    expect(params).toEqual([
      { name: 'q', in: 'query', required: false, schema: expect.objectContaining({ type: 'string', maxLength: 1000 }) },
      { name: 'category', in: 'query', required: false, schema: expect.objectContaining({ enum: expect.arrayContaining(['street-road-lane']) }) },
      { name: 'divisionCode', in: 'query', required: false, schema: expect.objectContaining({ type: 'string' }) },
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

  it('omits parameters entirely for a route that takes none', () => {
    expect(operationOf(doc, 'GET', '/api/v1/social-affairs/marriage-registries')).not.toHaveProperty('parameters');
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
    const refs = JSON.stringify(devDoc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const name = /#\/components\/schemas\/(\w+)/.exec(ref)?.[1];
      expect(name && devDoc.components.schemas[name]).toBeTruthy();
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
      expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['divisions', 'kind', 'residentId', 'roles', 'userId']);
      expect(schema.properties?.kind?.enum).toEqual(['staff', 'citizen']);
    });

    it('does not change the other paths', () => {
      const { ['/api/v1/dev/tokens']: _dev, ...rest } = devDoc.paths;
      expect(rest).toEqual(doc.paths);
    });
  });
});
