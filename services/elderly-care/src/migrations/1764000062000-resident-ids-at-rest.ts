import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PersonalDataCipher } from '@civil/platform';

/** Distinct numbers hashed and encrypted per round trip. */
const BATCH = 2_000;

/**
 * Resident ID numbers at rest (issue 8): every column that held one in the clear is replaced by
 *   `resident_id_hash` — the keyed lookup hash (PersonalDataCipher.lookupHash), which lookups,
 *                        joins and unique constraints use, and
 *   `resident_id_enc`  — the AES-256-GCM ciphertext, decrypted only to show the number,
 * under PERSONAL_DATA_KEY from the environment (never in the database). Facts SQL needs from the
 * number get their own column: `birth_date` on the 特困/低保 read models (the registers and stays
 * had one already).
 *
 *   older_resident.resident_id            → resident_id_hash (UNIQUE), resident_id_enc
 *   age_allowance_enrolment.resident_id   → resident_id_hash, resident_id_enc (copied from the register)
 *   age_allowance_payment.resident_id     → resident_id_hash (PRIMARY KEY (period, resident_id_hash)), resident_id_enc
 *   care_admission.resident_id            → resident_id_hash (one open stay, by person), resident_id_enc
 *   home_adaptation_case.resident_id      → resident_id_hash, resident_id_enc; household_key
 *                                           `resident/<number>` → `resident/<hash>`
 *   home_adaptation_case.disability_certificate (the number + two digits) → disability_certificate_enc
 *   assistance_tekun_view.resident_id     → resident_id_hash, resident_id_enc, birth_date
 *   assistance_dibao_member_view.resident_id → resident_id_hash (PRIMARY KEY (case_id, resident_id_hash),
 *                                           as the shared projection writes it), resident_id_enc, birth_date
 *
 * Backfill: the distinct numbers of all these tables go into a temporary table, are hashed and
 * encrypted here in batches (fetch a batch, compute, one UPDATE … FROM unnest), then each table is
 * updated with one set-based UPDATE joining it; the plaintext columns are dropped last. (Old row
 * versions stay in the data files until VACUUM reuses the space; a dump never contains them.)
 */
export class ResidentIdsAtRest1764000062000 implements MigrationInterface {
  name = 'ResidentIdsAtRest1764000062000';

