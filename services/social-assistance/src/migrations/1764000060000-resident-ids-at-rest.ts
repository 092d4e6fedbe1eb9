import { PersonalDataCipher } from '@civil/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resident IDs at rest (issue 8): every column that held a resident ID in plain text is replaced by
 * `<col>_hash` (the keyed lookup hash: lookups, joins and uniqueness) and `<col>_enc` (AES-GCM
 * ciphertext: shown when allowed, the bank file), under PERSONAL_DATA_KEY from the environment.
 * The facts SQL reads from the number already have their own columns (household_member.birth_date
 * and sex, used by the review schedule's working-age test); nothing in SQL reads the region code.
 *
 * JSON columns were checked too: verification reports and 特困 eligibility reports store masked
 * numbers only (ResidentId.masked(): region and last four), and no other JSON column of this
 * schema holds a resident ID. Event payloads in the outbox are out of this migration's scope.
 *
 * Existing rows are encrypted in batches here, in JS (the key never reaches the database): fetch a
 * batch by primary key, compute, one `UPDATE … FROM unnest(…)` per batch.
 */
interface ResidentIdColumn {
  table: string;
  column: string;
  key: string;
  keyType: 'uuid' | 'bigint';
  /** Indexes on the plaintext column, dropped with it and created again on the hash (on the plain column by `down`). */
  indexes: { name: string; create: (column: string) => string }[];
  /** A CHECK on the plaintext, restored by `down`. */
  plainCheck?: string;
}

const COLUMNS: ResidentIdColumn[] = [
  {
    table: 'household_member',
    column: 'resident_id',
    key: 'id',
    keyType: 'uuid',
    // A person belongs to one assistance household at a time.
    indexes: [{ name: 'household_member_person', create: (c) => `CREATE UNIQUE INDEX household_member_person ON household_member (${c})` }],
  },
  {
    table: 'dibao_application',
    column: 'applicant_resident_id',
    key: 'id',
    keyType: 'uuid',
    indexes: [{ name: 'dibao_application_applicant', create: (c) => `CREATE INDEX dibao_application_applicant ON dibao_application (${c})` }],
  },
  {
    table: 'tekun_person',
    column: 'resident_id',
    key: 'id',
    keyType: 'uuid',
    // One open 特困 record per person.
    indexes: [
      {
        name: 'tekun_person_one_open',
        create: (c) => `CREATE UNIQUE INDEX tekun_person_one_open ON tekun_person (${c}) WHERE end_period IS NULL`,
      },
    ],
  },
  {
    table: 'verification_import_fact',
    column: 'resident_id',
    key: 'id',
    keyType: 'bigint',
    indexes: [
      {
        name: 'verification_import_fact_lookup',
        create: (c) => `CREATE INDEX verification_import_fact_lookup ON verification_import_fact (source_id, ${c}, batch)`,
      },
    ],
    plainCheck: `CHECK (resident_id ~ '^[0-9]{17}[0-9X]$')`,
  },
];

const BATCH = 5000;

interface KeyedValue {
  key: string;
  value: string;
}

/** Walks the table in primary-key order, BATCH rows at a time, handing each batch to `apply`. */
async function forEachBatch(q: QueryRunner, c: ResidentIdColumn, select: string, apply: (rows: KeyedValue[]) => Promise<void>): Promise<void> {
  let last: string | null = null;
  for (;;) {
    const rows = (await q.query(
      `SELECT ${c.key}::text AS key, ${select} AS value FROM ${c.table}
        WHERE ${select} IS NOT NULL${last === null ? '' : ` AND ${c.key} > $2::${c.keyType}`}
        ORDER BY ${c.key} LIMIT $1`,
      last === null ? [BATCH] : [BATCH, last],
    )) as KeyedValue[];
    if (rows.length === 0) return;
    await apply(rows);
    last = rows[rows.length - 1]?.key ?? null;
    if (rows.length < BATCH) return;
  }
}

export class ResidentIdsAtRest1764000060000 implements MigrationInterface {
  name = 'ResidentIdsAtRest1764000060000';

  async up(q: QueryRunner): Promise<void> {
    const cipher = PersonalDataCipher.fromEnvironment(process.env);
    for (const c of COLUMNS) {
      const hash = `${c.column}_hash`;
      const enc = `${c.column}_enc`;
      await q.query(`ALTER TABLE ${c.table} ADD COLUMN ${hash} text, ADD COLUMN ${enc} text`);
      await forEachBatch(q, c, c.column, async (rows) => {
        await q.query(
          `UPDATE ${c.table} t SET ${hash} = u.hash, ${enc} = u.enc
             FROM unnest($1::${c.keyType}[], $2::text[], $3::text[]) AS u(key, hash, enc)
            WHERE t.${c.key} = u.key`,
          [rows.map((r) => r.key), rows.map((r) => cipher.lookupHash(r.value)), rows.map((r) => cipher.encrypt(r.value))],
        );
      });
      for (const index of c.indexes) await q.query(`DROP INDEX IF EXISTS ${index.name}`);
      await q.query(`ALTER TABLE ${c.table} DROP COLUMN ${c.column}`);
      await q.query(
        `ALTER TABLE ${c.table}
           ALTER COLUMN ${hash} SET NOT NULL, ALTER COLUMN ${enc} SET NOT NULL,
           ADD CONSTRAINT ${c.table}_${hash}_form CHECK (${hash} ~ '^[0-9a-f]{64}$'),
           ADD CONSTRAINT ${c.table}_${enc}_form CHECK (${enc} LIKE 'v1.%')`,
      );
      for (const index of c.indexes) await q.query(index.create(hash));
    }
  }

  /**
   * Restores the plain columns by decrypting (with the same PERSONAL_DATA_KEY), for a rollback of
   * the release; it undoes the protection, so only run it to go back to the previous version.
   */
  async down(q: QueryRunner): Promise<void> {
    const cipher = PersonalDataCipher.fromEnvironment(process.env);
    for (const c of [...COLUMNS].reverse()) {
      const hash = `${c.column}_hash`;
      const enc = `${c.column}_enc`;
      await q.query(`ALTER TABLE ${c.table} ADD COLUMN ${c.column} text`);
      await forEachBatch(q, c, enc, async (rows) => {
        await q.query(
          `UPDATE ${c.table} t SET ${c.column} = u.plain FROM unnest($1::${c.keyType}[], $2::text[]) AS u(key, plain) WHERE t.${c.key} = u.key`,
          [rows.map((r) => r.key), rows.map((r) => cipher.decrypt(r.value))],
        );
      });
      for (const index of c.indexes) await q.query(`DROP INDEX IF EXISTS ${index.name}`);
      await q.query(`ALTER TABLE ${c.table} DROP COLUMN ${hash}, DROP COLUMN ${enc}`);
      await q.query(`ALTER TABLE ${c.table} ALTER COLUMN ${c.column} SET NOT NULL${c.plainCheck ? `, ADD ${c.plainCheck}` : ''}`);
      for (const index of c.indexes) await q.query(index.create(c.column));
    }
  }
}
