import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { REPORT_TEMPLATE_SECTIONS, type ReportTemplateSection, type ReportTemplateView } from '@civil/contracts';
import type { DataSource } from 'typeorm';

interface TemplateRow {
  year: number;
  section: ReportTemplateSection;
  text: string;
  updated_by: string | null;
  updated_at: Date | null;
}

/** The report templates: a year's own, else the nearest earlier year's (else the nearest later one's). */
@Injectable()
export class ReportTemplatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async forYear(year: number): Promise<Map<ReportTemplateSection, ReportTemplateView>> {
    const rows = await this.dataSource.query<TemplateRow[]>(
      `SELECT DISTINCT ON (section) year, section, text, updated_by, updated_at FROM report_template
        ORDER BY section, year > $1, abs(year - $1)`,
      [year],
    );
    const views = new Map<ReportTemplateSection, ReportTemplateView>();
    for (const row of rows) {
      views.set(row.section, { year, section: row.section, text: row.text, fromYear: row.year, updatedBy: row.updated_by, updatedAt: row.updated_at?.toISOString() ?? null });
    }
    return views;
  }

  /** Every section's text for `year` ('' for a section no year has). */
  async textsForYear(year: number): Promise<Record<ReportTemplateSection, string>> {
    const views = await this.forYear(year);
    return Object.fromEntries(REPORT_TEMPLATE_SECTIONS.map((s) => [s, views.get(s)?.text ?? ''])) as Record<ReportTemplateSection, string>;
  }

  async save(year: number, section: ReportTemplateSection, text: string, userId: string): Promise<ReportTemplateView> {
    const [row] = await this.dataSource.query<TemplateRow[]>(
      `INSERT INTO report_template (year, section, text, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (year, section) DO UPDATE SET text = EXCLUDED.text, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING year, section, text, updated_by, updated_at`,
      [year, section, text, userId],
    );
    if (row === undefined) throw new Error('report_template upsert returned nothing');
    return { year, section, text: row.text, fromYear: row.year, updatedBy: row.updated_by, updatedAt: row.updated_at?.toISOString() ?? null };
  }
}
