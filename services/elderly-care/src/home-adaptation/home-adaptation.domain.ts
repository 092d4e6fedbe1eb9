import { DomainError, type AdaptationItem, type DependencyLevel, type HomeAdaptationFinding, type HomeAdaptationHouseholdBasis, type HomeAdaptationPersonBasis, type HomeAdaptationStatus } from '@civil/contracts';

/** A row of rule_home_adaptation: the programme's rule in force for a division on a date. */
export interface HomeAdaptationRule {
  divisionCode: string;
  effectiveFrom: string;
  minSubsidyFen: number;
  maxSubsidyFen: number;
  /** 60: an older person. */
  olderAge: number;
  /** 80: very old (高龄), which qualifies without dependency or disability. */
  veryOldAge: number;
  /** One adaptation per household within this many calendar years. */
  periodYears: number;
}

/** What social assistance's events say about the person on the application's month, and what staff declared. */
export interface HouseholdFacts {
  /** 特困 support active in the month, with its care mode (集中 persons live in an institution). */
  tekun: { careMode: 'centralized' | 'dispersed'; selfCareLevel: 'full' | 'partial' | 'none' | null; since: string } | null;
  /** The 低保 household paid in the month that the person is a member of. */
  dibao: { householdId: string; since: string } | null;
  /** 脱贫: the evidence reference staff recorded (the status is not the bureau's to decide). */
  formerlyPoorEvidence: string | null;
}

export interface OlderMemberFacts {
  ageYears: number;
  dependency: DependencyLevel | null;
  disabilityCertificate: string | null;
}

export interface Eligibility {
  eligible: boolean;
  findings: HomeAdaptationFinding[];
  householdBases: HomeAdaptationHouseholdBasis[];
  personBases: HomeAdaptationPersonBasis[];
}

const SELF_CARE_AS_DEPENDENCY = { partial: 'partial', none: 'full' } as const;

/**
 * The eligibility of an older member's household on the application date: an older person (the
 * rule's `olderAge`); a household that is 特困 分散供养, 低保 or 脱贫; a member who is very old,
 * dependent (失能/半失能, declared or as 特困 records the self-care level) or disabled.
 */
export function assessEligibility(rule: HomeAdaptationRule, household: HouseholdFacts, member: OlderMemberFacts): Eligibility {
  const findings: HomeAdaptationFinding[] = [];
  findings.push({
    condition: 'older-person',
    met: member.ageYears >= rule.olderAge,
    basis: `aged ${member.ageYears} (${rule.olderAge} or over needed)`,
  });

  const householdBases: HomeAdaptationHouseholdBasis[] = [];
  const found: string[] = [];
  const missing: string[] = [];
  if (household.tekun?.careMode === 'dispersed') {
    householdBases.push('dispersed-tekun');
    found.push(`特困 分散供养 since ${household.tekun.since}`);
  } else if (household.tekun?.careMode === 'centralized') {
    missing.push(`特困 集中供养 (lives in an institution), not 分散`);
  } else {
    missing.push('not 特困 分散供养');
  }
  if (household.dibao) {
    householdBases.push('dibao');
    found.push(`member of 低保 household ${household.dibao.householdId} (paid since ${household.dibao.since})`);
  } else {
    missing.push('not in a 低保 household');
  }
  if (household.formerlyPoorEvidence !== null) {
    householdBases.push('formerly-poor');
    found.push(`脱贫 household as declared (${household.formerlyPoorEvidence})`);
  } else {
    missing.push('no 脱贫 declaration');
  }
  findings.push({
    condition: 'household-status',
    met: householdBases.length > 0,
    basis: householdBases.length > 0 ? found.join('; ') : `${missing.join(', ')} in social assistance's events on the application month`,
  });

  const personBases: HomeAdaptationPersonBasis[] = [];
  const personFacts: string[] = [];
  if (member.ageYears >= rule.veryOldAge) personBases.push('very-old');
  personFacts.push(`aged ${member.ageYears} (${rule.veryOldAge} or over is very old)`);
  const tekunDependency = household.tekun?.selfCareLevel === 'partial' || household.tekun?.selfCareLevel === 'none' ? SELF_CARE_AS_DEPENDENCY[household.tekun.selfCareLevel] : null;
  const dependency = member.dependency ?? tekunDependency;
  if (dependency !== null) {
    personBases.push('dependent');
    personFacts.push(`${dependency === 'full' ? '失能' : '半失能'}${member.dependency === null ? ' (特困 self-care level)' : ''}`);
  } else {
    personFacts.push('not dependent');
  }
  if (member.disabilityCertificate !== null) {
    personBases.push('disabled');
    personFacts.push(`残疾人证 grade ${member.disabilityCertificate.slice(19, 20)}`);
  } else {
    personFacts.push('no disability certificate');
  }
  findings.push({ condition: 'older-member-condition', met: personBases.length > 0, basis: personFacts.join('; ') });

  return { eligible: findings.every((f) => f.met), findings, householdBases, personBases };
}

