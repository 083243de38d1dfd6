// The server's refusals in the interface language, chosen by the problem's
// reason or, failing that, its code (texts in errors.ts). The server writes
// its detail in German; in English mode the browser shows the English text
// instead, and falls back to the German detail (marked lang="de" by
// problemLang) only for a code it does not know. The same for the error
// frames of the websocket (liveErrorText).
import { ApiError } from '../api/client';
import { formatDate, i18n, t } from './index.svelte';
import { liveCodes, problemCodes, problemReasons } from './errors';

function english(e: ApiError): string | undefined {
  // Field errors and internal errors name specifics (fields, request id)
  // that a generic text would lose.
  if (e.code === 'invalid' && e.problem?.errors?.length) return undefined;
  if (e.code === 'internal') return undefined;
  const p = e.problem;
  if (p?.reason === 'stale_revision' && p.changed_by) {
    return `${p.changed_by} changed this on ${formatDate(p.changed_at)}. Your changes are not saved: load the current version and carry your changes over.`;
  }
  return problemReasons[e.problem?.reason ?? '']?.en ?? problemCodes[e.code]?.en;
}

/** The message to show for a failed request, in the interface language where the server's code is known. */
export function problemText(e: unknown, fallback?: string): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  if (e.status === 0) return t('app.network');
  if (i18n.lang === 'en') {
    const en = english(e);
    if (en) return en;
  }
  return e.detail || fallback || problemReasons[e.problem?.reason ?? '']?.de || problemCodes[e.code]?.de || t('app.network');
}

/** 'de' when problemText(e) shows the server's German detail on an English page (WCAG 3.1.2). */
export function problemLang(e: unknown): 'de' | undefined {
  if (i18n.lang === 'de' || !(e instanceof ApiError) || e.status === 0) return undefined;
  return english(e) ? undefined : e.detail ? 'de' : undefined;
}

/**
 * The text for a websocket error frame: the server's German message on a
 * German page (the code's text if it sent none), the code's English text on
 * an English page; lang is 'de' where an unknown code leaves only the German
 * message on an English page.
 */
export function liveErrorText(f: { code: string; message?: string }): { text: string; lang?: 'de' } {
  const known = liveCodes[f.code];
  if (i18n.lang === 'de') return { text: f.message || known?.de || f.code };
  if (known) return { text: known.en };
  return f.message ? { text: f.message, lang: 'de' } : { text: f.code };
}
