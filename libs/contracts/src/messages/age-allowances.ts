/**
 * Age allowances paid by elderly care: 高龄生活补贴 (`high-age`, ages 90–99) and 长寿保健金
 * (`longevity`, 100 and over), monthly, from the month after the birthday, from a register of older
 * residents kept by the elderly-care office.
 */
import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';
import { periodSchema } from './payroll';
import { addExamples } from '../request-examples';

export const AGE_ALLOWANCE_BANDS = ['high-age', 'longevity'] as const;
export type AgeAllowanceBand = (typeof AGE_ALLOWANCE_BANDS)[number];

/** On what the person's registration in the district rests: 户籍 or usual residence (常住). */
export const RESIDENCE_BASES = ['hukou', 'usual-residence'] as const;
export type ResidenceBasis = (typeof RESIDENCE_BASES)[number];

export const registerOlderResidentSchema = z
  .object({
    residentId: residentIdSchema,
    name: z.string().trim().min(1).max(50),
    /** Where the person lives (six-, nine- or twelve-digit division code, stored as twelve). */
    divisionCode: divisionCodeSchema,
    residenceBasis: z.enum(RESIDENCE_BASES),
    /**
     * Since when the person lives in the district, when they moved in; omitted for a lifelong
     * resident. An allowance is paid from the month after it at the earliest.
     */
    residentSince: z.iso.date().optional(),
  })
  .strict();
addExamples(registerOlderResidentSchema, [
  { summary: 'By household registration (户籍)', value: { residentId: '430503193303150285', name: '刘桂兰', divisionCode: '430503003002', residenceBasis: 'hukou' } },
  { summary: 'By usual residence', value: { residentId: '430503192408160119', name: '唐寿康', divisionCode: '430503006004', residenceBasis: 'usual-residence', residentSince: '2015-06-01' } },
]);
export type RegisterOlderResidentInput = z.output<typeof registerOlderResidentSchema>;

export const getOlderResidentSchema = z.object({ id: uuidSchema }).strict();

/** The death as the death certificate or the public-security notice gives it: paid through its month. */
export const recordOlderResidentDeathSchema = z.object({ id: uuidSchema, diedOn: z.iso.date() }).strict();
addExamples(recordOlderResidentDeathSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-2dfd4431e88d', diedOn: '2026-11-09' } },
]);
export type RecordOlderResidentDeathInput = z.output<typeof recordOlderResidentDeathSchema>;

/** Moving out of the district: paid through the month of the move, stopped from the next. */
export const recordOlderResidentMoveAwaySchema = z
  .object({ id: uuidSchema, movedOn: z.iso.date(), destination: z.string().trim().min(1).max(100).optional() })
  .strict();
addExamples(recordOlderResidentMoveAwaySchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-2dfd4431e88d', movedOn: '2026-10-31', destination: '长沙市岳麓区' } },
]);
export type RecordOlderResidentMoveAwayInput = z.output<typeof recordOlderResidentMoveAwaySchema>;

export const ageAllowanceSweepSchema = z.object({ period: periodSchema }).strict();
addExamples(ageAllowanceSweepSchema, [
  { value: { period: '2026-12' } },
]);
export type AgeAllowanceSweepInput = z.output<typeof ageAllowanceSweepSchema>;

export const ageAllowancePayrollKeySchema = z.object({ period: periodSchema, band: z.enum(AGE_ALLOWANCE_BANDS) }).strict();
addExamples(ageAllowancePayrollKeySchema, [
  { value: { period: '2026-11', band: 'high-age' } },
]);
export type AgeAllowancePayrollKey = z.output<typeof ageAllowancePayrollKeySchema>;

export const ageAllowanceYearSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();

export type AgeAllowanceEndReason = 'moved-band' | 'died' | 'moved-away';

export interface AgeAllowanceEnrolmentView {
  id: string;
  band: AgeAllowanceBand;
  firstPeriod: string;
  /** The last month paid, once ended. */
  lastPeriod: string | null;
  endReason: AgeAllowanceEndReason | null;
}

export interface OlderResidentView {
  id: string;
  /** Masked (430503********123X): the full number stays in the service. */
  residentId: string;
  name: string;
  divisionCode: string;
  residenceBasis: ResidenceBasis;
  residentSince: string | null;
  /** The first month of 高龄生活补贴 and of 长寿保健金 by the birthday and the residence date. */
  highAgeFrom: string;
  longevityFrom: string;
  diedOn: string | null;
  movedAwayOn: string | null;
  /** The last month payable (month of death or move), once recorded. */
  paidThrough: string | null;
  enrolments: AgeAllowanceEnrolmentView[];
  /** Months paid after `paidThrough` (a death recorded late): to be recovered. */
  overpaidPeriods: string[];
}

export interface AgeAllowanceSweepView {
  period: string;
  /** What this run changed: a second run for the same period reports zeros. */
  started: number;
  moved: number;
  stopped: number;
}

export interface AgeAllowancePayrollView {
  period: string;
  band: AgeAllowanceBand;
  persons: number;
  amountFen: number;
  completedAt: string;
  /** True when this call found the payroll already run and changed nothing. */
  alreadyRun: boolean;
}

export interface AgeAllowanceYearSummary {
  year: number;
  bands: { band: AgeAllowanceBand; payrolls: number; personMonths: number; amountFen: number }[];
}

export const AgeAllowanceEvents = {
  enrolmentStarted: 'civil.elderly-care.age-allowance-enrolment.started.v1',
  enrolmentMoved: 'civil.elderly-care.age-allowance-enrolment.moved.v1',
  enrolmentStopped: 'civil.elderly-care.age-allowance-enrolment.stopped.v1',
  payrollCompleted: 'civil.elderly-care.allowance-payroll.completed.v1',
} as const;

/** A person's allowance in a band begins (`personId` is the register's id, never the resident ID). */
export interface AgeAllowanceEnrolmentStartedV1 {
  enrolmentId: string;
  personId: string;
  band: AgeAllowanceBand;
  firstPeriod: string;
}

/** 高龄生活补贴 ends with the month of the 100th birthday; 长寿保健金 starts the month after. */
export interface AgeAllowanceEnrolmentMovedV1 {
  personId: string;
  fromEnrolmentId: string;
  fromBand: 'high-age';
  lastPeriod: string;
  toEnrolmentId: string;
  toBand: 'longevity';
  firstPeriod: string;
}

export interface AgeAllowanceEnrolmentStoppedV1 {
  enrolmentId: string;
  personId: string;
  band: AgeAllowanceBand;
  lastPeriod: string;
  reason: 'died' | 'moved-away';
}

/** civil.elderly-care.allowance-payroll.completed.v1: one per (period, band), totals by township. */
export interface AgeAllowancePayrollCompletedV1 {
  period: string;
  band: AgeAllowanceBand;
  persons: number;
  amountFen: number;
  lines: { townshipCode: string; persons: number; amountFen: number }[];
}
