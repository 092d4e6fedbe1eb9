import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ResidentId, todayInShanghai } from '@civil/domain-kernel';
import { DomainError, actorCoversDivision, hasAnyRole, type Actor, type DibaoBenefitPreview } from '@civil/contracts';
import type { DataSource } from 'typeorm';
import { dibaoStandardOn, ruleDivisions } from '../rules/rule-lookup';
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
    const members = await this.dataSource.query<{ id: string; name: string; resident_id: string }[]>(
      `SELECT id, name, resident_id FROM household_member WHERE household_id = $1 ORDER BY id`,
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
      const classifications: Classification[] = ResidentId.parse(m.resident_id).ageOn(onDate) < 18 ? ['minor'] : [];
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
    return {
      applicationId,
      onDate,
      standardFen: rule.monthlyStandardFen,
      floorBp: rule.floorBp,
      householdSize: members.length,
      householdMonthlyIncomeFen,
      incomes: incomes.map((i) => ({ memberId: i.member_id, kind: i.kind, monthlyAmountFen: Number(i.monthly_amount_fen), source: i.source, asOf: i.as_of })),
      members: coveredMembers.map((m) => ({ memberId: m.memberId, name: m.name, classifications: m.classifications })),
      ...result,
    };
  }
}
