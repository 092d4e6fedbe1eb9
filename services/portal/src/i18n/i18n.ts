import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type { MessageKey } from './zh-CN';
export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly { code: Locale; label: string }[] = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
];

const DICTIONARIES: Record<Locale, Partial<Record<MessageKey, string>>> = { 'zh-CN': zhCN, en };

let current: Locale = 'zh-CN';

export function setLocale(locale: Locale): void {
  current = locale;
}
export function getLocale(): Locale {
  return current;
}

/** Picks a supported locale from a stored choice or the browser's languages; Chinese by default. */
export function pickLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  for (const candidate of [stored, ...browserLanguages]) {
    if (!candidate) continue;
    if (candidate === 'en' || candidate.startsWith('en-')) return 'en';
    if (candidate.startsWith('zh')) return 'zh-CN';
  }
  return 'zh-CN';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

/** The string of a key in a locale, falling back to Chinese, with `{name}` placeholders filled in. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = DICTIONARIES[locale][key] ?? zhCN[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Translates in the current locale. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(current, key, params);
}
