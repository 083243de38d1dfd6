import { describe, expect, it } from 'vitest';
import { AnnouncementQueue, GAP, readingTime, type Clock } from '../../src/lib/announcequeue';

/** A clock that runs callbacks only when the test advances it. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const clock: Clock = {
    set(fn, ms) {
      timers.push({ at: now + ms, fn, id: ++ids });
      return ids;
    },
    clear(h) {
      timers = timers.filter((t) => t.id !== h);
    },
  };
  return {
    clock,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        now = t.at;
        t.fn();
      }
      now = end;
    },
  };
}

function setup() {
  const shown: string[] = [];
  const c = manualClock();
  const q = new AnnouncementQueue((t) => shown.push(t), c.clock);
  return { shown, q, advance: c.advance };
}

describe('announcement queue', () => {
  it('shows one message at a time, each after the previous was read and a gap', () => {
    const { shown, q, advance } = setup();
    q.push('Anna (HH) hat den Abschnitt geöffnet.');
    q.push('Anna (HH) hat den Text geändert.');
    expect(shown).toEqual(['Anna (HH) hat den Abschnitt geöffnet.']);
    advance(readingTime('Anna (HH) hat den Abschnitt geöffnet.') - 1);
    expect(shown).toHaveLength(1);
    advance(1);
    expect(shown).toEqual(['Anna (HH) hat den Abschnitt geöffnet.', '']);
    advance(GAP);
    expect(shown).toEqual(['Anna (HH) hat den Abschnitt geöffnet.', '', 'Anna (HH) hat den Text geändert.']);
  });

  it('never joins messages and does not queue one twice', () => {
    const { shown, q, advance } = setup();
    for (const m of ['eins.', 'zwei.', 'zwei.', 'drei.']) q.push(m);
    advance(60_000);
    expect(shown.filter((s) => s)).toEqual(['eins.', 'zwei.', 'drei.']);
    expect(shown.every((s) => !s.includes(' '))).toBe(true);
  });

  it('reads the same message again when it comes again later, after a gap', () => {
    const { shown, q, advance } = setup();
    q.push('Text geändert.');
    advance(60_000);
    expect(shown).toEqual(['Text geändert.']); // stays until replaced
    q.push('Text geändert.');
    expect(shown).toEqual(['Text geändert.', '']);
    advance(GAP);
    expect(shown).toEqual(['Text geändert.', '', 'Text geändert.']);
  });

  it('clear empties the region and drops what was waiting', () => {
    const { shown, q, advance } = setup();
    q.push('alte Seite eins.');
    q.push('alte Seite zwei.');
    q.clear();
    expect(shown.at(-1)).toBe('');
    advance(60_000);
    expect(shown).toEqual(['alte Seite eins.', '']);
    q.push('neue Seite.');
    expect(shown.at(-1)).toBe('neue Seite.');
  });
});
