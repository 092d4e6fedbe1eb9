/**
 * The staff dashboard: live indicators by programme, township and month, budget execution, the
 * indicator table with scores and grade, the inconsistencies found, and the annual report. Each
 * section loads on its own, so a role the API refuses a section sees "not permitted" there only.
 */
import { ApiError } from '../api';
import type { AppContext } from '../context';
import { renderChart } from '../charts';
import { errorPanel, field, formValue, h, onSubmit, type Child } from '../dom';
import { fenToWanYuan, formatNumber, formatRate } from '../format';
import { t, type MessageKey } from '../i18n/i18n';
import { staffSignInPage } from './signin';

interface SeriesView {
  unit: string;
  points: { group: string; value: number | null }[];
}
interface BudgetExecutionView {
  source: 'live' | 'frozen';
  statedTotalFen: number;
  basicFen: number;
  projectFen: number;
  completionRate: number | null;
  controlRate: number | null;
  executionRate: number | null;
  projects: { code: string; name: string; programme: string; amountFen: number | null; executedFen: number }[];
}
interface EvaluationView {
  source: 'live' | 'frozen';
  indicators: { code: string; name: string; unit: string; target: number; weight: number; actual: number | null; score: number; met: boolean }[];
  weightSum: number;
  totalScore: number;
  grade: string;
}
interface ValidationView {
  violations: { rule: string; message: string; left: number; right: number; difference: number }[];
}
interface DivisionNode {
  code: string;
  name: string;
  children?: DivisionNode[];
}

const COLUMNS: readonly MessageKey[] = ['dashboard.indicator', 'dashboard.target', 'dashboard.actual', 'dashboard.weight', 'dashboard.score'];

/** Fen amounts are charted in 万元; other units as they are. */
function chartValues(view: SeriesView): { values: (number | null)[]; unit: string } {
  const isFen = view.unit === 'fen' || view.unit === '分';
  return { values: view.points.map((p) => (p.value === null ? null : isFen ? Number(fenToWanYuan(p.value)) : p.value)), unit: isFen ? '万元' : view.unit };
}

