import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform's audit log (entries published by the gateway to the AUDIT stream), one row per
 * entry id. Append-only in the database itself: triggers refuse every UPDATE, DELETE and TRUNCATE,
 * whoever runs them; only dropping the table (a migration's down) removes entries.
 */
export class AuditLog1764000053000 implements MigrationInterface {
  name = 'AuditLog1764000053000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_entry (
        id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('write', 'reveal', 'refused')),
        actor_user_id text,
        actor_kind text CHECK (actor_kind IN ('staff', 'citizen', 'system')),
        actor_roles text[],
        method text NOT NULL,
        route text NOT NULL,
        path text NOT NULL,
        subject text,
        record_id text,
        status integer NOT NULL CHECK (status BETWEEN 100 AND 599),
        code text,
        client_ip text NOT NULL,
        user_agent text,
        trace_id text,
        reason text,
        received_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((actor_user_id IS NULL) = (actor_kind IS NULL) AND (actor_user_id IS NULL) = (actor_roles IS NULL))
      )`);
    // Listing and export walk (at, id) newest first, optionally per user, record, kind or route.
    await q.query(`CREATE INDEX audit_entry_by_at ON audit_entry (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_by_user ON audit_entry (actor_user_id, at DESC, id DESC) WHERE actor_user_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_entry_by_record ON audit_entry (record_id, at DESC, id DESC) WHERE record_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_entry_by_kind ON audit_entry (kind, at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_by_route ON audit_entry (route, at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_by_received ON audit_entry (received_at)`);
    await q.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    // TRUNCATE fires no row trigger: a statement-level one refuses it.
    await q.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_entry`);
    await q.query(`DROP FUNCTION audit_entry_append_only()`);
  }
}
