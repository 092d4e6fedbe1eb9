import { Injectable } from '@nestjs/common';
import {
  DomainError,
  Patterns,
  annualReportDownloadSchema,
  annualReportRequestSchema,
  hasAnyRole,
  putReportTemplateSchema,
  reportTemplateKeySchema,
  type Actor,
  type AnnualReportModel,
  type ReportTemplateView,
  type Role,
} from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { AnnualReportService } from './annual-report.service';

export const REPORT_READERS: readonly Role[] = ['leader', 'finance-officer', 'auditor', 'admin'];
export const TEMPLATE_EDITORS: readonly Role[] = ['finance-officer', 'admin'];

/** A download page as the gateway streams it: the report fits one page (a .docx of tens of kilobytes). */
export type ReportPage = { exportId: string; next: null } & ({ text: string } | { base64: string });

function allowed(ctx: RpcContext, roles: readonly Role[], what: string): Actor {
  const actor = ctx.actor;
  if (!actor || actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', `${what} is for ${roles.join(', ')}`);
  return actor;
}

@Injectable()
export class AnnualReportHandlers {
  constructor(private readonly reports: AnnualReportService) {}

  @RpcHandler(Patterns.reporting.annualReport, { schema: annualReportRequestSchema })
  async report(request: z.output<typeof annualReportRequestSchema>, ctx: RpcContext): Promise<AnnualReportModel> {
    allowed(ctx, REPORT_READERS, 'the annual report');
    return this.reports.model(request.year);
  }

  @RpcHandler(Patterns.reporting.annualReportPreview, { schema: annualReportDownloadSchema })
  async preview(request: z.output<typeof annualReportDownloadSchema>, ctx: RpcContext): Promise<ReportPage> {
    allowed(ctx, REPORT_READERS, 'the annual report');
    return { exportId: `annual-report-${request.year}`, next: null, text: await this.reports.html(request.year) };
  }

  @RpcHandler(Patterns.reporting.annualReportDocx, { schema: annualReportDownloadSchema })
  async docx(request: z.output<typeof annualReportDownloadSchema>, ctx: RpcContext): Promise<ReportPage> {
    allowed(ctx, REPORT_READERS, 'the annual report');
    return { exportId: `annual-report-${request.year}`, next: null, base64: (await this.reports.docx(request.year)).toString('base64') };
  }

  @RpcHandler(Patterns.reporting.getReportTemplate, { schema: reportTemplateKeySchema })
  async template(request: z.output<typeof reportTemplateKeySchema>, ctx: RpcContext): Promise<ReportTemplateView> {
    allowed(ctx, REPORT_READERS, 'report templates');
    return this.reports.template(request.year, request.section);
  }

  @RpcHandler(Patterns.reporting.putReportTemplate, { schema: putReportTemplateSchema })
  async saveTemplate(request: z.output<typeof putReportTemplateSchema>, ctx: RpcContext): Promise<ReportTemplateView> {
    const actor = allowed(ctx, TEMPLATE_EDITORS, 'editing report templates');
    return this.reports.saveTemplate(request.year, request.section, request.text, actor.userId);
  }
}