  async up(q: QueryRunner): Promise<void> {
    const cipher = PersonalDataCipher.fromEnvironment(process.env);

    await q.query(`CREATE TEMPORARY TABLE resident_id_at_rest (plain text PRIMARY KEY, hash text, enc text, birth_date date)`);
    await q.query(`
      INSERT INTO resident_id_at_rest (plain)
      SELECT resident_id FROM older_resident
       UNION SELECT resident_id FROM age_allowance_enrolment
       UNION SELECT resident_id FROM age_allowance_payment
       UNION SELECT resident_id FROM care_admission
       UNION SELECT resident_id FROM home_adaptation_case
       UNION SELECT resident_id FROM assistance_tekun_view WHERE resident_id IS NOT NULL
       UNION SELECT resident_id FROM assistance_dibao_member_view`);
    for (let last: string | null = null; ; ) {
      const rows = (await q.query(`SELECT plain FROM resident_id_at_rest WHERE $1::text IS NULL OR plain > $1 ORDER BY plain LIMIT $2`, [last, BATCH])) as { plain: string }[];
      if (rows.length === 0) break;
      const plains = rows.map((r) => r.plain);
      await q.query(
        `UPDATE resident_id_at_rest m SET hash = v.hash, enc = v.enc, birth_date = v.birth_date
           FROM unnest($1::text[], $2::text[], $3::text[], $4::date[]) AS v (plain, hash, enc, birth_date)
          WHERE m.plain = v.plain`,
        [plains, plains.map((p) => cipher.lookupHash(p)), plains.map((p) => cipher.encrypt(p)), plains.map(birthDateIn)],
      );
      last = plains[plains.length - 1] ?? null;
    }

    // Every table: the two new columns, one UPDATE from the map, then the plaintext column goes
    // (taking its indexes and constraints with it) and they are recreated on the hash.
    const backfill = async (table: string, extra = ''): Promise<void> => {
      await q.query(`ALTER TABLE ${table} ADD COLUMN resident_id_hash text, ADD COLUMN resident_id_enc text${extra ? `, ADD COLUMN ${extra}` : ''}`);
      await q.query(
        `UPDATE ${table} t SET resident_id_hash = m.hash, resident_id_enc = m.enc${extra ? ', birth_date = m.birth_date' : ''}
           FROM resident_id_at_rest m WHERE m.plain = t.resident_id`,
      );
    };

    await backfill('older_resident');
    await q.query(`ALTER TABLE older_resident DROP COLUMN resident_id`);
    await q.query(`ALTER TABLE older_resident ALTER COLUMN resident_id_hash SET NOT NULL, ALTER COLUMN resident_id_enc SET NOT NULL`);
    await q.query(`ALTER TABLE older_resident ADD CONSTRAINT older_resident_resident_id_hash_key UNIQUE (resident_id_hash)`);

    await backfill('age_allowance_enrolment');
    await q.query(`ALTER TABLE age_allowance_enrolment DROP COLUMN resident_id`);
    await q.query(`ALTER TABLE age_allowance_enrolment ALTER COLUMN resident_id_hash SET NOT NULL, ALTER COLUMN resident_id_enc SET NOT NULL`);

    await backfill('age_allowance_payment');
    await q.query(`ALTER TABLE age_allowance_payment DROP COLUMN resident_id`);
    await q.query(`ALTER TABLE age_allowance_payment ALTER COLUMN resident_id_hash SET NOT NULL, ALTER COLUMN resident_id_enc SET NOT NULL`);
    // One age allowance per person and month, whichever band pays it.
    await q.query(`ALTER TABLE age_allowance_payment ADD PRIMARY KEY (period, resident_id_hash)`);

    await backfill('care_admission');
    await q.query(`ALTER TABLE care_admission DROP COLUMN resident_id`);
    await q.query(`ALTER TABLE care_admission ALTER COLUMN resident_id_hash SET NOT NULL, ALTER COLUMN resident_id_enc SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX care_admission_one_open_stay ON care_admission (resident_id_hash) WHERE discharged_on IS NULL`);
    await q.query(`CREATE INDEX care_admission_resident ON care_admission (resident_id_hash, admitted_on)`);

    await backfill('home_adaptation_case');
    await q.query(`UPDATE home_adaptation_case SET household_key = 'resident/' || resident_id_hash WHERE household_key = 'resident/' || resident_id`);
    await q.query(`ALTER TABLE home_adaptation_case DROP COLUMN resident_id`);
    await q.query(`ALTER TABLE home_adaptation_case ALTER COLUMN resident_id_hash SET NOT NULL, ALTER COLUMN resident_id_enc SET NOT NULL`);
    await q.query(`CREATE INDEX home_adaptation_case_resident ON home_adaptation_case (resident_id_hash)`);
    // The 残疾人证 number begins with the holder's resident ID: encrypted as a whole, row by row in batches.
    await q.query(`ALTER TABLE home_adaptation_case ADD COLUMN disability_certificate_enc text`);
    for (;;) {
      const rows = (await q.query(
        `SELECT id, disability_certificate FROM home_adaptation_case WHERE disability_certificate IS NOT NULL AND disability_certificate_enc IS NULL ORDER BY id LIMIT $1`,
        [BATCH],
      )) as { id: string; disability_certificate: string }[];
      if (rows.length === 0) break;
      await q.query(
        `UPDATE home_adaptation_case c SET disability_certificate_enc = v.enc FROM unnest($1::uuid[], $2::text[]) AS v (id, enc) WHERE c.id = v.id`,
        [rows.map((r) => r.id), rows.map((r) => cipher.encrypt(r.disability_certificate))],
      );
    }
    await q.query(`ALTER TABLE home_adaptation_case DROP COLUMN disability_certificate`);

    await backfill('assistance_tekun_view', 'birth_date date');
    await q.query(`ALTER TABLE assistance_tekun_view DROP COLUMN resident_id`);
    await q.query(`CREATE INDEX assistance_tekun_view_resident ON assistance_tekun_view (resident_id_hash)`);

    // The shared projection (projectDibaoCaseEvent) writes (case_id, resident_id_hash); the
    // consumer adds the ciphertext and birth date of the members it is given.
    await backfill('assistance_dibao_member_view', 'birth_date date');
    await q.query(`ALTER TABLE assistance_dibao_member_view DROP COLUMN resident_id`);
    await q.query(`ALTER TABLE assistance_dibao_member_view ALTER COLUMN resident_id_hash SET NOT NULL`);
    await q.query(`ALTER TABLE assistance_dibao_member_view ADD PRIMARY KEY (case_id, resident_id_hash)`);
    await q.query(`CREATE INDEX assistance_dibao_member_view_resident ON assistance_dibao_member_view (resident_id_hash)`);

    await q.query(`DROP TABLE resident_id_at_rest`);
  }

  /**
   * Irreversible on purpose: going back would write every resident ID to the database in the
   * clear again, which is what issue 8 forbids (and the hashes of 低保 members the shared
   * projection wrote after this migration have no number to go back to). Restore a backup taken
   * before the migration instead.
   */
  async down(): Promise<void> {
    throw new Error('irreversible: 1764000062000 (resident IDs at rest) would put resident IDs back in the clear; restore a backup from before it instead');
  }
}

/** The birth date an 18-character resident ID carries (YYYY-MM-DD), or null when it is not a real date. */
function birthDateIn(residentId: string): string | null {
  const match = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(residentId.trim());
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const iso = `${y}-${m}-${d}`;
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}
