import { describe, expect, test } from 'vitest';
import { type } from 'ot-text-unicode';
import { transformAnchor, transformStart, type LocalAnchor } from '../../src/lib/consult/anchors';

const a = (start: number, end: number): LocalAnchor => ({ start, end, removed: false });
const slice = (doc: string, x: LocalAnchor) => [...doc].slice(x.start, x.end).join('');

describe('transformAnchor', () => {
  test('an insert before the passage shifts both ends', () => {
    expect(transformAnchor(a(4, 8), ['ab'])).toEqual(a(6, 10));
  });

  test('an insert at the start pushes the start, the passage keeps its words', () => {
    const doc = 'Die Daten werden genutzt';
    const op = [4, 'alle '];
    const got = transformAnchor(a(4, 9), op);
    expect(slice(type.apply(doc, op), got)).toBe('Daten');
  });

  test('an insert at the end stays outside, an insert inside widens', () => {
    expect(transformAnchor(a(4, 9), [9, 'X'])).toEqual(a(4, 9));
    expect(transformAnchor(a(4, 9), [6, 'XY'])).toEqual(a(4, 11));
  });

  test('inserts after the passage change nothing', () => {
    expect(transformAnchor(a(1, 3), [10, 'zz'])).toEqual(a(1, 3));
  });

  test('code points, not UTF-16 units: an emoji counts once', () => {
    expect(transformAnchor(a(2, 5), ['😀'])).toEqual(a(3, 6));
    expect(transformStart(2, [1, '🚀🚀'])).toBe(4);
  });

  test('deletes before and across the start shrink the passage', () => {
    expect(transformAnchor(a(5, 10), [{ d: 2 }])).toEqual(a(3, 8));
    expect(transformAnchor(a(5, 10), [3, { d: 4 }])).toEqual(a(3, 6));
    expect(transformAnchor(a(5, 10), [8, { d: 5 }])).toEqual(a(5, 8));
  });

  test('deleting the whole passage marks it removed, and it stays removed', () => {
    const got = transformAnchor(a(5, 10), [4, { d: 8 }]);
    expect(got.removed).toBe(true);
    expect(got.start).toBe(4);
    expect(transformAnchor(got, ['abc'])).toEqual({ start: 7, end: 7, removed: true });
  });

  test('random edits keep the passage on its text unless touched', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      let doc = 'Vorwort. Die Verwaltung nutzt Daten verantwortungsvoll. Schluss.';
      let anc = a(13, 23); // "Verwaltung"
      const quote = slice(doc, anc);
      for (let i = 0; i < 5; i++) {
        const len = [...doc].length;
        // Only edits outside the passage (or exactly at its edges).
        const at = rnd(2) === 0 ? rnd(anc.start + 1) : anc.end + rnd(len - anc.end + 1);
        let op: unknown[];
        if (rnd(2) === 0 || at === len) op = [at, [...'ä😀x'].slice(0, 1 + rnd(3)).join('')];
        else {
          const max = at < anc.start ? anc.start - at : len - at;
          if (max === 0) continue;
          op = [at, { d: 1 + rnd(max) }];
        }
        if (op[0] === 0) op = op.slice(1);
        doc = type.apply(doc, op as never);
        anc = transformAnchor(anc, op as never);
      }
      expect(anc.removed).toBe(false);
      expect(slice(doc, anc)).toBe(quote);
    }
  });
});
