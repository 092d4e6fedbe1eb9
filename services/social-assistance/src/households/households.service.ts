import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ResidentId } from '@civil/domain-kernel';
import {
  DomainError,
  SocialAssistanceEvents,
  actorCoversDivision,
  hasAnyRole,
  type Actor,
  type HouseholdRegisteredV1,
  type HouseholdView,
  type registerHouseholdSchema,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import type { z } from 'zod';

export type NewHousehold = z.output<typeof registerHouseholdSchema>;

interface HouseholdRow {
  id: string;
  division_code: string;
  urban_rural: 'urban' | 'rural';
  address: string;
  created_at: Date;
}
interface MemberRow {
  id: string;
  name: string;
  resident_id: string;
  relationship: HouseholdView['members'][number]['relationship'];
}

const CASEWORKERS = ['clerk', 'township-reviewer', 'district-approver', 'admin'] as const;
const UNIQUE_VIOLATION = '23505';

/** Registry of assistance households (walking-skeleton scope: household, members, resident IDs). */
@Injectable()
export class HouseholdsService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async register(input: NewHousehold, actor: Actor): Promise<HouseholdView> {
    if (!hasAnyRole(actor, ['clerk', 'admin'])) throw new DomainError('FORBIDDEN', 'only social-assistance clerks register households');
    if (!actorCoversDivision(actor, input.divisionCode)) {
      throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${input.divisionCode} is outside your scope`);
    }
    const householdId = uuidv7();
    try {
      await this.outbox.transaction(async (tx) => {
        await tx.manager.query(`INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES ($1, $2, $3, $4, $5)`, [
          householdId,
          input.divisionCode,
          input.urbanRural,
          input.address,
          actor.userId,
        ]);
        const people = input.members.map((m) => ({ ...m, id: uuidv7(), parsed: ResidentId.parse(m.residentId) }));
        await tx.manager.query(
          `INSERT INTO household_member (id, household_id, name, resident_id, relationship, birth_date, sex)
           SELECT id, $1, name, resident_id, relationship, birth_date::date, sex
             FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS m(id, name, resident_id, relationship, birth_date, sex)`,
          [householdId, people.map((p) => p.id), people.map((p) => p.name), people.map((p) => p.parsed.value), people.map((p) => p.relationship), people.map((p) => p.parsed.birthDate), people.map((p) => p.parsed.sex)],
        );
        await tx.emit<HouseholdRegisteredV1>(actor, [
          {
            type: SocialAssistanceEvents.householdRegistered,
            subject: `household/${householdId}`,
            divisionCode: input.divisionCode,
            data: { householdId, urbanRural: input.urbanRural, persons: input.members.length },
          },
        ]);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
        throw new DomainError('CONFLICT', 'a listed person already belongs to a registered household');
      }
      throw error;
    }
    return this.get(householdId, actor);
  }

  async get(id: string, actor: Actor): Promise<HouseholdView> {
    const [household] = await this.dataSource.query<HouseholdRow[]>(`SELECT id, division_code, urban_rural, address, created_at FROM household WHERE id = $1`, [id]);
    if (!household) throw new DomainError('NOT_FOUND', `household ${id} does not exist`);
    const members = await this.dataSource.query<MemberRow[]>(
      `SELECT id, name, resident_id, relationship FROM household_member WHERE household_id = $1 ORDER BY relationship = 'head' DESC, id`,
      [id],
    );
    const isMember = actor.kind === 'citizen' && members.some((m) => m.resident_id === actor.residentId);
    const isCaseworker = actor.kind !== 'citizen' && hasAnyRole(actor, CASEWORKERS) && actorCoversDivision(actor, household.division_code);
    // Not found rather than forbidden, so outsiders cannot probe which households exist.
    if (!isMember && !isCaseworker) throw new DomainError('NOT_FOUND', `household ${id} does not exist`);
    return {
      id: household.id,
      divisionCode: household.division_code,
      urbanRural: household.urban_rural,
      address: household.address,
      createdAt: household.created_at.toISOString(),
      members: members.map((m) => {
        const residentId = ResidentId.parse(m.resident_id);
        return { id: m.id, name: m.name, relationship: m.relationship, residentId: residentId.masked(), birthDate: residentId.birthDate, sex: residentId.sex };
      }),
    };
  }
}
