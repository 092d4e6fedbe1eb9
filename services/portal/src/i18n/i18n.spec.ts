import { en } from './en';
import { isMessageKey, pickLocale, setLocale, t, translate } from './i18n';
import { zhCN } from './zh-CN';

describe('the dictionary', () => {
  afterEach(() => setLocale('zh-CN'));

  it('speaks Chinese first and fills in placeholders', () => {
    expect(t('cemetery.bookingCode')).toBe('预约码');
    expect(t('app.signedInAs', { name: '刘一' })).toBe('已登录：刘一');
  });

  it('falls back to Chinese for a key another language lacks', () => {
    expect(en['cemetery.booked']).toBeUndefined();
    expect(translate('en', 'cemetery.booked')).toBe('预约成功');
    expect(translate('en', 'cemetery.bookingCode')).toBe('Booking code');
  });

  it('switches language', () => {
    setLocale('en');
    expect(t('places.search')).toBe('Search');
  });

  it('leaves an unknown placeholder visible rather than guessing', () => {
    expect(translate('zh-CN', 'app.signedInAs')).toBe('已登录：{name}');
  });

  it('has no translation for a key Chinese does not have', () => {
    for (const key of Object.keys(en)) expect(isMessageKey(key)).toBe(true);
    expect(isMessageKey('no.such.key')).toBe(false);
    expect(Object.keys(zhCN).length).toBeGreaterThan(100);
  });

  it.each([
    [null, ['zh-CN'], 'zh-CN'],
    [null, ['en-GB', 'zh-CN'], 'en'],
    ['zh-CN', ['en-US'], 'zh-CN'],
    [null, ['fr-FR'], 'zh-CN'],
    [null, [], 'zh-CN'],
  ] as const)('picks a locale from stored %s and browser %j: %s', (stored, languages, expected) => {
    expect(pickLocale(stored, languages)).toBe(expected);
  });
});
