// A minimal text diff as one op: keep the common prefix and suffix, replace
// the middle. Used when a whole text must be swapped (snapshot after a gap,
// rollback, restore preview) without moving every cursor to the start.
import type { TextOp } from 'ot-text-unicode';
import { diffWordsWithSpace } from 'diff';

/** Returns an op that turns a into b, measured in code points. */
export function diffOp(a: string, b: string): TextOp {
  const ca = Array.from(a);
  const cb = Array.from(b);
  let pre = 0;
  while (pre < ca.length && pre < cb.length && ca[pre] === cb[pre]) pre++;
  let suf = 0;
  while (suf < ca.length - pre && suf < cb.length - pre && ca[ca.length - 1 - suf] === cb[cb.length - 1 - suf]) suf++;
  const op: TextOp = [];
  const ins = cb.slice(pre, cb.length - suf).join('');
  const del = ca.length - pre - suf;
  if (!ins && del === 0) return op; // equal texts; a lone skip is not a valid op
  if (pre > 0) op.push(pre);
  if (ins) op.push(ins);
  if (del > 0) op.push({ d: del });
  return op;
}

/** Line-based diff (longest common subsequence) for the history view. */
export type LineDiff = { kind: 'same' | 'add' | 'del'; text: string }[];

/** Compares two texts line by line; inputs beyond 4000 lines fall back to delete-all/add-all. */
export function diffLines(a: string, b: string): LineDiff {
  const x = a.split('\n');
  const y = b.split('\n');
  if (x.length * y.length > 16_000_000) {
    return [...x.map((text) => ({ kind: 'del' as const, text })), ...y.map((text) => ({ kind: 'add' as const, text }))];
  }
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: LineDiff = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ kind: 'same', text: x[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push({ kind: 'del', text: x[i++] });
    } else {
      out.push({ kind: 'add', text: y[j++] });
    }
  }
  while (i < n) out.push({ kind: 'del', text: x[i++] });
  while (j < m) out.push({ kind: 'add', text: y[j++] });
  return out;
}

/** A run of text that is unchanged, added or removed. */
export type Segment = { kind: 'same' | 'add' | 'del'; text: string };

/** One paragraph (line) of a word diff: its runs, and whether it changed as a whole. */
export type DiffParagraph = { kind: 'same' | 'add' | 'del' | 'changed'; segments: Segment[] };

/** Beyond this many edits the word diff gives up and compares lines. */
const MAX_WORD_EDITS = 20_000;

/**
 * Compares two texts word by word (jsdiff's diffWordsWithSpace), so that a
 * changed word marks that word and not its whole paragraph, and returns the
 * result split into paragraphs. Very different long texts fall back to the
 * line diff.
 */
export function diffWords(a: string, b: string): DiffParagraph[] {
  const parts = diffWordsWithSpace(a, b, { maxEditLength: MAX_WORD_EDITS });
  if (!parts) return diffLines(a, b).map((l) => ({ kind: l.kind, segments: [{ kind: l.kind, text: l.text }] }));
  const paras: Segment[][] = [[]];
  for (const p of parts) {
    const kind = p.added ? 'add' : p.removed ? 'del' : 'same';
    p.value.split('\n').forEach((text, i) => {
      if (i > 0) paras.push([]);
      if (text) paras[paras.length - 1].push({ kind, text });
    });
  }
  return paras.map((segments) => {
    const kinds = new Set(segments.map((s) => s.kind));
    const kind = kinds.size === 0 ? 'same' : kinds.size === 1 ? [...kinds][0] : 'changed';
    return { kind, segments };
  });
}
