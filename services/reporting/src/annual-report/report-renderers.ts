import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { AnnualReportModel } from '@civil/contracts';
import { reportBlocks, type ReportBlock } from './report-blocks';

/**
 * The report as a Word document and as an HTML preview, from the same blocks. Fonts follow
 * government document practice: the title in 宋体 (二号), headings in 黑体, body text in
 * 仿宋_GB2312 (三号), Latin digits in Times New Roman.
 */
const BODY_FONT = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const TITLE_FONT = { eastAsia: '宋体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const HEADING_FONT = { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const BODY_SIZE = 32; // half-points: 16 pt, 三号
const TABLE_SIZE = 24; // 12 pt, 小四

export async function renderDocx(model: AnnualReportModel): Promise<Buffer> {
  const children: (Paragraph | Table)[] = reportBlocks(model).map(docxBlock);
  const document = new Document({
    creator: '大祥区民政局',
    title: model.title.text,
    styles: { default: { document: { run: { font: BODY_FONT, size: BODY_SIZE } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}

function docxBlock(block: ReportBlock): Paragraph | Table {
  switch (block.kind) {
    case 'title':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: block.text, bold: true, font: TITLE_FONT, size: 44 })] });
    case 'heading':
      return new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: block.text, font: HEADING_FONT, size: BODY_SIZE, color: '000000' })] });
    case 'paragraph':
      return new Paragraph({
        indent: { firstLine: 640 },
        children: [...(block.lead ? [new TextRun({ text: block.lead, bold: true, font: BODY_FONT, size: BODY_SIZE })] : []), new TextRun({ text: block.text, font: BODY_FONT, size: BODY_SIZE })],
      });
    case 'table': {
      const cell = (text: string, bold: boolean): TableCell =>
        new TableCell({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold, font: BODY_FONT, size: TABLE_SIZE })] })] });
      const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
      return new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
        rows: [
          new TableRow({ tableHeader: true, children: block.headers.map((h) => cell(h, true)) }),
          ...(block.rows.length > 0 ? block.rows.map((row) => new TableRow({ children: row.map((c) => cell(c, false)) })) : [new TableRow({ children: [cell('（无）', false), ...block.headers.slice(1).map(() => cell('', false))] })]),
        ],
      });
    }
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function renderHtml(model: AnnualReportModel): string {
  const body = reportBlocks(model)
    .map((block) => {
      switch (block.kind) {
        case 'title':
          return `<h1>${escapeHtml(block.text)}</h1>`;
        case 'heading':
          return `<h2>${escapeHtml(block.text)}</h2>`;
        case 'paragraph':
          return `<p>${block.lead ? `<strong>${escapeHtml(block.lead)}</strong>` : ''}${escapeHtml(block.text)}</p>`;
        case 'table':
          return `<table><thead><tr>${block.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${block.rows
            .map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`;
      }
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(model.title.text)}</title>
<style>
body { font-family: "仿宋_GB2312", FangSong, serif; font-size: 16pt; line-height: 1.6; max-width: 50em; margin: 2em auto; }
h1 { font-family: "宋体", SimSun, serif; text-align: center; font-size: 22pt; }
h2 { font-family: "黑体", SimHei, sans-serif; font-size: 16pt; }
p { text-indent: 2em; margin: 0.3em 0; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; }
th, td { border: 1px solid #000; padding: 0.2em 0.4em; text-align: center; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
