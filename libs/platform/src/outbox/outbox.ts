import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { createEvent, eventSubject, type Actor, type EventEnvelope } from '@civil/contracts';
import { currentTraceparent } from '../telemetry/propagation';
import { SERVICE_NAME } from '../tokens';
import { OutboxRelay } from './outbox-relay';

export interface DomainEvent<TData> {
  type: string;
  /** What the event is about, e.g. `place-name/<id>`. */
  subject: string;
  divisionCode: string;
  data: TData;
}

export interface Transaction {
  manager: EntityManager;
  /** Records events in this transaction: they exist exactly when the change commits. */
  emit<TData>(actor: Actor | null, events: DomainEvent<TData>[]): Promise<EventEnvelope<TData>[]>;
}

/**
 * The transactional outbox. `transaction` runs the work and its events in one database
 * transaction and wakes the relay after commit, so events go out promptly.
 */
@Injectable()
export class Outbox {
  constructor(
    @Inject(SERVICE_NAME) private readonly serviceName: string,
    private readonly dataSource: DataSource,
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    let emitted = 0;
    const result = await this.dataSource.transaction(async (manager) =>
      work({
        manager,
        emit: async (actor, events) => {
          const envelopes = await this.append(manager, actor, events);
          emitted += envelopes.length;
          return envelopes;
        },
      }),
    );
    if (emitted > 0) this.relay?.wake();
    return result;
  }

  /**
   * Records events in a transaction the caller already runs (a consumer applying an event): they
   * exist exactly when that transaction commits, and the relay's next poll publishes them.
   */
  async emitWithin<TData>(manager: EntityManager, actor: Actor | null, events: DomainEvent<TData>[]): Promise<EventEnvelope<TData>[]> {
    return this.append(manager, actor, events);
  }

  private async append<TData>(manager: EntityManager, actor: Actor | null, events: DomainEvent<TData>[]): Promise<EventEnvelope<TData>[]> {
    const traceparent = currentTraceparent();
    const envelopes = events.map((e) =>
      createEvent({
        source: `/civil/${this.serviceName}`,
        type: e.type,
        subject: e.subject,
        divisioncode: e.divisionCode,
        actor: actor?.userId ?? 'system',
        data: e.data,
        ...(traceparent ? { traceparent } : {}),
      }),
    );
    if (envelopes.length === 0) return envelopes;
    await manager.query(
      `INSERT INTO outbox (id, type, subject, envelope)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])`,
      [envelopes.map((e) => e.id), envelopes.map((e) => e.type), envelopes.map((e) => eventSubject(e.type)), envelopes.map((e) => JSON.stringify(e))],
    );
    return envelopes;
  }
}
