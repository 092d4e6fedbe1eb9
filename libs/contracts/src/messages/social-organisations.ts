/**
 * Messages and events of social organisations (社会组织): 社会团体 and 民办非企业单位 (社会服务机构)
 * registered by the district, 基金会 registered by the province and recorded by the district;
 * changes, deregistration (注销), annual inspection (年检) and grading (等级评估 1A–5A).
 */
import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

export const ORGANISATION_TYPES = ['social-group', 'private-non-enterprise', 'foundation'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** Results of an annual inspection: 合格, 基本合格, 不合格. */
export const INSPECTION_RESULTS = ['pass', 'basic-pass', 'fail'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

/**
 * A year's inspection as listed: its result, `exempt` (registered after 06-30 of that year),
 * `missed` (no result once the 05-31 deadline of the following year has passed), `due` (deadline
 * not passed yet), `not-required` (deregistered before the deadline without a result).
 */
export type InspectionStatus = InspectionResult | 'exempt' | 'missed' | 'due' | 'not-required';

export const ORGANISATION_GRADES = ['1A', '2A', '3A', '4A', '5A'] as const;
export type OrganisationGrade = (typeof ORGANISATION_GRADES)[number];

/** Fields an organisation may change (变更登记), recorded with their effective date. */
export const ORGANISATION_CHANGE_FIELDS = ['name', 'address', 'legalRepresentative', 'businessScope'] as const;
export type OrganisationChangeField = (typeof ORGANISATION_CHANGE_FIELDS)[number];

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters of 0-9 A-H J-N P-R T U W-Y (no I O Z S V); the
 * last is the check character: 31 − (Σ valueᵢ × weightᵢ mod 31), with 31 written as 0.
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;

/** The check character for the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`a credit code's check character is computed from 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i] ?? '');
    if (value < 0) throw new RangeError(`"${first17[i] ?? ''}" is not a credit-code character`);
    sum += value * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET[check === 31 ? 0 : check] ?? '0';
}

/** Why a credit code is invalid (`format` or `checksum`), or null when it is valid. */
export function creditCodeProblem(code: string): { rule: 'format' | 'checksum'; message: string } | null {
  if (!CREDIT_CODE_PATTERN.test(code)) return { rule: 'format', message: 'a unified social credit code is 18 characters of 0-9 and A-Z without I, O, Z, S, V' };
  const expected = creditCodeCheckChar(code.slice(0, 17));
  return code[17] === expected ? null : { rule: 'checksum', message: `the check character of this credit code should be ${expected}` };
}

/** A credit code, upper-cased, checked by format and check character (GB 32100-2015). */
export const creditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    const problem = creditCodeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { rule: problem.rule } });
  });

const isoDate = z.iso.date();
const nameSchema = z.string().trim().min(1).max(100);
const addressSchema = z.string().trim().min(1).max(200);
const personNameSchema = z.string().trim().min(1).max(50);
const businessScopeSchema = z.string().trim().min(1).max(1000);

/**
 * 成立登记 by the district: 社会团体 and 民办非企业单位. A 基金会 is accepted by the schema and
 * refused by the service (the province registers it; record it with {@link recordFoundationSchema}).
 */
export const registerOrganisationSchema = z
  .object({
    type: z.enum(ORGANISATION_TYPES),
    name: nameSchema,
    creditCode: creditCodeSchema,
    /** The division of its domicile (住所), within the caller's divisions. */
    divisionCode: divisionCodeSchema,
    address: addressSchema,
    legalRepresentative: personNameSchema,
    businessScope: businessScopeSchema,
    /** Defaults to today; never in the future. */
    registeredOn: isoDate.optional(),
  })
  .strict();
