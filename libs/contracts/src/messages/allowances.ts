/**
 * Monthly allowances paid by social affairs: child welfare (孤儿 orphans and 事实无人抚养儿童
 * de-facto-unsupported children) and the two disability subsidies (残疾人两项补贴: the living
 * allowance for certificate holders in 低保 households, the care allowance for grades 1–2).
 */
import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';
import { periodSchema } from './payroll';
import type { DisabilityCategory } from './tekun';
import { addExamples } from '../request-examples';

export const CHILD_PROGRAMMES = ['orphan', 'de-facto-unsupported'] as const;
export const DISABILITY_PROGRAMMES = ['disability-living', 'disability-care'] as const;
export const ALLOWANCE_PROGRAMMES = [...CHILD_PROGRAMMES, ...DISABILITY_PROGRAMMES] as const;
export type ChildProgramme = (typeof CHILD_PROGRAMMES)[number];
export type DisabilityProgramme = (typeof DISABILITY_PROGRAMMES)[number];
export type AllowanceProgramme = (typeof ALLOWANCE_PROGRAMMES)[number];

/**
 * A parent's circumstances as the assessment records them. `present` is a parent able to bring the
 * child up; `dead` includes a parent declared dead by a court; the others are the circumstances
 * of the 事实无人抚养儿童 policy.
 */
export const PARENT_CIRCUMSTANCES = [
  'present',
  'dead',
  'missing',
  'severely-disabled',
  'seriously-ill',
  'imprisoned',
  'compulsory-rehabilitation',
  'deprived-of-liberty',
  'guardianship-revoked',
] as const;
export type ParentCircumstance = (typeof PARENT_CIRCUMSTANCES)[number];

export const parentSchema = z
  .object({
    circumstance: z.enum(PARENT_CIRCUMSTANCES),
    /** Since when: required for `missing` (six months or more counts). */
    since: z.iso.date().optional(),
    /** The supporting document's reference (死亡证明, 判决书, 残疾人证 …), not the document itself. */
    evidence: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((parent, ctx) => {
    if (parent.circumstance === 'missing' && parent.since === undefined) {
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'a missing parent needs the date since when', params: { rule: 'required-when-missing' } });
    }
  });
export type ParentInput = z.output<typeof parentSchema>;

const childFields = {
  residentId: residentIdSchema,
  name: z.string().trim().min(1).max(50),
  /** Where the child lives (twelve-digit division code). */
  divisionCode: divisionCodeSchema,
  father: parentSchema,
  mother: parentSchema,
  guardian: z.object({ name: z.string().trim().min(1).max(50), relationship: z.string().trim().min(1).max(20) }).strict(),
};

/** "Would this child qualify?" — no write. */
export const assessChildSchema = z.object({ ...childFields, onDate: z.iso.date().optional() }).strict();
addExamples(assessChildSchema, [
  {
    value: {
      residentId: '430503201506010642',
      name: '陈雨涵',
      divisionCode: '430503101203',
      father: { circumstance: 'dead', since: '2021-03-14', evidence: '居民死亡医学证明书' },
      mother: { circumstance: 'missing', since: '2022-05-01', evidence: '公安机关出具的失踪报案回执' },
      guardian: { name: '陈德华', relationship: '祖父' },
      onDate: '2026-11-20',
    },
  },
]);
export type AssessChildInput = z.output<typeof assessChildSchema>;

/** The district's decision: the allowance is paid from the month after `decidedOn`. */
export const enrolChildSchema = z.object({ ...childFields, decidedOn: z.iso.date() }).strict();
addExamples(enrolChildSchema, [
  {
    value: {
      residentId: '430503201506010642',
      name: '陈雨涵',
      divisionCode: '430503101203',
      father: { circumstance: 'dead', since: '2021-03-14', evidence: '居民死亡医学证明书' },
      mother: { circumstance: 'missing', since: '2022-05-01', evidence: '公安机关出具的失踪报案回执' },
      guardian: { name: '陈德华', relationship: '祖父' },
      decidedOn: '2026-11-25',
    },
  },
]);
export type EnrolChildInput = z.output<typeof enrolChildSchema>;

/** The categories in the order of the 残疾人证 category digit (the 19th character: 1 visual … 7 multiple). */
export const CERTIFICATE_CATEGORY_ORDER: readonly DisabilityCategory[] = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];

/**
 * The second-generation 残疾人证 number: the holder's 18-character resident ID, the category digit
 * (1 visual … 7 multiple) and the grade digit (1 most severe … 4).
 */
