import { addDays, buildResidentId, todayInShanghai } from '@civil/domain-kernel';
import { startStack, type Stack } from '@civil/launcher';
import type { Browser, Page } from 'playwright-core';
import { GatewayClient } from './support/api';
import { startFakeOidcProvider, type FakeOidcProvider } from './support/oidc-provider';
import { DESKTOP, PHONE, fitsViewport, launchChromium, openPortal, screenshot, unlabelledControls, type PortalPage } from './support/browser';

/**
 * Issue 10: the portal in a real Chromium against the running platform — a citizen applies for
 * 低保 and follows it while a clerk acts, books a cemetery visit and a marriage appointment, the
 * public searches place names, on a desktop and on a phone; a staff member without the right role
 * sees "not permitted" where the API refuses. No page logs a console error; every form control is
 * labelled; the forms submit from the keyboard.
 */
describe('the portal in Chromium', () => {
  let stack: Stack;
  let api: GatewayClient;
  let browser: Browser;
  let portalUrl: string;
  let clerk: string;
  let householdId: string;
  let provider: FakeOidcProvider;
  const opened: PortalPage[] = [];
  const today = todayInShanghai();
  const visitDay = addDays(today, 2);
  const SITE = '0193a0a0-0000-7000-8000-0000000000c1';
  const head = buildResidentId('430503', '1975-03-08', 11).value;
  const spouse = buildResidentId('430503', '1978-11-20', 22).value;

  const open = async (options = DESKTOP): Promise<PortalPage> => {
    const portal = await openPortal(browser, options);
    opened.push(portal);
    return portal;
  };
  /** Checks every page the test visits: labels on all controls, then a screenshot. */
  const checkPage = async (page: Page, name: string): Promise<void> => {
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, name);
  };
  const signInAsCitizen = async (page: Page, name: string, residentId: string): Promise<void> => {
    await page.goto(`${portalUrl}/#/signin`);
    // Keyboard only: type, Tab to the next field, Enter submits.
    await page.getByLabel('姓名').focus();
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(residentId);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in').waitFor();
  };

  beforeAll(async () => {
    provider = await startFakeOidcProvider({ sub: 'oidc-user-1', name: '统一认证用户' });
    // The portal offers both sign-ins here: the development form and the OpenID provider.
    stack = await startStack({ env: { LOG_LEVEL: 'warn' }, portal: { config: { devSignIn: true, oidc: { issuer: provider.issuer, clientId: 'civil-portal' } } } });
    portalUrl = stack.portalUrl ?? '';
    api = new GatewayClient(stack.gatewayUrl);
    browser = await launchChromium();
    clerk = await api.token({ userId: 'clerk-portal', kind: 'staff', roles: ['clerk'], divisions: ['430503101'] });
    const household = await api.request<{ id: string }>('POST', '/api/v1/social-assistance/households', {
      token: clerk,
      body: {
        divisionCode: '430503101',
        urbanRural: 'rural',
        address: '罗市镇演示村 5 组',
        members: [
          { name: '刘一', residentId: head, relationship: 'head' },
          { name: '陈二', residentId: spouse, relationship: 'spouse' },
        ],
      },
    });
    expect(household.status).toBe(201);
    householdId = household.body.id;
    const registrar = await api.token({ userId: 'registrar-portal', kind: 'staff', roles: ['registrar'], divisions: ['430503'] });
    const slots = await api.request('POST', '/api/v1/social-affairs/cemetery/slots', {
      token: registrar,
      body: { siteId: SITE, fromDate: visitDay, toDate: visitDay, slots: [{ startsAt: '08:00', endsAt: '09:00', capacity: 30 }, { startsAt: '09:00', endsAt: '10:00', capacity: 30 }] },
    });
    expect(slots.status).toBe(201);
    const officer = await api.token({ userId: 'pn-portal', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503'] });
    const place = await api.request('POST', '/api/v1/place-names', {
      token: officer,
      body: { name: '雨溪公园', category: 'park-or-protected-area', type: '公园', divisionCode: '430503010', approvalDate: '2015-05-01' },
    });
    expect(place.status).toBe(201);
  }, 240_000);

  afterEach(async () => {
    // No console error or uncaught exception on any page of the test.
    const errors = opened.flatMap((p) => p.errors);
    await Promise.all(opened.splice(0).map((p) => p.close()));
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await provider?.close();
  });

  it('serves the portal with a config.json pointing at this stack’s gateway, which allows its origin', async () => {
    const config = (await (await fetch(`${portalUrl}/config.json`)).json()) as { gatewayUrl: string };
    expect(config.gatewayUrl).toBe(stack.gatewayUrl);
    const preflight = await fetch(`${stack.gatewayUrl}/api/v1/place-names`, { method: 'OPTIONS', headers: { origin: portalUrl, 'access-control-request-method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(portalUrl);
    expect((await fetch(`${portalUrl}/../../package.json`)).status).toBe(404);
  });

  it('a citizen applies for 低保, sees bad input next to the field, and follows the status as a clerk acts', async () => {
    const { page } = await open();
    await page.goto(`${portalUrl}/#/dibao`);
    await checkPage(page, 'dibao-signed-out');
    await signInAsCitizen(page, '刘一', head);
    await page.goto(`${portalUrl}/#/dibao`);
    await checkPage(page, 'signin-then-dibao');

    // A malformed household number: the API's field error appears next to the field.
    const householdField = page.getByLabel('家庭编号');
    await householdField.fill('不是编号');
    await householdField.press('Enter');
    const fieldError = page.locator('[data-field="householdId"] .field-error');
    await fieldError.filter({ hasText: /\S/ }).waitFor();
    expect(await householdField.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'dibao-field-error');

    await householdField.fill(householdId);
    await householdField.press('Enter');
    await page.waitForURL(/#\/applications$/);
    const status = page.getByTestId('application-status');
    await status.filter({ hasText: '已提交' }).waitFor();
    const applicationId = (await page.getByTestId('application').getAttribute('data-id')) ?? '';
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
    await checkPage(page, 'applications-submitted');

    const accepted = await api.request<{ status: string }>('POST', `/api/v1/social-assistance/dibao-applications/${applicationId}/actions`, { token: clerk, body: { action: 'accept', payload: {} } });
    expect(accepted.status).toBe(200);
    await page.reload();
    await page.getByTestId('application-status').filter({ hasText: '已受理' }).waitFor();
    expect(await page.getByTestId('application-status').getAttribute('data-status')).toBe('ACCEPTED');
    await checkPage(page, 'applications-accepted');
  });

  it('a citizen applies for temporary assistance; an amount above the cap is shown at the amount field', async () => {
    const { page } = await open();
    await signInAsCitizen(page, '陈二', spouse);
    await page.goto(`${portalUrl}/#/temporary`);
    await page.getByLabel('家庭编号').fill(householdId);
    await page.getByLabel('困难情况说明').fill('住院医疗费用');
    await page.getByLabel('受困人数').fill('2');
    await page.getByLabel('申请金额（元）').fill('1000000');
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('[data-field="amountFen"] .field-error').filter({ hasText: '超过救助金额上限' }).waitFor();
    await checkPage(page, 'temporary-over-cap');
    await page.getByLabel('申请金额（元）').fill('1500');
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL(/#\/applications$/);
    await page.getByTestId('application-status').filter({ hasText: '已提交' }).first().waitFor();
    await checkPage(page, 'temporary-submitted');
  });

  it('a citizen books a cemetery visit and is shown the booking code', async () => {
    const { page } = await open();
    await signInAsCitizen(page, '祭扫人', buildResidentId('430503', '1960-06-06', 61).value);
    await page.goto(`${portalUrl}/#/cemetery?date=${visitDay}`);
    await page.locator('select[name="slotId"] option').first().waitFor({ state: 'attached' });
    await page.getByLabel('墓位编号').fill('福区-3排-12号');
    await page.getByLabel('祭扫人姓名').fill('祭扫人');
    await page.getByLabel('手机号码').fill('13800138000');
    await page.getByLabel('祭扫人数').fill('2');
    await page.getByLabel('祭扫人数').press('Enter');
    const code = await page.getByTestId('booking-code').textContent();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    await checkPage(page, 'cemetery-booked');
    const slots = await api.request<{ items: { startsAt: string; placesLeft: number }[] }>('GET', `/api/v1/social-affairs/cemetery/sites/${SITE}/slots?date=${visitDay}`);
    expect(slots.body.items.find((s) => s.startsAt === '08:00')?.placesLeft).toBe(28);
  });

  it('anyone searches place names without signing in', async () => {
    const { page } = await open();
    await page.goto(`${portalUrl}/#/places`);
    await page.getByLabel('名称或拼音').fill('雨溪');
    await page.getByLabel('名称或拼音').press('Enter');
    await page.getByTestId('place-row').filter({ hasText: '雨溪公园' }).waitFor();
    expect(await page.getByTestId('signed-in').count()).toBe(0);
    await checkPage(page, 'places-search');
    await page.getByLabel('名称或拼音').fill('yuxigongyuan');
    await page.getByLabel('名称或拼音').press('Enter');
    await page.getByTestId('place-row').filter({ hasText: '雨溪公园' }).waitFor();
    // A second language from the dictionary; what it lacks stays Chinese.
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('link', { name: 'Place names' }).waitFor();
    expect(await page.getByRole('button', { name: 'Search' }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await checkPage(page, 'places-english');
  });

  it('works on a phone: sign-in, a marriage appointment, a cemetery booking and the search fit the screen', async () => {
    const { page } = await open(PHONE);
    const groom = buildResidentId('430503', '1995-02-03', 31).value;
    const bride = buildResidentId('430503', '1996-04-05', 42).value;
    await signInAsCitizen(page, '新郎', groom);
    expect(await fitsViewport(page)).toBe(true);
    await checkPage(page, 'phone-home');

    await page.goto(`${portalUrl}/#/marriage`);
    await page.getByLabel('对方公民身份号码').fill(bride.slice(0, 17) + (bride.endsWith('0') ? '1' : '0'));
    await page.getByLabel('对方公民身份号码').press('Enter');
    await page.locator('[data-field="partnerResidentId"] .field-error').filter({ hasText: /\S/ }).waitFor();
    await screenshot(page, 'phone-marriage-error');
    await page.getByLabel('对方公民身份号码').fill(bride);
    await page.getByLabel('对方公民身份号码').press('Enter');
    await page.getByTestId('marriage-booked').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await checkPage(page, 'phone-marriage-booked');

    await page.goto(`${portalUrl}/#/cemetery?date=${visitDay}`);
    await page.locator('select[name="slotId"] option').first().waitFor({ state: 'attached' });
    await page.getByLabel('墓位编号').fill('寿区-1排-1号');
    await page.getByLabel('祭扫人姓名').fill('新郎');
    await page.getByLabel('手机号码').fill('13900139000');
    await page.getByRole('button', { name: '预约' }).tap();
    expect(await page.getByTestId('booking-code').textContent()).toMatch(/^[A-Z2-9]{8}$/);
    expect(await fitsViewport(page)).toBe(true);
    await checkPage(page, 'phone-cemetery-booked');

    await page.goto(`${portalUrl}/#/places`);
    await page.getByLabel('名称或拼音').fill('雨溪公园');
    await page.getByLabel('名称或拼音').press('Enter');
    await page.getByTestId('place-row').first().waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await checkPage(page, 'phone-places');
  });

  it('staff see the dashboard their role allows: a clerk is told the annual report is not permitted', async () => {
    const { page } = await open();
    await page.goto(`${portalUrl}/#/staff`);
    await page.getByLabel('工号').fill('clerk-portal');
    await page.getByLabel('局领导').uncheck();
    await page.getByLabel('经办人员').check();
    await page.getByLabel('管辖区划代码（逗号分隔）').fill('430503101');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('indicators').waitFor();
    await page.getByTestId('download-report').click();
    await page.getByTestId('not-permitted').waitFor();
    // The sections a clerk may read are there, not broken.
    await page.locator('#chart-monthly [data-chart-ready="true"]').waitFor();
    await checkPage(page, 'dashboard-clerk');
  });

  it('signs in through the OpenID provider with Authorization Code + PKCE and comes back to the page asked for', async () => {
    const { page } = await open();
    await page.goto(`${portalUrl}/#/signin?next=${encodeURIComponent('#/applications')}`);
    await page.getByTestId('oidc-signin').click();
    await page.getByTestId('signed-in').filter({ hasText: '统一认证用户' }).waitFor();
    expect(page.url()).toBe(`${portalUrl}/#/applications`);
    expect(provider.exchanges()).toBe(1);
    await checkPage(page, 'oidc-signed-in');
  });
});
