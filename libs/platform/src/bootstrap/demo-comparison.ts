/**
 * The table each service's demo command prints: every figure of the bureau's 2023 report beside
 * the demo data's, and whether they match.
 */
export interface ComparisonRow {
  figure: string;
  report: string;
  demo: string;
  matches: boolean;
  note?: string;
}

/** A row; it matches when the two figures read the same, unless `matches` says otherwise (e.g. "N余"). */
export function comparisonRow(figure: string, report: number | string, demo: number | string, matches?: boolean): ComparisonRow {
  return { figure, report: String(report), demo: String(demo), matches: matches ?? String(report) === String(demo) };
}

/** Terminal columns of a text: CJK characters and full-width forms take two. */
export function displayWidth(text: string): number {
  return [...text].reduce((n, c) => n + (/[\u2e80-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
}

/** Pads a text to `width` terminal columns (at least one space). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(1, width - displayWidth(text)));
}

/** The comparison as the demo commands print it, columns as wide as their widest entry. */
export function formatComparison(rows: readonly ComparisonRow[]): string {
  const figureWidth = Math.max(displayWidth('figure'), ...rows.map((r) => displayWidth(r.figure))) + 2;
  const reportWidth = Math.max(displayWidth('2023 report'), ...rows.map((r) => displayWidth(r.report))) + 2;
  const lines = [`${padColumns('figure', figureWidth)}${padColumns('2023 report', reportWidth)}demo data`];
  for (const r of rows) {
    lines.push(`${padColumns(r.figure, figureWidth)}${padColumns(r.report, reportWidth)}${r.demo}${r.matches ? '' : '   ← differs'}${r.note === undefined ? '' : `   (${r.note})`}`);
  }
  return `${lines.join('\n')}\n`;
}
