import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { AUDIT_STREAM, AUDIT_STREAM_SUBJECTS, EVENT_STREAM, EVENT_STREAM_SUBJECTS } from '@civil/contracts';

export interface EventStreamSettings {
  replicas: number;
  duplicateWindowMs: number;
}

/**
 * Creates the platform's event stream, or brings an existing one to the configured settings.
 * Idempotent, so every service may call it at boot. Events are kept (limits retention, no age
 * limit) because reporting rebuilds projections from its archive, and new consumers may replay.
 */
export async function ensureEventStream(jsm: JetStreamManager, settings: EventStreamSettings): Promise<void> {
  await ensureStream(jsm, EVENT_STREAM, EVENT_STREAM_SUBJECTS, settings);
}

/**
 * Creates the gateway's audit stream (`AUDIT`, `audit.>`), or brings an existing one to the
 * configured settings; idempotent like {@link ensureEventStream}. Entries are kept (limits
 * retention, file storage, no age limit): the audit log is append-only, and the reporting
 * service's durable consumer stores every entry once.
 */
export async function ensureAuditStream(jsm: JetStreamManager, settings: EventStreamSettings): Promise<void> {
  await ensureStream(jsm, AUDIT_STREAM, AUDIT_STREAM_SUBJECTS, settings);
}

async function ensureStream(jsm: JetStreamManager, name: string, subjects: string[], settings: EventStreamSettings): Promise<void> {
  const config = {
    name,
    subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    // Kept for good: no age limit.
    max_age: 0,
    num_replicas: settings.replicas,
    duplicate_window: settings.duplicateWindowMs * 1_000_000,
  };
  try {
    const info = await jsm.streams.info(name);
    const same =
      info.config.num_replicas === config.num_replicas &&
      info.config.duplicate_window === config.duplicate_window &&
      (info.config.max_age ?? 0) === 0 &&
      JSON.stringify(info.config.subjects) === JSON.stringify(config.subjects);
    if (!same) await jsm.streams.update(name, { ...info.config, ...config });
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      try {
        await jsm.streams.add(config);
      } catch (addError) {
        // Another replica created it between our look and our add: that is fine.
        if (!(addError instanceof JetStreamApiError)) throw addError;
        await jsm.streams.info(name);
      }
      return;
    }
    throw error;
  }
}
