import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type } from 'ot-text-unicode';
import { Connection } from '../../src/lib/connection';
import { OTClient } from '../../src/lib/otclient';
import type { ClientFrame, DocKey, TextOp } from '../../src/lib/protocol';
import { FakeServer } from './fakeserver';

const SECTION: DocKey = 'section:7';

/** One browser: a connection, an OT client and the text its editor shows. */
class Peer {
  conn: Connection;
  client: OTClient;
  editor = '';
  sent: ClientFrame[] = [];

  constructor(server: FakeServer, clientId?: string) {
    this.conn = new Connection({ url: 'ws://test/api/ws', createSocket: server.connect, random: () => 0.5, minDelay: 100 });
    this.client = new OTClient(
      SECTION,
      {
        send: (f) => {
          this.sent.push(f);
          return this.conn.send(f);
        },
        remoteOp: (op) => {
          this.editor = type.apply(this.editor, op);
        },
        changed: () => {},
      },
      clientId,
    );
    this.conn.subscribe({
      doc: SECTION,
      connected: () => this.client.connected(),
      disconnected: () => this.client.disconnected(),
      receive: (f) => this.client.receive(f),
    });
  }

  /** Types at a code point position, as the editor binding would report it. */
  type(pos: number, text: string): void {
    const op: TextOp = pos > 0 ? [pos, text] : [text];
    this.editor = type.apply(this.editor, op);
    this.client.applyLocal(op);
  }

