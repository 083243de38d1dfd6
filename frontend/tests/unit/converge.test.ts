// Randomised convergence: several clients edit concurrently through the
// fake server while connections drop and acks get lost; in the end every
// editor shows the server's text and no op was committed twice.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type } from 'ot-text-unicode';
import { Connection } from '../../src/lib/connection';
import { OTClient } from '../../src/lib/otclient';
import type { DocKey, TextOp } from '../../src/lib/protocol';
import { FakeServer } from './fakeserver';

const SECTION: DocKey = 'statement:3';
const ALPHABET = ['a', 'ö', 'ß', '😀', ' ', '\n', '🇩🇪', 'Z'];

function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

class Editor {
  text = '';
  client: OTClient;
  conn: Connection;
  constructor(server: FakeServer) {
    this.conn = new Connection({ url: 'ws://t', createSocket: server.connect, minDelay: 10, maxDelay: 50, random: () => 0.5 });
    this.client = new OTClient(SECTION, {
      send: (f) => this.conn.send(f),
      remoteOp: (op) => (this.text = type.apply(this.text, op)),
      changed: () => {},
    });
    this.conn.subscribe({
      doc: SECTION,
      connected: () => this.client.connected(),
      disconnected: () => this.client.disconnected(),
      receive: (f) => this.client.receive(f),
    });
  }

  edit(r: (n: number) => number): void {
    if (this.client.version === null) return;
    const cps = Array.from(this.text);
    const pos = r(cps.length + 1);
    let op: TextOp;
    if (cps.length > 0 && r(3) === 0) {
      const n = 1 + r(Math.min(3, cps.length - pos) || 1);
      if (pos >= cps.length) return;
      op = pos > 0 ? [pos, { d: Math.min(n, cps.length - pos) }] : [{ d: Math.min(n, cps.length - pos) }];
    } else {
      const s = ALPHABET[r(ALPHABET.length)];
      op = pos > 0 ? [pos, s] : [s];
    }
    this.text = type.apply(this.text, op);
    this.client.applyLocal(op);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

describe('convergence under drops and lost acks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, async () => {
      const r = rng(seed);
      const server = new FakeServer(SECTION, 'Start 😀');
      const eds = [new Editor(server), new Editor(server), new Editor(server)];
      await settle();
      for (let step = 0; step < 300; step++) {
        const e = eds[r(eds.length)];
        e.edit(r);
        const roll = r(100);
        if (roll < 3) server.dropAll();
        else if (roll < 6) server.dropNextAck = true;
        else if (roll < 30) await settle();
        if (roll >= 95) await vi.advanceTimersByTimeAsync(60);
      }
      server.dropNextAck = false;
      for (let i = 0; i < 20; i++) {
        await vi.advanceTimersByTimeAsync(100);
        await settle();
      }
      for (const e of eds) {
        expect(e.client.pending).toBe(false);
        expect(e.text).toBe(server.text);
        expect(e.client.doc).toBe(server.text);
        expect(e.client.version).toBe(server.version);
      }
      const ids = server.log.map((c) => `${c.client}/${c.seq}`);
      expect(new Set(ids).size).toBe(ids.length);
    });
  }
});
