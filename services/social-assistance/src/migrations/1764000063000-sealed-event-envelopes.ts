import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PersonalDataCipher, sealResidentIdsInStoredEnvelopes } from '@civil/platform';

/**
 * Issue 8: events no longer carry resident IDs in plain text (`members` and `resident` hold the
 * sealed hash and ciphertext). The outbox keeps every event it ever published, so the envelopes
 * written before are sealed too: a dump of the database alone then exposes no number.
 */
export class SealedEventEnvelopes1764000063000 implements MigrationInterface {
  name = 'SealedEventEnvelopes1764000063000';

  async up(q: QueryRunner): Promise<void> {
    await sealResidentIdsInStoredEnvelopes(q, 'outbox', PersonalDataCipher.fromEnvironment(process.env));
  }

  /** Nothing to undo: a sealed envelope is a valid v1 event for every consumer, old or new. */
  async down(): Promise<void> {}
}
