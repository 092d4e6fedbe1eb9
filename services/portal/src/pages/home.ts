import type { AppContext } from '../context';
import { h } from '../dom';
import { t, type MessageKey } from '../i18n/i18n';

export const CITIZEN_LINKS: readonly [string, MessageKey][] = [
  ['#/dibao', 'nav.dibao'],
  ['#/temporary', 'nav.temporary'],
  ['#/applications', 'nav.applications'],
  ['#/marriage', 'nav.marriage'],
  ['#/cemetery', 'nav.cemetery'],
  ['#/places', 'nav.places'],
];

export function homePage(ctx: AppContext): HTMLElement {
  return h(
    'section',
    {},
    h('h2', {}, t('app.citizenPortal')),
    h('p', {}, t('home.intro')),
    ctx.session() ? null : h('p', { class: 'note' }, t('home.signInHint')),
    h('ul', { class: 'tiles' }, ...CITIZEN_LINKS.map(([href, label]) => h('li', {}, h('a', { href }, t(label))))),
    h('p', {}, h('a', { href: '#/staff' }, t('app.staffDashboard'))),
  );
}