  remove(pos: number, n: number): void {
    const op: TextOp = pos > 0 ? [pos, { d: n }] : [{ d: n }];
    this.editor = type.apply(this.editor, op);
    this.client.applyLocal(op);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

describe('OTClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads the snapshot and goes from awaiting ack to synchronised', async () => {
    const server = new FakeServer(SECTION, 'Zielbild');
    const a = new Peer(server);
    await settle();
    expect(a.client.version).toBe(0);
    expect(a.editor).toBe('Zielbild');
    a.type(8, ' Daten');
    expect(a.client.inflight).not.toBeNull();
    a.type(14, 'nutzung');
    expect(a.client.buffer).toEqual([14, 'nutzung']);
    await settle();
    expect(a.client.pending).toBe(false);
    expect(a.client.version).toBe(2);
    expect(server.text).toBe('Zielbild Datennutzung');
  });

  it('converges when two clients type at the same place at the same time', async () => {
    const server = new FakeServer(SECTION, 'Grüße: ');
    const a = new Peer(server);
    const b = new Peer(server);
    await settle();
    for (let i = 0; i < 20; i++) {
      a.type(7, i % 2 ? 'ä' : '😀');
      b.type(7, i % 3 ? 'ß' : '🚀');
      if (i % 4 === 0) a.remove(0, 1);
      if (i % 5 === 0) await settle();
    }
    await settle();
    expect(a.client.pending).toBe(false);
    expect(b.client.pending).toBe(false);
    expect(a.editor).toBe(server.text);
    expect(b.editor).toBe(server.text);
    expect(a.client.doc).toBe(server.text);
    expect(Array.from(server.text).filter((c) => c === '😀').length).toBe(10);
    expect(Array.from(server.text).filter((c) => c === '🚀').length).toBe(7);
  });

  it('keeps typing while offline and resubmits with the same client id and seq', async () => {
    const server = new FakeServer(SECTION, '');
    const a = new Peer(server);
    const b = new Peer(server);
    await settle();
    server.offline = true;
    server.dropAll();
    await settle();
    expect(a.conn.state).toBe('connecting');
    a.type(0, 'offline getippt 😀');
    a.type(17, ' und mehr');
    const firstSeq = a.client.inflight?.seq;
    expect(firstSeq).toBe(1);
    expect(a.client.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(a.conn.state).toBe('connecting');
    server.offline = false;
    await vi.advanceTimersByTimeAsync(30_000);
    await settle();
    expect(a.conn.state).toBe('open');
    b.type(0, 'B: ');
    await settle();
    const ops = a.sent.filter((f) => f.t === 'op');
    expect(ops.map((f) => (f as { seq: number }).seq)).toEqual([1, 2]);
    expect(ops.every((f) => (f as { client: string }).client === a.client.clientId)).toBe(true);
    expect(server.text).toBe('B: offline getippt 😀 und mehr');
    expect(a.editor).toBe(server.text);
    expect(b.editor).toBe(server.text);
  });

  it('does not apply an op twice when its ack was lost', async () => {
    const server = new FakeServer(SECTION, 'Text');
    const a = new Peer(server);
    await settle();
    server.dropNextAck = true;
    a.type(4, ' eins');
    await settle();
    expect(server.text).toBe('Text eins');
    expect(a.client.inflight?.seq).toBe(1);
    a.type(9, ' zwei');
    await vi.advanceTimersByTimeAsync(30_000);
    await settle();
    expect(server.text).toBe('Text eins zwei');
    expect(server.log.length).toBe(2);
    expect(a.editor).toBe(server.text);
    expect(a.client.pending).toBe(false);
    // The open after reconnecting asked for the ops since version 0.
    expect(a.sent.filter((f) => f.t === 'open').map((f) => (f as { v?: number }).v)).toEqual([undefined, 0]);
  });

  it('re-opens from its version on a resync error', async () => {
    const server = new FakeServer(SECTION, 'abc');
    const a = new Peer(server);
    const b = new Peer(server);
    await settle();
    b.type(3, 'd');
    await settle();
    a.sent = [];
    a.client.receive({ t: 'error', code: 'resync', message: 'Bitte neu laden', doc: SECTION });
    await vi.advanceTimersByTimeAsync(300);
    expect(a.sent[0]).toEqual({ t: 'open', doc: SECTION, v: 1 });
    expect(a.editor).toBe('abcd');
  });

  it('rolls back refused edits and becomes read-only on forbidden', async () => {
    const server = new FakeServer(SECTION, 'fest');
    const a = new Peer(server);
    await settle();
    a.client.opened = false; // hold the op back so the refusal can be injected first
    a.type(4, 'x');
    a.client.receive({ t: 'error', code: 'forbidden', message: 'Keine Berechtigung', doc: SECTION, seq: 1 });
    expect(a.client.lock).toBe('forbidden');
    expect(a.client.pending).toBe(false);
    expect(a.editor).toBe('fest');
  });

  it('rebases pending edits on a snapshot that skips versions', async () => {
    const a = new OTClient(SECTION, { send: () => true, remoteOp: () => {}, changed: () => {} }, 'c1');
    a.receive({ t: 'snapshot', doc: SECTION, v: 3, text: 'Hallo Welt', presence: [] });
    a.opened = false;
    a.applyLocal([5, ' schöne']);
    a.receive({ t: 'snapshot', doc: SECTION, v: 9, text: 'Hallo neue Welt!', presence: [] });
    expect(a.version).toBe(9);
    expect(a.doc).toBe('Hallo schöne neue Welt!');
    expect(a.inflight?.op).toEqual([5, ' schöne']);
  });
});

describe('Connection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('backs off exponentially while the server is unreachable', async () => {
    const server = new FakeServer(SECTION);
    server.offline = true;
    const dials: number[] = [];
    const conn = new Connection({
      url: 'ws://test',
      createSocket: (u) => {
        dials.push(Date.now());
        return server.connect(u);
      },
      random: () => 1,
      minDelay: 100,
      maxDelay: 1000,
    });
    conn.subscribe({ doc: SECTION, connected: () => {}, disconnected: () => {}, receive: () => {} });
    await vi.advanceTimersByTimeAsync(5000);
    const gaps = dials.slice(1).map((t, i) => t - dials[i]);
    expect(gaps.slice(0, 5)).toEqual([100, 200, 400, 800, 1000]);
    conn.stop();
    expect(conn.state).toBe('closed');
  });

