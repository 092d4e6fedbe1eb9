import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per process with the platform's own metrics. Services add theirs to
 * `metricsRegistry` too; `/metrics` serves it.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const rpcDuration = new Histogram({
  name: 'civil_rpc_server_duration_seconds',
  help: 'Time to handle a NATS request, by subject and outcome (ok or an error code).',
  labelNames: ['subject', 'outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const outboxPublished = new Counter({
  name: 'civil_outbox_published_total',
  help: 'Events relayed from the outbox to JetStream and acknowledged.',
  registers: [metricsRegistry],
});

export const outboxRelayFailures = new Counter({
  name: 'civil_outbox_relay_failures_total',
  help: 'Relay batches that failed to publish (NATS unavailable, stream missing); retried with backoff.',
  registers: [metricsRegistry],
});

export const outboxPending = new Gauge({
  name: 'civil_outbox_pending',
  help: 'Outbox rows not yet acknowledged by JetStream, as of the last relay pass.',
  registers: [metricsRegistry],
});

export const eventsConsumed = new Counter({
  name: 'civil_events_consumed_total',
  help: 'JetStream events handled by a durable consumer, by consumer and result (applied, duplicate, dead-lettered, retried).',
  labelNames: ['consumer', 'result'] as const,
  registers: [metricsRegistry],
});

export const consumerLagSeconds = new Gauge({
  name: 'civil_consumer_lag_seconds',
  help: 'Age of the last event a consumer applied when it applied it (event time to apply time).',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
});

export const consumerPending = new Gauge({
  name: 'civil_consumer_pending_messages',
  help: 'Messages in the stream the durable consumer has not yet been delivered, from consumer info.',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
});
