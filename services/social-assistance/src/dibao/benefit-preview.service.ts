import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { compareDates, todayInShanghai } from '@civil/domain-kernel';
import { DomainError, actorCoversDivision, hasAnyRole, type Actor, type DibaoBenefitPreview } from '@civil/contracts';
import type { DataSource } from 'typeorm';
import { dibaoStandardOn, ruleDivisions } from '../rules/rule-lookup';
import { assessDibaoAssets } from './domain/asset-test';
import { computeDibaoBenefit, type Classification } from './domain/benefit';

/**
 * What 低保 a household would receive on a date: the rule in force for its division and class
 * (the most specific division wins), the latest recorded income of each kind per member, and the
 * classifications the registry can prove (minors from the resident ID). The approver sees the
 * figure and every input behind it.
 */
@Injectable()
export class BenefitPreviewService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async preview(applicationId: string, actor: Actor, onDate = todayInShanghai()): Promise<DibaoBenefitPreview> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, ['clerk', 'township-reviewer', 'district-approver', 'admin'])) {
      throw new DomainError('FORBIDDEN', 'benefit previews are for caseworkers');
    }
    const [application] = await this.dataSource.query<{ household_id: string; division_code: string; urban_rural: 'urban' | 'rural' }[]>(
      `SELECT household_id, division_code, urban_rural FROM dibao_application WHERE id = $1`,
      [applicationId],
    );
    if (!application) throw new DomainError('NOT_FOUND', `application ${applicationId} does not exist`);
    if (!actorCoversDivision(actor, application.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `application ${applicationId} is outside your divisions`);

    const divisions = ruleDivisions(application.division_code);
    const rule = await dibaoStandardOn(this.dataSource.manager, application.division_code, application.urban_rural, onDate);
    const topUps = await this.dataSource.query<{ classification: Classification; topup_bp: number }[]>(
      `SELECT DISTINCT ON (classification) classification, topup_bp FROM rule_classification_topup
        WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
        ORDER BY classification, division_code DESC`,
      [divisions, onDate],
    );
    // Ages come from the stored birth date: the resident ID itself is not needed (nor decrypted) here.
    const members = await this.dataSource.query<{ id: string; name: string; birth_date: string }[]>(
      `SELECT id, name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM household_member WHERE household_id = $1 ORDER BY id`,
      [application.household_id],
    );
    // The latest record of each kind per member counts; older ones were superseded.
    const incomes = await this.dataSource.query<{ member_id: string; kind: string; monthly_amount_fen: string; source: string; as_of: string }[]>(
      `SELECT DISTINCT ON (i.member_id, i.kind) i.member_id, i.kind, i.monthly_amount_fen, i.source, to_char(i.as_of, 'YYYY-MM-DD') AS as_of
         FROM member_income i JOIN household_member m ON m.id = i.member_id
        WHERE m.household_id = $1 AND i.as_of <= $2
        ORDER BY i.member_id, i.kind, i.as_of DESC, i.recorded_at DESC`,
      [application.household_id, onDate],
    );
    const householdMonthlyIncomeFen = incomes.reduce((sum, i) => sum + Number(i.monthly_amount_fen), 0);
    const coveredMembers = members.map((m) => {
      const classifications: Classification[] = ageOn(m.birth_date, onDate) < 18 ? ['minor'] : [];
      return { memberId: m.id, name: m.name, classifications };
    });
    const result = computeDibaoBenefit({
      rule: {
        monthlyStandardFen: rule.monthlyStandardFen,
        floorBp: rule.floorBp,
        topUpsBp: Object.fromEntries(topUps.map((t) => [t.classification, t.topup_bp])),
      },
      householdMonthlyIncomeFen,
      householdSize: members.length,
      coveredMembers: coveredMembers.map((m) => ({ classifications: m.classifications })),
    });
    const assets = await this.assetTest(application.household_id, application.division_code, members.length, rule.monthlyStandardFen, onDate);
    // Income and assets must both pass; an asset failure pays nothing, like an income above the standard.
    const decided = result.eligible && !assets.passed ? { ...result, eligible: false, reason: 'assets-above-limits', basePerPersonFen: 0, topUpsFen: 0, monthlyAmountFen: 0 } : result;
    return {
      applicationId,
      onDate,
      standardFen: rule.monthlyStandardFen,
      floorBp: rule.floorBp,
      householdSize: members.length,
      householdMonthlyIncomeFen,
      incomes: incomes.map((i) => ({ memberId: i.member_id, kind: i.kind, monthlyAmountFen: Number(i.monthly_amount_fen), source: i.source, asOf: i.as_of })),
      members: coveredMembers.map((m) => ({ memberId: m.memberId, name: m.name, classifications: m.classifications })),
      assets,
      ...decided,
    };
  }

  /** The asset test on the latest record of each kind per member, under the rule in force on the date. */
  private async assetTest(householdId: string, divisionCode: string, householdSize: number, monthlyStandardFen: number, onDate: string): Promise<DibaoBenefitPreview['assets']> {
    const [rule] = await this.dataSource.query<{ financial_limit_months: number; vehicle_exempt_value_fen: string; non_residential_property_allowed: boolean; business_capital_cap_fen: string }[]>(
      `SELECT financial_limit_months, vehicle_exempt_value_fen, non_residential_property_allowed, business_capital_cap_fen FROM rule_dibao_asset
        WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
        ORDER BY division_code DESC LIMIT 1`,
      [ruleDivisions(divisionCode), onDate],
    );
    if (!rule) throw new DomainError('CONFLICT', `no 低保 asset rule is in force for ${divisionCode} on ${onDate}`);
    const [held] = await this.dataSource.query<{ financial: string; vehicle: string; non_residential: string; business: string }[]>(
      `WITH latest AS (
         SELECT DISTINCT ON (a.member_id, a.kind) a.kind, a.value_fen
           FROM member_asset a JOIN household_member m ON m.id = a.member_id
          WHERE m.household_id = $1 AND a.as_of <= $2
          ORDER BY a.member_id, a.kind, a.as_of DESC, a.recorded_at DESC)
       SELECT COALESCE(sum(value_fen) FILTER (WHERE kind IN ('deposit', 'securities')), 0)::text AS financial,
              COALESCE(max(value_fen) FILTER (WHERE kind = 'vehicle'), 0)::text AS vehicle,
              COALESCE(sum(value_fen) FILTER (WHERE kind = 'non-residential-property'), 0)::text AS non_residential,
              COALESCE(sum(value_fen) FILTER (WHERE kind = 'business-capital'), 0)::text AS business
         FROM latest`,
      [householdId, onDate],
    );
    const assets = {
      financialFen: Number(held?.financial ?? 0),
      largestVehicleFen: Number(held?.vehicle ?? 0),
      nonResidentialPropertyFen: Number(held?.non_residential ?? 0),
      businessCapitalFen: Number(held?.business ?? 0),
    };
    const limits = {
      financialLimitMonths: rule.financial_limit_months,
      vehicleExemptValueFen: Number(rule.vehicle_exempt_value_fen),
      nonResidentialPropertyAllowed: rule.non_residential_property_allowed,
      businessCapitalCapFen: Number(rule.business_capital_cap_fen),
    };
    const result = assessDibaoAssets(assets, householdSize, monthlyStandardFen, limits);
    return { ...assets, ...result, vehicleExemptValueFen: limits.vehicleExemptValueFen, businessCapitalCapFen: limits.businessCapitalCapFen };
  }
}

/** Completed years of age on a date (as ResidentId.ageOn: a 29 February birthday falls on 1 March in common years). */
function ageOn(birthDate: string, date: string): number {
  if (compareDates(date, birthDate) < 0) throw new RangeError(`cannot compute an age on ${date}, before the birth date`);
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
