import type { AnnualReportModel } from '@civil/contracts';
import { TABLE_HEADINGS, percent, plain, wanYuan } from './report-model';

/**
 * The report as a flat list of blocks, the one reading of the model both renderers share, so the
 * .docx and the HTML preview cannot differ in content.
 */
export type ReportBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  /** `lead` is the bold opening sentence of a work section: （一）严格程序，完善管理，低保工作日趋规范。 */
  | { kind: 'paragraph'; lead: string; text: string }
  | { kind: 'table'; headers: string[]; rows: string[][] };

const LEAD = /^（[一二三四五六七八九十]+）[^。]*。/;

export function reportBlocks(model: AnnualReportModel): ReportBlock[] {
  const blocks: ReportBlock[] = [{ kind: 'title', text: model.title.text }];
  for (const section of model.sections) {
    if (section.heading !== null) blocks.push({ kind: 'heading', text: section.heading });
    for (const paragraph of section.paragraphs) {
      const lead = section.key.startsWith('work-') ? (LEAD.exec(paragraph.text)?.[0] ?? '') : '';
      blocks.push({ kind: 'paragraph', lead, text: paragraph.text.slice(lead.length) });
    }
  }

  const b = model.budget;
  blocks.push({ kind: 'heading', text: TABLE_HEADINGS.budget });
  blocks.push({
    kind: 'paragraph',
    lead: '',
    text: `部门整体支出预算${wanYuan(b.statedTotalFen)}万元，其中基本支出${wanYuan(b.basicFen)}万元，项目支出${wanYuan(b.projectFen)}万元；预算完成率${percent(b.completionRate)}，预算控制率${percent(b.controlRate)}。`,
  });
  blocks.push({
    kind: 'table',
    headers: ['项目', '类别', '预算数（万元）', '执行数（万元）', '执行率'],
    rows: b.projects.map((p) => [p.name, p.programme, wanYuan(p.budgetFen), wanYuan(p.executedFen), percent(p.rate)]),
  });

  blocks.push({ kind: 'heading', text: TABLE_HEADINGS.indicators });
  blocks.push({
    kind: 'table',
    headers: ['指标', '类别', '目标值', '实际值', '权重', '得分'],
    rows: model.indicators.map((i) => [i.name, i.category, `${plain(i.target)}${i.unit}`, `${plain(i.actual)}${i.unit}`, plain(i.weight), plain(i.score)]),
  });
  blocks.push({ kind: 'paragraph', lead: '', text: `总分${plain(model.totalScore)}分，评价等级：${model.grade}。` });

  blocks.push({ kind: 'heading', text: TABLE_HEADINGS.consistency });
  if (model.findings.length === 0) blocks.push({ kind: 'paragraph', lead: '', text: '未发现数据不一致。' });
  model.findings.forEach((f, i) => {
    blocks.push({ kind: 'paragraph', lead: '', text: `${i + 1}. ${f.message}（${f.rule}：左侧${plain(f.left)}，右侧${plain(f.right)}，相差${plain(f.difference)}）` });
  });
  if (model.status === 'approved') {
    blocks.push({ kind: 'paragraph', lead: '', text: model.corrections.length === 0 ? '审定后无更正。' : '审定后更正（审定数据不变，以下为此后到达的数据）：' });
    for (const c of model.corrections) {
      blocks.push({ kind: 'paragraph', lead: '', text: `${c.element}：审定值${plain(c.frozen)}，现值${plain(c.live)}，相差${plain(c.difference)}` });
    }
  }
  return blocks;
}
