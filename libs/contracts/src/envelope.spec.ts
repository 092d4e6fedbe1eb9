import { EVENT_TYPE_PATTERN, EnvelopeError, createEvent, parseEnvelope, type EventEnvelope, type NewEvent } from './envelope';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function newEvent(overrides: Partial<NewEvent<Record<string, unknown>>> = {}): NewEvent<Record<string, unknown>> {
  return {
    source: '/civil/place-names',
    type: 'civil.place-names.place-name.named.v1',
    subject: 'place-name/1',
    divisioncode: '430503101000',
    actor: 'u-1',
    data: { nameId: '1', name: '东风路' },
    ...overrides,
  };
}

function expectEnvelopeError(raw: string | Uint8Array, field: string): EnvelopeError {
  let caught: unknown;
  try {
    parseEnvelope(raw);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EnvelopeError);
  const error = caught as EnvelopeError;
  expect(error.field).toBe(field);
  expect(error.name).toBe('EnvelopeError');
  expect(error.message).toContain(`invalid event envelope: ${field} `);
  return error;
}

describe('createEvent', () => {
  it('fills in the CloudEvents attributes', () => {
    const event = createEvent(newEvent());
    expect(event).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(UUID_V7),
      source: '/civil/place-names',
      type: 'civil.place-names.place-name.named.v1',
      time: expect.any(String),
      subject: 'place-name/1',
      datacontenttype: 'application/json',
      divisioncode: '430503101000',
      actor: 'u-1',
      data: { nameId: '1', name: '东风路' },
    });
    expect(event).not.toHaveProperty('traceparent');
  });

  it('gives each event a fresh UUIDv7 id', () => {
    const ids = Array.from({ length: 50 }, () => createEvent(newEvent()).id);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stamps the current time as an ISO-8601 UTC timestamp when none is given', () => {
    const before = Date.now();
    const event = createEvent(newEvent());
    const after = Date.now();
    expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const t = Date.parse(event.time);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
  });

  it('uses the given time', () => {
    const event = createEvent(newEvent({ time: new Date(Date.UTC(2025, 0, 31, 16, 0, 0)) }));
    expect(event.time).toBe('2025-01-31T16:00:00.000Z');
  });

  it('keeps a traceparent when one is given', () => {
    expect(createEvent(newEvent({ traceparent: TRACEPARENT })).traceparent).toBe(TRACEPARENT);
  });

  it.each([
    ['civil.place-names.place-name.named'],
    ['civil.place-names.place-name.named.v0'],
    ['civil.place-names.place-name.named.V1'],
    ['civil.place-names.named.v1'],
    ['other.place-names.place-name.named.v1'],
    ['civil.Place-names.place-name.named.v1'],
    ['civil.place_names.place-name.named.v1'],
    ['civil.place-names.place-name.named.v1.extra'],
    [''],
  ])('refuses the event type %p', (type) => {
    expect(() => createEvent(newEvent({ type }))).toThrow(/does not match civil\.<service>\.<aggregate>\.<event>\.v<n>/);
  });

  it.each([['civil.place-names.place-name.named.v1'], ['civil.social-assistance.household.registered.v12']])(
    'accepts the event type %p',
    (type) => {
      expect(EVENT_TYPE_PATTERN.test(type)).toBe(true);
      expect(createEvent(newEvent({ type })).type).toBe(type);
    },
  );
});

describe('parseEnvelope', () => {
  const valid = (): EventEnvelope => createEvent(newEvent({ traceparent: TRACEPARENT }));
  const withField = (field: string, value: unknown): string => JSON.stringify({ ...valid(), [field]: value });
  const withoutField = (field: string): string => {
    const copy: Record<string, unknown> = { ...valid() };
    delete copy[field];
    return JSON.stringify(copy);
  };

  it('accepts a created event as a string', () => {
    const event = valid();
    expect(parseEnvelope(JSON.stringify(event))).toEqual(event);
  });

  it('accepts a created event as UTF-8 bytes', () => {
    const event = valid();
    expect(parseEnvelope(new TextEncoder().encode(JSON.stringify(event)))).toEqual(event);
  });

  it('accepts an event without a traceparent', () => {
    const event = createEvent(newEvent());
    expect(parseEnvelope(JSON.stringify(event))).toEqual(event);
  });

  it.each<[string, string, string]>([
    ['not JSON', '{not json', '(body)'],
    ['empty', '', '(body)'],
    ['a JSON array', JSON.stringify([1, 2]), '(body)'],
    ['JSON null', 'null', '(body)'],
    ['a JSON string', '"civil"', '(body)'],
  ])('refuses a body that is %s', (_label, raw, field) => {
    expectEnvelopeError(raw, field);
  });

  it('says a non-JSON body is not JSON and an array is not an object', () => {
    expect(expectEnvelopeError('{', '(body)').message).toContain('is not JSON');
    expect(expectEnvelopeError('[]', '(body)').message).toContain('is not an object');
  });

  it.each<[string, () => string, string]>([
    ['a wrong specversion', () => withField('specversion', '0.3'), 'specversion'],
    ['a missing specversion', () => withoutField('specversion'), 'specversion'],
    ['a missing id', () => withoutField('id'), 'id'],
    ['an empty id', () => withField('id', ''), 'id'],
    ['a UUIDv4 id', () => withField('id', '3b241101-e2bb-4255-8caf-4136c566a962'), 'id'],
    ['an upper-case UUIDv7 id', () => withField('id', '0190A3E2-7B1C-7D4E-8F00-123456789ABC'), 'id'],
    ['a non-UUID id', () => withField('id', 'event-1'), 'id'],
    ['a missing source', () => withoutField('source'), 'source'],
    ['a missing type', () => withoutField('type'), 'type'],
    ['a type of the wrong form', () => withField('type', 'place-name.named'), 'type'],
    ['a numeric type', () => withField('type', 1), 'type'],
    ['a missing time', () => withoutField('time'), 'time'],
    ['a time that is not a timestamp', () => withField('time', 'yesterday'), 'time'],
    ['a missing subject', () => withoutField('subject'), 'subject'],
    ['a missing divisioncode', () => withoutField('divisioncode'), 'divisioncode'],
    ['a six-digit divisioncode', () => withField('divisioncode', '430503'), 'divisioncode'],
    ['a 13-digit divisioncode', () => withField('divisioncode', '4305031010001'), 'divisioncode'],
    ['a divisioncode with letters', () => withField('divisioncode', '43050310100A'), 'divisioncode'],
    ['a numeric divisioncode', () => withField('divisioncode', 430503101000), 'divisioncode'],
    ['a missing actor', () => withoutField('actor'), 'actor'],
    ['a numeric traceparent', () => withField('traceparent', 1), 'traceparent'],
    ['missing data', () => withoutField('data'), 'data'],
    ['null data', () => withField('data', null), 'data'],
    ['string data', () => withField('data', 'x'), 'data'],
  ])('refuses an envelope with %s, naming the field', (_label, raw, field) => {
    expectEnvelopeError(raw(), field);
  });

  it('specific messages describe the problem', () => {
    expect(expectEnvelopeError(withoutField('id'), 'id').message).toBe('invalid event envelope: id is missing');
    expect(expectEnvelopeError(withField('id', 'x'), 'id').message).toBe('invalid event envelope: id must be a UUIDv7');
    expect(expectEnvelopeError(withField('divisioncode', '1'), 'divisioncode').message).toBe(
      'invalid event envelope: divisioncode must be 12 digits',
    );
    expect(expectEnvelopeError(withoutField('data'), 'data').message).toBe('invalid event envelope: data must be an object');
  });
});
