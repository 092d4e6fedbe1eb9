import { ROOT_CONTEXT, TraceFlags, context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { contextFromTraceparent, currentTraceparent, extractTraceContext, injectTraceContext, type HeaderCarrier } from './propagation';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;
const SPAN_CONTEXT: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: false };

/** A NATS-headers-like carrier. */
class MapCarrier implements HeaderCarrier {
  readonly headers = new Map<string, string>();
  get(key: string): string | undefined {
    return this.headers.get(key);
  }
  set(key: string, value: string): void {
    this.headers.set(key, value);
  }
}

const withSpan = (sc: SpanContext = SPAN_CONTEXT) => trace.setSpanContext(ROOT_CONTEXT, sc);

describe('trace propagation without a registered propagator', () => {
  it('injects nothing and extracts no span', () => {
    const carrier = new MapCarrier();
    injectTraceContext(carrier, withSpan());
    expect(carrier.headers.size).toBe(0);
    carrier.set('traceparent', TRACEPARENT);
    expect(trace.getSpanContext(extractTraceContext(carrier))).toBeUndefined();
  });
});

describe('trace propagation with the W3C propagator', () => {
  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });

  afterAll(() => {
    propagation.disable();
    context.disable();
  });

  it('injects a traceparent header for the given context', () => {
    const carrier = new MapCarrier();
    injectTraceContext(carrier, withSpan());
    expect(carrier.get('traceparent')).toBe(TRACEPARENT);
  });

  it('round-trips a span context through inject and extract', () => {
    const carrier = new MapCarrier();
    injectTraceContext(carrier, withSpan({ ...SPAN_CONTEXT, traceFlags: TraceFlags.NONE }));
    expect(carrier.get('traceparent')).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
    expect(trace.getSpanContext(extractTraceContext(carrier))).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
  });

  it('carries tracestate along with traceparent', () => {
    const carrier = new MapCarrier();
    carrier.set('traceparent', TRACEPARENT);
    carrier.set('tracestate', 'vendor=abc');
    const forwarded = new MapCarrier();
    injectTraceContext(forwarded, extractTraceContext(carrier));
    expect(forwarded.get('traceparent')).toBe(TRACEPARENT);
    expect(forwarded.get('tracestate')).toBe('vendor=abc');
  });

  it('injects the active context by default', () => {
    const carrier = new MapCarrier();
    context.with(withSpan(), () => injectTraceContext(carrier));
    expect(carrier.get('traceparent')).toBe(TRACEPARENT);
  });

  it('injects nothing when no span is active', () => {
    const carrier = new MapCarrier();
    injectTraceContext(carrier);
    expect(carrier.headers.size).toBe(0);
  });

  it.each([['garbage'], [`00-${'0'.repeat(32)}-${SPAN_ID}-01`], [`00-${TRACE_ID}-${'0'.repeat(16)}-01`], [`00-${TRACE_ID}-${SPAN_ID}`]])(
    'extracts no span from the invalid traceparent %p',
    (traceparent) => {
      const carrier = new MapCarrier();
      carrier.set('traceparent', traceparent);
      expect(trace.getSpanContext(extractTraceContext(carrier))).toBeUndefined();
    },
  );

  it('extracts no span from an empty carrier', () => {
    expect(trace.getSpanContext(extractTraceContext(new MapCarrier()))).toBeUndefined();
  });

  describe('currentTraceparent', () => {
    it('is the active span’s traceparent', () => {
      expect(context.with(withSpan(), () => currentTraceparent())).toBe(TRACEPARENT);
    });

    it('is undefined with no active span', () => {
      expect(currentTraceparent()).toBeUndefined();
    });
  });

  describe('contextFromTraceparent', () => {
    it('turns a stored traceparent back into a remote span context', () => {
      expect(trace.getSpanContext(contextFromTraceparent(TRACEPARENT))).toEqual({ ...SPAN_CONTEXT, isRemote: true });
    });

    it.each([[undefined], ['']])('returns the active context for %p', (value) => {
      const active = withSpan();
      const ctx = context.with(active, () => contextFromTraceparent(value));
      expect(ctx).toBe(active);
    });

    it('round-trips with currentTraceparent', () => {
      const stored = context.with(withSpan(), () => currentTraceparent());
      const restored = contextFromTraceparent(stored);
      expect(context.with(restored, () => currentTraceparent())).toBe(TRACEPARENT);
    });
  });
});
