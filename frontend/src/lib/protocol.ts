// The live-editing wire protocol of GET /api/ws (docs/protocol.md), mirroring
// backend/realtime/protocol.go. Every frame is a JSON object discriminated by
// `t`. Positions are Unicode code points; a snapshot at version V is the text
// after V ops, an op "at V" applies to the text at version V.
import type { TextOp } from 'ot-text-unicode';

export type { TextOp };

/** [anchor, head] of one selection range, in code points. */
export type Range = [number, number];

/** The kinds of live documents: a section of a strategy, or one Fassung of a Stellungnahme. */
export type DocKind = 'section' | 'statement';

/** A live document's key on the wire, "kind:id" (e.g. "section:12", "statement:42"). */
export type DocKey = `${DocKind}:${number}`;

/** The key of section id's text. */
export function sectionDoc(id: number): DocKey {
  return `section:${id}`;
}

/** The key of statement id's text (the statement row's id). */
export function statementDoc(id: number): DocKey {
  return `statement:${id}`;
}

/** Reads "kind:id" with a known kind and a positive id; anything else is null. */
export function parseDocKey(s: unknown): { kind: DocKind; id: number } | null {
  if (typeof s !== 'string') return null;
  const m = /^(section|statement):([1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const id = Number(m[2]);
  return Number.isSafeInteger(id) ? { kind: m[1] as DocKind, id } : null;
}

export type OpenFrame = { t: 'open'; doc: DocKey; v?: number };
export type ClientOpFrame = { t: 'op'; doc: DocKey; v: number; op: TextOp; client: string; seq: number };
export type ClientCursorFrame = { t: 'cursor'; doc: DocKey; v: number; ranges: Range[] };
export type CloseFrame = { t: 'close'; doc: DocKey };
/** The heartbeat: the server answers every ping with a pong. */
export type PingFrame = { t: 'ping' };

/** A frame the browser sends. */
export type ClientFrame = OpenFrame | ClientOpFrame | ClientCursorFrame | CloseFrame | PingFrame;

/** One user's presence in a document. */
export interface PresenceUser {
  conn?: string;
  user: number;
  name: string;
  org: string;
  color?: string;
  colour?: string;
  v?: number;
  ranges?: Range[] | null;
}

/** One committed op as carried by "op" and "ops" frames. */
export interface CommittedOp {
  v: number;
  op: TextOp;
  user: number;
  client: string;
  seq: number;
}

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'version_ahead',
  'invalid_op',
  'section_locked',
  'too_large',
  'rate_limited',
  'resync',
  'unavailable',
] as const;

/** The code of an "error" frame. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What every server frame about a document carries: its key, and for a
 * section also the section's id (kept for older clients; route by doc).
 */
type About = { doc: DocKey; section?: number };

export type SnapshotFrame = { t: 'snapshot'; v: number; text: string; presence: PresenceUser[] | null; count?: number } & About;
export type ServerOpFrame = { t: 'op' } & About & CommittedOp;
export type OpsFrame = { t: 'ops'; ops: CommittedOp[] } & About;
export type AckFrame = { t: 'ack'; v: number; seq: number } & About;
export type PresenceFrame = { t: 'presence'; users: PresenceUser[] | null; count?: number } & About;
export type ServerCursorFrame = { t: 'cursor'; conn?: string; user: number; v: number; ranges: Range[] | null } & About;
/** A refused frame; doc (and section) are there when the frame named a document. */
export type ErrorFrame = { t: 'error'; code: ErrorCode; message: string; doc?: DocKey; section?: number; seq?: number };
/** A discussion thread of the section changed; refetch it (ids only, no content). */
export type ThreadsFrame = { t: 'threads'; thread: number; event: string } & About;
/** A new entry of the user's notification feed, as GET /api/notifications lists it. */
export type NotificationFrame = { t: 'notification'; notification: unknown };
/** The statement of the user's organisation was saved or submitted by a member. */
export type StatementFrame = { t: 'statement'; strategy: number; org: number; revision: number; by: string; event: 'saved' | 'submitted' };
/** A Beschlussvorlage was created, voted on or decided; refetch it (ids only). */
export type BeschlussFrame = { t: 'beschluss'; strategy: number; beschluss: number; event: 'created' | 'voted' | 'decided' };
/** The answer to a ping. */
export type PongFrame = { t: 'pong' };

/** A frame the server sends. */
export type ServerFrame =
  | SnapshotFrame
  | ServerOpFrame
  | OpsFrame
  | AckFrame
  | PresenceFrame
  | ServerCursorFrame
  | ErrorFrame
  | ThreadsFrame
  | NotificationFrame
  | StatementFrame
  | BeschlussFrame
  | PongFrame;

const SERVER_TYPES = new Set(['snapshot', 'op', 'ops', 'ack', 'presence', 'cursor', 'error', 'threads', 'notification', 'statement', 'beschluss', 'pong']);

/** Parses one server frame; malformed input yields null rather than throwing. */
export function parseServerFrame(data: string): ServerFrame | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const t = (v as { t?: unknown }).t;
  if (typeof t !== 'string' || !SERVER_TYPES.has(t)) return null;
  return v as ServerFrame;
}

/**
 * The document a server frame is about, or undefined for a frame about the
 * connection or the feed. A frame that names only a section (a server from
 * before documents had keys) is about that section.
 */
export function frameDoc(f: ServerFrame): DocKey | undefined {
  const d = (f as { doc?: unknown }).doc;
  if (parseDocKey(d)) return d as DocKey;
  const s = (f as { section?: unknown }).section;
  if (typeof s === 'number' && Number.isSafeInteger(s) && s > 0) return sectionDoc(s);
  return undefined;
}
