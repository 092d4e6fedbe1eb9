import { REPORT_TEMPLATE_SECTIONS, type AnnualReportModel, type ReportFigure, type ReportParagraph, type ReportSection, type ReportTemplateSection } from '@civil/contracts';
import { divide, formatFigure, rational, type Rational } from './figure-format';
import { parseTemplate, type ElementFilter, type Placeholder } from './placeholders';
import type { ReportInputs, ValueOf } from './report-inputs';

/** Headings that stand above a section, as in the bureau's report. */
const HEADINGS: Partial<Record<ReportTemplateSection, string>> = { 'work-1': '一、工作开展情况', problems: '二、存在的主要问题' };

/** Headings of the parts generated from data rather than templates. */
export const TABLE_HEADINGS = { budget: '三、预算执行情况', indicators: '四、绩效指标评分', consistency: '五、数据一致性检查' } as const;

/**
 * The report of `year`: every template's placeholders replaced by their figures (each figure
 * keeping its element code and position), plus the budget, indicators and findings as they are.
 * Each distinct element value is asked for once.
 */
export async function buildReportModel(year: number, templates: Readonly<Record<ReportTemplateSection, string>>, inputs: ReportInputs, valueOf: ValueOf): Promise<AnnualReportModel> {
  const cache = new Map<string, Promise<number>>();
  const value = (code: string, filter: ElementFilter): Promise<number> => {
    const key = `${code}|${filter.urbanRural ?? ''}|${filter.divisionCode ?? ''}`;
    let found = cache.get(key);
    if (found === undefined) {
      found = valueOf(code, filter);
      cache.set(key, found);
    }
    return found;
  };
  const figureOf = async (p: Placeholder): Promise<{ code: string; filter: ElementFilter; value: number; display: string }> => {
    switch (p.kind) {
      case 'year':
        return { code: 'year', filter: {}, value: year, display: String(year) };
      case 'stated': {
        const v = statedValue(inputs, p.code);
        return { code: `stated:${p.code}`, filter: {}, value: v, display: formatFigure(rational(v), p.format) };
      }
      case 'element': {
        const v = await value(p.code, p.filter);
        return { code: p.code, filter: p.filter, value: v, display: formatFigure(rational(v), p.format) };
      }
      case 'quotient': {
        const [n, d] = await Promise.all([value(p.numerator, p.filter), value(p.denominator, p.filter)]);
        const code = `${p.numerator}/${p.denominator}`;
        // No denominator, no level: a dash rather than a division by zero or a made-up 0.
        if (d === 0) return { code, filter: p.filter, value: 0, display: '—' };
        const q: Rational = divide(rational(n), rational(d));
        return { code, filter: p.filter, value: n / d, display: formatFigure(q, p.format) };
      }
    }
  };

  const render = async (section: ReportTemplateSection): Promise<ReportParagraph[]> => {
    const parsed = parseTemplate(templates[section]);
    if (parsed.errors.length > 0) {
      // Saved templates were validated; a stored one that no longer parses shows where, not a broken report.
      const first = parsed.errors[0];
      return [{ text: `【模板错误：${first?.placeholder ?? ''} ${first?.message ?? ''}】`, figures: [] }];
    }
    const paragraphs: ReportParagraph[] = [];
    let current: ReportParagraph = { text: '', figures: [] };
    for (const segment of parsed.segments) {
      if ('text' in segment) {
        const [first = '', ...rest] = segment.text.split(/\r?\n/);
        current.text += first;
        for (const line of rest) {
          paragraphs.push(current);
          current = { text: line, figures: [] };
        }
      } else {
        const f = await figureOf(segment.placeholder);
        const figure: ReportFigure = { placeholder: segment.placeholder.raw, code: f.code, filter: f.filter, value: f.value, display: f.display, start: current.text.length, end: current.text.length + f.display.length };
        current.text += f.display;
        current.figures.push(figure);
      }
    }
    paragraphs.push(current);
    return paragraphs.filter((p) => p.text.trim() !== '');
  };

  const [title = { text: '', figures: [] }] = await render('title');
  const sections: ReportSection[] = [];
  for (const key of REPORT_TEMPLATE_SECTIONS) {
    if (key === 'title') continue;
    sections.push({ key, heading: HEADINGS[key] ?? null, paragraphs: await render(key) });
  }
  return {
    year,
    status: inputs.status,
    title,
    sections,
    budget: {
      statedTotalFen: inputs.budget.statedTotalFen,
      basicFen: inputs.budget.basicFen,
      projectFen: inputs.budget.projectFen,
      completionRate: inputs.budget.completionRate,
      controlRate: inputs.budget.controlRate,
      projects: inputs.budget.projects.map((p) => ({ ...p })),
    },
    indicators: inputs.indicators.map((i) => ({ ...i })),
    totalScore: inputs.totalScore,
    grade: inputs.grade,
    findings: inputs.findings.map((f) => ({ ...f })),
    corrections: inputs.status === 'approved' ? inputs.corrections.map((c) => ({ ...c })) : [],
  };
}

function statedValue(inputs: ReportInputs, code: string): number {
  switch (code) {
    case 'budget.total':
      return inputs.budget.statedTotalFen;
    case 'budget.basic':
      return inputs.budget.basicFen;
    case 'budget.project':
      return inputs.budget.projectFen;
    case 'budget.completion-rate':
      return inputs.budget.completionRate;
    case 'budget.control-rate':
      return inputs.budget.controlRate;
    default:
      throw new Error(`unknown stated figure ${code}`);
  }
}

/** Fen as 万元 with two decimals, for tables. */
export function wanYuan(fen: number): string {
  return formatFigure(rational(fen), { kind: 'wan-yuan', decimals: 2 });
}

/** A fraction as a percentage with two decimals and the sign, for tables. */
export function percent(fraction: number): string {
  return `${formatFigure(rational(fraction), { kind: 'percent', decimals: 2 })}%`;
}

/** A plain number as written in a table: integers as they are, others with up to two decimals. */
export function plain(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const r = rational(value);
  return formatFigure({ num: r.num * 1_000_000n, den: r.den }, { kind: 'wan-yuan', decimals: 2 }).replace(/0+$/, '').replace(/\.$/, '');
}