export const disabilityCertificateSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{17}[0-9X][1-7][1-4]$/, 'a 残疾人证 number is the 18-character resident ID, a category digit 1–7 and a grade digit 1–4');

export const enrolDisabilitySchema = z
  .object({
    programme: z.enum(DISABILITY_PROGRAMMES),
    residentId: residentIdSchema,
    name: z.string().trim().min(1).max(50),
    divisionCode: divisionCodeSchema,
    certificateNumber: disabilityCertificateSchema,
    decidedOn: z.iso.date(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (!input.certificateNumber.startsWith(input.residentId)) {
      ctx.addIssue({ code: 'custom', path: ['certificateNumber'], message: 'the certificate number begins with the holder’s resident ID', params: { rule: 'matches-resident-id' } });
    }
  });
addExamples(enrolDisabilitySchema, [
  {
    value: {
      programme: 'disability-care',
      residentId: '430503198502140752',
      name: '赵志强',
      divisionCode: '430503002003',
      certificateNumber: '43050319850214075241',
      decidedOn: '2026-11-25',
    },
  },
]);
export type EnrolDisabilityInput = z.output<typeof enrolDisabilitySchema>;

export const END_REASONS = ['turned-18', 'adopted', 'parent-circumstances-changed', 'died', 'moved-away', 'dibao-stopped', 'certificate-revoked', 'other'] as const;
export type AllowanceEndReason = (typeof END_REASONS)[number];

/** Ends an enrolment: `lastPeriod` is the last month paid. */
export const endAllowanceSchema = z.object({ enrolmentId: uuidSchema, lastPeriod: periodSchema, reason: z.enum(END_REASONS) }).strict();
addExamples(endAllowanceSchema, [
  { value: { enrolmentId: '01a217ef-ebb2-7647-bfde-4e30b793b994', lastPeriod: '2026-12', reason: 'moved-away' } },
]);
export type EndAllowanceInput = z.output<typeof endAllowanceSchema>;

export const getAllowanceEnrolmentSchema = z.object({ id: uuidSchema }).strict();

export const allowancePayrollKeySchema = z.object({ period: periodSchema, programme: z.enum(ALLOWANCE_PROGRAMMES) }).strict();
addExamples(allowancePayrollKeySchema, [
  { value: { period: '2026-11', programme: 'orphan' } },
]);
export type AllowancePayrollKey = z.output<typeof allowancePayrollKeySchema>;

export const allowanceYearSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();

/** One finding of an assessment, with the basis it rests on. */
export interface AllowanceFinding {
  condition: string;
  met: boolean;
  basis: string;
}

export interface ChildAssessmentView {
  eligible: boolean;
  programme: ChildProgramme | null;
  findings: AllowanceFinding[];
}

export interface AllowanceEnrolmentView {
  id: string;
  programme: AllowanceProgramme;
  /** Masked (430503********123X) unless the caller made an audited reveal with the personal-data:reveal permission. */
  residentId: string;
  name: string;
  divisionCode: string;
  /** Disability programmes: the certificate's grade and category. */
  grade: number | null;
  category: DisabilityCategory | null;
  decidedOn: string;
  firstPeriod: string;
  /** The last month paid, once ended. */
  lastPeriod: string | null;
  endReason: AllowanceEndReason | null;
  findings: AllowanceFinding[];
}

export interface AllowancePayrollView {
  period: string;
  programme: AllowanceProgramme;
  persons: number;
  amountFen: number;
  completedAt: string;
  /** True when this call found the payroll already run and changed nothing. */
  alreadyRun: boolean;
}

export interface AllowanceYearSummary {
  year: number;
  programmes: { programme: AllowanceProgramme; payrolls: number; personMonths: number; amountFen: number }[];
}

export const AllowanceEvents = {
  enrolled: 'civil.social-affairs.allowance.enrolled.v1',
  ended: 'civil.social-affairs.allowance.ended.v1',
  payrollCompleted: 'civil.social-affairs.allowance-payroll.completed.v1',
} as const;

export interface AllowanceEnrolledV1 {
  enrolmentId: string;
  programme: AllowanceProgramme;
  firstPeriod: string;
  grade: number | null;
}

export interface AllowanceEndedV1 {
  enrolmentId: string;
  programme: AllowanceProgramme;
  lastPeriod: string;
  reason: AllowanceEndReason;
}

/** civil.social-affairs.allowance-payroll.completed.v1: one per (period, programme), totals by township. */
export interface AllowancePayrollCompletedV1 {
  period: string;
  programme: AllowanceProgramme;
  persons: number;
  amountFen: number;
  lines: { townshipCode: string; persons: number; amountFen: number }[];
}
