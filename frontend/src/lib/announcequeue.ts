// The queue behind the polite live region: one message at a time, each
// left in the region long enough to be read, then replaced after a short
// silence. Screen readers drop or merge updates that follow each other too
// fast, and several messages joined into one region read as a run-on text.

/** Schedules a callback; setTimeout in the app, fake timers in tests. */
export interface Clock {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** The silence between two messages, in milliseconds. */
export const GAP = 300;

/** Roughly how long a screen reader needs for msg at a calm speaking rate. */
export function readingTime(msg: string): number {
  return Math.max(2000, msg.length * 70);
}

/** AnnouncementQueue shows messages one at a time through show(). */
export class AnnouncementQueue {
  private queue: string[] = [];
  private timer: unknown = null;
  private current = '';

  constructor(
    private show: (text: string) => void,
    private clock: Clock = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
  ) {}

  /** Queues a message; one already waiting is not queued twice. */
  push(msg: string): void {
    if (!msg || this.queue.includes(msg)) return;
    this.queue.push(msg);
    if (this.timer === null) this.next();
  }

  /** Drops everything waiting and empties the region (a new page begins). */
  clear(): void {
    this.queue = [];
    if (this.timer !== null) this.clock.clear(this.timer);
    this.timer = null;
    this.set('');
  }

  // The last message stays in the region until the next one replaces it,
  // after a gap in which the region is empty, so that even the same text
  // twice is read twice.
  private next(): void {
    if (this.queue.length === 0) {
      this.timer = null;
      return;
    }
    if (this.current) {
      this.set('');
      this.timer = this.clock.set(() => this.next(), GAP);
      return;
    }
    const msg = this.queue.shift()!;
    this.set(msg);
    this.timer = this.clock.set(() => this.next(), readingTime(msg));
  }

  private set(text: string): void {
    this.current = text;
    this.show(text);
  }
}
