import { v7 as uuidv7 } from 'uuid';

/**
 * CloudEvents 1.0 attribute names plus the platform's extensions (divisioncode, actor,
 * traceparent). The JetStream subject of an event is its type, so consumers filter by prefix.
 */
export interface EventEnvelope<TData = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  divisioncode: string;
  actor: string;
  traceparent?: string;
  data: TData;
}

export const EVENT_TYPE_PATTERN = /^civil\.[a-z][a-z-]*\.[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9][0-9]*$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface NewEvent<TData> {
  source: string;
  type: string;
  subject: string;
  divisioncode: string;
  actor: string;
  data: TData;
  traceparent?: string;
  time?: Date;
}

export function createEvent<TData>(event: NewEvent<TData>): EventEnvelope<TData> {
  if (!EVENT_TYPE_PATTERN.test(event.type)) {
    throw new Error(`event type "${event.type}" does not match civil.<service>.<aggregate>.<event>.v<n>`);
  }
  const envelope: EventEnvelope<TData> = {
    specversion: '1.0',
    id: uuidv7(),
    source: event.source,
    type: event.type,
    time: (event.time ?? new Date()).toISOString(),
    subject: event.subject,
    datacontenttype: 'application/json',
    divisioncode: event.divisioncode,
    actor: event.actor,
    data: event.data,
  };
  if (event.traceparent) envelope.traceparent = event.traceparent;
  return envelope;
}

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(readonly field: string, message: string) {
    super(`invalid event envelope: ${field} ${message}`);
  }
}

/** Checks an incoming message; throws EnvelopeError naming the first bad attribute. */
export function parseEnvelope(raw: Uint8Array | string): EventEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  } catch {
    throw new EnvelopeError('(body)', 'is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EnvelopeError('(body)', 'is not an object');
  }
  const e = value as Record<string, unknown>;
  const requireString = (field: string): string => {
    const v = e[field];
    if (typeof v !== 'string' || v.length === 0) throw new EnvelopeError(field, 'is missing');
    return v;
  };
  if (e.specversion !== '1.0') throw new EnvelopeError('specversion', 'must be "1.0"');
  if (!UUID_PATTERN.test(requireString('id'))) throw new EnvelopeError('id', 'must be a UUIDv7');
  requireString('source');
  if (!EVENT_TYPE_PATTERN.test(requireString('type'))) throw new EnvelopeError('type', 'has the wrong form');
  if (Number.isNaN(Date.parse(requireString('time')))) throw new EnvelopeError('time', 'is not a timestamp');
  requireString('subject');
  if (!/^\d{12}$/.test(requireString('divisioncode'))) throw new EnvelopeError('divisioncode', 'must be 12 digits');
  requireString('actor');
  if (e.traceparent !== undefined && typeof e.traceparent !== 'string') {
    throw new EnvelopeError('traceparent', 'must be a string');
  }
  if (typeof e.data !== 'object' || e.data === null) throw new EnvelopeError('data', 'must be an object');
  return value as EventEnvelope;
}
