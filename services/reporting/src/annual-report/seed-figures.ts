import type { AnnualReportModel, ReportTemplateSection } from '@civil/contracts';

/**
 * The figures of a report written the bureau's way, and a figure-by-figure comparison of the
 * bureau's own report (the seed) with a generated one. Both texts are read by the same extractor
 * and aligned by section and position, so each seed figure meets the generated figure that stands
 * in its place; a generated figure names the element it came from.
 */

export interface TextFigure {
  /** The digits as written: `3176.4889`, `303`, `4700`. */
  number: string;
  /** What follows the digits: `万元`, `万余元`, `余户`, `人次`, `%`, or ''. */
  unit: string;
  /** Up to twelve characters before the number, since the previous figure. */
  context: string;
  start: number;
  end: number;
}

const FIGURE = /(\d+(?:\.\d+)?)((?:万余|万|余)?(?:元|户|人次|人|对|家|条|场次|场|个|名|岁|年|月|%)?)/g;

export function extractFigures(text: string): TextFigure[] {
  const figures: TextFigure[] = [];
  let previousEnd = 0;
  for (const m of text.matchAll(FIGURE)) {
    const start = m.index;
    figures.push({ number: m[1] ?? '', unit: m[2] ?? '', context: text.slice(Math.max(previousEnd, start - 12), start), start, end: start + m[0].length });
    previousEnd = start + m[0].length;
  }
  return figures;
}

/** The seed's paragraphs by template section: title, introduction, budget, 一… (work-1 … work-8), 二… (problems). */
export function seedSections(seedText: string): Partial<Record<ReportTemplateSection, string>> {
  const lines = seedText
    .split(/\r?\n/)
    .map((l) => l.replace(/\[bookmark: [^\]]*\]/g, '').trim())
    .filter((l) => l !== '');
  const out: Partial<Record<ReportTemplateSection, string>> = {};
  const ordinals = '一二三四五六七八';
  let part: 'front' | 'work' | 'problems' = 'front';
  const front: ReportTemplateSection[] = ['title', 'introduction', 'budget'];
  let lastWork: ReportTemplateSection | null = null;
  for (const line of lines) {
    if (/^一、/.test(line)) {
      part = 'work';
      continue;
    }
    if (/^二、/.test(line)) {
      part = 'problems';
      continue;
    }
    if (part === 'front') {
      const key = front.shift();
      if (key !== undefined) out[key] = line;
    } else if (part === 'work') {
      const m = /^（([一二三四五六七八])）/.exec(line);
      if (m?.[1] !== undefined) {
        lastWork = `work-${ordinals.indexOf(m[1]) + 1}` as ReportTemplateSection;
        out[lastWork] = line;
      } else if (lastWork !== null) {
        out[lastWork] = `${out[lastWork] ?? ''}\n${line}`;
      }
    } else {
      out.problems = out.problems === undefined ? line : `${out.problems}\n${line}`;
    }
  }
  return out;
}

export interface SeedFigure extends TextFigure {
  section: ReportTemplateSection;
  /** Position among the section's figures, from 0. */
  index: number;
}

/** Every figure of the seed, with its section, position, unit and the words before it. */
export function seedFigures(seedText: string): SeedFigure[] {
  return Object.entries(seedSections(seedText)).flatMap(([section, text]) => extractFigures(text).map((f, index) => ({ ...f, section: section as ReportTemplateSection, index })));
}

export interface FigureCheck {
  section: ReportTemplateSection;
  index: number;
  seed: TextFigure | null;
  report: TextFigure | null;
  /** The element code of the generated figure at this place, when it came from data. */
  code: string | null;
  ok: boolean;
}

function modelSectionText(model: AnnualReportModel, key: ReportTemplateSection): { text: string; codeAt: (start: number, end: number) => string | null } {
  const paragraphs = key === 'title' ? [model.title] : (model.sections.find((s) => s.key === key)?.paragraphs ?? []);
  const spans: { start: number; end: number; code: string }[] = [];
  let offset = 0;
  for (const p of paragraphs) {
    for (const f of p.figures) spans.push({ start: offset + f.start, end: offset + f.end, code: f.code });
    offset += p.text.length + 1;
  }
  return {
    text: paragraphs.map((p) => p.text).join('\n'),
    codeAt: (start, end) => spans.find((s) => s.start < end && start < s.end)?.code ?? null,
  };
}

/** Compares the seed's figures with the generated report's, one by one, section by section. */
export function compareWithSeed(seedText: string, model: AnnualReportModel): FigureCheck[] {
  const checks: FigureCheck[] = [];
  for (const [key, seedText_] of Object.entries(seedSections(seedText))) {
    const section = key as ReportTemplateSection;
    const seed = extractFigures(seedText_);
    const generated = modelSectionText(model, section);
    const report = extractFigures(generated.text);
    for (let index = 0; index < Math.max(seed.length, report.length); index++) {
      const s = seed[index] ?? null;
      const r = report[index] ?? null;
      checks.push({ section, index, seed: s, report: r, code: r ? generated.codeAt(r.start, r.end) : null, ok: s !== null && r !== null && s.number === r.number && s.unit === r.unit });
    }
  }
  return checks;
}

/** The failed checks, one line each: where, what the seed says, what the report says, from which element. */
export function describeMismatches(checks: readonly FigureCheck[]): string[] {
  const show = (f: TextFigure | null): string => (f === null ? '(none)' : `${f.number}${f.unit}`);
  return checks
    .filter((c) => !c.ok)
    .map((c) => `${c.section} #${c.index} after “${c.seed?.context ?? c.report?.context ?? ''}”: seed ${show(c.seed)}, report ${show(c.report)}${c.code ? ` (${c.code})` : ''}`);
}
