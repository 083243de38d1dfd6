// CodeMirror counts UTF-16 code units; the protocol counts Unicode code
// points. These helpers convert between the two, so that an emoji (a
// surrogate pair) is one position on the wire and two in the editor.
import type { TextOp } from 'ot-text-unicode';

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Number of code points in s. */
export function cpLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (!(isLow(s.charCodeAt(i)) && i > 0 && isHigh(s.charCodeAt(i - 1)))) n++;
  }
  return n;
}

/** The code point offset of UTF-16 index i in s (an index inside a pair counts as after it). */
export function utf16ToCp(s: string, i: number): number {
  return cpLength(s.slice(0, Math.min(i, s.length)));
}

/** The UTF-16 index of code point offset cp in s (clamped to the end). */
export function cpToUtf16(s: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) {
    i += isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/** One replacement in UTF-16 positions of the old text, as CodeMirror describes changes. */
export interface Utf16Change {
  from: number;
  to: number;
  insert: string;
}

/**
 * Turns replacements on `old` (UTF-16, sorted, non-overlapping, in old-text
 * positions) into one ot-text-unicode op.
 */
export function changesToOp(old: string, changes: Utf16Change[]): TextOp {
  const op: TextOp = [];
  let pos16 = 0;
  const push = (c: TextOp[number]) => {
    const last = op[op.length - 1];
    if (typeof c === 'number' && typeof last === 'number') op[op.length - 1] = last + c;
    else if (typeof c === 'string' && typeof last === 'string') op[op.length - 1] = last + c;
    else op.push(c);
  };
  for (const ch of changes) {
    const skip = cpLength(old.slice(pos16, ch.from));
    if (skip > 0) push(skip);
    if (ch.insert.length > 0) push(ch.insert);
    const del = cpLength(old.slice(ch.from, ch.to));
    if (del > 0) op.push({ d: del });
    pos16 = ch.to;
  }
  return op;
}

/** Turns an op on `doc` into UTF-16 replacements in `doc`'s positions. */
export function opToChanges(doc: string, op: TextOp): Utf16Change[] {
  const out: Utf16Change[] = [];
  let pos16 = 0;
  for (const c of op) {
    if (typeof c === 'number') {
      pos16 += cpToUtf16(doc.slice(pos16), c);
    } else if (typeof c === 'string') {
      out.push({ from: pos16, to: pos16, insert: c });
    } else {
      const n = typeof c.d === 'number' ? c.d : cpLength(c.d);
      const len = cpToUtf16(doc.slice(pos16), n);
      const last = out[out.length - 1];
      if (last && last.to === pos16 && last.from === pos16) last.to = pos16 + len;
      else out.push({ from: pos16, to: pos16 + len, insert: '' });
      pos16 += len;
    }
  }
  return out;
}
