import { describe, expect, it } from 'vitest';
import { Connection, type SocketLike } from '../../src/lib/connection';
import { frameDoc, parseDocKey, sectionDoc, statementDoc, type ServerFrame } from '../../src/lib/protocol';

/** A socket that opens at once and records what the client sends. */
class RecordingSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor() {
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
    this.readyState = 3;
  }
}

const noop = { connected() {}, disconnected() {}, receive() {} };

function connection(global: ServerFrame[] = []) {
  const sockets: RecordingSocket[] = [];
  const conn = new Connection({
    url: 'ws://test',
    createSocket: () => {
      const s = new RecordingSocket();
      sockets.push(s);
      return s;
    },
    onGlobal: (f) => global.push(f),
    heartbeat: 0,
  });
  return { conn, sockets };
}

async function opened() {
  await Promise.resolve();
  await Promise.resolve();
}

describe('keeping the socket open for the feed', () => {
  it('holds the socket with no document, routes feed frames to the global handler and sends no close for it', async () => {
    const global: ServerFrame[] = [];
    const { conn, sockets } = connection(global);
    const releaseFeed = conn.keepOpen();
    const releaseSection = conn.subscribe({ doc: 'section:6', ...noop });
    await opened();
    expect(conn.state).toBe('open');

    sockets[0].onmessage?.({ data: JSON.stringify({ t: 'notification', notification: { id: 1, text: 'Neu' } }) });
    sockets[0].onmessage?.({ data: JSON.stringify({ t: 'statement', strategy: 1, org: 3, revision: 4, by: 'Erika', event: 'submitted' }) });
    expect(global.map((f) => f.t)).toEqual(['notification', 'statement']);

    releaseSection();
    expect(sockets[0].sent).toEqual([{ t: 'close', doc: 'section:6' }]);
    expect(sockets[0].closed).toBe(false); // the feed still holds it

    releaseFeed();
    expect(sockets[0].sent).toEqual([{ t: 'close', doc: 'section:6' }]);
    expect(sockets[0].closed).toBe(true);
    expect(conn.state).toBe('closed');
  });

  it('counts holders: the socket stays open until the last one lets go, and a release twice counts once', async () => {
    const { conn, sockets } = connection();
    const a = conn.keepOpen();
    const b = conn.keepOpen();
    await opened();
    expect(sockets.length).toBe(1);
    a();
    a();
    expect(sockets[0].closed).toBe(false);
    b();
    expect(sockets[0].closed).toBe(true);
    expect(sockets[0].sent).toEqual([]);
  });

  it('a document closed while the feed holds the socket leaves it open; the last document of several closes only itself', async () => {
    const { conn, sockets } = connection();
    const one = conn.subscribe({ doc: 'statement:4', ...noop });
    const two = conn.subscribe({ doc: 'statement:4', ...noop });
    await opened();
    one();
    expect(sockets[0].sent).toEqual([]); // another channel still has it open
    two();
    expect(sockets[0].sent).toEqual([{ t: 'close', doc: 'statement:4' }]);
    expect(sockets[0].closed).toBe(true);
  });
});

describe('routing by document', () => {
  it('delivers frames by doc, never to another kind with the same id; frames naming only a section reach that section', async () => {
    const global: ServerFrame[] = [];
    const { conn, sockets } = connection(global);
    const got: Record<string, string[]> = { section: [], statement: [] };
    conn.subscribe({ doc: 'section:12', ...noop, receive: (f) => got.section.push(f.t) });
    conn.subscribe({ doc: 'statement:12', ...noop, receive: (f) => got.statement.push(f.t) });
    await opened();
    const push = (f: object) => sockets[0].onmessage?.({ data: JSON.stringify(f) });
    push({ t: 'ack', doc: 'statement:12', v: 3, seq: 1 });
    push({ t: 'presence', doc: 'section:12', section: 12, users: [] });
    push({ t: 'op', section: 12, v: 0, op: ['x'], user: 2, client: 'c', seq: 1 }); // from a server before document keys
    push({ t: 'error', code: 'section_locked', message: 'eingereicht', doc: 'statement:12', seq: 2 });
    push({ t: 'error', code: 'rate_limited', message: 'zu schnell' }); // about the connection: every document
    push({ t: 'snapshot', doc: 'statement:99', v: 0, text: '', presence: [] }); // not open here
    expect(got.section).toEqual(['presence', 'op', 'error']);
    expect(got.statement).toEqual(['ack', 'error', 'error']);
    expect(global.map((f) => f.t)).toEqual(['error', 'snapshot']);
  });

  it('parses and builds document keys', () => {
    expect(sectionDoc(12)).toBe('section:12');
    expect(statementDoc(42)).toBe('statement:42');
    expect(parseDocKey('statement:42')).toEqual({ kind: 'statement', id: 42 });
    for (const bad of ['section:0', 'section:012', 'thread:1', 'section:', 'section:-3', 12, null, 'section:1.5']) expect(parseDocKey(bad)).toBeNull();
    expect(frameDoc({ t: 'ack', doc: 'statement:5', section: 9, v: 1, seq: 1 })).toBe('statement:5');
    expect(frameDoc({ t: 'pong' })).toBeUndefined();
  });
});
