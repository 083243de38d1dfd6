// An in-memory server for one live document that follows docs/protocol.md: it
// transforms each submitted op against everything committed since its base
// version (incoming on side "left"), drops duplicates by (client, seq), and
// answers "open" with v by sending the ops since v.
import { type } from 'ot-text-unicode';
import { parseDocKey, type ClientFrame, type CommittedOp, type DocKey, type ServerFrame } from '../../src/lib/protocol';
import type { SocketLike } from '../../src/lib/connection';

export class FakeServer {
  text: string;
  log: CommittedOp[] = [];
  sockets = new Set<FakeSocket>();
  /** When set, the next ack is swallowed and the socket is closed (lost ack). */
  dropNextAck = false;
  /** Refuse new connections, as if the network were gone. */
  offline = false;
  /** Take frames but answer nothing, as an open socket over a dead network. */
  silent = false;
  /** Answer opens and ops with "unavailable", as while the database is down. */
  unavailable = false;
  /** How many of the next opens to drop unanswered (as a rate limit would). */
  dropOpens = 0;
  /** Every op frame received, to check what was resent. */
  received: ClientFrame[] = [];

  constructor(
    readonly doc: DocKey,
    initial = '',
  ) {
    this.text = initial;
    const key = parseDocKey(doc);
    // Frames about a section also carry its id, as the server sends them.
    this.about = key?.kind === 'section' ? { doc, section: key.id } : { doc };
  }

  private about: { doc: DocKey; section?: number };

  get version(): number {
    return this.log.length;
  }

  connect = (_url: string): SocketLike => {
    const s = new FakeSocket(this);
    queueMicrotask(() => {
      if (this.offline) {
        s.readyState = 3;
        s.onclose?.({ code: 1006 });
        return;
      }
      this.sockets.add(s);
      s.readyState = 1;
      s.onopen?.({});
    });
    return s;
  };

  /** Closes every socket as a network failure would. */
  dropAll(): void {
    for (const s of [...this.sockets]) s.serverClose();
  }

  handle(from: FakeSocket, f: ClientFrame): void {
    if (f.t === 'ping') {
      if (!this.silent) from.push({ t: 'pong' });
      return;
    }
    if (this.silent || f.doc !== this.doc) return;
    if (f.t === 'op') this.received.push(f);
    if (this.unavailable && (f.t === 'open' || f.t === 'op')) {
      from.push({ t: 'error', code: 'unavailable', message: 'Datenbank nicht erreichbar', ...this.about, seq: f.t === 'op' ? f.seq : undefined });
      return;
    }
    if (f.t === 'open' && this.dropOpens > 0) {
      this.dropOpens--;
      return;
    }
    switch (f.t) {
      case 'open':
        if (f.v === undefined) from.push({ t: 'snapshot', ...this.about, v: this.version, text: this.text, presence: [] });
        else from.push({ t: 'ops', ...this.about, ops: this.log.slice(f.v) });
        return;
      case 'op': {
        const dup = this.log.find((c) => c.client === f.client && c.seq === f.seq);
        if (dup) {
          from.push({ t: 'ack', ...this.about, v: dup.v, seq: f.seq });
          return;
        }
        if (f.v > this.version) {
          from.push({ t: 'error', code: 'version_ahead', message: 'Version voraus', ...this.about, seq: f.seq });
          return;
        }
        let op = f.op;
        for (const c of this.log.slice(f.v)) op = type.transform(op, c.op, 'left');
        const committed: CommittedOp = { v: this.version, op, user: from.user, client: f.client, seq: f.seq };
        this.text = type.apply(this.text, op);
        this.log.push(committed);
        for (const s of this.sockets) {
          if (s !== from) s.push({ t: 'op', ...this.about, ...committed });
        }
        if (this.dropNextAck) {
          this.dropNextAck = false;
          from.serverClose();
          return;
        }
        from.push({ t: 'ack', ...this.about, v: committed.v, seq: f.seq });
        return;
      }
      default:
        return;
    }
  }
}

let nextUser = 1;

export class FakeSocket implements SocketLike {
  readyState = 0;
  user = nextUser++;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  /** Frames waiting for delivery; delivered by FakeServer.flush-style helpers. */
  inbox: ServerFrame[] = [];

  constructor(private server: FakeServer) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a closed socket');
    this.server.handle(this, JSON.parse(data));
  }

  close(): void {
    this.readyState = 3;
    this.server.sockets.delete(this);
  }

  push(f: ServerFrame): void {
    // Delivered asynchronously, as a real network would.
    queueMicrotask(() => {
      if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(f) });
    });
  }

  serverClose(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.server.sockets.delete(this);
    queueMicrotask(() => this.onclose?.({ code: 1006 }));
  }
}
