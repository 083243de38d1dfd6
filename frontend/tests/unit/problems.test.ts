import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/api/client';
import { i18n } from '../../src/lib/i18n/index.svelte';
import { problemLang, problemText } from '../../src/lib/i18n/problems';

const wrongPassword = new ApiError(401, 'unauthorized', 'E-Mail-Adresse oder Passwort ist falsch.', {
  code: 'unauthorized',
  reason: 'bad_credentials',
});

describe('problemText', () => {
  afterEach(() => {
    i18n.lang = 'de';
  });

  it('shows the German detail on a German page', () => {
    expect(problemText(wrongPassword)).toBe('E-Mail-Adresse oder Passwort ist falsch.');
    expect(problemLang(wrongPassword)).toBeUndefined();
  });

  it('translates by reason, then by code, on an English page', () => {
    i18n.lang = 'en';
    expect(problemText(wrongPassword)).toBe('E-mail address or password is wrong.');
    expect(problemLang(wrongPassword)).toBeUndefined();
    const locked = new ApiError(423, 'locked', 'Gesperrt.', { code: 'locked' });
    expect(problemText(locked)).toBe('This can no longer be changed.');
  });

  it('names who made a save stale', () => {
    i18n.lang = 'en';
    const stale = new ApiError(409, 'conflict', 'Anna hat …', {
      code: 'conflict', reason: 'stale_revision', current_revision: 3, changed_by: 'Anna Beispiel', changed_at: '2026-03-10T12:00:00Z',
    });
    expect(problemText(stale)).toContain('Anna Beispiel changed this on');
  });

  it('falls back to the German detail, marked as German, for an unknown code', () => {
    i18n.lang = 'en';
    const odd = new ApiError(418, 'teapot', 'Ich bin eine Teekanne.', { code: 'teapot' });
    expect(problemText(odd)).toBe('Ich bin eine Teekanne.');
    expect(problemLang(odd)).toBe('de');
  });
});
