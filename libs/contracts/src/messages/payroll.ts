/**
 * Payroll of social assistance (低保 per household, 特困 per person): subjects, request schemas,
 * views, event types and payloads.
 */
import { z } from 'zod';
import { InvalidValueError, Period } from '@civil/domain-kernel';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

export const PROGRAMMES = ['dibao', 'tekun'] as const;
/** 低保 (minimum living allowance, paid per household) or 特困 (extreme-poverty support, per person). */
export type Programme = (typeof PROGRAMMES)[number];
export type UrbanRural = 'urban' | 'rural';

export const PayrollEvents = {
  completed: 'civil.social-assistance.payroll.completed.v1',
  /** Audit of a bank-file export: the file reveals payees' resident IDs (architecture rule 9). */
  exported: 'civil.social-assistance.payroll.exported.v1',
} as const;

/** One township × urban/rural cell of a payroll. For 特困, households = persons. */
export interface PayrollTotalsLine {
  townshipCode: string;
  urbanRural: UrbanRural;
  households: number;
  persons: number;
  amountFen: number;
}

export interface PayrollTotals {
  households: number;
  persons: number;
  amountFen: number;
}

/** civil.social-assistance.payroll.completed.v1: one per (period, programme), totals only. */
export interface PayrollCompletedV1 {
  period: string;
  programme: Programme;
  lines: PayrollTotalsLine[];
  totals: PayrollTotals;
}

/** civil.social-assistance.payroll.exported.v1: who exported which bank file (the actor is in the envelope). */
export interface PayrollExportedV1 {
  period: string;
  programme: Programme;
  /** The export's id; its pages are read under it. */
  exportId: string;
  /** Lines in the exported file (the actor's division scope). */
  lines: number;
  amountFen: number;
  residentIdsRevealed: true;
}

/** 'YYYY-MM', checked by Period.parse; a bad value fails naming `period` with the rule that broke. */
export const periodSchema = z
  .string()
  .meta({ examples: ['2026-11'] })
  .transform((value, ctx) => {
  try {
    return Period.parse(value).toString();
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: error instanceof Error ? error.message : String(error),
      params: { rule: error instanceof InvalidValueError ? error.rule : 'invalid' },
    });
    return z.NEVER;
  }
});

export const payrollKeySchema = z.object({ period: periodSchema, programme: z.enum(PROGRAMMES) }).strict();
addExamples(payrollKeySchema, [
  { value: { period: '2026-11', programme: 'dibao' } },
]);
export const runPayrollSchema = payrollKeySchema;
export const getPayrollSchema = payrollKeySchema;
export type PayrollKey = z.output<typeof payrollKeySchema>;

export const listPaymentLinesSchema = z
  .object({
    period: periodSchema,
    programme: z.enum(PROGRAMMES),
    /** A township (9 digits, or 12 ending in 000); a village or a deeper code selects its township. */
    townshipCode: divisionCodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** The `next` of the previous page. */
    after: uuidSchema.optional(),
  })
  .strict();
export type ListPaymentLinesRequest = z.output<typeof listPaymentLinesSchema>;

export interface PayrollRunView {
  period: string;
  programme: Programme;
  status: 'running' | 'completed';
  startedAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** Batches committed so far (by every replica that worked on the run). */
  batches: number;
  /** Lines, persons and amount so far; the final totals once completed. */
  lines: number;
  persons: number;
  amountFen: number;
  /** Resume point while running: the last beneficiary id of the last committed batch. */
  lastKey: string | null;
  /** The payroll.completed data once completed, limited to the caller's division scope. */
  summary: PayrollCompletedV1 | null;
}

export interface PaymentLineView {
  beneficiaryId: string;
  sourceId: string;
  householdId: string | null;
  divisionCode: string;
  townshipCode: string;
  urbanRural: UrbanRural;
  persons: number;
  amountFen: number;
}

export interface PaymentLinePage {
  items: PaymentLineView[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

/**
 * One page of a payroll's bank file. The first request (no `exportId`) records the export, which
 * reveals payees' resident IDs, and returns the header with the first records; the following
 * requests name that export and the `next` of the page before. Only the exporter may read on.
 */
export const exportBankFileSchema = z
  .object({ period: periodSchema, programme: z.enum(PROGRAMMES), exportId: uuidSchema.optional(), after: uuidSchema.optional() })
  .strict()
  .refine((r) => r.after === undefined || r.exportId !== undefined, { message: 'a page after the first names its export', path: ['exportId'] });
export type ExportBankFileRequest = z.output<typeof exportBankFileSchema>;

export interface BankFilePage {
  exportId: string;
  /** CSV text (RFC 4180, CRLF): the header on the first page, then one record per payment line. */
  csv: string;
  /** Pass as `after` with the `exportId` for the next page; null on the last page. */
  next: string | null;
}
