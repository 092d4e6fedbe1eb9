import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  PlaceNameEvents,
  actorCoversDivision,
  hasAnyRole,
  type Actor,
  type AliasStatus,
  type NameVersionStatus,
  type NewPlaceName,
  type PlaceNameAbolishedV1,
  type PlaceNameApproval,
  type PlaceNameCategory,
  type PlaceNameCorrectedV1,
  type PlaceNameNamedV1,
  type PlaceNameRenamedV1,
  type PlaceNameVersionView,
  type PlaceNameView,
  type abolishPlaceNameSchema,
  type addNameVersionSchema,
  type updatePlaceNameSchema,
} from '@civil/contracts';
import { todayInShanghai } from '@civil/domain-kernel';
import { Outbox, type Transaction } from '@civil/platform';
import type { z } from 'zod';
import { DivisionsService } from '../divisions/divisions.service';
import { romanize, searchKeys } from './romanization';

export type UpdatePlaceName = z.output<typeof updatePlaceNameSchema>;
export type AddNameVersion = z.output<typeof addNameVersionSchema>;
export type AbolishPlaceName = z.output<typeof abolishPlaceNameSchema>;

export interface RenamePlaceName {
  placeNameId: string;
  newName: string;
  /** An edited romanization; generated from the new name otherwise. */
  pinyin?: string | undefined;
  effectiveDate: string;
  approval: { authority: string; date: string };
  proposalId?: string | undefined;
}

export interface RecordOptions {
  demo?: boolean;
  proposalId?: string;
  /** Emit no `named` event (a bulk import emits its own summary per row instead). */
  silent?: boolean;
}

const UNIQUE_VIOLATION = '23505';
const WRITERS = ['place-names-officer', 'admin'] as const;

