import JSZip from 'jszip';
import { DomainError } from '@civil/contracts';
import { serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { DataSource } from 'typeorm';
import { REPORTING_MIGRATIONS } from '../data-source';
import { DataElementsService, yearRange } from '../projections/data-elements.service';
import { AnnualReportService } from './annual-report.service';
import { ReportTemplatesRepository } from './report-templates.repository';
import type { ReportInputsProvider } from './report-inputs';
import { INPUTS_2023 } from './testing/seed-values';

/** Facts and state versions as the projections write them, inserted directly. */
async function seedProjections(db: DataSource): Promise<void> {
  let n = 0;
  const fact = async (element: string, value: number, urbanRural: 'urban' | 'rural' | null, date = '2023-06-30'): Promise<void> => {
    n++;
    await db.query(`INSERT INTO fact (key, element, division_code, business_date, urban_rural, value, event_id, event_time) VALUES ($1, $2, '430503101000', $3, $4, $5, gen_random_uuid(), now())`, [`k${n}`, element, date, urbanRural, value]);
  };
  await fact('dibao.paid', 2_339_729_300, 'urban');
  await fact('dibao.paid', 836_759_600, 'rural');
  await fact('dibao.person-months', 59_090, 'urban');
  await fact('dibao.person-months', 31_370, 'rural');
  await fact('dibao.paid', 999_999, 'urban', '2024-01-01'); // another year: not counted
  await fact('marriage.registrations', 1753, null);
  await fact('charity.households-visited', 4733, null);
  for (let i = 0; i < 3; i++) {
    await db.query(
      `INSERT INTO state_version (entity_kind, entity_id, event_id, effective_from, event_time, active, division_code, urban_rural, persons, attributes) VALUES ('organisation', $1, gen_random_uuid(), '2023-03-01', now(), true, '430503101000', NULL, 0, '{}')`,
      [`org-${i}`],
    );
  }
}

describe('annual report against PostgreSQL', () => {
  let db: DataSource;
  let reports: AnnualReportService;

  beforeAll(async () => {
    db = new DataSource(serviceDataSourceOptions({ url: await createTestDatabase('annual_report'), entities: [], migrations: REPORTING_MIGRATIONS, applicationName: 'annual-report-test' }));
    await db.initialize();
    await db.runMigrations();
    await seedProjections(db);
    const elements = new DataElementsService(db);
    // Element values live from the projections; elements the catalogue lacks yet read as 0 here.
    const inputs: ReportInputsProvider = {
      inputs: () => Promise.resolve(INPUTS_2023),
      valueOf: (year) => async (code, filter) => {
        try {
          return await elements.value(code, yearRange(year), filter);
        } catch (error) {
          if (error instanceof DomainError && error.code === 'NOT_FOUND') return 0;
          throw error;
        }
      },
    };
    reports = new AnnualReportService(new ReportTemplatesRepository(db), inputs);
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('writes a .docx that parses back with the sections, both tables, the grade, the inconsistencies and the figures', async () => {
    const docx = await reports.docx(2023);
    const zip = await JSZip.loadAsync(docx);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = xml.replace(/<w:p[ >]/g, '\n$&').replace(/<[^>]+>/g, '');
    for (const expected of [
      '2023年度邵阳市大祥区民政局部门整体支出绩效评价报告',
      '纳入2023年部门整体支出绩效目标的金额为4702.42万元，其中，基本支出233.58万元，项目支出4468.85万元',
      '一、工作开展情况',
      '（一）严格程序，完善管理，低保工作日趋规范。',
      '（八）凝心聚力、常抓不懈，加强民政部门的自身建设。',
      '二、存在的主要问题',
      '三、预算执行情况',
      '四、绩效指标评分',
      '五、数据一致性检查',
      '总分91.5分，评价等级：优。',
      '登记在册社会组织133家，与社会团体27家、民办非企业单位108家之和135家不符',
      '部门整体支出4702.42万元，与基本支出233.58万元、项目支出4468.85万元之和4702.43万元不符',
    ]) {
      expect(text).toContain(expected);
    }
    expect(xml).toContain('仿宋_GB2312');
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(2);
    expect(text).toContain('低保应保尽保率');
    expect(text).toContain('城乡低保');
  });

  it('fills figures from the projections', async () => {
    const model = await reports.model(2023);
    const work1 = model.sections.find((s) => s.key === 'work-1')?.paragraphs[0]?.text ?? '';
    const html = await reports.html(2023);
    for (const figure of ['全年累计发放城乡低保3176.4889万元', '城市低保发放2339.7293万元，月人均救助水平395.96元', '农村低保发放836.7596万元，月人均救助水平266.74元', '走访慰问4700余户']) {
      expect(work1).toContain(figure);
      expect(html).toContain(figure);
    }
    for (const part of ['<h2>三、预算执行情况</h2>', '<h2>四、绩效指标评分</h2>', '<h2>五、数据一致性检查</h2>', '总分91.5分，评价等级：优。', '之和135家不符', '<table>']) expect(html).toContain(part);
    expect(model.sections.find((s) => s.key === 'work-5')?.paragraphs[0]?.text).toContain('结婚登记结婚1753对');
  });

  it('refuses a template with an unknown placeholder, naming it, and writes nothing', async () => {
    const before = await db.query<{ text: string }[]>(`SELECT text FROM report_template WHERE year = 2023 AND section = 'work-1'`);
    const error = await reports.saveTemplate(2023, 'work-1', '新增{{dibao.new.households}}户，{{dibao.new.familes}}人', 'finance-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toContain('{{dibao.new.familes}}');
    expect((error as DomainError).fields?.[0]).toMatchObject({ field: 'text', rule: 'placeholder', message: expect.stringContaining('unknown data element “dibao.new.familes”') });
    expect(await db.query(`SELECT text FROM report_template WHERE year = 2023 AND section = 'work-1'`)).toEqual(before);
    expect(await db.query(`SELECT count(*)::int AS n FROM report_template WHERE year <> 2023`)).toEqual([{ n: 0 }]);
  });

  it('saves a valid template for a new year; other sections of that year come from 2023', async () => {
    const saved = await reports.saveTemplate(2024, 'problems', '一是{{dibao.paid|万元2}}万元。', 'finance-1');
    expect(saved).toMatchObject({ year: 2024, section: 'problems', fromYear: 2024, updatedBy: 'finance-1' });
    expect(await reports.template(2024, 'work-1')).toMatchObject({ fromYear: 2023 });
    const model = await reports.model(2024);
    expect(model.sections.find((s) => s.key === 'problems')?.paragraphs[0]?.text).toBe('一是1.00万元。');
    expect(model.title.text).toBe('2024年度邵阳市大祥区民政局部门整体支出绩效评价报告');
  });
});
