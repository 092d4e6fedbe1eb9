import { z } from 'zod';
import { addExamples } from '../request-examples';

/**
 * The annual departmental expenditure performance evaluation report (部门整体支出绩效评价报告):
 * a model of sections and paragraphs whose figures come from data, rendered as .docx and HTML.
 * The text around the figures is an editable template per year and section.
 */

/** The editable sections, in the report's order: 一、工作开展情况 has eight (work-1 … work-8). */
export const REPORT_TEMPLATE_SECTIONS = ['title', 'introduction', 'budget', 'work-1', 'work-2', 'work-3', 'work-4', 'work-5', 'work-6', 'work-7', 'work-8', 'problems'] as const;
export type ReportTemplateSection = (typeof REPORT_TEMPLATE_SECTIONS)[number];

const yearSchema = z.coerce.number().int().min(2000).max(2100);

export const annualReportRequestSchema = z.object({ year: yearSchema }).strict();
export type AnnualReportRequest = z.input<typeof annualReportRequestSchema>;

/**
 * A download of the report (HTML preview or .docx): one page, so `exportId` and `after` only
 * exist because the gateway's download protocol may send them.
 */
export const annualReportDownloadSchema = z.object({ year: yearSchema, exportId: z.string().max(100).optional(), after: z.string().max(100).optional() }).strict();
export type AnnualReportDownloadRequest = z.input<typeof annualReportDownloadSchema>;

export const reportTemplateKeySchema = z.object({ year: yearSchema, section: z.enum(REPORT_TEMPLATE_SECTIONS) }).strict();
export type ReportTemplateKey = z.output<typeof reportTemplateKeySchema>;

/** A template's text: figures as placeholders (`{{dibao.paid|urban|万元4}}`, see the reporting service's placeholder grammar). */
export const putReportTemplateSchema = z.object({ year: yearSchema, section: z.enum(REPORT_TEMPLATE_SECTIONS), text: z.string().min(1).max(20_000) }).strict();
addExamples(putReportTemplateSchema, [
  {
    value: {
      year: 2023,
      section: 'work-2',
      text: '（二）加大投入，夯实基础，特困人员供养水平明显增强。累计打卡发放特困供养{{tekun.paid|万元4}}万元，保障特困供养对象{{tekun.persons}}人（集中供养{{tekun.persons.centralized}}人，分散供养{{tekun.persons.dispersed}}人）。',
    },
  },
]);
export type PutReportTemplateRequest = z.input<typeof putReportTemplateSchema>;

export interface ReportTemplateView {
  year: number;
  section: ReportTemplateSection;
  text: string;
  /** The year whose template this is: an earlier year's when `year` has none of its own. */
  fromYear: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** One figure of a paragraph: where it stands in `text`, what it was computed from. */
export interface ReportFigure {
  /** The placeholder as written, e.g. `dibao.paid|urban|万元4`. */
  placeholder: string;
  /** The data element(s): `dibao.paid`, `dibao.paid/dibao.person-months`, `stated:budget.total`, `year`. */
  code: string;
  filter: { urbanRural?: 'urban' | 'rural'; divisionCode?: string };
  /** The raw value (fen for amounts, a ratio for ratios). */
  value: number;
  /** As shown, e.g. `3176.4889`, `303万余`, `4700余`. */
  display: string;
  start: number;
  end: number;
}

export interface ReportParagraph {
  text: string;
  figures: ReportFigure[];
}

export interface ReportSection {
  key: ReportTemplateSection;
  /** The heading above the section (一、工作开展情况 before work-1, 二、存在的主要问题 before problems). */
  heading: string | null;
  paragraphs: ReportParagraph[];
}

export interface ReportBudgetRow {
  name: string;
  programme: string;
  budgetFen: number;
  executedFen: number;
  /** Executed / budget as a fraction (1 = 100 %). */
  rate: number;
}

export interface ReportIndicatorRow {
  code: string;
  name: string;
  category: string;
  target: number;
  actual: number;
  unit: string;
  weight: number;
  score: number;
}

export interface ReportFinding {
  rule: string;
  message: string;
  left: number;
  right: number;
  difference: number;
}

export interface ReportCorrection {
  element: string;
  frozen: number;
  live: number;
  difference: number;
}

export type AnnualReportGrade = '优' | '良' | '中' | '差';
export type AnnualReportStatus = 'draft' | 'reviewed' | 'approved';

export interface AnnualReportModel {
  year: number;
  status: AnnualReportStatus;
  title: ReportParagraph;
  /** introduction, budget, work-1 … work-8, problems. */
  sections: ReportSection[];
  budget: { statedTotalFen: number; basicFen: number; projectFen: number; completionRate: number; controlRate: number; projects: ReportBudgetRow[] };
  indicators: ReportIndicatorRow[];
  totalScore: number;
  grade: AnnualReportGrade;
  findings: ReportFinding[];
  /** Late changes to an approved year's figures (empty unless approved). */
  corrections: ReportCorrection[];
}
