import { describe, expect, it } from 'vitest';
import { Connection, type SocketLike } from '../../src/lib/connection';
import type { ServerFrame } from '../../src/lib/protocol';

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

describe('the feed channel (section 0)', () => {
  it('keeps the socket open, routes notifications to the global handler and never sends close 0', async () => {
    const sockets: RecordingSocket[] = [];
    const global: ServerFrame[] = [];
    const conn = new Connection({
      url: 'ws://test',
      createSocket: () => {
        const s = new RecordingSocket();
        sockets.push(s);
        return s;
      },
      onGlobal: (f) => global.push(f),
    });
    const releaseFeed = conn.subscribe({ section: 0, ...noop });
    const releaseSection = conn.subscribe({ section: 6, ...noop });
    await Promise.resolve();
    await Promise.resolve();
    expect(conn.state).toBe('open');

    sockets[0].onmessage?.({ data: JSON.stringify({ t: 'notification', notification: { id: 1, text: 'Neu' } }) });
    expect(global).toEqual([{ t: 'notification', notification: { id: 1, text: 'Neu' } }]);

    releaseSection();
    expect(sockets[0].sent).toEqual([{ t: 'close', section: 6 }]);
    expect(sockets[0].closed).toBe(false); // the feed still holds it

    releaseFeed();
    expect(sockets[0].sent).toEqual([{ t: 'close', section: 6 }]);
    expect(sockets[0].closed).toBe(true);
    expect(conn.state).toBe('closed');
  });
});
