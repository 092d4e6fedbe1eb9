import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { EVENT_STREAM, PlaceNameEvents, createEvent } from '@civil/contracts';
import { createTestDatabase, integrationEnv } from '@civil/testing';
import { eventConfigSchema, type BaseConfig, type EventConfig } from '../config/config';
import { serviceDataSourceOptions } from '../database/data-source';
import { outboxPublished } from '../health/metrics';
import { NatsConnectionService } from '../nats/nats-connection';
import { ensureEventStream } from './event-stream';
import { OutboxRelay } from './outbox-relay';

/** The relay against real PostgreSQL and JetStream: replicas share the outbox without overlap. */
describe('OutboxRelay (PostgreSQL + JetStream)', () => {
  const logger = pino({ level: 'silent' });
  let dataSource: DataSource;
  const connections: NatsConnectionService[] = [];

  const relayConfig: EventConfig = { ...eventConfigSchema.parse({}), OUTBOX_BATCH_SIZE: 50, OUTBOX_RELAY_ENABLED: false };

  async function natsConnection(url: string): Promise<NatsConnectionService> {
    const config = { NATS_URL: url } as BaseConfig;
    const nats = new NatsConnectionService(config, 'relay-test', logger);
    await nats.onModuleInit();
    connections.push(nats);
    return nats;
  }

  async function insertEvents(count: number): Promise<string[]> {
    const events = Array.from({ length: count }, (_, i) =>
      createEvent({ source: '/civil/test', type: PlaceNameEvents.named, subject: `t/${i}`, divisioncode: '430503001000', actor: 'test', data: { i } }),
    );
    await dataSource.query(`INSERT INTO outbox (id, type, subject, envelope) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])`, [
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e)),
    ]);
    return events.map((e) => e.id);
  }

  async function streamCount(url: string): Promise<number> {
    const nc = await connect({ servers: url });
    try {
      return (await (await jetstreamManager(nc)).streams.info(EVENT_STREAM)).state.messages;
    } catch {
      return 0;
    } finally {
      await nc.close();
    }
  }

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSourceOptions({ url: await createTestDatabase('relay'), entities: [], migrations: [], applicationName: 'relay-test' }));
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    for (const c of connections) await c.onApplicationShutdown();
    await dataSource.destroy();
  });

  it('two relays draining one outbox publish every row exactly once between them', async () => {
    const { natsUrl } = integrationEnv();
    const relays = [new OutboxRelay(dataSource, await natsConnection(natsUrl), relayConfig, logger), new OutboxRelay(dataSource, await natsConnection(natsUrl), relayConfig, logger)];
    // The stream is created on the first pass of a relay loop; here we call passes directly.
    const nats = connections[0];
    if (!nats) throw new Error('no connection');
    await ensureEventStream(await nats.jetstreamManager(), { replicas: 1, duplicateWindowMs: 120_000 });
    const streamBefore = await streamCount(natsUrl);
    const publishedBefore = (await outboxPublished.get()).values[0]?.value ?? 0;

    await insertEvents(1000);
    const perRelay = [0, 0];
    // Both relays pass concurrently until the outbox is empty; SKIP LOCKED keeps their batches apart.
    await Promise.all(
      relays.map(async (relay, index) => {
        for (;;) {
          const published = await relay.publishBatch();
          perRelay[index] = (perRelay[index] ?? 0) + published;
          if (published === 0) break;
        }
      }),
    );

    const publishedAfter = (await outboxPublished.get()).values[0]?.value ?? 0;
    // Publishes counted by the relays themselves: a row published by both would count twice,
    // even though JetStream's de-duplication would hide the second copy in the stream.
    expect(publishedAfter - publishedBefore).toBe(1000);
    expect((perRelay[0] ?? 0) + (perRelay[1] ?? 0)).toBe(1000);
    expect(perRelay.every((n) => n > 0)).toBe(true);
    expect(await streamCount(natsUrl)).toBe(streamBefore + 1000);
    const [left] = await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`);
    expect(Number(left?.n)).toBe(0);
  });

  it('while NATS is unreachable a pass fails, and the rows stay unpublished with the error recorded', async () => {
    // A connection to a server that is then closed: publishes fail fast instead of hanging.
    const { natsUrl } = integrationEnv();
    const nats = await natsConnection(natsUrl);
    await nats.nc.close();
    const relay = new OutboxRelay(dataSource, nats, relayConfig, logger);
    const ids = await insertEvents(5);

    await expect(relay.publishBatch()).rejects.toThrow();
    const rows = await dataSource.query<{ published_at: Date | null; attempts: number; last_error: string | null }[]>(
      `SELECT published_at, attempts, last_error FROM outbox WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row.published_at).toBeNull();
      expect(row.attempts).toBe(1);
      expect(row.last_error).toBeTruthy();
    }
  });
});
