// The client side of operational transformation for one live document: the
// classic three-state machine (synchronised, awaiting ack, awaiting ack with
// a buffer). The server owns the version; this class keeps the text the
// server confirmed (`base`) and the local text (`doc` = base + inflight +
// buffer), transforms incoming ops against what is not yet acknowledged, and
// after a reconnect resubmits the unacknowledged op with the same client id
// and seq so the server's op log can drop a duplicate.
import { type } from 'ot-text-unicode';
import type { ClientFrame, CommittedOp, DocKey, ErrorFrame, PresenceUser, Range, ServerFrame, TextOp } from './protocol';
import { diffOp } from './diff';

/** Callbacks from an OTClient to its editor binding and the connection. */
export interface OTClientHost {
  /** Sends a frame; returns false when there is no open connection. */
  send(frame: ClientFrame): boolean;
  /** The local text changed by op (already transformed to the local text). */
  remoteOp(op: TextOp, from: CommittedOp | null): void;
  /** Version, pending state, presence or an error changed. */
  changed(): void;
  /** A remote user's cursor moved (ranges in the local text's code points). */
  cursor?(user: number, conn: string | undefined, ranges: Range[]): void;
}

type Inflight = { op: TextOp; seq: number };

/** Why a document cannot be edited (from the server's error code; section_locked: it is final). */
export type LockReason = 'forbidden' | 'section_locked' | null;

function isNoop(op: TextOp): boolean {
  return op.length === 0 || (op.length === 1 && typeof op[0] === 'number');
}

/** Creates a client id that is unique per page load and document. */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return c.randomUUID();
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}

/** How many committed ops a client keeps to move remote cursors sent at older versions. */
const RECENT_OPS = 64;

/** Pacing of retries; the defaults suit the browser, tests shorten them. */
export interface RetryOptions {
  /** First retry delay in ms; doubled per failure, with jitter. */
  min?: number;
  /** Longest retry delay in ms. */
  max?: number;
  /** An open not answered within this many ms is sent again. */
  openTimeout?: number;
  /** An op not acknowledged within this many ms makes the client re-open. */
  ackTimeout?: number;
  random?: () => number;
}

/** OTClient keeps one document's text in step with the server. */
export class OTClient {
  version: number | null = null;
  base = '';
  doc = '';
  inflight: Inflight | null = null;
  buffer: TextOp | null = null;
  presence: PresenceUser[] = [];
  lock: LockReason = null;
  lastError: ErrorFrame | null = null;
  /** True once the server answered our open on the current connection. */
  opened = false;
  /** True while the server reports that it cannot save (its database is down); edits are kept and resent. */
  unavailable = false;
  private nextSeq = 1;
  /** Consecutive retries without progress; drives the backoff. */
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private openTimer: ReturnType<typeof setTimeout> | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private retry: Required<RetryOptions>;
  /** The last committed ops, oldest first: ops[i] took the text from version v0 + i to the next. */
  private recent: { v0: number; ops: TextOp[] } = { v0: 0, ops: [] };

  constructor(
    /** The document, e.g. "section:12". (doc is the local text.) */
    readonly key: DocKey,
    private host: OTClientHost,
    readonly clientId: string = newClientId(),
    retry: RetryOptions = {},
  ) {
    this.retry = {
      min: retry.min ?? 250,
      max: retry.max ?? 15000,
      openTimeout: retry.openTimeout ?? 10000,
      ackTimeout: retry.ackTimeout ?? 20000,
      random: retry.random ?? Math.random,
    };
  }

  /** True while local changes are not yet acknowledged by the server. */
  get pending(): boolean {
    return this.inflight !== null || this.buffer !== null;
  }

  /** Called by the connection whenever a socket opens: (re-)open the document. */
  connected(): void {
    this.opened = false;
    this.clearTimers();
    this.sendOpen();
  }

  /** Called by the connection when the socket is lost. */
  disconnected(): void {
    this.opened = false;
    this.clearTimers(); // connected() re-opens
    this.host.changed();
  }

  /** Stops every timer; the client is not used any more. */
  stop(): void {
    this.clearTimers();
  }

  private clearTimers(): void {
    for (const t of [this.retryTimer, this.openTimer, this.ackTimer]) if (t) clearTimeout(t);
    this.retryTimer = this.openTimer = this.ackTimer = null;
  }

