// Thread passages move with the text: every op that reaches the editor
// (local or remote) transforms each thread's range locally, so highlights
// stay on their words between two refetches of the threads. Positions are
// code points, as in the protocol and the API.
import { type } from 'ot-text-unicode';
import type { TextOp } from '../protocol';

/** A thread's passage in the local text; removed once all of it is deleted. */
export interface LocalAnchor {
  start: number;
  end: number;
  removed: boolean;
}

function cpLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Like ot-text-unicode's transformPosition, but an insert exactly at the
 * position pushes it behind the inserted text: text typed just before a
 * passage does not become part of it.
 */
export function transformStart(cursor: number, op: TextOp): number {
  let pos = 0;
  for (const c of op) {
    if (pos > cursor) break;
    if (typeof c === 'number') {
      if (pos + c > cursor) break;
      pos += c;
    } else if (typeof c === 'string') {
      const n = cpLen(c);
      pos += n;
      cursor += n;
    } else {
      const d = typeof c.d === 'number' ? c.d : cpLen(c.d);
      cursor -= Math.min(d, cursor - pos);
    }
  }
  return cursor;
}

/**
 * Transforms a passage through op: the start is pushed behind an insert at
 * it, the end is not (text typed right after a passage stays outside).
 * A passage whose text was deleted completely is marked removed and
 * collapses to where it was.
 */
export function transformAnchor(a: LocalAnchor, op: TextOp): LocalAnchor {
  if (a.removed) {
    const p = type.transformPosition(a.start, op);
    return { start: p, end: p, removed: true };
  }
  const start = transformStart(a.start, op);
  const end = type.transformPosition(a.end, op);
  if (end <= start) {
    const p = Math.min(start, end);
    return { start: p, end: p, removed: true };
  }
  return { start, end, removed: false };
}
