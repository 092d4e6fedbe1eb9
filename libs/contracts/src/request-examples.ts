import { z } from 'zod';

/** One example of a request: the value a client sends, with a one-line summary when a schema has several. */
export interface RequestExample<T> {
  summary?: string;
  value: T;
}

const summaries = new WeakMap<z.ZodType, (string | undefined)[]>();

/**
 * Attaches realistic examples of what a client sends to a request schema, as zod metadata
 * (`examples`, what `.meta({ examples })` sets, but on the schema itself rather than on a copy, so
 * every route holding the schema shows them). The gateway puts them on the request body of its
 * OpenAPI document, and its unit test parses every one with the route's schema, so an example
 * cannot drift from the contract. Typed as the schema's input.
 *
 * Conventions: resident IDs are valid GB 11643 numbers of 大祥区 (430503) with their check
 * character; division codes are the seeded ones (430503001000 中心路街道, 430503001001
 * 中心路示例社区一, 430503101000 罗市镇, 430503101201 罗市示例村一); amounts are integer fen.
 */
export function addExamples<S extends z.ZodType>(schema: S, examples: readonly [RequestExample<z.input<S>>, ...RequestExample<z.input<S>>[]]): S {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), examples: examples.map((example) => example.value) });
  summaries.set(schema, examples.map((example) => example.summary));
  return schema;
}

/** A schema's request examples with their summaries, in order; none when it has no examples. */
export function requestExamplesOf(schema: z.ZodType): RequestExample<unknown>[] {
  const values: unknown = z.globalRegistry.get(schema)?.examples;
  if (!Array.isArray(values)) return [];
  const summaryOf = summaries.get(schema) ?? [];
  return (values as unknown[]).map((value, i) => {
    const summary = summaryOf[i];
    return summary === undefined ? { value } : { summary, value };
  });
}
