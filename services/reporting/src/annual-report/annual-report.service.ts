import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type AnnualReportModel, type ReportTemplateSection, type ReportTemplateView } from '@civil/contracts';
import { parseTemplate } from './placeholders';
import { buildReportModel } from './report-model';
import { REPORT_INPUTS, type ReportInputsProvider } from './report-inputs';
import { renderDocx, renderHtml } from './report-renderers';
import { ReportTemplatesRepository } from './report-templates.repository';

/** The annual report of a year: its model, HTML preview and .docx; its editable templates. */
@Injectable()
export class AnnualReportService {
  constructor(
    private readonly templates: ReportTemplatesRepository,
    @Inject(REPORT_INPUTS) private readonly inputs: ReportInputsProvider,
  ) {}

  async model(year: number): Promise<AnnualReportModel> {
    const [texts, inputs] = await Promise.all([this.templates.textsForYear(year), this.inputs.inputs(year)]);
    return buildReportModel(year, texts, inputs, this.inputs.valueOf(year));
  }

  async html(year: number): Promise<string> {
    return renderHtml(await this.model(year));
  }

  async docx(year: number): Promise<Buffer> {
    return renderDocx(await this.model(year));
  }

  async template(year: number, section: ReportTemplateSection): Promise<ReportTemplateView> {
    const found = (await this.templates.forYear(year)).get(section);
    if (found === undefined) throw new DomainError('NOT_FOUND', `no report template for ${section}`);
    return found;
  }

  /** Saves a template after checking every placeholder; one bad placeholder refuses the whole text, naming each. */
  async saveTemplate(year: number, section: ReportTemplateSection, text: string, userId: string): Promise<ReportTemplateView> {
    const { errors } = parseTemplate(text);
    if (errors.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `the template has invalid placeholders: ${errors.map((e) => e.placeholder).join(', ')}`,
        errors.map((e) => ({ field: 'text', rule: 'placeholder', message: `${e.placeholder}: ${e.message}` })),
      );
    }
    return this.templates.save(year, section, text, userId);
  }
}
