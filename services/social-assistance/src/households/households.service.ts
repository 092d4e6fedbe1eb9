import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ResidentId } from '@civil/domain-kernel';
import {
  DomainError,
  SocialAssistanceEvents,
  actorCoversDivision,
  hasAnyRole,
  residentIdFor,
  type Actor,
  type HouseholdRegisteredV1,
  type AssetView,
  type HouseholdFinancesView,
  type HouseholdView,
  type IncomeView,
  type recordAssetSchema,
  type recordIncomeSchema,
  type registerHouseholdSchema,
} from '@civil/contracts';
import { lookupHashOrNull, Outbox, PersonalDataCipher, sealResidentId } from '@civil/platform';
import type { z } from 'zod';

export type NewHousehold = z.output<typeof registerHouseholdSchema>;
export type NewIncome = z.output<typeof recordIncomeSchema>;
export type NewAsset = z.output<typeof recordAssetSchema>;

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
  resident_id_hash: string;
  resident_id_enc: string;
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
    private readonly cipher: PersonalDataCipher,
  ) {}

  async register(input: NewHousehold, actor: Actor): Promise<HouseholdView> {
    if (!hasAnyRole(actor, ['clerk', 'admin'])) throw new DomainError('FORBIDDEN', 'only social-assistance clerks register households');
    if (!actorCoversDivision(actor, input.divisionCode)) {
      throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${input.divisionCode} is outside your scope`);
    }
    // The household's township must be one this office serves (a village is checked by its township).
    const township = `${input.divisionCode.slice(0, 9)}000`;
    const known = await this.dataSource.query<unknown[]>(`SELECT 1 FROM known_division WHERE code = $1 AND (valid_to IS NULL OR valid_to > current_date)`, [township]);
    if (known.length === 0 || input.divisionCode.slice(6, 9) === '000') {
      throw DomainError.validation([{ field: 'divisionCode', rule: 'unknown-division', message: `${input.divisionCode} is not a township, town or village this office serves` }]);
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
        const people = input.members.map((m) => {
          const parsed = ResidentId.parse(m.residentId);
          return { ...m, id: uuidv7(), parsed, sealed: sealResidentId(this.cipher, parsed.value) };
        });
        // The number is stored as its lookup hash (unique: one household per person) and ciphertext.
        await tx.manager.query(
          `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex)
           SELECT id, $1, name, resident_id_hash, resident_id_enc, relationship, birth_date::date, sex
             FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
               AS m(id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex)`,
          [
            householdId,
            people.map((p) => p.id),
            people.map((p) => p.name),
            people.map((p) => p.sealed.hash),
            people.map((p) => p.sealed.enc),
            people.map((p) => p.relationship),
            people.map((p) => p.parsed.birthDate),
            people.map((p) => p.parsed.sex),
          ],
        );
        await tx.manager.query(`INSERT INTO household_history (household_id, change, detail, actor_id) VALUES ($1, 'registered', $2, $3)`, [
          householdId,
          JSON.stringify({ persons: people.length, divisionCode: input.divisionCode, urbanRural: input.urbanRural }),
          actor.userId,
        ]);
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
      `SELECT id, name, resident_id_hash, resident_id_enc, relationship FROM household_member WHERE household_id = $1 ORDER BY relationship = 'head' DESC, id`,
      [id],
    );
    const actorHash = actor.kind === 'citizen' ? lookupHashOrNull(this.cipher, actor.residentId) : null;
    const isMember = actorHash !== null && members.some((m) => m.resident_id_hash === actorHash);
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
        const residentId = ResidentId.parse(this.cipher.decrypt(m.resident_id_enc));
        return { id: m.id, name: m.name, relationship: m.relationship, residentId: residentIdFor(actor, residentId.value), birthDate: residentId.birthDate, sex: residentId.sex };
      }),
    };
  }

  /** Records a member's monthly income with its source and date; the change is kept in the history. */
  async recordIncome(input: NewIncome, actor: Actor): Promise<IncomeView> {
    await this.caseworkerHousehold(input.householdId, actor, ['clerk', 'admin']);
    const id = uuidv7();
    await this.outbox.transaction(async (tx) => {
      await this.requireMember(tx.manager, input.householdId, input.memberId);
      await tx.manager.query(
        `INSERT INTO member_income (id, member_id, kind, monthly_amount_fen, source, as_of, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, input.memberId, input.kind, input.monthlyAmountFen, input.source, input.asOf, actor.userId],
      );
      await tx.manager.query(`INSERT INTO household_history (household_id, change, detail, actor_id) VALUES ($1, 'income-recorded', $2, $3)`, [
        input.householdId,
        JSON.stringify({ incomeId: id, memberId: input.memberId, kind: input.kind, monthlyAmountFen: input.monthlyAmountFen, source: input.source, asOf: input.asOf }),
        actor.userId,
      ]);
    });
    return { id, memberId: input.memberId, kind: input.kind, monthlyAmountFen: input.monthlyAmountFen, source: input.source, asOf: input.asOf };
  }

  /** Records a member's asset (deposit, vehicle, property…) with its source and date. */
  async recordAsset(input: NewAsset, actor: Actor): Promise<AssetView> {
    await this.caseworkerHousehold(input.householdId, actor, ['clerk', 'admin']);
    const id = uuidv7();
    await this.outbox.transaction(async (tx) => {
      await this.requireMember(tx.manager, input.householdId, input.memberId);
      await tx.manager.query(
        `INSERT INTO member_asset (id, member_id, kind, value_fen, source, as_of, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, input.memberId, input.kind, input.valueFen, input.source, input.asOf, actor.userId],
      );
      await tx.manager.query(`INSERT INTO household_history (household_id, change, detail, actor_id) VALUES ($1, 'asset-recorded', $2, $3)`, [
        input.householdId,
        JSON.stringify({ assetId: id, memberId: input.memberId, kind: input.kind, valueFen: input.valueFen, source: input.source, asOf: input.asOf }),
        actor.userId,
      ]);
    });
    return { id, memberId: input.memberId, kind: input.kind, valueFen: input.valueFen, source: input.source, asOf: input.asOf };
  }

  /** Incomes, assets and the change history of a household (caseworkers in scope). */
  async finances(householdId: string, actor: Actor): Promise<HouseholdFinancesView> {
    await this.caseworkerHousehold(householdId, actor, CASEWORKERS);
    const incomes = await this.dataSource.query<{ id: string; member_id: string; kind: IncomeView['kind']; monthly_amount_fen: string; source: string; as_of: string }[]>(
      `SELECT i.id, i.member_id, i.kind, i.monthly_amount_fen, i.source, to_char(i.as_of, 'YYYY-MM-DD') AS as_of
         FROM member_income i JOIN household_member m ON m.id = i.member_id WHERE m.household_id = $1 ORDER BY i.as_of, i.id`,
      [householdId],
    );
    const assets = await this.dataSource.query<{ id: string; member_id: string; kind: AssetView['kind']; value_fen: string; source: string; as_of: string }[]>(
      `SELECT a.id, a.member_id, a.kind, a.value_fen, a.source, to_char(a.as_of, 'YYYY-MM-DD') AS as_of
         FROM member_asset a JOIN household_member m ON m.id = a.member_id WHERE m.household_id = $1 ORDER BY a.as_of, a.id`,
      [householdId],
    );
    const history = await this.dataSource.query<{ change: string; detail: Record<string, unknown>; actor_id: string; at: Date }[]>(
      `SELECT change, detail, actor_id, at FROM household_history WHERE household_id = $1 ORDER BY id`,
      [householdId],
    );
    return {
      householdId,
      incomes: incomes.map((r) => ({ id: r.id, memberId: r.member_id, kind: r.kind, monthlyAmountFen: Number(r.monthly_amount_fen), source: r.source, asOf: r.as_of })),
      assets: assets.map((r) => ({ id: r.id, memberId: r.member_id, kind: r.kind, valueFen: Number(r.value_fen), source: r.source, asOf: r.as_of })),
      history: history.map((r) => ({ change: r.change, detail: r.detail, actorId: r.actor_id, at: r.at.toISOString() })),
    };
  }

  /** The household's division, after checking the actor is a caseworker who covers it. */
  private async caseworkerHousehold(householdId: string, actor: Actor, roles: readonly (typeof CASEWORKERS)[number][]): Promise<string> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', 'only social-assistance caseworkers may do this');
    const [row] = await this.dataSource.query<{ division_code: string }[]>(`SELECT division_code FROM household WHERE id = $1`, [householdId]);
    if (!row) throw new DomainError('NOT_FOUND', `household ${householdId} does not exist`);
    if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `household ${householdId} is outside your divisions`);
    return row.division_code;
  }

  private async requireMember(manager: EntityManager, householdId: string, memberId: string): Promise<void> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM household_member WHERE id = $1 AND household_id = $2`, [memberId, householdId]);
    if (rows.length === 0) {
      throw DomainError.validation([{ field: 'memberId', rule: 'member-of-household', message: 'is not a member of this household' }]);
    }
  }
}
