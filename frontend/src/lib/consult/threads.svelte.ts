// The thread sidebar's state for one section: the threads from the API, each
// thread's passage in the local text (moved through every op locally, see
// anchors.ts), the selection, and the throttled refetch and polling that
// bring in other people's threads. The server pushes a "threads" frame when
// a thread of the section changes; polling covers frames lost on the way.
import { api, call, type Thread } from '../api/client';
import type { LiveEditor } from '../editor/binding';
import type { TextOp } from '../protocol';
import { transformAnchor, type LocalAnchor } from './anchors';
import { focusSoon } from '../focus';

const REFETCH_AFTER_OPS = 1500;
const POLL = 10000;

/** Threads of one section with live-moving passages. */
export class ThreadPanel {
  threads = $state.raw<Thread[]>([]);
  anchors = $state.raw<Record<number, LocalAnchor>>({});
  selected = $state<number | null>(null);
  loaded = $state(false);
  error = $state('');
  editor: LiveEditor | null = null;
  /** Called with threads that appeared since the last load (not on the first). */
  onNew: ((list: Thread[]) => void) | null = null;
  /** Called with threads whose status changed since the last load. */
  onStatus: ((list: Thread[]) => void) | null = null;

  private log: { v: number; op: TextOp }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private poller: ReturnType<typeof setInterval> | null = null;
  private loading = false;
  private again = false;
  private stopped = false;
  private drawQueued = false;

  constructor(readonly sectionId: number) {}

  /** Starts polling; call once the editor has its first version. */
  start(): void {
    if (this.poller || this.stopped) return;
    void this.load();
    this.poller = setInterval(() => {
      if (!document.hidden) void this.load();
    }, POLL);
  }

  stop(): void {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    if (this.timer) clearTimeout(this.timer);
  }

  /** Moves every passage through an op on the local text. */
  op(op: TextOp, remote: boolean): void {
    const v = this.editor?.client.version;
    if (v == null) return;
    if (remote) {
      this.log.push({ v, op });
      if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    }
    const next: Record<number, LocalAnchor> = {};
    for (const [id, a] of Object.entries(this.anchors)) next[Number(id)] = transformAnchor(a, op);
    this.anchors = next;
    // Local ops arrive from inside CodeMirror's update, where dispatching
    // is not allowed: redraw right after it.
    if (!this.drawQueued) {
      this.drawQueued = true;
      queueMicrotask(() => {
        this.drawQueued = false;
        if (!this.stopped) this.draw();
      });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.load();
      }, REFETCH_AFTER_OPS);
    }
  }

  private waiting: (() => void)[] = [];

  /**
   * Fetches the threads and reconciles their passages with the local text.
   * Resolves once a fetch that began after the call has been applied (a call
   * during a running fetch waits for the one that follows it).
   */
  async load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return new Promise((ok) => this.waiting.push(ok));
    }
    this.loading = true;
    try {
      const list = await call(api.GET('/api/sections/{id}/threads', { params: { path: { id: this.sectionId } } }));
      if (this.stopped) return;
      const known = new Set(this.threads.map((t) => t.id));
      const fresh = this.loaded ? list.filter((t) => !known.has(t.id)) : [];
      const before = new Map(this.threads.map((t) => [t.id, t.status]));
      const moved = list.filter((t) => before.has(t.id) && before.get(t.id) !== t.status);
      const next: Record<number, LocalAnchor> = {};
      let stale = false;
      for (const t of list) {
        const a = this.reconcile(t);
        if (a) next[t.id] = a;
        else {
          stale = true;
          next[t.id] = this.anchors[t.id] ?? { start: t.anchor.start, end: t.anchor.end, removed: t.anchor.removed };
        }
      }
      const first = !this.loaded;
      this.threads = list;
      this.anchors = next;
      this.loaded = true;
      // A link like /abschnitte/3#diskussion-7 opens with that thread selected.
      const m = first ? /^#diskussion-(\d+)$/.exec(globalThis.location?.hash ?? '') : null;
      if (m && list.some((t) => t.id === Number(m[1]))) {
        this.select(Number(m[1]), true);
        void focusSoon(() => document.querySelector<HTMLElement>(`[data-thread="${m[1]}"] .thread-title`));
      }
      this.error = '';
      this.draw();
      if (fresh.length) this.onNew?.(fresh);
      if (moved.length) this.onStatus?.(moved);
      if (stale && !this.timer) {
        this.timer = setTimeout(() => {
          this.timer = null;
          void this.load();
        }, REFETCH_AFTER_OPS);
      }
    } catch (e) {
      this.error = (e as { detail?: string }).detail ?? '';
    } finally {
      this.loading = false;
      if (this.again) {
        this.again = false;
        const waiting = this.waiting;
        this.waiting = [];
        void this.load().then(() => waiting.forEach((ok) => ok()));
      }
    }
  }

  /**
   * Brings a server anchor (valid at its version) to the local text, or
   * returns null when the local ops needed for that are not known.
   */
  private reconcile(t: Thread): LocalAnchor | null {
    const c = this.editor?.client;
    if (!c || c.version == null) return null;
    let a: LocalAnchor = { start: t.anchor.start, end: t.anchor.end, removed: t.anchor.removed };
    const va = t.anchor.version;
    if (va > c.version) return null;
    if (va < c.version) {
      if (c.pending) return null;
      const needed = this.log.filter((e) => e.v > va);
      if (needed.length !== c.version - va) return null;
      for (const e of needed) a = transformAnchor(a, e.op);
    }
    if (c.inflight) a = transformAnchor(a, c.inflight.op);
    if (c.buffer) a = transformAnchor(a, c.buffer);
    return a;
  }

  /** Draws the highlights into the editor. */
  draw(): void {
    if (!this.editor) return;
    const marks = [];
    for (const t of this.threads) {
      const a = this.anchors[t.id];
      if (!a || a.removed || t.hidden) continue;
      marks.push({ id: t.id, from: a.start, to: a.end, active: t.id === this.selected });
    }
    this.editor.setThreads(marks);
  }

  /** Selects a thread; reveal scrolls the editor to its passage. */
  select(id: number | null, reveal: boolean): void {
    this.selected = id;
    this.draw();
    const a = id != null ? this.anchors[id] : undefined;
    if (reveal && a && !a.removed) this.editor?.reveal(a.start, a.end);
  }

  /** Replaces one thread after an action (the server's answer). */
  replace(t: Thread): void {
    this.threads = this.threads.map((x) => (x.id === t.id ? t : x));
    void this.load();
  }
}
