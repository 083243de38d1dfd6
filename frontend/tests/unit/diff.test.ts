import { describe, expect, it } from 'vitest';
import { type } from 'ot-text-unicode';
import { diffLines, diffOp, diffWords } from '../../src/lib/diff';
import { match } from '../../src/lib/router.svelte';

describe('diffOp', () => {
  it.each([
    ['', 'neu'],
    ['alt', ''],
    ['Grüße 😀 aus Bremen', 'Grüße 🚀 aus Bremen'],
    ['same', 'same'],
    ['ab😀😀cd', 'ab😀cd'],
  ])('turns %j into %j', (a, b) => {
    expect(type.apply(a, diffOp(a, b))).toBe(b);
  });

  it('keeps the common prefix and suffix', () => {
    expect(diffOp('Hallo Welt', 'Hallo schöne Welt')).toEqual([6, 'schöne ']);
  });
});

describe('diffLines', () => {
  it('marks added and removed lines and keeps the rest', () => {
    expect(diffLines('a\nb\nc', 'a\nB\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'add', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'add', text: 'd' },
    ]);
  });
});

describe('router', () => {
  it('maps German paths to routes', () => {
    expect(match('/')).toEqual({ name: 'overview' });
    expect(match('/strategien/4')).toEqual({ name: 'overview', strategy: 4 });
    expect(match('/abschnitte/12/')).toEqual({ name: 'section', id: 12 });
    expect(match('/abschnitte/12/verlauf')).toEqual({ name: 'history', id: 12 });
    expect(match('/barrierefreiheit')).toEqual({ name: 'accessibility' });
    expect(match('/abschnitte/x')).toEqual({ name: 'notfound' });
  });
});

describe('diffWords', () => {
  it('marks one changed word, not its whole paragraph', () => {
    const a = 'Erster Absatz bleibt.\n\nDie Verwaltung nutzt Daten sparsam und sicher.';
    const b = 'Erster Absatz bleibt.\n\nDie Verwaltung nutzt Daten verantwortungsvoll und sicher.';
    const d = diffWords(a, b);
    expect(d.map((p) => p.kind)).toEqual(['same', 'same', 'changed']);
    expect(d[2].segments).toEqual([
      { kind: 'same', text: 'Die Verwaltung nutzt Daten ' },
      { kind: 'del', text: 'sparsam' },
      { kind: 'add', text: 'verantwortungsvoll' },
      { kind: 'same', text: ' und sicher.' },
    ]);
  });

  it('marks added and removed paragraphs as a whole', () => {
    const d = diffWords('Eins.\nZwei.', 'Eins.\nDrei ganz neu.\nZwei.');
    expect(d.map((p) => p.kind)).toEqual(['same', 'add', 'same']);
    expect(d[1].segments.map((s) => s.text).join('')).toBe('Drei ganz neu.');
    expect(diffWords('A.\nWeg damit.', 'A.').some((p) => p.kind === 'del' && p.segments[0].text.includes('Weg damit'))).toBe(true);
  });

  it('keeps every character of both texts', () => {
    const a = 'Grüße 😀 aus\nBremen und Hamburg';
    const b = 'Grüße 🚀 aus\n\nBremen oder Hamburg!';
    const d = diffWords(a, b);
    const side = (k: 'add' | 'del') => d.map((p) => p.segments.filter((s) => s.kind !== k).map((s) => s.text).join('')).filter((x, i) => x || d[i].kind === 'same');
    expect(side('add').join('\n').replace(/\n+/g, '\n')).toBe(a.replace(/\n+/g, '\n'));
    expect(side('del').join('\n').replace(/\n+/g, '\n')).toBe(b.replace(/\n+/g, '\n'));
  });
});
