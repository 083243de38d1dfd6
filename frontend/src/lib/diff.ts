// A minimal text diff as one op: keep the common prefix and suffix, replace
// the middle. Used when a whole text must be swapped (snapshot after a gap,
// rollback, restore preview) without moving every cursor to the start.
import type { TextOp } from 'ot-text-unicode';

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
