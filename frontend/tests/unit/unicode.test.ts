import { describe, expect, it } from 'vitest';
import { type } from 'ot-text-unicode';
import { changesToOp, cpLength, cpToUtf16, opToChanges, utf16ToCp } from '../../src/lib/unicode';

function applyChanges(s: string, changes: { from: number; to: number; insert: string }[]): string {
  let out = '';
  let pos = 0;
  for (const c of changes) {
    out += s.slice(pos, c.from) + c.insert;
    pos = c.to;
  }
  return out + s.slice(pos);
}

describe('code point mapping', () => {
  const s = 'a😀b€😀';
  it('counts a surrogate pair as one position', () => {
    expect(s.length).toBe(7);
    expect(cpLength(s)).toBe(5);
    expect(cpToUtf16(s, 2)).toBe(3);
    expect(cpToUtf16(s, 4)).toBe(5);
    expect(utf16ToCp(s, 3)).toBe(2);
    expect(utf16ToCp(s, 7)).toBe(5);
  });

  it('turns editor changes behind an emoji into code point ops', () => {
    const old = '😀 Grüße';
    const changes = [
      { from: 3, to: 3, insert: 'liebe ' },
      { from: 5, to: 6, insert: 'ue' },
    ];
    const op = changesToOp(old, changes);
    expect(op).toEqual([2, 'liebe ', 2, 'ue', { d: 1 }]);
    expect(type.apply(old, op)).toBe(applyChanges(old, changes));
  });

  it('turns code point ops into editor changes that give the same text', () => {
    const doc = 'x🎉y🎉z';
    const op = [1, { d: 1 }, 'ü', 1, '🚀'];
    const changes = opToChanges(doc, op);
    expect(changes).toEqual([
      { from: 1, to: 3, insert: '' },
      { from: 3, to: 3, insert: 'ü' },
      { from: 4, to: 4, insert: '🚀' },
    ]);
    expect(applyChanges(doc, changes)).toBe(type.apply(doc, op));
  });

  it('round-trips random edits on text with emoji and umlauts', () => {
    const alphabet = ['a', 'ä', 'ß', '😀', '\n', '👩‍💻', 'Z'];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const cps = Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]);
      const old = cps.join('');
      const cut = (i: number) => Array.from(old).slice(0, i).join('').length;
      const a = rnd(cps.length + 1);
      const b = a + rnd(cps.length - a + 1);
      const change = { from: cut(a), to: cut(b), insert: alphabet[rnd(alphabet.length)] };
      const op = changesToOp(old, [change]);
      const expected = applyChanges(old, [change]);
      expect(type.apply(old, op)).toBe(expected);
      expect(applyChanges(old, opToChanges(old, op))).toBe(expected);
    }
  });
});
