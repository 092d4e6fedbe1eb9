import { PersonalDataCipher } from '@civil/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resident IDs at rest (issue 8): every column of this schema that held a resident ID in plain
 * text is replaced by `<col>_hash` (the keyed lookup hash: lookups, joins, uniqueness) and
 * `<col>_enc` (AES-GCM ciphertext: shown when allowed), under PERSONAL_DATA_KEY from the
 * environment (the key never reaches the database: hashes and ciphertexts are computed here in JS,
 * a batch at a time, and written with one `UPDATE … FROM unnest(…)` per batch).
 *
 * Plain columns:
 *   marriage_appointment.party_a_resident_id, .party_b_resident_id
 *   marriage_certificate.holder_resident_id
 *   person_marital_status.resident_id (the primary key: now on the hash)
 *   divorce_application.withdrawn_by_resident_id
 *   cemetery_booking.visitor_resident_id
 *   counselling_booking.client_resident_id, .partner_resident_id
 *   allowance_enrolment.resident_id
 *   allowance_enrolment.certificate_number (a 残疾人证 number is the resident ID and two digits;
 *     only `_enc`: nothing looks it up, its category and grade have their own columns)
 *   allowance_payment.resident_id
 *   dibao_case_member_view.resident_id (only `_hash`: the shared projection writes the hash alone)
 * JSON columns listing people as {name, residentId}, rewritten as {name, residentIdHash, residentIdEnc}:
 *   marriage_registration.parties, marriage_certificate.particulars.parties, divorce_application.parties
 *
 * The facts SQL reads from the number already have a column of their own
 * (allowance_enrolment.birth_date, used by the payroll's age test); the sex and ages shown on a
 * marriage registration are computed in TypeScript from the decrypted number.
 *
 * New: dibao_member_identity (resident_id_hash → resident_id_enc) of the people social
 * assistance's 低保 events name, kept by the consumer beside the shared projection (which keeps
 * hashes only), so the demo can enrol living-allowance holders among them.
 */
interface PlainColumn {
  table: string;
  column: string;
  /** The column's SQL type, to compare with it so that its index is used. */
  type: 'text' | 'char(18)';
  /** Whether the new columns may be NULL (the plain column could). */
  nullable: boolean;
  /** Only the ciphertext: nothing looks the value up. */
  encOnly?: boolean;
}

const PLAIN_COLUMNS: PlainColumn[] = [
  { table: 'marriage_appointment', column: 'party_a_resident_id', type: 'text', nullable: false },
  { table: 'marriage_appointment', column: 'party_b_resident_id', type: 'text', nullable: false },
  { table: 'marriage_certificate', column: 'holder_resident_id', type: 'text', nullable: true },
  { table: 'person_marital_status', column: 'resident_id', type: 'text', nullable: false },
  { table: 'divorce_application', column: 'withdrawn_by_resident_id', type: 'text', nullable: true },
  { table: 'cemetery_booking', column: 'visitor_resident_id', type: 'char(18)', nullable: false },
  { table: 'counselling_booking', column: 'client_resident_id', type: 'char(18)', nullable: false },
  { table: 'counselling_booking', column: 'partner_resident_id', type: 'char(18)', nullable: true },
  { table: 'allowance_enrolment', column: 'resident_id', type: 'text', nullable: false },
  { table: 'allowance_enrolment', column: 'certificate_number', type: 'text', nullable: true, encOnly: true },
  { table: 'allowance_payment', column: 'resident_id', type: 'text', nullable: false },
];

/** JSON columns holding an array of {name, residentId} at `path` (empty: the column itself). */
const PARTY_JSON: { table: string; column: string; key: string; keyType: 'uuid' | 'text'; path: string[] }[] = [
  { table: 'marriage_registration', column: 'parties', key: 'id', keyType: 'uuid', path: [] },
  { table: 'marriage_certificate', column: 'particulars', key: 'number', keyType: 'text', path: ['parties'] },
  { table: 'divorce_application', column: 'parties', key: 'id', keyType: 'uuid', path: [] },
];

const BATCH = 5000;

export class ResidentIdsAtRest1764000061000 implements MigrationInterface {
  name = 'ResidentIdsAtRest1764000061000';

