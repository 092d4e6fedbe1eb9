/**
 * Personal data never reaches the logs: resident ID numbers (18 characters, last may be X) and
 * mainland mobile numbers are masked wherever they appear in a logged string.
 */
const RESIDENT_ID = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;

export function redactText(text: string): string {
  return text.replace(RESIDENT_ID, '$1********$2').replace(MOBILE, '$1****$2');
}

const MAX_DEPTH = 8;

/** Deep copy with every string redacted; bounded depth so a cyclic object cannot hang logging. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  // Past the bound nothing is copied: handing back the original object would log its strings unredacted.
  if (depth > MAX_DEPTH) return '[Truncated]';
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
  }
  // Dates and value objects (ResidentId, DivisionCode, Money) are logged as JSON.stringify shows them.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return redactValue((toJSON as () => unknown).call(value), depth + 1);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(v, depth + 1);
  return out;
}
