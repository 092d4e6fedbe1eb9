/** Messages and events of 特困供养 (support for persons in extreme poverty). */
import { z } from 'zod';
import { residentIdSchema, uuidSchema } from '../validation';
import type { SealedResidentId } from '../events/personal-data';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();

export const TEKUN_CARE_MODES = ['centralized', 'dispersed'] as const;
export type TekunCareMode = (typeof TEKUN_CARE_MODES)[number];
/** 生活自理能力: fully self-caring, partly self-caring, fully dependent. */
export const SELF_CARE_LEVELS = ['full', 'partial', 'none'] as const;
export type SelfCareLevel = (typeof SELF_CARE_LEVELS)[number];
export const DISABILITY_CATEGORIES = ['intellectual', 'mental', 'physical', 'visual', 'hearing', 'speech', 'multiple'] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];
export const TEKUN_END_REASONS = ['death', 'no-longer-eligible', 'moved-away', 'other'] as const;
export type TekunEndReason = (typeof TEKUN_END_REASONS)[number];

/** The facts the three conditions are judged on; income and assets come from the household registry. */
const circumstances = {
  /** A member of the household registry; income and assets are read from there. */
  residentId: residentIdSchema,
  disability: z
    .object({
      category: z.enum(DISABILITY_CATEGORIES),
      grade: z.int().min(1).max(4),
      certificateNumber: z.string().trim().min(1).max(40),
    })
    .strict()
    .optional(),
  /** Only for 16–17-year-olds: living on their own labour makes them able to work. */
  livesOnOwnLabour: z.boolean().default(false),
  /** 无法定赡养、抚养、扶养义务人, or the supporters cannot support (with the reason). */
  legalSupporters: z
    .object({
      status: z.enum(['none', 'unable']),
      /** Who they are and why they cannot support, e.g. "女儿，重度残疾，本人为低保对象". */
      detail: z.string().trim().max(2000).default(''),
    })
    .strict()
    .refine((s) => s.status === 'none' || s.detail.length > 0, { message: 'say who the supporters are and why they cannot support', path: ['detail'] }),
};

export const assessTekunEligibilitySchema = z.object({ ...circumstances, onDate: isoDate.optional() }).strict();
addExamples(assessTekunEligibilitySchema, [
  {
    value: {
      residentId: '430503195007080533',
      disability: { category: 'physical', grade: 2, certificateNumber: '43050319500708053342' },
      legalSupporters: { status: 'none' },
      onDate: '2026-11-20',
    },
  },
]);
export type AssessTekunEligibilityInput = z.output<typeof assessTekunEligibilitySchema>;

const placement = {
  careMode: z.enum(TEKUN_CARE_MODES),
  selfCareLevel: z.enum(SELF_CARE_LEVELS),
  /** The care home of a 集中 resident; required for them, not allowed for 分散. */
  institutionName: z.string().trim().min(1).max(200).optional(),
};

function institutionMatchesMode(value: { careMode?: TekunCareMode | undefined; institutionName?: string | undefined }): boolean {
  if (value.careMode === undefined) return true;
  return value.careMode === 'centralized' ? value.institutionName !== undefined : value.institutionName === undefined;
}
const institutionRule = {
  message: '集中 (centralized) care names its institution; 分散 (dispersed) care has none',
  path: ['institutionName'],
};

export const enrolTekunSchema = z
  .object({ ...circumstances, ...placement, decisionDate: isoDate.optional() })
  .strict()
  .refine(institutionMatchesMode, institutionRule);
addExamples(enrolTekunSchema, [
  {
    summary: 'Dispersed care (分散供养) at home',
    value: {
      residentId: '430503195007080533',
      legalSupporters: { status: 'unable', detail: '唯一的女儿为一级智力残疾，本人亦为特困人员，无赡养能力' },
      careMode: 'dispersed',
      selfCareLevel: 'partial',
      decisionDate: '2026-11-25',
    },
  },
  {
    summary: 'Centralized care (集中供养) in an institution',
    value: {
      residentId: '430503195007080533',
      legalSupporters: { status: 'none' },
      careMode: 'centralized',
      selfCareLevel: 'none',
      institutionName: '大祥区罗市镇敬老院',
      decisionDate: '2026-11-25',
    },
  },
]);
export type EnrolTekunInput = z.output<typeof enrolTekunSchema>;

