import type { z } from 'zod';
import { fieldErrorsOf } from '@civil/contracts';
import { ROUTES } from '../routes/route-table';
import { devTokenRequestSchema } from '../auth/dev-tokens';
import { buildOpenApiDocument, operationId } from './openapi';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  [keyword: string]: unknown;
}
interface MediaType {
  schema: JsonSchema;
  example?: unknown;
  examples?: Record<string, { summary?: string; value: unknown }>;
}
interface Parameter {
  name?: string;
  in?: 'path' | 'query' | 'header';
  schema?: JsonSchema;
  example?: unknown;
  $ref?: string;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, MediaType> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const doc = (): Document => buildOpenApiDocument({ devTokens: true }) as unknown as Document;
const operationsOf = (document: Document): Operation[] => Object.values(document.paths).flatMap((item) => Object.values(item));

/** The zod schema each operation validates with: its route's, or the development token request's. */
const ZOD_SCHEMAS = new Map<string, z.ZodType>([...ROUTES.map((route) => [operationId(route), route.schema] as const), ['postDevTokens', devTokenRequestSchema]]);
function zodSchemaOf(op: Operation): z.ZodType {
  const schema = ZOD_SCHEMAS.get(op.operationId);
  if (!schema) throw new Error(`no zod schema for ${op.operationId}`);
  return schema;
}

/** The examples of an operation's JSON request body, `example` or each of `examples`, by name. */
function bodyExamples(op: Operation): { name: string; value: unknown }[] {
  const media = op.requestBody?.content['application/json'];
  if (!media) return [];
  if (media.example !== undefined) return [{ name: 'example', value: media.example }];
  return Object.entries(media.examples ?? {}).map(([name, example]) => ({ name, value: example.value }));
}

/** Operations with a request body but no example of it: what the test below requires to be empty. */
function operationsWithoutBodyExamples(document: Document): string[] {
  return operationsOf(document)
    .filter((op) => op.requestBody !== undefined && bodyExamples(op).length === 0)
    .map((op) => op.operationId);
}

/** A parameter's value as it arrives in a URL: text. */
const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Parses a request as the router sends it on: the body, then the path parameters' examples over it
 * (as text, as they arrive in a URL; or as the values the request example gave them).
 */
function parseAsRouted(op: Operation, body: unknown, pathAs: 'text' | 'value'): ReturnType<z.ZodType['safeParse']> {
  const pathParams = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'path' && p.name).map((p) => [p.name, pathAs === 'text' ? asText(p.example) : p.example]));
  return zodSchemaOf(op).safeParse({ ...(body as Record<string, unknown>), ...pathParams });
}
const problems = (result: ReturnType<z.ZodType['safeParse']>): string[] =>
  result.success ? [] : fieldErrorsOf(result.error).map((e) => `${e.field}: ${e.rule} (${e.message})`);

/**
 * A parameter whose format its JSON Schema does not make obvious: a string with a pattern, or with
 * no keyword at all (a format checked by a transform: division codes, periods). Free text (only a
 * maxLength), enums, UUIDs and dates are plain enough without one.
 */
function needsExample(schema: JsonSchema | undefined): boolean {
  if (!schema || schema.type !== 'string' || schema.enum || schema.format) return false;
  const keywords = Object.keys(schema).filter((k) => k !== 'type' && k !== 'examples' && k !== 'description');
  return schema.pattern !== undefined || keywords.length === 0;
}

const bodyOperations = operationsOf(doc()).filter((op) => op.requestBody !== undefined);

