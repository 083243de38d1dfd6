// The one owner of the websocket to /api/ws. Live documents (a section's
// text, a Stellungnahme) subscribe a channel; the connection routes frames to
// it by document key ("section:12"), re-opens the socket with
// exponential backoff when it is lost, and tells every channel when it is
// back so each can catch up from its last version. A heartbeat (ping every
// few seconds, the server answers pong) notices a socket that is open on
// paper but carries nothing, as when the network drops without a close.
// Feed frames (notifications, statements, Beschlüsse) reach every signed-in
// connection without a channel; keepOpen() holds the socket open for them.
// Components never touch the socket directly.
import { frameDoc, parseServerFrame, type ClientFrame, type DocKey, type ServerFrame } from './protocol';

/** Where the socket is: open, trying to (re)connect, or stopped. */
export type ConnState = 'connecting' | 'open' | 'closed';

/** A live document's receiver of frames and connection events. */
export interface Channel {
  doc: DocKey;
  connected(): void;
  disconnected(): void;
  receive(frame: ServerFrame): void;
}

/** The part of the browser's WebSocket that the connection uses. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** Options of a Connection; the defaults suit the browser. */
export interface ConnectionOptions {
  url?: string;
  createSocket?: (url: string) => SocketLike;
  minDelay?: number;
  maxDelay?: number;
  random?: () => number;
  /**
   * Milliseconds between heartbeat pings; a socket that brings no frame for
   * 2.5 of them is given up and re-dialled. 0 turns the heartbeat off.
   */
  heartbeat?: number;
  /** Receives frames about no document (feed frames, connection-level errors). */
  onGlobal?: (frame: ServerFrame) => void;
}

const OPEN = 1;

/** The heartbeat interval: 3 s, so a dead socket is noticed within 10 s. Browser tests may set a shorter one. */
function defaultHeartbeat(): number {
  const v = (globalThis as { __strategieraumHeartbeatMs?: unknown }).__strategieraumHeartbeatMs;
  return typeof v === 'number' && v > 0 ? v : 3000;
}

function defaultUrl(): string {
  const l = globalThis.location;
  return `${l.protocol === 'https:' ? 'wss:' : 'ws:'}//${l.host}/api/ws`;
}

/** Connection owns one websocket shared by all open documents. */
export class Connection {
  state: ConnState = 'closed';
  /** Consecutive failed attempts; drives the backoff. */
  attempts = 0;
  private socket: SocketLike | null = null;
  private channels = new Map<DocKey, Set<Channel>>();
  /** How many holders keep the socket open without a document (the feed). */
  private holds = 0;
  private listeners = new Set<(s: ConnState) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private beat: ReturnType<typeof setInterval> | null = null;
  /** When the current socket last brought a frame (or opened). */
  private lastFrame = 0;
  private stopped = true;
  private opts: Required<Omit<ConnectionOptions, 'onGlobal'>> & Pick<ConnectionOptions, 'onGlobal'>;

  constructor(opts: ConnectionOptions = {}) {
    this.opts = {
      url: opts.url ?? '',
      createSocket: opts.createSocket ?? ((u) => new WebSocket(u) as unknown as SocketLike),
      minDelay: opts.minDelay ?? 500,
      maxDelay: opts.maxDelay ?? 15000,
      random: opts.random ?? Math.random,
      heartbeat: opts.heartbeat ?? defaultHeartbeat(),
      onGlobal: opts.onGlobal,
    };
  }

  /** Adds a channel and opens the socket if needed; returns the unsubscribe function. */
  subscribe(ch: Channel): () => void {
    let set = this.channels.get(ch.doc);
    if (!set) this.channels.set(ch.doc, (set = new Set()));
    set.add(ch);
    if (this.stopped) this.start();
    else if (this.state === 'open') ch.connected();
    return () => {
      const s = this.channels.get(ch.doc);
      if (!s?.delete(ch)) return;
      if (s.size === 0) {
        this.channels.delete(ch.doc);
        this.send({ t: 'close', doc: ch.doc });
      }
      this.stopIfUnused();
    };
  }