  /** Sends open (with our version once we have one) and sends it again if it gets no answer. */
  private sendOpen(): void {
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = null;
    const frame: ClientFrame = this.version === null ? { t: 'open', doc: this.key } : { t: 'open', doc: this.key, v: this.version };
    if (!this.host.send(frame)) return; // connected() sends it when the socket is back
    this.openTimer = setTimeout(() => {
      this.openTimer = null;
      if (!this.opened) this.sendOpen();
    }, this.retry.openTimeout);
  }

  /** Runs fn after the next backoff delay (exponential, capped, with jitter); a newer call replaces a pending one. */
  private later(fn: () => void): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const delay = Math.min(this.retry.max, this.retry.min * 2 ** this.retries);
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      fn();
    }, delay / 2 + (delay / 2) * this.retry.random());
  }

  /** The server answered as hoped: the next retry starts from the shortest delay again. */
  private progress(): void {
    this.retries = 0;
    this.unavailable = false;
  }

  /** Records a local edit (an op on the current local text) and sends it when possible. */
  applyLocal(op: TextOp): void {
    if (isNoop(op)) return;
    this.doc = type.apply(this.doc, op);
    if (this.buffer) this.buffer = type.compose(this.buffer, op);
    else if (this.inflight) this.buffer = op;
    else {
      this.inflight = { op, seq: this.nextSeq++ };
      this.sendInflight();
    }
    this.host.changed();
  }

  /** Handles one server frame addressed to this document. */
  receive(f: ServerFrame): void {
    switch (f.t) {
      case 'snapshot':
        this.onSnapshot(f.v, f.text);
        this.presence = f.presence ?? [];
        break;
      case 'ops':
        this.markOpened();
        for (const c of f.ops) if (!this.onCommitted(c)) break;
        break;
      case 'op':
        this.onCommitted(f);
        break;
      case 'ack':
        this.onAck(f.v, f.seq);
        break;
      case 'presence':
        this.presence = f.users ?? [];
        break;
      case 'cursor':
        this.onCursor(f.user, f.conn, f.v, f.ranges ?? []);
        return;
      case 'error':
        this.onError(f);
        break;
    }
    this.host.changed();
  }

  /** The local selection as protocol ranges, or null while ops are pending. */
  cursorFrame(ranges: Range[]): ClientFrame | null {
    if (this.version === null || this.pending || !this.opened) return null;
    return { t: 'cursor', doc: this.key, v: this.version, ranges };
  }

  private sendInflight(): void {
    if (!this.inflight || this.version === null || !this.opened || this.lock) return;
    const seq = this.inflight.seq;
    if (!this.host.send({ t: 'op', doc: this.key, v: this.version, op: this.inflight.op, client: this.clientId, seq })) return;
    // An op that is never answered (a frame lost on the way) must not
    // leave the editor waiting for ever: re-open, which resends it.
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (this.inflight?.seq === seq && this.opened) this.reopen();
    }, this.retry.ackTimeout);
  }

  private markOpened(): void {
    if (this.opened) return;
    this.setOpened();
    // Resubmit with the same seq: if the server already committed it, its
    // op log answers with the original ack instead of applying it twice.
    this.sendInflight();
  }

  /** The open was answered: stop waiting for it. */
  private setOpened(): void {
    this.opened = true;
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = null;
    this.progress();
  }

  /** Re-opens with our version after a backoff, so a server that keeps refusing is not flooded. */
  private reopen(): void {
    this.opened = false;
    this.later(() => this.sendOpen());
  }

  private onSnapshot(v: number, text: string): void {
    if (this.version === null || (v === this.version && text === this.base)) {
      if (this.version === null) {
        this.base = this.doc = text;
        this.version = v;
        this.recent = { v0: v, ops: [] };
        this.host.remoteOp(diffOp('', text), null);
      }
      this.markOpened();
      return;
    }
    // A snapshot that skips versions: rebase what is pending on the diff
    // between the text we knew and the new one, then send it as a new op.
    const d = diffOp(this.base, text);
    let pendingOp: TextOp | null = this.inflight ? this.inflight.op : null;
    if (this.buffer) pendingOp = pendingOp ? type.compose(pendingOp, this.buffer) : this.buffer;
    let local = d;
    if (pendingOp) {
      local = type.transform(d, pendingOp, 'right');
      pendingOp = type.transform(pendingOp, d, 'left');
    }
    this.base = text;
    this.version = v;
    this.recent = { v0: v, ops: [] }; // the ops in between are unknown
    this.doc = type.apply(this.doc, local);
    this.host.remoteOp(local, null);
    this.inflight = null;
    this.buffer = null;
    this.setOpened();
    if (pendingOp && !isNoop(pendingOp)) {
      this.inflight = { op: pendingOp, seq: this.nextSeq++ };
      this.sendInflight();
    }
  }

  /** Applies one committed op; returns false when it revealed a gap. */
  private onCommitted(c: CommittedOp): boolean {
    if (this.version === null || c.v < this.version) return true; // already known
    if (c.v > this.version) {
      this.reopen(); // a gap: ask for everything since our version
      return false;
    }
    if (this.inflight && c.client === this.clientId && c.seq === this.inflight.seq) {
      this.onAck(c.v, c.seq);
      return true;
    }
    let op = c.op;
    if (this.inflight) {
      const inf = type.transform(this.inflight.op, op, 'left');
      op = type.transform(op, this.inflight.op, 'right');
      this.inflight.op = inf;
    }
    if (this.buffer) {
      const buf = type.transform(this.buffer, op, 'left');
      op = type.transform(op, this.buffer, 'right');
      this.buffer = buf;
    }
    this.base = type.apply(this.base, c.op);
    this.remember(c.op);
    this.version = c.v + 1;
    this.doc = type.apply(this.doc, op);
    this.host.remoteOp(op, c);
    return true;
  }

  private onAck(v: number, seq: number): void {
    if (!this.inflight || seq !== this.inflight.seq || this.version === null) return;
    if (v !== this.version) {
      // Ops before ours have not reached us: fetch them, our own op will
      // come back among them and count as the ack.
      if (v > this.version) this.reopen();
      return;
    }
    this.base = type.apply(this.base, this.inflight.op);
    this.remember(this.inflight.op);
    this.version = v + 1;
    this.inflight = null;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.progress();
    if (this.buffer) {
      this.inflight = { op: this.buffer, seq: this.nextSeq++ };
      this.buffer = null;
      this.sendInflight();
    }
  }

  /** Keeps the op just committed at this.version, for moving cursors sent at older versions. */
  private remember(op: TextOp): void {
    if (this.version === null) return;
    if (this.recent.v0 + this.recent.ops.length !== this.version) this.recent = { v0: this.version, ops: [] };
    this.recent.ops.push(op);
    if (this.recent.ops.length > RECENT_OPS) {
      this.recent.ops.shift();
      this.recent.v0++;
    }
  }

  private onCursor(user: number, conn: string | undefined, v: number, ranges: Range[]): void {
    if (!this.host.cursor || this.version === null || v > this.version || v < this.recent.v0) return;
    // A cursor sent at an older version moves over the ops committed since;
    // one from a version not yet here waits for the sender's next update.
    const over: TextOp[] = this.recent.ops.slice(v - this.recent.v0, this.version - this.recent.v0);
    if (this.inflight) over.push(this.inflight.op);
    if (this.buffer) over.push(this.buffer);
    const moved = ranges.map(([a, h]) => {
      for (const op of over) {
        a = type.transformPosition(a, op);
        h = type.transformPosition(h, op);
      }
      return [a, h] as Range;
    });
    this.host.cursor(user, conn, moved);
  }

  private onError(f: ErrorFrame): void {
    this.lastError = f;
    switch (f.code) {
      case 'resync':
      case 'version_ahead':
        this.reopen();
        return;
      case 'unavailable':
        // Nothing was saved, nothing is lost: keep the op and try again
        // later with the same seq (the server drops a duplicate).
        this.unavailable = true;
        if (!this.opened) this.later(() => this.sendOpen());
        else if (this.inflight && f.seq === this.inflight.seq) this.later(() => this.sendInflight());
        return;
      case 'rate_limited':
        // The frame was dropped unread: send it again after a pause.
        if (!this.opened) this.later(() => this.sendOpen());
        else this.later(() => this.sendInflight());
        return;
      case 'forbidden':
      case 'section_locked':
        this.lock = f.code;
        this.rollback();
        return;
      case 'invalid_op':
      case 'too_large':
        this.rollback();
        return;
    }
  }

  /** Drops unacknowledged local changes the server refused. */
  private rollback(): void {
    if (!this.pending) return;
    const back = diffOp(this.doc, this.base);
    this.doc = this.base;
    this.inflight = null;
    this.buffer = null;
    this.host.remoteOp(back, null);
  }
}
