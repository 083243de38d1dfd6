// The active language and the lookup of user interface texts. German is the
// default; the choice is remembered in localStorage.
import de from './de';
import en from './en';
import { plurals } from './plural';

/** A key of the message files. */
export type MessageKey = keyof typeof de;
/** A supported language. */
export type Lang = 'de' | 'en';

const catalogs: Record<Lang, Record<MessageKey, string>> = { de, en };

function initialLang(): Lang {
  try {
    return globalThis.localStorage?.getItem('lang') === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

/** The reactive language state. */
export const i18n = $state<{ lang: Lang }>({ lang: initialLang() });

/** Switches the language and updates <html lang>. */
export function setLang(lang: Lang): void {
  i18n.lang = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem('lang', lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** Looks up a text, chooses its plural forms and fills {placeholders}. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  let s = catalogs[i18n.lang][key] ?? de[key];
  if (!params) return s;
  if (s.includes(', plural,')) s = plurals(s, params, i18n.lang);
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/**
 * The lang attribute for content written by people (section text, comments,
 * statements), which is German whatever the interface language: 'de' while
 * the interface is in another language, so that screen readers switch their
 * voice (WCAG 3.1.2); undefined when the page is German anyway.
 */
export function contentLang(): 'de' | undefined {
  return i18n.lang === 'de' ? undefined : 'de';
}

/** BCP 47 locale for dates and numbers. */
export function locale(): string {
  return i18n.lang === 'en' ? 'en-GB' : 'de-DE';
}

/** Formats an ISO time in Europe/Berlin. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(d);
}
