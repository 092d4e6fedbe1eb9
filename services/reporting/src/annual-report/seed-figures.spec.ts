import { buildReportModel } from './report-model';
import { compareWithSeed, describeMismatches, extractFigures, seedFigures, seedSections } from './seed-figures';
import { INPUTS_2023, SEED_2023, SEED_VALUES_2023, TEMPLATES_2023, valuesOf } from './testing/seed-values';

describe('extractFigures', () => {
  it('takes each number with its unit and the words before it', () => {
    expect(extractFigures('全年累计发放城乡低保3176.4889万元，共统筹整合财政等各项资金 303万余元，走访慰问4700余户困难群众，准确率100%').map((f) => [f.number, f.unit, f.context])).toEqual([
      ['3176.4889', '万元', '全年累计发放城乡低保'],
      ['303', '万余元', '统筹整合财政等各项资金 '],
      ['4700', '余户', '，走访慰问'],
      ['100', '%', '困难群众，准确率'],
    ]);
  });
});

describe('seed figures', () => {
  const figures = seedFigures(SEED_2023);

  it('splits the seed into its sections, dropping the Word bookmark', () => {
    const sections = seedSections(SEED_2023);
    expect(Object.keys(sections)).toEqual(['title', 'introduction', 'budget', 'work-1', 'work-2', 'work-3', 'work-4', 'work-5', 'work-6', 'work-7', 'work-8', 'problems']);
    expect(sections['work-5']?.startsWith('（五）依法管理')).toBe(true);
  });

  it('finds every figure of the seed, in its section', () => {
    const of = (section: string): string[] => figures.filter((f) => f.section === section).map((f) => `${f.number}${f.unit}`);
    expect(of('budget')).toEqual(['2023年', '2023年', '4702.42万元', '233.58万元', '4468.85万元']);
    expect(of('work-1')).toEqual(['432户', '1099人', '924户', '1470人', '12月', '2898户', '4893人', '1541户', '2848人', '3176.4889万元', '2339.7293万元', '395.96元', '836.7596万元', '266.74元', '303万余元', '4700余户']);
    expect(of('work-5')).toEqual(['1753对', '722对', '100%', '133家', '27家', '108家', '36.88万元', '78.47万元', '181.95万元', '283.46万元', '20余场']);
    expect(of('work-6')).toEqual(['13家', '5家', '8家', '3000元', '4000元', '66户', '90', '99岁', '124.92万元', '9万元']);
  });

  it('matches a generated report whose values are the seed’s, figure by figure', async () => {
    const model = await buildReportModel(2023, TEMPLATES_2023, INPUTS_2023, valuesOf(SEED_VALUES_2023));
    const checks = compareWithSeed(SEED_2023, model);
    expect(describeMismatches(checks)).toEqual([]);
    expect(checks).toHaveLength(figures.length);
    expect(checks.find((c) => c.seed?.number === '395.96')).toMatchObject({ ok: true, code: 'dibao.paid/dibao.person-months' });
  });

  it('reports a figure that differs, naming its element', async () => {
    const model = await buildReportModel(2023, TEMPLATES_2023, INPUTS_2023, valuesOf({ ...SEED_VALUES_2023, organisations: 135, 'dibao.paid|rural': 836_759_700 }));
    expect(describeMismatches(compareWithSeed(SEED_2023, model))).toEqual([
      'work-1 #12 after “；农村低保发放”: seed 836.7596万元, report 836.7597万元 (dibao.paid)',
      'work-5 #3 after “目前共有登记在册社会组织”: seed 133家, report 135家 (organisations)',
    ]);
  });

  it('reports a figure missing from the report', async () => {
    const model = await buildReportModel(2023, { ...TEMPLATES_2023, 'work-6': TEMPLATES_2023['work-6'].replace('长寿保健金{{age-allowance.longevity.paid|万元}}万元', '长寿保健金') }, INPUTS_2023, valuesOf(SEED_VALUES_2023));
    expect(describeMismatches(compareWithSeed(SEED_2023, model))).toEqual([expect.stringMatching(/^work-6 #9 .*seed 9万元, report \(none\)$/)]);
  });
});