export const changeTekunCareSchema = z
  .object({
    personId: uuidSchema,
    careMode: z.enum(TEKUN_CARE_MODES),
    selfCareLevel: z.enum(SELF_CARE_LEVELS),
    institutionName: z.string().trim().min(1).max(200).optional(),
    reason: z.string().trim().min(1).max(2000),
    decisionDate: isoDate.optional(),
  })
  .strict()
  .refine(institutionMatchesMode, institutionRule);
addExamples(changeTekunCareSchema, [
  {
    value: {
      personId: '01a217ef-ebb2-7647-bfde-32b0e82618de',
      careMode: 'centralized',
      selfCareLevel: 'none',
      institutionName: '大祥区罗市镇敬老院',
      reason: '2026年10月中风后完全失能，本人申请入住敬老院集中供养',
      decisionDate: '2026-11-16',
    },
  },
]);
export type ChangeTekunCareInput = z.output<typeof changeTekunCareSchema>;

export const recordCareInsuranceSchema = z
  .object({
    personId: uuidSchema,
    insurer: z.string().trim().min(1).max(200),
    policyNumber: z.string().trim().min(1).max(60),
    startsOn: isoDate,
    endsOn: isoDate,
  })
  .strict()
  .refine((v) => v.endsOn > v.startsOn, { message: 'endsOn must be after startsOn', path: ['endsOn'] });
addExamples(recordCareInsuranceSchema, [
  { value: { personId: '01a217ef-ebb2-7647-bfde-32b0e82618de', insurer: '中国平安财产保险股份有限公司邵阳分公司', policyNumber: 'PDHN2026430503000187', startsOn: '2026-01-01', endsOn: '2026-12-31' } },
]);
export type RecordCareInsuranceInput = z.output<typeof recordCareInsuranceSchema>;

export const endTekunSchema = z
  .object({
    personId: uuidSchema,
    reason: z.enum(TEKUN_END_REASONS),
    /** The written reason: for a death, e.g. the death certificate's number and issuer. */
    detail: z.string().trim().min(1).max(2000),
    /** Required for a death: support is paid through the month of death. */
    dateOfDeath: isoDate.optional(),
    decisionDate: isoDate.optional(),
  })
  .strict()
  .refine((v) => (v.reason === 'death') === (v.dateOfDeath !== undefined), { message: 'a date of death is given exactly when the reason is death', path: ['dateOfDeath'] });
addExamples(endTekunSchema, [
  { summary: 'Death (triggers the funeral subsidy)', value: { personId: '01a217ef-ebb2-7647-bfde-32b0e82618de', reason: 'death', detail: '2026年11月8日因病去世，村委会出具死亡证明', dateOfDeath: '2026-11-08', decisionDate: '2026-11-12' } },
  { summary: 'Moved away', value: { personId: '01a217ef-ebb2-7647-bfde-32b0e82618de', reason: 'moved-away', detail: '户籍迁往长沙市岳麓区，由迁入地供养', decisionDate: '2026-11-12' } },
]);
export type EndTekunInput = z.output<typeof endTekunSchema>;

