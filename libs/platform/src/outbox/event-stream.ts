import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { EVENT_STREAM, EVENT_STREAM_SUBJECTS } from '@civil/contracts';

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
  const config = {
    name: EVENT_STREAM,
    subjects: EVENT_STREAM_SUBJECTS,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: settings.replicas,
    duplicate_window: settings.duplicateWindowMs * 1_000_000,
  };
  try {
    const info = await jsm.streams.info(EVENT_STREAM);
    const same =
      info.config.num_replicas === config.num_replicas &&
      info.config.duplicate_window === config.duplicate_window &&
      JSON.stringify(info.config.subjects) === JSON.stringify(config.subjects);
    if (!same) await jsm.streams.update(EVENT_STREAM, { ...info.config, ...config });
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      try {
        await jsm.streams.add(config);
      } catch (addError) {
        // Another replica created it between our look and our add: that is fine.
        if (!(addError instanceof JetStreamApiError)) throw addError;
        await jsm.streams.info(EVENT_STREAM);
      }
      return;
    }
    throw error;
  }
}
