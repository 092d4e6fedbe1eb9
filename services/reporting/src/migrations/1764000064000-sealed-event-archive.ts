import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PersonalDataCipher, sealResidentIdsInStoredEnvelopes } from '@civil/platform';

/**
 * Issue 8: events no longer carry resident IDs in plain text (`members` and `resident` hold the
 * sealed hash and ciphertext). The event archive keeps every event for ever (projections are
 * rebuilt from it), so the envelopes archived before are sealed too: a dump of the database alone
 * then exposes no number, and a rebuild reads the sealed form like any new event.
 */
export class SealedEventArchive1764000064000 implements MigrationInterface {
  name = 'SealedEventArchive1764000064000';

  async up(q: QueryRunner): Promise<void> {
    await sealResidentIdsInStoredEnvelopes(q, 'event_archive', PersonalDataCipher.fromEnvironment(process.env));
  }

  /** Nothing to undo: a sealed envelope is a valid v1 event for every consumer, old or new. */
  async down(): Promise<void> {}
}