interface PlaceNameRow {
  id: string;
  name: string;
  category: PlaceNameCategory;
  type: string | null;
  division_code: string;
  pinyin: string;
  pinyin_edited: boolean;
  location_description: string | null;
  longitude: string | null;
  latitude: string | null;
  approving_authority: string | null;
  approval_date: string | null;
  origin: string | null;
  status: 'in-use' | 'abolished';
  abolished_on: string | null;
  demo: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface VersionRow {
  id: string;
  name: string;
  pinyin: string;
  status: NameVersionStatus;
  valid_from: string | null;
  valid_to: string | null;
}

const SELECT_PLACE = `SELECT id, name, category, type, division_code, pinyin, pinyin_edited, location_description, longitude::text, latitude::text,
  approving_authority, to_char(approval_date, 'YYYY-MM-DD') AS approval_date, origin, status, to_char(abolished_on, 'YYYY-MM-DD') AS abolished_on,
  demo, version, created_at, updated_at FROM place_name`;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/**
 * The gazetteer: one record per place (category, division, location, approval, origin) and its
 * dated names. Writes are for place-names officers inside their divisions; reads are public.
 * Renaming is not an edit: it comes from an announced naming proposal through {@link renameWithin}.
 */
@Injectable()
export class GazetteerService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly divisions: DivisionsService,
  ) {}

  static assertWriter(actor: Actor, divisionCode: string): void {
    if (!hasAnyRole(actor, WRITERS)) throw new DomainError('FORBIDDEN', 'only place-names officers may change the gazetteer');
    if (actor.kind !== 'system' && !actorCoversDivision(actor, divisionCode)) {
      throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${divisionCode} is outside your scope`);
    }
  }

  async create(input: NewPlaceName, actor: Actor): Promise<PlaceNameView> {
    GazetteerService.assertWriter(actor, input.divisionCode);
    const id = await this.outbox.transaction((tx) => this.recordWithin(tx, input, actor));
    return this.get(id);
  }

  /**
   * Records a place and its names inside the caller's transaction; returns its id. Used by the
   * create route, by announced naming proposals, by imports and by the demo data set.
   */
  async recordWithin(tx: Transaction, input: NewPlaceName, actor: Actor, options: RecordOptions = {}): Promise<string> {
    const today = todayInShanghai();
    if ((await this.divisions.inForce(input.divisionCode, today, tx.manager)) === null) {
      throw new DomainError('VALIDATION_FAILED', `no division has code ${input.divisionCode} today`, [
        { field: 'divisionCode', rule: 'division-in-force', message: `no division has code ${input.divisionCode} on ${today} (see /api/v1/divisions/tree)` },
      ]);
    }
    const id = uuidv7();
    const pinyin = input.pinyin ?? romanize(input.name);
    try {
      await tx.manager.query(
        `INSERT INTO place_name (id, name, category, type, division_code, pinyin, pinyin_edited, location_description, longitude, latitude,
           approving_authority, approval_date, origin, status, demo, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'in-use', $14, $15)`,
        [
          id,
          input.name,
          input.category,
          input.type ?? null,
          input.divisionCode,
          pinyin,
          input.pinyin !== undefined,
          input.locationDescription ?? null,
          input.longitude ?? null,
          input.latitude ?? null,
          input.approvingAuthority ?? null,
          input.approvalDate ?? null,
          input.origin ?? null,
          options.demo ?? false,
          actor.userId,
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('DUPLICATE_NAME', `"${input.name}" already exists in division ${input.divisionCode}`);
      throw error;
    }
    const place = { id, category: input.category, divisionCode: input.divisionCode };
    await this.insertVersion(tx.manager, place, { name: input.name, pinyin, status: 'standard', validFrom: input.approvalDate ?? null, validTo: null });
    for (const alias of input.aliases ?? []) {
      await this.insertVersion(tx.manager, place, { name: alias.name, pinyin: romanize(alias.name), status: alias.status, validFrom: alias.validFrom ?? null, validTo: alias.validTo ?? null });
    }
    if (options.silent !== true) {
      await tx.emit<PlaceNameNamedV1>(actor, [
        {
          type: PlaceNameEvents.named,
          subject: `place-name/${id}`,
          divisionCode: input.divisionCode,
          data: {
            nameId: id,
            name: input.name,
            category: input.category,
            divisionCode: input.divisionCode,
            approval: { authority: input.approvingAuthority ?? null, date: input.approvalDate ?? null },
            ...(options.proposalId !== undefined ? { proposalId: options.proposalId } : {}),
          },
        },
      ]);
    }
    return id;
  }

  async get(id: string, manager?: EntityManager): Promise<PlaceNameView> {
    const db = manager ?? this.dataSource.manager;
    const [row] = await db.query<PlaceNameRow[]>(`${SELECT_PLACE} WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `place name ${id} does not exist`);
    const versions = await db.query<VersionRow[]>(
      `SELECT id, name, pinyin, status, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
         FROM place_name_version WHERE place_name_id = $1
        ORDER BY (status = 'standard' AND valid_to IS NULL) DESC, coalesce(valid_to, valid_from) DESC NULLS LAST, created_at`,
      [id],
    );
    return toView(row, versions);
  }

  /** Corrects or supplements a record's details under optimistic locking (`expectedVersion`). */
  async update(input: UpdatePlaceName, actor: Actor): Promise<PlaceNameView> {
    return this.outbox.transaction(async (tx) => {
      await this.updateWithin(tx, input, actor);
      return this.get(input.id, tx.manager);
    });
  }

  /** {@link update} inside the caller's transaction (an audit result correcting the record). */
  async updateWithin(tx: Transaction, input: UpdatePlaceName, actor: Actor): Promise<void> {
    const current = await this.lockForWrite(tx.manager, input.id, actor);
    if (current.version !== input.expectedVersion) {
      throw new DomainError('CONFLICT', `place name ${input.id} is at version ${current.version}, not ${input.expectedVersion}; reload it and try again`);
    }
    const changes: [column: string, field: string, value: unknown][] = [];
    const set = (column: string, field: keyof UpdatePlaceName, value: unknown): void => {
      if (input[field] !== undefined) changes.push([column, field, value]);
    };
    set('type', 'type', input.type);
    set('pinyin', 'pinyin', input.pinyin);
    set('location_description', 'locationDescription', input.locationDescription);
    set('longitude', 'longitude', input.longitude);
    set('latitude', 'latitude', input.latitude);
    set('approving_authority', 'approvingAuthority', input.approvingAuthority);
    set('approval_date', 'approvalDate', input.approvalDate);
    set('origin', 'origin', input.origin);
    if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'nothing to change', [{ field: '(body)', rule: 'empty', message: 'give at least one field to change' }]);
    const assignments = changes.map(([column], index) => `${column} = $${index + 2}`);
    if (input.pinyin !== undefined) assignments.push('pinyin_edited = true');
    await tx.manager.query(`UPDATE place_name SET ${assignments.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`, [
      input.id,
      ...changes.map(([, , value]) => value),
    ]);
    if (input.pinyin !== undefined) {
      await tx.manager.query(`UPDATE place_name_version SET pinyin = $2 WHERE place_name_id = $1 AND status = 'standard' AND valid_to IS NULL`, [input.id, input.pinyin]);
    }
    await tx.emit<PlaceNameCorrectedV1>(actor, [
      {
        type: PlaceNameEvents.corrected,
        subject: `place-name/${input.id}`,
        divisionCode: current.division_code,
        data: { nameId: input.id, category: current.category, divisionCode: current.division_code, fields: changes.map(([, field]) => field) },
      },
    ]);
  }

  /** Adds a former name, colloquial name or abbreviation; they are searchable at once. */
  async addVersion(input: AddNameVersion, actor: Actor): Promise<PlaceNameView> {
    return this.outbox.transaction(async (tx) => {
      const current = await this.lockForWrite(tx.manager, input.id, actor);
      const [clash] = await tx.manager.query<{ status: string }[]>(
        `SELECT status FROM place_name_version WHERE place_name_id = $1 AND name = $2 AND status = $3`,
        [input.id, input.name, input.status],
      );
      if (clash) throw new DomainError('DUPLICATE_NAME', `"${input.name}" is already recorded as a ${input.status} name of this place`);
      await this.insertVersion(tx.manager, { id: input.id, category: current.category, divisionCode: current.division_code }, {
        name: input.name,
        pinyin: romanize(input.name),
        status: input.status,
        validFrom: input.validFrom ?? null,
        validTo: input.validTo ?? null,
      });
      await tx.manager.query(`UPDATE place_name SET version = version + 1, updated_at = now() WHERE id = $1`, [input.id]);
      return this.get(input.id, tx.manager);
    });
  }

  async abolish(input: AbolishPlaceName, actor: Actor): Promise<PlaceNameView> {
    return this.outbox.transaction(async (tx) => {
      const current = await this.lockForWrite(tx.manager, input.id, actor);
      if (current.status === 'abolished') throw new DomainError('CONFLICT', `place name ${input.id} was abolished on ${current.abolished_on}`);
      const [standard] = await tx.manager.query<{ valid_from: string | null }[]>(
        `SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from FROM place_name_version WHERE place_name_id = $1 AND status = 'standard' AND valid_to IS NULL`,
        [input.id],
      );
      if (standard?.valid_from !== undefined && standard.valid_from !== null && input.effectiveDate <= standard.valid_from) {
        throw new DomainError('VALIDATION_FAILED', 'the abolition must be after the current name took effect', [
          { field: 'effectiveDate', rule: 'after_current_name', message: `the current name took effect on ${standard.valid_from}` },
        ]);
      }
      await tx.manager.query(
        `UPDATE place_name SET status = 'abolished', abolished_on = $2, abolition_reason = $3, version = version + 1, updated_at = now() WHERE id = $1`,
        [input.id, input.effectiveDate, input.reason],
      );
      await tx.manager.query(`UPDATE place_name_version SET in_use = false WHERE place_name_id = $1`, [input.id]);
      await tx.manager.query(`UPDATE place_name_version SET valid_to = $2 WHERE place_name_id = $1 AND status = 'standard' AND valid_to IS NULL`, [
        input.id,
        input.effectiveDate,
      ]);
      await tx.emit<PlaceNameAbolishedV1>(actor, [
        {
          type: PlaceNameEvents.abolished,
          subject: `place-name/${input.id}`,
          divisionCode: current.division_code,
          data: {
            nameId: input.id,
            name: current.name,
            category: current.category,
            divisionCode: current.division_code,
            effectiveDate: input.effectiveDate,
            reason: input.reason,
            approval: { authority: input.approvingAuthority ?? null, date: null },
          },
        },
      ]);
      return this.get(input.id, tx.manager);
    });
  }

  /**
   * Applies an approved renaming inside the caller's transaction: the current standard name ends
   * on the effective date and stays as a former name (still found by the search), the new name is
   * standard from that date, and the record carries the new approval.
   */
  async renameWithin(tx: Transaction, rename: RenamePlaceName, actor: Actor): Promise<void> {
    const current = await this.lockForWrite(tx.manager, rename.placeNameId, actor);
    if (current.status === 'abolished') throw new DomainError('CONFLICT', `place name ${rename.placeNameId} was abolished on ${current.abolished_on}`);
    if (current.name === rename.newName) throw new DomainError('CONFLICT', `the place is already named "${rename.newName}"`);
    const [standard] = await tx.manager.query<{ id: string; valid_from: string | null }[]>(
      `SELECT id, to_char(valid_from, 'YYYY-MM-DD') AS valid_from FROM place_name_version WHERE place_name_id = $1 AND status = 'standard' AND valid_to IS NULL`,
      [rename.placeNameId],
    );
    if (standard?.valid_from !== undefined && standard.valid_from !== null && rename.effectiveDate <= standard.valid_from) {
      throw new DomainError('VALIDATION_FAILED', 'a renaming takes effect after the current name did', [
        { field: 'effectiveDate', rule: 'after_current_name', message: `the current name took effect on ${standard.valid_from}` },
      ]);
    }
    const pinyin = rename.pinyin ?? romanize(rename.newName);
    await tx.manager.query(`UPDATE place_name_version SET status = 'former', valid_to = $2 WHERE id = $1`, [standard?.id, rename.effectiveDate]);
    const place = { id: rename.placeNameId, category: current.category, divisionCode: current.division_code };
    await this.insertVersion(tx.manager, place, { name: rename.newName, pinyin, status: 'standard', validFrom: rename.effectiveDate, validTo: null });
    try {
      await tx.manager.query(
        `UPDATE place_name SET name = $2, pinyin = $3, pinyin_edited = $4, approving_authority = $5, approval_date = $6, version = version + 1, updated_at = now()
          WHERE id = $1`,
        [rename.placeNameId, rename.newName, pinyin, rename.pinyin !== undefined, rename.approval.authority, rename.approval.date],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('DUPLICATE_NAME', `"${rename.newName}" already exists in division ${current.division_code}`);
      throw error;
    }
    const approval: PlaceNameApproval = { authority: rename.approval.authority, date: rename.approval.date };
    await tx.emit<PlaceNameRenamedV1>(actor, [
      {
        type: PlaceNameEvents.renamed,
        subject: `place-name/${rename.placeNameId}`,
        divisionCode: current.division_code,
        data: {
          nameId: rename.placeNameId,
          oldName: current.name,
          newName: rename.newName,
          category: current.category,
          divisionCode: current.division_code,
          effectiveDate: rename.effectiveDate,
          approval,
          ...(rename.proposalId !== undefined ? { proposalId: rename.proposalId } : {}),
        },
      },
    ]);
  }

  /** Locks the record for the rest of the transaction after checking the actor may change it. */
  private async lockForWrite(manager: EntityManager, id: string, actor: Actor): Promise<PlaceNameRow> {
    if (!hasAnyRole(actor, WRITERS)) throw new DomainError('FORBIDDEN', 'only place-names officers may change the gazetteer');
    const [row] = await manager.query<PlaceNameRow[]>(`${SELECT_PLACE} WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `place name ${id} does not exist`);
    GazetteerService.assertWriter(actor, row.division_code);
    return row;
  }

  private async insertVersion(
    manager: EntityManager,
    place: { id: string; category: PlaceNameCategory; divisionCode: string },
    version: { name: string; pinyin: string; status: NameVersionStatus | AliasStatus; validFrom: string | null; validTo: string | null },
  ): Promise<void> {
    const keys = searchKeys(version.name);
    await manager.query(
      `INSERT INTO place_name_version (id, place_name_id, name, pinyin, name_key, pinyin_key, initials, grams, status, valid_from, valid_to, category, division_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [uuidv7(), place.id, version.name, version.pinyin, keys.nameKey, keys.pinyinKey, keys.initials, keys.grams, version.status, version.validFrom, version.validTo, place.category, place.divisionCode],
    );
  }
}

function toView(row: PlaceNameRow, versions: VersionRow[]): PlaceNameView {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    type: row.type,
    divisionCode: row.division_code,
    pinyin: row.pinyin,
    pinyinEdited: row.pinyin_edited,
    locationDescription: row.location_description,
    longitude: row.longitude === null ? null : Number(row.longitude),
    latitude: row.latitude === null ? null : Number(row.latitude),
    approvingAuthority: row.approving_authority,
    approvalDate: row.approval_date,
    origin: row.origin,
    status: row.status,
    abolishedOn: row.abolished_on,
    demo: row.demo,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    versions: versions.map(
      (v): PlaceNameVersionView => ({ id: v.id, name: v.name, pinyin: v.pinyin, status: v.status, validFrom: v.valid_from, validTo: v.valid_to }),
    ),
  };
}