  /**
   * Keeps the socket open with no document subscribed, so that feed frames
   * arrive; returns the release function (counted: the socket closes when
   * no holder and no channel is left).
   */
  keepOpen(): () => void {
    this.holds++;
    if (this.stopped) this.start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.stopIfUnused();
    };
  }

  private stopIfUnused(): void {
    if (this.channels.size === 0 && this.holds === 0) this.stop();
  }

  /** Sends a frame if the socket is open; returns whether it was sent. */
  send(frame: ClientFrame): boolean {
    if (!this.socket || this.socket.readyState !== OPEN || this.state !== 'open') return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Calls fn on every state change; returns the function that stops it. */
  onState(fn: (s: ConnState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Skips the remaining backoff (e.g. when the browser reports it is online again). */
  reconnectNow(): void {
    if (this.stopped || this.state === 'open') return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attempts = 0;
    this.dial();
  }

  /** Closes the socket and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopBeat();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = s.onmessage = s.onerror = s.onopen = null;
      s.close(1000);
    }
    this.setState('closed');
  }

  private start(): void {
    this.stopped = false;
    this.attempts = 0;
    this.dial();
  }

  private dial(): void {
    this.setState('connecting');
    let s: SocketLike;
    try {
      s = this.opts.createSocket(this.opts.url || defaultUrl());
    } catch {
      this.lost();
      return;
    }
    this.socket = s;
    s.onopen = () => {
      if (this.socket !== s) return;
      this.attempts = 0;
      this.startBeat(s);
      this.setState('open');
      for (const set of this.channels.values()) for (const ch of set) ch.connected();
    };
    s.onmessage = (ev) => {
      if (this.socket !== s || typeof ev.data !== 'string') return;
      this.lastFrame = Date.now();
      const f = parseServerFrame(ev.data);
      if (!f || f.t === 'pong') return;
      const doc = frameDoc(f);
      const set = doc ? this.channels.get(doc) : undefined;
      if (set) for (const ch of set) ch.receive(f);
      else {
        this.opts.onGlobal?.(f);
        // An error about the connection as a whole (rate_limited, a revoked
        // session) concerns every document on it.
        if (f.t === 'error' && doc === undefined) for (const s of this.channels.values()) for (const ch of s) ch.receive(f);
      }
    };
    s.onclose = () => {
      if (this.socket === s) this.lost();
    };
    s.onerror = () => {
      // onclose follows and does the work.
    };
  }

  /** Pings every heartbeat and gives the socket up when nothing came back for 2.5 heartbeats. */
  private startBeat(s: SocketLike): void {
    this.stopBeat();
    this.lastFrame = Date.now();
    const every = this.opts.heartbeat;
    if (every <= 0) return;
    this.beat = setInterval(() => {
      if (this.socket !== s) return this.stopBeat();
      if (Date.now() - this.lastFrame > every * 2.5) {
        // The network is gone without a close frame: the browser may keep
        // such a socket "open" for minutes. Drop it and dial again.
        s.onclose = s.onmessage = s.onerror = s.onopen = null;
        try {
          s.close(4000);
        } catch {
          // already closed
        }
        this.lost();
        return;
      }
      if (s.readyState === OPEN) s.send(JSON.stringify({ t: 'ping' }));
    }, every);
  }

  private stopBeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
  }

  private lost(): void {
    this.stopBeat();
    this.socket = null;
    const wasOpen = this.state === 'open';
    this.setState('connecting');
    if (wasOpen || this.attempts === 0) for (const set of this.channels.values()) for (const ch of set) ch.disconnected();
    if (this.stopped) return;
    const delay = Math.min(this.opts.maxDelay, this.opts.minDelay * 2 ** this.attempts);
    this.attempts++;
    // Jitter keeps many clients from reconnecting in lockstep after a restart.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dial();
    }, delay / 2 + (delay / 2) * this.opts.random());
  }

  private setState(s: ConnState): void {
    if (this.state === s) return;
    this.state = s;
    for (const fn of this.listeners) fn(s);
  }
}
