import { buildReportModel } from './report-model';
import { reportBlocks } from './report-blocks';
import { escapeHtml, renderHtml } from './report-renderers';
import { seedSections } from './seed-figures';
import { INPUTS_2023, SEED_2023, SEED_VALUES_2023, TEMPLATES_2023, valuesOf } from './testing/seed-values';

describe('buildReportModel', () => {
  it('reproduces the seed word for word from the seeded templates and the seed’s values', async () => {
    const model = await buildReportModel(2023, TEMPLATES_2023, INPUTS_2023, valuesOf(SEED_VALUES_2023));
    const seed = seedSections(SEED_2023);
    expect(model.title.text).toBe(seed.title);
    for (const section of model.sections) expect({ key: section.key, text: section.paragraphs.map((p) => p.text).join('\n') }).toEqual({ key: section.key, text: seed[section.key] });
    expect(model.sections.map((s) => s.heading).filter((h) => h !== null)).toEqual(['一、工作开展情况', '二、存在的主要问题']);
  });

  it('keeps each figure’s element, filter, value and place', async () => {
    const model = await buildReportModel(2023, TEMPLATES_2023, INPUTS_2023, valuesOf(SEED_VALUES_2023));
    const work1 = model.sections.find((s) => s.key === 'work-1')?.paragraphs[0];
    const urbanPaid = work1?.figures.find((f) => f.placeholder === 'dibao.paid|urban|万元4');
    expect(urbanPaid).toMatchObject({ code: 'dibao.paid', filter: { urbanRural: 'urban' }, value: 2_339_729_300, display: '2339.7293' });
    expect(work1?.text.slice(urbanPaid?.start, urbanPaid?.end)).toBe('2339.7293');
    const budget = model.sections.find((s) => s.key === 'budget')?.paragraphs[0];
    expect(budget?.figures.map((f) => [f.code, f.display])).toEqual([
      ['year', '2023'],
      ['year', '2023'],
      ['stated:budget.total', '4702.42'],
      ['stated:budget.basic', '233.58'],
      ['stated:budget.project', '4468.85'],
    ]);
  });

  it('asks for each element value once', async () => {
    const calls: string[] = [];
    const values = valuesOf(SEED_VALUES_2023);
    await buildReportModel(2023, TEMPLATES_2023, INPUTS_2023, (code, filter) => {
      calls.push(`${code}|${filter.urbanRural ?? ''}`);
      return values(code, filter);
    });
    expect(calls.length).toBe(new Set(calls).size);
    expect(calls).toContain('dibao.person-months|urban');
  });

  it('shows a dash for a level without a denominator, paragraphs on new lines, corrections only once approved', async () => {
    const model = await buildReportModel(2023, { ...TEMPLATES_2023, problems: '甲{{perCapita:dibao.paid/dibao.person-months|urban|元2}}元\n乙{{year}}' }, INPUTS_2023, valuesOf({ ...SEED_VALUES_2023, 'dibao.person-months|urban': 0 }));
    expect(model.sections.find((s) => s.key === 'problems')?.paragraphs.map((p) => p.text)).toEqual(['甲—元', '乙2023']);
    expect(model.corrections).toEqual([]);
    const approved = await buildReportModel(2023, TEMPLATES_2023, { ...INPUTS_2023, status: 'approved' }, valuesOf(SEED_VALUES_2023));
    expect(approved.corrections).toEqual(INPUTS_2023.corrections);
  });
});

describe('report blocks and HTML', () => {
  it('adds the budget table, the indicator table with total and grade, and each inconsistency', async () => {
    const model = await buildReportModel(2023, TEMPLATES_2023, { ...INPUTS_2023, status: 'approved' }, valuesOf(SEED_VALUES_2023));
    const blocks = reportBlocks(model);
    const texts = blocks.map((b) => (b.kind === 'table' ? `table:${b.headers.join('/')}:${b.rows.map((r) => r.join('/')).join(';')}` : b.kind === 'paragraph' ? b.lead + b.text : b.text));
    expect(texts).toEqual(
      expect.arrayContaining([
        '三、预算执行情况',
        '部门整体支出预算4702.42万元，其中基本支出233.58万元，项目支出4468.85万元；预算完成率98.76%，预算控制率5.00%。',
        'table:项目/类别/预算数（万元）/执行数（万元）/执行率:城乡低保/低保/3200.00/3176.49/99.27%;特困供养/特困/850.00/833.88/98.10%',
        '四、绩效指标评分',
        'table:指标/类别/目标值/实际值/权重/得分:低保应保尽保率/数量指标/100%/100%/10/10;出证准确率/质量指标/100%/99.5%/10/9.5',
        '总分91.5分，评价等级：优。',
        '五、数据一致性检查',
        '1. 登记在册社会组织133家，与社会团体27家、民办非企业单位108家之和135家不符（organisations = social-groups + private-non-enterprise：左侧133，右侧135，相差-2）',
        '2. 部门整体支出4702.42万元，与基本支出233.58万元、项目支出4468.85万元之和4702.43万元不符（budget.total = budget.basic + budget.project：左侧4702.42，右侧4702.43，相差-0.01）',
        'dibao.paid：审定值3176488900，现值3176500000，相差11100',
      ]),
    );
    const work1 = blocks.find((b) => b.kind === 'paragraph' && b.lead.startsWith('（一）'));
    expect(work1).toMatchObject({ lead: '（一）严格程序，完善管理，低保工作日趋规范。' });
  });

  it('escapes every text in the HTML preview', async () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    const model = await buildReportModel(2023, { ...TEMPLATES_2023, problems: '<script>alert(1)</script>' }, { ...INPUTS_2023, findings: [{ rule: 'r<1>', message: 'm&m', left: 1, right: 2, difference: -1 }] }, valuesOf(SEED_VALUES_2023));
    const html = renderHtml(model);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('m&amp;m（r&lt;1&gt;');
    expect(html).toContain('<h1>2023年度邵阳市大祥区民政局部门整体支出绩效评价报告</h1>');
  });
});
