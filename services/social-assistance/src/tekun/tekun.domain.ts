/**
 * 特困供养 rules as pure functions: the three conditions, and the monthly amount from the rule
 * table. The service reads the facts (age from the resident ID, income and assets from the
 * registry, the rules in force) and writes what these functions decide.
 */
import type { DisabilityCategory, SelfCareLevel, TekunAmount, TekunCareMode, TekunConditionFinding } from '@civil/contracts';

/** One row of rule_tekun_standard, as numbers. */
export interface TekunRule {
  basicMultipleBp: number;
  careBp: Record<SelfCareLevel, number>;
  centralizedCareBonusBp: number;
  depositLimitMonths: number;
  funeralSubsidyFen: number;
}

export interface TekunFacts {
  ageYears: number;
  disability?: { category: DisabilityCategory; grade: number } | undefined;
  livesOnOwnLabour: boolean;
  /** The person's own monthly income (latest record of each kind), fen. */
  monthlyIncomeFen: number;
  /** Deposits and securities, fen. */
  financialAssetsFen: number;
  ownsVehicle: boolean;
  ownsNonResidentialProperty: boolean;
  legalSupporters: { status: 'none' | 'unable'; detail: string };
  dibaoStandardFen: number;
}

export interface TekunEligibility {
  eligible: boolean;
  conditions: TekunConditionFinding[];
}

const WORKING_AGE_FROM = 16;
const MINOR_UNTIL = 18;
const ELDERLY_FROM = 60;

/**
 * The most severe grade of each disability category that, by itself, makes a person unable to
 * work: intellectual or mental grade 1–3, physical grade 1–2, visual grade 1. Multiple
 * disabilities are judged like physical ones (grade 1–2). Hearing and speech disabilities alone
 * do not.
 */
const DISABILITY_WORK_LIMIT: Record<DisabilityCategory, number> = {
  intellectual: 3,
  mental: 3,
  physical: 2,
  visual: 1,
  multiple: 2,
  hearing: 0,
  speech: 0,
};

function unableToWork(facts: TekunFacts): TekunConditionFinding {
  const condition = 'unable-to-work' as const;
  const age = facts.ageYears;
  if (age >= ELDERLY_FROM) return { condition, met: true, basis: `aged ${age} (${ELDERLY_FROM} or over)` };
  if (age < WORKING_AGE_FROM) return { condition, met: true, basis: `aged ${age} (under ${WORKING_AGE_FROM})` };
  if (age < MINOR_UNTIL && !facts.livesOnOwnLabour) return { condition, met: true, basis: `aged ${age} (under ${MINOR_UNTIL}, not living on own labour)` };
  const disability = facts.disability;
  if (disability && disability.grade <= DISABILITY_WORK_LIMIT[disability.category]) {
    return { condition, met: true, basis: `${disability.category} disability grade ${disability.grade}` };
  }
  const disabilityNote = disability ? `; ${disability.category} disability grade ${disability.grade} does not suffice` : '';
  const ageNote = age < MINOR_UNTIL ? `aged ${age}, living on own labour` : `aged ${age}, of working age`;
  return { condition, met: false, basis: `${ageNote}${disabilityNote}` };
}

function noMeansOfLiving(facts: TekunFacts, rule: TekunRule): TekunConditionFinding {
  const condition = 'no-means-of-living' as const;
  const limitFen = facts.dibaoStandardFen * rule.depositLimitMonths;
  const failures: string[] = [];
  if (facts.monthlyIncomeFen >= facts.dibaoStandardFen) failures.push(`income ${facts.monthlyIncomeFen} fen/month is not below the 低保 standard ${facts.dibaoStandardFen}`);
  if (facts.financialAssetsFen > limitFen) failures.push(`deposits and securities ${facts.financialAssetsFen} fen exceed ${rule.depositLimitMonths} months of the standard (${limitFen})`);
  if (facts.ownsVehicle) failures.push('owns a vehicle');
  if (facts.ownsNonResidentialProperty) failures.push('owns non-residential property');
  if (failures.length > 0) return { condition, met: false, basis: failures.join('; ') };
  return { condition, met: true, basis: `income ${facts.monthlyIncomeFen} fen/month below the 低保 standard ${facts.dibaoStandardFen}; assets within limits` };
}

function noLegalSupporter(facts: TekunFacts): TekunConditionFinding {
  const condition = 'no-legal-supporter' as const;
  const { status, detail } = facts.legalSupporters;
  switch (status) {
    case 'none':
      return { condition, met: true, basis: 'no legal supporters' };
    case 'unable':
      return detail.trim().length > 0
        ? { condition, met: true, basis: `supporters unable to support: ${detail}` }
        : { condition, met: false, basis: 'supporters said to be unable, without saying who and why' };
  }
}

/** All three conditions must hold; each finding says why, so a refusal can be explained. */
export function evaluateTekunEligibility(facts: TekunFacts, rule: TekunRule): TekunEligibility {
  const conditions = [unableToWork(facts), noMeansOfLiving(facts, rule), noLegalSupporter(facts)];
  return { eligible: conditions.every((c) => c.met), conditions };
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/**
 * The monthly amount: basic living = 低保 standard × multiple, care allowance = minimum wage ×
 * the level's share (× (1 + bonus) for 集中 residents). Both round up to the fen: the rules are
 * floors ("not less than"), so rounding never takes a person below them.
 */
export function computeTekunAmount(input: {
  dibaoStandardFen: number;
  minimumWageFen: number;
  rule: TekunRule;
  careMode: TekunCareMode;
  selfCareLevel: SelfCareLevel;
}): TekunAmount {
  const { rule } = input;
  const basicLivingFen = Number(ceilDiv(BigInt(input.dibaoStandardFen) * BigInt(rule.basicMultipleBp), 10_000n));
  const bonusBp = input.careMode === 'centralized' ? rule.centralizedCareBonusBp : 0;
  const careAllowanceFen = Number(ceilDiv(BigInt(input.minimumWageFen) * BigInt(rule.careBp[input.selfCareLevel]) * BigInt(10_000 + bonusBp), 100_000_000n));
  return { basicLivingFen, careAllowanceFen, monthlyAmountFen: basicLivingFen + careAllowanceFen };
}