export function dashboardPage(ctx: AppContext): HTMLElement {
  const session = ctx.session();
  if (!session || session.kind !== 'staff') return staffSignInPage(ctx);
  const year = Number(ctx.params.get('year')) || ctx.config.dashboardYear || new Date().getFullYear() - 1;

  const yearForm = h('form', { novalidate: true, class: 'inline', 'data-testid': 'year-form' }, field('year', 'dashboard.year', { type: 'number', value: String(year), min: 2000, max: 2100, inputmode: 'numeric' }), h('button', { type: 'submit' }, t('dashboard.load')));
  onSubmit(yearForm, async (data) => ctx.navigate(`#/staff?year=${encodeURIComponent(formValue(data, 'year'))}`));

  const section = (id: string, title: string, load: (body: HTMLElement) => Promise<void>): HTMLElement => {
    const body = h('div', { class: 'section-body' }, h('p', { class: 'note' }, t('app.loading')));
    const element = h('section', { class: 'panel', id, 'data-testid': id, 'aria-labelledby': `${id}-title` }, h('h3', { id: `${id}-title` }, title), body);
    load(body).catch((error: unknown) =>
      // Nothing recorded for the year yet (no budget set, say) is not an error to the reader.
      body.replaceChildren(error instanceof ApiError && error.problem.status === 404 ? h('p', { class: 'note' }, t('dashboard.noData')) : errorPanel(error)),
    );
    return element;
  };
  const base = `/api/v1/reports/years/${year}`;

  const monthly = section('chart-monthly', t('dashboard.monthly'), async (body) => {
    const view = await ctx.api.get<SeriesView>(`${base}/series?year=${year}&element=dibao.paid`);
    const { values, unit } = chartValues(view);
    const canvas = h('div', { class: 'chart', role: 'img', 'aria-label': t('dashboard.monthly') });
    body.replaceChildren(canvas);
    renderChart(canvas, view.points.map((p) => p.group.slice(5)), [{ name: t('dashboard.monthly'), kind: 'line', values }], unit);
  });

  const townships = section('chart-townships', t('dashboard.townships'), async (body) => {
    const [view, names] = await Promise.all([ctx.api.get<SeriesView>(`${base}/townships?year=${year}&element=dibao.paid`), townshipNames(ctx)]);
    const { values, unit } = chartValues(view);
    const canvas = h('div', { class: 'chart', role: 'img', 'aria-label': t('dashboard.townships') });
    body.replaceChildren(canvas);
    renderChart(canvas, view.points.map((p) => names.get(p.group) ?? p.group), [{ name: t('dashboard.townships'), kind: 'bar', values }], unit);
  });

  const budget = section('budget', t('dashboard.budget'), async (body) => {
    const view = await ctx.api.get<BudgetExecutionView>(`${base}/budget-execution`);
    const figures: [string, string][] = [
      [t('dashboard.budgetTotal'), `${fenToWanYuan(view.statedTotalFen, 2)} 万元`],
      [t('dashboard.budgetBasic'), `${fenToWanYuan(view.basicFen, 2)} 万元`],
      [t('dashboard.budgetProject'), `${fenToWanYuan(view.projectFen, 2)} 万元`],
      [t('dashboard.completionRate'), formatRate(view.completionRate)],
      [t('dashboard.controlRate'), formatRate(view.controlRate)],
      [t('dashboard.executionRate'), formatRate(view.executionRate)],
    ];
    const canvas = h('div', { class: 'chart', role: 'img', 'aria-label': t('dashboard.programmes') });
    body.replaceChildren(
      h('p', { class: 'note' }, t(view.source === 'frozen' ? 'dashboard.frozen' : 'dashboard.live')),
      h('dl', { class: 'figures' }, ...figures.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
      h('h4', {}, t('dashboard.programmes')),
      canvas,
    );
    renderChart(
      canvas,
      view.projects.map((p) => p.programme),
      [
        { name: t('dashboard.budgeted'), kind: 'bar', values: view.projects.map((p) => (p.amountFen === null ? null : Number(fenToWanYuan(p.amountFen)))) },
        { name: t('dashboard.executed'), kind: 'bar', values: view.projects.map((p) => Number(fenToWanYuan(p.executedFen))) },
      ],
      '万元',
    );
  });

  const indicators = section('indicators', t('dashboard.indicators'), async (body) => {
    const view = await ctx.api.get<EvaluationView>(`${base}/indicators`);
    if (view.indicators.length === 0) {
      body.replaceChildren(h('p', { class: 'note' }, t('dashboard.noData')));
      return;
    }
    const cell = (value: Child, attrs: Record<string, string> = {}): HTMLElement => h('td', attrs, value);
    body.replaceChildren(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { 'data-testid': 'indicator-table' },
          h('thead', {}, h('tr', {}, ...COLUMNS.map((k) => h('th', { scope: 'col' }, t(k))))),
          h(
            'tbody',
            {},
            ...view.indicators.map((i) =>
              h(
                'tr',
                { 'data-code': i.code, class: i.met ? 'met' : 'not-met' },
                h('th', { scope: 'row' }, i.name),
                cell(`${formatNumber(i.target)} ${i.unit}`),
                cell(i.actual === null ? '—' : `${formatNumber(i.actual)} ${i.unit}`, { 'data-col': 'actual' }),
                cell(formatNumber(i.weight)),
                cell(formatNumber(i.score), { 'data-col': 'score' }),
              ),
            ),
          ),
          h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('dashboard.total')), cell(''), cell(''), cell(formatNumber(view.weightSum)), cell(formatNumber(view.totalScore), { 'data-testid': 'total-score' }))),
        ),
      ),
      h('p', { class: 'grade' }, `${t('dashboard.grade')}：`, h('strong', { 'data-testid': 'grade' }, view.grade)),
    );
  });

  const inconsistencies = section('inconsistencies', t('dashboard.inconsistencies'), async (body) => {
    const view = await ctx.api.get<ValidationView>(`${base}/validation`);
    body.replaceChildren(
      view.violations.length === 0
        ? h('p', { class: 'note' }, t('dashboard.noInconsistencies'))
        : h('ul', { class: 'findings' }, ...view.violations.map((v) => h('li', { 'data-rule': v.rule }, v.message, h('small', {}, ` (${formatNumber(v.left)} ≠ ${formatNumber(v.right)})`)))),
    );
  });

  const downloadResult = h('div', { 'aria-live': 'polite' });
  const download = h('button', { type: 'button', 'data-testid': 'download-report' }, t('dashboard.download'));
  download.addEventListener('click', () => {
    download.disabled = true;
    download.textContent = t('dashboard.downloading');
    downloadResult.replaceChildren();
    ctx.api
      .download(`/api/v1/reports/annual/${year}/report.docx`)
      .then(({ blob, fileName }) => saveBlob(blob, fileName ?? `annual-report-${year}.docx`))
      .catch((error: unknown) => downloadResult.replaceChildren(errorPanel(error)))
      .finally(() => {
        download.disabled = false;
        download.textContent = t('dashboard.download');
      });
  });

  return h(
    'div',
    { class: 'dashboard' },
    h('h2', {}, `${t('dashboard.title')} · ${year}`),
    yearForm,
    h('div', { class: 'panel actions' }, download, downloadResult),
    h('div', { class: 'grid' }, monthly, townships),
    budget,
    indicators,
    inconsistencies,
  );
}

async function townshipNames(ctx: AppContext): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  try {
    const tree = await ctx.api.get<{ root: DivisionNode }>('/api/v1/divisions/tree?root=430503');
    for (const child of tree.root.children ?? []) names.set(child.code, child.name);
  } catch {
    // Names are a nicety: the chart shows codes without them.
  }
  return names;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