export function failedConditions(findings: HomeAdaptationFinding[]): string {
  return findings
    .filter((f) => !f.met)
    .map((f) => `${f.condition}: ${f.basis}`)
    .join('; ');
}

/** 1234500 → "12,345.00元". */
export function yuan(fen: number): string {
  const whole = String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(fen % 100).padStart(2, '0')}元`;
}

/**
 * The plan's totals: basic items are the subsidy, optional items are self-paid. A subsidy outside
 * the rule's range is refused, naming the `items` field and the range.
 */
export function planTotals(items: readonly AdaptationItem[], rule: HomeAdaptationRule): { subsidyFen: number; selfPaidFen: number } {
  const subsidyFen = items.filter((i) => i.category === 'basic').reduce((n, i) => n + i.amountFen, 0);
  const selfPaidFen = items.filter((i) => i.category === 'optional').reduce((n, i) => n + i.amountFen, 0);
  if (subsidyFen < rule.minSubsidyFen || subsidyFen > rule.maxSubsidyFen) {
    throw DomainError.validation([
      {
        field: 'items',
        rule: 'subsidy-range',
        message: `the subsidy (the basic items' total) is ${yuan(subsidyFen)}; it must be between ${yuan(rule.minSubsidyFen)} and ${yuan(rule.maxSubsidyFen)} per household (rule of ${rule.divisionCode} from ${rule.effectiveFrom})`,
      },
    ]);
  }
  return { subsidyFen, selfPaidFen };
}

export type HomeAdaptationAction = 'assess' | 'plan' | 'record-works' | 'accept' | 'pay' | 'refuse';

/** The workflow: which status each step needs, in words for the refusal. */
const STEPS: Record<HomeAdaptationAction, { from: readonly HomeAdaptationStatus[]; what: string; needs: string }> = {
  assess: { from: ['applied'], what: 'the assessment', needs: 'an application (applied)' },
  plan: { from: ['assessed'], what: 'the plan', needs: 'the assessment (assessed)' },
  'record-works': { from: ['approved'], what: 'the works', needs: 'an approved plan (approved)' },
  accept: { from: ['works-completed'], what: 'the acceptance (验收)', needs: 'completed works (works-completed)' },
  pay: { from: ['accepted'], what: 'the payment', needs: 'acceptance (验收) passed (accepted)' },
  refuse: { from: ['applied', 'assessed', 'approved', 'works-completed'], what: 'a refusal', needs: 'a case not yet accepted, paid or refused' },
};

/** Refuses a step out of order with CONFLICT, naming the step, what it needs and where the case is. */
export function requireStep(action: HomeAdaptationAction, current: HomeAdaptationStatus): void {
  const step = STEPS[action];
  if (!step.from.includes(current)) {
    throw new DomainError('CONFLICT', `${step.what} needs ${step.needs}; this case is ${current}`);
  }
}

/** The step's date: not in the future and not before the case's previous step. */
export function requireStepDate(field: string, date: string, previous: string, today: string): void {
  if (date > today) throw DomainError.validation([{ field, rule: 'not-in-future', message: `record ${field} once it has happened (today is ${today})` }]);
  if (date < previous) throw DomainError.validation([{ field, rule: 'not-before-previous-step', message: `${field} cannot be before the case's previous step on ${previous}` }]);
}

/** The township a division belongs to, as a twelve-digit code (the district itself for a county-level code). */
export function townshipOf(divisionCode: string): string {
  return divisionCode.slice(0, 9).padEnd(12, '0');
}

/** The digits that say which divisions a code covers: '430503101000' → '430503101'. */
export function scopePrefix(divisionCode: string): string {
  for (const end of [2, 4, 6, 9]) if (/^0*$/.test(divisionCode.slice(end))) return divisionCode.slice(0, end);
  return divisionCode;
}

/** Completed ÷ target as a percentage with one decimal; null without a target (or a target of 0). */
export function percentOf(completed: number, target: number | null): number | null {
  if (target === null || target === 0) return null;
  return Math.round((completed * 1000) / target) / 10;
}
