import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { auditSubject, type Actor, type AuditEntry, AUDIT_PATH_MAX_LENGTH, AUDIT_REASON_MAX_LENGTH, AUDIT_USER_AGENT_MAX_LENGTH } from '@civil/contracts';
import { NatsConnectionService, PLATFORM_CONFIG, PLATFORM_LOGGER, ensureAuditStream } from '@civil/platform';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';

export type AuditRecord = Omit<AuditEntry, 'id' | 'at' | 'actor'> & { actor: Actor | null };

/**
 * Publishes audit entries to the AUDIT stream (the reporting service stores them, append-only,
 * for auditors). The entry id is the stream's message id, so a publish retried after a lost
 * acknowledgement is stored once. Publishing waits for the stream's acknowledgement: an entry
 * the caller was told about is durable.
 */
@Injectable()
export class AuditTrail implements OnModuleInit {
  constructor(
    private readonly nats: NatsConnectionService,
    @Inject(PLATFORM_CONFIG) private readonly config: GatewayConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await ensureAuditStream(await this.nats.jetstreamManager(), { replicas: this.config.EVENT_STREAM_REPLICAS, duplicateWindowMs: this.config.EVENT_DUPLICATE_WINDOW_MS });
  }

  /** Throws when the entry could not be stored: callers that must not go on without it (a reveal) fail closed. */
  async record(record: AuditRecord): Promise<void> {
    const id = uuidv7();
    const entry: AuditEntry = {
      ...record,
      id,
      at: new Date().toISOString(),
      actor: record.actor ? { userId: record.actor.userId, kind: record.actor.kind, roles: [...record.actor.roles] } : null,
      route: record.route.slice(0, AUDIT_PATH_MAX_LENGTH),
      path: record.path.slice(0, AUDIT_PATH_MAX_LENGTH),
      userAgent: record.userAgent?.slice(0, AUDIT_USER_AGENT_MAX_LENGTH) ?? null,
      reason: record.reason?.slice(0, AUDIT_REASON_MAX_LENGTH) ?? null,
    };
    // Retried (same message id, so stored once) while the AUDIT stream has no leader: an election
    // in a JetStream cluster takes 5-8 s, and a single attempt lost the entries of every write
    // answered meanwhile (3-node cluster drill). nats.js retries on a timeout or "no responders"
    // after 0, 0.25, 0.25, 0.5, 0.5, 3 and 5 s: about 10 s of waiting, then the error.
    await this.nats.jetstream().publish(auditSubject(entry.kind), JSON.stringify(entry), { msgID: id, timeout: 2_000, retries: 8 });
  }

  /** For entries that must not change the reply (a write already done, a refusal): logged when lost. */
  async recordOrLog(record: AuditRecord): Promise<void> {
    try {
      await this.record(record);
    } catch (error) {
      this.logger.error({ err: error, route: record.route, kind: record.kind, status: record.status }, 'audit entry could not be published');
    }
  }
}
