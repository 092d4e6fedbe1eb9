/** The portal's entry: reads config.json, then renders the page the location hash names. */
import { Api } from './api';
import { parseConfig, type PortalConfig } from './config';
import type { AppContext, Page } from './context';
import { h } from './dom';
import { OidcSignIn } from './oidc';
import { LOCALES, getLocale, pickLocale, setLocale, t, type Locale } from './i18n/i18n';
import { applicationsPage, dibaoPage, temporaryPage } from './pages/assistance';
import { cemeteryPage, marriagePage } from './pages/bookings';
import { dashboardPage } from './pages/dashboard';
import { CITIZEN_LINKS, homePage } from './pages/home';
import { placesPage } from './pages/places';
import { citizenSignInPage, staffSignInPage } from './pages/signin';
import { clearSession, loadSession, saveSession, type Session } from './session';

const ROUTES: Record<string, Page> = {
  '': homePage,
  signin: citizenSignInPage,
  dibao: dibaoPage,
  temporary: temporaryPage,
  applications: applicationsPage,
  marriage: marriagePage,
  cemetery: cemeteryPage,
  places: placesPage,
  staff: dashboardPage,
  'staff/signin': staffSignInPage,
};

const LOCALE_KEY = 'portal.locale';

async function start(): Promise<void> {
  setLocale(pickLocale(localStorage.getItem(LOCALE_KEY), navigator.languages));
  const root = document.getElementById('app');
  if (!root) return;
  let config: PortalConfig;
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    config = parseConfig(await response.json());
  } catch (error) {
    root.replaceChildren(h('p', { class: 'panel error', role: 'alert' }, t('app.configError', { detail: error instanceof Error ? error.message : String(error) })));
    return;
  }
  let session: Session | null = loadSession();
  const api = new Api(config.gatewayUrl, () => session?.token ?? null);
  // The OpenID provider redirects back to the page itself (no fragment), with ?code=…&state=….
  const redirectUri = `${window.location.origin}${window.location.pathname}`;
  const oidc = config.oidc ? new OidcSignIn(config.oidc, redirectUri, sessionStorage, new URL(config.oidc.issuer).hostname === '127.0.0.1') : null;
  const current = new URL(window.location.href);
  /** A message shown once above the next page (a sign-in that did not complete). */
  let notice: HTMLElement | null = null;
  if (oidc && OidcSignIn.isCallback(current)) {
    try {
      const result = await oidc.complete(current);
      session = { token: result.accessToken, kind: result.kind, displayName: result.displayName, roles: [] };
      saveSession(session);
      window.history.replaceState(null, '', `${redirectUri}${result.next}`);
    } catch (error) {
      window.history.replaceState(null, '', redirectUri);
      notice = h('p', { class: 'panel error', role: 'alert' }, t('signin.oidcFailed', { detail: error instanceof Error ? error.message : String(error) }));
    }
  }

  const render = async (): Promise<void> => {
    const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
    const page = ROUTES[path];
    const ctx: AppContext = {
      config,
      api,
      params: new URLSearchParams(query),
      session: () => session,
      signIn: (next) => {
        session = next;
        saveSession(next);
      },
      oidcSignIn: (kind, next) => {
        if (!oidc) return;
        oidc.authorizationUrl(kind, next).then(
          (url) => window.location.assign(url),
          (error: unknown) => main.replaceChildren(h('p', { class: 'panel error', role: 'alert' }, t('signin.oidcFailed', { detail: error instanceof Error ? error.message : String(error) }))),
        );
      },
      navigate: (hash) => {
        if (window.location.hash === hash) void render();
        else window.location.hash = hash;
      },
    };
    document.documentElement.lang = getLocale();
    document.title = t('app.title');
    const main = h('main', { id: 'main', tabindex: -1 }, h('p', { class: 'note' }, t('app.loading')));
    root.replaceChildren(header(path, session, () => {
      session = null;
      clearSession();
      ctx.navigate('#/');
    }), main);
    const content = page ? await page(ctx) : h('p', { class: 'panel' }, t('app.notFound'));
    main.replaceChildren(...(notice ? [notice] : []), content);
    notice = null;
  };
  window.addEventListener('hashchange', () => void render());
  await render();
}

function header(path: string, session: Session | null, signOut: () => void): HTMLElement {
  const staff = path.startsWith('staff');
  const languages = h(
    'select',
    { 'aria-label': t('app.language'), class: 'language' },
    ...LOCALES.map((l) => h('option', { value: l.code, selected: l.code === getLocale() }, l.label)),
  );
  languages.addEventListener('change', () => {
    localStorage.setItem(LOCALE_KEY, languages.value);
    setLocale(languages.value as Locale);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  return h(
    'header',
    {},
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); document.getElementById('main')?.focus(); } }, t('app.skip')),
    h('div', { class: 'bar' }, h('h1', {}, h('a', { href: '#/' }, t('app.title'))), languages),
    staff
      ? null
      : h('nav', { 'aria-label': t('app.citizenPortal') }, ...CITIZEN_LINKS.map(([href, label]) => h('a', { href, 'aria-current': `#/${path}` === href ? 'page' : null }, t(label)))),
    h(
      'div',
      { class: 'account' },
      ...(session
        ? [h('span', { 'data-testid': 'signed-in' }, t('app.signedInAs', { name: session.displayName })), ' ', h('button', { type: 'button', class: 'link', onclick: signOut }, t('app.signOut'))]
        : [h('a', { href: staff ? '#/staff/signin' : '#/signin' }, t('signin.submit'))]),
    ),
  );
}

void start();
