// Messages for screen readers, read out politely by one live region in
// App.svelte, one message at a time (see announcequeue.ts). Callers that
// may fire often (remote typing) collect their events before announcing.
import { AnnouncementQueue } from './announcequeue';

/** The text currently in the live region. */
export const announcer = $state({ text: '' });

const queue = new AnnouncementQueue((text) => (announcer.text = text));

/** Queues a message for the live region. */
export function announce(msg: string): void {
  queue.push(msg);
}

/** Empties the live region and drops waiting messages; called on navigation. */
export function clearAnnouncements(): void {
  queue.clear();
}