addExamples(registerOrganisationSchema, [
  {
    summary: 'A social group (社会团体)',
    value: {
      type: 'social-group',
      name: '邵阳市大祥区老年书画协会',
      creditCode: '51430503MJ2468135Y',
      divisionCode: '430503001000',
      address: '邵阳市大祥区中心路街道红旗路66号',
      legalRepresentative: '罗建平',
      businessScope: '组织会员开展书画创作、交流、展览及公益培训',
      registeredOn: '2026-11-20',
    },
  },
  {
    summary: 'A private non-enterprise unit (民办非企业单位)',
    value: {
      type: 'private-non-enterprise',
      name: '邵阳市大祥区阳光社会工作服务中心',
      creditCode: '52430503MJ1234567C',
      divisionCode: '430503007000',
      address: '邵阳市大祥区城南街道城南路25号',
      legalRepresentative: '邓丽华',
      businessScope: '为困境儿童、留守老人提供社会工作专业服务',
    },
  },
]);
export type RegisterOrganisationInput = z.output<typeof registerOrganisationSchema>;

/** A 基金会 registered by the province, recorded by the district with the province's number and date. */
export const recordFoundationSchema = z
  .object({
    name: nameSchema,
    creditCode: creditCodeSchema,
    divisionCode: divisionCodeSchema,
    address: addressSchema,
    legalRepresentative: personNameSchema,
    businessScope: businessScopeSchema,
    provinceRegistrationNumber: z.string().trim().min(1).max(50),
    registeredOn: isoDate,
  })
  .strict();
addExamples(recordFoundationSchema, [
  {
    value: {
      name: '湖南省宝庆助学基金会',
      creditCode: '53430000MJ35792465',
      divisionCode: '430503000000',
      address: '邵阳市大祥区城南街道宝庆中路18号',
      legalRepresentative: '谢文辉',
      businessScope: '资助家庭经济困难学生完成学业',
      provinceRegistrationNumber: '湘基证字第0712号',
      registeredOn: '2024-03-18',
    },
  },
]);
export type RecordFoundationInput = z.output<typeof recordFoundationSchema>;

export const getOrganisationSchema = z.object({ orgId: uuidSchema }).strict();

