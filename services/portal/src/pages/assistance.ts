/** 低保 and 临时救助 applications, and following their status. */
import { ApiError } from '../api';
import type { AppContext } from '../context';
import { FieldErrors, errorPanel, field, formErrorBox, formValue, h, onSubmit, selectField, textareaField } from '../dom';
import { fenToYuan, yuanToFen } from '../format';
import { t } from '../i18n/i18n';
import { trackApplication, trackedApplications, type TrackedApplication } from '../session';
import { isFinalStatus, statusLabel } from '../status';
import { signInRequired } from './signin';

interface ApplicationView {
  id: string;
  status: string;
  submittedOn?: string;
  deadline?: string;
  amountFen?: number;
  cause?: string;
}

const PATHS: Record<TrackedApplication['kind'], string> = {
  dibao: '/api/v1/social-assistance/dibao-applications',
  temporary: '/api/v1/social-assistance/temporary-assistance',
};

export function dibaoPage(ctx: AppContext): HTMLElement {
  if (!ctx.session()) return signInRequired('#/dibao');
  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'dibao-form' },
    formErrorBox(),
    field('householdId', 'form.householdId', { required: true, hint: 'form.householdIdHint', autocomplete: 'off' }),
    h('button', { type: 'submit' }, t('form.submit')),
  );
  onSubmit(form, async (data) => {
    const applied = await ctx.api.post<ApplicationView>(PATHS.dibao, { householdId: formValue(data, 'householdId') });
    trackApplication({ kind: 'dibao', id: applied.id });
    ctx.navigate('#/applications');
  });
  return h('section', {}, h('h2', {}, t('dibao.title')), h('p', { class: 'note' }, t('dibao.intro')), form);
}

export function temporaryPage(ctx: AppContext): HTMLElement {
  if (!ctx.session()) return signInRequired('#/temporary');
  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'temporary-form' },
    formErrorBox(),
    field('householdId', 'form.householdId', { required: true, hint: 'form.householdIdHint', autocomplete: 'off' }),
    textareaField('cause', 'temporary.cause', { required: true, maxlength: 2000 }),
    field('persons', 'temporary.persons', { type: 'number', required: true, min: 1, max: 100, value: '1', inputmode: 'numeric' }),
    field('amountFen', 'temporary.amount', { required: true, inputmode: 'decimal' }),
    h('button', { type: 'submit' }, t('form.submit')),
  );
  onSubmit(form, async (data) => {
    const amountFen = yuanToFen(formValue(data, 'amountFen'));
    if (amountFen === null) throw new FieldErrors({ fields: { amountFen: [t('rule.format')] }, general: [] });
    const persons = Number(formValue(data, 'persons'));
    const applied = await ctx.api.post<ApplicationView>('/api/v1/social-assistance/temporary-assistance/applications', {
      householdId: formValue(data, 'householdId'),
      cause: formValue(data, 'cause'),
      persons: Number.isInteger(persons) ? persons : 0,
      amountFen,
    });
    trackApplication({ kind: 'temporary', id: applied.id });
    ctx.navigate('#/applications');
  });
  return h('section', {}, h('h2', {}, t('temporary.title')), h('p', { class: 'note' }, t('temporary.intro')), form);
}

/** The applications this browser submitted, each with its live status, and a look-up by number. */
export function applicationsPage(ctx: AppContext): HTMLElement {
  if (!ctx.session()) return signInRequired('#/applications');
  const list = h('div', { class: 'cards', 'data-testid': 'applications' });
  const show = (application: TrackedApplication): void => {
    const card = h('article', { class: 'card', 'data-testid': 'application', 'data-id': application.id }, h('p', {}, t('app.loading')));
    list.appendChild(card);
    void renderApplication(ctx, application).then((content) => card.replaceChildren(...content));
  };
  const tracked = trackedApplications();
  if (tracked.length === 0) list.appendChild(h('p', { class: 'note' }, t('applications.empty')));
  tracked.forEach(show);

  const lookup = h(
    'form',
    { novalidate: true, class: 'inline' },
    formErrorBox(),
    selectField('kind', 'applications.lookupKind', [
      { value: 'dibao', label: t('applications.kind.dibao') },
      { value: 'temporary', label: t('applications.kind.temporary') },
    ]),
    field('id', 'applications.lookupId', { required: true, autocomplete: 'off' }),
    h('button', { type: 'submit' }, t('applications.lookup')),
  );
  onSubmit(lookup, async (data) => {
    const kind = formValue(data, 'kind') === 'temporary' ? 'temporary' : 'dibao';
    const id = formValue(data, 'id');
    if (!id) throw new FieldErrors({ fields: { id: [t('rule.required')] }, general: [] });
    list.querySelector('.note')?.remove();
    show({ kind, id });
  });
  return h(
    'section',
    {},
    h('h2', {}, t('applications.title')),
    list,
    h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => ctx.navigate('#/applications') }, t('applications.refresh'))),
    lookup,
  );
}

async function renderApplication(ctx: AppContext, application: TrackedApplication): Promise<HTMLElement[]> {
  const kindLabel = t(application.kind === 'dibao' ? 'applications.kind.dibao' : 'applications.kind.temporary');
  try {
    const view = await ctx.api.get<ApplicationView>(`${PATHS[application.kind]}/${encodeURIComponent(application.id)}`);
    const rows: [string, string][] = [[t('applications.lookupId'), view.id]];
    if (view.submittedOn) rows.push([t('applications.submittedOn'), view.submittedOn]);
    if (view.deadline && !isFinalStatus(application.kind, view.status)) rows.push([t('applications.deadline'), view.deadline]);
    if (typeof view.amountFen === 'number') rows.push([t('applications.amount'), `${fenToYuan(view.amountFen)} 元`]);
    return [
      h('h3', {}, kindLabel),
      h('p', { class: `status status-${view.status.toLowerCase()}`, 'data-testid': 'application-status', 'data-status': view.status }, `${t('applications.status')}：${statusLabel(application.kind, view.status)}`),
      h('dl', {}, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    ];
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 404) return [h('h3', {}, kindLabel), h('p', { class: 'error' }, t('applications.notFound'))];
    return [h('h3', {}, kindLabel), errorPanel(error)];
  }
}
