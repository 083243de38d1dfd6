// The live-editing wire protocol of GET /api/ws (docs/protocol.md), mirroring
// backend/realtime/protocol.go. Every frame is a JSON object discriminated by
// `t`. Positions are Unicode code points; a snapshot at version V is the text
// after V ops, an op "at V" applies to the text at version V.
import type { TextOp } from 'ot-text-unicode';

export type { TextOp };

/** [anchor, head] of one selection range, in code points. */
export type Range = [number, number];

export type OpenFrame = { t: 'open'; section: number; v?: number };
export type ClientOpFrame = { t: 'op'; section: number; v: number; op: TextOp; client: string; seq: number };
export type ClientCursorFrame = { t: 'cursor'; section: number; v: number; ranges: Range[] };
export type CloseFrame = { t: 'close'; section: number };
/** The heartbeat: the server answers every ping with a pong. */
export type PingFrame = { t: 'ping' };

/** A frame the browser sends. */
export type ClientFrame = OpenFrame | ClientOpFrame | ClientCursorFrame | CloseFrame | PingFrame;

/** One user's presence in a section. */
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

export type SnapshotFrame = { t: 'snapshot'; section: number; v: number; text: string; presence: PresenceUser[] | null };
export type ServerOpFrame = { t: 'op'; section: number } & CommittedOp;
export type OpsFrame = { t: 'ops'; section: number; ops: CommittedOp[] };
export type AckFrame = { t: 'ack'; section: number; v: number; seq: number };
export type PresenceFrame = { t: 'presence'; section: number; users: PresenceUser[] | null };
export type ServerCursorFrame = { t: 'cursor'; section: number; conn?: string; user: number; v: number; ranges: Range[] | null };
export type ErrorFrame = { t: 'error'; code: ErrorCode; message: string; section?: number; seq?: number };
/** A discussion thread of the section changed; refetch it (ids only, no content). */
export type ThreadsFrame = { t: 'threads'; section: number; thread: number; event: string };
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