export const listOrganisationsSchema = z
  .object({
    type: z.enum(ORGANISATION_TYPES).optional(),
    /** Deregistered organisations are left out unless asked for (`?includeDeregistered=true`). */
    includeDeregistered: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListOrganisationsInput = z.output<typeof listOrganisationsSchema>;

/** 变更登记: at least one field, each different from the current value. */
export const changeOrganisationSchema = z
  .object({
    orgId: uuidSchema,
    effectiveOn: isoDate,
    name: nameSchema.optional(),
    address: addressSchema.optional(),
    legalRepresentative: personNameSchema.optional(),
    businessScope: businessScopeSchema.optional(),
  })
  .strict();
addExamples(changeOrganisationSchema, [
  { value: { orgId: '01a217ef-ebb2-7647-bfde-52e568b21755', effectiveOn: '2026-11-01', legalRepresentative: '陈立新', address: '邵阳市大祥区中心路街道红旗路88号' } },
]);
export type ChangeOrganisationInput = z.output<typeof changeOrganisationSchema>;

export const deregisterOrganisationSchema = z
  .object({ orgId: uuidSchema, deregisteredOn: isoDate, reason: z.string().trim().min(1).max(500) })
  .strict();
addExamples(deregisterOrganisationSchema, [
  { value: { orgId: '01a217ef-ebb2-7647-bfde-52e568b21755', deregisteredOn: '2026-11-20', reason: '会员大会决议解散，清算完毕' } },
]);
export type DeregisterOrganisationInput = z.output<typeof deregisterOrganisationSchema>;

/** The result of a year's 年检 (materials due by 05-31 of the following year). */
export const inspectOrganisationSchema = z
  .object({
    orgId: uuidSchema,
    year: z.int().min(2000).max(2100),
    result: z.enum(INSPECTION_RESULTS),
    /** The day the result was decided: in the following year, never in the future; defaults to today. */
    inspectedOn: isoDate.optional(),
  })
  .strict();
addExamples(inspectOrganisationSchema, [
  { value: { orgId: '01a217ef-ebb2-7647-bfde-52e568b21755', year: 2025, result: 'pass', inspectedOn: '2026-06-20' } },
]);
export type InspectOrganisationInput = z.output<typeof inspectOrganisationSchema>;

/** 等级评估: the 1000-point score; the grade follows from the cut-offs of `rule_org_grading`. */
export const gradeOrganisationSchema = z
  .object({ orgId: uuidSchema, score: z.int().min(0).max(1000), gradedOn: isoDate.optional() })
  .strict();
addExamples(gradeOrganisationSchema, [
  { value: { orgId: '01a217ef-ebb2-7647-bfde-52e568b21755', score: 812, gradedOn: '2026-11-10' } },
]);
export type GradeOrganisationInput = z.output<typeof gradeOrganisationSchema>;

export const organisationCensusSchema = z.object({ asOf: isoDate.optional() }).strict();

export interface OrganisationInspectionView {
  year: number;
  status: InspectionStatus;
  inspectedOn: string | null;
}

export interface OrganisationGradingView {
  score: number;
  /** Null when the score is below the 1A cut-off. */
  grade: OrganisationGrade | null;
  gradedOn: string;
  /** The last day of the five years (Civil Code art. 202: the corresponding day, else the month's end). */
  validUntil: string;
}

export interface OrganisationChangeView {
  field: OrganisationChangeField;
  from: string;
  to: string;
  effectiveOn: string;
}

export interface OrganisationView {
  id: string;
  type: OrganisationType;
  name: string;
  creditCode: string;
  divisionCode: string;
  address: string;
  legalRepresentative: string;
  businessScope: string;
  registeredOn: string;
  /** 'county' for 社会团体 and 民办非企业单位, 'province' for 基金会 (recorded here). */
  registeredBy: 'county' | 'province';
  provinceRegistrationNumber: string | null;
  status: 'active' | 'deregistered';
  deregisteredOn: string | null;
  deregistrationReason: string | null;
  /** Every year from the registration year to last year (or the year before deregistration). */
  inspections: OrganisationInspectionView[];
  /** The latest grading still valid today, or null. */
  grading: OrganisationGradingView | null;
  changes: OrganisationChangeView[];
}

export interface OrganisationSummaryView {
  id: string;
  type: OrganisationType;
  name: string;
  creditCode: string;
  divisionCode: string;
  registeredOn: string;
  status: 'active' | 'deregistered';
  /** Last year's inspection (the status may be `exempt`, `due` or `missed`), null before any year ended. */
  lastInspection: OrganisationInspectionView | null;
  grade: OrganisationGrade | null;
}

/** Organisations registered on or before `asOf` and not deregistered by then, within the caller's divisions. */
export interface OrganisationCensus {
  asOf: string;
  /** Registered by the district. */
  county: { 'social-group': number; 'private-non-enterprise': number; total: number };
  /** Registered by the province, recorded by the district. */
  province: { foundation: number; total: number };
  total: number;
}

export const SocialOrganisationEvents = {
  registered: 'civil.social-affairs.organisation.registered.v1',
  recorded: 'civil.social-affairs.organisation.recorded.v1',
  changed: 'civil.social-affairs.organisation.changed.v1',
  deregistered: 'civil.social-affairs.organisation.deregistered.v1',
  inspected: 'civil.social-affairs.organisation.inspected.v1',
  graded: 'civil.social-affairs.organisation.graded.v1',
} as const;

/** Registered by the district (`registered`), or a province-registered foundation recorded (`recorded`). */
export interface OrganisationRegisteredV1 {
  orgId: string;
  type: OrganisationType;
  name: string;
  creditCode: string;
  registeredBy: 'county' | 'province';
  registeredOn: string;
  /** Only for `recorded`. */
  provinceRegistrationNumber?: string;
}

export interface OrganisationChangedV1 {
  orgId: string;
  type: OrganisationType;
  fields: OrganisationChangeField[];
  effectiveOn: string;
}

export interface OrganisationDeregisteredV1 {
  orgId: string;
  type: OrganisationType;
  registeredOn: string;
  deregisteredOn: string;
  reason: string;
}

export interface OrganisationInspectedV1 {
  orgId: string;
  type: OrganisationType;
  year: number;
  result: InspectionResult;
  inspectedOn: string;
}

export interface OrganisationGradedV1 {
  orgId: string;
  type: OrganisationType;
  score: number;
  grade: OrganisationGrade | null;
  gradedOn: string;
  validUntil: string;
}
