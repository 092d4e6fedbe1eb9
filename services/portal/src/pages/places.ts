/** The public place-name search (no sign-in). */
import type { AppContext } from '../context';
import { field, formErrorBox, formValue, h, onSubmit, selectField } from '../dom';
import { isMessageKey, t } from '../i18n/i18n';

interface Hit {
  id: string;
  name: string;
  pinyin: string;
  category: string;
  divisionCode: string;
  matched: { name: string; status: string };
}

const CATEGORIES = ['natural-feature', 'administrative-division', 'committee-seat', 'park-or-protected-area', 'street-road-lane', 'residential-area-or-building', 'infrastructure', 'other'];

const label = (prefix: string, value: string): string => {
  const key = `${prefix}.${value}`;
  return isMessageKey(key) ? t(key) : value;
};

export function placesPage(ctx: AppContext): HTMLElement {
  const results = h('div', { 'aria-live': 'polite', 'data-testid': 'place-results' });
  const form = h(
    'form',
    { novalidate: true, role: 'search', 'data-testid': 'places-form' },
    formErrorBox(),
    field('q', 'places.query', { type: 'search', value: ctx.params.get('q') ?? '', maxlength: 100 }),
    selectField('category', 'places.category', [{ value: '', label: t('places.anyCategory') }, ...CATEGORIES.map((c) => ({ value: c, label: label('places.category', c) }))]),
    h('button', { type: 'submit' }, t('places.search')),
  );
  onSubmit(form, async (data) => {
    const query = new URLSearchParams();
    const q = formValue(data, 'q');
    const category = formValue(data, 'category');
    if (q) query.set('q', q);
    if (category) query.set('category', category);
    query.set('limit', '50');
    const found = await ctx.api.get<{ items: Hit[] }>(`/api/v1/place-names?${query.toString()}`);
    results.replaceChildren(found.items.length === 0 ? h('p', { class: 'note' }, t('places.noResults')) : resultTable(found.items));
  });
  return h('section', {}, h('h2', {}, t('places.title')), form, results);
}

function resultTable(items: Hit[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('places.name')), h('th', { scope: 'col' }, t('places.pinyin')), h('th', { scope: 'col' }, t('places.category')), h('th', { scope: 'col' }, t('places.division')))),
      h(
        'tbody',
        {},
        ...items.map((hit) =>
          h(
            'tr',
            { 'data-testid': 'place-row' },
            h('td', {}, hit.name, hit.matched.name !== hit.name ? h('small', { class: 'matched' }, ` ${t('places.matched', { name: hit.matched.name, status: label('places.nameStatus', hit.matched.status) })}`) : null),
            h('td', {}, hit.pinyin),
            h('td', {}, label('places.category', hit.category)),
            h('td', {}, hit.divisionCode),
          ),
        ),
      ),
    ),
  );
}
