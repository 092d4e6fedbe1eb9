import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { EVENT_STREAM, createEvent, type EventEnvelope } from '@civil/contracts';
import { createTestDatabase, eventually, integrationEnv } from '@civil/testing';
import { eventConfigSchema, type BaseConfig } from '../config/config';
import { serviceDataSourceOptions } from '../database/data-source';
import { NatsConnectionService } from '../nats/nats-connection';
import { ensureEventStream } from '../outbox/event-stream';
import { IdempotentConsumer, type ConsumerDependencies, type ConsumerSettings } from './idempotent-consumer';

const FAILING_SUBJECT = 'always-fails';

/** Records each event it applies; refuses, every time, the events whose subject says so. */
class RecordingConsumer extends IdempotentConsumer {
  protected readonly settings: ConsumerSettings;

  constructor(deps: ConsumerDependencies, durableName: string, eventType: string) {
    super(deps);
    this.settings = { durableName, filterSubjects: [eventType], maxDeliveries: 3, ackWaitMs: 2_000 };
  }

  protected async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    if (event.subject === FAILING_SUBJECT) throw new Error('refused by the test');
    await manager.query(`INSERT INTO consumed_item (event_id, subject) VALUES ($1, $2)`, [event.id, event.subject]);
  }
}

/** The platform's event consumer against real PostgreSQL and JetStream. */
describe('IdempotentConsumer (PostgreSQL + JetStream)', () => {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  let dataSource: DataSource;
  let nats: NatsConnectionService;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const consumers: RecordingConsumer[] = [];

  /** A consumer of its own event type, so the tests (and other suites on the stream) never mix. */
  function startConsumer(name: string): { eventType: string; durableName: string } {
    // Event types allow lower-case letters and hyphens only.
    const token = Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('');
    const durableName = `consumer-test-${name}-${token}`;
    const eventType = `civil.consumer-test.${name}-${token}.recorded.v1`;
    const consumer = new RecordingConsumer({ nats, dataSource, logger, config: eventConfigSchema.parse({}) }, durableName, eventType);
    consumer.onApplicationBootstrap();
    consumers.push(consumer);
    return { eventType, durableName };
  }

  function event(eventType: string, subject: string): EventEnvelope {
    return createEvent({ source: '/civil/test', type: eventType, subject, divisioncode: '430503001000', actor: 'test', data: {} });
  }

  async function appliedSubjects(): Promise<string[]> {
    const rows = await dataSource.query<{ subject: string }[]>(`SELECT subject FROM consumed_item ORDER BY subject`);
    return rows.map((r) => r.subject);
  }

  async function deadLetters(durableName: string): Promise<{ payload: string; error: string; deliveries: number }[]> {
    return dataSource.query(`SELECT payload, error, deliveries FROM dead_letter WHERE consumer = $1 ORDER BY id`, [durableName]);
  }

  /** Messages the server still holds for the consumer: not yet delivered, or delivered and not settled. */
  async function unsettled(durableName: string): Promise<number> {
    const info = await jsm.consumers.info(EVENT_STREAM, durableName);
    return info.num_pending + info.num_ack_pending;
  }

  beforeAll(async () => {
    const { natsUrl } = integrationEnv();
    dataSource = new DataSource(serviceDataSourceOptions({ url: await createTestDatabase('consumer'), entities: [], migrations: [], applicationName: 'consumer-test' }));
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.query(`CREATE TABLE consumed_item (event_id uuid NOT NULL, subject text NOT NULL)`);
    nats = new NatsConnectionService({ NATS_URL: natsUrl } as BaseConfig, 'consumer-test', logger);
    await nats.onModuleInit();
    nc = await connect({ servers: natsUrl });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    // The consumers create the stream too, but the tests publish before their loops get there.
    const { EVENT_STREAM_REPLICAS: replicas, EVENT_DUPLICATE_WINDOW_MS: duplicateWindowMs } = eventConfigSchema.parse({});
    await ensureEventStream(jsm, { replicas, duplicateWindowMs });
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.beforeApplicationShutdown();
    await dataSource.query(`TRUNCATE consumed_item`);
  });

  afterAll(async () => {
    await nc.close();
    await nats.onApplicationShutdown();
    await dataSource.destroy();
  });

  it('applies each event once, dead-letters what does not parse (NUL bytes included) and goes on', async () => {
    const { eventType, durableName } = startConsumer('parse');
    const first = event(eventType, 'first');
    const second = event(eventType, 'second');
    await js.publish(eventType, JSON.stringify(first), { msgID: first.id });
    await js.publish(eventType, 'not json at all', { msgID: randomUUID() });
    // PostgreSQL text cannot hold U+0000: the dead letter must still be written, or the message
    // would come back for ever.
    await js.publish(eventType, Buffer.from('{"id": "nul\u0000inside"}', 'utf8'), { msgID: randomUUID() });
    // A republish the stream's duplicate window does not catch (another message id).
    await js.publish(eventType, JSON.stringify(first), { msgID: randomUUID() });
    await js.publish(eventType, JSON.stringify(second), { msgID: second.id });

    await eventually(async () => (await deadLetters(durableName)).length, (n) => n === 2, 'both dead letters');
    await eventually(appliedSubjects, (s) => s.length === 2, 'both good events');
    await eventually(() => unsettled(durableName), (n) => n === 0, 'every message settled');
    await new Promise((r) => setTimeout(r, 1_000));

    expect(await appliedSubjects()).toEqual(['first', 'second']);
    const dead = await deadLetters(durableName);
    expect(dead.map((d) => d.payload)).toEqual(['not json at all', '{"id": "nul\uFFFDinside"}']);
    for (const d of dead) expect(d.error).toBe('invalid event envelope: (body) is not JSON');
    expect(await unsettled(durableName)).toBe(0);
  });

  it('retries an event that keeps failing, dead-letters it after maxDeliveries, and applies the ones behind it', async () => {
    const { eventType, durableName } = startConsumer('retry');
    const failing = event(eventType, FAILING_SUBJECT);
    const behind = event(eventType, 'behind');
    await js.publish(eventType, JSON.stringify(failing), { msgID: failing.id });
    await js.publish(eventType, JSON.stringify(behind), { msgID: behind.id });

    await eventually(async () => (await deadLetters(durableName)).length, (n) => n === 1, 'the dead letter', 20_000);
    await eventually(() => unsettled(durableName), (n) => n === 0, 'every message settled');

    expect(await appliedSubjects()).toEqual(['behind']);
    const [dead] = await deadLetters(durableName);
    expect(dead).toEqual({ payload: JSON.stringify(failing), error: 'refused by the test', deliveries: 3 });
  });
});
