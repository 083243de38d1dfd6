import { describe, expect, it } from 'vitest';
import { type } from 'ot-text-unicode';
import { diffLines, diffOp } from '../../src/lib/diff';
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