export const getTekunPersonSchema = z.object({ personId: uuidSchema }).strict();
export const tekunCensusSchema = z.object({ period: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM').meta({ examples: ['2026-11'] }) }).strict();

export type TekunCondition = 'unable-to-work' | 'no-means-of-living' | 'no-legal-supporter';

export interface TekunConditionFinding {
  condition: TekunCondition;
  met: boolean;
  /** Why, in words a caseworker can check, e.g. "aged 67 (60 or over)". */
  basis: string;
}

export interface TekunEligibilityReport {
  residentId: string;
  onDate: string;
  eligible: boolean;
  conditions: TekunConditionFinding[];
  perCapitaIncomeFen: number;
  dibaoStandardFen: number;
}

export interface TekunAmount {
  /** 基本生活标准: the 低保 standard × the rule's multiple. */
  basicLivingFen: number;
  /** 照料护理标准: a share of last year's minimum wage by self-care level, more for 集中 residents. */
  careAllowanceFen: number;
  monthlyAmountFen: number;
}

export interface TekunPersonView {
  /** Stable across changes of care: the person's registry membership. */
  personId: string;
  residentId: string;
  name: string;
  divisionCode: string;
  urbanRural: 'urban' | 'rural';
  status: 'active' | 'ended';
  careMode: TekunCareMode;
  selfCareLevel: SelfCareLevel;
  institutionName: string | null;
  amount: TekunAmount;
  /** First period paid at the current placement; the first period of support is in `history`. */
  startPeriod: string;
  endPeriod: string | null;
  endReason: string | null;
  careInsurance: { insurer: string; policyNumber: string; startsOn: string; endsOn: string }[];
  funeralSubsidy: { amountFen: number; grantedOn: string } | null;
  history: { startPeriod: string; endPeriod: string | null; careMode: TekunCareMode; selfCareLevel: SelfCareLevel; monthlyAmountFen: number; endReason: string | null }[];
}

/** Persons supported in a period, by care mode: the annual report's 866 (147 集中, 719 分散). */
export interface TekunCensus {
  period: string;
  persons: number;
  centralized: number;
  dispersed: number;
  byTownship: { townshipCode: string; centralized: number; dispersed: number }[];
}

export const TekunEvents = {
  enrolled: 'civil.social-assistance.tekun-person.enrolled.v1',
  changed: 'civil.social-assistance.tekun-person.changed.v1',
  ended: 'civil.social-assistance.tekun-person.ended.v1',
  funeralSubsidyGranted: 'civil.social-assistance.tekun-person.funeral-subsidy-granted.v1',
} as const;

export interface TekunEnrolledV1 {
  personId: string;
  /**
   * The person's resident ID (from the household registry), sealed: hash and ciphertext, never
   * the number. Other departments keep their own read models of 特困 support from it (e.g.
   * elderly care's home adaptation); absent on events emitted before it was added.
   */
  resident?: SealedResidentId;
  /** @deprecated The number in plain text, as emitted before `resident` (issue 8); still read from older events. */
  residentId?: string;
  urbanRural: 'urban' | 'rural';
  careMode: TekunCareMode;
  selfCareLevel: SelfCareLevel;
  monthlyAmountFen: number;
  /** The first period paid, YYYY-MM. */
  effectivePeriod: string;
  /** Decided here, or carried over from the previous system with the opening caseload. */
  origin: 'application' | 'import';
}

export interface TekunChangedV1 {
  personId: string;
  /**
   * The person's resident ID (from the household registry), sealed: hash and ciphertext, never
   * the number. Other departments keep their own read models of 特困 support from it (e.g.
   * elderly care's home adaptation); absent on events emitted before it was added.
   */
  resident?: SealedResidentId;
  /** @deprecated The number in plain text, as emitted before `resident` (issue 8); still read from older events. */
  residentId?: string;
  urbanRural: 'urban' | 'rural';
  careModeBefore: TekunCareMode;
  careModeAfter: TekunCareMode;
  selfCareLevelBefore: SelfCareLevel;
  selfCareLevelAfter: SelfCareLevel;
  monthlyAmountBeforeFen: number;
  monthlyAmountAfterFen: number;
  /** The first period paid at the new level. */
  effectivePeriod: string;
  reason: string;
}

export interface TekunEndedV1 {
  personId: string;
  /**
   * The person's resident ID (from the household registry), sealed: hash and ciphertext, never
   * the number. Other departments keep their own read models of 特困 support from it (e.g.
   * elderly care's home adaptation); absent on events emitted before it was added.
   */
  resident?: SealedResidentId;
  /** @deprecated The number in plain text, as emitted before `resident` (issue 8); still read from older events. */
  residentId?: string;
  urbanRural: 'urban' | 'rural';
  careMode: TekunCareMode;
  reason: TekunEndReason;
  detail: string;
  /** The first period no longer paid. */
  effectivePeriod: string;
}

export interface TekunFuneralSubsidyGrantedV1 {
  personId: string;
  urbanRural: 'urban' | 'rural';
  amountFen: number;
  dateOfDeath: string;
  grantedOn: string;
}