describe('request examples in the OpenAPI document', () => {
  it('covers every write route and the development token route', () => {
    expect(bodyOperations.length).toBe(ROUTES.filter((r) => r.method !== 'GET').length + 1);
  });

  it('gives every operation with a request body at least one example', () => {
    expect(operationsWithoutBodyExamples(doc())).toEqual([]);
  });

  it('puts the examples on the media type, one as `example`, several as `examples` with summaries', () => {
    for (const op of bodyOperations) {
      const media = op.requestBody?.content['application/json'];
      expect(media?.schema.examples).toBeUndefined();
      expect(media?.example !== undefined && media.examples !== undefined).toBe(false);
      if (media?.examples) {
        expect(Object.keys(media.examples).length).toBeGreaterThan(1);
        for (const example of Object.values(media.examples)) expect(example.summary).toEqual(expect.any(String));
      }
    }
  });

  describe.each(bodyOperations.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
    it.each(bodyExamples(op).map((example) => [example.name, example.value] as const))('%s parses with the route’s zod schema (with the path parameters’ examples)', (_name, value) => {
      expect(problems(parseAsRouted(op, value, 'value'))).toEqual([]);
    });

    it.each(bodyExamples(op).map((example) => [example.name, example.value] as const))('%s parses as the router sends it (path parameters as text over the body)', (_name, value) => {
      expect(problems(parseAsRouted(op, value, 'text'))).toEqual([]);
    });

    it.each(bodyExamples(op).map((example) => [example.name, example.value] as const))('%s fits the body schema of the document: JSON, only its properties, every required one', (_name, value) => {
      expect(JSON.parse(JSON.stringify(value))).toEqual(value);
      const schema = op.requestBody?.content['application/json']?.schema ?? {};
      const keys = Object.keys(value as Record<string, unknown>);
      expect(keys.filter((key) => !(key in (schema.properties ?? {})))).toEqual([]);
      expect((schema.required ?? []).filter((key) => !keys.includes(key))).toEqual([]);
    });

    it('gives each path parameter an example, and no example carries one in its body', () => {
      const pathParams = (op.parameters ?? []).filter((param) => param.in === 'path');
      for (const p of pathParams) expect(p.example).toBeDefined();
      for (const { value } of bodyExamples(op)) expect(Object.keys(value as Record<string, unknown>).filter((key) => pathParams.some((p) => p.name === key))).toEqual([]);
    });
  });

  it('gives a query or path parameter of a non-obvious format an example that parses as text with its field’s schema', () => {
    const missing: string[] = [];
    const failing: string[] = [];
    for (const op of operationsOf(doc())) {
      const shape = (zodSchemaOf(op) as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
      for (const p of op.parameters ?? []) {
        if (p.$ref || !p.name) continue;
        if (p.example === undefined) {
          if (needsExample(p.schema)) missing.push(`${op.operationId} ${p.name}`);
          continue;
        }
        const field = shape[p.name];
        const result = field?.safeParse(asText(p.example));
        if (!result?.success) failing.push(`${op.operationId} ${p.name}=${asText(p.example)}`);
      }
    }
    expect(missing).toEqual([]);
    expect(failing).toEqual([]);
  });

  describe('can fail', () => {
    const household = (): Record<string, unknown> => {
      const op = bodyOperations.find((o) => o.operationId === 'postSocialAssistanceHouseholds');
      if (!op) throw new Error('no postSocialAssistanceHouseholds');
      return structuredClone(bodyExamples(op)[0]?.value) as Record<string, unknown>;
    };
    const registerHousehold = (): z.ZodType => zodSchemaOf({ operationId: 'postSocialAssistanceHouseholds' });

    it('a resident ID with a wrong check character does not parse', () => {
      const broken = household();
      const head = (broken.members as { residentId: string }[])[0];
      if (!head) throw new Error('no member');
      head.residentId = head.residentId.slice(0, 17) + (head.residentId.endsWith('1') ? '2' : '1');
      expect(problems(registerHousehold().safeParse(broken))).toEqual([expect.stringMatching(/^members\[0\]\.residentId: checksum/)]);
    });

    it('an example without a required field, or with a field the schema does not know, does not parse', () => {
      const { divisionCode: _dropped, ...missing } = household();
      expect(problems(registerHousehold().safeParse(missing))).toEqual([expect.stringMatching(/^divisionCode:/)]);
      expect(registerHousehold().safeParse({ ...household(), phone: '13800000000' }).success).toBe(false);
    });

    it('an operation whose body lost its examples is reported', () => {
      const document = doc();
      const media = document.paths['/api/v1/social-assistance/households']?.post?.requestBody?.content['application/json'];
      if (!media) throw new Error('no household body');
      delete media.example;
      delete media.examples;
      expect(operationsWithoutBodyExamples(document)).toEqual(['postSocialAssistanceHouseholds']);
    });
  });
});
