// The app's single live connection. Pages reach the socket only through it.
import { Connection } from './connection';
import { refreshBell } from './consult/bell.svelte';

/** The shared connection to /api/ws. A pushed notification refreshes the bell at once. */
export const connection = new Connection({
  onGlobal: (f) => {
    if (f.t === 'notification') void refreshBell();
  },
});

addEventListener('online', () => connection.reconnectNow());

/**
 * Keeps the socket open while someone is signed in, so that pushed
 * notifications reach the bell on every page, not only in the editor.
 * Returns the function that releases it (at sign-out).
 */
export function keepOpenForFeed(): () => void {
  return connection.subscribe({ section: 0, connected() {}, disconnected() {}, receive() {} });
}