describe('outages', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('re-opens with backoff on repeated resync instead of at once', async () => {
    const server = new FakeServer(SECTION, 'abc');
    const a = new Peer(server);
    await settle();
    a.sent = [];
    for (let i = 0; i < 20; i++) a.client.receive({ t: 'error', code: 'resync', message: 'Bitte neu laden', doc: SECTION });
    await settle();
    expect(a.sent.filter((f) => f.t === 'open')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(a.sent.filter((f) => f.t === 'open')).toHaveLength(1);
  });

  it('keeps its op while the server cannot save and resends it with the same seq', async () => {
    const server = new FakeServer(SECTION, 'Netze');
    const a = new Peer(server);
    await settle();
    server.unavailable = true;
    a.type(5, ' für alle');
    await vi.advanceTimersByTimeAsync(2000);
    expect(a.client.unavailable).toBe(true);
    expect(a.client.pending).toBe(true);
    expect(server.text).toBe('Netze');
    const tries = server.received.length;
    await vi.advanceTimersByTimeAsync(60_000);
    // Backed off: a few tries in a minute, not hundreds.
    expect(server.received.length - tries).toBeLessThan(12);
    server.unavailable = false;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(server.text).toBe('Netze für alle');
    expect(a.client.pending).toBe(false);
    expect(a.client.unavailable).toBe(false);
    expect(new Set(server.received.map((f) => (f as { seq: number }).seq)).size).toBe(1);
  });

  it('sends an open again that got no answer', async () => {
    const server = new FakeServer(SECTION, 'Netze');
    server.dropOpens = 2;
    const a = new Peer(server);
    await vi.advanceTimersByTimeAsync(35_000);
    expect(a.client.opened).toBe(true);
    expect(a.editor).toBe('Netze');
  });

  it('notices a socket that carries nothing and reconnects', async () => {
    const server = new FakeServer(SECTION, 'Netze');
    const states: string[] = [];
    const a = new Peer(server);
    a.conn.onState((s) => states.push(s));
    await settle();
    server.silent = true;
    a.type(5, '!');
    await vi.advanceTimersByTimeAsync(11_000);
    expect(states).toContain('connecting');
    server.silent = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(a.conn.state).toBe('open');
    expect(server.text).toBe('Netze!');
    expect(a.client.pending).toBe(false);
  });
});
});

describe('OTClient remote cursors', () => {
  it('moves a cursor sent at an older version over the ops committed since, and skips what it cannot place', () => {
    const got: number[][][] = [];
    const c = new OTClient(SECTION, { send: () => true, remoteOp: () => {}, changed: () => {}, cursor: (_u, _c, r) => got.push(r) });
    c.receive({ t: 'snapshot', doc: SECTION, v: 3, text: 'Hallo Welt', presence: [] });
    c.receive({ t: 'op', doc: SECTION, v: 3, op: ['X'], user: 2, client: 'b', seq: 1 });
    c.receive({ t: 'op', doc: SECTION, v: 4, op: [5, 'Y'], user: 2, client: 'b', seq: 2 });
    expect(c.doc).toBe('XHallYo Welt');
    c.receive({ t: 'cursor', doc: SECTION, v: 3, user: 3, conn: 'x', ranges: [[6, 6]] }); // before "W" at version 3
    c.receive({ t: 'cursor', doc: SECTION, v: 5, user: 3, conn: 'x', ranges: [[0, 2]] }); // current
    c.receive({ t: 'cursor', doc: SECTION, v: 2, user: 3, conn: 'x', ranges: [[1, 1]] }); // before the snapshot: unknown
    c.receive({ t: 'cursor', doc: SECTION, v: 6, user: 3, conn: 'x', ranges: [[1, 1]] }); // not here yet
    expect(got).toEqual([[[8, 8]], [[0, 2]]]);
    expect(c.doc.slice(8, 9)).toBe('W');
  });
});