  async up(q: QueryRunner): Promise<void> {
    const cipher = PersonalDataCipher.fromEnvironment(process.env);

    // 1. The plain columns: new columns, filled a batch of distinct numbers at a time (an index on
    // the plain column, made for the purpose where none serves, keeps each batch's update cheap).
    for (const c of PLAIN_COLUMNS) {
      const hash = `${c.column}_hash`;
      const enc = `${c.column}_enc`;
      await q.query(`ALTER TABLE ${c.table} ${c.encOnly ? '' : `ADD COLUMN ${hash} text, `}ADD COLUMN ${enc} text`);
      const helper = `${c.table}_${c.column}_backfill`;
      await q.query(`CREATE INDEX ${helper} ON ${c.table} (${c.column})`);
      let last: string | null = null;
      for (;;) {
        const rows = (await q.query(
          `SELECT DISTINCT ${c.column}::text AS plain FROM ${c.table}
            WHERE ${c.column} IS NOT NULL${last === null ? '' : ` AND ${c.column} > $2::${c.type}`}
            ORDER BY 1 LIMIT $1`,
          last === null ? [BATCH] : [BATCH, last],
        )) as { plain: string }[];
        if (rows.length === 0) break;
        const plain = rows.map((r) => r.plain);
        await q.query(
          `UPDATE ${c.table} t SET ${c.encOnly ? '' : `${hash} = u.hash, `}${enc} = u.enc
             FROM unnest($1::text[], $2::text[], $3::text[]) AS u(plain, hash, enc)
            WHERE t.${c.column} = u.plain::${c.type}`,
          [plain, plain.map((p) => cipher.lookupHash(p)), plain.map((p) => cipher.encrypt(p))],
        );
        last = plain[plain.length - 1] ?? null;
        if (rows.length < BATCH) break;
      }
      await q.query(`DROP INDEX ${helper}`);
    }

    // 2. The JSON columns: each party's number becomes its hash and ciphertext.
    for (const j of PARTY_JSON) {
      let last: string | null = null;
      for (;;) {
        const rows = (await q.query(
          `SELECT ${j.key}::text AS key, ${j.column} AS value FROM ${j.table}
            ${last === null ? '' : `WHERE ${j.key} > $2::${j.keyType}`} ORDER BY ${j.key} LIMIT $1`,
          last === null ? [BATCH] : [BATCH, last],
        )) as { key: string; value: unknown }[];
        if (rows.length === 0) break;
        const sealed = rows.map((r) => JSON.stringify(sealPartiesAt(cipher, r.value, j.path)));
        await q.query(
          `UPDATE ${j.table} t SET ${j.column} = u.value FROM unnest($1::${j.keyType}[], $2::jsonb[]) AS u(key, value) WHERE t.${j.key} = u.key`,
          [rows.map((r) => r.key), sealed],
        );
        last = rows[rows.length - 1]?.key ?? null;
        if (rows.length < BATCH) break;
      }
    }

    // 3. The 低保 read model: members by hash (as the shared projection now writes them), and the
    // identities of the people named, encrypted.
    await q.query(`
      CREATE TABLE dibao_member_identity (
        resident_id_hash text PRIMARY KEY CHECK (resident_id_hash ~ '^[0-9a-f]{64}$'),
        resident_id_enc text NOT NULL CHECK (resident_id_enc LIKE 'v1.%')
      )`);
    await q.query(`ALTER TABLE dibao_case_member_view ADD COLUMN resident_id_hash text`);
    {
      let last: string | null = null;
      for (;;) {
        const rows = (await q.query(
          `SELECT DISTINCT resident_id AS plain FROM dibao_case_member_view${last === null ? '' : ' WHERE resident_id > $2'} ORDER BY 1 LIMIT $1`,
          last === null ? [BATCH] : [BATCH, last],
        )) as { plain: string }[];
        if (rows.length === 0) break;
        const plain = rows.map((r) => r.plain);
        const hashes = plain.map((p) => cipher.lookupHash(p));
        await q.query(`UPDATE dibao_case_member_view t SET resident_id_hash = u.hash FROM unnest($1::text[], $2::text[]) AS u(plain, hash) WHERE t.resident_id = u.plain`, [plain, hashes]);
        await q.query(`INSERT INTO dibao_member_identity (resident_id_hash, resident_id_enc) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, [
          hashes,
          plain.map((p) => cipher.encrypt(p)),
        ]);
        last = plain[plain.length - 1] ?? null;
        if (rows.length < BATCH) break;
      }
    }

    // 4. Drop the plain columns (their indexes and constraints go with them), then the same rules
    // on the hashes.
    for (const c of PLAIN_COLUMNS) {
      await q.query(`ALTER TABLE ${c.table} DROP COLUMN ${c.column}`);
      const hash = `${c.column}_hash`;
      const enc = `${c.column}_enc`;
      const notNull = c.nullable ? [] : [...(c.encOnly ? [] : [`ALTER COLUMN ${hash} SET NOT NULL`]), `ALTER COLUMN ${enc} SET NOT NULL`];
      const forms = [...(c.encOnly ? [] : [`ADD CONSTRAINT ${c.table}_${hash}_form CHECK (${hash} ~ '^[0-9a-f]{64}$')`]), `ADD CONSTRAINT ${c.table}_${enc}_form CHECK (${enc} LIKE 'v1.%')`];
      await q.query(`ALTER TABLE ${c.table} ${[...notNull, ...forms].join(', ')}`);
    }
    await q.query(`ALTER TABLE dibao_case_member_view DROP COLUMN resident_id`);
    await q.query(`ALTER TABLE dibao_case_member_view ALTER COLUMN resident_id_hash SET NOT NULL, ADD PRIMARY KEY (case_id, resident_id_hash)`);
    await q.query(`CREATE INDEX dibao_case_member_view_resident ON dibao_case_member_view (resident_id_hash)`);

    // Marriage: one live appointment per (first) person; two different persons; the status per person.
    await q.query(`ALTER TABLE marriage_appointment ADD CONSTRAINT marriage_appointment_two_persons CHECK (party_a_resident_id_hash <> party_b_resident_id_hash)`);
    await q.query(`CREATE UNIQUE INDEX marriage_appointment_live_a ON marriage_appointment (party_a_resident_id_hash) WHERE status = 'BOOKED'`);
    await q.query(`CREATE INDEX marriage_appointment_party_b ON marriage_appointment (party_b_resident_id_hash)`);
    await q.query(`ALTER TABLE marriage_certificate ADD CONSTRAINT marriage_certificate_holder_of_reissue CHECK ((kind = 'original') = (holder_resident_id_hash IS NULL))`);
    await q.query(`ALTER TABLE person_marital_status ADD PRIMARY KEY (resident_id_hash)`);
    // Cemetery and counselling.
    await q.query(`CREATE INDEX cemetery_booking_visitor ON cemetery_booking (visitor_resident_id_hash)`);
    await q.query(`ALTER TABLE counselling_booking ADD CONSTRAINT counselling_booking_two_persons CHECK (partner_resident_id_hash IS NULL OR partner_resident_id_hash <> client_resident_id_hash)`);
    await q.query(`CREATE UNIQUE INDEX counselling_booking_live ON counselling_booking (slot_id, client_resident_id_hash) WHERE status = 'BOOKED'`);
    await q.query(`CREATE INDEX counselling_booking_client ON counselling_booking (client_resident_id_hash)`);
    await q.query(`CREATE INDEX counselling_booking_partner ON counselling_booking (partner_resident_id_hash) WHERE partner_resident_id_hash IS NOT NULL`);
    // Allowances: one open enrolment per person and programme, one child allowance per child; one
    // payment per person, programme and month, one child payment per child and month.
    await q.query(`ALTER TABLE allowance_enrolment ADD CONSTRAINT allowance_enrolment_disability_certificate CHECK ((programme LIKE 'disability-%') = (grade IS NOT NULL AND certificate_number_enc IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX allowance_enrolment_one_open ON allowance_enrolment (programme, resident_id_hash) WHERE last_period IS NULL`);
    await q.query(`CREATE UNIQUE INDEX allowance_enrolment_one_open_child ON allowance_enrolment (resident_id_hash) WHERE last_period IS NULL AND programme IN ('orphan', 'de-facto-unsupported')`);
    await q.query(`ALTER TABLE allowance_payment ADD PRIMARY KEY (period, programme, resident_id_hash)`);
    await q.query(`CREATE UNIQUE INDEX allowance_payment_one_per_child ON allowance_payment (period, resident_id_hash) WHERE programme IN ('orphan', 'de-facto-unsupported')`);
  }

  /**
   * Irreversible on purpose: going back would write every resident ID into the database in plain
   * text again, which is what issue 8 forbids; and the previous release cannot read the new
   * columns. Restore the pre-migration backup instead if a rollback is ever needed.
   */
  async down(): Promise<void> {
    throw new Error('irreversible: ResidentIdsAtRest1764000061000 would restore resident IDs in plain text (issue 8); restore a backup taken before it instead');
  }
}

/** The value with each {name, residentId} of the array at `path` sealed; anything already sealed is left alone. */
function sealPartiesAt(cipher: PersonalDataCipher, value: unknown, path: string[]): unknown {
  if (path.length === 0) {
    if (!Array.isArray(value)) return value;
    return value.map((party: unknown) => {
      if (typeof party !== 'object' || party === null || !('residentId' in party)) return party;
      const { residentId, ...rest } = party as { residentId: string } & Record<string, unknown>;
      return { ...rest, residentIdHash: cipher.lookupHash(residentId), residentIdEnc: cipher.encrypt(residentId) };
    });
  }
  if (typeof value !== 'object' || value === null) return value;
  const [head, ...tail] = path as [string, ...string[]];
  const record = value as Record<string, unknown>;
  return { ...record, [head]: sealPartiesAt(cipher, record[head], tail) };
}
