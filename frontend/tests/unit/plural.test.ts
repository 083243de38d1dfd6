import { describe, expect, it } from 'vitest';
import { plurals } from '../../src/lib/i18n/plural';
import de from '../../src/lib/i18n/de';
import en from '../../src/lib/i18n/en';

describe('plural forms', () => {
  it('choose one and other in German and English', () => {
    expect(plurals(de['bell.new'], { n: 1 }, 'de')).toBe('1 neue Benachrichtigung.');
    expect(plurals(de['bell.new'], { n: 3 }, 'de')).toBe('3 neue Benachrichtigungen.');
    expect(plurals(en['bell.new'], { n: 1 }, 'en')).toBe('1 new notification.');
    expect(plurals(en['bell.new'], { n: 2 }, 'en')).toBe('2 new notifications.');
  });

  it('use an exact form for zero and format large numbers for the language', () => {
    expect(plurals(de['audit.results'], { n: 0 }, 'de')).toBe('Keine Protokolleinträge gefunden.');
    expect(plurals(de['audit.results'], { n: 1 }, 'de')).toBe('1 Protokolleintrag gefunden.');
    expect(plurals(de['audit.results'], { n: 1234 }, 'de')).toBe('1.234 Protokolleinträge gefunden.');
    expect(plurals(en['threads.count'], { n: 1234 }, 'en')).toBe('1,234 discussions');
  });

  it('keep the text around the choice and other placeholders inside it', () => {
    const s = 'Vorher {n, plural, one {# Eintrag von {name}} other {# Einträge von {name}}} nachher';
    expect(plurals(s, { n: 2, name: 'X' }, 'de')).toBe('Vorher 2 Einträge von {name} nachher');
  });

  it('every message with a plural has a one and an other form in both languages', () => {
    for (const cat of [de, en] as Record<string, string>[]) {
      for (const [key, s] of Object.entries(cat)) {
        if (!s.includes(', plural,')) continue;
        expect(s, key).toMatch(/ one \{/);
        expect(s, key).toMatch(/ other \{/);
      }
    }
  });
});
